package dev.tracebench.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
 * On every planted scenario of sample-traces the planted cause is named first: by root cause, comparing the cohort the
 * scenario's truth.json suggests with the rest, or, where no property of single requests sets the cohort apart, by the
 * workspace check that looks for that kind of trouble. On normal traffic nothing reaches warning severity. 3,000
 * traces per scenario.
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
        List<Finding> findings = ws.analysis().explain(Cohort.parse(cohort), CheckSettings.DEFAULTS,
                CancellationToken.none());
        // what sets the cohort apart comes first, the workspace's checks after
        boolean check = false;
        for (Finding f : findings) {
            assertFalse(check && f.aboutCohort(), "a cohort finding after a check: " + all(findings));
            check |= !f.aboutCohort();
        }
        return findings;
    }

    /** Every value a finding names: in its facts and its summary. */
    private static String named(Finding f) {
        return f.summary() + " " + f.evidence().facts().values();
    }

    private static String all(List<Finding> findings) {
        return "\nall: " + findings.stream().map(Finding::summary).toList();
    }

    @ParameterizedTest(name = "{0}: {2} → {3}")
    @CsvSource(delimiter = '|', value = {
        "SLOW_SHARD          | 1 | slow:p95   | archive-1",
        "SLOW_SHARD          | 2 | slow:p95   | archive-1",
        "MODEL_ROLLOUT       | 1 | slow:p95   | gpt-4o-mini-2025-01-20",
        "MODEL_ROLLOUT       | 2 | slow:p95   | gpt-4o-mini-2025-01-20",
        "HALLUCINATION_SPIKE | 1 | docs = 0   | t-initech",
    })
    void thePlantedCauseIsTheTopFinding(Scenario scenario, long seed, String cohort, String planted)
            throws IOException {
        List<Finding> findings = explain(scenario, seed, cohort);
        assertFalse(findings.isEmpty());
        Finding top = findings.get(0);
        assertTrue(top.aboutCohort(), top.summary());
        assertTrue(named(top).contains(planted), "top finding should name " + planted + ": " + top.summary()
                + all(findings));
        assertTrue(top.severity().compareTo(Severity.WARNING) >= 0, top.severity() + ": " + top.summary());
        assertFalse(top.exemplars().isEmpty(), "a finding comes with example traces");
        assertNotNull(top.evidence().cost(), "a cause says what it costs");
        // the evidence adds up
        Finding.Evidence e = top.evidence();
        assertTrue(e.cohortMatching() <= e.cohortTraces() && e.restMatching() <= Math.max(e.restTraces(), 0));
    }

    /**
     * The cache regression touches only one application's requests and shows in the hit rate over time; the longer
     * prompt of template v8 is confounded in single requests with tool calls (a second model call doubles the input
     * too). Their checks name them, after the cohort's own findings.
     */
    @ParameterizedTest(name = "{0}: {2} → check {3} names {4}")
    @CsvSource(delimiter = '|', value = {
        "CACHE_REGRESSION | 1 | slow:p50   | cache         | 2.15.0",
        "PROMPT_BLOAT     | 1 | tokens:p90 | prompt-growth | v8",
    })
    void aCheckNamesThePlantedCause(Scenario scenario, long seed, String cohort, String check, String planted)
            throws IOException {
        List<Finding> findings = explain(scenario, seed, cohort);
        Finding first = findings.stream().filter(f -> f.check().equals(check)).findFirst().orElseThrow(
                () -> new AssertionError("no " + check + " finding" + all(findings)));
        assertTrue(named(first).contains(planted), first.summary());
        assertTrue(first.severity().compareTo(Severity.WARNING) >= 0, first.severity() + ": " + first.summary());
    }

    @org.junit.jupiter.api.Test
    void anInteractionIsOneFindingWithItsOwnSupport() throws IOException {
        // tenant t-globex is slow only on the new model version: the combination, not each alone
        List<Finding> findings = explain(Scenario.TENANT_MODEL, 1, "slow:p95");
        Finding top = findings.get(0);
        assertTrue(top.summary().contains("gpt-4o-mini-2025-01-20") && top.summary().contains("t-globex"),
                top.summary() + all(findings));
        assertTrue(top.evidence().restShare() < 0.01, "almost none of the others are both: " + top.summary());
        assertTrue(top.evidence().cohortShare() > 0.3, top.summary());
        assertTrue(top.evidence().cost().addedNs() > 1_000_000_000L, "the combination adds seconds: "
                + top.evidence().cost());
        assertTrue(top.explanation().contains("Neither part alone"), top.explanation());
        // neither part is a finding of its own
        for (Finding f : findings.subList(1, findings.size())) {
            assertFalse(f.aboutCohort() && (f.summary().contains("t-globex")
                    || f.summary().contains("gpt-4o-mini-2025-01-20")), f.summary() + all(findings));
        }
    }

    @ParameterizedTest(name = "baseline seed {0}")
    @ValueSource(longs = {1, 2})
    void normalTrafficRaisesNothingAboveNotice(long seed) throws IOException {
        List<Finding> findings = explain(Scenario.BASELINE, seed, "slow:p95");
        for (Finding f : findings) {
            assertTrue(f.severity().compareTo(Severity.WARNING) < 0, f.severity() + ": " + f.summary());
        }
        // the analysis still says something about the slow requests, at notice level
        assertTrue(findings.stream().anyMatch(Finding::aboutCohort));
        Set<String> checks = new HashSet<>();
        for (Finding f : ws.analysis().automatedChecks(CheckSettings.DEFAULTS, CancellationToken.none())) {
            assertTrue(f.severity().compareTo(Severity.WARNING) < 0, f.severity() + ": " + f.summary());
            checks.add(f.check());
        }
        assertTrue(checks.contains("dominant-stage"), "model calls dominate LLM traffic: " + checks);
    }
}
