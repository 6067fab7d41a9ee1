package dev.tracebench.core.normalize;

/** The normalised LLM fields of one span; any of them may be null when the span does not say. */
public record LlmFields(
        String stage,
        String operation,
        String provider,
        String requestModel,
        String responseModel,
        Long inputTokens,
        Long outputTokens,
        Long cachedTokens,
        Double cost) {

    public static final LlmFields NONE = new LlmFields(null, null, null, null, null, null, null, null, null);
}
