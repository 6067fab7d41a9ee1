package dev.tracebench.core.query;

import java.time.Instant;

/** One committed import, as listed in the workspace's import history. */
public record ImportRecord(int importId, String file, String format, String sha256, long bytes, long spansRead,
        long spansAdded, long duplicates, long alreadyPresent, long rejected, long warnings, Instant startedAt,
        long durationMs, long evalResults) {
}
