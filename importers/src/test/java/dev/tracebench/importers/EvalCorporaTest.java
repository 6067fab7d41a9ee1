package dev.tracebench.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every eval file of the corpora (DeepEval, OpenAI evals, HaluEval): the test run imports (its values are checked in
 * DeepEvalFormatTest); datasets, which hold examples but no verdicts, are told as datasets in a folder (their reading is
 * checked in datasets.DatasetCorporaTest) and refused as eval results with what to do instead; HaluEval, a labelled
 * set Tracebench does not read as a dataset, is refused with what it is.
 */
class EvalCorporaTest extends ImporterTestBase {
    private static final String NONE = "a dataset, not eval results (it holds no verdicts), so it was not imported "
            + "as eval results. Import it as a dataset (tracebench dataset import FILE)";

    @Test
    void everyEvalFileOfTheCorporaImportsOrIsRefusedWithWhatItIs() throws Exception {
        Map<String, String> outcome = new TreeMap<>();
        for (String folder : List.of("deepeval-fixtures", "openai-evals-registry", "halueval-qa")) {
            try (Stream<Path> files = Files.list(corpus(folder + "/../PROVENANCE.md").getParent().resolve(folder))) {
                for (Path f : files.sorted().toList()) {
                    FolderScan.Entry e = FolderScan.recognise(f);
                    outcome.put(folder + "/" + f.getFileName(), e.skipped() ? e.reason() : e.kind() + " "
                            + (e.dataset() != null ? e.dataset() : e.format().id()));
                }
            }
        }
        String deepevalTrace = "not a trace or eval file: looks like DeepEval's native trace JSON, which Tracebench "
                + "does not read; export the traces with OpenTelemetry (OTLP) instead";
        Map<String, String> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("deepeval-fixtures/test_run_sample.json", "EVALS deepeval-json"),
                Map.entry("deepeval-fixtures/goldens.json", "DATASETS deepeval"),
                Map.entry("deepeval-fixtures/goldens.csv", "DATASETS deepeval"),
                Map.entry("deepeval-fixtures/convo_goldens.json", "DATASETS deepeval"),
                Map.entry("deepeval-fixtures/agent_workflow_schema.json", deepevalTrace),
                Map.entry("deepeval-fixtures/fastapi_rag_pipeline_threadpool_schema.json", deepevalTrace),
                Map.entry("openai-evals-registry/coqa.match.jsonl", "DATASETS openai-evals"),
                Map.entry("openai-evals-registry/test_fuzzy_match.samples.jsonl", "DATASETS openai-evals"),
                Map.entry("openai-evals-registry/test_match.samples.jsonl", "DATASETS openai-evals"),
                Map.entry("openai-evals-registry/test_metaeval.joke_fruits_labeled.jsonl", "DATASETS openai-evals"),
                Map.entry("openai-evals-registry/test_multiio.joke_animals_vs_fruits.jsonl", "DATASETS openai-evals"),
                Map.entry("halueval-qa/qa-one-turn-even.jsonl", "not a trace or eval file: it is a labelled "
                        + "question-answering dataset (HaluEval: knowledge, question, right and hallucinated answers): "
                        + "a dataset, not eval results (it holds no verdicts); nothing was imported. Evaluate answers "
                        + "with tracebench eval run and import those results")));
        assertEquals(expected, outcome);
    }

    @Test
    void importingADatasetAsEvalResultsIsRefusedAndStoresNothing() {
        ImportReport r = importFile(corpus("openai-evals-registry/test_match.samples.jsonl"));
        assertEquals(ImportReport.Status.UNUSABLE, r.status());
        assertTrue(r.message().contains("is an OpenAI evals samples file") && r.message().contains(NONE),
                r.message());
        ImportReport g = importFile(corpus("deepeval-fixtures/goldens.csv"));
        assertEquals(ImportReport.Status.UNUSABLE, g.status());
        assertTrue(g.message().contains("DeepEval goldens"), g.message());
        assertEquals(0, ws.traces().stats().imports());
    }
}
