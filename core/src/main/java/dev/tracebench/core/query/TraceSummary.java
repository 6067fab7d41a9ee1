package dev.tracebench.core.query;

import dev.tracebench.core.model.TraceId;

/** One row of the trace list, from the per-trace rollup. */
public record TraceSummary(
        TraceId traceId,
        long rootSpanId,
        String rootName,
        String serviceName,
        long startNs,
        long durationNs,
        int spanCount,
        int errorCount,
        int serviceCount,
        int orphanCount,
        boolean hasRoot,
        long inputTokens,
        long outputTokens,
        long totalTokens) {
}
