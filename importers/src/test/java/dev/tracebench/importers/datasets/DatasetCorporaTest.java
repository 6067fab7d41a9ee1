package dev.tracebench.importers.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracebench.core.dataset.ChatMessage;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetFile;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every dataset file of the shared corpora reads, recognised by content, with the values a second, independent
 * reading of the file (Jackson's tree) finds.
 */
class DatasetCorporaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DatasetFileService files = new DatasetFileService();

    static Path resource(String relative) {
        try {
            return Path.of(DatasetCorporaTest.class.getResource("/" + relative).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + relative, e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"test_match.samples.jsonl", "test_fuzzy_match.samples.jsonl", "coqa.match.jsonl",
        "test_metaeval.joke_fruits_labeled.jsonl", "test_multiio.joke_animals_vs_fruits.jsonl"})
    void openAiEvalsSamplesReadEveryLineWithItsInputIdealAndOtherKeys(String name) throws Exception {
        Path f = resource("corpora/openai-evals-registry/" + name);
        DatasetFile read = files.read(f, null, null);
        assertEquals("openai-evals", read.format());
        assertEquals(List.of(), read.problems());
        List<String> lines = Files.readAllLines(f).stream().filter(l -> !l.isBlank()).toList();
        assertEquals(lines.size(), read.examples().size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode sample = JSON.readTree(lines.get(i));
            DatasetExample e = read.examples().get(i);
            assertEquals(String.format("ex-%04d", i + 1), e.id());
            JsonNode input = sample.get("input");
            if (input == null) {
                assertEquals("", e.input()); // a multi-input eval: its inputs are in the metadata
            } else if (input.isTextual()) {
                assertEquals(input.asText(), e.input());
            } else {
                String lastUser = "";
                for (JsonNode m : input) {
                    lastUser = m.get("role").asText().equals("user") ? m.get("content").asText() : lastUser;
                }
                assertEquals(lastUser, e.input());
                assertEquals(input.size(), e.messages().size(), "every message of the chat is kept");
                for (int m = 0; m < input.size(); m++) {
                    JsonNode want = input.get(m);
                    assertEquals(new ChatMessage(want.get("role").asText(), want.get("content").asText(),
                            want.has("name") ? want.get("name").asText() : ""), e.messages().get(m));
                }
            }
            JsonNode ideal = sample.get("ideal");
            assertEquals(ideal == null ? "" : ideal.isArray() ? ideal.get(0).asText() : ideal.asText(),
                    e.expectedOutput());
            for (var it = sample.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!k.equals("input") && !k.equals("ideal")) {
                    assertEquals(sample.get(k).asText(), e.metadata().get(k), k + " is kept in the metadata");
                }
            }
            if (ideal != null && ideal.isArray()) {
                assertEquals(ideal, JSON.readTree(e.metadata().get("ideal")), "every acceptable answer is kept");
            }
            assertEquals("file " + name + " line " + (i + 1), e.provenance().source());
        }
    }

    @Test
    void theFuzzyMatchSamplesKeepTheirFewShotNamesAndEveryIdeal() throws Exception {
        DatasetExample second = files.read(resource("corpora/openai-evals-registry/test_fuzzy_match.samples.jsonl"),
                null, null).examples().get(1);
        assertEquals("What season did derek die in grey's?", second.input());
        assertEquals("Season 11", second.expectedOutput());
        assertEquals("[\"Season 11\",\"11\"]", second.metadata().get("ideal"));
        assertEquals(new ChatMessage("system", "Paris", "example_assistant"), second.messages().get(2));
    }

    @Test
    void deepEvalGoldensReadWithTheirPassagesIdealContextNamesAndComments() throws Exception {
        Path f = resource("corpora/deepeval-fixtures/goldens.json");
        DatasetFile read = files.read(f, null, null);
        assertEquals("deepeval", read.format());
        assertEquals(List.of(), read.problems());
        JsonNode goldens = JSON.readTree(f.toFile());
        assertEquals(goldens.size(), read.examples().size());
        assertEquals(15, read.examples().size());
        for (int i = 0; i < goldens.size(); i++) {
            JsonNode g = goldens.get(i);
            DatasetExample e = read.examples().get(i);
            assertEquals(g.get("name").asText(), e.id());
            assertEquals(g.get("input").asText(), e.input());
            assertEquals(g.get("actual_output").asText(), e.actualOutput());
            assertEquals(g.get("expected_output").asText(), e.expectedOutput());
            assertEquals(texts(g.get("retrieval_context")), e.context());
            assertEquals(g.get("context"), JSON.readTree(e.metadata().get("context")));
            assertEquals(g.get("comments").asText(), e.notes());
            assertTrue(!e.metadata().containsKey("source_file"), "a null source file says nothing");
        }
    }

    @Test
    void theGoldensAsCsvReadAsTheSameExamplesAsTheJson() throws Exception {
        DatasetFile csv = files.read(resource("corpora/deepeval-fixtures/goldens.csv"), null, null);
        DatasetFile json = files.read(resource("corpora/deepeval-fixtures/goldens.json"), null, null);
        assertEquals("deepeval", csv.format());
        assertEquals(List.of(), csv.problems(), "the trailing empty column is no problem");
        assertEquals(json.examples().size(), csv.examples().size());
        for (int i = 0; i < json.examples().size(); i++) {
            DatasetExample c = csv.examples().get(i);
            DatasetExample j = json.examples().get(i);
            assertEquals(j.id(), c.id());
            assertEquals(j.input(), c.input());
            assertEquals(j.actualOutput(), c.actualOutput());
            assertEquals(j.expectedOutput(), c.expectedOutput(), "quoted fields with commas read whole");
            assertEquals(j.context(), c.context(), "retrieval_context split at |");
            assertEquals(j.metadata().get("context"), c.metadata().get("context"));
            assertEquals(j.notes(), c.notes());
        }
        DatasetExample first = csv.examples().get(0);
        assertEquals(List.of("Mountain heights list", "Moutain list"), first.context());
        assertEquals(JSON.readTree("[{\"name\": \"mountain_lookup\", \"inputParameters\": {\"query\": \"tallest "
                + "mountain\"}}]"), JSON.readTree(first.metadata().get("tools_called")), "doubled quotes undone");
        assertEquals("299,792,458 meters per second", csv.examples().get(8).expectedOutput());
    }

    @Test
    void conversationalGoldensReadTheirTurnsFromTheJsonStringTheyAreSavedAs() throws Exception {
        Path f = resource("corpora/deepeval-fixtures/convo_goldens.json");
        DatasetFile read = files.read(f, null, null);
        assertEquals("deepeval", read.format());
        assertEquals(List.of(), read.problems());
        JsonNode goldens = JSON.readTree(f.toFile());
        assertEquals(15, read.examples().size());
        for (int i = 0; i < goldens.size(); i++) {
            JsonNode g = goldens.get(i);
            DatasetExample e = read.examples().get(i);
            JsonNode turns = JSON.readTree(g.get("turns").asText());
            assertEquals(g.get("name").asText(), e.id());
            assertEquals(g.get("scenario").asText(), e.input());
            assertEquals(g.get("expected_outcome").asText(), e.expectedOutput());
            assertEquals(turns.size(), e.messages().size());
            List<String> passages = new ArrayList<>();
            for (int t = 0; t < turns.size(); t++) {
                assertEquals(turns.get(t).get("role").asText(), e.messages().get(t).role());
                assertEquals(turns.get(t).get("content").asText(), e.messages().get(t).content());
                turns.get(t).path("retrieval_context").forEach(p -> passages.add(p.asText()));
            }
            assertEquals(passages, e.context());
            assertEquals(g.get("user_description").asText(), e.metadata().get("user_description"));
            assertEquals(g.get("comments").asText(), e.notes());
        }
        assertEquals("It's expected to be rainy with temperatures around 18\u00b0C.",
                read.examples().get(0).messages().get(1).content(), "escapes inside the JSON string undone");
    }

    @Test
    void aPromptfooConfigsTestsReadWithTheirVarsAndTheirFirstComparingAssertion() throws Exception {
        DatasetFile read = files.read(resource("datasets/promptfoo/getting-started.promptfooconfig.yaml"), null,
                null);
        assertEquals("promptfoo", read.format());
        assertEquals(List.of(), read.problems());
        assertEquals(2, read.examples().size());
        DatasetExample spanish = read.examples().get(1);
        assertEquals("Where is the library?", spanish.input());
        assertEquals("D\u00f3nde est\u00e1 la biblioteca", spanish.expectedOutput());
        assertEquals(Map.of("vars.language", "Spanish", "expected_assert", "icontains"), spanish.metadata());
        assertTrue(spanish.provenance().source().endsWith("getting-started.promptfooconfig.yaml line 24"),
                spanish.provenance().source());
    }

    @Test
    void aPromptfooConfigWithSeveralAssertionsKeepsTheOthersInTheMetadata() throws Exception {
        Path f = resource("datasets/promptfoo/rag-full.promptfooconfig.with-asserts.yaml");
        DatasetFile read = files.read(f, null, null);
        // independently: the tests as snakeyaml reads them
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tests = (List<Map<String, Object>>) ((Map<String, Object>) new org.snakeyaml
                .engine.v2.api.Load(org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
                .loadFromString(Files.readString(f))).get("tests");
        assertEquals(tests.size(), read.examples().size());
        assertEquals(9, tests.size());
        for (int i = 0; i < tests.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> vars = (Map<String, Object>) tests.get(i).get("vars");
            assertEquals(vars.get("question"), read.examples().get(i).input());
        }
        DatasetExample first = read.examples().get(0);
        assertEquals("82,959 million", first.expectedOutput());
        assertEquals(JSON.readTree("[{\"type\":\"contains\",\"value\":\"117,154 million\"}]"),
                JSON.readTree(first.metadata().get("assert")));
        DatasetExample rubricOnly = read.examples().get(1);
        assertEquals("", rubricOnly.expectedOutput(), "a rubric is not a golden answer");
        assertEquals(JSON.readTree("[{\"type\":\"llm-rubric\",\"value\":\"cites weakness in foreign currencies "
                + "relative to the U.S. dollar\"}]"), JSON.readTree(rubricOnly.metadata().get("assert")));
        assertEquals("[{\"type\":\"icontains-all\",\"value\":[\"2023\",\"2022\",\"2021\"]}]",
                read.examples().get(3).metadata().get("assert"));
        assertEquals("", read.examples().get(8).expectedOutput(), "the last test has vars only");
    }

    @Test
    void promptfooCsvTestsReadTheirExpectedColumnsAndMetadataColumns() throws Exception {
        DatasetFile read = files.read(resource("datasets/promptfoo/csv-metadata.tests.csv"), null, null);
        assertEquals("promptfoo", read.format());
        assertEquals(List.of(), read.problems());
        assertEquals(List.of("machine learning", "quantum physics", "climate change"),
                read.examples().stream().map(DatasetExample::input).toList());
        assertEquals(List.of("algorithm", "quantum", "temperature"),
                read.examples().stream().map(DatasetExample::expectedOutput).toList());
        DatasetExample quantum = read.examples().get(1);
        assertEquals(List.of("physics", "advanced,theory", "quantum"), quantum.tags(), "\\, is a comma in a tag");
        assertEquals("science", quantum.metadata().get("category"));
        assertEquals(JSON.readTree("[{\"type\":\"llm-rubric\",\"value\":\"Does this describe {{topic}} "
                + "accurately\"}]"), JSON.readTree(quantum.metadata().get("assert")));

        DatasetFile styles = files.read(resource("datasets/promptfoo/simple-csv.tests.csv"), null, null);
        assertEquals(4, styles.examples().size());
        DatasetExample casual = styles.examples().get(1);
        assertEquals("French", casual.input(), "no var is named as a question: the first var is the input");
        assertEquals("I'm hungry", casual.metadata().get("vars.body"));
        assertEquals(JSON.readTree("{\"tone\":\"casual\",\"length\":\"brief\",\"formatting\":{\"bullets\":true}}"),
                JSON.readTree(casual.metadata().get("vars.style_config")));
        assertEquals("faim", casual.expectedOutput());
        assertEquals("icontains", casual.metadata().get("expected_assert"));

        DatasetFile graded = files.read(resource("datasets/promptfoo/eval-self-grading.tests.csv"), null, null);
        assertEquals(10, graded.examples().size());
        DatasetExample kim = graded.examples().get(8);
        assertEquals("What payment methods do you accept?", kim.input());
        assertEquals("Kim", kim.metadata().get("vars.name"));
        assertEquals(JSON.readTree("[{\"type\":\"llm-rubric\",\"value\":\"Do not mention that you are an AI or "
                + "chat assistant\"}]"), JSON.readTree(kim.metadata().get("assert")), "grade: is llm-rubric");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
