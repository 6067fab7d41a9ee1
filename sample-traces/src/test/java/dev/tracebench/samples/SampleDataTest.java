package dev.tracebench.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped content (knowledge base, question bank, golden dataset) and the checked-in demo data set. */
class SampleDataTest {
    @TempDir
    Path dir;

    @Test
    void theKnowledgeBaseHasSixtyPassages() {
        List<KnowledgeBase.Passage> kb = KnowledgeBase.passages();
        assertEquals(60, kb.size());
        assertEquals("kb-001", kb.get(0).id());
        assertEquals("kb-060", kb.get(59).id());
        assertTrue(kb.stream().allMatch(p -> p.text().length() > 100 && !p.title().isBlank()));
    }

    @Test
    void everyQuestionCitesPassagesThatExistAndEveryPassageIsAsked() {
        List<QuestionBank.Question> bank = QuestionBank.questions();
        assertEquals(120, bank.size());
        Set<String> used = new HashSet<>();
        for (QuestionBank.Question q : bank) {
            for (String id : q.passageIds()) {
                KnowledgeBase.get(id);
                used.add(id);
            }
            assertFalse(q.answer().isBlank(), q.id());
            assertFalse(q.hallucinatedAnswer().isBlank(), q.id());
            if (q.answerable()) {
                assertFalse(q.answer().equals(q.hallucinatedAnswer()), q.id() + " needs a wrong answer");
            }
        }
        assertEquals(60, used.size());
        Map<String, Long> kinds = bank.stream().collect(Collectors.groupingBy(QuestionBank.Question::kind,
                Collectors.counting()));
        assertEquals(Set.of("single", "multi", "number", "unanswerable", "refusal", "smalltalk"), kinds.keySet());
    }

    @Test
    void theGoldenDatasetHas150CheckedExamplesCoveringEdgeCases() {
        List<GoldenDataset.Example> golden = GoldenDataset.examples();
        assertEquals(150, golden.size());
        Set<String> ids = new HashSet<>();
        for (GoldenDataset.Example e : golden) {
            assertTrue(ids.add(e.id()), "unique " + e.id());
            e.referenceContextIds().forEach(KnowledgeBase::get);
            assertTrue(Set.of("easy", "medium", "hard").contains(e.difficulty()), e.id());
            assertFalse(e.expectedAnswer().isBlank(), e.id());
            assertFalse(e.tags().isEmpty(), e.id());
        }
        Set<String> tags = golden.stream().flatMap(e -> e.tags().stream()).collect(Collectors.toSet());
        assertTrue(tags.containsAll(Set.of("single-passage", "multi-passage", "numbers", "unanswerable", "refusal",
                "edge-case")), tags.toString());
        assertTrue(golden.stream().filter(e -> e.tags().contains("unanswerable"))
                .allMatch(e -> e.referenceContextIds().isEmpty()));
        assertTrue(golden.stream().filter(e -> e.tags().contains("multi-passage"))
                .allMatch(e -> e.referenceContextIds().size() >= 2));
    }

    @Test
    void theCheckedInDemoIsExactlyWhatTheGeneratorWrites() throws IOException {
        TrafficGenerator.writeDirectory(GenerateSamples.DEMO, TrafficGenerator.Format.OTLP_JSON, true, dir);
        for (String name : List.of("traces.otlp.jsonl.gz", "evals.jsonl", "truth.json", "affected-trace-ids.txt")) {
            byte[] checkedIn;
            try (InputStream in = SampleFiles.open("demo/" + name)) {
                checkedIn = in.readAllBytes();
            }
            assertArrayEquals(checkedIn, Files.readAllBytes(dir.resolve(name)),
                    name + ": run GenerateSamples after changing the generator");
        }
    }

    @Test
    void truthSaysWhatWasPlanted() throws IOException {
        Path out = dir.resolve("slow");
        TrafficGenerator.Summary s = TrafficGenerator.writeDirectory(TrafficGenerator.Options.of(Scenario.SLOW_SHARD,
                2000, 5), TrafficGenerator.Format.OTLP_PROTO, false, out);
        String truth = Files.readString(out.resolve("truth.json"), StandardCharsets.UTF_8);
        assertTrue(truth.contains("\"scenario\" : \"slow-shard\""), truth);
        assertTrue(truth.contains("\"dimension\" : \"db.collection.name\""), truth);
        assertTrue(truth.contains("\"value\" : \"kb-archive\""), truth);
        assertTrue(truth.contains("\"expected_headline\" : \"slow requests are explained by retrieval on collection "
                + "kb-archive"), truth);
        assertTrue(truth.contains("\"affected_traces\" : " + s.affectedTraces()), truth);
        List<String> ids = Files.readAllLines(out.resolve("affected-trace-ids.txt"));
        assertEquals(s.affectedTraces(), ids.size());
        assertTrue(ids.stream().allMatch(id -> id.matches("[0-9a-f]{32}")));
        assertTrue(Files.size(out.resolve("traces.otlp.pb")) > 0);
    }
}
