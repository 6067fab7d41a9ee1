package dev.tracebench.importers.oteljs;

import static dev.tracebench.importers.oteljs.OtelJsCorporaTest.attr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.SpanLinkData;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.importers.ImporterTestBase;
import dev.tracebench.importers.common.IdResolver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The other shapes of OTel JS span dumps, the fields the corpora lack, and damaged input. */
class OtelJsShapesTest extends ImporterTestBase {
    static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    /** A minimal span on one line: ids, name, times in whole seconds since 1,700,000,000. */
    static String span(String id, String extra) {
        return "{\"name\":\"op " + id + "\",\"spanContext\":{\"traceId\":\"" + TRACE + "\",\"spanId\":\"" + id
                + "\"},\"startTime\":[1700000000,500],\"endTime\":[1700000001,0],\"attributes\":{},\"status\":"
                + "{\"code\":0},\"events\":[]" + extra + "}";
    }

    @Test
    void aFullSdk2SpanWithParentKindStatusLinksResourceAndScope() throws Exception {
        String text = "{\n"
                + "  \"name\": \"POST /v1/chat/completions\",\n"
                + "  \"kind\": 2,\n"
                + "  \"spanContext\": {\"traceId\": \"" + TRACE + "\", \"spanId\": \"b7ad6b7169203331\", "
                + "\"traceFlags\": 1},\n"
                + "  \"parentSpanContext\": {\"traceId\": \"" + TRACE + "\", \"spanId\": \"00f067aa0ba902b7\"},\n"
                + "  \"startTime\": [1700000000, 123456789],\n"
                + "  \"endTime\": [1700000002, 23456789],\n"
                + "  \"status\": {\"code\": 2, \"message\": \"429 Too Many Requests\"},\n"
                + "  \"attributes\": {\"http.response.status_code\": 429, \"retry\": true, \"ratio\": 0.25, "
                + "\"tags\": [\"a\", \"b\"], \"skipped\": null},\n"
                + "  \"events\": [{\"name\": \"exception\", \"time\": [1700000002, 0], \"attributes\": "
                + "{\"exception.type\": \"RateLimitError\"}, \"droppedAttributesCount\": 0}],\n"
                + "  \"links\": [{\"context\": {\"traceId\": \"4bf92f3577b34da6a3ce929d0e0e4736\", \"spanId\": "
                + "\"00f067aa0ba902b8\"}, \"attributes\": {\"link.kind\": \"retry-of\"}}],\n"
                + "  \"resource\": {\"attributes\": {\"service.name\": \"chat-web\", \"process.pid\": 4242}},\n"
                + "  \"instrumentationScope\": {\"name\": \"@opentelemetry/instrumentation-undici\", \"version\": "
                + "\"0.6.0\"},\n"
                + "  \"droppedAttributesCount\": 3,\n"
                + "  \"duration\": [1, 900000000],\n"
                + "  \"ended\": true\n"
                + "}\n";
        ImportReport r = importText("single.json", text);
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("oteljs-json", r.format());
        assertEquals(1, r.spansAdded());
        assertEquals(0, r.warnings(), r.problems().toString());
        TraceDetail t = trace(TRACE);
        SpanDetail s = span(t, "b7ad6b7169203331");
        assertEquals(Ids.parseSpanId("00f067aa0ba902b7"), s.parentSpanId());
        assertEquals(SpanKind.CLIENT, s.kind(), "the JS enum counts from INTERNAL = 0");
        assertEquals(StatusCode.ERROR, s.status());
        assertEquals("429 Too Many Requests", s.statusMessage());
        assertEquals(1700000000123456789L, s.startNs());
        assertEquals(1_900_000_000L, s.durationNs());
        assertEquals(1, s.flags());
        assertEquals(3, s.droppedAttributesCount());
        assertEquals(List.of(Attribute.of("http.response.status_code", 429), Attribute.of("retry", true),
                Attribute.of("ratio", 0.25), new Attribute("tags", new AttributeValue.Array(List.of(
                        new AttributeValue.Str("a"), new AttributeValue.Str("b"))))), s.attributes(),
                "typed by JSON type; a null value is dropped");
        assertEquals(List.of(new SpanEventData(1700000002000000000L, "exception",
                List.of(Attribute.of("exception.type", "RateLimitError")), 0)), s.events());
        assertEquals(List.of(new SpanLinkData(TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736"),
                Ids.parseSpanId("00f067aa0ba902b8"), null, 0, List.of(Attribute.of("link.kind", "retry-of")), 0)),
                s.links());
        assertEquals("chat-web", s.serviceName());
        assertEquals(List.of(Attribute.of("service.name", "chat-web"), Attribute.of("process.pid", 4242)),
                t.resources().get(s.resourceId()).attributes());
        assertEquals("@opentelemetry/instrumentation-undici", t.scopes().get(s.scopeId()).name());
        assertEquals("0.6.0", t.scopes().get(s.scopeId()).version());
    }

    @Test
    void sdk1FieldNamesAndAnEndFromTheDuration() throws Exception {
        String text = "[" + span("0000000000000001", ",\"kind\":0,\"instrumentationLibrary\":{\"name\":\"lib\","
                + "\"version\":\"1.0\"}") + ",\n" + span("0000000000000002", ",\"parentSpanId\":\"0000000000000001\","
                + "\"kind\":4").replace("\"endTime\":[1700000001,0]", "\"duration\":[0,250]") + "]";
        ImportReport r = importText("sdk1.json", text);
        assertEquals(2, r.spansAdded(), r.problems().toString());
        assertEquals(0, r.warnings(), r.problems().toString());
        TraceDetail t = trace(TRACE);
        SpanDetail root = span(t, "0000000000000001");
        assertEquals(SpanKind.INTERNAL, root.kind());
        assertEquals("lib", t.scopes().get(root.scopeId()).name());
        SpanDetail child = span(t, "0000000000000002");
        assertEquals(root.spanId(), child.parentSpanId());
        assertEquals(SpanKind.CONSUMER, child.kind());
        assertEquals(1700000000000000500L, child.startNs());
        assertEquals(250, child.durationNs());
    }

