package dev.tracebench.importers.phoenix;

import static dev.tracebench.importers.phoenix.PhoenixFixtureTest.attr;
import static dev.tracebench.importers.phoenix.PhoenixFixtureTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.ImporterTestBase;
import dev.tracebench.importers.common.IdResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Single spans, project names and service names, and damaged Phoenix exports. */
class PhoenixShapesTest extends ImporterTestBase {
    static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    /** A span on one line, span id {@code id}, one second long. */
    static String span(String id, String parent, String extra) {
        return "{\"id\":\"U3BhbjoxMDE=\",\"name\":\"step " + id + "\",\"context\":{\"trace_id\":\"" + TRACE
                + "\",\"span_id\":\"" + id + "\"},\"span_kind\":\"CHAIN\",\"parent_id\":"
                + (parent == null ? "null" : "\"" + parent + "\"") + ",\"start_time\":\"2025-01-01T00:00:00Z\","
                + "\"end_time\":\"2025-01-01T00:00:01Z\",\"status_code\":\"OK\",\"status_message\":\"\","
                + "\"attributes\":{},\"events\":[]" + extra + "}";
    }

    @Test
    void aSingleSpanObjectWithAServiceNameAttribute() throws Exception {
        String text = span("0000000000000001", null, "").replace("\"attributes\":{}",
                "\"attributes\":{\"service\":{\"name\":\"rag-api\"},\"openinference\":{\"span\":{\"kind\":\"LLM\"}}}");
        ImportReport r = importText("single.json", text);
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("phoenix-json", r.format());
        assertEquals(1, r.spansAdded());
        SpanDetail s = span(trace(TRACE), "0000000000000001");
        assertEquals("rag-api", s.serviceName());
        assertEquals(new AttributeValue.Str("LLM"), attr(s, "openinference.span.kind"),
                "the attribute wins over span_kind");
        assertEquals(2, s.attributes().size());
    }

    @Test
    void theProjectOfAPageOrASpanNamesTheService() throws Exception {
        String text = "{\"project_name\":\"travel-agent-staging\",\"data\":[\n" + span("0000000000000001", null, "")
                + ",\n" + span("0000000000000002", "0000000000000001", ",\"project\":\"other-project\"")
                + "\n],\"next_cursor\":null}";
        ImportReport r = importText("page.json", text);
        assertEquals(2, r.spansAdded(), r.problems().toString());
        assertEquals(0, r.warnings(), r.problems().toString());
        TraceDetail t = trace(TRACE);
        SpanDetail first = span(t, "0000000000000001");
        assertEquals("travel-agent-staging", first.serviceName());
        assertEquals(List.of(Attribute.of("service.name", "travel-agent-staging"),
                Attribute.of("openinference.project.name", "travel-agent-staging")),
                t.resources().get(first.resourceId()).attributes());
        SpanDetail second = span(t, "0000000000000002");
        assertEquals("other-project", second.serviceName());
        assertEquals(first.spanId(), second.parentSpanId());
        assertEquals(List.of("other-project", "travel-agent-staging"), ws.traces().services());
    }

    @Test
    void unknownSpanKindIsNotAnOpenInferenceKind() throws Exception {
        ImportReport r = importText("unknown.json", "[" + span("0000000000000001", null, "").replace("\"CHAIN\"",
                "\"UNKNOWN\"") + "]");
        assertEquals(1, r.spansAdded());
        assertNull(attr(span(trace(TRACE), "0000000000000001"), "openinference.span.kind"));
    }

    @Test
    void aTruncatedArrayKeepsTheSpansBeforeTheCut() throws Exception {
        String text = Files.readString(fixture("agent-spans.json"), StandardCharsets.UTF_8);
        int cut = text.indexOf("\"id\": \"U3BhbjoxMDQ=\"") + 300; // inside the fourth span, the retriever
        ImportReport r = importText("cut.json", text.substring(0, cut));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(3, r.spansAdded());
        assertEquals(1, r.rejected());
        Problem p = r.problems().get(0);
        assertEquals("line 163, column 25", p.location(), "the end of the cut file");
        assertEquals("the JSON ends early (the file looks truncated); the rest of the file was not read", p.reason());
        assertEquals(3, trace(PhoenixFixtureTest.TRACE).spans().size());
    }

