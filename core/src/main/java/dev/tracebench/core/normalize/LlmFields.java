package dev.tracebench.core.normalize;

/**
 * The normalised LLM fields of one span as stored in the workspace; any of them may be null when the span does not
 * say. {@code costSource} is "reported" (the instrumentation gave a cost) or "computed" (tokens times the price
 * table). {@code sources} lists the conventions that decided the fields (ids, comma-separated) and
 * {@code conflicts} counts fields where two conventions disagreed.
 */
public record LlmFields(
        String stage,
        String operation,
        String provider,
        String requestModel,
        String responseModel,
        Long inputTokens,
        Long outputTokens,
        Long cachedTokens,
        Long reasoningTokens,
        Double cost,
        String costSource,
        String finishReason,
        Boolean cacheHit,
        Long ttftNs,
        String sources,
        int conflicts) {

    public static final LlmFields NONE = new LlmFields(null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, 0);

    /** The model a span's cost and grouping go by: the response model if known, else the request model. */
    public String model() {
        return responseModel != null ? responseModel : requestModel;
    }
}