    @Test
    void jsonLinesWithADamagedLine() throws Exception {
        String text = span("0000000000000001", "") + "\n" + span("0000000000000002", "").replace("\"name\":", "\"name\";")
                + "\n" + span("0000000000000003", "") + "\n";
        ImportReport r = importText("spans.jsonl", text);
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("oteljs-json", r.format());
        assertEquals(2, r.spansAdded());
        assertEquals(1, r.rejected());
        assertTrue(r.problems().get(0).location().startsWith("line 2, column "), r.problems().get(0).location());
        assertTrue(r.problems().get(0).reason().startsWith("malformed JSON"), r.problems().get(0).reason());
        assertEquals(2, trace(TRACE).spans().size());
    }

    @Test
    void aKeyedObjectWithSingleSpansAndABadValue() throws Exception {
        String text = "{\"first\": " + span("0000000000000001", "") + ",\n\"second\": [" + span("0000000000000002", "")
                + "],\n\"third\": 42}";
        ImportReport r = importText("keyed.json", text);
        assertEquals(2, r.spansAdded());
        assertEquals(1, r.rejected());
        assertEquals("line 3, [\"third\"]", r.problems().get(0).location());
        assertEquals("expected a span or an array of spans, found an integer", r.problems().get(0).reason());
    }

    @Test
    void aTruncatedArrayKeepsTheSpansBeforeTheCut() throws Exception {
        String text = "[\n" + span("0000000000000001", "") + ",\n" + span("0000000000000002", "") + ",\n"
                + span("0000000000000003", "");
        ImportReport r = importText("cut.json", text.substring(0, text.length() - 40));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(2, r.spansAdded());
        assertEquals(1, r.rejected());
        Problem p = r.problems().get(0);
        assertTrue(p.location().startsWith("line 4, column "), p.location());
        assertEquals("the JSON ends early (the file looks truncated); the rest of the file was not read", p.reason());
    }

    @Test
    void badTimesIdsKindAndStatusAreLocated() throws Exception {
        String text = "[\n"
                + span("0000000000000001", "").replace("[1700000000,500]", "\"yesterday\"") + ",\n"
                + span("0000000000000002", "").replace("[1700000001,0]", "[1700000001]") + ",\n"
                + span("0000000000000003", "").replace(",\"startTime\":[1700000000,500],\"endTime\":[1700000001,0]",
                        "") + ",\n"
                + span("not-a-span-id", ",\"kind\":9") + ",\n"
                + span("0000000000000005", "").replace("{\"code\":0}", "{\"code\":7}") + ",\n"
                + span("0000000000000006", ",\"events\":[{\"name\":\"e\",\"time\":\"soon\"}]") + ",\n"
                + span("0000000000000007", "").replace("\"spanId\":\"0000000000000007\"", "\"spanId\":{}") + "\n]";
        ImportReport r = importText("bad.json", text);
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(5, r.spansAdded(), r.problems().toString());
        assertEquals(2, r.rejected(), r.problems().toString());
        List<String> all = r.problems().stream().map(Problem::toString).toList();
        assertTrue(all.contains("rejected at line 2, [0].startTime: expected [seconds, nanoseconds], found a string "
                + "'yesterday'"), all.toString());
        assertTrue(all.contains("warning at line 3, [1].endTime: expected [seconds, nanoseconds], found an array of 1 "
                + "numbers; ignored"), all.toString());
        assertTrue(all.contains("warning at line 3, [1]: the span has no endTime; it is kept with zero duration"),
                all.toString());
        assertTrue(all.contains("warning at line 4, [2]: the span has no startTime; it is kept with time 0"),
                all.toString());
        assertTrue(all.contains("warning at line 5, [3].kind: kind 9 is not a SpanKind of the JS SDK (0 to 4); kept "
                + "as unspecified"), all.toString());
        assertTrue(all.contains("warning at line 5, [3]: span id 'not-a-span-id' is not hex of at most 16 digits; "
                + "mapped to a derived id (the original is kept as tracebench.original_span_id)"), all.toString());
        assertTrue(all.contains("warning at line 6, [4].status.code: status code '7' is not 0 (unset), 1 (ok) or 2 "
                + "(error); the status is left unset"), all.toString());
        assertTrue(all.contains("warning at line 7, [5].events[0].time: expected [seconds, nanoseconds], found a "
                + "string 'soon'; the event was skipped"), all.toString());
        assertTrue(all.contains("rejected at line 8, [6].spanContext.spanId: expected a hex string, found an object"),
                all.toString());
        TraceDetail t = trace(TRACE);
        SpanDetail mapped = t.spans().stream().filter(s -> s.name().equals("op not-a-span-id")).findFirst()
                .orElseThrow();
        assertEquals(IdResolver.mappedSpanId("not-a-span-id"), mapped.spanId());
        assertEquals(new AttributeValue.Str("not-a-span-id"), attr(mapped, IdResolver.ORIGINAL_SPAN_ID));
        assertEquals(SpanKind.UNSPECIFIED, mapped.kind());
        assertEquals(0, span(t, "0000000000000002").durationNs());
        assertEquals(0, span(t, "0000000000000003").startNs());
        assertEquals(StatusCode.UNSET, span(t, "0000000000000005").status());
        assertTrue(span(t, "0000000000000006").events().isEmpty());
        assertNull(span(t, "0000000000000006").parentSpanId());
    }
}
