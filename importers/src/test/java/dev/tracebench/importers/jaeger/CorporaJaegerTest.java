package dev.tracebench.importers.jaeger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.SpanLinkData;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.core.query.TraceFilter;
import dev.tracebench.core.query.TraceSort;
import dev.tracebench.core.query.TraceSummary;
import dev.tracebench.importers.ImporterTestBase;
import dev.tracebench.importers.TraceFormat;
import dev.tracebench.importers.TraceFormats;
import dev.tracebench.importers.common.IdResolver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every Jaeger JSON file of the shared corpora, with its counts, ids, tree, times and typed values. */
class CorporaJaegerTest extends ImporterTestBase {
    static final Set<String> JAEGER_FILES = Set.of("jaeger-ui-fixtures/genaiTestTrace.json",
            "jaeger-ui-fixtures/tracestats-testTrace.json", "jaeger-ui-fixtures/traceWithOverlappingChildren.json",
            "jaeger-ui-fixtures/flamegraph-testTrace.json", "jaeger-ui-fixtures/otlp2jaeger-out.json",
            "jaeger-storage-fixtures/anonymizer-trace_success.json", "jaeger-storage-fixtures/uimodel-es_01.json");

    static AttributeValue attr(List<Attribute> attrs, String key) {
        return attrs.stream().filter(a -> a.key().equals(key)).map(Attribute::value).findFirst().orElse(null);
    }

    static AttributeValue attr(SpanDetail s, String key) {
        return attr(s.attributes(), key);
    }

    private TraceSummary onlyTrace() {
        List<TraceSummary> all = ws.traces().traces(TraceFilter.ALL, TraceSort.NEWEST_FIRST, 0, 10);
        assertEquals(1, all.size());
        return all.get(0);
    }