    @Test
    void aDamagedJsonLinesLineIsSkipped() throws Exception {
        List<String> lines = Files.readAllLines(fixture("agent-spans.jsonl"), StandardCharsets.UTF_8);
        String damaged = lines.get(2).replace("\"span_kind\":", "\"span_kind\"=");
        String text = String.join("\n", lines.subList(0, 2)) + "\n" + damaged + "\n"
                + String.join("\n", lines.subList(3, 6)) + "\n";
        ImportReport r = importText("damaged.jsonl", text);
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(5, r.spansAdded());
        assertEquals(1, r.rejected());
        assertTrue(r.problems().get(0).location().startsWith("line 3, column "), r.problems().get(0).location());
        assertTrue(r.problems().get(0).reason().startsWith("malformed JSON"), r.problems().get(0).reason());
    }

    @Test
    void badTimesIdsAndStatusesAreLocated() throws Exception {
        String text = "[\n"
                + span("0000000000000001", null, "") + ",\n"
                + span("0000000000000002", "0000000000000001", "").replace("\"2025-01-01T00:00:00Z\"",
                        "\"the day before\"") + ",\n"
                + span("0000000000000003", "0000000000000001", "").replace("\"2025-01-01T00:00:01Z\"", "1735689601")
                + ",\n"
                + span("U3BhbjoxMDQ=", "0000000000000001", "") + ",\n"
                + span("0000000000000005", "U3BhbjoxMDQ=", "").replace("\"OK\"", "\"FINE\"") + ",\n"
                + span("0000000000000006", "0000000000000001", "").replace("\"events\":[]",
                        "\"events\":[{\"name\":\"exception\",\"timestamp\":\"later\",\"attributes\":{}}]") + ",\n"
                + span("0000000000000007", "0000000000000001", "").replace(",\"context\":{\"trace_id\":\"" + TRACE
                        + "\",\"span_id\":\"0000000000000007\"}", "") + ",\n"
                + "{\"foo\":1,\"bar\":2}\n"
                + "]";
        ImportReport r = importText("bad.json", text);
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(5, r.spansAdded(), r.problems().toString());
        assertEquals(3, r.rejected(), r.problems().toString());
        List<String> all = r.problems().stream().map(Problem::toString).toList();
        assertTrue(all.contains("rejected at line 3, [1].start_time: 'the day before' is not an ISO-8601 timestamp"),
                all.toString());
        assertTrue(all.contains("warning at line 4, [2].end_time: expected an ISO-8601 timestamp string, found an "
                + "integer; ignored"), all.toString());
        assertTrue(all.contains("warning at line 4, [2]: the span has no end_time; it is kept with zero duration"),
                all.toString());
        assertTrue(all.contains("warning at line 5, [3]: span id 'U3BhbjoxMDQ=' is not hex of at most 16 digits; "
                + "mapped to a derived id (the original is kept as tracebench.original_span_id)"), all.toString());
        assertTrue(all.contains("warning at line 6, [4].status_code: status_code 'FINE' is not OK, ERROR or UNSET; "
                + "the status is left unset"), all.toString());
        assertTrue(all.contains("warning at line 7, [5].events[0].timestamp: 'later' is not an ISO-8601 timestamp; "
                + "the event was skipped"), all.toString());
        assertTrue(all.contains("rejected at line 8, [6]: the span has no context.trace_id"), all.toString());
        assertTrue(all.contains("rejected at line 9, [7]: expected a Phoenix span (name, context, start_time, ...) or "
                + "a page {\"data\": [...]}, found an object with the fields foo, bar"), all.toString());
        TraceDetail t = trace(TRACE);
        SpanDetail mapped = t.spans().stream().filter(s -> s.name().equals("step U3BhbjoxMDQ=")).findFirst()
                .orElseThrow();
        assertEquals(IdResolver.mappedSpanId("U3BhbjoxMDQ="), mapped.spanId());
        assertEquals(new AttributeValue.Str("U3BhbjoxMDQ="), attr(mapped, IdResolver.ORIGINAL_SPAN_ID));
        assertEquals(mapped.spanId(), span(t, "0000000000000005").parentSpanId(), "the mapped parent matches");
        assertEquals(StatusCode.UNSET, span(t, "0000000000000005").status());
        assertEquals(0, span(t, "0000000000000003").durationNs());
        assertTrue(span(t, "0000000000000006").events().isEmpty());
    }

    @Test
    void aForcedFormatOnAScalarExplainsItself() throws Exception {
        Path f = dir.resolve("scalar.json");
        Files.writeString(f, "42");
        ImportReport r = imports.importFile(f, "phoenix-json", ProgressListener.NONE, CancellationToken.none());
        // nothing valid under a forced format: refused, with the reason (issue 10)
        assertEquals(ImportReport.Status.UNUSABLE, r.status());
        assertTrue(r.message().contains("nothing in it is valid: line 1: expected a span object or an array of spans, "
                + "found an integer"), r.message());
    }
}
