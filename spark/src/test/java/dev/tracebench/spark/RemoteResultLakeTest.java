package dev.tracebench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Dimension;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.GroupBy;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.analysis.StageStat;
import dev.tracebench.core.remote.RemoteResult;
import dev.tracebench.core.slo.SliSeries;
import dev.tracebench.core.slo.Slo;
import dev.tracebench.core.slo.SloEngine;
import dev.tracebench.core.slo.SloFile;
import dev.tracebench.core.slo.SloReport;
import dev.tracebench.core.slo.SloStatus;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.samples.Scenario;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job's result folder opened with core's {@link RemoteResult}, against core's DuckDB analyses of the same
 * 3,000 model-rollout traces: the breakdown records equal, the top finding names core's explain's top value, and the
 * SLO status (good/total, compliance, budget, burn rates) equal to what {@code slo check} computes on the workspace
 * for the same SLO file.
 */
class RemoteResultLakeTest {
    /** Latency, availability, cost and tokens SLOs, with thresholds from the workspace (TestLakes.slos). */
    private static SloFile sloFile;
    private static List<String> sloOptions;

    @TempDir
    static Path dir;

    private static Breakdown coreBreakdown;
    private static List<Finding> coreFindings;
    private static final List<SloStatus> coreSlos = new ArrayList<>();
    private static RemoteResult remote;

    @BeforeAll
    static void analyseBothWays() throws Exception {
        Path lake = TestLakes.lake(Scenario.MODEL_ROLLOUT, 3_000, 7, dir.resolve("rollout"), ws -> {
            coreBreakdown = ws.analysis().breakdown(Cohort.all(), GroupBy.of(Dimension.MODEL_VERSION));
            coreFindings = ws.analysis().explain(Cohort.parse("slow:p95"), CheckSettings.DEFAULTS,
                    CancellationToken.none());
            TestLakes.Slos slos = TestLakes.slos(ws);
            sloFile = slos.file();
            sloOptions = slos.options();
            // as slo check (SloRun.report): each SLO's series from the store, evaluated at the end of the latest
            List<SliSeries> series = sloFile.slos().stream().map(s -> ws.slos().series(s)).toList();
            Instant end = series.stream().map(SliSeries::end).max(Instant::compareTo).orElseThrow();
            for (int i = 0; i < series.size(); i++) {
                coreSlos.add(SloEngine.evaluate(sloFile.slos().get(i), series.get(i), end));
            }
        });
        Path out = dir.resolve("result");
        List<String> args = new java.util.ArrayList<>(List.of("--lake", lake.toString(), "--out", out.toString(),
                "--group-by", "model-version"));
        args.addAll(sloOptions);
        LakeAnalysis.run(TestLakes.spark(), LakeAnalysis.Options.parse(args.toArray(String[]::new)));
        remote = RemoteResult.open(out);
    }

    @Test
    void theBreakdownIsCoresRecordForRecord() {
        Breakdown b = remote.breakdown();
        assertEquals(coreBreakdown.groupBy(), b.groupBy());
        assertTrue(coreBreakdown.groups().size() >= 3 && coreBreakdown.groups().size() <= Breakdown.MAX_GROUPS,
                coreBreakdown.groups().toString());
        assertEquals(coreBreakdown.groups().size(), b.groups().size());
        int stages = 0;
        for (int i = 0; i < b.groups().size(); i++) {
            Breakdown.Group core = coreBreakdown.groups().get(i);
            Breakdown.Group spark = b.groups().get(i);
            String where = "group " + core.value();
            // the same order (largest first) and the same numbers; only the per-operation lists are not in Spark's
            assertEquals(core.value(), spark.value(), where);
            assertEquals(core.traces(), spark.traces(), where);
            assertEquals(core.p50Ns(), spark.p50Ns(), where);
            assertEquals(core.p95Ns(), spark.p95Ns(), where);
            assertEquals(core.p99Ns(), spark.p99Ns(), where);
            assertEquals(core.totalNs(), spark.totalNs(), where);
            assertTrue(spark.operations().isEmpty());
            for (int k = 0; k < core.stages().size(); k++) {
                StageStat c = core.stages().get(k);
                StageStat s = spark.stages().get(k);
                String at = where + " " + c.stage();
                assertEquals(c.stage(), s.stage(), at);
                assertEquals(c.traces(), s.traces(), at);
                assertEquals(c.totalNs(), s.totalNs(), at);
                assertEquals(c.meanNs(), s.meanNs(), 1e-6, at);
                assertEquals(c.share(), s.share(), 1e-12, at);
                if (c.traces() > 0) {
                    assertEquals(c.p50Ns(), s.p50Ns(), at);
                    assertEquals(c.p90Ns(), s.p90Ns(), at);
                    assertEquals(c.p95Ns(), s.p95Ns(), at);
                    assertEquals(c.p99Ns(), s.p99Ns(), at);
                    stages++;
                }
            }
        }
        assertTrue(stages >= 12, "stages with time compared: " + stages);
    }

