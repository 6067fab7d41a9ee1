package dev.tracebench.views.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.AnalysisService;
import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.GroupBy;
import dev.tracebench.core.analysis.StageStat;
import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.views.testing.FakeAnalysisService;
import dev.tracebench.views.testing.FakeWorkspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fake analysis service the view tests run on answers as the real one does: the same synthetic traffic is given
 * to the fake and, as spans, to a DuckDB workspace, and each case asks both the same question. Where they used to
 * differ (the percentile method, the filter columns, the findings) a view test on the fake would pass while the app
 * showed something else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalysisServiceContractTest {
    private final FakeWorkspace traffic = new FakeWorkspace(1500, 42);
    private final FakeAnalysisService fake = new FakeAnalysisService(traffic);
    private Workspace ws;
    private AnalysisService real;

    @BeforeAll
    void load(@TempDir Path dir) {
        ws = Workspace.open(dir.resolve("contract.duckdb"));
        ImportReport r = ws.ingest("fake traffic", -1, s -> {
            long scope = s.scope(new ScopeData("fake", "1", List.of(), null, 0));
            for (FakeWorkspace.Trace t : traffic.traces()) {
                for (FakeWorkspace.Span x : t.spans()) {
                    long res = s.resource(new ResourceData(List.of(Attribute.of("service.name", x.service()),
                            Attribute.of("deployment.environment", t.environment())), null, 0));
                    s.span(res, scope, span(t, x));
                }
            }
            return new SourceFacts("fake", "fake-traffic", 1);
        }, ProgressListener.NONE, CancellationToken.none());
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        real = ws.analysis();
    }

    @AfterAll
    void close() {
        ws.close();
    }

    /** A fake span as an instrumentation would write it: the stage as an OpenInference span kind, the facts. */
    private static SpanData span(FakeWorkspace.Trace t, FakeWorkspace.Span x) {
        List<Attribute> a = new ArrayList<>();
        String kind = x.stage() == null ? null : switch (x.stage()) {
            case "prompt" -> "PROMPT";
            case "retrieval" -> "RETRIEVER";
            case "rerank" -> "RERANKER";
            case "inference" -> "LLM";
            case "tool" -> "TOOL";
            case "guardrail" -> "GUARDRAIL";
            case "chain" -> "CHAIN";
            case "agent" -> "AGENT";
            case "other" -> "EVALUATOR";
            default -> null; // postprocess: by its name (format_answer, format_response)
        };
        if (kind != null) {
            a.add(Attribute.of("openinference.span.kind", kind));
        }
        if ("inference".equals(x.stage()) && !t.model().equals("(none)")) {
            a.add(Attribute.of("gen_ai.request.model", t.model()));
            a.add(Attribute.of("gen_ai.response.model", t.modelVersion()));
        }
        if (x.parentId() == null) {
            a.add(Attribute.of("http.route", t.route()));
            a.add(Attribute.of("app.tenant.id", t.tenant()));
        }
        StatusCode status = x.error() ? StatusCode.ERROR : StatusCode.OK;
        return new SpanData(t.id(), x.spanId(), x.parentId(), x.name(), SpanKind.INTERNAL, x.startNs(), x.endNs(),
                status, x.error() ? "failed" : null, null, 0, a, 0, List.of(), 0, List.of(), 0, "fake");
    }

    Stream<Cohort> cohorts() {
        return Stream.of(Cohort.all(), Cohort.slow(95), Cohort.slow(50), Cohort.slowerThan(2_000_000_000L),
                Cohort.errors(), Cohort.failed(), Cohort.filter("tenant = 'acme'"),
                Cohort.filter("service_name = 'ops-agent' AND duration_ns > 3000000000"),
                Cohort.slow(95).and("tenant = 'acme'"));
    }

    @ParameterizedTest
    @MethodSource("cohorts")
    void cohortsHoldTheSameTraces(Cohort c) {
        assertEquals(real.count(c), fake.count(c), c.label());
    }

    @Test
    void theFilterColumnsAreTheTracesColumns() {
        assertEquals(real.filterColumns(), fake.filterColumns());
    }

    @ParameterizedTest
    @MethodSource("cohorts")
    void breakdownPercentilesAgree(Cohort c) {
        Breakdown.Group a = real.breakdown(c, GroupBy.NONE).overall();
        Breakdown.Group b = fake.breakdown(c, GroupBy.NONE).overall();
        assertEquals(a.traces(), b.traces());
        assertEquals(a.totalNs(), b.totalNs());
        assertEquals(a.p50Ns(), b.p50Ns(), 1, "p50 of " + c.label());
        assertEquals(a.p95Ns(), b.p95Ns(), 1, "p95 of " + c.label());
        assertEquals(a.p99Ns(), b.p99Ns(), 1, "p99 of " + c.label());
        for (StageStat s : b.stages()) {
            StageStat r = a.stages().stream().filter(x -> x.stage().equals(s.stage())).findFirst().orElseThrow();
            assertEquals(List.of(r.traces(), r.totalNs()), List.of(s.traces(), s.totalNs()), s.stage());
            assertEquals(r.p50Ns(), s.p50Ns(), 1, s.stage());
            assertEquals(r.p95Ns(), s.p95Ns(), 1, s.stage());
        }
    }

    @Test
    void bothExplainTheSlowRequestsByTheTenantWithTheSlowShard() {
        Finding a = top(real.explain(Cohort.slow(95), CheckSettings.DEFAULTS, CancellationToken.none()));
        Finding b = top(fake.explain(Cohort.slow(95), CheckSettings.DEFAULTS, CancellationToken.none()));
        for (Finding f : List.of(a, b)) {
            assertTrue(f.summary().contains("acme"), f.summary());
        }
        assertEquals(a.severity(), b.severity());
        assertEquals(a.evidence().cohortShare(), b.evidence().cohortShare(), 0.02, a.summary() + " / " + b.summary());
        assertEquals(a.evidence().restShare(), b.evidence().restShare(), 0.02, a.summary() + " / " + b.summary());
    }

    private static Finding top(List<Finding> findings) {
        return findings.stream().filter(Finding::aboutCohort).findFirst().orElseThrow();
    }

    @Test
    void theFakesChecksAreTheRealOnes() {
        List<String> a = real.automatedChecks(CheckSettings.DEFAULTS, CancellationToken.none()).stream()
                .map(Finding::summary).toList();
        List<String> b = fake.automatedChecks(CheckSettings.DEFAULTS, CancellationToken.none()).stream()
                .map(Finding::summary).toList();
        assertTrue(!b.isEmpty() && a.containsAll(b), "fake " + b + "\nreal " + a);
    }
}
