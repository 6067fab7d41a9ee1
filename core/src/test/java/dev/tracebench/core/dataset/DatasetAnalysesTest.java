package dev.tracebench.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Severity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DatasetAnalysesTest {

    private static DatasetExample ex(String id, String input, String expected, List<String> tags, Split split,
            String difficulty) {
        return new DatasetExample(id, input, List.of(), List.of(), expected, "", Map.of(), tags, split, difficulty, "",
                Provenance.NONE);
    }

    // ---- diff

    @Test
    void diffFindsAddedRemovedAndChangedFieldsById() {
        DatasetExample a = ex("a", "Q1", "A1", List.of("x"), Split.TRAIN, "easy");
        DatasetExample b = ex("b", "Q2", "A2", List.of(), Split.NONE, "");
        DatasetExample c = ex("c", "Q3", "A3", List.of(), Split.NONE, "");
        DatasetExample b2 = b.withExpectedOutput("A2 fixed").withTags(List.of("edge-case", "numbers"));
        DatasetExample d = ex("d", "Q4", "A4", List.of(), Split.NONE, "");
        DatasetDiff diff = DatasetDiff.of(List.of(a, b, c), List.of(d, a, b2));
        assertEquals(List.of(d), diff.added());
        assertEquals(List.of(c), diff.removed());
        assertEquals(1, diff.changed().size());
        DatasetDiff.Change change = diff.changed().get(0);
        assertEquals("b", change.id());
        assertEquals(List.of(new DatasetDiff.FieldChange("expected output", "A2", "A2 fixed"),
                new DatasetDiff.FieldChange("tags", "", "edge-case, numbers")), change.fields());
        assertEquals("1 added, 1 removed, 1 changed", diff.summary());
        assertTrue(DatasetDiff.of(List.of(a, b), List.of(b, a)).isEmpty(), "order alone is not a change");
    }

    // ---- near duplicates

    @Test
    void nearDuplicatesMatchABruteForceJaccardOnPlantedRewordings() {
        Random r = new Random(7);
        String[] words = ("pipeline trigger retry bucket schedule webhook secret token limit step workspace export "
                + "import region billing plan invoice user role admin audit log metric alert quota storage")
                .split(" ");
        List<DatasetExample> examples = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            StringBuilder q = new StringBuilder("How do I");
            for (int w = 0; w < 8; w++) {
                q.append(' ').append(words[r.nextInt(words.length)]);
            }
            examples.add(ex("e" + i, q + "?", "", List.of(), Split.NONE, ""));
        }
        // planted: case/punctuation copies and one-word rewordings of a few questions
        examples.add(ex("copy-of-e3", examples.get(3).input().toUpperCase(Locale.ROOT).replace("?", " !!"), "",
                List.of(), Split.NONE, ""));
        examples.add(ex("reword-of-e10", examples.get(10).input().replace("?", " please?"), "", List.of(),
                Split.NONE, ""));
        double threshold = 0.8;
        List<NearDuplicates.Group> groups = NearDuplicates.find(examples, threshold);

        // independent: every pair's Jaccard over 4-gram strings, connected components
        List<Set<String>> grams = new ArrayList<>();
        for (DatasetExample e : examples) {
            String s = e.input().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
            Set<String> g = new HashSet<>();
            for (int i = 0; i + 4 <= s.length(); i++) {
                g.add(s.substring(i, i + 4));
            }
            grams.add(g);
        }
        Map<String, Set<String>> expected = new HashMap<>();
        for (int i = 0; i < examples.size(); i++) {
            for (int j = i + 1; j < examples.size(); j++) {
                Set<String> inter = new HashSet<>(grams.get(i));
                inter.retainAll(grams.get(j));
                double jac = (double) inter.size() / (grams.get(i).size() + grams.get(j).size() - inter.size());
                if (jac >= threshold) {
                    String a = examples.get(i).id();
                    String b = examples.get(j).id();
                    Set<String> merged = new TreeSet<>();
                    merged.addAll(expected.getOrDefault(a, Set.of(a)));
                    merged.addAll(expected.getOrDefault(b, Set.of(b)));
                    for (String id : merged) {
                        expected.put(id, merged);
                    }
                }
            }
        }
        Set<Set<String>> want = new HashSet<>(expected.values());
        Set<Set<String>> got = new HashSet<>();
        for (NearDuplicates.Group g : groups) {
            got.add(new TreeSet<>(g.ids()));
            assertTrue(g.similarity() >= threshold && g.similarity() <= 1, "similarity " + g.similarity());
        }
        assertEquals(want, got);
        assertTrue(got.contains(new TreeSet<>(List.of("e3", "copy-of-e3"))));
        assertTrue(got.contains(new TreeSet<>(List.of("e10", "reword-of-e10"))));
    }

    @Test
    void exactCopiesUpToCaseAndPunctuationHaveSimilarityOneAndEmptyTextsAreNeverGrouped() {
        List<DatasetExample> examples = List.of(ex("a", "What's the retry limit?", "", List.of(), Split.NONE, ""),
                ex("b", "what s the RETRY limit", "", List.of(), Split.NONE, ""),
                ex("c", "", "", List.of(), Split.NONE, ""), ex("d", "  ", "", List.of(), Split.NONE, ""));
        List<NearDuplicates.Group> groups = NearDuplicates.find(examples, 1.0);
        assertEquals(List.of(new NearDuplicates.Group(List.of("a", "b"), 1.0)), groups);
        assertThrows(IllegalArgumentException.class, () -> NearDuplicates.find(examples, 0));
    }

    @Test
    void mergeKeepsTheFirstAtItsPlaceAndFoldsTheOthersIn() {
        DatasetExample a = new DatasetExample("a", "Q", List.of(), List.of("p1"), "", "", Map.of("model", "m1"),
                List.of("x"), Split.TEST, "easy", "first", Provenance.NONE);
        DatasetExample mid = ex("m", "other", "O", List.of(), Split.NONE, "");
        DatasetExample b = new DatasetExample("b", "q!", List.of(), List.of("p1", "p2"), "Answer", "",
                Map.of("model", "m2", "stage", "retrieval"), List.of("y", "x"), Split.TRAIN, "hard", "second",
                Provenance.NONE);
        List<DatasetExample> merged = NearDuplicates.merge(List.of(a, mid, b),
                new NearDuplicates.Group(List.of("a", "b"), 1));
        assertEquals(2, merged.size());
        DatasetExample m = merged.get(0);
        assertEquals("a", m.id());
        assertEquals(mid, merged.get(1));
        assertEquals(List.of("x", "y"), m.tags());
        assertEquals(List.of("p1", "p2"), m.context());
        assertEquals("Answer", m.expectedOutput(), "a blank expected output takes the duplicate's");
        assertEquals("m1", m.metadata().get("model"));
        assertEquals("retrieval", m.metadata().get("stage"));
        assertEquals("b", m.metadata().get("merged"));
        assertEquals("first\nsecond", m.notes());
        assertEquals(Split.TEST, m.split());
        assertThrows(IllegalArgumentException.class,
                () -> NearDuplicates.merge(List.of(a), new NearDuplicates.Group(List.of("a", "zz"), 1)));
    }

    // ---- coverage

    @Test
    void coverageCountsEveryDimensionAndWarnsOnPlantedImbalances() {
        List<DatasetExample> examples = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String difficulty = i < 30 ? "easy" : i < 39 ? "medium" : "hard";
            Split split = i < 35 ? Split.TRAIN : Split.DEV;
            List<String> tags = i == 0 ? List.of("billing", "edge-case") : List.of("pipelines");
            String expected = i < 37 ? "answer " + i : "";
            examples.add(ex("e" + i, "q" + i, expected, tags, split, difficulty));
        }
        Coverage c = Coverage.of(examples);
        assertEquals(40, c.examples());
        assertEquals(3, c.withoutExpectedOutput());
        Coverage.Dimension difficulty = c.dimension("difficulty").orElseThrow();
        assertEquals(List.of(new Coverage.Count("easy", 30), new Coverage.Count("medium", 9),
                new Coverage.Count("hard", 1)), difficulty.counts());
        assertEquals(39, c.dimension("tag").orElseThrow().count("pipelines"));
        assertEquals(1, c.dimension("tag").orElseThrow().count("edge-case"));
        assertFalse(c.dimension("model").isPresent(), "no example has a model");

        List<String> summaries = c.warnings().stream().map(Coverage.Warning::summary).toList();
        assertEquals(Severity.WARNING, c.warnings().get(0).severity());
        assertEquals("3 of 40 examples have no expected output", summaries.get(0));
        assertTrue(summaries.contains("No example is in the test split (35 train, 5 dev)"), summaries.toString());
        assertTrue(summaries.contains("88% of the examples with a split are train (35 of 40)"), summaries.toString());
        assertTrue(summaries.contains("75% of the examples with a difficulty are easy (30 of 40)"),
                summaries.toString());
        assertTrue(summaries.contains("1 difficulty has fewer than 3 examples: hard"), summaries.toString());
        assertTrue(summaries.contains("2 tags have fewer than 3 examples: billing, edge-case"),
                summaries.toString());
        assertTrue(summaries.contains("The set has 40 examples; teams aim for 100–200"), summaries.toString());
    }

    @Test
    void aBalancedSetOfTheAimedSizeHasNoWarnings() {
        List<DatasetExample> examples = new ArrayList<>();
        String[] diffs = {"easy", "medium", "hard"};
        Split[] splits = {Split.TRAIN, Split.DEV, Split.TEST};
        for (int i = 0; i < 150; i++) {
            examples.add(ex("e" + i, "q" + i, "a" + i, List.of("t" + (i % 5)), splits[i % 3], diffs[(i / 3) % 3]));
        }
        assertEquals(List.of(), Coverage.of(examples).warnings());
        assertEquals(List.of(), Coverage.of(List.of()).warnings());
    }

    // ---- stratified sample

    @Test
    void stratifiedSampleKeepsEveryStratumAndProportions() {
        List<DatasetExample> examples = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String tag = i < 700 ? "common" : i < 990 ? "medium" : "rare";
            List<String> tags = i % 100 == 0 ? List.of("common", "rare") : List.of(tag); // rarest tag wins
            examples.add(ex(String.format("e%04d", i), "q" + i, "a", tags, Split.NONE, ""));
        }
        examples.add(ex("untagged", "q", "a", List.of(), Split.NONE, ""));
        List<DatasetExample> sample = StratifiedSample.sample(examples, 100, "tag", 42);
        assertEquals(100, sample.size());
        Map<String, Integer> byStratum = new HashMap<>();
        for (DatasetExample e : sample) {
            String s = e.tags().contains("rare") ? "rare" : e.tags().isEmpty() ? "" : e.tags().get(0);
            byStratum.merge(s, 1, Integer::sum);
        }
        // strata: rare 10 + 10 (i % 100 == 0) = 20, medium 290 - 3 = 287, common 700 - 7 = 693, untagged 1
        assertEquals(1, byStratum.get(""));
        assertTrue(Math.abs(byStratum.get("rare") - 100 * 20 / 1001.0) <= 1.5, byStratum.toString());
        assertTrue(Math.abs(byStratum.get("medium") - 100 * 287 / 1001.0) <= 1.5, byStratum.toString());
        assertTrue(Math.abs(byStratum.get("common") - 100 * 693 / 1001.0) <= 1.5, byStratum.toString());
        // dataset order kept, deterministic per seed, different with another seed
        List<String> ids = sample.stream().map(DatasetExample::id).toList();
        assertEquals(ids.stream().sorted((a, b) -> Integer.compare(indexOf(examples, a), indexOf(examples, b)))
                .toList(), ids);
        assertEquals(ids, StratifiedSample.sample(examples, 100, "tag", 42).stream().map(DatasetExample::id).toList());
        assertFalse(ids.equals(StratifiedSample.sample(examples, 100, "tag", 43).stream().map(DatasetExample::id)
                .toList()));
        assertEquals(examples, StratifiedSample.sample(examples, 5000, "tag", 1));
        assertThrows(IllegalArgumentException.class, () -> StratifiedSample.sample(examples, 10, "colour", 1));
    }

    private static int indexOf(List<DatasetExample> examples, String id) {
        for (int i = 0; i < examples.size(); i++) {
            if (examples.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    // ---- redaction

    @Test
    void redactionMasksEveryTextFieldAndPreviewNamesWhatWithoutTheValue() {
        String email = "jane.doe@example.com";
        String card = "4111 1111 1111 1111";
        DatasetExample e = new DatasetExample("e1", "Mail " + email + " please",
                List.of(new ChatMessage("user", "card " + card)), List.of("no pii here", "call +44 20 7946 0958"),
                "Key sk-proj-abcdefghijklmnopqrstuv", "", Map.of("owner", email), List.of("billing"), Split.TEST,
                "hard", "", Provenance.NONE);
        DatasetExample clean = ex("e2", "What is the retry limit?", "Three retries.", List.of(), Split.NONE, "");
        List<Redaction.Masked> preview = Redaction.preview(List.of(e, clean));
        assertEquals(List.of("input", "messages[0]", "context[1]", "expected output", "metadata.owner"),
                preview.stream().map(Redaction.Masked::field).toList());
        assertEquals(List.of("e-mail address"), preview.get(0).kinds());
        assertEquals(List.of("card number"), preview.get(1).kinds());
        assertEquals(List.of("phone number"), preview.get(2).kinds());
        assertEquals(List.of("API key"), preview.get(3).kinds());
        for (Redaction.Masked m : preview) {
            assertFalse(m.masked().contains(email) || m.masked().contains(card)
                    || m.masked().contains("abcdefghijklmnopqrstuv"), m.masked());
        }
        List<DatasetExample> redacted = Redaction.redact(List.of(e, clean));
        assertEquals(clean, redacted.get(1));
        DatasetExample r = redacted.get(0);
        assertEquals("Mail [masked e-mail address] please", r.input());
        assertEquals("no pii here", r.context().get(0));
        assertEquals(List.of("billing"), r.tags());
        assertEquals(Split.TEST, r.split());
        assertEquals(List.of(), Redaction.preview(redacted), "redacting twice changes nothing");
    }
}
