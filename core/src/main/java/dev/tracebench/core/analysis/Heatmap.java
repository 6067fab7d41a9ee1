package dev.tracebench.core.analysis;

/**
 * Counts of traces by start time (linear buckets over [fromNs, toNs)) and duration (logarithmic buckets over
 * [minDurationNs, maxDurationNs)): {@code counts[time][duration]}. {@link #durationEdge} gives bucket edges.
 */
public record Heatmap(Cohort cohort, long fromNs, long toNs, int timeBuckets, long minDurationNs, long maxDurationNs,
        int durationBuckets, long[][] counts, long maxCount) {

    public long timeEdge(int i) {
        return fromNs + (long) ((double) (toNs - fromNs) * i / timeBuckets);
    }

    /** The lower edge of duration bucket {@code i} (i = durationBuckets gives the upper end). */
    public long durationEdge(int i) {
        double lo = Math.log(Math.max(1, minDurationNs));
        double hi = Math.log(Math.max(2, maxDurationNs));
        return Math.round(Math.exp(lo + (hi - lo) * i / durationBuckets));
    }
}
