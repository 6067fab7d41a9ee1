package dev.tracebench.importers.jaeger;

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
import dev.tracebench.importers.ImporterTestBase;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 6: Jaeger spans that carry their {@code process} inline, without the query API's
 * {@code data}/{@code processes} envelope (Jaeger's own storage and converter fixtures, many scripts), used to be
 * recognised as Jaeger JSON and then read as zero spans. The expected values are read off the files by hand.
 */
class JaegerSpanArrayTest extends ImporterTestBase {

    @Test
    void anArrayOfSpansWithTheirProcessInline() {
        // jaegertracing/jaeger cmd/anonymizer/app/uiconv/fixtures/trace_success.json
        ImportReport r = importFile(corpus("jaeger-storage-fixtures/anonymizer-trace_success.json"));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("jaeger-json", r.format());
        assertEquals(2, r.spansRead());
        assertEquals(2, r.spansAdded());
        assertEquals(0, r.rejected(), r.problems().toString());
        assertEquals(0, r.warnings(), r.problems().toString());
        TraceDetail t = trace("00000000000000002be38093ead7a083");
        assertEquals(2, t.spans().size());

        SpanDetail server = span(t, "7606ddfe69932d34");
        assertEquals("a071653098f9250d", server.name());
        assertEquals(Ids.parseSpanId("492770a15935810f"), server.parentSpanId(), "a parent not in the file");
        assertEquals(SpanKind.SERVER, server.kind());
        assertEquals(StatusCode.UNSET, server.status());
        assertEquals(1_605_223_981_761_425_000L, server.startNs());
        assertEquals(1_605_223_981_761_425_000L + 267_037_000L, server.endNs());
        assertEquals("16af988c443cff37", server.serviceName());
        assertEquals(1, server.flags());

        SpanDetail client = span(t, "7bd66f09ba90ea3d");
        assertEquals("471418097747d04a", client.name());
        assertEquals(Ids.parseSpanId("7606ddfe69932d34"), client.parentSpanId());
        assertEquals(SpanKind.CLIENT, client.kind());
        assertEquals(StatusCode.ERROR, client.status(), "error=true");
        assertEquals(1_605_223_981_965_074_000L, client.startNs());
        assertEquals(32_782_000L, client.endNs() - client.startNs());
        assertEquals("3c220036602f839e", client.serviceName());
    }

    @Test
    void oneSpanWithItsProcessInline() {
        // jaegertracing/jaeger internal/uimodel/converter/v1/json/fixtures/es_01.json
        ImportReport r = importFile(corpus("jaeger-storage-fixtures/uimodel-es_01.json"));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(1, r.spansAdded());
        assertEquals(0, r.rejected(), r.problems().toString());
        TraceDetail t = trace("00000000000000000000000000000001");
        SpanDetail s = span(t, "0000000000000002");
        assertEquals("test-general-conversion", s.name());
        // the first CHILD_OF of the same trace is the parent; the FOLLOWS_FROM and the other trace's span are links
        assertEquals(3L, s.parentSpanId());
        assertEquals(List.of(
                new SpanLinkData(new TraceId(0, 1), 4, null, 0, List.of(Attribute.of("jaeger.ref_type",
                        "FOLLOWS_FROM")), 0),
                new SpanLinkData(new TraceId(0, 0xff), 0xff, null, 0, List.of(Attribute.of("jaeger.ref_type",
                        "CHILD_OF")), 0)), s.links());
        assertEquals(1_485_467_191_639_875_000L, s.startNs());
        assertEquals(5_000L, s.endNs() - s.startNs());
        assertEquals(StatusCode.ERROR, s.status());
        assertEquals(new AttributeValue.Str("service-y"), attr(s.attributes(), "peer.service"));
        assertEquals(new AttributeValue.Int(23456), attr(s.attributes(), "peer.ipv4"));
        assertEquals(new AttributeValue.Dbl(72.5), attr(s.attributes(), "temperature"));
        assertNull(attr(s.attributes(), "error"), "moved to the status");
        assertEquals("service-x", s.serviceName());
        assertEquals(List.of(Attribute.of("service.name", "service-x"), Attribute.of("peer.ipv4", 23456L),
                Attribute.of("error", true)), t.resources().get(s.resourceId()).attributes());
        List<SpanEventData> events = s.events();
        assertEquals(2, events.size());
        assertEquals("123415", events.get(0).name());
        assertEquals("log", events.get(1).name());
        assertEquals(List.of(Attribute.of("x", "y")), events.get(1).attributes());
        assertTrue(events.stream().allMatch(e -> e.timeNs() == 1_485_467_191_639_875_000L));
    }

    @Test
    void spansInJsonLinesAndInADataArrayToo() throws Exception {
        String a = "{\"traceID\":\"abc\",\"spanID\":\"1\",\"operationName\":\"root\",\"startTime\":1000,"
                + "\"duration\":10,\"process\":{\"serviceName\":\"svc\"}}";
        String b = "{\"traceID\":\"abc\",\"spanID\":\"2\",\"operationName\":\"child\",\"references\":[{\"refType\":"
                + "\"CHILD_OF\",\"traceID\":\"abc\",\"spanID\":\"1\"}],\"startTime\":1002,\"duration\":5,"
                + "\"process\":{\"serviceName\":\"svc\"}}";
        ImportReport lines = importText("spans.jsonl", a + "\n" + b + "\n");
        assertEquals(2, lines.spansAdded(), lines.problems().toString());
        assertEquals(1L, span(trace("00000000000000000000000000000abc"), "0000000000000002").parentSpanId());
        ImportReport data = importText("data.json", "{\"data\":[" + a.replace("abc", "abd") + ","
                + b.replace("abc", "abd") + "]}");
        assertEquals(2, data.spansAdded(), data.problems().toString());
        assertEquals(2, trace("00000000000000000000000000000abd").spans().size());
    }

    private static AttributeValue attr(List<Attribute> attrs, String key) {
        return attrs.stream().filter(x -> x.key().equals(key)).map(Attribute::value).findFirst().orElse(null);
    }
}
