package dev.tracebench.importers.jaeger;

import static dev.tracebench.importers.jaeger.CorporaJaegerTest.attr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.importers.ImporterTestBase;
import dev.tracebench.importers.common.IdResolver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad Jaeger input: each case gives a located, explained problem and keeps the good records. */
class MalformedJaegerTest extends ImporterTestBase {

    /** A compact trace {@code trace} (hex) with spans 1..n, span 1 the parent of the others, process p1. */
    static String trace(int trace, int n) {
        StringBuilder sb = new StringBuilder("{\"traceID\":\"" + String.format("%032x", trace) + "\",\"spans\":[");
        for (int i = 1; i <= n; i++) {
            if (i > 1) {
                sb.append(',');
            }
            sb.append(span(trace, i, ""));
        }
        return sb.append("],\"processes\":{\"p1\":{\"serviceName\":\"svc\",\"tags\":[]}}}").toString();
    }

    static String span(int trace, int id, String extra) {
        return "{\"traceID\":\"" + String.format("%032x", trace) + "\",\"spanID\":\"" + String.format("%016x", id)
                + "\",\"operationName\":\"op " + id + "\",\"references\":[" + (id == 1 ? ""
                        : "{\"refType\":\"CHILD_OF\",\"traceID\":\"" + String.format("%032x", trace)
                                + "\",\"spanID\":\"0000000000000001\"}")
                + "],\"startTime\":1000,\"duration\":5,\"tags\":[],\"logs\":[],\"processID\":\"p1\"" + extra + "}";
    }

    @Test
    void aTruncatedDownloadKeepsTheTracesAndSpansBeforeTheCut() throws Exception {
        String pretty = "{\"data\":[\n" + trace(1, 3) + ",\n" + trace(2, 4).replace("},{", "},\n{") + "]}";
        int cut = pretty.indexOf("\"op 3\"", pretty.indexOf(String.format("%032x", 2)));
        ImportReport r = importText("truncated.json", pretty.substring(0, cut));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        // trace 1 whole; of trace 2 the two spans before the cut, whose processes never came
        assertEquals(5, r.spansAdded(), r.problems().toString());
        assertEquals(1, r.rejected());
        assertEquals(1, r.warnings());
        Problem unknown = r.problems().get(0);
        assertEquals("line 3, data[1].spans[0]", unknown.location());
        assertEquals("the trace has no processes, so processID 'p1' is unknown; its spans get the service "
                + "unknown_service", unknown.reason());
        Problem cutAt = r.problems().get(1);
        assertEquals(Problem.Severity.REJECTED, cutAt.severity());
        assertTrue(cutAt.location().startsWith("line 5, column "), cutAt.location());
        assertEquals("the JSON ends early (the file looks truncated); the rest of the file was not read",
                cutAt.reason());
        assertEquals(3, trace(String.format("%032x", 1)).spans().size());
        TraceDetail two = trace(String.format("%032x", 2));
        assertEquals(2, two.spans().size());
        assertEquals("unknown_service", two.spans().get(0).serviceName());
    }

    @Test
    void aDamagedLineOfJsonLinesIsSkipped() throws Exception {
        String bad = trace(2, 2).replace("\"operationName\":", "\"operationName\";");
        ImportReport r = importText("traces.jsonl", trace(1, 2) + "\n" + bad + "\n" + trace(3, 3) + "\n");
        assertEquals(ImportReport.Status.IMPORTED, r.status());
        assertEquals(5, r.spansAdded());
        assertEquals(1, r.rejected());
        Problem p = r.problems().get(0);
        assertTrue(p.location().startsWith("line 2, column "), p.location());
        assertTrue(p.reason().startsWith("malformed JSON ("), p.reason());
        assertEquals(2, ws.traces().stats().traces());
    }

