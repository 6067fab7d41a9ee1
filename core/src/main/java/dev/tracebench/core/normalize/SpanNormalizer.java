package dev.tracebench.core.normalize;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.SpanEventData;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Derives a span's normalised LLM fields and its {@link Stage} from whatever conventions its attributes follow, all at
 * once, deciding each field by source precedence (see {@link NormSource}): the user's rules, then OpenTelemetry GenAI
 * (current names, then deprecated names and the older per-message events), OpenInference, OpenLLMetry/Traceloop
 * (including its underscore cache-token names), the Vercel AI SDK ({@code ai.*}), Langfuse
 * ({@code langfuse.observation.*}), generic HTTP/database/vector-database attributes, and last the span name. When two
 * sources disagree the higher one wins and the disagreement is kept as a {@link Conflict}. A reported cost wins over
 * one computed from the {@link PriceTable}.
 *
 * <p>A span whose own attributes do not decide a stage gets none here; analysis gives it its parent's stage (a
 * PostgreSQL query under a retrieval step is retrieval work).
 *
 * <p>One instance per thread: it reuses scratch space between spans.
 */
public final class SpanNormalizer {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> VECTOR_DBS = Set.of("qdrant", "pinecone", "weaviate", "milvus", "chroma",
            "chromadb", "pgvector", "lancedb", "marqo", "vespa", "zilliz", "turbopuffer", "vectorize", "redis-vector",
            "astra", "mongodb-atlas-vector", "opensearch-vector", "faiss");

    private final Rules rules;
    private final PriceTable prices;
    private final Candidates c = new Candidates();

    public SpanNormalizer() {
        this(Rules.NONE, PriceTable.shipped());
    }

    public SpanNormalizer(Rules rules, PriceTable prices) {
        this.rules = rules;
        this.prices = prices;
    }

    /** The stored fields of one span (the import path: no explanation objects are built). */
    public LlmFields normalize(SpanData span, String service, String scope) {
        collect(span.name(), span.attributes(), span.events(), span.startNs(), service, scope);
        return fields();
    }

    /** The stored fields of a span given by its parts. */
    public LlmFields normalize(String name, List<Attribute> attributes, List<SpanEventData> events, long startNs,
            String service, String scope) {
        collect(name, attributes, events, startNs, service, scope);
        return fields();
    }

    /**
     * Every field's decision (value, source, attribute) and every disagreement between sources: what the span detail
     * view shows.
     */
    public Normalization explain(String name, List<Attribute> attributes, List<SpanEventData> events, long startNs,
            String service, String scope) {
        collect(name, attributes, events, startNs, service, scope);
        List<Decision> decisions = new ArrayList<>();
        List<Conflict> conflicts = new ArrayList<>();
        for (NormField f : NormField.values()) {
            Decision d = c.decide(f);
            if (d != null) {
                decisions.add(d);
                conflicts.addAll(c.conflicts(f, d));
            } else if (f == NormField.COST) {
                Decision computed = computedCost();
                if (computed != null) {
                    decisions.add(computed);
                }
            }
        }
        return new Normalization(decisions, conflicts, fields());
    }

    private LlmFields fields() {
        Object stage = c.value(NormField.STAGE);
        Double cost = (Double) c.value(NormField.COST);
        String costSource = cost != null ? "reported" : null;
        if (cost == null) {
            PriceTable.Price p = price();
            if (p != null) {
                cost = computedCost(p);
                costSource = "computed";
            }
        }
        int used = 0;
        int conflicts = 0;
        for (NormField f : FIELDS) {
            int si = c.source(f);
            if (si >= 0) {
                used |= 1 << si;
                conflicts += c.conflictCount(f);
            }
        }
        return new LlmFields(stage == null ? null : ((Stage) stage).id(), (String) c.value(NormField.OPERATION),
                (String) c.value(NormField.PROVIDER), (String) c.value(NormField.REQUEST_MODEL),
                (String) c.value(NormField.RESPONSE_MODEL), (Long) c.value(NormField.INPUT_TOKENS),
                (Long) c.value(NormField.OUTPUT_TOKENS), (Long) c.value(NormField.CACHED_TOKENS),
                (Long) c.value(NormField.REASONING_TOKENS), cost, costSource,
                (String) c.value(NormField.FINISH_REASON), (Boolean) c.value(NormField.CACHE_HIT),
                (Long) c.value(NormField.TTFT), sourceIds(used), conflicts);
    }

