package dev.tracebench.views.common;

import dev.tracebench.core.task.CancellationToken;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Background loads where the newest request wins: {@link #next()} starts a generation and supersedes the previous
 * one, whose results (and failures) are then dropped, whose queued work that has not started yet never runs, and
 * whose cancellation token is cancelled (for work that polls one). Use from the UI thread only.
 */
public final class LatestLoads {
    private final Background background;
    private Ticket current;

    public LatestLoads(Background background) {
        this.background = background;
    }

    /** Starts a new generation, superseding the previous one. */
    public Ticket next() {
        if (current != null) {
            current.supersede();
        }
        current = new Ticket();
        return current;
    }

    /** Supersedes the running generation without starting another (cancel). */
    public void cancel() {
        if (current != null) {
            current.supersede();
            current = null;
        }
    }

    /** One generation of loads. */
    public final class Ticket {
        private final List<Future<?>> futures = new ArrayList<>();
        private final CancellationToken cancel = new CancellationToken();
        private boolean superseded;
        private int pending;
        private Runnable onIdle = () -> { };

        /** Cancelled when this generation is superseded; hand it to work that can stop early. */
        public CancellationToken cancellation() {
            return cancel;
        }

        public boolean isCurrent() {
            return !superseded;
        }

        /** Loads still running in this generation. */
        public int pending() {
            return pending;
        }

        /** Called (on the UI thread) whenever this generation has no load left running, unless superseded. */
        public Ticket onIdle(Runnable r) {
            onIdle = r;
            return this;
        }

        /** Runs {@code work} in the background; the callbacks run only if this generation is still current. */
        public <T> void run(Callable<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
            pending++;
            futures.add(background.run(work, r -> {
                if (!superseded) {
                    done();
                    onSuccess.accept(r);
                    idleCheck();
                }
            }, t -> {
                if (!superseded) {
                    done();
                    onFailure.accept(t);
                    idleCheck();
                }
            }));
        }

        private void done() {
            pending--;
        }

        private void idleCheck() {
            if (pending == 0 && !superseded) {
                onIdle.run();
            }
        }

        private void supersede() {
            superseded = true;
            cancel.cancel();
            for (Future<?> f : futures) {
                f.cancel(false); // never interrupt a thread inside the database driver
            }
            futures.clear();
        }
    }
}