    @Test
    void wrongTypesCostTheirSpanOrFieldAndNameTheirPath() throws Exception {
        // "{" alone on the first line: a first line starting like the next ones ({"traceID") reads as JSON Lines
        String json = "{\n\"traceID\":\"00000000000000000000000000000007\",\"processes\":{\"p1\":{\"serviceName\":"
                + "\"svc\",\"tags\":[]}},\"spans\":[\n"
                + span(7, 1, "") + ",\n"
                + span(7, 2, "").replace("\"startTime\":1000", "\"startTime\":\"soon\"") + ",\n"
                + span(7, 3, "").replace("\"references\":[{", "\"references\":\"x\",\"r\":[{") + ",\n"
                + span(7, 4, ",\"tags\":[{\"key\":\"n\",\"type\":\"int64\",\"value\":\"12abc\"},"
                        + "{\"key\":\"b\",\"type\":\"bool\",\"value\":\"yes\"},{\"type\":\"string\",\"value\":\"x\"},"
                        + "{\"key\":\"f\",\"type\":\"float32\",\"value\":1.5}]") + ",\n"
                + span(7, 5, "").replace("\"operationName\":\"op 5\"", "\"operationName\":42") + ",\n"
                + span(7, 6, "").replace(",\"duration\":5", "") + ",\n"
                + span(7, 7, "").replace("\"startTime\":1000,", "") + ",\n"
                + span(7, 8, "").replace("\"processID\":\"p1\"", "\"processID\":\"p9\"") + ",\n"
                + "\"not a span\",\n"
                + span(7, 10, "").replace("\"spanID\":\"000000000000000a\",", "") + ",\n"
                + span(7, 11, ",\"logs\":[{\"fields\":[{\"key\":\"event\",\"type\":\"string\",\"value\":\"x\"}]}]")
                + ",\n"
                + span(7, 12, "").replace("\"duration\":5", "\"duration\":-5") + "\n"
                + "]}";
        ImportReport r = importText("types.json", json);
        List<String> all = r.problems().stream().map(Problem::toString).toList();
        // rejected: the start time "soon", the name 42, the string, the span without spanID
        assertEquals(4, r.rejected(), all.toString());
        assertEquals(8, r.spansAdded(), all.toString());
        assertTrue(all.contains("rejected at line 4, spans[1]: startTime: 'soon' is not a number of microseconds"),
                all.toString());
        assertTrue(all.contains("rejected at line 7, spans[4]: operationName: expected a string, found an integer"),
                all.toString());
        assertTrue(all.contains("rejected at line 11, spans[8]: expected an object (Jaeger span), found a string"),
                all.toString());
        assertTrue(all.contains("rejected at line 12, spans[9]: the span has no spanID"), all.toString());
        assertTrue(all.contains("warning at line 5, spans[2].references: expected an array of references, found a "
                + "string; the span is kept as a root, without links"), all.toString());
        assertTrue(all.contains("warning at line 6, spans[3].tags[0]: tag 'n': '12abc' is not a valid int64; kept "
                + "as a string"), all.toString());
        assertTrue(all.contains("warning at line 6, spans[3].tags[1]: tag 'b': 'yes' is not a valid bool; kept as "
                + "a string"), all.toString());
        assertTrue(all.contains("warning at line 6, spans[3].tags[2]: the tag has no key (a string); ignored"),
                all.toString());
        assertTrue(all.contains("warning at line 6, spans[3].tags[3]: tag 'f' has the unknown type 'float32'; its "
                + "JSON type was used"), all.toString());
        assertTrue(all.contains("warning at line 8, spans[5]: the span has no duration; it is kept with zero "
                + "duration"), all.toString());
        assertTrue(all.contains("warning at line 9, spans[6]: the span has no startTime; it is kept with time 0 and "
                + "zero duration"),
                all.toString());
        assertTrue(all.contains("warning at line 10, spans[7]: processID 'p9' is not in the trace's processes; its "
                + "spans get the service unknown_service"), all.toString());
        assertTrue(all.contains("warning at line 13, spans[10].logs[0]: the log has no timestamp; the span's start "
                + "time is used"), all.toString());
        assertTrue(all.contains("warning at line 14, spans[11]: the span ends 5000 ns before it starts (clock "
                + "skew?); kept as is"), all.toString());
        assertEquals(10, r.warnings(), all.toString());

        TraceDetail t = trace("00000000000000000000000000000007");
        assertNull(span(t, "0000000000000003").parentSpanId());
        SpanDetail typed = span(t, "0000000000000004");
        assertEquals(new AttributeValue.Str("12abc"), attr(typed, "n"));
        assertEquals(new AttributeValue.Str("yes"), attr(typed, "b"));
        assertEquals(new AttributeValue.Dbl(1.5), attr(typed, "f"));
        assertEquals(0, span(t, "0000000000000006").durationNs());
        assertEquals(0, span(t, "0000000000000007").startNs());
        assertEquals("unknown_service", span(t, "0000000000000008").serviceName());
        assertEquals(1_000_000L, span(t, "000000000000000b").events().get(0).timeNs());
        assertEquals(-5_000L, span(t, "000000000000000c").durationNs());
    }

