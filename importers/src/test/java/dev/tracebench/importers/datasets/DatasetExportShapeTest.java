package dev.tracebench.importers.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracebench.core.dataset.DatasetExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Exported files have the other tool's documented shape (parsed here with Jackson or snakeyaml, keys checked), and
 * where the corpora hold real files of a format, an export of what was read from them gives them back.
 */
class DatasetExportShapeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private final DatasetFileService files = new DatasetFileService();

    private List<JsonNode> jsonLines(String format, List<DatasetExample> examples) throws Exception {
        Path out = dir.resolve(format + ".jsonl");
        files.write(examples, format, out);
        return Files.readAllLines(out).stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
    }

    private static Set<String> keys(JsonNode o) {
        Set<String> k = new HashSet<>();
        o.fieldNames().forEachRemaining(k::add);
        return k;
    }

    @Test
    void openAiEvalsSamplesHaveChatInputAndIdeal() throws Exception {
        List<JsonNode> lines = jsonLines("openai-evals", DatasetRoundTripTest.examples());
        assertEquals(3, lines.size());
        for (JsonNode s : lines) {
            assertTrue(s.get("input").isArray(), "input is chat-format");
            s.get("input").forEach(m -> assertTrue(m.get("role").isTextual() && m.get("content").isTextual()));
            assertTrue(s.get("ideal").isTextual());
        }
        assertEquals(JSON.readTree("[{\"role\":\"user\",\"content\":\"Capital of France?\"}]"),
                lines.get(2).get("input"));
        assertEquals("Paris", lines.get(2).get("ideal").asText());
    }

    @Test
    void theCorporaSamplesComeBackAsTheyWere() throws Exception {
        for (String name : List.of("test_match.samples.jsonl", "test_fuzzy_match.samples.jsonl", "coqa.match.jsonl",
                "test_multiio.joke_animals_vs_fruits.jsonl")) {
            Path original = DatasetCorporaTest.resource("corpora/openai-evals-registry/" + name);
            List<JsonNode> exported = jsonLines("openai-evals", files.read(original, null, null).examples());
            List<String> lines = Files.readAllLines(original).stream().filter(l -> !l.isBlank()).toList();
            assertEquals(lines.size(), exported.size(), name);
            for (int i = 0; i < lines.size(); i++) {
                assertEquals(JSON.readTree(lines.get(i)), exported.get(i), name + " line " + (i + 1));
            }
        }
    }

    @Test
    void promptfooTestsAreYamlWithDescriptionVarsAssertAndMetadata() throws Exception {
        Path out = dir.resolve("tests.yaml");
        files.write(DatasetRoundTripTest.examples(), "promptfoo", out);
        Object doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(out));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tests = (List<Map<String, Object>>) doc;
        assertEquals(3, tests.size());
        for (Map<String, Object> t : tests) {
            assertTrue(Set.of("description", "vars", "assert", "metadata").containsAll(t.keySet()), t.keySet()
                    .toString());
            assertTrue(t.get("vars") instanceof Map<?, ?> v && v.get("question") instanceof String);
            assertTrue(t.get("assert") instanceof List<?> a && a.get(0) instanceof Map<?, ?> first
                    && first.get("type").equals("factuality") && first.get("value") instanceof String);
        }
        Map<String, Object> rag = tests.get(0);
        assertEquals("q-001", rag.get("description"));
        assertEquals(Map.of("question", "What is the refund window, \"exactly\"?\nIn days, please.", "context",
                "Refunds are accepted within 30 days, no questions asked.\n\nStore credit after 30 days; \u00e9changes "
                        + "\u2713 always."), rag.get("vars"));
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) rag.get("metadata");
        assertEquals(List.of("refunds", "edge case, tricky"), meta.get("tags"));
        assertEquals("test", meta.get("split"));
        assertEquals(Map.of("k", 3, "collection", "kb-legacy"), meta.get("retrieval"), "JSON metadata as a map");
    }

    @Test
    void phoenixExamplesHaveInputOutputMetadataAndSplits() throws Exception {
        List<JsonNode> lines = jsonLines("phoenix", DatasetRoundTripTest.examples());
        for (JsonNode ex : lines) {
            assertEquals(Set.of("id", "input", "output", "metadata", "splits"), keys(ex));
            assertTrue(ex.get("input").isObject() && ex.get("input").get("question").isTextual());
            assertTrue(ex.get("output").isObject() && ex.get("output").get("answer").isTextual());
            assertTrue(ex.get("metadata").isObject() && ex.get("splits").isArray());
        }
        assertEquals(JSON.readTree("[\"test\"]"), lines.get(0).get("splits"));
        assertEquals("hallucinated", lines.get(0).get("metadata").get("failure").asText());
    }

    @Test
    void langfuseItemsHaveTheExportsKeys() throws Exception {
        List<JsonNode> lines = jsonLines("langfuse", DatasetRoundTripTest.examples());
        for (JsonNode item : lines) {
            assertEquals(Set.of("id", "input", "expectedOutput", "metadata", "sourceTraceId", "sourceObservationId",
                    "status"), keys(item));
            assertEquals("ACTIVE", item.get("status").asText());
        }
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", lines.get(0).get("sourceTraceId").asText());
        assertEquals("00f067aa0ba902b7", lines.get(0).get("sourceObservationId").asText());
        assertTrue(lines.get(2).get("sourceTraceId").isNull());
        assertEquals("30 days", lines.get(0).get("expectedOutput").get("answer").asText());
    }

    @Test
    void deepEvalGoldensHaveTheKeysOfTheRealGoldensFile() throws Exception {
        Path real = DatasetCorporaTest.resource("corpora/deepeval-fixtures/goldens.json");
        JsonNode original = JSON.readTree(real.toFile());
        Path out = dir.resolve("goldens.json");
        files.write(files.read(real, null, null).examples(), "deepeval", out);
        JsonNode exported = JSON.readTree(out.toFile());
        assertEquals(original.size(), exported.size());
        for (int i = 0; i < original.size(); i++) {
            JsonNode o = original.get(i);
            JsonNode e = exported.get(i);
            for (String k : List.of("input", "actual_output", "expected_output", "retrieval_context", "context",
                    "name", "comments", "source_file")) {
                assertEquals(o.get(k), e.get(k), "golden " + (i + 1) + " " + k);
            }
            assertEquals(Set.of("input", "actual_output", "expected_output", "retrieval_context", "context", "name",
                    "comments", "source_file", "additional_metadata"), keys(e));
        }
    }

    @Test
    void ragasSamplesHaveOnlySingleTurnSampleFields() throws Exception {
        for (JsonNode s : jsonLines("ragas", DatasetRoundTripTest.examples())) {
            assertTrue(Set.of("user_input", "retrieved_contexts", "reference_contexts", "response", "reference")
                    .containsAll(keys(s)), keys(s).toString());
            assertTrue(s.get("user_input").isTextual() && s.get("retrieved_contexts").isArray());
        }
    }

    @Test
    void csvHasAHeaderAndQuotesWhatNeedsIt() throws Exception {
        Path out = dir.resolve("set.csv");
        files.write(DatasetRoundTripTest.examples(), "csv", out);
        String text = Files.readString(out);
        String header = text.substring(0, text.indexOf('\r'));
        assertEquals("id,input,expected_output,output,contexts,messages,tags,split,difficulty,notes,trace_id,"
                + "span_id,metadata.model,metadata.failure,metadata.retrieval,metadata.category", header);
        assertTrue(text.contains("\"What is the refund window, \"\"exactly\"\"?\nIn days, please.\""), text);
    }
}
