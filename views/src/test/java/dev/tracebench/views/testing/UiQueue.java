package dev.tracebench.views.testing;

import dev.tracebench.views.common.Background;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A stand-in for the FX thread in view-model tests: callbacks queue up and run on the test thread when it drains
 * them, so a test sees results arrive in a deterministic order.
 */
public final class UiQueue implements Executor, AutoCloseable {
    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Background background;

    public UiQueue(int threads) {
        background = new Background(threads, this);
    }

    public Background background() {
        return background;
    }

    @Override
    public void execute(Runnable command) {
        queue.add(command);
    }

    /** Runs queued callbacks until {@code condition} holds (checked between callbacks); fails after 10 s. */
    public void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Runnable r = queue.poll(20, TimeUnit.MILLISECONDS);
                if (r != null) {
                    r.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Runs what is queued now and whatever arrives within {@code millis}. */
    public void settle(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            try {
                Runnable r = queue.poll(10, TimeUnit.MILLISECONDS);
                if (r != null) {
                    r.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        background.close();
    }
}