    @Test
    void genAiTraceWithACommentBeforeTheTraceIdAndProcessesAfterTheSpans() {
        ImportReport r = importFile(corpus("jaeger-ui-fixtures/genaiTestTrace.json"));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("jaeger-json", r.format());
        assertEquals(57, r.spansRead());
        assertEquals(57, r.spansAdded());
        assertEquals(0, r.rejected());
        assertEquals(0, r.warnings(), r.problems().toString());
        assertEquals(59548, r.bytes());

        TraceDetail t = trace("4a1b2c3d4e5f60718293a4b5c6d7e8f9");
        assertEquals(57, t.spans().size());
        SpanDetail root = span(t, "0000000000000001");
        assertNull(root.parentSpanId());
        assertEquals("POST /api/graphql", root.name());
        assertEquals(SpanKind.SERVER, root.kind());
        assertEquals(1_770_000_000_001_000_000L, root.startNs());
        assertEquals(44_000_000_000L, root.durationNs());
        assertEquals("api-edge", root.serviceName());
        assertEquals(List.of(Attribute.of("http.request.method", "POST"), Attribute.of("http.route", "/api/graphql"),
                Attribute.of("http.response.status_code", 200)), root.attributes(), "span.kind is the kind now");
        assertEquals("", t.scopes().get(root.scopeId()).name());

        SpanDetail chat = span(t, "0000000000000005");
        assertEquals(Ids.parseSpanId("0000000000000004"), chat.parentSpanId());
        assertEquals("chat model-a", chat.name());
        assertEquals(SpanKind.CLIENT, chat.kind());
        assertEquals(1_770_000_000_005_000_000L, chat.startNs());
        assertEquals(1_770_000_001_805_000_000L, chat.endNs());
        assertEquals("coding-agent", chat.serviceName());
        assertEquals(new AttributeValue.Str("chat"), attr(chat, "gen_ai.operation.name"));
        assertEquals(new AttributeValue.Int(1840), attr(chat, "gen_ai.usage.input_tokens"));
        assertEquals(new AttributeValue.Int(260), attr(chat, "gen_ai.usage.output_tokens"));
        assertEquals(new AttributeValue.Int(920), attr(chat, "gen_ai.usage.cache_read.input_tokens"));
        assertEquals(new AttributeValue.Str("model-a"), attr(chat, "gen_ai.request.model"));
        assertEquals(10, chat.attributes().size());
        assertEquals(1840L, chat.llm().inputTokens());
        assertEquals("chat", chat.llm().operation());

        SpanDetail agent = span(t, "0000000000000035");
        assertEquals(Ids.parseSpanId("0000000000000033"), agent.parentSpanId());
        assertEquals("summarizer-agent", agent.serviceName());
        assertEquals(new AttributeValue.Str("invoke_agent"), attr(agent, "gen_ai.operation.name"));
        assertEquals(new AttributeValue.Str("summarizer"), attr(agent, "gen_ai.agent.name"));
        assertEquals(new AttributeValue.Int(920), attr(span(t, "0000000000000036"), "gen_ai.usage.input_tokens"));

        // "error": true (a bool tag) is the status now
        SpanDetail failed = span(t, "0000000000000011");
        assertEquals(StatusCode.ERROR, failed.status());
        assertNull(attr(failed, "error"));
        assertEquals(new AttributeValue.Int(500), attr(failed, "http.response.status_code"));
        assertEquals("k8s-api", failed.serviceName());
        assertEquals(1, t.spans().stream().filter(SpanDetail::isError).count());
        assertEquals(SpanKind.INTERNAL, span(t, "0000000000000003").kind());

        TraceSummary sum = onlyTrace();
        assertTrue(sum.hasRoot());
        assertEquals(0, sum.orphanCount());
        assertEquals(57, sum.spanCount());
        assertEquals(1, sum.errorCount());
        assertEquals(10, sum.serviceCount());
        assertEquals(List.of("api-edge", "auth-service", "coding-agent", "graphql-gateway", "k8s-api", "mcp-gateway",
                "metrics-backend", "summarizer-agent", "trace-store", "vector-store"), ws.traces().services());
        assertEquals(10, count("SELECT count(*) FROM resources"));
        assertEquals(1, count("SELECT count(*) FROM scopes"));
        assertEquals(4 * 1840 + 920, count("SELECT sum(input_tokens) FROM spans"));
        assertEquals(4 * 260 + 140, count("SELECT sum(output_tokens) FROM spans"));
    }

