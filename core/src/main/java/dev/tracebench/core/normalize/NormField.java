package dev.tracebench.core.normalize;

/** The normalised fields a span can have. */
public enum NormField {
    STAGE("stage"),
    OPERATION("operation"),
    PROVIDER("provider"),
    REQUEST_MODEL("request model"),
    RESPONSE_MODEL("response model"),
    INPUT_TOKENS("input tokens"),
    OUTPUT_TOKENS("output tokens"),
    CACHED_TOKENS("cached input tokens"),
    REASONING_TOKENS("reasoning tokens"),
    COST("cost (USD)"),
    FINISH_REASON("finish reason"),
    CACHE_HIT("cache hit"),
    TTFT("time to first token");

    private final String label;

    NormField(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
