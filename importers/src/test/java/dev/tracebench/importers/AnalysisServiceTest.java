package dev.tracebench.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.AnalysisService;
import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Comparison;
import dev.tracebench.core.analysis.CriticalPath;
import dev.tracebench.core.analysis.Dimension;
import dev.tracebench.core.analysis.GroupBy;
import dev.tracebench.core.analysis.Heatmap;
import dev.tracebench.core.analysis.Histogram;
import dev.tracebench.core.analysis.StageStat;
import dev.tracebench.core.analysis.Timeline;
import dev.tracebench.core.analysis.TraceAnalyzer;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.QueryRefusedException;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.samples.SampleFiles;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The analysis service over the bundled sample: every number agrees with the stored rows and with each other. */
class AnalysisServiceTest extends ImporterTestBase {
    private AnalysisService analysis;

    @BeforeEach
    void importSample() {
        imports.importSource(SampleFiles.DEMO_TRACES, -1, () -> SampleFiles.open(SampleFiles.DEMO_TRACES),
                ProgressListener.NONE, CancellationToken.none());
        analysis = ws.analysis();
    }

    private long sql(String q) {
        return count(q);
    }

    @Test
    void theWholeWorkspaceBreakdownAddsUp() {
        Breakdown b = analysis.breakdown(Cohort.all(), GroupBy.NONE);
        Breakdown.Group all = b.overall();
        assertEquals(3000, all.traces());
        assertEquals(sql("SELECT sum(duration_ns) FROM traces"), all.totalNs());
        assertEquals(sql("SELECT CAST(quantile_cont(duration_ns, 0.95) AS BIGINT) FROM traces"), all.p95Ns(), 1);
        long stageTotal = all.stages().stream().mapToLong(StageStat::totalNs).sum();
        assertEquals(all.totalNs(), stageTotal, "stage contributions add up to all request time");
        double shares = all.stages().stream().mapToDouble(StageStat::share).sum();
        assertEquals(1.0, shares, 1e-9);
        StageStat retrieval = all.stages().stream().filter(s -> s.stage().equals("retrieval")).findFirst().orElseThrow();
        assertEquals(sql("SELECT count(*) FROM traces WHERE retrieval_ns > 0"), retrieval.traces());
        assertEquals(sql("SELECT CAST(quantile_cont(retrieval_ns, 0.95) AS BIGINT) FROM traces WHERE retrieval_ns > 0"),
                retrieval.p95Ns(), 1);
        assertEquals(sql("SELECT CAST(avg(retrieval_ns) AS BIGINT) FROM traces WHERE retrieval_ns > 0"),
                retrieval.meanNs(), 1);
        assertTrue(retrieval.p50Ns() <= retrieval.p90Ns() && retrieval.p90Ns() <= retrieval.p95Ns()
                && retrieval.p95Ns() <= retrieval.p99Ns());
        // operations of a stage: their totals add up to the stage's
        long ops = all.operations().stream().filter(o -> o.stage().equals("retrieval")).mapToLong(StageStat::totalNs)
                .sum();
        assertEquals(retrieval.totalNs(), ops);
        assertTrue(all.operations().stream().anyMatch(o -> o.operation().startsWith("qdrant.search")));
        StageStat validate = all.operations().stream().filter(o -> o.operation().equals("validate_input"))
                .findFirst().orElseThrow();
        assertEquals(sql("SELECT count(*) FROM trace_stages WHERE operation = 'validate_input' AND path_ns > 0"),
                validate.traces());
        assertEquals(sql("SELECT CAST(avg(path_ns) AS BIGINT) FROM trace_stages WHERE operation = 'validate_input' "
                + "AND path_ns > 0"), validate.meanNs(), 1);
        StageStat inference = all.stages().stream().filter(s -> s.stage().equals("inference")).findFirst()
                .orElseThrow();
        assertTrue(inference.share() > 0.5, "model calls take most of the time: " + inference.share());
    }

    @Test
    void groupsPartitionTheCohort() {
        Breakdown b = analysis.breakdown(Cohort.all(), GroupBy.of(Dimension.SERVICE));
        List<Breakdown.Group> groups = b.groups().subList(1, b.groups().size());
        assertEquals(3000, groups.stream().mapToLong(Breakdown.Group::traces).sum());
        assertEquals(List.of("support-assistant", "docs-search", "ops-agent", "ticket-summarizer"),
                groups.stream().map(Breakdown.Group::value).toList(), "largest group first");
        Breakdown.Group docs = groups.get(1);
        assertEquals(sql("SELECT count(*) FROM traces WHERE service_name = 'docs-search'"), docs.traces());
        Breakdown byModel = analysis.breakdown(Cohort.slow(95), GroupBy.of(Dimension.MODEL));
        assertEquals(byModel.overall().traces(), byModel.groups().subList(1, byModel.groups().size()).stream()
                .mapToLong(Breakdown.Group::traces).sum());
        assertEquals(analysis.count(Cohort.slow(95)), byModel.overall().traces());
        Breakdown byTenant = analysis.breakdown(Cohort.all(), GroupBy.attribute("app.tenant.id"));
        assertTrue(byTenant.groups().stream().anyMatch(g -> "t-initech".equals(g.value())), byTenant.groups()
                .stream().map(Breakdown.Group::value).toList().toString());
    }

