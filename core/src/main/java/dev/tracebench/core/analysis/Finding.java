package dev.tracebench.core.analysis;

import dev.tracebench.core.model.TraceId;
import java.util.List;
import java.util.Map;

/**
 * One result of analysis, rendered alike by the GUI, the CLI writers and exports.
 *
 * @param severity    how much it matters
 * @param check       which analysis produced it: {@link #ROOT_CAUSE} (about a cohort) or the id of an automated check
 *                    (about the whole workspace)
 * @param summary     one sentence in plain words with the numbers, e.g. "91% of slow requests (≥ p95) spent > 1.2 s
 *                    in retrieval (vs 4% of the others)"
 * @param explanation a few sentences: what it means, how it was found, what to look at
 * @param evidence    the counts behind it
 * @param supporting  other properties of the same requests that restate this cause or show how it acts ("had
 *                    retrieval · db.collection.name = kb-archive (36% vs 17%)"), strongest first
 * @param exemplars   traces that show it, each with the span it names (the first are the most typical)
 * @param traces      the traces it is about, for "Show these traces" (null: none to list)
 */
public record Finding(Severity severity, String check, String summary, String explanation, Evidence evidence,
        List<String> supporting, List<Exemplar> exemplars, Traces traces) {

    /** The check id of findings about a cohort (the others are workspace-wide automated checks). */
    public static final String ROOT_CAUSE = "root-cause";

    public Finding {
        supporting = List.copyOf(supporting);
        exemplars = List.copyOf(exemplars);
    }

    /** A finding without supporting properties or a trace list (the automated checks' kind). */
    public Finding(Severity severity, String check, String summary, String explanation, Evidence evidence,
            List<Exemplar> exemplars) {
        this(severity, check, summary, explanation, evidence, List.of(), exemplars, null);
    }

    /** Whether it is about the explained cohort rather than the whole workspace. */
    public boolean aboutCohort() {
        return check.equals(ROOT_CAUSE);
    }

    /**
     * The traces a finding is about: a cohort (typically the explained one narrowed to the property) and how to name
     * it ("slow requests (≥ p95 of their operation) that had retrieval · app.vector.shard = archive-1").
     */
    public record Traces(Cohort cohort, String label) {
    }

    /**
     * A trace that shows a finding, and the span in it the finding is about ({@code spanId} 0: the trace as a whole,
     * shown from its root).
     */
    public record Exemplar(TraceId traceId, long spanId) {
        public static Exemplar of(TraceId traceId) {
            return new Exemplar(traceId, 0);
        }

        /** Just the trace ids of {@code exemplars}. */
        public static List<TraceId> traces(List<Exemplar> exemplars) {
            return exemplars.stream().map(Exemplar::traceId).toList();
        }
    }

    /**
     * The numbers behind a finding: of {@code cohortTraces} traces in the cohort {@code cohortMatching} have the
     * property, of {@code restTraces} others {@code restMatching}; {@code score} ranks findings (higher first) and
     * {@code confidence} is 1 minus the p-value of the difference (two-proportion z test) where that applies: a
     * threshold findings must pass, not worth showing (on thousands of traces it is 1.000 for anything visible).
     * {@code facts} holds named values specific to the check (thresholds, stage, attribute, value, ...); {@code cost}
     * what the property costs in time (null where it does not apply).
     */
    public record Evidence(long cohortTraces, long cohortMatching, long restTraces, long restMatching, double score,
            double confidence, Map<String, String> facts, Cost cost) {
        public Evidence {
            facts = Map.copyOf(facts);
        }

        public Evidence(long cohortTraces, long cohortMatching, long restTraces, long restMatching, double score,
                double confidence, Map<String, String> facts) {
            this(cohortTraces, cohortMatching, restTraces, restMatching, score, confidence, facts, null);
        }

        public double cohortShare() {
            return cohortTraces == 0 ? 0 : (double) cohortMatching / cohortTraces;
        }

        public double restShare() {
            return restTraces == 0 ? 0 : (double) restMatching / restTraces;
        }

        /**
         * How many times as common the property is in the cohort as among the others (infinite when no other trace
         * has it; NaN when there is no comparison).
         */
        public double lift() {
            if (cohortTraces == 0 || restTraces == 0) {
                return Double.NaN;
            }
            return restMatching == 0 ? Double.POSITIVE_INFINITY : cohortShare() / restShare();
        }

        /** Whether the evidence compares the cohort with the others (root cause) rather than counting. */
        public boolean compares() {
            return cohortTraces > 0 && restTraces > 0;
        }
    }

    /**
     * What a property costs, BubbleUp-style: requests that have it take {@code addedNs} longer (median, compared
     * within each root operation with those that do not), most of it in {@code stage} (null if spread out); and
     * the cohort's requests with it hold {@code excessShare} of the cohort's excess time (time above the typical
     * duration of their operation; NaN when the cohort is not about time).
     */
    public record Cost(long addedNs, String stage, double excessShare) {
    }
}
