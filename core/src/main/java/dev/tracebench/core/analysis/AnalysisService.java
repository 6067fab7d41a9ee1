package dev.tracebench.core.analysis;

import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.task.CancellationToken;
import java.util.List;
import java.util.Optional;

/**
 * Latency attribution and root cause over a workspace. Every method blocks on the database: call it off the FX
 * thread. Thread-safe. Contributions come from the critical paths computed at import.
 */
public interface AnalysisService {

    /** Per-stage and per-operation contributions of the cohort, optionally per value of a dimension. */
    Breakdown breakdown(Cohort cohort, GroupBy groupBy);

    /**
     * The operation statistics (largest total first, shares of the group's total time) of the traces of
     * {@code cohort} whose {@code groupBy} value is {@code value} ({@link Breakdown#NONE}: those without a value).
     */
    List<StageStat> operations(Cohort cohort, GroupBy groupBy, String value);

    /** Stage contributions and duration percentiles per time bucket (about {@code buckets} of them). */
    Timeline timeline(Cohort cohort, int buckets);

    /** Trace counts by start time × duration (log scale). */
    Heatmap heatmap(Cohort cohort, int timeBuckets, int durationBuckets);

    /** The distribution of one stage's contribution ({@code stage} null: of the whole duration). */
    Histogram histogram(Cohort cohort, String stage, int bins);

    /** How many traces the cohort holds (and, for percentile cohorts, after the thresholds are computed). */
    long count(Cohort cohort);

    /**
     * Why the cohort differs from the rest: root-cause findings over every stage, trace fact, span and resource
     * attribute and combinations of two, one finding per cause (its restatements and symptoms as supporting
     * evidence), each with what it costs in time, most important first; then the automated checks of at least notice
     * severity (they are about the whole workspace, not this cohort). A quality cohort ("why are these answers
     * bad?") is compared with the other answers its evaluator judged, without stage times, time costs or the checks.
     *
     * <p>Every method that takes a cohort refuses a quality cohort the workspace cannot answer (no eval results, an
     * unknown evaluator or label, ...) with a {@link dev.tracebench.core.query.QueryRefusedException} saying what it
     * holds.
     */
    List<Finding> explain(Cohort cohort, CheckSettings settings, CancellationToken cancel);

    /** The always-on checks over the whole workspace (a stage dominating, cache misses, queueing, ...). */
    List<Finding> automatedChecks(CheckSettings settings, CancellationToken cancel);

    /** Two traces side by side. */
    Optional<Comparison> compare(TraceId a, TraceId b);

    /** A typical trace to compare {@code slow} with: one of the same root operation near its median duration. */
    Optional<TraceId> typicalPeer(TraceId slow);

    /** The critical path of one trace (computed on the fly from its spans). */
    Optional<CriticalPath> criticalPath(TraceId traceId);

    /** Values of a dimension, most frequent first (for pickers). */
    List<String> dimensionValues(GroupBy groupBy, int limit);

    /** The columns a {@link Cohort#filter} expression may use, with their types ("name TYPE"). */
    List<String> filterColumns();

    /** Attribute keys seen on spans (a sample), most frequent first, for the "group by attribute" picker. */
    List<String> attributeKeys(int limit);
}
