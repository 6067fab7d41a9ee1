package dev.tracebench.views.common;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.application.Platform;

/**
 * Runs blocking work (queries, imports) off the FX thread and hands results back to the UI thread. Callbacks only
 * assign results; any work belongs in the callable. The UI executor is injectable so view models can be tested
 * without a running toolkit.
 */
public final class Background implements AutoCloseable {
    private final ExecutorService pool;
    private final java.util.concurrent.Executor ui;

    /** A pool of {@code threads} daemon threads, with callbacks on the JavaFX application thread. */
    public Background(int threads) {
        this(threads, Platform::runLater);
    }

    public Background(int threads, java.util.concurrent.Executor ui) {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tracebench-bg-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.ui = ui;
    }

    /**
     * Runs {@code work} in the background; then {@code onSuccess} or {@code onFailure} on the UI thread. After
     * {@link #close} the work is dropped (a view's timer may still fire while the window closes).
     */
    public <T> Future<?> run(Callable<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
        if (pool.isShutdown()) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        try {
            return submit(work, onSuccess, onFailure);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return java.util.concurrent.CompletableFuture.completedFuture(null); // closed meanwhile
        }
    }

    private <T> Future<?> submit(Callable<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
        return pool.submit(() -> {
            T result;
            try {
                result = work.call();
            } catch (Throwable t) {
                ui.execute(() -> onFailure.accept(t));
                return;
            }
            ui.execute(() -> onSuccess.accept(result));
        });
    }

    /** Runs a task on the UI thread (the toolkit's, or the injected one). */
    public void onUi(Runnable r) {
        ui.execute(r);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** The user-facing text of a failure: its message without exception class names. */
    public static String message(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && (c.getMessage() == null || c instanceof java.util.concurrent.ExecutionException)) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return m == null || m.isBlank() ? c.getClass().getSimpleName() : m;
    }
}
