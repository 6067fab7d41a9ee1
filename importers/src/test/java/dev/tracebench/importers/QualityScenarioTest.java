package dev.tracebench.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.json.JsonTree;
import dev.tracebench.core.query.QueryRefusedException;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.samples.Scenario;
import dev.tracebench.samples.TrafficGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "Why are these answers bad?" end to end on the generator's hallucination-spike scenario: its traces imported, its
 * evals.jsonl imported and linked, and the cohort truth.json names explained; the first finding names what was planted
 * (read from truth.json). On normal traffic the low-scoring answers raise nothing strong.
 */
class QualityScenarioTest extends ImporterTestBase {

    /** Generates a scenario, imports its traces and its evals.jsonl; returns truth.json. */
    private Map<?, ?> load(Scenario scenario, long seed) throws IOException {
        Path d = dir.resolve(scenario.id() + "-" + seed);
        TrafficGenerator.writeDirectory(TrafficGenerator.Options.of(scenario, 3_000, seed),
                TrafficGenerator.Format.OTLP_JSON, false, d);
        TrafficGenerator.Files files = TrafficGenerator.files(d, TrafficGenerator.Format.OTLP_JSON, false);
        ImportReport r = importFile(files.traces());
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        ImportReport evals = importFile(files.evals());
        assertEquals(ImportReport.Status.IMPORTED, evals.status(), evals.message());
        assertEquals(Files.readAllLines(files.evals()).stream().filter(l -> !l.isBlank()).count(),
                evals.evalResults(), "every row of evals.jsonl is stored");
        return (Map<?, ?>) JsonTree.parse(Files.readString(files.truth()));
    }

    /** Traces with a groundedness row labelled {@code label} in evals.jsonl, counted from the file. */
    private long labelled(Scenario scenario, long seed, String label) throws IOException {
        Path evals = TrafficGenerator.files(dir.resolve(scenario.id() + "-" + seed), TrafficGenerator.Format.OTLP_JSON,
                false).evals();
        return Files.readAllLines(evals).stream().map(l -> (Map<?, ?>) JsonTree.parse(l))
                .filter(m -> "groundedness".equals(m.get("evaluator")) && label.equals(m.get("label")))
                .map(m -> m.get("trace_id")).distinct().count();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void thePlantedCauseOfHallucinatedAnswersIsTheFirstFinding(long seed) throws IOException {
        Map<?, ?> truth = load(Scenario.HALLUCINATION_SPIKE, seed);
        Map<?, ?> planted = (Map<?, ?>) truth.get("planted");
        String cohortText = (String) planted.get("cohort");
        String value = (String) planted.get("value");
        assertEquals("eval:groundedness=hallucinated", cohortText);
        Cohort cohort = Cohort.parse(cohortText);
        long hallucinated = labelled(Scenario.HALLUCINATION_SPIKE, seed, "hallucinated");
        assertTrue(hallucinated > 10, "the scenario plants hallucinations: " + hallucinated);
        assertEquals(hallucinated, ws.analysis().count(cohort), "the cohort is the traces evals.jsonl labels so");

        List<Finding> findings = ws.analysis().explain(cohort, CheckSettings.DEFAULTS, CancellationToken.none());
        Finding top = findings.get(0);
        String all = "\nall: " + findings.stream().map(f -> f.summary() + " " + f.supporting()).toList();
        assertTrue(top.aboutCohort(), top.summary() + all);
        assertTrue(top.severity().compareTo(Severity.WARNING) >= 0, top.severity() + ": " + top.summary());
        String named = top.summary() + " " + top.supporting() + " " + top.evidence().facts().values();
        // the planted tenant, and the empty retrievals it causes, in words about answers
        assertTrue(top.summary().contains(value) || top.summary().contains("retrieved no documents"),
                top.summary() + all);
        assertTrue(named.contains(value) && named.contains("retrieved no documents"), named + all);
        assertTrue(top.summary().contains("of hallucinated answers"), top.summary());
        assertTrue(top.evidence().cohortShare() > 0.9, "every hallucinated answer is the broken tenant's: "
                + top.summary());
        assertNull(top.evidence().cost(), "no cost in time for a bad answer");
        assertFalse(top.exemplars().isEmpty(), "a finding comes with example traces");
        assertFalse(all.contains("spent more than"), "time is not why an answer is bad" + all);
        // "Show these traces" lists hallucinated answers that have the property: all of them here
        assertEquals(top.evidence().cohortMatching(), ws.analysis().count(top.traces().cohort()));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void onNormalTrafficLowScoringAnswersRaiseNothingStrong(long seed) throws IOException {
        load(Scenario.BASELINE, seed);
        assertEquals(0, labelled(Scenario.BASELINE, seed, "hallucinated"));
        // a healthy day has no hallucinated answer, and says so rather than showing an empty cohort
        QueryRefusedException none = assertThrows(QueryRefusedException.class, () -> ws.analysis().count(
                Cohort.parse("eval:groundedness=hallucinated")));
        assertEquals("No groundedness result is labelled 'hallucinated'; its labels are grounded.", none.getMessage());
        // the lowest-scoring fifth of the answers differs from the others only by chance
        Cohort low = Cohort.parse("eval:groundedness<0.86");
        long n = ws.analysis().count(low);
        assertTrue(n > 50, "a cohort to explain: " + n);
        for (Finding f : ws.analysis().explain(low, CheckSettings.DEFAULTS, CancellationToken.none())) {
            assertTrue(f.severity().compareTo(Severity.WARNING) < 0, f.severity() + ": " + f.summary());
        }
    }
}
