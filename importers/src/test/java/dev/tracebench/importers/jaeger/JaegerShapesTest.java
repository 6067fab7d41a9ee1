package dev.tracebench.importers.jaeger;

import static dev.tracebench.importers.jaeger.CorporaJaegerTest.attr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
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
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.FileImportService;
import dev.tracebench.importers.ImporterTestBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every shape Jaeger JSON comes in gives the same spans; the mapping of tags, logs and references. */
class JaegerShapesTest extends ImporterTestBase {
    static final String TRACE_HEX = "00000000000000000000000000abcdef";

    /**
     * One trace, compact and on one line: spans before processes, ids with their leading zeros stripped, every tag
     * type, logs, both reference types and a reference to another trace.
     */
    static final String TRACE = ("""
            {"traceID":"abcdef","spans":[
            {"traceID":"abcdef","spanID":"a1","operationName":"GET /chat","references":[],
             "startTime":1700000000000000,"duration":2500000,"flags":1,
             "tags":[{"key":"span.kind","type":"string","value":"server"},
                     {"key":"http.status","type":"int64","value":"200"},
                     {"key":"ratio","type":"float64","value":0.25},
                     {"key":"cached","type":"bool","value":false},
                     {"value":"AQID","key":"blob","type":"binary"},
                     {"key":"big","type":"int64","value":9007199254740993},
                     {"key":"w3c.tracestate","type":"string","value":"vendor=1"}],
             "logs":[],"processID":"p1","warnings":null},
            {"traceID":"abcdef","spanID":"b2","operationName":"chat gpt-4o",
             "references":[{"refType":"CHILD_OF","traceID":"abcdef","spanID":"a1"}],
             "startTime":1700000000100000,"duration":2000000.5,"flags":3,
             "tags":[{"key":"span.kind","type":"string","value":"client"},
                     {"key":"otel.scope.name","type":"string","value":"openinference.instrumentation.openai"},
                     {"key":"otel.scope.version","type":"string","value":"0.1.2"},
                     {"key":"otel.status_code","type":"string","value":"ERROR"},
                     {"key":"otel.status_description","type":"string","value":"rate limited"},
                     {"key":"gen_ai.usage.input_tokens","type":"int64","value":52}],
             "logs":[{"timestamp":1700000000200000,"fields":[{"key":"event","type":"string",
                       "value":"gen_ai.content.prompt"},{"key":"gen_ai.prompt","type":"string","value":"hi"}]},
                     {"timestamp":1700000000300000,"fields":[{"key":"retry","type":"int64","value":1}]}],
             "processID":"p2"},
            {"traceID":"abcdef","spanID":"c3","operationName":"enqueue",
             "references":[{"refType":"FOLLOWS_FROM","traceID":"abcdef","spanID":"a1"},
                           {"refType":"CHILD_OF","traceID":"abcdef","spanID":"b2"},
                           {"refType":"CHILD_OF","traceID":"0af7651916cd43dd8448eb211c80319c",
                            "spanID":"b7ad6b7169203331"}],
             "startTime":1700000000150000,"duration":10,"tags":[],"logs":[],"processID":"p2"}],
            "processes":{"p1":{"serviceName":"gateway","tags":[{"key":"hostname","type":"string","value":"gw-1"}]},
                         "p2":{"serviceName":"rag-api","tags":[{"key":"ip","type":"string","value":"10.0.0.7"}]}},
            "warnings":null}
            """).replace("\n", "").replace("  ", "");

