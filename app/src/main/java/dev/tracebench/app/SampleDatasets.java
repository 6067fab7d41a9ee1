package dev.tracebench.app;

import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetService;
import dev.tracebench.core.dataset.Provenance;
import dev.tracebench.core.dataset.Split;
import dev.tracebench.samples.GoldenDataset;
import dev.tracebench.samples.KnowledgeBase;
import dev.tracebench.samples.QuestionBank;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sample golden set of sample-traces as the default workspace's dataset {@value #NAME}, in two versions so that a
 * newcomer sees curation at work: version 1 as generated, version 2 a curator's review of it (a few expected answers
 * corrected, a test split held out, ambiguous questions tagged, two near-duplicates removed, two questions in users'
 * own words added).
 */
public final class SampleDatasets {
    public static final String NAME = "acme-flow-golden";
    static final String DESCRIPTION = "Questions users ask the Acme Flow docs assistant, with the knowledge-base "
            + "passages that answer them and hand-checked answers (the sample golden set of sample-traces).";
    static final String FIRST_MESSAGE = "Imported the sample golden set (sample-traces golden-dataset.jsonl, 150 "
            + "examples)";
    static final String REVIEW_MESSAGE = "Review: 3 expected answers corrected (g-004, g-007, g-018); hard "
            + "multi-passage questions held out as the test split; ambiguous questions tagged 'clarify'; 2 "
            + "near-duplicate paraphrases removed (g-019, g-034); 2 questions in users' own words added (g-151, g-152)";

    /** Expected answers the review corrects, and the curator's note on each. */
    static final Map<String, String[]> CORRECTIONS = Map.of(
            "g-004", new String[] {"Yes: give the pipeline a watched-bucket trigger and it starts when a file lands in "
                    + "the bucket. A pipeline may have at most 5 triggers.",
                "The answer now says how (a watched-bucket trigger) and the 5-trigger limit (kb-004)."},
            "g-007", new String[] {"Only the Enterprise plan (custom pricing) includes SSO and audit logs; Starter and "
                    + "Team do not.",
                "Answers offering Team were graded correct: the answer now says Team does not include them."},
            "g-018", new String[] {"Run logs are kept for 1 year on Enterprise.",
                "'1 year.' alone made token-overlap scores of full-sentence answers low."});
    /** Paraphrases the review removes as near-duplicates of another example. */
    static final Set<String> REMOVED = Set.of("g-019", "g-034");
    /** The questions of the question bank the review adds, with their new ids. */
    static final Map<String, String> ADDED = Map.of("q-001", "g-151", "q-002", "g-152");

    private SampleDatasets() {
    }

    /** Saves both versions into {@code datasets} (a fresh default workspace) and describes the dataset. */
    public static void seed(DatasetService datasets, Instant now) {
        List<DatasetExample> first = generated(now);
        datasets.save(NAME, FIRST_MESSAGE, first);
        datasets.describe(NAME, DESCRIPTION);
        datasets.save(NAME, REVIEW_MESSAGE, reviewed(first, now));
    }

    /**
     * The golden set as examples: the question, the texts of its reference passages as context, the expected answer,
     * tags, difficulty; the passage ids as metadata; provenance: the file and line.
     */
    public static List<DatasetExample> generated(Instant addedAt) {
        List<DatasetExample> out = new ArrayList<>();
        List<GoldenDataset.Example> golden = GoldenDataset.examples();
        for (int i = 0; i < golden.size(); i++) {
            GoldenDataset.Example g = golden.get(i);
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("reference_context_ids", String.join(", ", g.referenceContextIds()));
            out.add(new DatasetExample(g.id(), g.question(), List.of(), passages(g.referenceContextIds()),
                    g.expectedAnswer(), "", meta, g.tags(), Split.NONE, g.difficulty(), "",
                    Provenance.ofFile("sample-traces " + GoldenDataset.RESOURCE + " line " + (i + 1), addedAt)));
        }
        return out;
    }

    /** Version 2: the review of {@code first}. */
    static List<DatasetExample> reviewed(List<DatasetExample> first, Instant addedAt) {
        List<DatasetExample> out = new ArrayList<>();
        for (DatasetExample e : first) {
            if (REMOVED.contains(e.id())) {
                continue;
            }
            String[] fix = CORRECTIONS.get(e.id());
            if (fix != null) {
                e = e.withExpectedOutput(fix[0]).withNotes(fix[1]);
            }
            if (e.difficulty().equals("hard") && e.tags().contains("multi-passage")) {
                e = e.withSplit(Split.TEST);
            }
            if (e.tags().contains("ambiguous")) {
                List<String> tags = new ArrayList<>(e.tags());
                tags.add("clarify");
                e = e.withTags(tags);
            }
            out.add(e);
        }
        List<QuestionBank.Question> bank = QuestionBank.questions();
        for (int i = 0; i < bank.size(); i++) {
            QuestionBank.Question q = bank.get(i);
            String id = ADDED.get(q.id());
            if (id != null) {
                out.add(new DatasetExample(id, q.question(), List.of(), passages(q.passageIds()), q.answer(), "",
                        Map.of("reference_context_ids", String.join(", ", q.passageIds())),
                        List.of("user-phrasing", "single-passage"), Split.NONE, "medium",
                        "Asked in these words in production; added so that informal phrasing is covered.",
                        Provenance.ofFile("sample-traces questions.jsonl line " + (i + 1), addedAt)));
            }
        }
        return out;
    }

    private static List<String> passages(List<String> ids) {
        return ids.stream().map(id -> KnowledgeBase.get(id).text()).toList();
    }
}