    @Test
    void nonHexIdsMapConsistentlySoParentsStillResolve() {
        ImportReport r = importFile(corpus("jaeger-ui-fixtures/tracestats-testTrace.json"));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("jaeger-json", r.format());
        assertEquals(11, r.spansAdded());
        assertEquals(0, r.rejected());
        // the trace id once (every span carries the same), then every span id
        assertEquals(12, r.warnings(), r.problems().toString());
        Problem first = r.problems().get(0);
        assertEquals(Problem.Severity.WARNING, first.severity());
        assertEquals("line 4, spans[0]", first.location());
        assertEquals("trace id 'trace-123' is not hex of at most 32 digits; mapped to a derived id (the original is "
                + "kept as tracebench.original_trace_id)", first.reason());
        assertEquals("line 4, spans[0]", r.problems().get(1).location());
        assertTrue(r.problems().get(1).reason().startsWith("span id 'span-1' is not hex"), r.problems().toString());
        assertEquals("line 241, spans[10]", r.problems().get(11).location());
        assertTrue(r.problems().get(11).reason().startsWith("span id 'span-14' is not hex"));

        // sha256("trace:trace-123") and sha256("span:span-1"), as worked out with python3 and hashlib
        TraceDetail t = trace("36e9809b8be33db243e7ca0231e971ab");
        assertEquals(11, t.spans().size());
        SpanDetail op1 = span(t, "87b7cc3fc1e50d07");
        assertEquals(IdResolver.mappedSpanId("span-1"), op1.spanId());
        assertNull(op1.parentSpanId());
        assertEquals("op1", op1.name());
        assertEquals(SpanKind.SERVER, op1.kind());
        assertEquals(1_542_666_452_979_000_000L, op1.startNs());
        assertEquals(390_000_000L, op1.durationNs());
        assertEquals(new AttributeValue.Str("trace-123"), attr(op1, IdResolver.ORIGINAL_TRACE_ID));
        assertEquals(new AttributeValue.Str("span-1"), attr(op1, IdResolver.ORIGINAL_SPAN_ID));
        assertEquals(1, op1.flags());
        ResourceData p1 = t.resources().get(op1.resourceId());
        assertEquals(List.of(Attribute.of("service.name", "service1"), Attribute.of("hostname", "foobar.org")),
                p1.attributes());

        // "error" typed bool but written as the string "true"
        SpanDetail op2 = span(t, "21b8257e3d9af6d6");
        assertEquals(op1.spanId(), op2.parentSpanId());
        assertEquals(StatusCode.ERROR, op2.status());
        assertEquals(SpanKind.CLIENT, op2.kind());
        SpanDetail span5 = t.spans().stream().filter(s -> s.attributes().contains(Attribute.of(
                IdResolver.ORIGINAL_SPAN_ID, "span-5"))).findFirst().orElseThrow();
        assertEquals(IdResolver.mappedSpanId("span-4"), span5.parentSpanId());
        assertEquals(SpanKind.UNSPECIFIED, span5.kind(), "no span.kind tag");
        assertEquals(new AttributeValue.Str("sql"), attr(span5, "db.type"));
        assertEquals("service2", span5.serviceName());

        // span-7 only FOLLOWS_FROM span-6: Jaeger makes that the parent, and the relation is kept as a link
        SpanDetail span7 = span(t, "04005187e0807658");
        assertEquals(Ids.parseSpanId("6b2c2c180a40dcc4"), span7.parentSpanId());
        assertEquals(IdResolver.mappedSpanId("span-6"), span7.parentSpanId());
        assertEquals(SpanKind.CONSUMER, span7.kind());
        assertEquals(List.of(new SpanLinkData(t.traceId(), IdResolver.mappedSpanId("span-6"), null, 0,
                List.of(Attribute.of("jaeger.ref_type", "FOLLOWS_FROM")), 0)), span7.links());
        assertEquals(SpanKind.PRODUCER, span(t, "6b2c2c180a40dcc4").kind());

        TraceSummary sum = onlyTrace();
        assertTrue(sum.hasRoot());
        assertEquals(0, sum.orphanCount());
        assertEquals(1, count("SELECT count(*) FROM spans WHERE parent_span_id IS NULL"));
        assertEquals("op1", sum.rootName());
        assertEquals(2, sum.serviceCount());
        assertEquals(1, sum.errorCount());
        assertEquals(390_000_000L, sum.durationNs(), "a trace with a root lasts as long as its root");
    }

    @Test
    void sixtyFourBitTraceIdIsPaddedAndChildrenMayOutliveTheirParent() {
        ImportReport r = importFile(corpus("jaeger-ui-fixtures/traceWithOverlappingChildren.json"));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("jaeger-json", r.format());
        assertEquals(3, r.spansAdded());
        assertEquals(0, r.warnings());
        TraceDetail t = trace("0000000000000000006c3cf93508f205");
        SpanDetail send = span(t, "006c3cf93508f205");
        assertNull(send.parentSpanId());
        assertEquals(SpanKind.PRODUCER, send.kind());
        assertEquals(1_679_437_737_490_189_000L, send.startNs());
        assertEquals(36_000L, send.durationNs());
        assertEquals("service-one", send.serviceName());
        SpanDetail task = span(t, "5d423585b4c63d48");
        assertEquals(send.spanId(), task.parentSpanId());
        assertEquals("async task 1", task.name());
        assertEquals(40_000L, task.durationNs());
        assertTrue(task.endNs() > send.endNs(), "the child ends after its parent, as in the file");
        assertEquals(List.of(Attribute.of("http.method", "POST")), task.attributes());
        assertEquals("service-two", task.serviceName());
        SpanDetail shorter = span(t, "2dc4b796e2127e32");
        assertEquals(send.spanId(), shorter.parentSpanId());
        assertEquals(8_000L, shorter.durationNs());
        assertEquals(3, onlyTrace().spanCount());
    }

