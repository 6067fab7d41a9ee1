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

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The stage with this id ("retrieval"), or null. */
    public static Stage of(String id) {
        if (id == null) {
            return null;
        }
        String t = id.trim().toUpperCase(Locale.ROOT);
        for (Stage s : values()) {
            if (s.name().equals(t)) {
                return s;
            }
        }
        return null;
    }
}