    private static final NormField[] FIELDS = NormField.values();
    private static final NormSource[] SOURCES = NormSource.values();
    /** "otel-genai,generic" for each set of sources (a bit per source), built once per set. */
    private static final String[] SOURCE_IDS = new String[1 << SOURCES.length];

    private static String sourceIds(int used) {
        if (used == 0) {
            return null;
        }
        String ids = SOURCE_IDS[used];
        if (ids == null) {
            StringBuilder sb = new StringBuilder();
            for (NormSource s : SOURCES) {
                if ((used & (1 << s.ordinal())) != 0) {
                    sb.append(sb.length() == 0 ? "" : ",").append(s.name().toLowerCase(Locale.ROOT).replace('_', '-'));
                }
            }
            ids = sb.toString();
            SOURCE_IDS[used] = ids;
        }
        return ids;
    }

    /** The price of the span's model (response model first), when tokens are known; null otherwise. */
    private PriceTable.Price price() {
        if (c.value(NormField.INPUT_TOKENS) == null && c.value(NormField.OUTPUT_TOKENS) == null) {
            return null;
        }
        PriceTable.Price p = lookup((String) c.value(NormField.RESPONSE_MODEL));
        return p != null ? p : lookup((String) c.value(NormField.REQUEST_MODEL));
    }

    private final java.util.Map<String, Optional<PriceTable.Price>> priceMemo = new java.util.HashMap<>();

    private PriceTable.Price lookup(String model) {
        if (model == null) {
            return null;
        }
        Optional<PriceTable.Price> p = priceMemo.get(model);
        if (p == null) {
            if (priceMemo.size() > 4_096) {
                priceMemo.clear();
            }
            p = Optional.ofNullable(prices.lookup(model));
            priceMemo.put(model, p);
        }
        return p.orElse(null);
    }

    private double computedCost(PriceTable.Price p) {
        Long in = (Long) c.value(NormField.INPUT_TOKENS);
        Long out = (Long) c.value(NormField.OUTPUT_TOKENS);
        Long cached = (Long) c.value(NormField.CACHED_TOKENS);
        return p.cost(in == null ? 0 : in, cached == null ? 0 : cached, out == null ? 0 : out);
    }

    /** The cost from the price table when tokens and a priced model are known, with where it comes from. */
    private Decision computedCost() {
        PriceTable.Price p = price();
        if (p == null) {
            return null;
        }
        return new Decision(NormField.COST, computedCost(p), NormSource.PRICE_TABLE, String.format(Locale.ROOT,
                "%s: $%s in / $%s out / $%s cached per million tokens", p.model(), num(p.input()), num(p.output()),
                num(p.cachedInput())));
    }

    private static String num(double d) {
        return d == Math.rint(d) ? String.format(Locale.ROOT, "%.2f", d) : Double.toString(d);
    }

    // ------------------------------------------------------------------ collecting candidates

    private void collect(String name, List<Attribute> attrs, List<SpanEventData> events, long startNs,
            String service, String scope) {
        c.clear();
        rules.apply(name, service, scope, attrs, c);
        boolean requestModel = false;
        for (int i = 0, n = attrs.size(); i < n; i++) {
            Attribute a = attrs.get(i);
            String k = a.key();
            AttributeValue v = a.value();
            if (k.startsWith("gen_ai.")) {
                requestModel |= genAi(k, v);
            } else if (k.startsWith("llm.")) {
                llm(k, v);
            } else if (k.startsWith("ai.")) {
                vercel(k, v);
            } else if (k.startsWith("langfuse.")) {
                langfuse(k, v, startNs);
            } else {
                other(k, v);
            }
        }
        if (requestModel && !c.has(NormField.STAGE, NormSource.OTEL_GENAI)
                && !c.has(NormField.OPERATION, NormSource.OTEL_GENAI)) {
            // a model was requested but no operation named: a model call, unless the span or the model says it
            // reranks or embeds (e.g. the Cohere instrumentation's "cohere.rerank" with model rerank-english-v3.0)
            String hint = ((name == null ? "" : name) + " " + String.valueOf(c.value(NormField.REQUEST_MODEL)))
                    .toLowerCase(Locale.ROOT);
            Stage implied = hint.contains("rerank") ? Stage.RERANK : hint.contains("embed") ? Stage.RETRIEVAL
                    : Stage.INFERENCE;
            c.put(NormField.STAGE, NormSource.OTEL_GENAI, implied, "gen_ai.request.model"
                    + (implied == Stage.INFERENCE ? "" : " and the span name"));
        }
        for (SpanEventData e : events) {
            event(e, startNs);
        }
        byName(name);
    }

