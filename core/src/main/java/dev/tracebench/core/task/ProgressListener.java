package dev.tracebench.core.task;

/**
 * Headless progress reporting for long work (imports, queries). Implementations must be cheap and thread-safe;
 * the GUI adapts this to a JavaFX task's progress, the CLI to a progress line.
 */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total, message) -> { };

    /**
     * Reports that {@code done} of {@code total} units are finished ({@code total <= 0} when unknown), with a short
     * message such as "12,400 spans".
     */
    void progress(long done, long total, String message);
}