    @Test
    void theTopFindingIsCoresTopValuePhrasedTheSameWay() {
        Finding core = coreFindings.get(0);
        assertTrue(core.severity().compareTo(Severity.WARNING) >= 0, core.summary());
        List<Finding> findings = remote.findings(CheckSettings.DEFAULTS);
        assertFalse(findings.isEmpty());
        Finding top = findings.get(0);
        assertEquals(core.evidence().facts().get("value"), top.evidence().facts().get("value"),
                "core: " + core.summary() + " / remote: " + top.summary());
        assertEquals(core.evidence().cohortTraces(), top.evidence().cohortTraces());
        assertEquals(core.evidence().restTraces(), top.evidence().restTraces());
        assertEquals("dimension", top.evidence().facts().get("kind"));
        assertTrue(top.aboutCohort());
        // explain's own sentence for a dimension value: the same beginning and the same wording of the value
        assertTrue(top.summary().matches("\\d+% of " + java.util.regex.Pattern.quote(Cohort.parse("slow:p95").noun())
                + " were served by model version .+ \\(vs \\d+(\\.\\d)?% of the others\\)\\."), top.summary());
        // where core's top is the same dimension, the finding is the same but for the cost and examples
        coreFindings.stream().filter(f -> top.evidence().facts().equals(f.evidence().facts())).findFirst()
                .ifPresent(f -> {
                    assertEquals(f.summary(), top.summary());
                    assertEquals(f.severity(), top.severity());
                });
        System.out.println("core's top finding: " + core.summary());
        System.out.println("the remote result's: " + top.summary() + " / " + top.explanation());
    }

    @Test
    void theSloStatusIsSloChecks() {
        SloReport report = remote.sloReport(sloFile);
        assertEquals(sloFile.slos().size(), report.results().size());
        for (int i = 0; i < coreSlos.size(); i++) {
            SloStatus core = coreSlos.get(i);
            SloStatus spark = report.results().get(i).status();
            String name = core.slo().name();
            assertTrue(core.total() > 0, name);
            assertEquals(core.total(), spark.total(), name);
            assertEquals(core.good(), spark.good(), name);
            assertTrue(core.bad() > 0, name + ": the rollout's slow and failing requests are bad events");
            assertEquals(core.sli(), spark.sli(), 0, name);
            assertEquals(core.budgetConsumed(), spark.budgetConsumed(), 1e-12, name);
            assertEquals(core.state(), spark.state(), name);
            assertEquals(core.at(), spark.at(), name);
            assertEquals(core.windowStart(), spark.windowStart(), name);
            assertEquals(core.rules().size(), spark.rules().size(), name);
            for (int k = 0; k < core.rules().size(); k++) {
                assertEquals(core.rules().get(k).longBurnRate(), spark.rules().get(k).longBurnRate(), 1e-12, name);
                assertEquals(core.rules().get(k).firing(), spark.rules().get(k).firing(), name);
            }
            assertEquals(core.timeline().size(), spark.timeline().size(), name);
            System.out.printf("%s (%s %s): %d good of %d, core and Spark%n", name, core.slo().sli().id(),
                    core.slo().threshold(), spark.good(), spark.total());
        }
        // without a file: each series at the stated default objective
        Slo first = remote.defaultSlos().slos().get(0);
        assertNotNull(first);
        assertEquals(RemoteResult.DEFAULT_OBJECTIVE, first.objective());
    }
}
