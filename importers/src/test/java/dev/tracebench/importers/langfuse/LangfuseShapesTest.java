package dev.tracebench.importers.langfuse;

import static dev.tracebench.importers.langfuse.LangfuseCorporaTest.attr;
import static dev.tracebench.importers.langfuse.LangfuseCorporaTest.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanKind;
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

/** The other shapes of Langfuse exports, the fields the corpora do not exercise, and damaged input. */
class LangfuseShapesTest extends ImporterTestBase {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    /** One observation on one line. */
    static String obs(String id, String parent, String type, String start, String end, String extra) {
        return "{\"id\":\"" + id + "\",\"traceId\":\"" + TRACE + "\",\"parentObservationId\":"
                + (parent == null ? "null" : "\"" + parent + "\"") + ",\"type\":\"" + type + "\",\"name\":\"" + type
                .toLowerCase() + " " + id + "\",\"startTime\":" + (start == null ? "null" : "\"" + start + "\"")
                + ",\"endTime\":" + (end == null ? "null" : "\"" + end + "\"") + extra + "}";
    }

    /** The export shape: the trace (with abbreviated copies) on line 1, then one full observation per line. */
    static String export(String traceFields, List<String> inner, List<String> full) {
        return "{\"trace\":{\"id\":\"" + TRACE + "\"" + traceFields + ",\"observations\":[" + String.join(",", inner)
                + "]},\n\"observations\":[\n" + String.join(",\n", full) + "\n]}\n";
    }

    @Test
    void errorLevelFirstTokenAndEventsWithoutEnd() throws Exception {
        String gen = obs("00000000000000a1", null, "GENERATION", "2025-06-05T15:45:52.971Z", "2025-06-05T15:45:55.747Z",
                ",\"model\":\"gpt-4o\",\"level\":\"ERROR\",\"statusMessage\":\"upstream 429: rate limited\","
                        + "\"completionStartTime\":\"2025-06-05T15:45:53.402123Z\",\"usage\":{\"input\":13,"
                        + "\"output\":null,\"total\":13,\"unit\":\"TOKENS\"},\"promptName\":\"qa\",\"promptVersion\":3,"
                        + "\"metadata\":{\"attributes\":{\"span.kind\":\"client\",\"llm.token_count.prompt\":13}}");
        String event = obs("00000000000000a2", "00000000000000a1", "EVENT", "2025-06-05T15:45:54Z", null,
                ",\"level\":\"WARNING\",\"statusMessage\":\"retrying\"");
        String open = obs("00000000000000a3", "00000000000000a1", "SPAN", "2025-06-05T15:45:55.1Z", null, "");
        ImportReport r = importText("export.json", export(",\"name\":\"qa\",\"userId\":\"u1\",\"sessionId\":\"s1\","
                + "\"tags\":[\"a\"],\"release\":\"v2\",\"metadata\":{\"team\":\"search\"}", List.of(), List.of(gen,
                event, open)));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("langfuse-json", r.format());
        assertEquals(3, r.spansAdded());
        assertEquals(1, r.warnings(), r.problems().toString());
        Problem p = r.problems().get(0);
        assertEquals("line 5, observations[2]", p.location());
        assertEquals("the observation has no endTime (it may not have ended when exported); it is kept with zero "
                + "duration", p.reason());
        TraceDetail t = trace(TRACE);
        SpanDetail g = span(t, "00000000000000a1");
        assertEquals(StatusCode.ERROR, g.status());
        assertEquals("upstream 429: rate limited", g.statusMessage());
        assertEquals("ERROR", str(g, "langfuse.observation.level"));
        assertEquals("upstream 429: rate limited", str(g, "langfuse.observation.status_message"));
        assertEquals(SpanKind.CLIENT, g.kind(), "an OTel span.kind attribute wins over the INTERNAL default");
        assertEquals(new AttributeValue.Int(13), attr(g, "llm.token_count.prompt"), "typed by its JSON type");
        assertEquals("2025-06-05T15:45:53.402123Z", str(g, "langfuse.observation.completion_start_time"));
        assertEquals(List.of(new SpanEventData(1749138353402123000L, "first_token", List.of(), 0)), g.events());
        assertEquals("{\"input\":13,\"output\":null,\"total\":13,\"unit\":\"TOKENS\"}",
                str(g, "langfuse.observation.usage_details"), "the older usage field when usageDetails is absent");
        assertEquals("qa", str(g, "langfuse.observation.prompt.name"));
        assertEquals("3", str(g, "langfuse.observation.prompt.version"));
        assertEquals("qa", str(g, "langfuse.trace.name"));
        assertEquals("u1", str(g, "user.id"));
        assertEquals("s1", str(g, "session.id"));
        assertEquals("v2", str(g, "langfuse.release"));
        assertEquals("search", str(g, "langfuse.trace.metadata.team"));
        SpanDetail e = span(t, "00000000000000a2");
        assertEquals(g.spanId(), e.parentSpanId());
        assertEquals(0, e.durationNs(), "an EVENT has no end, without a warning");
        assertEquals(1749138354000000000L, e.startNs());
        assertEquals(StatusCode.UNSET, e.status(), "WARNING is not an error");
        assertNull(e.statusMessage());
        assertEquals("WARNING", str(e, "langfuse.observation.level"));
        assertEquals("retrying", str(e, "langfuse.observation.status_message"));
        assertEquals(SpanKind.INTERNAL, e.kind());
        assertNull(attr(e, "user.id"), "trace fields only on roots");
        SpanDetail o = span(t, "00000000000000a3");
        assertEquals(1749138355100000000L, o.startNs());
        assertEquals(0, o.durationNs());
    }

