package dev.tracebench.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Dimension;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.GroupBy;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.analysis.StageStat;
import dev.tracebench.core.analysis.TraceAnalyzer;
import dev.tracebench.core.analysis.rootcause.RootCauseScorer;
import dev.tracebench.core.analysis.rootcause.RootCauseScorer.CountedProperty;
import dev.tracebench.core.analysis.rootcause.TraceSample;
import dev.tracebench.core.slo.SliSeries;
import dev.tracebench.core.slo.Slo;
import dev.tracebench.core.slo.SloFile;
import dev.tracebench.core.slo.SloParser;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.samples.Scenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job against core's DuckDB analyses on the same generated traces: a model rollout (slow requests on the new
 * model version) and normal traffic, 3,000 traces each, as lakes. Counts must be identical, exact percentiles equal
 * (to the nanosecond core rounds to), and core's root-cause rule over Spark's counts must name what core names.
 */
class LakeAnalysisTest {
    private static final String PLANTED = "gpt-4o-mini-2025-01-20";

    @TempDir
    static Path dir;

    private static Breakdown coreBreakdown;
    private static List<Finding> coreFindings;
    private static Path rolloutOut;
    private static List<Map<String, String>> baselineCounts;
    private static List<Finding> baselineFindings;
    /** Latency, availability, cost and tokens SLOs, with thresholds from the workspace (TestLakes.slos). */
    private static SloFile sloFile;
    private static List<String> sloOptions;
    private static final Map<String, SliSeries> coreSeries = new HashMap<>();

    @BeforeAll
    static void analyseBothWays() throws Exception {
        Path rollout = TestLakes.lake(Scenario.MODEL_ROLLOUT, 3_000, 1, dir.resolve("rollout"), ws -> {
            coreBreakdown = ws.analysis().breakdown(Cohort.all(), GroupBy.of(Dimension.MODEL_VERSION));
            coreFindings = ws.analysis().explain(Cohort.parse("slow:p95"), CheckSettings.DEFAULTS,
                    CancellationToken.none());
            TestLakes.Slos slos = TestLakes.slos(ws);
            sloFile = slos.file();
            sloOptions = slos.options();
            for (Slo slo : sloFile.slos()) {
                coreSeries.put(slo.sli().id(), ws.slos().series(slo));
            }
        });
        rolloutOut = dir.resolve("rollout-out");
        List<String> args = new java.util.ArrayList<>(List.of("--lake", rollout.toString(), "--out",
                rolloutOut.toString(), "--group-by", "model-version"));
        args.addAll(sloOptions);
        LakeAnalysis.run(TestLakes.spark(), LakeAnalysis.Options.parse(args.toArray(String[]::new)));

        Path baseline = TestLakes.lake(Scenario.BASELINE, 3_000, 1, dir.resolve("baseline"), ws ->
                baselineFindings = ws.analysis().explain(Cohort.parse("slow:p95"), CheckSettings.DEFAULTS,
                        CancellationToken.none()));
        Path baselineOut = dir.resolve("baseline-out");
        LakeAnalysis.run(TestLakes.spark(), LakeAnalysis.Options.parse("--lake", baseline.toString(), "--out",
                baselineOut.toString()));
        baselineCounts = csv(baselineOut.resolve("rootcause_counts.csv"));
    }

    @Test
    void theJobsListsAreCores() {
        assertEquals(TraceAnalyzer.STAGES, LakeAnalysis.STAGES);
        assertEquals(TraceSample.DIMENSIONS, LakeAnalysis.DIMENSIONS);
        assertEquals(Breakdown.NONE, LakeAnalysis.NONE);
    }

