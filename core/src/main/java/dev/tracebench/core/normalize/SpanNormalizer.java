package dev.tracebench.core.normalize;

import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.SpanData;
import java.util.List;
import java.util.Locale;

/**
 * Derives the normalised LLM columns of a span from its attributes.
 *
 * <p>This first version reads the OpenTelemetry GenAI conventions (current and deprecated names) and OpenInference's
 * span kind and token counts; the precedence is: current OTel GenAI names, then deprecated OTel names, then
 * OpenInference. Stateless and thread-safe.
 */
public final class SpanNormalizer {

    public LlmFields normalize(SpanData span) {
        List<Attribute> attrs = span.attributes();
        String operation = null;
        String provider = null;
        String providerOld = null;
        String requestModel = null;
        String responseModel = null;
        String oiKind = null;
        String oiModel = null;
        String oiProvider = null;
        Long input = null;
        Long inputOld = null;
        Long output = null;
        Long outputOld = null;
        Long cached = null;
        Long cachedOld = null;
        Long oiInput = null;
        Long oiOutput = null;
        Long oiCached = null;
        Double oiCost = null;
        Double cost = null;
        for (Attribute a : attrs) {
            String k = a.key();
            if (k.startsWith("gen_ai.")) {
                switch (k) {
                    case "gen_ai.operation.name" -> operation = str(a.value());
                    case "gen_ai.provider.name" -> provider = str(a.value());
                    case "gen_ai.system" -> providerOld = str(a.value());
                    case "gen_ai.request.model" -> requestModel = str(a.value());
                    case "gen_ai.response.model" -> responseModel = str(a.value());
                    case "gen_ai.usage.input_tokens" -> input = num(a.value());
                    case "gen_ai.usage.prompt_tokens" -> inputOld = num(a.value());
                    case "gen_ai.usage.output_tokens" -> output = num(a.value());
                    case "gen_ai.usage.completion_tokens" -> outputOld = num(a.value());
                    case "gen_ai.usage.cache_read.input_tokens" -> cached = num(a.value());
                    case "gen_ai.usage.cache_read_input_tokens" -> cachedOld = num(a.value());
                    case "gen_ai.usage.cost" -> cost = dbl(a.value());
                    default -> { }
                }
            } else if (k.startsWith("llm.") || k.equals("openinference.span.kind")) {
                switch (k) {
                    case "openinference.span.kind" -> oiKind = str(a.value());
                    case "llm.model_name" -> oiModel = str(a.value());
                    case "llm.provider", "llm.system" -> oiProvider = oiProvider == null ? str(a.value()) : oiProvider;
                    case "llm.token_count.prompt" -> oiInput = num(a.value());
                    case "llm.token_count.completion" -> oiOutput = num(a.value());
                    case "llm.token_count.prompt_details.cache_read" -> oiCached = num(a.value());
                    case "llm.cost.total" -> oiCost = dbl(a.value());
                    default -> { }
                }
            }
        }
        String stage = stageOf(operation, oiKind);
        if (operation == null && oiKind != null && oiKind.equalsIgnoreCase("LLM")) {
            operation = "chat";
        }
        return new LlmFields(
                stage,
                operation,
                first(provider, providerOld, oiProvider),
                first(requestModel, oiModel),
                first(responseModel, oiModel),
                first(input, inputOld, oiInput),
                first(output, outputOld, oiOutput),
                first(cached, cachedOld, oiCached),
                cost != null ? cost : oiCost);
    }

    private static String stageOf(String operation, String oiKind) {
        if (operation != null) {
            switch (operation) {
                case "chat", "text_completion", "generate_content":
                    return "inference";
                case "embeddings", "retrieval":
                    return "retrieval";
                case "execute_tool":
                    return "tool";
                case "invoke_agent", "create_agent":
                    return "agent";
                case "invoke_workflow":
                    return "chain";
                default:
                    break;
            }
        }
        if (oiKind != null) {
            switch (oiKind.toUpperCase(Locale.ROOT)) {
                case "LLM":
                    return "inference";
                case "EMBEDDING", "RETRIEVER":
                    return "retrieval";
                case "RERANKER":
                    return "rerank";
                case "TOOL":
                    return "tool";
                case "AGENT":
                    return "agent";
                case "CHAIN":
                    return "chain";
                case "GUARDRAIL":
                    return "guardrail";
                case "PROMPT":
                    return "prompt";
                default:
                    break;
            }
        }
        return null;
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String str(AttributeValue v) {
        return v instanceof AttributeValue.Str s ? s.value() : v instanceof AttributeValue.Empty ? null : v.display();
    }

    private static Long num(AttributeValue v) {
        if (v instanceof AttributeValue.Int i) {
            return i.value();
        }
        if (v instanceof AttributeValue.Dbl d && Double.isFinite(d.value())) {
            return Math.round(d.value());
        }
        if (v instanceof AttributeValue.Str s) {
            try {
                return Long.parseLong(s.value().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Double dbl(AttributeValue v) {
        if (v instanceof AttributeValue.Dbl d) {
            return d.value();
        }
        if (v instanceof AttributeValue.Int i) {
            return (double) i.value();
        }
        if (v instanceof AttributeValue.Str s) {
            try {
                return Double.parseDouble(s.value().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
