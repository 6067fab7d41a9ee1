package dev.tracebench.core.notify;

import java.time.Duration;

/** Waits between attempts and for the rate limit; tests pass one that only advances their clock. */
@FunctionalInterface
public interface Sleeper {
    /** The real one. */
    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));

    void sleep(Duration d) throws InterruptedException;
}