    @Test
    void theFullCopyWinsAndAnInnerOnlyObservationIsReported() throws Exception {
        String start = "2025-01-01T00:00:00Z";
        String end = "2025-01-01T00:00:01Z";
        String abbreviated = obs("00000000000000b1", null, "SPAN", start, end, ",\"metadata\":\"{}\"")
                .replace("\"span 00000000000000b1\"", "\"abbreviated\"");
        String onlyInside = obs("00000000000000b2", "00000000000000b1", "SPAN", start, end, "");
        String full = obs("00000000000000b1", null, "SPAN", start, end,
                ",\"metadata\":\"{\\\"attributes\\\":{\\\"k\\\":\\\"v\\\"}}\"");
        ImportReport r = importText("dedupe.json", export("", List.of(abbreviated, onlyInside), List.of(full)));
        assertEquals(2, r.spansAdded());
        assertEquals(0, r.duplicates(), "the copies are merged before they reach the workspace");
        assertEquals(1, r.warnings());
        assertEquals("line 1, trace.observations[1]", r.problems().get(0).location());
        assertTrue(r.problems().get(0).reason().startsWith("the observation has no full copy beside the trace"));
        SpanDetail s = span(trace(TRACE), "00000000000000b1");
        assertEquals("span 00000000000000b1", s.name());
        assertEquals("v", str(s, "k"));
    }

    @Test
    void aTraceAsThePublicApiReturnsItWithUuidIds() throws Exception {
        String uuid = "c3d1f0a2-7b6e-4c55-9e01-2f3a4b5c6d7e";
        String root = "{\"id\":\"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\",\"traceId\":\"" + uuid + "\","
                + "\"parentObservationId\":null,\"type\":\"SPAN\",\"name\":\"handler\",\"startTime\":"
                + "\"2024-05-01T10:00:00.000Z\",\"endTime\":\"2024-05-01T10:00:02.500Z\"}";
        String child = "{\"id\":\"1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d\",\"traceId\":\"" + uuid + "\","
                + "\"parentObservationId\":\"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\",\"type\":\"GENERATION\","
                + "\"name\":\"llm\",\"model\":\"gpt-4o-mini\",\"startTime\":\"2024-05-01T10:00:00.100Z\","
                + "\"endTime\":\"2024-05-01T10:00:02.000Z\",\"usageDetails\":{\"input\":7,\"output\":3}}";
        String text = "{\n\"id\":\"" + uuid + "\",\"name\":\"v2-trace\",\"timestamp\":\"2024-05-01T10:00:00.000Z\","
                + "\"htmlPath\":\"/project/p/traces/" + uuid + "\",\"observations\":[\n" + root + ",\n" + child
                + "\n],\"scores\":[]}";
        ImportReport r = importText("api-trace.json", text);
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("langfuse-json", r.format());
        assertEquals(2, r.spansAdded());
        // the UUID trace id is read as its hex digits; the 128-bit observation ids are mapped
        assertEquals(2, r.warnings(), r.problems().toString());
        assertEquals("line 3, observations[0]", r.problems().get(0).location());
        assertTrue(r.problems().get(0).reason().startsWith("span id '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' is not "
                + "hex"), r.problems().get(0).reason());
        TraceDetail t = trace("c3d1f0a27b6e4c559e012f3a4b5c6d7e");
        assertEquals(2, t.spans().size());
        SpanDetail h = t.spans().stream().filter(s -> s.name().equals("handler")).findFirst().orElseThrow();
        SpanDetail llm = t.spans().stream().filter(s -> s.name().equals("llm")).findFirst().orElseThrow();
        assertNull(h.parentSpanId());
        assertEquals(h.spanId(), llm.parentSpanId(), "the mapped parent id matches the mapped span id");
        assertEquals(IdResolver.mappedSpanId("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"), h.spanId());
        assertEquals("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", str(h, IdResolver.ORIGINAL_SPAN_ID));
        assertEquals("v2-trace", str(h, "langfuse.trace.name"));
        assertEquals("{\"input\":7,\"output\":3}", str(llm, "langfuse.observation.usage_details"));
        assertEquals(2_500_000_000L, h.durationNs());
    }