    /** OpenTelemetry GenAI names; returns true for gen_ai.request.model (a model-call hint). */
    private boolean genAi(String k, AttributeValue v) {
        switch (k) {
            case "gen_ai.operation.name" -> {
                String op = Candidates.text(v);
                c.put(NormField.OPERATION, NormSource.OTEL_GENAI, op, k);
                c.put(NormField.STAGE, NormSource.OTEL_GENAI, stageOfOperation(op), k);
            }
            case "gen_ai.provider.name" -> c.put(NormField.PROVIDER, NormSource.OTEL_GENAI, Candidates.text(v), k);
            case "gen_ai.system" -> c.put(NormField.PROVIDER, NormSource.OTEL_GENAI_DEPRECATED,
                    legacyProvider(Candidates.text(v)), k);
            case "gen_ai.request.model" -> {
                c.put(NormField.REQUEST_MODEL, NormSource.OTEL_GENAI, Candidates.text(v), k);
                return true;
            }
            case "gen_ai.response.model" -> c.put(NormField.RESPONSE_MODEL, NormSource.OTEL_GENAI, Candidates.text(v), k);
            case "gen_ai.usage.input_tokens" -> c.put(NormField.INPUT_TOKENS, NormSource.OTEL_GENAI, Candidates.asLong(v), k);
            case "gen_ai.usage.output_tokens" -> c.put(NormField.OUTPUT_TOKENS, NormSource.OTEL_GENAI, Candidates.asLong(v), k);
            case "gen_ai.usage.prompt_tokens" -> c.put(NormField.INPUT_TOKENS, NormSource.OTEL_GENAI_DEPRECATED,
                    Candidates.asLong(v), k);
            case "gen_ai.usage.completion_tokens" -> c.put(NormField.OUTPUT_TOKENS, NormSource.OTEL_GENAI_DEPRECATED,
                    Candidates.asLong(v), k);
            case "gen_ai.usage.cache_read.input_tokens" -> c.put(NormField.CACHED_TOKENS, NormSource.OTEL_GENAI,
                    Candidates.asLong(v), k);
            case "gen_ai.usage.cache_read_input_tokens" -> c.put(NormField.CACHED_TOKENS, NormSource.OPENLLMETRY,
                    Candidates.asLong(v), k);
            case "gen_ai.usage.reasoning.output_tokens" -> c.put(NormField.REASONING_TOKENS, NormSource.OTEL_GENAI,
                    Candidates.asLong(v), k);
            case "gen_ai.usage.reasoning_tokens" -> c.put(NormField.REASONING_TOKENS, NormSource.OPENLLMETRY,
                    Candidates.asLong(v), k);
            case "gen_ai.usage.cost" -> c.put(NormField.COST, NormSource.OTEL_GENAI, Candidates.asDouble(v), k);
            case "gen_ai.response.finish_reasons" -> c.put(NormField.FINISH_REASON, NormSource.OTEL_GENAI,
                    Candidates.coerce(NormField.FINISH_REASON, v), k);
            case "gen_ai.response.finish_reason", "gen_ai.completion.0.finish_reason" -> c.put(
                    NormField.FINISH_REASON, NormSource.OPENLLMETRY, Candidates.text(v), k);
            case "gen_ai.response.time_to_first_chunk" -> {
                Double s = Candidates.asDouble(v);
                c.put(NormField.TTFT, NormSource.OTEL_GENAI, s == null ? null : Math.round(s * 1e9), k);
            }
            default -> {
                if (k.startsWith("gen_ai.tool.") && !c.has(NormField.STAGE, NormSource.OTEL_GENAI)) {
                    c.put(NormField.STAGE, NormSource.OTEL_GENAI, Stage.TOOL, k);
                }
            }
        }
        return false;
    }

