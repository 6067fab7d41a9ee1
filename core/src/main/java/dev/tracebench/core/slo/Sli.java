package dev.tracebench.core.slo;

import java.util.Locale;

/** What an SLO measures: which events are valid and which of them are good. */
public enum Sli {
    /** A request (trace, optionally filtered) is good when its duration is at most the threshold. */
    LATENCY("latency", true),
    /** A request is good when it did not fail (its root span has no error status). */
    AVAILABILITY("availability", true),
    /** An eval result of one evaluator is good when the {@code good} expression (or label, or pass) holds. */
    EVAL("eval", false),
    /** A {@code relevance} result (or the evaluator named) is good when its score is at least the threshold. */
    RELEVANCE("relevance", false),
    /** A request with a known cost is good when it cost at most the threshold (USD). */
    COST("cost", true),
    /** A request that used tokens is good when it used at most the threshold. */
    TOKENS("tokens", true),
    /** Any eval metric: a result of the evaluator named is good when its score is at least the threshold. */
    METRIC("metric", false);

    private final String id;
    private final boolean overTraces;

    Sli(String id, boolean overTraces) {
        this.id = id;
        this.overTraces = overTraces;
    }

    public String id() {
        return id;
    }

    /** True when the events are requests (traces); false when they are eval results (of the judged traces). */
    public boolean overTraces() {
        return overTraces;
    }

    /** The SLI named, or null. */
    static Sli of(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (Sli s : values()) {
            if (s.id.equals(n)) {
                return s;
            }
        }
        return null;
    }

    static String names() {
        StringBuilder sb = new StringBuilder();
        for (Sli s : values()) {
            sb.append(sb.length() == 0 ? "" : "|").append(s.id);
        }
        return sb.toString();
    }
}