    @Test
    void aGroupsOperationsComeOnDemandAndAddUpToItsStages() {
        Breakdown b = analysis.breakdown(Cohort.slow(90), GroupBy.of(Dimension.SERVICE));
        assertTrue(b.groups().stream().skip(1).allMatch(g -> g.operations().isEmpty()));
        assertFalse(b.overall().operations().isEmpty());
        Breakdown.Group docs = b.group("docs-search").orElseThrow();
        List<StageStat> ops = analysis.operations(Cohort.slow(90), GroupBy.of(Dimension.SERVICE), "docs-search");
        for (StageStat stage : docs.stages()) {
            long sum = ops.stream().filter(o -> o.stage().equals(stage.stage())).mapToLong(StageStat::totalNs).sum();
            if (!stage.stage().equals("unattributed")) {
                assertEquals(stage.totalNs(), sum, stage.stage());
            }
        }
        assertEquals(docs.stages().stream().filter(s -> !s.stage().equals("unattributed"))
                .mapToDouble(StageStat::share).sum(), ops.stream().mapToDouble(StageStat::share).sum(), 1e-9);
        // every group's operations add up to the whole cohort's, operation by operation
        java.util.Map<String, Long> overall = new java.util.HashMap<>();
        b.overall().operations().forEach(o -> overall.merge(o.stage() + "/" + o.operation(), o.totalNs(), Long::sum));
        java.util.Map<String, Long> summed = new java.util.HashMap<>();
        for (Breakdown.Group g : b.groups().subList(1, b.groups().size())) {
            analysis.operations(Cohort.slow(90), GroupBy.of(Dimension.SERVICE), g.value())
                    .forEach(o -> summed.merge(o.stage() + "/" + o.operation(), o.totalNs(), Long::sum));
        }
        assertEquals(overall, summed);
        // grouped by an attribute: the group's operations are those of its traces only
        Breakdown.Group initech = analysis.breakdown(Cohort.all(), GroupBy.attribute("app.tenant.id"))
                .group("t-initech").orElseThrow();
        List<StageStat> initechOps = analysis.operations(Cohort.all(), GroupBy.attribute("app.tenant.id"),
                "t-initech");
        assertFalse(initechOps.isEmpty());
        assertTrue(initechOps.stream().allMatch(o -> o.traces() <= initech.traces()), initechOps.toString());
        assertEquals(initech.stages().stream().filter(s -> !s.stage().equals("unattributed"))
                .mapToLong(StageStat::totalNs).sum(), initechOps.stream().mapToLong(StageStat::totalNs).sum());
        // traces without a value are the group "(none)"
        Breakdown byModel = analysis.breakdown(Cohort.all(), GroupBy.of(Dimension.MODEL));
        Breakdown.Group none = byModel.group(Breakdown.NONE).orElseThrow();
        assertEquals(sql("SELECT count(*) FROM traces WHERE model IS NULL"), none.traces());
        long noneInference = analysis.operations(Cohort.all(), GroupBy.of(Dimension.MODEL), Breakdown.NONE).stream()
                .filter(o -> o.stage().equals("inference")).mapToLong(StageStat::totalNs).sum();
        assertEquals(sql("SELECT coalesce(sum(inference_ns), 0) FROM traces WHERE model IS NULL"), noneInference);
    }

    @Test
    void findingsDoNotRestateHowTheCohortWasChosen() {
        List<dev.tracebench.core.analysis.Finding> errors = analysis.explain(Cohort.errors(),
                dev.tracebench.core.analysis.CheckSettings.DEFAULTS, CancellationToken.none());
        assertTrue(errors.stream().noneMatch(f -> "error_count".equals(f.evidence().facts().get("fact"))),
                "'failed requests had a failed span' explains nothing: " + errors);
        // chosen by model: that they called that model is not a finding (it would be the strongest one)
        List<dev.tracebench.core.analysis.Finding> byModel = analysis.explain(Cohort.filter("model = 'gpt-4o-mini'"),
                dev.tracebench.core.analysis.CheckSettings.DEFAULTS, CancellationToken.none());
        assertTrue(byModel.stream().noneMatch(f -> "model".equals(f.evidence().facts().get("dimension"))),
                byModel.toString());
        assertTrue(byModel.stream().anyMatch(f -> f.check().equals("root-cause")), byModel.toString());
    }