    @Test
    void idsThatAreNotHexOrTooLongAreMappedAndWarned() throws Exception {
        String json = """
                {
                "traceID":"my-trace","spans":[
                {"traceID":"my-trace","spanID":"root","operationName":"a","startTime":1,"duration":1,"processID":"p1"},
                {"spanID":"0123456789abcdef0","operationName":"b","startTime":1,"duration":1,"processID":"p1",
                 "references":[{"refType":"CHILD_OF","traceID":"my-trace","spanID":"root"}]}],
                "processes":{"p1":{"serviceName":"s"}}}
                """;
        ImportReport r = importText("ids.json", json);
        assertEquals(2, r.spansAdded(), r.problems().toString());
        assertEquals(3, r.warnings(), r.problems().toString());
        assertEquals("warning at line 3, spans[0]: trace id 'my-trace' is not hex of at most 32 digits; mapped to a "
                + "derived id (the original is kept as tracebench.original_trace_id)", r.problems().get(0).toString());
        assertEquals("warning at line 4, spans[1]: span id '0123456789abcdef0' is not hex of at most 16 digits; "
                + "mapped to a derived id (the original is kept as tracebench.original_span_id)",
                r.problems().get(2).toString());
        assertEquals(1, ws.traces().stats().traces(), "the span without traceID takes its trace's");
        SpanDetail b = ws.traces().trace(new IdResolver(null).referencedTraceId("my-trace")).orElseThrow().spans()
                .stream().filter(s -> s.name().equals("b")).findFirst().orElseThrow();
        assertEquals(IdResolver.mappedSpanId("root"), b.parentSpanId());
        assertEquals(IdResolver.mappedSpanId("0123456789abcdef0"), b.spanId());
        assertEquals(new AttributeValue.Str("my-trace"), attr(b, IdResolver.ORIGINAL_TRACE_ID));
    }

    @Test
    void somethingElseEntirelyIsRejectedWithAReason() throws Exception {
        ImportReport r = importText("odd.json", "{\"traceID\":\"1\",\"spans\":{\"a\":1},\"processes\":[]}\n"
                + "{\"data\":42}\n[1]\n{\"traceID\":\"2\",\"spans\":[]}\n");
        assertEquals(0, r.spansAdded());
        List<String> all = r.problems().stream().map(Problem::toString).toList();
        assertEquals(List.of(
                "rejected at line 1, spans: expected an array of spans, found an object",
                "warning at line 1, processes: expected an object of processes ({\"p1\": {serviceName, tags}}), "
                        + "found an array; the trace's spans get an unknown service",
                "rejected at line 2, data: expected an array of traces or a trace, found an integer",
                "rejected at line 3, [0]: expected an object (Jaeger trace or span), found an integer"), all);
        ImportReport other = importText("other.json", "{\"traceID\":\"1\",\"name\":\"x\"}");
        assertEquals(ImportReport.Status.UNUSABLE, other.status(), "a traceID alone is not claimed");
    }
}
