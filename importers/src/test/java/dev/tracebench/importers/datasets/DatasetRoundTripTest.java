package dev.tracebench.importers.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tracebench.core.dataset.ChatMessage;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetFile;
import dev.tracebench.core.dataset.Provenance;
import dev.tracebench.core.dataset.Split;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each format written and read back gives the same examples, for the fields the format can carry; the format is
 * recognised from the written content (no format given when reading).
 */
class DatasetRoundTripTest {
    @TempDir
    Path dir;
    private final DatasetFileService files = new DatasetFileService();

    /** Examples with every field set and text that CSV, JSON and YAML must quote or escape. */
    static List<DatasetExample> examples() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", "gpt-4o-mini");
        meta.put("failure", "hallucinated");
        meta.put("retrieval", "{\"k\":3,\"collection\":\"kb-legacy\"}");
        DatasetExample rag = new DatasetExample("q-001", "What is the refund window, \"exactly\"?\nIn days, please.",
                List.of(), List.of("Refunds are accepted within 30 days, no questions asked.",
                        "Store credit after 30 days; \u00e9changes \u2713 always."),
                "30 days", "The refund window is 60 days.", meta, List.of("refunds", "edge case, tricky"),
                Split.TEST, "hard", "Answer says 60; policy says 30.",
                new Provenance("default.duckdb", "4bf92f3577b34da6a3ce929d0e0e4736", 0x00f067aa0ba902b7L,
                        Instant.parse("2026-12-01T10:00:00Z"), "cohort eval:groundedness=hallucinated"));
        DatasetExample chat = new DatasetExample("q-002", "And 3+3?", List.of(new ChatMessage("system", "Be brief."),
                new ChatMessage("system", "What's 2+2?", "example_user"),
                new ChatMessage("system", "4", "example_assistant"), new ChatMessage("user", "And 3+3?")),
                List.of(), "6", "", Map.of("category", "math"), List.of("arithmetic"), Split.TRAIN, "easy", "",
                Provenance.NONE);
        DatasetExample plain = DatasetExample.of("q-003", "Capital of France?", "Paris");
        return List.of(rag, chat, plain);
    }

    private List<DatasetExample> roundTrip(String format, String fileName) throws Exception {
        Path out = dir.resolve(fileName);
        files.write(examples(), format, out);
        DatasetFile read = files.read(out, null, null);
        assertEquals(format, read.format(), "recognised from the content");
        assertEquals(List.of(), read.problems());
        return read.examples();
    }

    /** The examples as the fields {@code carried} keeps of each, for comparing. */
    private static void assertCarried(List<DatasetExample> want, List<DatasetExample> got,
            Function<DatasetExample, List<Object>> carried) {
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(carried.apply(want.get(i)), carried.apply(got.get(i)), "example " + (i + 1));
        }
    }

    private static List<Object> all(DatasetExample e) {
        return List.of(e.id(), e.input(), e.messages(), e.context(), e.expectedOutput(), e.actualOutput(),
                e.metadata(), e.tags(), e.split(), e.difficulty(), e.notes(), e.provenance().traceId(),
                e.provenance().spanId());
    }

    @Test
    void jsonLinesCarriesEveryField() throws Exception {
        assertCarried(examples(), roundTrip("jsonl", "set.jsonl"), DatasetRoundTripTest::all);
    }

    @Test
    void csvCarriesEveryField() throws Exception {
        assertCarried(examples(), roundTrip("csv", "set.csv"), DatasetRoundTripTest::all);
    }

    @Test
    void openAiEvalsCarriesTheChatTheAnswerAndTheRestAsExtraKeys() throws Exception {
        assertCarried(examples(), roundTrip("openai-evals", "samples.jsonl"), e -> List.of(e.input(), e.messages(),
                e.context(), e.expectedOutput(), e.metadata(), e.tags(), e.split(), e.difficulty(), e.notes()));
    }

    @Test
    void promptfooCarriesIdVarsAnswerAndMetadata() throws Exception {
        // passages travel as one var (promptfoo runs a test once per item of a list var)
        assertCarried(examples(), roundTrip("promptfoo", "tests.yaml"), e -> List.of(e.id(), e.input(),
                e.messages(), String.join("\n\n", e.context()), e.expectedOutput(), e.metadata(), e.tags(),
                e.split(), e.difficulty(), e.notes()));
    }

    @Test
    void phoenixCarriesInputOutputMetadataAndSplits() throws Exception {
        assertCarried(examples(), roundTrip("phoenix", "phoenix.jsonl"), e -> List.of(e.id(), e.input(),
                e.messages(), e.context(), e.expectedOutput(), e.metadata(), e.tags(), e.split(), e.difficulty(),
                e.notes()));
    }

    @Test
    void langfuseCarriesItemsWithTheirSourceTraceAndObservation() throws Exception {
        Function<DatasetExample, List<Object>> carried = e -> List.of(e.id(), e.input(), e.messages(), e.context(),
                e.expectedOutput(), e.metadata(), e.tags(), e.split(), e.difficulty(), e.notes(),
                e.provenance().traceId(), e.provenance().spanId());
        assertCarried(examples(), roundTrip("langfuse", "items.jsonl"), carried);
        assertCarried(examples(), roundTrip("langfuse", "items.json"), carried);
    }

    @Test
    void deepEvalCarriesGoldensWithTheirOutputsAndComments() throws Exception {
        assertCarried(examples(), roundTrip("deepeval", "goldens.json"), e -> List.of(e.id(), e.input(),
                e.context(), e.expectedOutput(), e.actualOutput(), e.metadata(), e.tags(), e.split(),
                e.difficulty(), e.notes()));
    }

    @Test
    void ragasCarriesQuestionPassagesResponseAndReference() throws Exception {
        List<DatasetExample> want = new ArrayList<>(examples());
        want.remove(1); // a chat has no single-turn Ragas sample
        Path out = dir.resolve("testset.jsonl");
        files.write(want, "ragas", out);
        DatasetFile read = files.read(out, null, null);
        assertEquals("ragas", read.format());
        assertCarried(want, read.examples(), e -> List.of(e.input(), e.context(), e.actualOutput(),
                e.expectedOutput()));
    }
}
