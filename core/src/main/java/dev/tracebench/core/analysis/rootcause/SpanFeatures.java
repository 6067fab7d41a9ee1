package dev.tracebench.core.analysis.rootcause;

import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.report.Secrets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The properties root cause reads from a trace's spans: every attribute of every span scoped by the span's stage
 * ("retrieval · db.collection.name = kb-archive"), span names, and the attributes of the resources the spans ran on.
 * Short text, booleans and codes are compared by value, other numbers by threshold.
 *
 * <p>Not every attribute is a dimension. Left out: credentials (by key, {@link Secrets#isSecretKey}, or by the shape
 * of the value): a finding must never print one, and a per-request token explains nothing; and free-text content
 * (prompts, answers, messages, documents, queries, tool arguments): every request has its own, so it cannot set a
 * group of requests apart, and it is not something to show in a finding either.
 */
public final class SpanFeatures {
    /** The pseudo attribute key of a span's name. */
    public static final String SPAN_NAME = "span name";
    /** The scope of resource attributes, and of the root span's own attributes when it has no stage. */
    public static final String RESOURCE = "resource";
    public static final String REQUEST = "request";
    /** Text longer than this is content, not a category. */
    static final int MAX_TEXT = 80;

    private SpanFeatures() {
    }

    /** Receives the features of a trace. */
    public interface Sink {
        /** A categorical feature: attribute {@code key} of a span in {@code scope} has the text {@code value}. */
        void category(String scope, String key, String value, long spanId);

        /** A numeric feature. */
        void number(String scope, String key, double value, long spanId);
    }

    /** Emits the features of one trace's spans to {@code sink}, resource attributes once per resource. */
    public static void read(List<SpanRow> spans, Sink sink) {
        Map<Long, SpanRow> byId = new HashMap<>(spans.size() * 2);
        for (SpanRow s : spans) {
            byId.putIfAbsent(s.spanId(), s);
        }
        Set<Long> resources = new HashSet<>();
        for (SpanRow s : spans) {
            String scope = scope(s, byId);
            sink.category(scope, SPAN_NAME, s.name(), s.spanId());
            for (Attribute a : s.attributes()) {
                add(scope, a, s.spanId(), sink);
            }
            if (resources.add(s.resourceId())) {
                for (Attribute a : s.resourceAttributes()) {
                    add(RESOURCE, a, s.spanId(), sink);
                }
            }
        }
    }

    /** The stage a span is counted in: its own, else its nearest ancestor's; a root without one is the request. */
    public static String scope(SpanRow span, Map<Long, SpanRow> byId) {
        if (span.isRoot() && span.stage() == null) {
            return REQUEST; // the root span's attributes are the request's (route, tenant, user, ...)
        }
        SpanRow cur = span;
        for (int steps = 0; cur != null && steps < 200; steps++) {
            if (cur.stage() != null) {
                return cur.stage();
            }
            cur = cur.parentSpanId() == null ? null : byId.get(cur.parentSpanId());
        }
        return "other";
    }

    private static void add(String scope, Attribute a, long spanId, Sink sink) {
        String key = a.key();
        if (!isDimension(key)) {
            return;
        }
        AttributeValue v = a.value();
        if (v instanceof AttributeValue.Str str) {
            String t = str.value();
            // (secret-shaped values are left out later, of the few that are common enough to be candidates)
            if (t.length() <= MAX_TEXT && !t.isBlank() && t.indexOf('\n') < 0) {
                sink.category(scope, key, t, spanId);
            }
        } else if (v instanceof AttributeValue.Bool b) {
            sink.category(scope, key, Boolean.toString(b.value()), spanId);
        } else if (v instanceof AttributeValue.Int i) {
            if (isCode(key)) {
                sink.category(scope, key, Long.toString(i.value()), spanId); // 429 and 503 are kinds, not amounts
            } else {
                sink.number(scope, key, i.value(), spanId);
            }
        } else if (v instanceof AttributeValue.Dbl d && Double.isFinite(d.value())) {
            sink.number(scope, key, d.value(), spanId);
        }
    }

    /** Keys seen, and whether they are dimensions: a sample has a few hundred keys and millions of attributes. */
    private static final Map<String, Boolean> DIMENSION_KEYS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Whether an attribute may be a dimension: not a credential, not free-text content. */
    public static boolean isDimension(String key) {
        Boolean known = DIMENSION_KEYS.get(key);
        if (known != null) {
            return known;
        }
        boolean d = !Secrets.isSecretKey(key) && !isContent(key);
        if (DIMENSION_KEYS.size() < 50_000) {
            DIMENSION_KEYS.put(key, d);
        }
        return d;
    }

    /** Status and error codes: numbers that name a kind of outcome. */
    static boolean isCode(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.endsWith("status_code") || k.endsWith(".status") || k.endsWith(".code") || k.endsWith("error.type")
                || k.endsWith("error_code");
    }

    private static final Set<String> CONTENT_KEYS = Set.of("input.value", "output.value", "gen_ai.prompt",
            "gen_ai.completion", "gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions",
            "gen_ai.tool.definitions", "gen_ai.tool.call.arguments", "gen_ai.tool.call.result",
            "gen_ai.retrieval.query.text", "gen_ai.retrieval.documents", "reranker.query", "llm.invocation_parameters",
            "tool.parameters", "tool.description", "metadata", "tag.tags", "db.query.text", "db.statement",
            "exception.message", "exception.stacktrace", "ai.prompt", "ai.prompt.messages", "ai.prompt.system",
            "ai.response.text", "ai.response.toolcalls", "langfuse.observation.input", "langfuse.observation.output",
            "langfuse.observation.metadata", "http.request.body", "http.response.body");
    private static final List<String> CONTENT_PREFIXES = List.of("gen_ai.prompt.", "gen_ai.completion.",
            "llm.input_messages.", "llm.output_messages.", "llm.prompts.", "llm.prompt_template.",
            "retrieval.documents.", "reranker.input_documents.", "reranker.output_documents.", "embedding.embeddings.",
            "gen_ai.input.", "gen_ai.output.", "langfuse.observation.input.", "langfuse.observation.output.");
    private static final List<String> CONTENT_SUFFIXES = List.of(".content", ".text", ".arguments", ".body",
            ".messages", ".prompt", ".completion", ".query", ".documents");

    /**
     * Whether an attribute holds free text written by a user or a model (prompts, answers, messages, documents,
     * queries, tool arguments and results), in any of the conventions the normaliser reads.
     */
    public static boolean isContent(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (CONTENT_KEYS.contains(k)) {
            return true;
        }
        for (String p : CONTENT_PREFIXES) {
            if (k.startsWith(p)) {
                return true;
            }
        }
        for (String s : CONTENT_SUFFIXES) {
            if (k.endsWith(s)) {
                return true;
            }
        }
        return false;
    }
}