    @Test
    void theBreakdownIsDuckDbsToTheNanosecond() throws IOException {
        Map<String, Map<String, String>> spark = new HashMap<>();
        for (Map<String, String> row : csv(rolloutOut.resolve("breakdown.csv"))) {
            boolean overall = Boolean.parseBoolean(row.get("overall"));
            assertEquals(overall, row.get("group_value").isEmpty(), "only the overall row has no group: " + row);
            spark.put(overall ? null : row.get("group_value"), row);
        }
        assertTrue(coreBreakdown.groups().size() >= 3, "the rollout has several model versions: "
                + coreBreakdown.groups());
        assertEquals(coreBreakdown.groups().size(), spark.size(), spark.keySet().toString());
        int stagesCompared = 0;
        for (Breakdown.Group g : coreBreakdown.groups()) {
            Map<String, String> row = spark.get(g.value());
            assertNotNull(row, "Spark has no group " + g.value() + ": " + spark.keySet());
            String where = "group " + g.value();
            assertEquals(g.traces(), Long.parseLong(row.get("traces")), where);
            assertEquals(g.p50Ns(), ns(row, "duration_p50_ns"), where + " p50");
            assertEquals(g.p95Ns(), ns(row, "duration_p95_ns"), where + " p95");
            assertEquals(g.p99Ns(), ns(row, "duration_p99_ns"), where + " p99");
            assertEquals(g.totalNs(), Long.parseLong(row.get("duration_total_ns")), where + " total");
            for (StageStat s : g.stages()) {
                String p = s.stage() + "_";
                String at = where + " stage " + s.stage();
                assertEquals(s.traces(), Long.parseLong(row.get(p + "traces")), at);
                assertEquals(s.totalNs(), Long.parseLong(row.get(p + "total_ns")), at);
                if (s.traces() > 0) {
                    assertEquals(s.p50Ns(), ns(row, p + "p50_ns"), at + " p50");
                    assertEquals(s.p90Ns(), ns(row, p + "p90_ns"), at + " p90");
                    assertEquals(s.p95Ns(), ns(row, p + "p95_ns"), at + " p95");
                    assertEquals(s.p99Ns(), ns(row, p + "p99_ns"), at + " p99");
                    stagesCompared++;
                }
            }
        }
        assertTrue(stagesCompared >= 12, "stages with time were compared: " + stagesCompared);
    }

    @Test
    void coresRuleOverSparksCountsNamesCoresTopFinding() throws IOException {
        Finding top = coreFindings.get(0);
        assertTrue(top.aboutCohort() && top.severity().compareTo(Severity.WARNING) >= 0, top.summary());
        assertTrue(top.evidence().facts().toString().contains(PLANTED), "core names the planted version: "
                + top.summary());

        List<CountedProperty> counted = counted(csv(rolloutOut.resolve("rootcause_counts.csv")));
        List<CountedProperty> ranked = RootCauseScorer.rank(counted, CheckSettings.DEFAULTS);
        assertFalse(ranked.isEmpty(), "some dimension sets the slow traces apart: " + counted);
        CountedProperty first = ranked.get(0);
        assertEquals(top.evidence().facts().get("value"), first.value(), "core: " + top.summary() + "; Spark: "
                + first);
        // the same cohort and the same population: nothing sampled at 3,000 traces
        assertEquals(top.evidence().cohortTraces(), first.cohortTraces());
        assertEquals(top.evidence().restTraces(), first.restTraces());
        System.out.println("core's top finding: " + top.summary() + " " + top.evidence());
        System.out.println("Spark's counts ranked by core's rule: " + ranked);
        if ("model_version".equals(top.evidence().facts().get("dimension"))) {
            // the same property: the same counts, so the same severity
            assertEquals(top.severity(), first.severity(), first.toString());
            assertEquals(top.evidence().cohortMatching(), first.cohortMatching());
            assertEquals(top.evidence().restMatching(), first.restMatching());
        }
        // every trace is counted once per dimension: the values of a dimension add up to at most the traces
        Map<String, Long> perDimension = new HashMap<>();
        counted.forEach(c -> perDimension.merge(c.dimension(), c.cohortMatching() + c.restMatching(), Long::sum));
        perDimension.forEach((d, n) -> assertTrue(n <= 3_000, d + ": " + n));
        assertEquals(3_000L, perDimension.get("root_name"), "every trace has a root operation");
    }

    @Test
    void normalTrafficRanksNothingAboveNotice() {
        assertTrue(baselineFindings.stream().allMatch(f -> f.severity().compareTo(Severity.WARNING) < 0));
        for (CountedProperty p : RootCauseScorer.rank(counted(baselineCounts), CheckSettings.DEFAULTS)) {
            assertTrue(p.severity().compareTo(Severity.WARNING) < 0, p.toString());
        }
        assertFalse(baselineCounts.isEmpty(), "the counts are there, only unremarkable");
    }

