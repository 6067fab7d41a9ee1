package dev.tracebench.core.analysis;

/**
 * How much one stage (or one operation within a stage, when {@code operation} is not null) contributes to request
 * time over a set of traces: contributions are per trace, along its critical path; a trace where the stage does not
 * appear on the critical path counts as 0 for the percentiles. {@code traces} is how many traces have the stage on
 * their critical path; {@code share} is the stage's part of the summed duration of all the traces (the shares of a
 * group's stages add up to 1).
 */
public record StageStat(String stage, String operation, long traces, long p50Ns, long p90Ns, long p95Ns, long p99Ns,
        double meanNs, long totalNs, double share) {
}
