package dev.tracebench.views.quality;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.util.List;

/**
 * What "Run evaluators…" needs of the application: the built-in evaluators it can run, and a run of some of them over
 * a cohort's traces, stored as an eval run. The app implements it with the evaluators and the store's eval service;
 * view tests with a fake. Calls block: run them off the FX thread.
 */
public interface EvaluatorRunPort {

    /** The ids of the evaluators that can run, e.g. groundedness, relevance, safety, pii, format. */
    List<String> available();

    /**
     * Judges at most {@code limit} traces of {@code cohort} with {@code evaluators} and stores the verdicts as one
     * eval run (all or nothing: a cancelled run stores nothing); returns the stored run.
     */
    EvalRun run(Cohort cohort, List<String> evaluators, int limit, ProgressListener progress,
            CancellationToken cancel);
}
