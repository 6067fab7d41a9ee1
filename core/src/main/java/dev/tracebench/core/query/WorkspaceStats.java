package dev.tracebench.core.query;

/** Counts shown in the status bar and by the CLI. Times are epoch nanoseconds (0 when the workspace is empty). */
public record WorkspaceStats(long traces, long spans, long services, long imports, long firstStartNs,
        long lastEndNs) {
}