    @Test
    void theSliSeriesAreDuckDbsStepByStep() throws IOException {
        List<Map<String, String>> rows = csv(rolloutOut.resolve("sli_series.csv"));
        for (Slo slo : sloFile.slos()) {
            SliSeries core = coreSeries.get(slo.sli().id());
            assertTrue(core.buckets() > 10, "the traffic spans many steps: " + core.buckets());
            long[] total = new long[core.buckets()];
            long[] good = new long[core.buckets()];
            long origin = core.origin().getEpochSecond() * 1_000_000_000L + core.origin().getNano();
            for (Map<String, String> r : rows) {
                if (r.get("sli").equals(slo.sli().id())) {
                    // the threshold in the SLI's unit (none for availability), and threshold_ns only for latency
                    assertEquals(Double.isNaN(slo.threshold()) ? 0 : slo.threshold(),
                            Double.parseDouble(r.get("threshold")), slo.name());
                    assertEquals(slo.sli() == dev.tracebench.core.slo.Sli.LATENCY ? (long) slo.threshold() : 0,
                            Long.parseLong(r.get("threshold_ns")), slo.name());
                    long step = Long.parseLong(r.get("step_ns"));
                    assertEquals(core.step().toNanos(), step);
                    int i = (int) (Long.parseLong(r.get("step_index")) - origin / step);
                    total[i] = Long.parseLong(r.get("total"));
                    good[i] = Long.parseLong(r.get("good"));
                }
            }
            assertArrayEquals(core.total(), total, slo.name());
            assertArrayEquals(core.good(), good, slo.name());
            long bad = java.util.Arrays.stream(total).sum() - java.util.Arrays.stream(good).sum();
            assertTrue(bad > 0, slo.name() + ": the rollout's slow and failing requests are bad events");
        }
    }

