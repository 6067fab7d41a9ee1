package dev.tracebench.core.analysis;

import java.util.List;

/**
 * The distribution of one stage's per-trace contribution (or of the whole duration when {@code stage} is null) over a
 * cohort, in logarithmic bins; traces where the stage is not on the critical path are counted in {@code zero}.
 */
public record Histogram(Cohort cohort, String stage, List<Bin> bins, long zero, long p50Ns, long p95Ns) {
    public Histogram {
        bins = List.copyOf(bins);
    }

    public record Bin(long fromNs, long toNs, long traces) {
    }
}