    static Map<String, String> shapes() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("download.json", "{\"data\":[\n" + TRACE + "\n]}");
        m.put("api.json", "{\n  \"data\": [" + TRACE + "],\n  \"total\": 0,\n  \"limit\": 0,\n  \"offset\": 0,\n"
                + "  \"errors\": null\n}\n");
        m.put("single.json", TRACE.replace("{\"traceID\":\"abcdef\",\"spans\"",
                "{\n\"_comment\":\"saved by hand\",\n\"traceID\":\"abcdef\",\"spans\""));
        m.put("array.json", "[\n" + TRACE + "\n]\n");
        m.put("lines.jsonl", TRACE + "\n");
        m.put("redux.json", "{\"id\":\"abcdef\",\n\"state\":\"FETCH_DONE\",\n\"data\":" + TRACE + "}");
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
                assertEquals("jaeger-json", r.format(), e.getKey());
                assertEquals(3, r.spansAdded(), e.getKey());
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
    void tagsLogsAndReferencesMapToOpenTelemetry() throws Exception {
        ImportReport r = importText("download.json", shapes().get("download.json"));
        assertEquals(3, r.spansAdded(), r.problems().toString());
        TraceDetail t = trace(TRACE_HEX);

        SpanDetail root = span(t, "00000000000000a1");
        assertNull(root.parentSpanId());
        assertEquals(SpanKind.SERVER, root.kind());
        assertEquals(1_700_000_000_000_000_000L, root.startNs());
        assertEquals(2_500_000_000L, root.durationNs());
        assertEquals("vendor=1", root.traceState());
        assertEquals(1, root.flags());
        assertEquals(new AttributeValue.Int(200), attr(root, "http.status"), "int64 written as a string");
        assertEquals(new AttributeValue.Dbl(0.25), attr(root, "ratio"));
        assertEquals(new AttributeValue.Bool(false), attr(root, "cached"));
        assertArrayEquals(new byte[] {1, 2, 3}, ((AttributeValue.Bytes) attr(root, "blob")).value(),
                "binary is base64, and the value may come before the type");
        assertEquals(new AttributeValue.Int(9007199254740993L), attr(root, "big"), "beyond a double's precision");
        assertEquals(5, root.attributes().size(), "span.kind and w3c.tracestate are fields now");
        assertEquals("gateway", root.serviceName());
        assertEquals(List.of(Attribute.of("service.name", "gateway"), Attribute.of("hostname", "gw-1")),
                t.resources().get(root.resourceId()).attributes());

        SpanDetail chat = span(t, "00000000000000b2");
        assertEquals(root.spanId(), chat.parentSpanId());
        assertEquals(SpanKind.CLIENT, chat.kind());
        assertEquals(1_700_000_000_100_000_000L, chat.startNs());
        assertEquals(2_000_000_500L, chat.durationNs(), "sub-microsecond digits are kept");
        assertEquals(StatusCode.ERROR, chat.status());
        assertEquals("rate limited", chat.statusMessage());
        assertEquals("openinference.instrumentation.openai", t.scopes().get(chat.scopeId()).name());
        assertEquals("0.1.2", t.scopes().get(chat.scopeId()).version());
        assertEquals(1, chat.flags(), "only the sampled bit is a W3C flag");
        assertEquals(List.of(Attribute.of("gen_ai.usage.input_tokens", 52), Attribute.of("jaeger.debug", true)),
                chat.attributes());
        assertEquals(List.of(
                new SpanEventData(1_700_000_000_200_000_000L, "gen_ai.content.prompt",
                        List.of(Attribute.of("gen_ai.prompt", "hi")), 0),
                new SpanEventData(1_700_000_000_300_000_000L, "log", List.of(Attribute.of("retry", 1)), 0)),
                chat.events());
        assertEquals("rag-api", chat.serviceName());
        assertEquals(List.of(Attribute.of("service.name", "rag-api"), Attribute.of("ip", "10.0.0.7")),
                t.resources().get(chat.resourceId()).attributes());

        // the first CHILD_OF is the parent even after a FOLLOWS_FROM; the other references are links
        SpanDetail enqueue = span(t, "00000000000000c3");
        assertEquals(chat.spanId(), enqueue.parentSpanId());
        assertEquals(10_000L, enqueue.durationNs());
        assertEquals(SpanKind.UNSPECIFIED, enqueue.kind());
        assertEquals(List.of(
                new SpanLinkData(t.traceId(), root.spanId(), null, 0,
                        List.of(Attribute.of("jaeger.ref_type", "FOLLOWS_FROM")), 0),
                new SpanLinkData(TraceId.fromHex("0af7651916cd43dd8448eb211c80319c"),
                        Ids.parseSpanId("b7ad6b7169203331"), null, 0,
                        List.of(Attribute.of("jaeger.ref_type", "CHILD_OF")), 0)),
                enqueue.links());
        assertEquals("", t.scopes().get(enqueue.scopeId()).name());
        assertEquals(2, count("SELECT count(*) FROM resources"));
    }