    /**
     * Eval SLIs over the lake's eval results joined to its traces, on a hallucination spike (the model-rollout lakes'
     * results are all grounded): the series the result folder gives core's RemoteResult for the SLO equals core's
     * bucket by bucket. The SLO names the evaluator and label in another case than the job's option: both count the
     * same.
     */
    @Test
    void evalSeriesAreDuckDbsOnAHallucinationSpike() throws IOException {
        SloFile file = SloParser.parse("""
                slos:
                  - name: grounded
                    sli: eval
                    evaluator: Groundedness
                    label: GROUNDED
                    objective: 99%
                """, "slo.yaml");
        Slo slo = file.slos().get(0);
        SliSeries[] core = new SliSeries[1];
        Path lake = TestLakes.lake(Scenario.HALLUCINATION_SPIKE, 1_000, 3, dir.resolve("spike"), ws ->
                core[0] = ws.slos().series(slo));
        Path out = dir.resolve("spike-out");
        LakeAnalysis.run(TestLakes.spark(), LakeAnalysis.Options.parse("--lake", lake.toString(), "--out",
                out.toString(), "--slo", "eval:groundedness:grounded"));
        dev.tracebench.core.remote.RemoteResult remote = dev.tracebench.core.remote.RemoteResult.open(out);
        assertEquals(1, remote.series().size());
        SliSeries spark = remote.seriesFor(slo);
        assertEquals(core[0].origin(), spark.origin());
        assertEquals(core[0].step(), spark.step());
        assertArrayEquals(core[0].total(), spark.total());
        assertArrayEquals(core[0].good(), spark.good());
        long total = java.util.Arrays.stream(spark.total()).sum();
        long good = java.util.Arrays.stream(spark.good()).sum();
        assertTrue(good > 0 && good < total, good + " of " + total + " grounded: the spike's hallucinations are bad");
        Map<String, String> row = csv(out.resolve("sli_series.csv")).get(0);
        assertEquals("groundedness", row.get("evaluator"));
        assertEquals("grounded", row.get("label"));
        System.out.println("eval groundedness:grounded: " + good + " good of " + total + ", core and Spark");
        // a lake without eval results is refused by name
        Path bare = dir.resolve("bare");
        Files.createDirectories(bare);
        Files.copy(lake.resolve(LakeAnalysis.LAKE_MANIFEST), bare.resolve(LakeAnalysis.LAKE_MANIFEST));
        Files.createDirectories(bare.resolve("traces"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LakeAnalysis.run(
                TestLakes.spark(), LakeAnalysis.Options.parse("--lake", bare.toString(), "--out",
                        dir.resolve("bare-out").toString(), "--slo", "eval:groundedness:grounded")));
        assertTrue(e.getMessage().contains("has no eval_results table"), e.getMessage());
    }

    @Test
    void approximatePercentilesAreWithinTheirRankError() throws IOException {
        Path lake = dir.resolve("rollout/lake");
        Path out = dir.resolve("approx-out");
        int accuracy = 100; // rank error at most 1/100 of the traces: 30 of 3,000
        LakeAnalysis.run(TestLakes.spark(), LakeAnalysis.Options.parse("--lake", lake.toString(), "--out",
                out.toString(), "--approx", Integer.toString(accuracy)));
        long[] sorted = TestLakes.spark().read().schema(LakeAnalysis.TRACES_SCHEMA).parquet(lake.resolve("traces")
                .toString()).select("duration_ns").collectAsList().stream().mapToLong(r -> r.getLong(0)).sorted()
                .toArray();
        Map<String, String> overall = csv(out.resolve("breakdown.csv")).get(0);
        assertEquals("true", overall.get("overall"));
        int n = sorted.length;
        for (String[] q : new String[][] {{"duration_p50_ns", "0.5"}, {"duration_p95_ns", "0.95"},
            {"duration_p99_ns", "0.99"}}) {
            long v = Long.parseLong(overall.get(q[0]));
            int rank = java.util.Arrays.binarySearch(sorted, v);
            assertTrue(rank >= 0, q[0] + " is one of the durations: " + v);
            double wanted = Double.parseDouble(q[1]) * n;
            assertTrue(Math.abs(rank - wanted) <= (double) n / accuracy + 1, q[0] + ": rank " + rank + " vs "
                    + wanted);
        }
        assertTrue(Files.readString(out.resolve(LakeAnalysis.MANIFEST)).contains("accuracy 100"));
    }

    @Test
    void theManifestListsTheTables() throws IOException {
        String m = Files.readString(rolloutOut.resolve(LakeAnalysis.MANIFEST));
        assertTrue(m.contains("\"format\": \"tracebench-spark-result\""), m);
        assertTrue(m.contains("\"traces\": 3000"), m);
        assertTrue(m.contains("\"group_by\": \"model_version\""), m);
        for (String f : List.of("breakdown.csv", "slow_thresholds.csv", "rootcause_counts.csv")) {
            assertTrue(m.contains(f), m);
            assertTrue(Files.isRegularFile(rolloutOut.resolve(f)), f);
        }
    }

    @Test
    void aFolderThatIsNoLakeIsRefusedByName() throws IOException {
        Path notLake = Files.createDirectories(dir.resolve("not-a-lake"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LakeAnalysis.run(
                TestLakes.spark(), LakeAnalysis.Options.parse("--lake", notLake.toString(), "--out",
                        dir.resolve("x").toString())));
        assertTrue(e.getMessage().contains(notLake.toString()) && e.getMessage().contains("_tracebench_lake.json"),
                e.getMessage());
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class, () -> LakeAnalysis.run(
                TestLakes.spark(), LakeAnalysis.Options.parse("--lake", dir.resolve("rollout/lake").toString(),
                        "--out", dir.resolve("y").toString(), "--group-by", "colour")));
        assertTrue(g.getMessage().contains("colour"), g.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LakeAnalysis.Options.parse("--lake", "x"));
        assertThrows(IllegalArgumentException.class, () -> LakeAnalysis.Options.parse("--lake", "x", "--out", "y",
                "--approx", "many"));
        for (String bad : List.of("latency:2s", "latency:1.5", "cost:cheap", "cost:0", "tokens:1.5", "tokens:-3",
                "eval:x", "eval::grounded", "eval:groundedness:", "relevance:0.8")) {
            IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> LakeAnalysis.Options
                    .parse("--lake", "x", "--out", "y", "--slo", bad));
            assertTrue(s.getMessage().endsWith("not " + bad), s.getMessage());
        }
        assertEquals(List.of(new LakeAnalysis.SloSpec("cost", new java.math.BigDecimal("0.05"), null, null),
                new LakeAnalysis.SloSpec("tokens", new java.math.BigDecimal("4E+3"), null, null),
                new LakeAnalysis.SloSpec("eval", java.math.BigDecimal.ZERO, "judge", "ok: mostly")),
                LakeAnalysis.Options.parse("--lake", "x", "--out", "y", "--slo", "cost:0.050", "--slo", "tokens:4000",
                        "--slo", "eval:judge:ok: mostly").slos());
        // an evaluator or label is spliced into Spark SQL as a literal that reads back as itself
        String odd = "it's a \\ back'slash\\'";
        assertEquals(odd, TestLakes.spark().sql("SELECT " + LakeAnalysis.quote(odd)).first().getString(0));
    }

    // ------------------------------------------------------------------ helpers

    /** core rounds its quantile_cont values to whole nanoseconds. */
    private static long ns(Map<String, String> row, String column) {
        return Math.round(Double.parseDouble(row.get(column)));
    }

    private static List<CountedProperty> counted(List<Map<String, String>> rows) {
        List<CountedProperty> out = new ArrayList<>();
        for (Map<String, String> r : rows) {
            out.add(new CountedProperty(r.get("dimension"), r.get("value"), Long.parseLong(r.get("cohort_matching")),
                    Long.parseLong(r.get("cohort_traces")), Long.parseLong(r.get("rest_matching")),
                    Long.parseLong(r.get("rest_traces"))));
        }
        return out;
    }

    /** The job's CSV (RFC 4180 quoting) as rows keyed by the header. */
    static List<Map<String, String>> csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> header = fields(lines.get(0));
        List<Map<String, String>> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = fields(line);
            assertEquals(header.size(), f.size(), line);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < f.size(); i++) {
                row.put(header.get(i), f.get(i));
            }
            out.add(row);
        }
        return out;
    }

    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