    private void llm(String k, AttributeValue v) {
        switch (k) {
            case "llm.model_name" -> {
                String m = Candidates.text(v);
                c.put(NormField.REQUEST_MODEL, NormSource.OPENINFERENCE, m, k);
                c.put(NormField.RESPONSE_MODEL, NormSource.OPENINFERENCE, m, k);
            }
            case "llm.request.model_name" -> c.override(NormField.REQUEST_MODEL, NormSource.OPENINFERENCE,
                    Candidates.text(v), k);
            case "llm.response.model_name" -> c.override(NormField.RESPONSE_MODEL, NormSource.OPENINFERENCE,
                    Candidates.text(v), k);
            case "llm.provider" -> c.override(NormField.PROVIDER, NormSource.OPENINFERENCE, Candidates.text(v), k);
            case "llm.system" -> c.put(NormField.PROVIDER, NormSource.OPENINFERENCE, legacyProvider(Candidates.text(v)), k);
            case "llm.token_count.prompt" -> c.put(NormField.INPUT_TOKENS, NormSource.OPENINFERENCE, Candidates.asLong(v), k);
            case "llm.token_count.completion" -> c.put(NormField.OUTPUT_TOKENS, NormSource.OPENINFERENCE,
                    Candidates.asLong(v), k);
            case "llm.token_count.prompt_details.cache_read" -> c.put(NormField.CACHED_TOKENS, NormSource.OPENINFERENCE,
                    Candidates.asLong(v), k);
            case "llm.token_count.completion_details.reasoning" -> c.put(NormField.REASONING_TOKENS,
                    NormSource.OPENINFERENCE, Candidates.asLong(v), k);
            case "llm.cost.total" -> c.put(NormField.COST, NormSource.OPENINFERENCE, Candidates.asDouble(v), k);
            case "llm.finish_reason" -> c.put(NormField.FINISH_REASON, NormSource.OPENINFERENCE, Candidates.text(v), k);
            case "llm.request.type" -> {
                String t = Candidates.text(v);
                String op = t == null ? null : switch (t) {
                    case "chat" -> "chat";
                    case "completion" -> "text_completion";
                    case "embedding" -> "embeddings";
                    case "rerank" -> "rerank";
                    default -> null;
                };
                c.put(NormField.OPERATION, NormSource.OPENLLMETRY, op, k);
                c.put(NormField.STAGE, NormSource.OPENLLMETRY, op == null ? null : op.equals("rerank") ? Stage.RERANK
                        : op.equals("embeddings") ? Stage.RETRIEVAL : Stage.INFERENCE, k);
            }
            case "llm.usage.reasoning_tokens" -> c.put(NormField.REASONING_TOKENS, NormSource.OPENLLMETRY,
                    Candidates.asLong(v), k);
            case "llm.response.finish_reason" -> c.put(NormField.FINISH_REASON, NormSource.OPENLLMETRY,
                    Candidates.text(v), k);
            default -> { }
        }
    }

    private void vercel(String k, AttributeValue v) {
        switch (k) {
            case "ai.operationId" -> {
                String op = Candidates.text(v);
                if (op != null) {
                    Stage s;
                    String operation;
                    if (op.startsWith("ai.toolCall")) {
                        s = Stage.TOOL;
                        operation = "execute_tool";
                    } else if (op.startsWith("ai.embed")) {
                        s = Stage.RETRIEVAL;
                        operation = "embeddings";
                    } else if (op.endsWith(".doGenerate") || op.endsWith(".doStream")) {
                        s = Stage.INFERENCE;
                        operation = op.contains("Object") ? "generate_content" : "chat";
                    } else {
                        s = Stage.CHAIN;
                        operation = null;
                    }
                    c.put(NormField.STAGE, NormSource.VERCEL_AI, s, k);
                    c.put(NormField.OPERATION, NormSource.VERCEL_AI, operation, k);
                }
            }
            case "ai.model.id" -> c.put(NormField.REQUEST_MODEL, NormSource.VERCEL_AI, Candidates.text(v), k);
            case "ai.model.provider" -> c.put(NormField.PROVIDER, NormSource.VERCEL_AI, vercelProvider(Candidates.text(v)), k);
            case "ai.response.model" -> c.put(NormField.RESPONSE_MODEL, NormSource.VERCEL_AI, Candidates.text(v), k);
            case "ai.usage.promptTokens", "ai.usage.inputTokens" -> c.put(NormField.INPUT_TOKENS, NormSource.VERCEL_AI,
                    Candidates.asLong(v), k);
            case "ai.usage.completionTokens", "ai.usage.outputTokens" -> c.put(NormField.OUTPUT_TOKENS,
                    NormSource.VERCEL_AI, Candidates.asLong(v), k);
            case "ai.usage.tokens" -> c.put(NormField.INPUT_TOKENS, NormSource.VERCEL_AI, Candidates.asLong(v), k);
            case "ai.usage.cachedInputTokens" -> c.put(NormField.CACHED_TOKENS, NormSource.VERCEL_AI,
                    Candidates.asLong(v), k);
            case "ai.usage.reasoningTokens" -> c.put(NormField.REASONING_TOKENS, NormSource.VERCEL_AI,
                    Candidates.asLong(v), k);
            case "ai.response.finishReason" -> c.put(NormField.FINISH_REASON, NormSource.VERCEL_AI, Candidates.text(v), k);
            case "ai.response.msToFirstChunk" -> {
                Double ms = Candidates.asDouble(v);
                c.put(NormField.TTFT, NormSource.VERCEL_AI, ms == null ? null : Math.round(ms * 1e6), k);
            }
            default -> { }
        }
    }

