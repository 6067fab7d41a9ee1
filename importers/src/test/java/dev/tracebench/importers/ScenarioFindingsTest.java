package dev.tracebench.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.samples.Scenario;
import dev.tracebench.samples.TrafficGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On every planted scenario of sample-traces, root cause names the planted cause first; on normal traffic nothing
 * reaches warning severity. 3,000 traces per scenario, the cohort the scenario's truth.json suggests.
 */
class ScenarioFindingsTest extends ImporterTestBase {

    private List<Finding> explain(Scenario scenario, long seed, String cohort) throws IOException {
        Path d = dir.resolve(scenario.id() + "-" + seed);
        TrafficGenerator.writeDirectory(TrafficGenerator.Options.of(scenario, 3_000, seed),
                TrafficGenerator.Format.OTLP_JSON, false, d);
        ImportReport r = importFile(TrafficGenerator.files(d, TrafficGenerator.Format.OTLP_JSON, false).traces());
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertTrue(Files.readString(TrafficGenerator.files(d, TrafficGenerator.Format.OTLP_JSON, false).truth())
                .contains("\"scenario\""));
        return ws.analysis().explain(Cohort.parse(cohort), CheckSettings.DEFAULTS, CancellationToken.none());
    }

    /** Every value a finding names: in its facts and its summary. */
    private static String named(Finding f) {
        return f.summary() + " " + f.evidence().facts().values();
    }

    @ParameterizedTest(name = "{0}: {2} → {3}")
    @CsvSource(delimiter = '|', value = {
        "SLOW_SHARD          | 1 | slow:p95   | archive-1",
        "SLOW_SHARD          | 2 | slow:p95   | archive-1",
        "MODEL_ROLLOUT       | 1 | slow:p95   | gpt-4o-mini-2025-01-20",
        "MODEL_ROLLOUT       | 2 | slow:p95   | gpt-4o-mini-2025-01-20",
        "CACHE_REGRESSION    | 1 | slow:p50   | 2.15.0",
        "PROMPT_BLOAT        | 1 | tokens:p90 | v8",
        "HALLUCINATION_SPIKE | 1 | docs = 0   | t-initech",
    })
    void thePlantedCauseIsTheTopFinding(Scenario scenario, long seed, String cohort, String planted)
            throws IOException {
        List<Finding> findings = explain(scenario, seed, cohort);
        assertFalse(findings.isEmpty());
        Finding top = findings.get(0);
        assertTrue(named(top).contains(planted), "top finding should name " + planted + ": " + top.summary()
                + "\nall: " + findings.stream().map(Finding::summary).toList());
        assertTrue(top.severity().compareTo(Severity.WARNING) >= 0, top.severity() + ": " + top.summary());
        assertFalse(top.exemplars().isEmpty(), "a finding comes with example traces");
        // the evidence adds up
        Finding.Evidence e = top.evidence();
        assertTrue(e.cohortMatching() <= e.cohortTraces() && e.restMatching() <= Math.max(e.restTraces(), 0));
    }

    @ParameterizedTest(name = "baseline seed {0}")
    @ValueSource(longs = {1, 2})
    void normalTrafficRaisesNothingAboveNotice(long seed) throws IOException {
        List<Finding> findings = explain(Scenario.BASELINE, seed, "slow:p95");
        for (Finding f : findings) {
            assertTrue(f.severity().compareTo(Severity.WARNING) < 0, f.severity() + ": " + f.summary());
        }
        // the analysis still says something about the slow requests, at notice level
        assertTrue(findings.stream().anyMatch(f -> f.check().equals("root-cause")));
        Set<String> checks = new HashSet<>();
        for (Finding f : ws.analysis().automatedChecks(CheckSettings.DEFAULTS, CancellationToken.none())) {
            assertTrue(f.severity().compareTo(Severity.WARNING) < 0, f.severity() + ": " + f.summary());
            checks.add(f.check());
        }
        assertTrue(checks.contains("dominant-stage"), "model calls dominate LLM traffic: " + checks);
    }
}
