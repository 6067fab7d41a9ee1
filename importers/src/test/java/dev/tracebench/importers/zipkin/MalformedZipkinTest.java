package dev.tracebench.importers.zipkin;

import static dev.tracebench.importers.zipkin.CorporaZipkinTest.attr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.importers.ImporterTestBase;
import dev.tracebench.importers.common.IdResolver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad Zipkin input: each case gives a located, explained problem and keeps the good records. */
class MalformedZipkinTest extends ImporterTestBase {
    static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    /** A compact span {@code id} of {@link #TRACE}, a child of span 1 unless it is span 1. */
    static String span(int id, String extra) {
        return "{\"traceId\":\"" + TRACE + "\"," + (id == 1 ? "" : "\"parentId\":\"0000000000000001\",")
                + "\"id\":\"" + String.format("%016x", id) + "\",\"name\":\"op " + id + "\",\"kind\":\"SERVER\","
                + "\"timestamp\":1000,\"duration\":5,\"localEndpoint\":{\"serviceName\":\"svc\"}" + extra + "}";
    }

    @Test
    void aTruncatedListKeepsTheSpansBeforeTheCut() throws Exception {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 1; i <= 5; i++) {
            sb.append(i > 1 ? ",\n" : "").append(span(i, ""));
        }
        String full = sb.append("\n]\n").toString();
        ImportReport r = importText("cut.json", full.substring(0, full.indexOf("\"op 4\"")));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(3, r.spansAdded());
        assertEquals(1, r.rejected());
        Problem p = r.problems().get(0);
        assertTrue(p.location().startsWith("line 5, column "), p.location());
        assertEquals("the JSON ends early (the file looks truncated); the rest of the file was not read", p.reason());
        assertEquals(3, trace(TRACE).spans().size());
    }

    @Test
    void aDamagedLineOfJsonLinesIsSkipped() throws Exception {
        String bad = span(2, "").replace("\"name\":", "\"name\"=");
        ImportReport r = importText("spans.jsonl", span(1, "") + "\n" + bad + "\n" + span(3, "") + "\n");
        assertEquals(2, r.spansAdded());
        assertEquals(1, r.rejected());
        Problem p = r.problems().get(0);
        assertTrue(p.location().startsWith("line 2, column "), p.location());
        assertTrue(p.reason().startsWith("malformed JSON ("), p.reason());
    }

    @Test
    void wrongTypesCostTheirSpanOrFieldAndNameTheirPath() throws Exception {
        String json = "[\n"
                + span(1, "") + ",\n"
                + span(2, "").replace("\"timestamp\":1000", "\"timestamp\":\"soon\"") + ",\n"
                + span(3, "").replace("\"duration\":5", "\"duration\":{\"us\":5}") + ",\n"
                + span(4, "").replace("\"traceId\":\"" + TRACE + "\"", "\"traceId\":42") + ",\n"
                + span(5, "").replace("\"id\":\"0000000000000005\",", "") + ",\n"
                + "\"not a span\",\n"
                + span(7, ",\"remoteEndpoint\":\"x\"").replace("\"parentId\":\"0000000000000001\"", "\"parentId\":7")
                        .replace("\"name\":\"op 7\"", "\"name\":42").replace("SERVER", "SIDEWAYS") + ",\n"
                + span(8, ",\"annotations\":{\"a\":1},\"tags\":[\"x\"],\"debug\":\"maybe\"") + ",\n"
                + span(9, ",\"annotations\":[{\"value\":\"no time\"},{\"timestamp\":\"later\",\"value\":\"x\"}],"
                        + "\"tags\":{\"ok\":\"1\",\"obj\":{\"a\":1}}") + ",\n"
                + span(10, "").replace("\"parentId\":\"0000000000000001\"", "\"parentId\":\"000000000000000a\"")
                + ",\n"
                + span(11, "").replace(",\"timestamp\":1000", "") + ",\n"
                + span(12, ",\"localEndpoint\":{\"serviceName\":7,\"port\":\"http\"}") + ",\n"
                + span(13, ",\"duration\":-5") + "\n"
                + "]";
        ImportReport r = importText("types.json", json);
        List<String> all = r.problems().stream().map(Problem::toString).toList();
        assertEquals(5, r.rejected(), all.toString());
        assertEquals(8, r.spansAdded(), all.toString());
        assertEquals(List.of(
                "rejected at line 3, [1]: timestamp: 'soon' is not a number of microseconds",
                "rejected at line 4, [2]: duration: expected a number of microseconds, found an object",
                "rejected at line 5, [3]: traceId: expected a string of hex digits, found an integer",
                "rejected at line 6, [4]: the span has no id",
                "rejected at line 7, [5]: expected a Zipkin span (an object) or a list of spans, found a string",
                "warning at line 8, [6].parentId: expected a string of hex digits, found an integer; the span is "
                        + "kept as a root"), all.subList(0, 6));
        assertTrue(all.contains("warning at line 8, [6]: kind 'SIDEWAYS' is not CLIENT, SERVER, PRODUCER or "
                + "CONSUMER; the kind is unspecified"), all.toString());
        assertTrue(all.contains("warning at line 8, [6].name: expected a string, found an integer; the span is kept "
                + "without a name"), all.toString());
        assertTrue(all.contains("warning at line 8, [6].remoteEndpoint: expected an endpoint object {serviceName, "
                + "ipv4, ipv6, port}, found a string; ignored"), all.toString());
        assertTrue(all.contains("warning at line 9, [7].annotations: expected an array of annotations, found an "
                + "object; ignored"), all.toString());
        assertTrue(all.contains("warning at line 9, [7].tags: expected an object of string tags, found an array; "
                + "ignored"), all.toString());
        assertTrue(all.contains("warning at line 9, [7].debug: expected true or false, found a string; ignored"),
                all.toString());
        assertTrue(all.contains("warning at line 10, [8].annotations[1]: timestamp: 'later' is not a number of "
                + "microseconds; the annotation was skipped"), all.toString());
        assertTrue(all.contains("warning at line 10, [8].tags.obj: expected a string, found an object; the tag was "
                + "skipped"), all.toString());
        assertTrue(all.contains("warning at line 10, [8].annotations[0]: the annotation has no timestamp; the span's "
                + "start time is used"), all.toString());
        assertTrue(all.contains("warning at line 11, [9]: parentId is the span's own id; the span is kept as a root"),
                all.toString());
        assertTrue(all.contains("warning at line 12, [10]: the span has no timestamp; it is kept with time 0 and zero "
                + "duration"),
                all.toString());
        assertTrue(all.contains("warning at line 13, [11].localEndpoint.serviceName: expected a string, found an "
                + "integer; ignored"), all.toString());
        assertTrue(all.contains("warning at line 13, [11].localEndpoint.port: 'http' is not a port number; ignored"),
                all.toString());
        assertTrue(all.contains("warning at line 14, [12]: the span ends 5000 ns before it starts (clock skew?); "
                + "kept as is"),
                all.toString());
        assertEquals(15, r.warnings(), all.toString());

        TraceDetail t = trace(TRACE);
        SpanDetail seven = span(t, "0000000000000007");
        assertNull(seven.parentSpanId());
        assertEquals("", seven.name());
        assertEquals(SpanKind.UNSPECIFIED, seven.kind());
        SpanDetail nine = span(t, "0000000000000009");
        assertEquals(1, nine.events().size());
        assertEquals(1_000_000L, nine.events().get(0).timeNs());
        assertEquals("no time", nine.events().get(0).name());
        assertEquals(new AttributeValue.Str("1"), attr(nine, "ok"));
        assertNull(span(t, "000000000000000a").parentSpanId());
        assertEquals(0, span(t, "000000000000000b").startNs());
        assertEquals("unknown_service", span(t, "000000000000000c").serviceName());
        assertEquals(-5_000L, span(t, "000000000000000d").durationNs());
    }

    @Test
    void idsThatAreNotHexAreMappedAndWarned() throws Exception {
        String json = """
                [{"traceId":"trace-A","id":"root","name":"a","timestamp":1,"duration":1},
                 {"traceId":"trace-A","id":"kid","parentId":"root","name":"b","timestamp":1,"duration":1},
                 {"traceId":"00000000000000000000000000000000","id":"0000000000000003","timestamp":1,"duration":1},
                 {"traceId":"463ac35c9f6413ad","id":"0000000000000000","timestamp":1,"duration":1}]
                """;
        ImportReport r = importText("ids.json", json);
        assertEquals(2, r.spansAdded(), r.problems().toString());
        assertEquals(2, r.rejected());
        assertEquals(4, r.warnings(), r.problems().toString());
        List<String> all = r.problems().stream().map(Problem::toString).toList();
        assertEquals("warning at line 1, [0]: trace id 'trace-A' is not hex of at most 32 digits; mapped to a "
                + "derived id (the original is kept as tracebench.original_trace_id)", all.get(0));
        assertEquals("warning at line 1, [0]: span id 'root' is not hex of at most 16 digits; mapped to a derived id "
                + "(the original is kept as tracebench.original_span_id)", all.get(1));
        assertTrue(all.contains("rejected at line 3, [2]: traceId is zero, which is not a valid trace id"), all
                .toString());
        assertTrue(all.contains("rejected at line 4, [3]: id is zero, which is not a valid span id"), all.toString());
        TraceDetail t = ws.traces().trace(new IdResolver(null).referencedTraceId("trace-A")).orElseThrow();
        SpanDetail kid = t.spans().stream().filter(s -> s.name().equals("b")).findFirst().orElseThrow();
        assertEquals(IdResolver.mappedSpanId("root"), kid.parentSpanId());
        assertEquals(IdResolver.mappedSpanId("kid"), kid.spanId());
        assertEquals(new AttributeValue.Str("kid"), attr(kid, IdResolver.ORIGINAL_SPAN_ID));
        assertEquals(new AttributeValue.Str("trace-A"), attr(kid, IdResolver.ORIGINAL_TRACE_ID));
    }

    @Test
    void zipkinV1IsReportedOnce() throws Exception {
        String v1 = """
                [{"traceId":"463ac35c9f6413ad","id":"0000000000000001","name":"get","timestamp":1,"duration":1,
                  "annotations":[{"timestamp":1,"value":"sr","endpoint":{"serviceName":"api"}}],
                  "binaryAnnotations":[{"key":"http.path","value":"/"}]},
                 {"traceId":"463ac35c9f6413ad","id":"0000000000000002","parentId":"0000000000000001","name":"x",
                  "timestamp":1,"duration":1,"binaryAnnotations":[]}]
                """;
        ImportReport r = importText("v1.json", v1);
        assertEquals("zipkin-json", r.format());
        assertEquals(2, r.spansAdded());
        assertEquals(1, r.warnings());
        assertEquals("line 3, [0].binaryAnnotations", r.problems().get(0).location());
        assertTrue(r.problems().get(0).reason().startsWith("this looks like Zipkin v1 JSON (binaryAnnotations)"),
                r.problems().get(0).reason());
        assertEquals("sr", span(trace("0000000000000000463ac35c9f6413ad"), "0000000000000001").events().get(0)
                .name());
    }

    @Test
    void reimportingTheSameFileAddsNothing() throws Exception {
        String json = "[" + span(1, "") + "," + span(2, "") + "]";
        assertEquals(2, importText("a.json", json).spansAdded());
        ImportReport again = importText("a.json", json);
        assertEquals(0, again.spansAdded());
        assertEquals(2, again.alreadyPresent());
        assertEquals(2, ws.traces().stats().spans());
    }
}
