package dev.tracebench.importers.otlpjson;

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
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.core.query.TraceFilter;
import dev.tracebench.core.query.TraceSort;
import dev.tracebench.core.query.TraceSummary;
import dev.tracebench.importers.ImporterTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every OTLP/JSON trace file of the shared corpora, with its counts, ids, links and attribute values. */
class CorporaOtlpJsonTest extends ImporterTestBase {

    @Test
    void theSpecificationsOwnExampleWithUppercaseHexIds() {
        ImportReport r = importFile(corpus("otel-proto-examples/trace.json"));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("otlp-json", r.format());
        assertEquals(1, r.spansAdded());
        assertEquals(0, r.rejected());
        assertEquals(0, r.warnings());
        assertEquals(1229, r.bytes());
        assertEquals("f8f2870852b247f734a53ca7f022d4d942bd29732df54440494948af181bd373", r.sha256());
        TraceDetail t = trace("5b8efff798038103d269b633813fc60c");
        SpanDetail s = span(t, "eee19b7ec3c1b174");
        assertEquals(Ids.parseSpanId("EEE19B7EC3C1B173"), s.parentSpanId());
        assertEquals("I'm a server span", s.name());
        assertEquals(SpanKind.SERVER, s.kind());
        assertEquals(1544712660000000000L, s.startNs());
        assertEquals(1544712661000000000L, s.endNs());
        assertEquals(List.of(Attribute.of("my.span.attr", "some value")), s.attributes());
        assertEquals("my.service", s.serviceName());
        assertEquals("my.library", t.scopes().get(s.scopeId()).name());
        assertEquals("1.0.0", t.scopes().get(s.scopeId()).version());
        assertEquals(List.of(Attribute.of("my.scope.attribute", "some scope attribute")),
                t.scopes().get(s.scopeId()).attributes());
        // its parent is not in the file: the span is kept and the trace is flagged as missing its root
        TraceSummary sum = ws.traces().traces(TraceFilter.ALL, TraceSort.NEWEST_FIRST, 0, 1).get(0);
        assertFalse(sum.hasRoot());
        assertEquals(1, sum.orphanCount());
        assertEquals("I'm a server span", sum.rootName());
        assertEquals(1_000_000_000L, sum.durationNs());
    }

    @Test
    void aDuplicatedSpanIsStoredOnceAndReported() {
        ImportReport r = importFile(corpus("jaeger-ui-fixtures/otlp2jaeger-in.json"));
        assertEquals(ImportReport.Status.IMPORTED, r.status());
        assertEquals(2, r.spansRead());
        assertEquals(1, r.spansAdded());
        assertEquals(1, r.duplicates());
        Problem dup = r.problems().get(0);
        assertEquals(Problem.Severity.WARNING, dup.severity());
        assertEquals("line 44, resourceSpans[0].scopeSpans[0].spans[1]", dup.location());
        assertTrue(dup.reason().contains("e127af99e3b3e074"), dup.reason());
        TraceDetail t = trace("83a9efd15c1c98a977e0711cc93ee28b");
        assertEquals(1, t.spans().size());
        SpanDetail s = t.spans().get(0);
        assertEquals("okey-dokey-0", s.name());
        assertEquals(Ids.parseSpanId("909541b92cf05311"), s.parentSpanId());
        assertEquals(SpanKind.SERVER, s.kind());
        assertEquals(StatusCode.UNSET, s.status());
        assertEquals(123_000L, s.durationNs());
        assertEquals(List.of(Attribute.of("net.peer.ip", "1.2.3.4"), Attribute.of("peer.service",
                "telemetrygen-client")), s.attributes());
        assertEquals("telemetrygen", s.serviceName());
        // the resource's schemaUrl comes after its spans in the file, and is still recorded
        assertEquals("https://opentelemetry.io/schemas/1.4.0", t.resources().get(s.resourceId()).schemaUrl());
    }

    @Test
    void aResourceWithoutServiceNameGetsTheSdkDefault() {
        ImportReport r = importFile(corpus("jaeger-ui-fixtures/otlp2jaeger-in-error.json"));
        assertEquals(ImportReport.Status.IMPORTED, r.status());
        assertEquals(1, r.spansAdded());
        SpanDetail s = trace("83a9efd15c1c98a977e0711cc93ee28b").spans().get(0);
        assertEquals("unknown_service", s.serviceName());
        assertEquals(List.of("unknown_service"), ws.traces().services());
    }