    @Test
    void failedRequestsAndTracesWithAnErrorAreTwoCohorts() {
        // a failed request: the root span failed; a trace with an error: any span did (a retried call, a fallback)
        long failed = analysis.count(Cohort.failed());
        long errors = analysis.count(Cohort.errors());
        assertEquals(sql("SELECT count(*) FROM spans WHERE parent_span_id IS NULL AND status_code = 2"), failed);
        assertEquals(sql("SELECT count(DISTINCT trace_id) FROM spans WHERE status_code = 2"), errors);
        assertEquals(42, failed);
        assertEquals(129, errors);
        assertEquals(Cohort.failed(), Cohort.parse("failed"));
        assertEquals("failed requests", Cohort.failed().label());
        assertEquals("traces with an error", Cohort.errors().label());
        List<dev.tracebench.core.analysis.Finding> f = analysis.explain(Cohort.failed(),
                dev.tracebench.core.analysis.CheckSettings.DEFAULTS, CancellationToken.none());
        assertTrue(f.stream().filter(dev.tracebench.core.analysis.Finding::aboutCohort)
                .noneMatch(x -> x.summary().contains("had a failed span")), "a failed request has a failed span: " + f);
        assertTrue(f.get(0).summary().contains("of failed requests"), f.get(0).summary());
    }

    @Test
    void aFindingsTracesAreTheCohortNarrowedToItsProperty() {
        for (Cohort c : List.of(Cohort.slow(95), Cohort.errors())) {
            for (dev.tracebench.core.analysis.Finding f : analysis.explain(c,
                    dev.tracebench.core.analysis.CheckSettings.DEFAULTS, CancellationToken.none())) {
                if (f.traces() == null) {
                    continue;
                }
                // the listed traces are those the finding counts (exactly, as the sample is the whole cohort here)
                long listed = analysis.count(f.traces().cohort());
                assertEquals(f.evidence().cohortMatching(), listed, f.summary() + "\n" + f.traces().cohort().filter());
                // and the trace list shows them (its query spans lines around the filter)
                dev.tracebench.core.query.TraceFilter list = new dev.tracebench.core.query.TraceFilter("", List.of(), 0,
                        false, f.traces().cohort());
                assertEquals(listed, ws.traces().countTraces(list));
                assertEquals(Math.min(listed, 500), ws.traces().traces(list, new dev.tracebench.core.query.TraceSort(
                        dev.tracebench.core.query.TraceSort.Column.START, false), 0, 500).size(), f.summary());
            }
        }
    }

    @Test
    void aRareOperationIsSlowOnlyAgainstEveryRequest() throws java.io.IOException {
        long slowBefore = analysis.count(Cohort.slow(95));
        // one trace of an operation seen nowhere else, faster than most: alone, it would be its own p95
        importText("rare.json", """
                {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"rare"}}]},
                 "scopeSpans":[{"spans":[{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708",
                 "name":"GET /rare","kind":2,"startTimeUnixNano":"1763600000000000000",
                 "endTimeUnixNano":"1763600000005000000"}]}]}]}
                """);
        assertEquals(3001, analysis.count(Cohort.all()));
        assertEquals(slowBefore, analysis.count(Cohort.slow(95)), "a 5 ms request is not slow");
        assertEquals(0, sql("SELECT count(*) FROM traces WHERE root_name = 'GET /rare' AND duration_ns >= "
                + "(SELECT quantile_cont(duration_ns, 0.95) FROM traces)"));
    }

    @Test
    void cohortsSelectWhatTheySay() {
        assertEquals(3000, analysis.count(Cohort.all()));
        assertEquals(sql("SELECT count(*) FROM traces WHERE error_count > 0"), analysis.count(Cohort.errors()));
        assertEquals(sql("SELECT count(*) FROM traces WHERE duration_ns >= 2000000000"),
                analysis.count(Cohort.parse("slow:2s")));
        long slow = analysis.count(Cohort.slow(95));
        assertTrue(slow > 100 && slow < 250, "about 5% of 3,000: " + slow);
        assertEquals(sql("SELECT count(*) FROM traces WHERE model = 'gpt-4o-mini' AND docs > 0"),
                analysis.count(Cohort.filter("model = 'gpt-4o-mini' AND docs > 0")));
        assertThrows(QueryRefusedException.class, () -> analysis.count(Cohort.filter("true; DROP TABLE spans")));
        assertTrue(analysis.filterColumns().contains("retrieval_ns BIGINT"));
    }

