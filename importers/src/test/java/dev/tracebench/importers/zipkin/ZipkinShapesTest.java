package dev.tracebench.importers.zipkin;

import static dev.tracebench.importers.zipkin.CorporaZipkinTest.attr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.FileImportService;
import dev.tracebench.importers.ImporterTestBase;
import dev.tracebench.importers.common.IdResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every shape Zipkin v2 JSON comes in gives the same spans; endpoints, special tags and the shared-span window. */
class ZipkinShapesTest extends ImporterTestBase {
    static final String TRACE_HEX = "0000000000000000463ac35c9f6413ad";

    /** A client, the shared server that answers it (with the same id), and a span of the server under that id. */
    static final String CLIENT = """
            {"traceId":"463ac35c9f6413ad","id":"a2fb4a1d1a96d312","name":"get /api","kind":"CLIENT",\
            "timestamp":1700000000000000,"duration":3000,"localEndpoint":{"serviceName":"frontend"},\
            "remoteEndpoint":{"serviceName":"backend","ipv4":"10.0.0.2","port":8080},"tags":{"http.method":"GET"}}""";
    static final String SERVER = """
            {"traceId":"463ac35c9f6413ad","id":"a2fb4a1d1a96d312","name":"get /api","kind":"SERVER",\
            "timestamp":1700000000000500,"duration":2000,"localEndpoint":{"serviceName":"backend","ipv4":"10.0.0.2",\
            "port":8080},"shared":true,"annotations":[{"timestamp":1700000000001000,"value":"ws"}]}""";
    static final String CHILD = """
            {"traceId":"463ac35c9f6413ad","parentId":"a2fb4a1d1a96d312","id":"0f1e2d3c4b5a6978","name":"select",\
            "kind":"CLIENT","timestamp":1700000000000800,"duration":900,"localEndpoint":{"serviceName":"backend"},\
            "remoteEndpoint":{"serviceName":"postgres"},"tags":{"db.statement":"select 1"}}""";

