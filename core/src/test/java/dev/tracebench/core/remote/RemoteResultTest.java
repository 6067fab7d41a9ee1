package dev.tracebench.core.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Dimension;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.analysis.StageStat;
import dev.tracebench.core.analysis.TraceAnalyzer;
import dev.tracebench.core.slo.SloConfigException;
import dev.tracebench.core.slo.SloParser;
import dev.tracebench.core.slo.SloReport;
import dev.tracebench.core.slo.SloStatus;
import dev.tracebench.core.testing.RemoteResults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A result folder written by hand ({@link RemoteResults}: the job's format, docs/spark.md) read back; every expected
 * value below is worked out by hand from the rows written there, not by the code under test.
 */
class RemoteResultTest {
    private static final long S = 1_000_000_000L;

    @TempDir
    Path dir;

    private void writeResult(int version, String breakdownExtra) throws IOException {
        RemoteResults.write(dir, version, breakdownExtra);
    }

    @Test
    void aHandWrittenResultReadsBackAsCoresRecords() throws IOException {
        writeResult(1, "");
        RemoteResult r = RemoteResult.open(dir);
        assertEquals(4, r.manifest().traces());
        assertEquals("/data/lake-one", r.manifest().lake());
        assertEquals("lake-one", r.lakeName());
        Breakdown b = r.breakdown();
        assertEquals(Dimension.MODEL, b.groupBy().dimension());
        assertEquals(3, b.groups().size());
        Breakdown.Group all = b.overall();
        assertNull(all.value());
        assertEquals(4, all.traces());
        assertEquals(2_500_000_000L, all.p50Ns());
        assertEquals(8_950_000_000L, all.p95Ns());
        assertEquals(9_790_000_000L, all.p99Ns());
        assertEquals(16 * S, all.totalNs());
        StageStat inference = all.stages().get(TraceAnalyzer.STAGES.indexOf("inference"));
        assertEquals(3, inference.traces());
        assertEquals(6 * S, inference.totalNs());
        assertEquals(2.0 * S, inference.meanNs(), 0.5); // 6 s over 3 traces
        assertEquals(6.0 / 16, inference.share(), 1e-12); // of the 16 s of all four
        StageStat tool = all.stages().get(TraceAnalyzer.STAGES.indexOf("tool"));
        assertEquals(0, tool.traces());
        assertEquals(0, tool.p95Ns()); // empty percentile: no trace had the stage
        assertTrue(all.operations().isEmpty(), "Spark's output has no per-operation lists");
        // the groups follow, largest first (equal: by name)
        assertEquals("a", b.groups().get(1).value());
        assertEquals(1_500_000_000L, b.groups().get(1).stages().get(TraceAnalyzer.STAGES.indexOf("inference"))
                .p50Ns());
        assertEquals(0.0, b.groups().get(1).stages().get(TraceAnalyzer.STAGES.indexOf("retrieval")).share());
        assertEquals(4.0 / 13, b.groups().get(2).stages().get(TraceAnalyzer.STAGES.indexOf("retrieval")).share(),
                1e-12);
        // a quoted name with a comma, and a decimal threshold rounded to the nanosecond
        assertEquals("POST /v1/chat, streaming", r.thresholds().get(0).rootName());
        assertEquals(3_650_000_000L, r.thresholds().get(0).thresholdNs());
        assertEquals("4", r.facts().get("traces"));
        assertEquals("model", r.facts().get("group by"));
    }

    @Test
    void onlyTheValueThatSetsTheSlowTracesApartIsAFinding() throws IOException {
        writeResult(1, "");
        List<Finding> findings = RemoteResult.open(dir).findings(CheckSettings.DEFAULTS);
        assertEquals(1, findings.size(), findings.toString());
        Finding f = findings.get(0);
        // v2: 80 of 100 slow (80%) against 95 of 1,900 others (5%): 75 points, 16 times: critical (≥ 50 points, ≥ 5×)
        assertEquals(Severity.CRITICAL, f.severity());
        assertTrue(f.summary().startsWith("80% of "), f.summary());
        assertTrue(f.summary().contains("were served by model version v2 (vs 5% of the others)."), f.summary());
        assertTrue(f.explanation().contains("this property is 16 times as common in the cohort"), f.explanation());
        assertTrue(f.explanation().contains("POST /v1/chat, streaming 3.65 s"), f.explanation());
        assertEquals(80, f.evidence().cohortMatching());
        assertEquals(1_900, f.evidence().restTraces());
        assertEquals("model_version", f.evidence().facts().get("dimension"));
        assertEquals("v2", f.evidence().facts().get("value"));
        assertTrue(f.aboutCohort());
    }

    @Test
    void proportionalCountsGiveNoFinding() throws IOException {
        writeResult(1, "");
        Files.writeString(dir.resolve("rootcause_counts.csv"), """
                dimension,value,cohort_matching,cohort_traces,rest_matching,rest_traces
                tenant,t1,50,100,950,1900
                tenant,t2,50,100,950,1900
                model,m,100,100,1900,1900
                model_version,v1,20,100,1805,1900
                """);
        assertTrue(RemoteResult.open(dir).findings(CheckSettings.DEFAULTS).isEmpty());
    }

    @Test
    void theSloEngineRunsOverTheJobsSeries() throws IOException {
        writeResult(1, "");
        RemoteResult r = RemoteResult.open(dir);
        assertEquals(1, r.series().size());
        assertEquals(3, r.series().get(0).series().buckets(), "the empty middle minute is a bucket");
        SloReport report = r.sloReport(SloParser.parse("""
                slos:
                  - name: up
                    sli: availability
                    objective: 99%
                """, "slo.yaml"));
        SloStatus st = report.results().get(0).status();
        // 144 good of 150; 6 bad against a budget of 1% of 150 = 1.5: 400% consumed
        assertEquals(150, st.total());
        assertEquals(144, st.good());
        assertEquals(0.96, st.sli(), 1e-12);
        assertEquals(4.0, st.budgetConsumed(), 1e-9);
        assertTrue(report.failing());
        // without a file: the same series at the stated default objective
        SloReport byDefault = r.sloReport(r.defaultSlos());
        assertTrue(byDefault.file().contains("99%"), byDefault.file());
        assertEquals(144, byDefault.results().get(0).status().good());
        // a latency series with a threshold of 1.5 s and a nanosecond more: each gets its own default SLO
        Files.writeString(dir.resolve("sli_series.csv"), """
                sli,threshold_ns,step_ns,step_index,total,good
                latency,1500000000,60000000000,29000000,10,9
                latency,1500000001,60000000000,29000000,10,7
                """);
        SloReport latency = RemoteResult.open(dir).sloReport(RemoteResult.open(dir).defaultSlos());
        assertEquals(2, latency.results().size());
        assertEquals(9, latency.results().get(0).status().good());
        assertEquals(7, latency.results().get(1).status().good());
        assertEquals(1_500_000_001L, Math.round(latency.results().get(1).status().slo().threshold()));
    }

    @Test
    void costAndTokensSeriesAreCoresCostAndTokensSlis() throws IOException {
        writeResult(1, "");
        Files.writeString(dir.resolve("sli_series.csv"), """
                sli,threshold_ns,step_ns,step_index,total,good,threshold
                cost,0,60000000000,29000000,20,15,0.05
                tokens,0,60000000000,29000001,10,4,4000
                """);
        RemoteResult r = RemoteResult.open(dir);
        assertEquals(List.of("cost:0.05", "tokens:4000"), r.series().stream().map(RemoteResult.Series::spec)
                .toList());
        // tokens: 4000.7 is counted as 4000, as DuckDbSloService casts a tokens threshold to a whole number
        SloReport report = r.sloReport(SloParser.parse("""
                slos:
                  - name: cheap
                    sli: cost
                    threshold: $0.050
                    objective: 90%
                  - name: short
                    sli: tokens
                    threshold: 4000.7
                    objective: 90%
                """, "slo.yaml"));
        SloStatus cost = report.results().get(0).status();
        assertEquals(20, cost.total());
        assertEquals(15, cost.good());
        assertEquals(2.5, cost.budgetConsumed(), 1e-9); // 5 bad against 10% of 20
        SloStatus tokens = report.results().get(1).status();
        assertEquals(10, tokens.total());
        assertEquals(4, tokens.good());
        assertEquals(6.0, tokens.budgetConsumed(), 1e-9); // 6 bad against 10% of 10
        // without a file: one SLO per series, with its threshold
        List<dev.tracebench.core.slo.Slo> byDefault = r.defaultSlos().slos();
        assertEquals(List.of("cost-$0.05", "tokens-4000"), byDefault.stream().map(dev.tracebench.core.slo.Slo::name)
                .toList());
        assertEquals(0.05, byDefault.get(0).threshold());
        assertEquals(4000, byDefault.get(1).threshold());
        assertEquals(15, r.sloReport(r.defaultSlos()).results().get(0).status().good());
        // another threshold is refused with the option that counts it
        SloConfigException e = assertThrows(SloConfigException.class, () -> r.sloReport(SloParser.parse("""
                slos:
                  - name: cheaper
                    sli: cost
                    threshold: $0.10
                    objective: 90%
                """, "slo.yaml")));
        assertTrue(e.getMessage().contains("--slo cost:0.1 (it has: cost:0.05, tokens:4000)"), e.getMessage());
        // a threshold that is no number is refused by line
        Files.writeString(dir.resolve("sli_series.csv"), """
                sli,threshold_ns,step_ns,step_index,total,good,threshold
                cost,0,60000000000,29000000,20,15,0.05
                cost,0,60000000000,29000001,20,15,cheap
                """);
        RemoteResultException bad = assertThrows(RemoteResultException.class, () -> RemoteResult.open(dir));
        assertTrue(bad.getMessage().contains("sli_series.csv line 3: column threshold: not a number: 'cheap'"),
                bad.getMessage());
    }

    @Test
    void evalSeriesAreCoresEvalSliByEvaluatorAndLabel() throws IOException {
        writeResult(1, "");
        Files.writeString(dir.resolve("sli_series.csv"), """
                sli,threshold_ns,step_ns,step_index,total,good,threshold,evaluator,label
                eval,0,60000000000,29000000,10,8,0,groundedness,grounded
                eval,0,60000000000,29000002,10,9,0,groundedness,grounded
                """);
        RemoteResult r = RemoteResult.open(dir);
        assertEquals(List.of("eval:groundedness:grounded"), r.series().stream().map(RemoteResult.Series::spec)
                .toList());
        assertEquals(3, r.series().get(0).series().buckets());
        // evaluator and label compared without regard to case, as DuckDbSloService compares them
        SloStatus st = r.sloReport(SloParser.parse("""
                slos:
                  - name: grounded
                    sli: eval
                    evaluator: Groundedness
                    label: GROUNDED
                    objective: 90%
                """, "slo.yaml")).results().get(0).status();
        assertEquals(20, st.total());
        assertEquals(17, st.good());
        assertEquals(1.5, st.budgetConsumed(), 1e-9); // 3 bad against 10% of 20
        dev.tracebench.core.slo.Slo byDefault = r.defaultSlos().slos().get(0);
        assertEquals("eval-groundedness-grounded", byDefault.name());
        assertEquals("groundedness", byDefault.evaluator());
        assertEquals("grounded", byDefault.label());
        SloConfigException e = assertThrows(SloConfigException.class, () -> r.sloReport(SloParser.parse("""
                slos:
                  - name: hallucinated
                    sli: eval
                    evaluator: groundedness
                    label: hallucinated
                    objective: 90%
                  - name: passed
                    sli: eval
                    evaluator: groundedness
                    pass: true
                    objective: 90%
                """, "slo.yaml")));
        assertEquals(2, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).message().contains("--slo eval:groundedness:hallucinated"), e.getMessage());
        assertTrue(e.problems().get(1).message().contains("with pass or good"), e.getMessage());
    }

    @Test
    void anSloTheJobDidNotCountIsRefusedByLine() throws IOException {
        writeResult(1, "");
        SloConfigException e = assertThrows(SloConfigException.class, () -> RemoteResult.open(dir).sloReport(
                SloParser.parse("""
                        slos:
                          - name: up
                            sli: availability
                            objective: 99%
                          - name: fast
                            sli: latency
                            threshold: 2s
                            objective: 99%
                        """, "slo.yaml")));
        assertEquals(1, e.problems().size(), e.problems().toString());
        assertEquals(6, e.problems().get(0).line(), "the line of sli: latency");
        assertTrue(e.problems().get(0).message().contains("--slo latency:2000000000"), e.getMessage());
    }

    @Test
    void aDamagedLineIsRefusedWithItsFileAndLine() throws IOException {
        writeResult(1, "false,c,2,1\n");
        RemoteResultException e = assertThrows(RemoteResultException.class, () -> RemoteResult.open(dir));
        assertTrue(e.getMessage().contains("breakdown.csv line 5: 4 fields, the header has 73"), e.getMessage());
        assertEquals(5, e.line());

        writeResult(1, "");
        String counts = Files.readString(dir.resolve("rootcause_counts.csv")).replace("80,100", "eighty,100");
        Files.writeString(dir.resolve("rootcause_counts.csv"), counts);
        e = assertThrows(RemoteResultException.class, () -> RemoteResult.open(dir));
        assertTrue(e.getMessage().contains("rootcause_counts.csv line 2: column cohort_matching: not a whole number: "
                + "'eighty'"), e.getMessage());

        writeResult(1, "");
        String cut = Files.readString(dir.resolve("sli_series.csv"));
        Files.writeString(dir.resolve("sli_series.csv"), cut.substring(0, cut.length() - 5));
        e = assertThrows(RemoteResultException.class, () -> RemoteResult.open(dir));
        assertTrue(e.getMessage().contains("sli_series.csv line 3: the last row has no line break"), e.getMessage());

        writeResult(1, "");
        Files.delete(dir.resolve("slow_thresholds.csv"));
        e = assertThrows(RemoteResultException.class, () -> RemoteResult.open(dir));
        assertTrue(e.getMessage().contains("slow_thresholds.csv: missing"), e.getMessage());
    }

    @Test
    void groupsBeyondTwentyAreFoldedAsCoreFoldsThem() throws IOException {
        // 22 groups of one 1 s trace each (g01..g22) beside a and b (two traces each): a, b, g01..g18 are kept
        // (largest first, then by name), g19..g22 become "(other)" with their 4 traces and 4 s
        StringBuilder extra = new StringBuilder();
        String zeros = ",0,,,,,0".repeat(TraceAnalyzer.STAGES.size());
        for (int i = 1; i <= 22; i++) {
            extra.append(String.format(java.util.Locale.ROOT, "false,g%02d,1,%d,%d,%d,%d%s\n", i, S, S, S, S,
                    zeros));
        }
        writeResult(1, extra.toString());
        Breakdown b = RemoteResult.open(dir).breakdown();
        assertEquals(1 + Breakdown.MAX_GROUPS + 1, b.groups().size());
        assertEquals("a", b.groups().get(1).value());
        assertEquals("g18", b.groups().get(Breakdown.MAX_GROUPS).value());
        Breakdown.Group other = b.groups().get(Breakdown.MAX_GROUPS + 1);
        assertEquals(Breakdown.OTHER, other.value());
        assertEquals(4, other.traces());
        assertEquals(4 * S, other.totalNs());
    }

    @Test
    void aNewerOrForeignManifestIsRefused() throws IOException {
        writeResult(2, "");
        RemoteResultException e = assertThrows(RemoteResultException.class, () -> RemoteResult.open(dir));
        assertTrue(e.getMessage().contains(RemoteResult.MANIFEST + ": version 2 is newer than this Tracebench reads"),
                e.getMessage());

        writeResult(1, "");
        Files.writeString(dir.resolve(RemoteResult.MANIFEST), Files.readString(dir.resolve(RemoteResult.MANIFEST))
                .replace("tracebench-spark-result", "tracebench-lake"));
        e = assertThrows(RemoteResultException.class, () -> RemoteResult.open(dir));
        assertTrue(e.getMessage().contains("format 'tracebench-lake', expected 'tracebench-spark-result'"),
                e.getMessage());

        Files.writeString(dir.resolve(RemoteResult.MANIFEST), "{\"format\": \"tracebench-spark-res");
        e = assertThrows(RemoteResultException.class, () -> RemoteResult.open(dir));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        e = assertThrows(RemoteResultException.class, () -> RemoteResult.open(empty));
        assertTrue(e.getMessage().contains("not a Spark result folder") && e.getMessage().contains(empty.toString()),
                e.getMessage());
        assertTrue(!RemoteResult.isResult(empty));
    }
}
