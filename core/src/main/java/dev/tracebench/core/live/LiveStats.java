package dev.tracebench.core.live;

import java.time.Instant;

/**
 * What a live receiver has done since it started.
 *
 * @param started           when it started listening
 * @param requests          export requests answered (accepted, partly accepted or refused)
 * @param spansReceived     spans in requests it accepted (stored or rejected as bad)
 * @param spansStored       spans committed to the workspace
 * @param spansRejected     bad spans refused in partial-success responses
 * @param requestsThrottled requests refused for back-pressure (HTTP 429 / gRPC RESOURCE_EXHAUSTED)
 * @param commits           transactions committed
 * @param tracesStored      traces the workspace holds from this receiver so far (distinct trace ids committed)
 * @param queuedSpans       spans accepted but not yet committed
 * @param queuedBytes       their encoded bytes (the back-pressure limit is on those not yet handed to the ingest)
 * @param spansPerSecond    spans received per second over the last few seconds
 * @param lastCommit        when the last commit finished, or null before the first
 * @param lastProblem       the latest refused span or request, in words (with where it came from), or null
 */
public record LiveStats(Instant started, long requests, long spansReceived, long spansStored, long spansRejected,
        long requestsThrottled, long commits, long tracesStored, long queuedSpans, long queuedBytes,
        double spansPerSecond, Instant lastCommit, String lastProblem) {
}
