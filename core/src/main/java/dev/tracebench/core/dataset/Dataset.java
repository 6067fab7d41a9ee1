package dev.tracebench.core.dataset;

import java.time.Instant;

/**
 * A dataset in the workspace: a name (unique, case-sensitive) and its latest version.
 *
 * @param latestVersion the newest version's number (versions count from 1)
 * @param exampleCount  examples in the latest version
 * @param acceptedRun   the eval run last accepted as this dataset's baseline by {@code dataset test --accept}, or 0
 */
public record Dataset(String name, String description, int latestVersion, int exampleCount, Instant created,
        Instant updated, long acceptedRun) {
}
