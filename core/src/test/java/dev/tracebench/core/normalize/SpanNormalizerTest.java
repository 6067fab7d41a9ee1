package dev.tracebench.core.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.SpanEventData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanNormalizerTest {
    static final long T = 1_700_000_000_000_000_000L;
    final SpanNormalizer n = new SpanNormalizer();

    /** A flat attribute map (JSON object with native types) from the test resources. */
    static List<Attribute> fixture(String name) throws IOException {
        try (InputStream in = SpanNormalizerTest.class.getResourceAsStream("/normalize/" + name);
                JsonParser p = new JsonFactory().createParser(in)) {
            p.nextToken();
            List<Attribute> out = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                JsonToken t = p.nextToken();
                AttributeValue v = switch (t) {
                    case VALUE_NUMBER_INT -> new AttributeValue.Int(p.getLongValue());
                    case VALUE_NUMBER_FLOAT -> new AttributeValue.Dbl(p.getDoubleValue());
                    case VALUE_TRUE, VALUE_FALSE -> new AttributeValue.Bool(t == JsonToken.VALUE_TRUE);
                    case START_ARRAY -> {
                        List<AttributeValue> vals = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            vals.add(new AttributeValue.Str(p.getText()));
                        }
                        yield new AttributeValue.Array(vals);
                    }
                    default -> new AttributeValue.Str(p.getText());
                };
                out.add(new Attribute(k, v));
            }
            return out;
        }
    }

    LlmFields norm(String name, List<Attribute> attrs) {
        return n.normalize(name, attrs, List.of(), T, "svc", "scope");
    }

    @Test
    void theSameCallInThreeConventionsNormalisesTheSame() throws IOException {
        LlmFields oi = norm("ChatOpenAI", fixture("openinference_client_span_tool_calls.json"));
        LlmFields otel = norm("chat gpt-4", fixture("otel_genai_client_span_tool_calls.json"));
        LlmFields old = norm("chat gpt-4", fixture("otel_genai_deprecated_client_span_tool_calls.json"));
        for (LlmFields f : List.of(oi, otel, old)) {
            assertEquals("inference", f.stage());
            assertEquals("chat", f.operation());
            assertEquals("openai", f.provider());
            assertEquals("gpt-4-0613", f.responseModel());
            assertEquals(97L, f.inputTokens());
            assertEquals(52L, f.outputTokens());
            // gpt-4-0613 prices as gpt-4: 97 x $30 + 52 x $60 per million
            assertEquals(0.00603, f.cost(), 1e-12);
            assertEquals("computed", f.costSource());
            assertEquals(0, f.conflicts());
        }
        assertEquals("openinference", oi.sources());
        assertEquals("gpt-4-0613", oi.requestModel(), "OpenInference names one model");
        assertEquals("gpt-4", otel.requestModel());
        assertEquals("stop", otel.finishReason());
        assertEquals("otel-genai", otel.sources());
    }

    @Test
    void aToolExecution() throws IOException {
        LlmFields f = norm("execute_tool get_weather", fixture("otel_genai_tool_execution_span.json"));
        assertEquals("tool", f.stage());
        assertEquals("execute_tool", f.operation());
        assertNull(f.cost());
    }

    @Test
    void precedenceDecidesAndDisagreementsAreConflicts() {
        List<Attribute> a = List.of(Attribute.of("llm.token_count.prompt", 90L), Attribute.of("gen_ai.usage.input_tokens", 100L),
                Attribute.of("gen_ai.usage.prompt_tokens", 100L), Attribute.of("llm.model_name", "gpt-4o-mini"),
                Attribute.of("gen_ai.request.model", "gpt-4o-mini-2024-07-18"), Attribute.of("openinference.span.kind", "LLM"));
        Normalization x = n.explain("call", a, List.of(), T, "svc", "");
        assertEquals(100L, x.fields().inputTokens());
        Decision input = x.decisions().stream().filter(d -> d.field() == NormField.INPUT_TOKENS).findFirst()
                .orElseThrow();
        assertEquals(NormSource.OTEL_GENAI, input.source());
        assertEquals("gen_ai.usage.input_tokens", input.from());
        // the deprecated name agrees; OpenInference's 90 disagrees: one conflict, visible
        assertEquals(1, x.conflicts().size(), x.conflicts().toString());
        Conflict c = x.conflicts().get(0);
        assertEquals(NormField.INPUT_TOKENS, c.field());
        assertEquals(90L, c.other().value());
        assertEquals(NormSource.OPENINFERENCE, c.other().source());
        assertEquals(1, x.fields().conflicts());
        // an alias and its dated version (gpt-4o-mini vs gpt-4o-mini-2024-07-18) are the same model: no conflict
        assertEquals("gpt-4o-mini-2024-07-18", x.fields().requestModel());
    }

    @Test
    void everyConventionGivesAStage() {
        assertEquals("retrieval", stage("embed", Attribute.of("gen_ai.operation.name", "embeddings")));
        assertEquals("retrieval", stage("x", Attribute.of("openinference.span.kind", "RETRIEVER")));
        assertEquals("rerank", stage("x", Attribute.of("openinference.span.kind", "RERANKER")));
        assertEquals("guardrail", stage("x", Attribute.of("openinference.span.kind", "GUARDRAIL")));
        assertEquals("chain", stage("x", Attribute.of("traceloop.span.kind", "workflow")));
        assertEquals("tool", stage("x", Attribute.of("traceloop.span.kind", "tool")));
        assertEquals("rerank", stage("x", Attribute.of("llm.request.type", "rerank")));
        assertEquals("inference", stage("ai.generateText.doGenerate", Attribute.of("ai.operationId",
                "ai.generateText.doGenerate")));
        assertEquals("chain", stage("ai.generateText", Attribute.of("ai.operationId", "ai.generateText")));
        assertEquals("retrieval", stage("ai.embed.doEmbed", Attribute.of("ai.operationId", "ai.embed.doEmbed")));
        assertEquals("inference", stage("x", Attribute.of("langfuse.observation.type", "GENERATION")));
        assertEquals("retrieval", stage("qdrant.search", Attribute.of("db.system", "qdrant")));
        assertEquals("retrieval", stage("query", Attribute.of("db.system.name", "pinecone")));
        assertEquals("inference", stage("POST", Attribute.of("server.address", "api.openai.com")));
        assertEquals("inference", stage("provider call", Attribute.of("gen_ai.request.model", "gpt-4o")));
        // a model without an operation is a model call, unless the name or the model says it reranks or embeds
        assertEquals("rerank", stage("cohere.rerank", Attribute.of("gen_ai.system", "cohere"),
                Attribute.of("gen_ai.request.model", "rerank-english-v3.0")));
        assertEquals("rerank", stage("call", Attribute.of("gen_ai.request.model", "rerank-v3.5")));
        assertEquals("retrieval", stage("OpenAI.embed", Attribute.of("gen_ai.request.model", "text-embedding-3-small")));
        // names only when nothing else says
        assertEquals("prompt", stage("render_prompt support-answer"));
        assertEquals("guardrail", stage("guardrail output_check"));
        assertEquals("postprocess", stage("format_response"));
        assertEquals("rerank", stage("cohere.rerank"));
        assertEquals("retrieval", stage("retrieve_context"));
        // a PostgreSQL query or an HTTP server span decides nothing: analysis gives it its parent's stage
        assertNull(stage("SELECT documents", Attribute.of("db.system.name", "postgresql")));
        assertNull(stage("POST /v1/chat", Attribute.of("http.request.method", "POST")));
    }

    private String stage(String name, Attribute... attrs) {
        return norm(name, List.of(attrs)).stage();
    }

    @Test
    void cachedReasoningAndUnderscoreNames() {
        LlmFields f = norm("openai.chat", List.of(Attribute.of("gen_ai.system", "openai"),
                Attribute.of("gen_ai.request.model", "gpt-4o"), Attribute.of("gen_ai.usage.prompt_tokens", 1000L),
                Attribute.of("gen_ai.usage.completion_tokens", 200L),
                Attribute.of("gen_ai.usage.cache_read_input_tokens", 400L),
                Attribute.of("gen_ai.usage.reasoning_tokens", 50L), Attribute.of("llm.request.type", "chat")));
        assertEquals(400L, f.cachedTokens());
        assertEquals(50L, f.reasoningTokens());
        // 600 x 2.50 + 400 x 1.25 + 200 x 10.00 per million
        assertEquals((600 * 2.5 + 400 * 1.25 + 200 * 10.0) / 1e6, f.cost(), 1e-12);
        assertEquals("openai", f.provider());
    }

    @Test
    void reportedCostWinsOverComputed() {
        LlmFields f = norm("ChatOpenAI", List.of(Attribute.of("llm.model_name", "gpt-4o"),
                Attribute.of("llm.token_count.prompt", 1000L), Attribute.of("llm.token_count.completion", 100L),
                Attribute.of("llm.cost.total", 0.5)));
        assertEquals(0.5, f.cost());
        assertEquals("reported", f.costSource());
        LlmFields unknown = norm("chat", List.of(Attribute.of("gen_ai.request.model", "my-private-model"),
                Attribute.of("gen_ai.usage.input_tokens", 10L)));
        assertNull(unknown.cost(), "no price for an unknown model");
    }

    @Test
    void vercelLangfuseAndEventsGiveTokensFinishReasonsAndTimeToFirstToken() {
        LlmFields v = norm("ai.streamText.doStream", List.of(Attribute.of("ai.operationId", "ai.streamText.doStream"),
                Attribute.of("ai.model.id", "gpt-4o-mini"), Attribute.of("ai.model.provider", "openai.responses"),
                Attribute.of("ai.usage.inputTokens", 20L), Attribute.of("ai.usage.outputTokens", 8L),
                Attribute.of("ai.response.finishReason", "stop"), Attribute.of("ai.response.msToFirstChunk", 412.5)));
        assertEquals("openai", v.provider());
        assertEquals(20L, v.inputTokens());
        assertEquals(412_500_000L, v.ttftNs());
        assertEquals("stop", v.finishReason());
        LlmFields lf = norm("generation", List.of(Attribute.of("langfuse.observation.type", "GENERATION"),
                Attribute.of("langfuse.observation.model.name", "claude-3-5-haiku-20241022"),
                Attribute.of("langfuse.observation.usage_details", "{\"input\":120,\"output\":30,\"total\":150}"),
                Attribute.of("langfuse.observation.cost_details", "{\"input\":0.0001,\"total\":0.00022}"),
                Attribute.of("langfuse.observation.completion_start_time", "2023-11-14T22:13:20.250Z")));
        assertEquals(120L, lf.inputTokens());
        assertEquals(30L, lf.outputTokens());
        assertEquals(0.00022, lf.cost());
        assertEquals("reported", lf.costSource());
        assertEquals(250_000_000L, lf.ttftNs());
        LlmFields ev = n.normalize("chat", List.of(Attribute.of("gen_ai.operation.name", "chat")),
                List.of(new SpanEventData(T + 90_000_000L, "gen_ai.first_chunk", List.of(), 0),
                        new SpanEventData(T + 99_000_000L, "gen_ai.choice",
                                List.of(Attribute.of("finish_reason", "length")), 0)), T, "svc", "");
        assertEquals(90_000_000L, ev.ttftNs());
        assertEquals("length", ev.finishReason());
    }

    @Test
    void userRulesWinOverEveryConvention() {
        String yaml = """
            rules:
              - name: gateway spans
                match:
                  span_name: "gw\\\\..*"
                  attributes: {gw.model: "*"}
                set: {stage: inference, provider: acme-gateway}
                map: {request_model: gw.model, input_tokens: gw.in}
              - name: everything in the search service is retrieval
                match: {service: "search-.*"}
                set: {stage: retrieval}
            """;
        Rules rules = Rules.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "rules.yaml");
        SpanNormalizer rn = new SpanNormalizer(rules, PriceTable.shipped());
        Normalization x = rn.explain("gw.call", List.of(Attribute.of("gw.model", "gpt-4o"), Attribute.of("gw.in", 77L),
                Attribute.of("gen_ai.provider.name", "openai"), Attribute.of("openinference.span.kind", "TOOL")),
                List.of(), T, "api", "");
        assertEquals("inference", x.fields().stage());
        assertEquals("acme-gateway", x.fields().provider());
        assertEquals("gpt-4o", x.fields().requestModel());
        assertEquals(77L, x.fields().inputTokens());
        Decision stage = x.decisions().stream().filter(d -> d.field() == NormField.STAGE).findFirst().orElseThrow();
        assertEquals(NormSource.RULES, stage.source());
        assertEquals("rule 'gateway spans' (rules.yaml #1)", stage.from());
        assertTrue(x.conflicts().stream().anyMatch(c -> c.field() == NormField.PROVIDER),
                "the rule overrides OpenTelemetry's provider: that disagreement is shown");
        assertEquals("retrieval", rn.normalize("whatever", List.of(), List.of(), T, "search-api", "").stage());
        assertNull(rn.normalize("whatever", List.of(), List.of(), T, "other", "").stage());
    }

    @Test
    void aBadRulesFileIsExplained() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rules.parse(
                new ByteArrayInputStream("rules:\n  - name: x\n    set: {stage: thinking}\n".getBytes()), "r.yaml"));
        assertTrue(e.getMessage().contains("r.yaml: rule #1") && e.getMessage().contains("thinking"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Rules.parse(
                new ByteArrayInputStream("rules:\n  - match: {span_name: \"(\"}\n    set: {stage: tool}\n".getBytes()),
                "r.yaml"));
        assertTrue(e.getMessage().contains("span_name") && e.getMessage().contains("regular expression"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Rules.parse(
                new ByteArrayInputStream("rules:\n  - set: {colour: red}\n".getBytes()), "r.yaml"));
        assertTrue(e.getMessage().contains("unknown field 'colour'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Rules.parse(
                new ByteArrayInputStream("rules: [\n".getBytes()), "r.yaml"));
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
    }

    @Test
    void pricesMatchModelNamesWithVersionsAndPrefixes() {
        PriceTable p = PriceTable.shipped();
        assertEquals("gpt-4o-mini", p.lookup("gpt-4o-mini-2024-07-18").model());
        assertEquals("gpt-4o", p.lookup("gpt-4o-2024-08-06").model());
        assertEquals("gpt-4o", p.lookup("openai/gpt-4o").model());
        assertEquals("gemini-1.5-flash", p.lookup("models/gemini-1.5-flash-002").model());
        assertEquals("claude-3-5-haiku", p.lookup("us.anthropic.claude-3-5-haiku-20241022-v1:0").model());
        assertEquals("gpt-4", p.lookup("gpt-4-0613").model());
        assertNull(p.lookup("gpt-4oops"));
        assertNull(p.lookup("llama-3-70b"));
    }

    /** The stage a span name suggests is remembered per name: the same and other names stay right span after span. */
    @Test
    void spanNamesGiveTheirStageEveryTime() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            // more distinct names than the normaliser remembers, so that they also collide and replace each other
            names.add(switch (i % 4) {
                case 0 -> "rerank-" + i;
                case 1 -> "Vector search " + i;
                case 2 -> "format_response#" + i;
                default -> "handler " + i;
            });
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < names.size(); i++) {
                String name = new String(names.get(i)); // another instance with the same text
                Normalization x = n.explain(name, List.of(), List.of(), T, "svc", "");
                String expected = switch (i % 4) {
                    case 0 -> "rerank";
                    case 1 -> "retrieval";
                    case 2 -> "postprocess";
                    default -> null;
                };
                assertEquals(expected, x.fields().stage(), name);
                if (expected != null) {
                    Decision d = x.decisions().stream().filter(k -> k.field() == NormField.STAGE).findFirst()
                            .orElseThrow();
                    assertEquals(NormSource.SPAN_NAME, d.source());
                    assertEquals("'" + name + "'", d.from());
                }
            }
        }
    }
}
