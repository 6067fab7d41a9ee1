package dev.tracebench.core.eval;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;

import java.util.List;
import java.util.Optional;

/**
 * The quality port: what the views and the CLI read about eval runs, and how built-in evaluator runs are stored.
 * Implemented by the store (DuckDB) and by a fake in view tests. Calls block: run them off the FX thread.
 */
public interface EvalService {

    /** All runs, newest first. */
    List<EvalRun> runs();

    /** A run by id, or by name (exact, else a unique prefix). */
    Optional<EvalRun> run(String idOrName);

    /** Per-metric summaries of a run ({@code bins} histogram bins). */
    List<MetricSummary> metrics(long runId, int bins);

    /**
     * Examples of a run with all their verdicts, in a stable order (failing first when {@code failingFirst}); only
     * those with a result of {@code evaluator} when it is not null.
     */
    List<EvalExample> examples(long runId, String evaluator, boolean failingFirst, int offset, int limit);

    /** One metric's quality over time across all runs ({@code evaluator} null: every result with a verdict). */
    List<QualityPoint> overTime(String evaluator, int buckets);

    /** Run B against run A. */
    RunComparison compare(long runA, long runB, CancellationToken cancel);

    /** Every result linked to the trace (of any run), for span details. */
    List<EvalResult> resultsForTrace(TraceId traceId);

    /** The evaluator names the workspace holds results of (for cohort autocompletion). */
    List<String> evaluators();

    /**
     * What the built-in evaluators judge for each trace of {@code cohort}: the question, the passages the trace
     * retrieved and the answer, taken from its spans (OpenInference, GenAI conventions). Traces without an answer are
     * left out.
     */
    List<TraceEvalInput> inputs(Cohort cohort, int limit, CancellationToken cancel);

    /** Stores a run of built-in evaluators (its results link to traces by id), in one transaction; returns it. */
    EvalRun store(EvalRunData run, List<EvalResultData> results, ProgressListener progress, CancellationToken cancel);

    /** An {@link EvalInput} taken from a trace, and the span whose answer it judges. */
    record TraceEvalInput(TraceId traceId, long spanId, EvalInput input) {
    }
}
