package dev.tracebench.core.analysis;

import java.util.List;

/**
 * Where the time of a cohort's requests goes, per stage and per operation within a stage, optionally per value of a
 * dimension. The first group is always the whole cohort ({@code value} null); with a grouping, one group per value
 * follows, largest first (values beyond the first {@link #MAX_GROUPS} are folded into "(other)"; traces without a
 * value are the group "(none)"). Only the whole cohort's group comes with its operations: those of one group are
 * loaded when asked for ({@link AnalysisService#operations}), as computing them for every group at once costs more
 * than the rest of the breakdown.
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

    /** The value of the group that folds the values beyond {@link #MAX_GROUPS}. */
    public static final String OTHER = "(other)";

    /** The value of the group of traces without a value. */
    public static final String NONE = "(none)";

    /** This breakdown with the operations of group {@code value} set to {@code operations}. */
    public Breakdown withOperations(String value, List<StageStat> operations) {
        List<Group> out = new java.util.ArrayList<>(groups.size());
        for (Group g : groups) {
            out.add(value != null && value.equals(g.value()) ? new Group(g.value(), g.traces(), g.p50Ns(), g.p95Ns(),
                    g.p99Ns(), g.totalNs(), g.stages(), operations) : g);
        }
        return new Breakdown(cohort, groupBy, out, queryMillis);
    }

    /** The group of {@code value}, if there is one. */
    public java.util.Optional<Group> group(String value) {
        return groups.stream().filter(g -> value == null ? g.value() == null : value.equals(g.value())).findFirst();
    }

    /** The whole cohort's group. */
    public Group overall() {
        return groups.get(0);
    }
}
