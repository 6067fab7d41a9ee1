package dev.tracebench.core.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The numbers {@code /metrics} exposes, counted from the workspace's requests (its traces) at each scrape. A request
 * belongs to the moment its root span started (as the SLOs count it). Cumulative counts cover every request that
 * started at or before {@code end}; window figures the requests that started in {@code (end - window, end]}.
 */
public interface MetricsService {

    /** The start of the newest request in the workspace, if it holds any. */
    Optional<Instant> newest();

    /** Per (service, route, model) and per evaluator, up to {@code end}, with the window's figures. */
    Counts counts(Instant end, java.time.Duration window);

    /** What {@link #counts} returns. */
    record Counts(List<Group> groups, List<Evaluator> evaluators) {
        public Counts {
            groups = List.copyOf(groups);
            evaluators = List.copyOf(evaluators);
        }
    }

    /**
     * One (service, route, model)'s requests. Cumulative: requests, errors (root span failed), the sum of their
     * durations, the requests that queued (critical-path time in queue spans) and the sum of that time, cache
     * lookups, tokens and cost ({@code Double.NaN} when none of its requests is priced). Window: requests, errors,
     * duration and queue-time quantiles ({@link #QUANTILES}; {@code NaN} when there is nothing to rank) and cache
     * lookups.
     *
     * @param route the root span's http.route, else the root operation's name
     * @param model the response model of the call on the critical path, else its request model; "" without a model
     *              call
     */
    record Group(String service, String route, String model, long requests, long errors, double durationSeconds,
            long queued, double queueSeconds, long cacheHits, long cacheMisses, long inputTokens, long outputTokens,
            double cost, long windowRequests, long windowErrors, double[] durationQuantiles, long windowQueued,
            double[] queueQuantiles, long windowCacheHits, long windowCacheMisses) {
    }

    /** The quantiles of durations and queue times, in the order of the arrays above. */
    List<Double> QUANTILES = List.of(0.5, 0.95, 0.99);

    /**
     * One evaluator's verdicts on the workspace's requests (results linked to a trace, with a pass or fail: as
     * stored, else score against its threshold), cumulative and in the window, by the judged request's start.
     */
    record Evaluator(String name, long passed, long failed, long windowPassed, long windowFailed) {
    }
}