    @Test
    void emptyParentSpanIdMeansRootAndParentLinksResolve() {
        ImportReport r = importFile(corpus("jaeger-ui-fixtures/otlp2jaeger-multi-in-combined.json"));
        assertEquals(ImportReport.Status.IMPORTED, r.status());
        assertEquals(4, r.spansAdded());
        assertEquals(0, r.warnings());
        TraceDetail t = trace("c620759e5d60fafb8ee0922b30e06bc6");
        SpanDetail main = span(t, "eff3153be6b1fb93");
        assertNull(main.parentSpanId(), "parentSpanId \"\" is a root");
        assertEquals("main", main.name());
        assertEquals(SpanKind.INTERNAL, main.kind());
        SpanDetail info = span(t, "49b8e9efa1e8a3b1");
        assertEquals(main.spanId(), info.parentSpanId());
        assertEquals(info.spanId(), span(t, "26f5ef9dbb885479").parentSpanId());
        assertEquals(info.spanId(), span(t, "e76628f4e6dde174").parentSpanId());
        assertEquals(1711138246940000000L, main.startNs());
        assertEquals(1711138247116321958L, main.endNs());
        assertEquals("widgets", t.scopes().get(main.scopeId()).name());
        assertEquals("1.2.3", t.scopes().get(main.scopeId()).version());
        assertEquals("ohboy", t.scopes().get(span(t, "26f5ef9dbb885479").scopeId()).name());
        assertEquals(new AttributeValue.Str("nodejs"), t.resources().get(main.resourceId()).attributes().stream()
                .filter(a -> a.key().equals("telemetry.sdk.language")).findFirst().orElseThrow().value());
        TraceSummary sum = ws.traces().traces(TraceFilter.ALL, TraceSort.NEWEST_FIRST, 0, 1).get(0);
        assertTrue(sum.hasRoot());
        assertEquals("main", sum.rootName());
        assertEquals(4, sum.spanCount());
        assertEquals(0, sum.orphanCount());
        assertEquals(1, count("SELECT count(*) FROM resources"), "four identical resources are stored once");
        assertEquals(2, count("SELECT count(*) FROM scopes"));
    }

    @Test
    void aHandWrittenPayloadWithAnInvalidAnyValueAndNoTimesIsKeptWithWarnings() {
        ImportReport r = importFile(corpus("otel-desktop-viewer/span.json"));
        assertEquals(ImportReport.Status.IMPORTED, r.status());
        assertEquals(1, r.spansAdded());
        assertEquals(0, r.rejected());
        assertEquals(2, r.warnings());
        assertTrue(r.problems().get(0).reason().contains("no known AnyValue field (found anyValue)"),
                r.problems().get(0).toString());
        assertEquals("line 10, resourceSpans[0].resource.attributes[0].value", r.problems().get(0).location());
        assertTrue(r.problems().get(1).reason().contains("no startTimeUnixNano"), r.problems().get(1).toString());
        SpanDetail s = trace("71699b6fe85982c7c8995ea3d9c95df2").spans().get(0);
        assertEquals("spanitron", s.name());
        assertEquals(StatusCode.OK, s.status());
        assertEquals(0, s.startNs());
        assertEquals("unknown_service", s.serviceName(), "an empty service.name falls back to the SDK default");
    }

    @Test
    void otlpLogsAreRecognisedAndRefusedWithAnExplanation() {
        for (String f : List.of("otel-proto-examples/logs.json", "otel-proto-examples/events.json")) {
            ImportReport r = importFile(corpus(f));
            assertEquals(ImportReport.Status.UNUSABLE, r.status(), f);
            assertTrue(r.message().contains("logs (resourceLogs), not traces"), r.message());
        }
        assertEquals(0, ws.traces().stats().imports());
    }

    @Test
    void everyCorporaFileEitherImportsOrIsExplained() throws IOException {
        Path root = corpus("PROVENANCE.md").getParent();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".md")).sorted()
                    .toList();
        }
        assertEquals(55, files.size(), "the 55 data files PROVENANCE.md lists");
        java.util.Map<String, Integer> imported = new java.util.TreeMap<>();
        for (Path f : files) {
            dev.tracebench.importers.FolderScan.Entry e = dev.tracebench.importers.FolderScan.recognise(f);
            if (e.kind() == dev.tracebench.importers.FolderScan.Kind.EVALS) {
                // eval results are read in EvalCorporaTest; here: recognised as such, not as traces
                imported.merge(e.format().id(), 1, Integer::sum);
                continue;
            }
            ImportReport r = importFile(f);
            assertNotEquals(ImportReport.Status.FAILED, r.status(), f + ": " + r.message());
            if (r.status() == ImportReport.Status.UNUSABLE) {
                assertFalse(r.message().isBlank(), f.toString());
            } else {
                imported.merge(r.format(), 1, Integer::sum);
            }
        }
        // every trace file of the corpora is recognised without --format, and the eval results; the rest (datasets,
        // attribute maps, chat transcripts, logs) are refused with an explanation
        assertEquals(java.util.Map.of("otlp-json", 5, "jaeger-json", 7, "zipkin-json", 8, "langfuse-json", 9,
                "oteljs-json", 5, "deepeval-json", 1), imported, "files imported per detected format");
    }
}