    @Test
    void timelineHeatmapAndHistogramAgreeWithTheCount() {
        Timeline t = analysis.timeline(Cohort.all(), 24);
        assertEquals(3000, t.buckets().stream().mapToLong(Timeline.Bucket::traces).sum());
        for (Timeline.Bucket b : t.buckets()) {
            double stacked = b.meanByStage().values().stream().mapToDouble(Double::doubleValue).sum();
            assertEquals(b.meanNs(), stacked, 1.0, "stacked stage means add up to the mean duration");
        }
        Heatmap h = analysis.heatmap(Cohort.all(), 40, 30);
        long cells = 0;
        for (long[] col : h.counts()) {
            for (long v : col) {
                cells += v;
            }
        }
        assertEquals(3000, cells);
        Cohort region = Cohort.region(h.timeEdge(0), h.timeEdge(20), h.durationEdge(15), h.durationEdge(30));
        long inRegion = 0;
        for (int x = 0; x < 20; x++) {
            for (int y = 15; y < 30; y++) {
                inRegion += h.counts()[x][y];
            }
        }
        assertEquals(inRegion, analysis.count(region), 3, "a brushed region selects what the cells showed");
        Histogram all = analysis.histogram(Cohort.all(), null, 20);
        assertEquals(3000, all.zero() + all.bins().stream().mapToLong(Histogram.Bin::traces).sum());
        Histogram tool = analysis.histogram(Cohort.all(), "tool", 20);
        assertEquals(sql("SELECT count(*) FROM traces WHERE tool_ns = 0"), tool.zero());
    }

    @Test
    void criticalPathOnScreenMatchesWhatTheImportStored() {
        TraceId slowest = TraceId.fromHex(rows("SELECT trace_hex(trace_id) FROM traces ORDER BY duration_ns DESC "
                + "LIMIT 1").get(0).get(0).toString());
        CriticalPath p = analysis.criticalPath(slowest).orElseThrow();
        List<List<Object>> stored = rows("SELECT duration_ns, retrieval_ns, inference_ns, other_ns FROM traces "
                + "WHERE trace_hex(trace_id) = '" + slowest.hex() + "'");
        assertEquals(((Number) stored.get(0).get(0)).longValue(), p.traceDurationNs());
        assertEquals(((Number) stored.get(0).get(1)).longValue(), p.byStage().getOrDefault("retrieval", 0L));
        assertEquals(((Number) stored.get(0).get(2)).longValue(), p.byStage().getOrDefault("inference", 0L));
        long sum = p.byStage().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(p.traceDurationNs(), sum);
        assertTrue(p.onPath(p.rootSpanId()));
        assertTrue(TraceAnalyzer.STAGES.containsAll(p.byStage().keySet()));
    }

    @Test
    void aSlowTraceComparedWithATypicalOne() {
        TraceId slow = TraceId.fromHex(rows("SELECT trace_hex(trace_id) FROM traces WHERE root_name = 'POST /v1/chat' "
                + "ORDER BY duration_ns DESC LIMIT 1").get(0).get(0).toString());
        TraceId typical = analysis.typicalPeer(slow).orElseThrow();
        Comparison c = analysis.compare(typical, slow).orElseThrow();
        assertEquals("POST /v1/chat", c.a().rootName());
        assertTrue(c.b().durationNs() > c.a().durationNs());
        long stageDelta = c.stages().stream().mapToLong(Comparison.Delta::deltaNs).sum();
        assertEquals(c.b().durationNs() - c.a().durationNs(), stageDelta, "stage deltas add up to the difference");
        long opDelta = c.operations().stream().mapToLong(Comparison.Delta::deltaNs).sum();
        assertEquals(stageDelta, opDelta);
        for (int i = 1; i < c.stages().size(); i++) {
            assertTrue(Math.abs(c.stages().get(i - 1).deltaNs()) >= Math.abs(c.stages().get(i).deltaNs()));
        }
    }

    @Test
    void pickersOfferRealValues() {
        assertEquals("gpt-4o-mini", analysis.dimensionValues(GroupBy.of(Dimension.MODEL), 5).get(0));
        assertTrue(analysis.dimensionValues(GroupBy.of(Dimension.ROUTE), 10).contains("/v1/chat"));
        List<String> keys = analysis.attributeKeys(50);
        assertTrue(keys.contains("gen_ai.request.model"), keys.toString());
    }
}
