package dev.tracebench.views.common;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.model.TraceId;

/**
 * What a view may ask of the main window: open a trace, or list the traces of a cohort. Views get one from the shell
 * (the main window implements it), so a heatmap selection, a finding's evidence or an example trace leads to the
 * traces themselves. Calls are made on the FX thread.
 */
public interface Navigator {

    /** Opens a trace in a tab and selects the span {@code spanId} in it (0: no particular span). */
    void openTrace(TraceId traceId, long spanId);

    /** Opens a trace in a tab. */
    default void openTrace(TraceId traceId) {
        openTrace(traceId, 0);
    }

    /**
     * Shows the Traces area listing only the traces of {@code cohort}, with {@code label} (e.g. "requests in the
     * selected region") on a removable chip above the table.
     */
    void showTraces(Cohort cohort, String label);

    /**
     * Shows the findings for a cohort written as on the command line, e.g. {@code eval:groundedness=hallucinated}:
     * "why are these answers bad?" compares its traces with the others.
     */
    void explain(String cohort);

    /**
     * Opens a review queue over the answers of {@code cohort}'s traces, to accept some as examples of a dataset
     * ("Add to dataset…"). A navigator of a window without datasets ignores it.
     */
    default void addToDataset(Cohort cohort, String label) {
    }
}
