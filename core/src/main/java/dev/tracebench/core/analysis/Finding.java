package dev.tracebench.core.analysis;

import dev.tracebench.core.model.TraceId;
import java.util.List;
import java.util.Map;

/**
 * One result of analysis, rendered alike by the GUI, the CLI writers and exports.
 *
 * @param severity    how much it matters
 * @param check       which analysis produced it: "root-cause" or the id of an automated check
 * @param summary     one sentence in plain words with the numbers, e.g. "91% of slow requests (≥ p95) spent > 1.2 s
 *                    in retrieval (vs 4% of the others)"
 * @param explanation a few sentences: what it means, how it was found, what to look at
 * @param evidence    the counts behind it
 * @param exemplars   traces that show it (the first are the most typical)
 */
public record Finding(Severity severity, String check, String summary, String explanation, Evidence evidence,
        List<TraceId> exemplars) {

    public Finding {
        exemplars = List.copyOf(exemplars);
    }

    /**
     * The numbers behind a finding: of {@code cohortTraces} traces in the cohort {@code cohortMatching} have the
     * property, of {@code restTraces} others {@code restMatching}; {@code score} ranks findings (higher first) and
     * {@code confidence} is 1 minus the p-value of the difference (two-proportion z test) where that applies.
     * {@code facts} holds named values specific to the check (thresholds, stage, attribute, value, ...).
     */
    public record Evidence(long cohortTraces, long cohortMatching, long restTraces, long restMatching, double score,
            double confidence, Map<String, String> facts) {
        public Evidence {
            facts = Map.copyOf(facts);
        }

        public double cohortShare() {
            return cohortTraces == 0 ? 0 : (double) cohortMatching / cohortTraces;
        }

        public double restShare() {
            return restTraces == 0 ? 0 : (double) restMatching / restTraces;
        }
    }
}