    @Test
    void observationsAsJsonLinesWithADamagedLine() throws Exception {
        String a = obs("00000000000000c1", null, "SPAN", "2025-01-01T00:00:00Z", "2025-01-01T00:00:01Z", "");
        String b = obs("00000000000000c2", "00000000000000c1", "TOOL", "2025-01-01T00:00:00.2Z",
                "2025-01-01T00:00:00.4Z", "");
        String c = obs("00000000000000c3", "00000000000000c1", "TOOL", "2025-01-01T00:00:00.5Z",
                "2025-01-01T00:00:00.6Z", "");
        ImportReport r = importText("observations.jsonl", a + "\n" + b.replace("\"name\":", "\"name\";") + "\n" + c
                + "\n");
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("langfuse-json", r.format());
        assertEquals(2, r.spansAdded());
        assertEquals(1, r.rejected());
        Problem p = r.problems().get(0);
        assertTrue(p.location().startsWith("line 2, column "), p.location());
        assertTrue(p.reason().startsWith("malformed JSON"), p.reason());
        TraceDetail t = trace(TRACE);
        assertEquals(span(t, "00000000000000c1").spanId(), span(t, "00000000000000c3").parentSpanId());
        assertEquals(100_000_000L, span(t, "00000000000000c3").durationNs());
        assertEquals("TOOL", str(span(t, "00000000000000c3"), "langfuse.observation.type"));
    }

    @Test
    void aPageOfObservations() throws Exception {
        String a = obs("00000000000000d1", null, "SPAN", "2025-01-01T00:00:00Z", "2025-01-01T00:00:01Z", "");
        String b = obs("00000000000000d2", "00000000000000d1", "AGENT", "2025-01-01T00:00:00Z",
                "2025-01-01T00:00:01Z", "");
        ImportReport r = importText("page.json", "{\"data\":[\n" + a + ",\n" + b + "\n],\"meta\":{\"page\":1,"
                + "\"totalItems\":2}}");
        assertEquals(2, r.spansAdded(), r.problems().toString());
        assertEquals(0, r.warnings());
        assertEquals("AGENT", str(span(trace(TRACE), "00000000000000d2"), "langfuse.observation.type"));
    }

    @Test
    void aTruncatedExportKeepsTheCompleteObservations() throws Exception {
        byte[] all = Files.readAllBytes(corpus("langfuse-framework-traces/llamaindex-2025-06-05.trace.json"));
        String text = new String(all, StandardCharsets.UTF_8);
        int cut = text.lastIndexOf("\"id\": \"7ca8b22f6628d0c7\"") + 200; // inside the last full copy
        ImportReport r = importText("cut.json", text.substring(0, cut));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(2, r.spansAdded(), r.problems().toString());
        assertEquals(1, r.rejected());
        assertEquals(1, r.warnings());
        Problem warn = r.problems().stream().filter(p -> p.severity() == Problem.Severity.WARNING).findFirst()
                .orElseThrow();
        assertEquals("line 1", warn.location());
        assertEquals("the input breaks off inside this trace export; the 2 complete observations read before the "
                + "damage were kept", warn.reason());
        Problem rej = r.problems().stream().filter(p -> p.severity() == Problem.Severity.REJECTED).findFirst()
                .orElseThrow();
        assertTrue(rej.location().startsWith("line "), rej.location());
        assertTrue(rej.reason().contains("ends early"), rej.reason());
        TraceDetail t = trace("12ea412956f99347b0503c1144acd0ec");
        // the root's full copy was complete; the generation's was cut, so its abbreviated copy was used
        assertEquals("user_123", str(span(t, "3344aabdd4e66110"), "user.id"));
        SpanDetail gen = span(t, "7ca8b22f6628d0c7");
        assertEquals(span(t, "3344aabdd4e66110").spanId(), gen.parentSpanId());
        assertNull(attr(gen, "llm.token_count.prompt"));
        assertEquals("gpt-4o", str(gen, "langfuse.observation.model.name"));
    }

