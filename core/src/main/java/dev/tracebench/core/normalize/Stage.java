package dev.tracebench.core.normalize;

import java.util.Locale;

/**
 * The fixed stage taxonomy every span is sorted into, so latency can be attributed to the parts of an LLM request
 * whatever instrumentation produced it.
 */
public enum Stage {
    /** Input validation, prompt-template rendering, tokenization. */
    PROMPT,
    /** Query embedding, vector search, document fetch. */
    RETRIEVAL,
    /** Reranking retrieved documents. */
    RERANK,
    /** The model call. */
    INFERENCE,
    /** A tool or function the model asked for. */
    TOOL,
    /** Agent orchestration. */
    AGENT,
    /** Chain / workflow orchestration. */
    CHAIN,
    /** Safety and guardrail checks. */
    GUARDRAIL,
    /** Output formatting and validation. */
    POSTPROCESS,
    /** Everything else (HTTP handling, queues, unknown work). */
    OTHER;

    private static final Stage[] ALL = values();
    private final String id = name().toLowerCase(Locale.ROOT);

    public String id() {
        return id;
    }

    /** The stage with this id ("retrieval"; case and surrounding blanks do not matter), or null. */
    public static Stage of(String id) {
        if (id == null) {
            return null;
        }
        // ids as stored are exact: compare before any trimming or case folding (this runs for every span)
        for (Stage s : ALL) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        String t = id.trim();
        for (Stage s : ALL) {
            if (s.id.equalsIgnoreCase(t)) {
                return s;
            }
        }
        return null;
    }
}
