package dev.tracebench.views.testing;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.CancelledException;
import dev.tracebench.core.task.ProgressListener;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An {@link dev.tracebench.views.quality.EvaluatorRunPort} for dialog tests: it records each request, reports half
 * of its progress, then waits until {@link #finish} (or until cancelled, which it honours like the real runner).
 */
public final class FakeEvaluatorRunPort implements dev.tracebench.views.quality.EvaluatorRunPort {
    public static final List<String> EVALUATORS = List.of("groundedness", "relevance", "safety", "pii", "format");

    /** One request: the cohort, the evaluators and the limit asked for. */
    public record Request(Cohort cohort, List<String> evaluators, int limit) {
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch finish = new CountDownLatch(1);
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile boolean cancelled;

    @Override
    public List<String> available() {
        return EVALUATORS;
    }

    @Override
    public EvalRun run(Cohort cohort, List<String> evaluators, int limit, ProgressListener progress,
            CancellationToken cancel) {
        requests.add(new Request(cohort, evaluators, limit));
        progress.progress(50, 100, "50 of 100 answers judged");
        started.countDown();
        try {
            while (!finish.await(20, TimeUnit.MILLISECONDS)) {
                if (cancel.isCancelled()) {
                    cancelled = true;
                    throw new CancelledException();
                }
            }
        } catch (InterruptedException e) {
            cancelled = true;
            Thread.currentThread().interrupt();
            throw new CancelledException();
        }
        return new EvalRun(9, "evaluators " + String.join(",", evaluators), "tracebench-evaluators", "",
                Instant.now(), "{}", "1", 9, 100L * evaluators.size(), 100L * evaluators.size(), evaluators);
    }

    public List<Request> requests() {
        return requests;
    }

    /** Whether the run saw its cancellation. */
    public boolean cancelled() {
        return cancelled;
    }

    /** Waits until a run has started (and reported its progress). */
    public boolean awaitStarted() throws InterruptedException {
        return started.await(20, TimeUnit.SECONDS);
    }

    /** Lets the running (and every later) run finish. */
    public void finish() {
        finish.countDown();
    }
}
