package dev.tracebench.core.analysis;

import java.util.List;

/**
 * Where the time of a cohort's requests goes, per stage and per operation within a stage, optionally per value of a
 * dimension. The first group is always the whole cohort ({@code value} null); with a grouping, one group per value
 * follows, largest first (values beyond the first {@link #MAX_GROUPS} are folded into "(other)").
 */
public record Breakdown(Cohort cohort, GroupBy groupBy, List<Group> groups, long queryMillis) {
    public static final int MAX_GROUPS = 20;

    public Breakdown {
        groups = List.copyOf(groups);
    }

    /**
     * One group: its traces' count and duration percentiles, and the stage and operation statistics (stages in the
     * fixed taxonomy order, operations by total time, largest first).
     */
    public record Group(String value, long traces, long p50Ns, long p95Ns, long p99Ns, long totalNs,
            List<StageStat> stages, List<StageStat> operations) {
        public Group {
            stages = List.copyOf(stages);
            operations = List.copyOf(operations);
        }
    }

    /** The whole cohort's group. */
    public Group overall() {
        return groups.get(0);
    }
}