    @Test
    void reduxFetchStateWithEmbeddedProcessesAndReferencedSpanCopies() {
        ImportReport r = importFile(corpus("jaeger-ui-fixtures/flamegraph-testTrace.json"));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("jaeger-json", r.format());
        assertEquals(4, r.spansAdded());
        assertEquals(0, r.warnings(), r.problems().toString());
        TraceDetail t = trace("84b3fad94c6112edd6af3347d06f6f1d");
        SpanDetail order = span(t, "487f03177ef9cf89");
        assertNull(order.parentSpanId());
        assertEquals("OrderVehicle", order.name());
        assertEquals(1_660_049_722_779_884_000L, order.startNs());
        assertEquals(1_181_596_000L, order.durationNs());
        assertEquals("load-generator", order.serviceName());
        assertEquals("go.opentelemetry.io/otel/sdk/tracer", t.scopes().get(order.scopeId()).name());
        assertEquals("", t.scopes().get(order.scopeId()).version());
        assertEquals(new AttributeValue.Str("bike"), attr(order, "vehicle"));
        assertNull(attr(order, "otel.library.name"), "the scope now");

        SpanDetail get = span(t, "d81ccf159d71bc66");
        assertEquals(order.spanId(), get.parentSpanId());
        assertEquals(SpanKind.CLIENT, get.kind());
        assertEquals("go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp",
                t.scopes().get(get.scopeId()).name());
        assertEquals("semver:0.27.0", t.scopes().get(get.scopeId()).version());
        assertEquals(new AttributeValue.Int(200), attr(get, "http.status_code"));
        assertTrue(get.links().isEmpty(), "the CHILD_OF parent is not repeated as a link");

        SpanDetail handler = span(t, "3d4670fa91902216");
        assertEquals(get.spanId(), handler.parentSpanId());
        assertEquals("BikeHandler", handler.name());
        assertEquals(SpanKind.SERVER, handler.kind());
        assertEquals("ride-sharing-app", handler.serviceName());
        assertEquals(new AttributeValue.Int(5000), attr(handler, "net.host.port"));
        assertEquals(new AttributeValue.Int(55132), attr(handler, "net.peer.port"));
        SpanDetail find = span(t, "7bc101ef51dbc40c");
        assertEquals(handler.spanId(), find.parentSpanId());
        assertEquals(1_660_049_722_994_061_000L, find.startNs());
        assertEquals(966_333_000L, find.durationNs());

        TraceSummary sum = onlyTrace();
        assertTrue(sum.hasRoot());
        assertEquals(0, sum.orphanCount());
        assertEquals(2, sum.serviceCount());
        assertEquals(2, count("SELECT count(*) FROM resources"));
        assertEquals(2, count("SELECT count(*) FROM scopes"), "the tracer's and otelhttp's");
    }

