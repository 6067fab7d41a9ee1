package dev.tracebench.core.task;

import java.util.concurrent.atomic.AtomicBoolean;

/** A flag that long work polls to stop early; cancelling makes the work throw {@link CancelledException}. */
public final class CancellationToken {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public static CancellationToken none() {
        return new CancellationToken();
    }

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Throws {@link CancelledException} if cancellation was requested. */
    public void throwIfCancelled() {
        if (cancelled.get()) {
            throw new CancelledException();
        }
    }
}