    private void langfuse(String k, AttributeValue v, long startNs) {
        switch (k) {
            case "langfuse.observation.type" -> {
                String t = Candidates.text(v);
                Stage s = t == null ? null : switch (t.toUpperCase(Locale.ROOT)) {
                    case "GENERATION" -> Stage.INFERENCE;
                    case "EMBEDDING", "RETRIEVER" -> Stage.RETRIEVAL;
                    case "TOOL" -> Stage.TOOL;
                    case "AGENT" -> Stage.AGENT;
                    case "CHAIN" -> Stage.CHAIN;
                    case "GUARDRAIL" -> Stage.GUARDRAIL;
                    case "EVALUATOR", "EVENT" -> Stage.OTHER;
                    default -> null;
                };
                c.put(NormField.STAGE, NormSource.LANGFUSE, s, k);
            }
            case "langfuse.observation.model.name" -> c.put(NormField.REQUEST_MODEL, NormSource.LANGFUSE,
                    Candidates.text(v), k);
            case "langfuse.observation.usage_details" -> usageDetails(Candidates.text(v), k);
            case "langfuse.observation.cost_details" -> costDetails(Candidates.text(v), k);
            case "langfuse.observation.completion_start_time" -> {
                String t = Candidates.text(v);
                if (t != null && startNs > 0) {
                    try {
                        OffsetDateTime odt = OffsetDateTime.parse(t);
                        long ns = odt.toEpochSecond() * 1_000_000_000L + odt.getNano();
                        c.put(NormField.TTFT, NormSource.LANGFUSE, Math.max(0, ns - startNs), k);
                    } catch (DateTimeParseException e) {
                        // not a timestamp: nothing to learn from it
                    }
                }
            }
            default -> { }
        }
    }