    @Test
    void jsonLinesOfSeveralTracesAndOlderScopeTags() throws Exception {
        String second = TRACE.replace("abcdef", "fedcba").replace("otel.scope.name", "otel.library.name")
                .replace("otel.scope.version", "otel.library.version");
        ImportReport r = importText("traces.jsonl", TRACE + "\n\n" + second + "\n");
        assertEquals(6, r.spansAdded(), r.problems().toString());
        assertEquals(2, ws.traces().stats().traces());
        SpanDetail chat = span(trace("00000000000000000000000000fedcba"), "00000000000000b2");
        TraceDetail t = trace("00000000000000000000000000fedcba");
        assertEquals("openinference.instrumentation.openai", t.scopes().get(chat.scopeId()).name());
        assertEquals("0.1.2", t.scopes().get(chat.scopeId()).version());
        assertEquals(2, count("SELECT count(*) FROM scopes"), "the same scope, written both ways, and ''");
    }

    @Test
    void processesBeforeSpansAndProcessEmbeddedInTheSpan() throws Exception {
        String json = """
                {"traceID":"1","processes":{"p1":{"serviceName":"early","tags":[]}},
                 "spans":[{"traceID":"1","spanID":"1","operationName":"a","startTime":1,"duration":1,"processID":"p1"},
                          {"traceID":"1","spanID":"2","operationName":"b","startTime":1,"duration":1,
                           "references":[{"traceID":"1","spanID":"1"}],
                           "process":{"serviceName":"embedded","tags":[{"key":"k","type":"int64","value":7}]}}]}
                """;
        ImportReport r = importText("early.json", json);
        assertEquals(2, r.spansAdded(), r.problems().toString());
        assertEquals(0, r.warnings());
        TraceDetail t = trace("00000000000000000000000000000001");
        assertEquals("early", span(t, "0000000000000001").serviceName());
        SpanDetail b = span(t, "0000000000000002");
        assertEquals("embedded", b.serviceName());
        assertEquals(List.of(Attribute.of("service.name", "embedded"), Attribute.of("k", 7)),
                t.resources().get(b.resourceId()).attributes());
        assertEquals(1L, b.parentSpanId(), "a reference without refType is CHILD_OF");
        assertEquals(1_000L, b.startNs());
    }

    @Test
    void theQueryApisErrorsAreReported() throws Exception {
        ImportReport r = importText("api.json", "{\"data\":[" + TRACE + "],\"total\":2,\"limit\":0,\"offset\":0,"
                + "\"errors\":[{\"code\":404,\"msg\":\"trace not found\",\"traceID\":\"0102\"}]}");
        assertEquals(3, r.spansAdded());
        assertEquals(1, r.warnings());
        assertEquals("line 1, errors[0]", r.problems().get(0).location());
        assertEquals("the Jaeger query reported an error 404 for trace 0102: trace not found; what it returned was "
                + "imported", r.problems().get(0).reason());
    }

    @Test
    void theApiV3ResponseIsLeftToOtlp() throws Exception {
        ImportReport r = importText("v3.json", "{\"result\":{\"resourceSpans\":[{\"resource\":{\"attributes\":[]},"
                + "\"scopeSpans\":[{\"scope\":{},\"spans\":[{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\","
                + "\"spanId\":\"b7ad6b7169203331\",\"name\":\"x\",\"startTimeUnixNano\":\"1\","
                + "\"endTimeUnixNano\":\"2\"}]}]}]}}");
        assertEquals("otlp-json", r.format());
        assertEquals(1, r.spansAdded());
        assertEquals(0, new JaegerJsonFormat().sniff(CorporaJaegerTest.head(dir.resolve("v3.json"))));
        assertTrue(new JaegerJsonFormat().sniff(CorporaJaegerTest.head(writeTrace())) >= 90);
    }

    private Path writeTrace() throws Exception {
        Path f = dir.resolve("t.json");
        Files.writeString(f, TRACE);
        return f;
    }
}
