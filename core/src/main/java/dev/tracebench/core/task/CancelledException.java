package dev.tracebench.core.task;

/** Thrown by work that stopped because its {@link CancellationToken} was cancelled. */
public final class CancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CancelledException() {
        super("cancelled");
    }
}