    static Map<String, String> shapes() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("list.json", "[\n" + CLIENT + ",\n" + CHILD + ",\n" + SERVER + "\n]\n");
        m.put("lists.json", "[[" + CLIENT + "],\n[" + CHILD + ",\n" + SERVER + "]]");
        m.put("spans.jsonl", CHILD + "\n" + SERVER + "\n" + CLIENT + "\n");
        m.put("lists.jsonl", "[" + CLIENT + "]\n[" + SERVER + "," + CHILD + "]\n");
        m.put("objects.json", CLIENT.replace("{\"traceId\"", "{\n\"traceId\"") + "\n"
                + SERVER.replace("{\"traceId\"", "{\n\"traceId\"") + "\n" + CHILD.replace("{\"traceId\"",
                        "{\n\"traceId\""));
        return m;
    }

    @Test
    void everyShapeImportsTheSameSpans() throws Exception {
        List<SpanDetail> expected = null;
        for (Map.Entry<String, String> e : shapes().entrySet()) {
            Path f = dir.resolve(e.getKey());
            Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
            try (Workspace w = Workspace.open(dir.resolve(e.getKey() + ".duckdb"))) {
                ImportReport r = new FileImportService(() -> w).importFile(f, ProgressListener.NONE,
                        CancellationToken.none());
                assertEquals(ImportReport.Status.IMPORTED, r.status(), e.getKey() + ": " + r.message());
                assertEquals("zipkin-json", r.format(), e.getKey());
                assertEquals(3, r.spansAdded(), e.getKey() + ": " + r.problems());
                assertEquals(0, r.warnings() + r.rejected(), e.getKey() + ": " + r.problems());
                List<SpanDetail> spans = w.traces().trace(TraceId.fromHex(TRACE_HEX)).orElseThrow().spans();
                if (expected == null) {
                    expected = spans;
                } else {
                    assertEquals(expected, spans, e.getKey());
                }
            }
        }
    }

    @Test
    void theSharedServerMovesUnderItsClientWhateverTheOrder() throws Exception {
        ImportReport r = importText("spans.jsonl", shapes().get("spans.jsonl"));
        assertEquals(3, r.spansAdded(), r.problems().toString());
        TraceDetail t = trace(TRACE_HEX);
        SpanDetail client = span(t, "a2fb4a1d1a96d312");
        assertNull(client.parentSpanId());
        assertEquals(SpanKind.CLIENT, client.kind());
        assertEquals("frontend", client.serviceName());
        assertEquals(List.of(Attribute.of("http.method", "GET"), Attribute.of("peer.service", "backend"),
                Attribute.of("network.peer.address", "10.0.0.2"), Attribute.of("network.peer.port", 8080)),
                client.attributes());
        long derived = IdResolver.mappedSpanId("a2fb4a1d1a96d312:shared:backend:1700000000000500000");
        SpanDetail server = t.spans().stream().filter(s -> s.spanId() == derived).findFirst().orElseThrow();
        assertEquals(client.spanId(), server.parentSpanId());
        assertEquals(SpanKind.SERVER, server.kind());
        assertEquals("backend", server.serviceName());
        assertEquals(List.of(Attribute.of("network.local.address", "10.0.0.2"),
                Attribute.of("network.local.port", 8080), Attribute.of("zipkin.shared", true),
                Attribute.of(IdResolver.ORIGINAL_SPAN_ID, "a2fb4a1d1a96d312")), server.attributes());
        assertEquals(1_700_000_000_001_000_000L, server.events().get(0).timeNs());
        assertEquals("ws", server.events().get(0).name());
        SpanDetail child = span(t, "0f1e2d3c4b5a6978");
        assertEquals(derived, child.parentSpanId(), "the child runs in the server's service");
        assertEquals(new AttributeValue.Str("postgres"), attr(child, "peer.service"));
        assertEquals(2, count("SELECT count(*) FROM resources"));
    }

    @Test
    void withoutItsClientASharedSpanKeepsItsIdAndParent() throws Exception {
        ImportReport r = importText("server.json", "[" + SERVER.replace("\"id\"",
                "\"parentId\":\"1111111111111111\",\"id\"") + "," + CHILD + "]");
        assertEquals(2, r.spansAdded());
        TraceDetail t = trace(TRACE_HEX);
        SpanDetail server = span(t, "a2fb4a1d1a96d312");
        assertEquals(Ids.parseSpanId("1111111111111111"), server.parentSpanId());
        assertNull(attr(server, IdResolver.ORIGINAL_SPAN_ID));
        assertEquals(server.spanId(), span(t, "0f1e2d3c4b5a6978").parentSpanId());
    }

    @Test
    void otelTagsDebugAndEndpointDetails() throws Exception {
        String span = """
                {"traceId":"0af7651916cd43dd8448eb211c80319c","id":"b7ad6b7169203331","name":"chat",\
                "timestamp":1700000000000000.5,"duration":"1500.25","debug":true,"shared":false,\
                "localEndpoint":{"serviceName":"rag","ipv4":"10.1.1.1","ipv6":"::2","port":0},\
                "remoteEndpoint":{"serviceName":"openai","ipv6":"2001:db8::1","port":"443"},\
                "tags":{"span.kind":"producer","otel.status_code":"OK","otel.status_description":"fine",\
                "otel.scope.name":"openinference.instrumentation.openai","otel.scope.version":"0.1.0",\
                "w3c.tracestate":"rojo=00f067aa0ba902b7","peer.service":"api.openai.com","gen_ai.usage.input_tokens":52,\
                "flag":true,"nothing":null}}""";
        ImportReport r = importText("one.json", span);
        assertEquals(1, r.spansAdded(), r.problems().toString());
        assertEquals(0, r.warnings(), r.problems().toString());
        TraceDetail t = trace("0af7651916cd43dd8448eb211c80319c");
        SpanDetail s = span(t, "b7ad6b7169203331");
        assertEquals(SpanKind.PRODUCER, s.kind(), "the span.kind tag when there is no kind");
        assertEquals(StatusCode.OK, s.status());
        assertEquals("fine", s.statusMessage());
        assertEquals("rojo=00f067aa0ba902b7", s.traceState());
        assertEquals("openinference.instrumentation.openai", t.scopes().get(s.scopeId()).name());
        assertEquals("0.1.0", t.scopes().get(s.scopeId()).version());
        assertEquals(1_700_000_000_000_000_500L, s.startNs(), "decimal microseconds");
        assertEquals(1_500_250L, s.durationNs());
        assertEquals(List.of(Attribute.of("peer.service", "api.openai.com"),
                Attribute.of("gen_ai.usage.input_tokens", "52"), Attribute.of("flag", "true"),
                Attribute.of("network.local.address", "10.1.1.1"), Attribute.of("zipkin.local_endpoint.ipv6", "::2"),
                Attribute.of("network.peer.address", "2001:db8::1"), Attribute.of("network.peer.port", 443),
                Attribute.of("zipkin.debug", true), Attribute.of("zipkin.shared", false)), s.attributes(),
                "a tag wins over the endpoint's peer.service; port 0 means none; numbers are kept as text");
        assertEquals(52L, s.llm().inputTokens(), "the normaliser still reads the token count");
    }

    @Test
    void anErrorTagWinsOverOtelStatusAndFalseIsNoError() throws Exception {
        String base = "{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"id\":\"%s\",\"timestamp\":1,"
                + "\"duration\":1,\"tags\":%s}";
        ImportReport r = importText("errors.jsonl", String.join("\n",
                String.format(base, "0000000000000001", "{\"error\":\"true\",\"otel.status_code\":\"OK\"}"),
                String.format(base, "0000000000000002", "{\"error\":\"false\"}"),
                String.format(base, "0000000000000003", "{\"error\":\"boom\",\"otel.status_description\":\"b\"}"),
                String.format(base, "0000000000000004", "{\"otel.status_code\":\"STATUS_CODE_ERROR\"}"))
                + "\n");
        assertEquals(4, r.spansAdded(), r.problems().toString());
        TraceDetail t = trace("0af7651916cd43dd8448eb211c80319c");
        SpanDetail one = span(t, "0000000000000001");
        assertEquals(StatusCode.ERROR, one.status());
        assertNull(one.statusMessage());
        assertEquals(List.of(), one.attributes());
        SpanDetail two = span(t, "0000000000000002");
        assertEquals(StatusCode.UNSET, two.status());
        assertEquals(List.of(Attribute.of("error", "false")), two.attributes());
        assertEquals("b", span(t, "0000000000000003").statusMessage());
        assertEquals(StatusCode.ERROR, span(t, "0000000000000004").status());
        assertEquals(SpanKind.INTERNAL, one.kind());
        assertEquals("unknown_service", one.serviceName());
    }

    @Test
    void aClientAndItsServerInDifferentWindowsAreReportedAsADuplicate() throws Exception {
        StringBuilder sb = new StringBuilder(CLIENT).append('\n');
        for (int i = 1; i < ZipkinReader.WINDOW; i++) {
            sb.append("{\"traceId\":\"463ac35c9f6413ad\",\"parentId\":\"a2fb4a1d1a96d312\",\"id\":\"")
                    .append(String.format("%016x", i)).append("\",\"timestamp\":1,\"duration\":1}\n");
        }
        sb.append(SERVER).append('\n');
        ImportReport r = importText("big.jsonl", sb.toString());
        assertEquals(ZipkinReader.WINDOW + 1, r.spansRead());
        assertEquals(ZipkinReader.WINDOW, r.spansAdded());
        assertEquals(1, r.duplicates());
        assertTrue(r.problems().get(0).reason().contains("a2fb4a1d1a96d312 of trace " + TRACE_HEX
                + " appears again in this file"), r.problems().toString());
        assertEquals("line 10001", r.problems().get(0).location());
    }
}
