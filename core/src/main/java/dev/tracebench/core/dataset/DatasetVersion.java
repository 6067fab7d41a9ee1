package dev.tracebench.core.dataset;

import java.time.Instant;

/** One immutable saved version of a dataset. {@code message} says what changed, as the curator or the tool wrote it. */
public record DatasetVersion(String dataset, int version, Instant created, String message, int exampleCount) {
}
