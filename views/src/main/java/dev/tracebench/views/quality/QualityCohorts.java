package dev.tracebench.views.quality;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.EvalCondition;

/**
 * Quality cohorts as the command line writes them ({@code eval:groundedness=hallucinated}, {@code eval:any-fail}):
 * the Quality area builds the text, {@link Cohort#parse} makes the cohort, so the GUI and the CLI select the same
 * traces.
 */
public final class QualityCohorts {
    /** Traces with at least one failing verdict of any run. */
    public static final String ANY_FAIL = "eval:" + EvalCondition.anyFailed().text();

    private QualityCohorts() {
    }

    /**
     * Traces with a result of {@code evaluator} labelled {@code label}: {@code eval:groundedness=hallucinated}, with
     * double quotes where the cohort parser needs them ({@code eval:"Answer Relevancy"="not relevant"}).
     */
    public static String labelled(String evaluator, String label) {
        return "eval:" + EvalCondition.label(evaluator, label).text();
    }

    /** Whether the text is a quality cohort ({@code eval:…}) rather than a SQL filter. */
    public static boolean isQuality(String text) {
        return text != null && text.strip().regionMatches(true, 0, "eval:", 0, 5);
    }

    public static Cohort cohort(String text) {
        return Cohort.parse(text);
    }
}