    @Test
    void queryApiEnvelopeWithADuplicatedSpan() {
        ImportReport r = importFile(corpus("jaeger-ui-fixtures/otlp2jaeger-out.json"));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("jaeger-json", r.format());
        assertEquals(2, r.spansRead());
        assertEquals(1, r.spansAdded());
        assertEquals(1, r.duplicates());
        Problem dup = r.problems().get(0);
        assertEquals("line 45, data[0].spans[1]", dup.location());
        assertTrue(dup.reason().contains("e127af99e3b3e074"), dup.reason());
        TraceDetail t = trace("83a9efd15c1c98a977e0711cc93ee28b");
        SpanDetail s = span(t, "e127af99e3b3e074");
        // the same span as the OTLP file it was converted from (see CorporaOtlpJsonTest)
        assertEquals(Ids.parseSpanId("909541b92cf05311"), s.parentSpanId());
        assertEquals("okey-dokey-0", s.name());
        assertEquals(SpanKind.SERVER, s.kind());
        assertEquals(StatusCode.UNSET, s.status());
        assertEquals(1_706_678_909_209_712_000L, s.startNs());
        assertEquals(123_000L, s.durationNs());
        assertEquals(List.of(Attribute.of("net.peer.ip", "1.2.3.4"), Attribute.of("peer.service",
                "telemetrygen-client")), s.attributes());
        assertEquals("telemetrygen", s.serviceName());
        assertEquals("telemetrygen", t.scopes().get(s.scopeId()).name());
        assertEquals(0, s.flags());
        TraceSummary sum = onlyTrace();
        assertFalse(sum.hasRoot());
        assertEquals(1, sum.orphanCount());
    }

    @Test
    void reimportingAddsNothing() {
        ImportReport first = importFile(corpus("jaeger-ui-fixtures/genaiTestTrace.json"));
        ImportReport again = importFile(corpus("jaeger-ui-fixtures/genaiTestTrace.json"));
        assertEquals(57, first.spansAdded());
        assertEquals(ImportReport.Status.IMPORTED, again.status());
        assertEquals(57, again.spansRead());
        assertEquals(0, again.spansAdded());
        assertEquals(57, again.alreadyPresent());
        assertEquals(57, ws.traces().stats().spans());

        // non-hex ids map to the same ids again
        ImportReport stats = importFile(corpus("jaeger-ui-fixtures/tracestats-testTrace.json"));
        ImportReport statsAgain = importFile(corpus("jaeger-ui-fixtures/tracestats-testTrace.json"));
        assertEquals(11, stats.spansAdded());
        assertEquals(0, statsAgain.spansAdded());
        assertEquals(11, statsAgain.alreadyPresent());
    }

    @Test
    void everyJaegerFileIsRecognisedWithoutFormat() {
        for (String f : JAEGER_FILES) {
            ImportReport r = importFile(corpus(f));
            assertEquals(ImportReport.Status.IMPORTED, r.status(), f + ": " + r.message());
            assertEquals("jaeger-json", r.format(), f);
            assertEquals(JaegerJsonFormat.FORMAT, TraceFormats.detect(head(corpus(f))).id(), f);
        }
    }

    @Test
    void noOtherCorpusFileIsClaimed() throws IOException {
        List<Path> files = corpusFiles();
        assertEquals(55, files.size());
        int claimed = 0;
        for (Path f : files) {
            String rel = corpus("PROVENANCE.md").getParent().relativize(f).toString().replace('\\', '/');
            TraceFormat.Head head = head(f);
            int score = new JaegerJsonFormat().sniff(head);
            TraceFormat detected = TraceFormats.detect(head);
            if (JAEGER_FILES.contains(rel)) {
                claimed++;
                assertTrue(score >= 90, rel + " scored " + score);
            } else {
                assertEquals(0, score, rel);
                assertNotEquals(JaegerJsonFormat.FORMAT, detected == null ? null : detected.id(), rel);
            }
        }
        assertEquals(7, claimed);
        // the OTLP/JSON inputs of Jaeger's converter stay OTLP
        assertEquals("otlp-json", TraceFormats.detect(head(corpus("jaeger-ui-fixtures/otlp2jaeger-in.json"))).id());
    }

    static List<Path> corpusFiles() throws IOException {
        Path root = corpus("PROVENANCE.md").getParent();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".md")).sorted()
                    .toList();
        }
    }

    /** The first 64 KB, as FileImportService looks at them. */
    static TraceFormat.Head head(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            byte[] b = in.readNBytes(1 << 16);
            return new TraceFormat.Head(b, new String(b, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
