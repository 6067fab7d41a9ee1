package dev.tracebench.core.metrics;

/** What {@code GET /metrics} on the live receiver's HTTP port serves: computed at each scrape. */
@FunctionalInterface
public interface MetricsEndpoint {

    /**
     * The body for one scrape.
     *
     * @param accept the request's Accept header (OpenMetrics when it asks for application/openmetrics-text), or null
     */
    Exposition scrape(String accept);

    /** A scrape's answer. */
    record Exposition(String contentType, byte[] body) {
    }
}
