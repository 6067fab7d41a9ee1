package dev.tracebench.core.normalize;

/**
 * Where a normalised value came from, in precedence order: when two sources both give a field, the earlier one wins
 * (and a disagreement is recorded as a conflict). The user's rules file wins over everything.
 */
public enum NormSource {
    RULES("rules file"),
    OTEL_GENAI("OpenTelemetry GenAI"),
    OTEL_GENAI_DEPRECATED("OpenTelemetry GenAI (deprecated names)"),
    OPENINFERENCE("OpenInference"),
    OPENLLMETRY("OpenLLMetry / Traceloop"),
    VERCEL_AI("Vercel AI SDK"),
    LANGFUSE("Langfuse"),
    GENERIC("generic HTTP / DB / vector-DB attributes"),
    SPAN_NAME("span name"),
    PRICE_TABLE("price table");

    private final String label;

    NormSource(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
