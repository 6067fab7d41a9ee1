package dev.tracebench.core.remote;

import dev.tracebench.core.analysis.AnalysisService;
import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Comparison;
import dev.tracebench.core.analysis.CriticalPath;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.GroupBy;
import dev.tracebench.core.analysis.Heatmap;
import dev.tracebench.core.analysis.Histogram;
import dev.tracebench.core.analysis.StageStat;
import dev.tracebench.core.analysis.Timeline;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.task.CancellationToken;
import java.util.List;
import java.util.Optional;

/**
 * A Spark result as an {@link AnalysisService}, so the views built on one (the breakdown tables) show it read-only.
 * It answers what the result holds (the breakdown of all traces as it was grouped, the count, the root-cause
 * findings of its cohort) and refuses the rest with an {@link UnsupportedOperationException} that says so: a result
 * has no traces to chart, list or compare.
 */
public final class RemoteAnalysisService implements AnalysisService {
    private final RemoteResult result;

    public RemoteAnalysisService(RemoteResult result) {
        this.result = result;
    }

    @Override
    public Breakdown breakdown(Cohort cohort, GroupBy groupBy) {
        if (!cohort.isEverything() || !groupBy.equals(result.breakdown().groupBy())) {
            throw notIn("the breakdown of " + cohort.label() + " by " + groupBy.label() + " (it holds all traces by "
                    + result.breakdown().groupBy().label() + ")");
        }
        return result.breakdown();
    }

    /** None: Spark's output has no per-operation lists. */
    @Override
    public List<StageStat> operations(Cohort cohort, GroupBy groupBy, String value) {
        return List.of();
    }

    @Override
    public Timeline timeline(Cohort cohort, int buckets) {
        throw notIn("a timeline");
    }

    @Override
    public Heatmap heatmap(Cohort cohort, int timeBuckets, int durationBuckets) {
        throw notIn("a heatmap");
    }

    @Override
    public Histogram histogram(Cohort cohort, String stage, int bins) {
        throw notIn("a histogram");
    }

    @Override
    public long count(Cohort cohort) {
        if (!cohort.isEverything()) {
            throw notIn("the count of " + cohort.label());
        }
        return result.manifest().traces();
    }

    @Override
    public List<Finding> explain(Cohort cohort, CheckSettings settings, CancellationToken cancel) {
        if (!cohort.equals(result.cohort())) {
            throw notIn("root cause of " + cohort.label() + " (it holds " + result.cohort().label() + ")");
        }
        return result.findings(settings);
    }

    @Override
    public List<Finding> automatedChecks(CheckSettings settings, CancellationToken cancel) {
        return List.of();
    }

    @Override
    public Optional<Comparison> compare(TraceId a, TraceId b) {
        return Optional.empty();
    }

    @Override
    public Optional<TraceId> typicalPeer(TraceId slow) {
        return Optional.empty();
    }

    @Override
    public Optional<CriticalPath> criticalPath(TraceId traceId) {
        return Optional.empty();
    }

    @Override
    public List<String> dimensionValues(GroupBy groupBy, int limit) {
        return List.of();
    }

    @Override
    public List<String> filterColumns() {
        return List.of();
    }

    @Override
    public List<String> attributeKeys(int limit) {
        return List.of();
    }

    private static UnsupportedOperationException notIn(String what) {
        return new UnsupportedOperationException("A Spark result does not hold " + what + ".");
    }
}
