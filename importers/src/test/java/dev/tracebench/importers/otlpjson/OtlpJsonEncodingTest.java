package dev.tracebench.importers.otlpjson;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import dev.tracebench.importers.ImporterTestBase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OTLP/JSON encoding as the specification gives it, feature by feature. */
class OtlpJsonEncodingTest extends ImporterTestBase {
    static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    /** One span as OTLP/JSON, with the given extra span fields. */
    static String doc(String spanFields) {
        return """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},
             "scopeSpans":[{"scope":{"name":"lib"},"spans":[{"traceId":"%s","spanId":"b7ad6b7169203331",
             "name":"op","startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000250000000"%s}]}]}]}
            """.formatted(TRACE, spanFields.isEmpty() ? "" : "," + spanFields);
    }

    private SpanDetail onlySpan() {
        TraceDetail t = trace(TRACE);
        assertEquals(1, t.spans().size());
        return t.spans().get(0);
    }

    @Test
    void everyAnyValueKindKeepsItsType() throws Exception {
        ImportReport r = importText("types.json", doc("""
            "attributes":[
             {"key":"s","value":{"stringValue":"text"}},
             {"key":"b","value":{"boolValue":true}},
             {"key":"i_string","value":{"intValue":"-9223372036854775808"}},
             {"key":"i_number","value":{"intValue":42}},
             {"key":"d","value":{"doubleValue":0.25}},
             {"key":"d_int","value":{"doubleValue":3}},
             {"key":"d_nan","value":{"doubleValue":"NaN"}},
             {"key":"bytes","value":{"bytesValue":"AAEC/w=="}},
             {"key":"arr","value":{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":"2"},{"boolValue":false}]}}},
             {"key":"kv","value":{"kvlistValue":{"values":[{"key":"k1","value":{"doubleValue":1.5}},
               {"key":"nested","value":{"kvlistValue":{"values":[{"key":"deep","value":{"stringValue":"x"}}]}}}]}}},
             {"key":"empty","value":{}}
            ]"""));
        assertEquals(0, r.rejected());
        assertEquals(0, r.warnings());
        List<Attribute> a = onlySpan().attributes();
        assertEquals(11, a.size());
        assertEquals(new AttributeValue.Str("text"), a.get(0).value());
        assertEquals(new AttributeValue.Bool(true), a.get(1).value());
        assertEquals(new AttributeValue.Int(Long.MIN_VALUE), a.get(2).value());
        assertEquals(new AttributeValue.Int(42), a.get(3).value());
        assertEquals(new AttributeValue.Dbl(0.25), a.get(4).value());
        assertEquals(new AttributeValue.Dbl(3.0), a.get(5).value(), "a doubleValue written as 3 is still a double");
        assertTrue(Double.isNaN(((AttributeValue.Dbl) a.get(6).value()).value()));
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, ((AttributeValue.Bytes) a.get(7).value()).value());
        assertEquals(new AttributeValue.Array(List.of(new AttributeValue.Str("a"), new AttributeValue.Int(2),
                new AttributeValue.Bool(false))), a.get(8).value());
        assertEquals(new AttributeValue.KvList(List.of(Attribute.of("k1", 1.5), new Attribute("nested",
                new AttributeValue.KvList(List.of(Attribute.of("deep", "x")))))), a.get(9).value());
        assertEquals(new AttributeValue.Empty(), a.get(10).value());
        // typed values are queryable with SQL, too
        assertEquals(42, count("SELECT CAST(attr(attributes, 'i_number') AS BIGINT) FROM spans"));
        assertEquals("DOUBLE", rows("SELECT json_type(attributes, '$.d_int') FROM spans").get(0).get(0));
    }

    @Test
    void idsInAnyCaseInt64AsNumbersAndEnumsAsIntegersOrNames() throws Exception {
        String json = doc("""
            "parentSpanId":"00F067AA0BA902B7","kind":3,"flags":257,"traceState":"vendor=1",
            "status":{"code":2,"message":"upstream said no"}""")
                .replace("0af7651916cd43dd8448eb211c80319c", "0AF7651916CD43DD8448eb211c80319c")
                .replace("\"1700000000000000000\"", "1700000000000000000");
        ImportReport r = importText("case.json", json);
        assertEquals(1, r.spansAdded(), r.problems().toString());
        SpanDetail s = onlySpan();
        assertEquals(Ids.parseSpanId("00f067aa0ba902b7"), s.parentSpanId());
        assertEquals(SpanKind.CLIENT, s.kind());
        assertEquals(257, s.flags());
        assertEquals("vendor=1", s.traceState());
        assertEquals(StatusCode.ERROR, s.status());
        assertEquals("upstream said no", s.statusMessage());
        assertEquals(1700000000000000000L, s.startNs());

        importText("names.json", doc("\"kind\":\"SPAN_KIND_PRODUCER\",\"status\":{\"code\":\"STATUS_CODE_OK\"}")
                .replace("b7ad6b7169203331", "b7ad6b7169203332"));
        SpanDetail named = span(trace(TRACE), "b7ad6b7169203332");
        assertEquals(SpanKind.PRODUCER, named.kind());
        assertEquals(StatusCode.OK, named.status());
    }

    @Test
    void eventsAndLinksWithTheirAttributes() throws Exception {
        importText("ev.json", doc("""
            "events":[{"timeUnixNano":"1700000000100000000","name":"gen_ai.first_chunk",
               "attributes":[{"key":"n","value":{"intValue":"1"}}],"droppedAttributesCount":2},
              {"timeUnixNano":"1700000000200000000","name":"exception",
               "attributes":[{"key":"exception.type","value":{"stringValue":"TimeoutError"}}]}],
            "droppedEventsCount":1,
            "links":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","traceState":"a=b",
               "attributes":[{"key":"app.link.kind","value":{"stringValue":"previous_turn"}}],"flags":1}],
            "droppedAttributesCount":3,"droppedLinksCount":4"""));
        SpanDetail s = onlySpan();
        assertEquals(2, s.events().size());
        assertEquals("gen_ai.first_chunk", s.events().get(0).name());
        assertEquals(1700000000100000000L, s.events().get(0).timeNs());
        assertEquals(List.of(Attribute.of("n", 1L)), s.events().get(0).attributes());
        assertEquals(2, s.events().get(0).droppedAttributesCount());
        assertEquals("exception", s.events().get(1).name());
        assertEquals(1, s.droppedEventsCount());
        assertEquals(1, s.links().size());
        assertEquals(TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736"), s.links().get(0).traceId());
        assertEquals(Ids.parseSpanId("00f067aa0ba902b7"), s.links().get(0).spanId());
        assertEquals("a=b", s.links().get(0).traceState());
        assertEquals(1, s.links().get(0).flags());
        assertEquals(List.of(Attribute.of("app.link.kind", "previous_turn")), s.links().get(0).attributes());
        assertEquals(3, s.droppedAttributesCount());
        assertEquals(4, s.droppedLinksCount());
        assertEquals(2, count("SELECT count(*) FROM span_events"));
        assertEquals(1, count("SELECT count(*) FROM span_links"));
    }

    @Test
    void unknownFieldsAreIgnoredEverywhere() throws Exception {
        String json = """
            {"unknownTop":{"deep":[1,2,{"x":null}]},"resourceSpans":[{"futureField":[{"a":1}],
             "resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}],"newThing":true},
             "scopeSpans":[{"scope":{"name":"lib","extra":{}},"spans":[{"traceId":"%s","spanId":"b7ad6b7169203331",
             "name":"op","startTimeUnixNano":"1","endTimeUnixNano":"2","someNewField":{"nested":[{}]},
             "events":[{"name":"e","timeUnixNano":"1","unknown":[]}],"status":{"code":1,"extra":"x"}}],
             "unknownArray":[[]]}]}]}
            """.formatted(TRACE);
        ImportReport r = importText("unknown.json", json);
        assertEquals(1, r.spansAdded());
        assertEquals(0, r.warnings());
        assertEquals(1, onlySpan().events().size());
    }

    @Test
    void resourceAndScopeMayComeAfterTheirSpans() throws Exception {
        String json = """
            {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"%s","spanId":"b7ad6b7169203331","name":"op",
             "startTimeUnixNano":"1","endTimeUnixNano":"2"}],"scope":{"name":"late-scope","version":"2"},
             "schemaUrl":"https://scope/schema"}],
             "resource":{"attributes":[{"key":"service.name","value":{"stringValue":"late-service"}}]},
             "schemaUrl":"https://resource/schema"}]}
            """.formatted(TRACE);
        importText("late.json", json);
        SpanDetail s = onlySpan();
        assertEquals("late-service", s.serviceName());
        TraceDetail t = trace(TRACE);
        assertEquals("late-scope", t.scopes().get(s.scopeId()).name());
        assertEquals("2", t.scopes().get(s.scopeId()).version());
        assertEquals("https://scope/schema", t.scopes().get(s.scopeId()).schemaUrl());
        assertEquals("https://resource/schema", t.resources().get(s.resourceId()).schemaUrl());
    }

    @Test
    void legacyInstrumentationLibrarySpansAreRead() throws Exception {
        String json = """
            {"resourceSpans":[{"resource":{"attributes":[]},"instrumentationLibrarySpans":[{
             "instrumentationLibrary":{"name":"old-lib","version":"0.1"},"spans":[{"traceId":"%s",
             "spanId":"b7ad6b7169203331","name":"op","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]}
            """.formatted(TRACE);
        importText("legacy.json", json);
        SpanDetail s = onlySpan();
        assertEquals("old-lib", trace(TRACE).scopes().get(s.scopeId()).name());
    }

    @Test
    void collectorJsonLinesPlainAndGzipped() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            String trace = String.format("%032x", i + 1);
            lines.append("{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
                    + "{\"stringValue\":\"svc-").append(i % 3).append("\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":"
                    + "\"lib\"},\"spans\":[{\"traceId\":\"").append(trace).append("\",\"spanId\":\"0000000000000001\","
                    + "\"name\":\"root\",\"kind\":2,\"startTimeUnixNano\":\"").append(1_000_000 * i)
                    .append("\",\"endTimeUnixNano\":\"").append(1_000_000 * i + 500).append("\"},{\"traceId\":\"")
                    .append(trace).append("\",\"spanId\":\"0000000000000002\",\"parentSpanId\":\"0000000000000001\","
                    + "\"name\":\"child\",\"startTimeUnixNano\":\"").append(1_000_000 * i + 10)
                    .append("\",\"endTimeUnixNano\":\"").append(1_000_000 * i + 20).append("\"}]}]}]}\n");
        }
        byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
        ImportReport plain = importBytes("export.jsonl", bytes);
        assertEquals("otlp-json", plain.format());
        assertEquals(60, plain.spansAdded());
        assertEquals(30, ws.traces().stats().traces());
        assertEquals(3, ws.traces().services().size());

        ImportReport gz = importBytes("export.jsonl.gz", gzip(bytes));
        assertEquals(ImportReport.Status.IMPORTED, gz.status());
        assertEquals("otlp-json+gzip", gz.format());
        assertEquals(60, gz.spansRead());
        assertEquals(0, gz.spansAdded(), "the same spans, compressed: nothing new");
        assertEquals(60, gz.alreadyPresent());
    }

    @Test
    void severalDocumentsInOneFileAreAllRead() throws Exception {
        String two = doc("") + doc("").replace("b7ad6b7169203331", "b7ad6b7169203332");
        // a pretty-printed first document makes this "document" mode, which also reads consecutive values
        String pretty = two.replaceFirst("\\{\"resourceSpans\"", "{\n\"resourceSpans\"");
        ImportReport r = importText("two.json", pretty);
        assertEquals(2, r.spansAdded(), r.problems().toString());
    }

    @Test
    void byteOrderMarkIsTolerated() throws Exception {
        ImportReport r = importText("bom.json", "\uFEFF" + doc(""));
        assertEquals(1, r.spansAdded(), r.message() + r.problems());
        assertNull(onlySpan().parentSpanId());
    }
}