    @Test
    void badTimesAndIdsAreLocated() throws Exception {
        String ok = obs("00000000000000e1", null, "SPAN", "2025-01-01T00:00:00Z", "2025-01-01T00:00:01Z", "");
        String badStart = obs("00000000000000e2", "00000000000000e1", "SPAN", "yesterday", "2025-01-01T00:00:01Z", "");
        String badEnd = obs("00000000000000e3", "00000000000000e1", "SPAN", "2025-01-01T00:00:00Z", null, "")
                .replace("\"endTime\":null", "\"endTime\":42");
        String noId = obs("00000000000000e4", "00000000000000e1", "SPAN", "2025-01-01T00:00:00Z",
                "2025-01-01T00:00:01Z", "").replace("\"id\":\"00000000000000e4\",", "");
        String textId = obs("step-5", "00000000000000e1", "SPAN", "2025-01-01T00:00:00Z", "2025-01-01T00:00:00.5Z",
                "");
        String badMeta = obs("00000000000000e6", "step-5", "SPAN", "2025-01-01T00:00:00Z", "2025-01-01T00:00:01Z",
                ",\"metadata\":\"plain words, not JSON\"");
        ImportReport r = importText("bad.json", export("", List.of(), List.of(ok, badStart, badEnd, noId, textId,
                badMeta)));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(4, r.spansAdded(), r.problems().toString());
        assertEquals(2, r.rejected(), r.problems().toString());
        assertEquals(2, r.warnings(), r.problems().toString());
        List<String> all = r.problems().stream().map(p -> p.severity().label() + " at " + p.location() + ": "
                + p.reason()).toList();
        assertTrue(all.contains("rejected at line 4, observations[1].startTime: startTime: 'yesterday' is not an "
                + "ISO-8601 timestamp"), all.toString());
        assertTrue(all.contains("warning at line 5, observations[2].endTime: endTime: expected an ISO-8601 timestamp "
                + "string, found an integer; the observation is kept with zero duration"), all.toString());
        assertTrue(all.contains("rejected at line 6, observations[3]: the observation has no id"), all.toString());
        assertTrue(all.contains("warning at line 7, observations[4]: span id 'step-5' is not hex of at most 16 digits;"
                + " mapped to a derived id (the original is kept as tracebench.original_span_id)"), all.toString());
        TraceDetail t = trace(TRACE);
        assertEquals(0, span(t, "00000000000000e3").durationNs());
        SpanDetail meta = span(t, "00000000000000e6");
        assertEquals(IdResolver.mappedSpanId("step-5"), meta.parentSpanId());
        assertEquals("plain words, not JSON", str(meta, "langfuse.observation.metadata"));
    }

    @Test
    void aTraceListWithObservationIdsIsExplained() throws Exception {
        String text = "{\"data\":[{\"id\":\"" + TRACE + "\",\"name\":\"t\",\"projectId\":\"p\",\"observations\":"
                + "[\"00000000000000f1\",\"00000000000000f2\"]}],\"meta\":{\"page\":1}}";
        ImportReport r = importText("list.json", text);
        assertEquals("langfuse-json", r.format());
        assertEquals(0, r.spansAdded());
        assertEquals(2, r.rejected());
        assertEquals("line 1, data[0].observations[0]", r.problems().get(0).location());
        assertEquals("expected an observation object, found a string (a trace list holds only observation ids: export "
                + "each trace with GET /api/public/traces/{id})", r.problems().get(0).reason());
    }

    @Test
    void anObjectThatIsNotAnExportIsRejectedWithItsFields() throws Exception {
        Path f = dir.resolve("other.json");
        Files.writeString(f, "[{\"foo\":1,\"bar\":[]}]");
        ImportReport r = imports.importFile(f, "langfuse-json", ProgressListener.NONE, CancellationToken.none());
        // read with a forced format and nothing in it valid: refused, naming the record (issue 10)
        assertEquals(ImportReport.Status.UNUSABLE, r.status());
        assertTrue(r.message().startsWith("read as Langfuse trace export (as the format was forced), nothing in it is "
                + "valid: line 1, [0]: expected a Langfuse trace export ({\"trace\": ..., \"observations\": [...]}), a "
                + "trace with observations or an observation; found an object with the fields foo, bar"), r.message());
    }
}