    private void usageDetails(String json, String k) {
        if (json == null) {
            return;
        }
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                    p.skipChildren();
                    continue;
                }
                long n = Math.round(p.getDoubleValue());
                switch (f) {
                    case "input", "prompt_tokens", "input_tokens", "promptTokens" -> c.put(NormField.INPUT_TOKENS,
                            NormSource.LANGFUSE, n, k + "." + f);
                    case "output", "completion_tokens", "output_tokens", "completionTokens" -> c.put(
                            NormField.OUTPUT_TOKENS, NormSource.LANGFUSE, n, k + "." + f);
                    case "input_cached_tokens", "cache_read_input_tokens", "input_cache_read" -> c.put(
                            NormField.CACHED_TOKENS, NormSource.LANGFUSE, n, k + "." + f);
                    case "output_reasoning_tokens", "reasoning_tokens", "output_reasoning" -> c.put(
                            NormField.REASONING_TOKENS, NormSource.LANGFUSE, n, k + "." + f);
                    default -> { }
                }
            }
        } catch (IOException e) {
            // not JSON: Langfuse wrote something else; nothing to learn from it
        }
    }

    private void costDetails(String json, String k) {
        if (json == null) {
            return;
        }
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                if (f.equals("total") && (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT)) {
                    c.put(NormField.COST, NormSource.LANGFUSE, p.getDoubleValue(), k + ".total");
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            // not JSON
        }
    }

    private void other(String k, AttributeValue v) {
        switch (k) {
            case "openinference.span.kind" -> {
                String kind = Candidates.text(v);
                if (kind != null) {
                    String kk = kind.toUpperCase(Locale.ROOT);
                    c.put(NormField.STAGE, NormSource.OPENINFERENCE, switch (kk) {
                        case "LLM" -> Stage.INFERENCE;
                        case "EMBEDDING", "RETRIEVER" -> Stage.RETRIEVAL;
                        case "RERANKER" -> Stage.RERANK;
                        case "TOOL" -> Stage.TOOL;
                        case "AGENT" -> Stage.AGENT;
                        case "CHAIN" -> Stage.CHAIN;
                        case "GUARDRAIL" -> Stage.GUARDRAIL;
                        case "PROMPT" -> Stage.PROMPT;
                        case "EVALUATOR" -> Stage.OTHER;
                        default -> null;
                    }, k);
                    c.put(NormField.OPERATION, NormSource.OPENINFERENCE, switch (kk) {
                        case "LLM" -> "chat";
                        case "EMBEDDING" -> "embeddings";
                        case "RETRIEVER" -> "retrieval";
                        case "RERANKER" -> "rerank";
                        case "TOOL" -> "execute_tool";
                        case "AGENT" -> "invoke_agent";
                        default -> null;
                    }, k);
                }
            }
            case "embedding.model_name" -> c.put(NormField.REQUEST_MODEL, NormSource.OPENINFERENCE, Candidates.text(v), k);
            case "traceloop.span.kind" -> {
                String t = Candidates.text(v);
                c.put(NormField.STAGE, NormSource.OPENLLMETRY, t == null ? null : switch (t) {
                    case "workflow", "task" -> Stage.CHAIN;
                    case "agent" -> Stage.AGENT;
                    case "tool" -> Stage.TOOL;
                    default -> null;
                }, k);
            }
            case "db.system", "db.system.name" -> {
                String db = Candidates.text(v);
                if (db != null && VECTOR_DBS.contains(db.toLowerCase(Locale.ROOT))) {
                    c.put(NormField.STAGE, NormSource.GENERIC, Stage.RETRIEVAL, k);
                    c.put(NormField.OPERATION, NormSource.GENERIC, "vector_search", k);
                }
            }
            case "server.address", "net.peer.name", "url.full", "http.url" -> {
                String provider = providerOfHost(Candidates.text(v));
                if (provider != null) {
                    c.put(NormField.STAGE, NormSource.GENERIC, Stage.INFERENCE, k);
                    c.put(NormField.PROVIDER, NormSource.GENERIC, provider, k);
                }
            }
            default -> {
                if ((k.endsWith(".cache.hit") || k.endsWith("cache_hit") || k.equals("cache.hit"))
                        && v instanceof AttributeValue.Bool b) {
                    c.put(NormField.CACHE_HIT, NormSource.GENERIC, b.value(), k);
                }
            }
        }
    }

    private void event(SpanEventData e, long startNs) {
        String n = e.name();
        if (n.equals("gen_ai.choice")) {
            for (Attribute a : e.attributes()) {
                if (a.key().equals("finish_reason")) {
                    c.put(NormField.FINISH_REASON, NormSource.OTEL_GENAI_DEPRECATED, Candidates.text(a.value()),
                            "gen_ai.choice event");
                }
            }
        } else if ((n.equals("first_token") || n.equals("gen_ai.first_chunk") || n.equals("gen_ai.content.first_chunk")
                || n.equals("First Token Received")) && startNs > 0 && e.timeNs() >= startNs) {
            c.put(NormField.TTFT, NormSource.GENERIC, e.timeNs() - startNs, n + " event");
        }
    }

    private void byName(String name) {
        if (c.value(NormField.STAGE) != null || name == null) {
            return;
        }
        // span names repeat (mostly as the same String instances): remember the answer for recent names
        int h = name.hashCode();
        int slot = (h ^ (h >>> 9)) & (NAME_SLOTS - 1);
        NameStage known = nameStages[slot];
        if (known == null || !(known.name == name || known.name.equals(name))) {
            Stage stage = stageOfName(name);
            known = new NameStage(name, stage, stage == null ? null : "'" + name + "'");
            nameStages[slot] = known;
        }
        if (known.stage != null) {
            c.put(NormField.STAGE, NormSource.SPAN_NAME, known.stage, known.reason);
        }
    }

    private static final int NAME_SLOTS = 256;
    private final NameStage[] nameStages = new NameStage[NAME_SLOTS];

    private record NameStage(String name, Stage stage, String reason) {
    }

    /** The stage a span name suggests ("rerank", "vector search", "format_response", ...), or null. */
    static Stage stageOfName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        Stage s = null;
        if (n.contains("rerank")) {
            s = Stage.RERANK;
        } else if (n.contains("guardrail") || n.contains("moderation") || n.contains("safety") || n.contains("toxicity")) {
            s = Stage.GUARDRAIL;
        } else if (n.contains("embed") || n.contains("retriev") || n.contains("vector") || n.contains("similarity")) {
            s = Stage.RETRIEVAL;
        } else if (n.contains("prompt") || n.contains("template") || n.contains("tokeniz") || n.contains("validate_input")
                || n.contains("input_validation")) {
            s = Stage.PROMPT;
        } else if (n.contains("format_response") || n.contains("postprocess") || n.contains("post_process")
                || n.contains("parse_output") || n.contains("render_response") || n.contains("format_answer")) {
            s = Stage.POSTPROCESS;
        } else if (n.contains("tool")) {
            s = Stage.TOOL;
        } else if (n.contains("agent")) {
            s = Stage.AGENT;
        } else if (n.contains("workflow") || n.contains("chain")) {
            s = Stage.CHAIN;
        }
        return s;
    }

    // ------------------------------------------------------------------ value mappings

    static Stage stageOfOperation(String op) {
        if (op == null) {
            return null;
        }
        return switch (op) {
            case "chat", "text_completion", "generate_content", "completion" -> Stage.INFERENCE;
            case "embeddings", "retrieval" -> Stage.RETRIEVAL;
            case "execute_tool" -> Stage.TOOL;
            case "invoke_agent", "create_agent" -> Stage.AGENT;
            case "invoke_workflow" -> Stage.CHAIN;
            case "rerank" -> Stage.RERANK;
            default -> null;
        };
    }

    /** Deprecated {@code gen_ai.system} values as the current {@code gen_ai.provider.name} ones. */
    static String legacyProvider(String system) {
        if (system == null) {
            return null;
        }
        return switch (system.toLowerCase(Locale.ROOT)) {
            case "az.ai.inference" -> "azure.ai.inference";
            case "az.ai.openai" -> "azure.ai.openai";
            case "vertex_ai" -> "gcp.vertex_ai";
            case "gemini" -> "gcp.gemini";
            case "xai" -> "x_ai";
            default -> system;
        };
    }

    /** Vercel's provider ids ("openai.responses", "anthropic.messages") as provider names. */
    static String vercelProvider(String p) {
        if (p == null) {
            return null;
        }
        String base = p.contains(".") ? p.substring(0, p.indexOf('.')) : p;
        return switch (base) {
            case "google" -> "gcp.gemini";
            case "vertex" -> "gcp.vertex_ai";
            case "azure" -> "azure.ai.openai";
            case "bedrock", "amazon-bedrock" -> "aws.bedrock";
            case "mistral" -> "mistral_ai";
            case "xai" -> "x_ai";
            default -> base;
        };
    }

    /** Provider endpoints by a part of their host name, checked in this order. */
    private static final String[][] PROVIDER_HOSTS = {
        {"api.openai.com", "openai"},
        {"api.anthropic.com", "anthropic"},
        {"aiplatform.googleapis.com", "gcp.vertex_ai"},
        {"generativelanguage.googleapis.com", "gcp.gemini"},
        {"openai.azure.com", "azure.ai.openai"},
        {"api.mistral.ai", "mistral_ai"},
        {"api.cohere.", "cohere"},
        {"bedrock-runtime", "aws.bedrock"},
    };

    static String providerOfHost(String hostOrUrl) {
        if (hostOrUrl == null) {
            return null;
        }
        String h = hostOrUrl.toLowerCase(Locale.ROOT);
        for (String[] p : PROVIDER_HOSTS) {
            if (h.contains(p[0])) {
                return p[1];
            }
        }
        return null;
    }
}
