package dev.tracebench.core.analysis;

/**
 * How much one stage (or one operation within a stage, when {@code operation} is not null) contributes to request
 * time over a set of traces: contributions are per trace, along its critical path. The percentiles and the mean are
 * over the {@code traces} traces where the stage (operation) is on the critical path ("when retrieval is on the path,
 * its p95 is 1.2 s"); {@code share} is its part of the summed duration of all the group's traces (the shares of a
 * group's stages add up to 1), so a rare but long stage shows a high p95 and a small share.
 */
public record StageStat(String stage, String operation, long traces, long p50Ns, long p90Ns, long p95Ns, long p99Ns,
        double meanNs, long totalNs, double share) {
}
