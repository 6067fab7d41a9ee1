package dev.tracebench.core.store;

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
import dev.tracebench.core.analysis.Timeline;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.task.CancellationToken;
import java.util.List;
import java.util.Optional;

/** {@link AnalysisService} over a workspace's tables. (Being built: methods throw until they are.) */
final class DuckDbAnalysisService implements AnalysisService {
    private final Workspace ws;

    DuckDbAnalysisService(Workspace ws) {
        this.ws = ws;
    }

    private static UnsupportedOperationException notYet() {
        return new UnsupportedOperationException("analysis is not available yet in this build");
    }

    @Override
    public Breakdown breakdown(Cohort cohort, GroupBy groupBy) {
        throw notYet();
    }

    @Override
    public Timeline timeline(Cohort cohort, int buckets) {
        throw notYet();
    }

    @Override
    public Heatmap heatmap(Cohort cohort, int timeBuckets, int durationBuckets) {
        throw notYet();
    }

    @Override
    public Histogram histogram(Cohort cohort, String stage, int bins) {
        throw notYet();
    }

    @Override
    public long count(Cohort cohort) {
        throw notYet();
    }

    @Override
    public List<Finding> explain(Cohort cohort, CheckSettings settings, CancellationToken cancel) {
        throw notYet();
    }

    @Override
    public List<Finding> automatedChecks(CheckSettings settings, CancellationToken cancel) {
        throw notYet();
    }

    @Override
    public Optional<Comparison> compare(TraceId a, TraceId b) {
        throw notYet();
    }

    @Override
    public Optional<TraceId> typicalPeer(TraceId slow) {
        throw notYet();
    }

    @Override
    public Optional<CriticalPath> criticalPath(TraceId traceId) {
        throw notYet();
    }

    @Override
    public List<String> dimensionValues(GroupBy groupBy, int limit) {
        throw notYet();
    }

    @Override
    public List<String> filterColumns() {
        throw notYet();
    }

    @Override
    public List<String> attributeKeys(int limit) {
        throw notYet();
    }
}
