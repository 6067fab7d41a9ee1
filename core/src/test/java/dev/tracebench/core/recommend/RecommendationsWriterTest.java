package dev.tracebench.core.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.model.TraceId;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class RecommendationsWriterTest {
    private static final TraceId T = new TraceId(0x0102030405060708L, 0x090a0b0c0d0e0f10L);
    private static final Recommendation TRAFFIC = new Recommendation(RecommendationKind.TRAFFIC, Severity.CRITICAL,
            "model gpt-4o-mini-2025-01-20", "Shift traffic away.", "Because.",
            List.of(new Recommendation.Fact("calls", "1,514")), List.of(new Finding.Exemplar(T, 0x1a2bL)));
    /** A recommendation that (wrongly) quotes a credential. */
    private static final Recommendation LEAKY = new Recommendation(RecommendationKind.RETRAIN, Severity.WARNING,
            "evaluator groundedness", "Failing answers carry api_key=sk-live-4f9a8b7c6d5e4f3a2b1c.", "e",
            List.of(new Recommendation.Fact("header", "Bearer sk-live-4f9a8b7c6d5e4f3a2b1c")), List.of());
    private static final List<ModelWeight> WEIGHTS = List.of(
            new ModelWeight("gpt-4o-mini-2024-07-18", 6148, 0.019, 1_860_000_000L, Double.NaN, 0.7, 0.963,
                    "gpt-4o-mini", "openai"),
            new ModelWeight("gpt-4o-mini-2025-01-20", 1514, 0.154, 3_680_000_000L, 0.98, 0.3, 0.037, "gpt-4o-mini",
                    "openai"),
            new ModelWeight("gemini-1.5-flash-002", 900, 0.01, 1_000_000_000L, Double.NaN, 1, 1, "gemini-1.5-flash",
                    "gcp.vertex_ai"));
    private static final Recommendations R = new Recommendations(Instant.parse("2026-11-20T08:00:00Z"),
            Instant.parse("2026-11-20T18:00:00Z"), List.of(TRAFFIC, LEAKY), WEIGHTS, new TracingOverhead(100, 20_000,
                    List.of(new TracingOverhead.Row("ops-agent", "chain", "format_answer", 40, 8000, 3000, true,
                            "fast"))));

    private static String write(RecommendationsWriter.Format f) throws IOException {
        StringWriter out = new StringWriter();
        RecommendationsWriter.write(R, f, "Recommendations for w.duckdb", out);
        return out.toString();
    }

    @Test
    void jsonAndYamlCarryTheSameDocumentAndParseBack() throws IOException {
        JsonNode json = new ObjectMapper().readTree(write(RecommendationsWriter.Format.JSON));
        Object yaml = new Load(LoadSettings.builder().build()).loadFromString(write(RecommendationsWriter.Format.YAML));
        assertEquals(new ObjectMapper().valueToTree(yaml), json);
        assertEquals(2, json.get("recommendations").size());
        JsonNode t = json.get("recommendations").get(0);
        assertEquals("traffic", t.get("kind").asText());
        assertEquals("critical", t.get("severity").asText());
        assertEquals("1,514", t.get("evidence").get(0).get("value").asText());
        assertEquals(T.hex(), t.get("exemplars").get(0).get("trace_id").asText());
        assertEquals("0000000000001a2b", t.get("exemplars").get(0).get("span_id").asText());
        JsonNode w = json.get("weights").get(1);
        assertEquals(0.037, w.get("weight").asDouble(), 1e-12);
        assertEquals(0.98, w.get("pass_rate").asDouble(), 1e-12);
        assertTrue(json.get("weights").get(0).get("pass_rate").isNull());
        assertEquals(20_000, json.get("overhead").get("bytes").asLong());
        assertTrue(json.get("overhead").get("rows").get(0).get("sampling_candidate").asBoolean());
        assertEquals("2026-11-20T08:00:00Z", json.get("from").asText());
    }

    @Test
    void noFormatPrintsASecret() throws IOException {
        for (RecommendationsWriter.Format f : RecommendationsWriter.Format.values()) {
            String out = write(f);
            assertFalse(out.contains("4f9a8b7c6d5e4f3a2b1c"), f + ": " + out);
            assertTrue(out.contains("[masked]"), f + ": " + out);
        }
    }

    @Test
    void textListsRecommendationsWeightsAndOverhead() throws IOException {
        String text = write(RecommendationsWriter.Format.TEXT);
        assertTrue(text.startsWith("Recommendations for w.duckdb\nWindow: 2026-11-20T08:00:00Z to "
                + "2026-11-20T18:00:00Z\n\n1. [CRITICAL] traffic · model gpt-4o-mini-2025-01-20\n"), text);
        assertTrue(text.contains("   - calls: 1,514\n"), text);
        assertTrue(text.contains("example traces: " + T.hex() + " (span 0000000000001a2b)"), text);
        assertTrue(text.contains("gpt-4o-mini-2025-01-20 gets 3.7% of gpt-4o-mini (now 30%)"), text);
        assertTrue(text.contains("Tracing overhead: 100 spans, 20.0 kB"), text);
    }

    @Test
    void routerConfigIsALiteLlmModelListWithTheWeights() {
        String yaml = RecommendationsWriter.routerConfig(WEIGHTS);
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) doc.get("model_list");
        assertEquals(3, list.size());
        assertEquals("gpt-4o-mini", list.get(1).get("model_name"));
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) list.get(1).get("litellm_params");
        assertEquals("openai/gpt-4o-mini-2025-01-20", params.get("model"));
        assertEquals(0.037, ((Number) params.get("weight")).doubleValue(), 1e-12);
        @SuppressWarnings("unchecked")
        Map<String, Object> gemini = (Map<String, Object>) list.get(2).get("litellm_params");
        assertEquals("vertex_ai/gemini-1.5-flash-002", gemini.get("model"));
        assertEquals(Map.of("routing_strategy", "simple-shuffle"), doc.get("router_settings"));
    }

    @Test
    void theTriggerCarriesOnlyRetrainRecommendations() throws IOException {
        Map<String, Object> t = RecommendationsWriter.trigger(R, "w.duckdb", Instant.parse("2026-12-01T00:00:00Z"));
        JsonNode j = new ObjectMapper().readTree(RecommendationsWriter.json(t));
        assertTrue(j.get("triggered").asBoolean());
        assertEquals(1, j.get("reasons").size());
        assertEquals("retrain", j.get("reasons").get(0).get("kind").asText());
        assertEquals("2026-11-20T08:00:00Z", j.get("window").get("from").asText());
        Recommendations none = new Recommendations(null, null, List.of(TRAFFIC), List.of(), new TracingOverhead(0, 0,
                List.of()));
        Map<String, Object> quiet = RecommendationsWriter.trigger(none, "w", Instant.EPOCH);
        assertEquals(false, quiet.get("triggered"));
        assertNull(((Map<?, ?>) quiet.get("window")).get("from"));
    }
}
