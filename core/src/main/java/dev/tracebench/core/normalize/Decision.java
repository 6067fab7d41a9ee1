package dev.tracebench.core.normalize;

/** The value a field got, the source that decided it, and the attribute (or rule) it was read from. */
public record Decision(NormField field, Object value, NormSource source, String from) {

    /** A one-line explanation: "OpenInference (llm.token_count.prompt)". */
    public String explain() {
        return source.label() + (from == null || from.isEmpty() ? "" : " (" + from + ")");
    }
}
