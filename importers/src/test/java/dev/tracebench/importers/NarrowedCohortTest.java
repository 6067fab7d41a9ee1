package dev.tracebench.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.AnalysisService;
import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Dimension;
import dev.tracebench.core.analysis.GroupBy;
import dev.tracebench.core.analysis.Heatmap;
import dev.tracebench.core.analysis.Histogram;
import dev.tracebench.core.analysis.StageStat;
import dev.tracebench.core.analysis.Timeline;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.samples.SampleFiles;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cohorts narrowed to values of a dimension (the Latency area's service/model filter and its group charts). */
class NarrowedCohortTest extends ImporterTestBase {
    private static final GroupBy SERVICE = GroupBy.of(Dimension.SERVICE);
    private AnalysisService analysis;

    @BeforeEach
    void importSample() {
        imports.importSource(SampleFiles.DEMO_TRACES, -1, () -> SampleFiles.open(SampleFiles.DEMO_TRACES),
                ProgressListener.NONE, CancellationToken.none());
        analysis = ws.analysis();
    }

    @Test
    void narrowingSelectsTheTracesWithThoseValues() {
        Cohort two = Cohort.all().within(SERVICE, Set.of("docs-search", "ops-agent"));
        assertEquals(count("SELECT count(*) FROM traces WHERE service_name IN ('docs-search', 'ops-agent')"),
                analysis.count(two));
        assertEquals(3000 - count("SELECT count(*) FROM traces WHERE service_name = 'support-assistant'"),
                analysis.count(Cohort.all().excluding(SERVICE, Set.of("support-assistant"))));
        // traces without a value are the group "(none)", as in a breakdown
        Cohort noModel = Cohort.all().within(GroupBy.of(Dimension.MODEL), Set.of(Breakdown.NONE));
        long noModelTraces = count("SELECT count(*) FROM traces WHERE model IS NULL");
        assertTrue(noModelTraces > 0);
        assertEquals(noModelTraces, analysis.count(noModel));
        assertEquals(0, analysis.count(Cohort.all().within(SERVICE, Set.of())));
        assertEquals("all requests with service docs-search or ops-agent", two.label());
        assertTrue(two.equals(Cohort.all().within(SERVICE, List.of("ops-agent", "docs-search", "ops-agent"))),
                "the same values in another order are the same cohort");
    }

    @Test
    void aNarrowedCohortCountsWhatTheBreakdownsGroupHolds() {
        // the percentile thresholds stay those of every request of the operation: narrowing only picks traces
        Breakdown byService = analysis.breakdown(Cohort.slow(90), SERVICE);
        for (Breakdown.Group g : byService.groups().subList(1, byService.groups().size())) {
            Cohort one = Cohort.slow(90).within(SERVICE, Set.of(g.value()));
            assertEquals(g.traces(), analysis.count(one), g.value());
        }
        Breakdown.Group docs = byService.group("docs-search").orElseThrow();
        Cohort docsSlow = Cohort.slow(90).within(SERVICE, Set.of("docs-search"));
        Breakdown.Group narrowed = analysis.breakdown(docsSlow, GroupBy.NONE).overall();
        assertEquals(docs.stages(), narrowed.stages());
        assertEquals(docs.p95Ns(), narrowed.p95Ns());
        // the whole cohort's operations, narrowed, are the group's (not every request's)
        List<StageStat> ops = analysis.operations(Cohort.slow(90), SERVICE, "docs-search");
        assertEquals(ops, narrowed.operations());
        Breakdown allDocs = analysis.breakdown(Cohort.all().within(SERVICE, Set.of("docs-search")), GroupBy.NONE);
        assertEquals(analysis.operations(Cohort.all(), SERVICE, "docs-search"), allDocs.overall().operations());

        // by an attribute of the spans, too
        GroupBy tenant = GroupBy.attribute("app.tenant.id");
        Breakdown byTenant = analysis.breakdown(Cohort.all(), tenant);
        Breakdown.Group initech = byTenant.group("t-initech").orElseThrow();
        assertEquals(initech.traces(), analysis.count(Cohort.all().within(tenant, Set.of("t-initech"))));
    }

    @Test
    void theChartsOfANarrowedCohortHoldItsTraces() {
        Cohort docs = Cohort.all().within(SERVICE, Set.of("docs-search"));
        long n = analysis.count(docs);
        assertTrue(n > 100, "docs-search requests: " + n);
        Timeline t = analysis.timeline(docs, 24);
        assertEquals(n, t.buckets().stream().mapToLong(Timeline.Bucket::traces).sum());
        Heatmap h = analysis.heatmap(docs, 40, 30);
        long cells = 0;
        for (long[] col : h.counts()) {
            for (long v : col) {
                cells += v;
            }
        }
        assertEquals(n, cells);
        Histogram all = analysis.histogram(docs, null, 20);
        assertEquals(n, all.zero() + all.bins().stream().mapToLong(Histogram.Bin::traces).sum());
    }

    @Test
    void findingsOfANarrowedCohortDoNotRestateWhatItWasNarrowedTo() {
        List<dev.tracebench.core.analysis.Finding> findings = analysis.explain(Cohort.slow(90).within(
                GroupBy.of(Dimension.MODEL), Set.of("gpt-4o-mini")), dev.tracebench.core.analysis.CheckSettings.DEFAULTS,
                CancellationToken.none());
        assertTrue(findings.stream().noneMatch(f -> "model".equals(f.evidence().facts().get("dimension"))),
                findings.toString());
    }

    @Test
    void valuesAreDataNotSql() {
        long spans = count("SELECT count(*) FROM spans");
        for (String hostile : List.of("x' OR '1'='1", "docs-search'; DROP TABLE spans; --", "a\\' OR TRUE --",
                "ø'\"`)(")) {
            assertEquals(0, analysis.count(Cohort.all().within(SERVICE, Set.of(hostile))), hostile);
            assertEquals(3000, analysis.count(Cohort.all().excluding(SERVICE, Set.of(hostile))), hostile);
        }
        assertEquals(spans, count("SELECT count(*) FROM spans"));
    }
}
