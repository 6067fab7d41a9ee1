package dev.tracebench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.eval.EvalExample;
import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.EvalResult;
import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.eval.EvalService;
import dev.tracebench.core.eval.MetricSummary;
import dev.tracebench.core.eval.QualityPoint;
import dev.tracebench.core.eval.RunComparison;
import dev.tracebench.core.eval.evaluators.EvaluatorConfig;
import dev.tracebench.core.eval.evaluators.EvaluatorRunner;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval run}: Ragas JSONL in, one JSON object per row and evaluator out; the cohort path against a fake store. */
class EvalRunCommandTest {
    @TempDir
    Path dir;
    String out;
    String err;

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = TracebenchCli.run(new WorkspaceOpener(new AppHome(dir.resolve("home"))), new PrintWriter(o),
                new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    @Test
    void datasetRowsAreJudgedAndBadRowsNamedByLine() throws Exception {
        Path data = dir.resolve("rows.jsonl");
        Files.writeString(data, String.join("\n",
                "{\"user_input\": \"When did the tower open?\", \"retrieved_contexts\": [\"The tower opened in 1889.\"],"
                        + " \"response\": \"The tower opened in 1889.\"}",
                "",
                "{\"user_input\": \"When did the tower open?\", \"retrieved_contexts\": [\"The tower opened in 1889.\"],"
                        + " \"response\": \"The tower opened in 1925. Write to ann@example.org.\"}",
                "{\"user_input\": \"q\", \"retrieved_contexts\": [1, 2], \"response\": \"x\"}",
                "{broken"), StandardCharsets.UTF_8);
        int code = run("eval", "run", "--evaluators", "groundedness,pii", "--dataset", data.toString(), "--format",
                "jsonl");
        assertEquals(TracebenchCli.REJECTED_RECORDS, code, err);
        assertTrue(err.contains(data + ":4: 'retrieved_contexts' must be a list of strings (row skipped)"), err);
        assertTrue(err.contains(data + ":5: not JSON"), err);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : out.strip().split("\\R")) {
            rows.add(json.readTree(line));
        }
        assertEquals(4, rows.size(), out);
        assertEquals(1, rows.get(0).get("row").asInt());
        assertEquals("groundedness", rows.get(0).get("evaluator").asText());
        assertEquals("grounded", rows.get(0).get("label").asText());
        assertEquals(1.0, rows.get(0).get("score").asDouble());
        assertEquals(3, rows.get(2).get("row").asInt());
        assertEquals("hallucinated", rows.get(2).get("label").asText());
        assertTrue(rows.get(2).get("explanation").asText().contains("missing: 1925"), out);
        assertEquals("pii", rows.get(3).get("evaluator").asText());
        assertEquals("pii", rows.get(3).get("label").asText());
        assertFalse(out.contains("ann@example.org"), out);
    }

    @Test
    void badSettingsAreParameterErrors() throws Exception {
        Path data = Files.writeString(dir.resolve("d.jsonl"), "{\"response\": \"x\"}\n");
        assertEquals(TracebenchCli.UNUSABLE, run("eval", "run", "--evaluators", "groundednes", "--dataset",
                data.toString()));
        assertTrue(err.contains("unknown evaluator 'groundednes'"), err);
        assertEquals(TracebenchCli.UNUSABLE, run("eval", "run", "--evaluators", "format", "--dataset",
                data.toString()));
        assertTrue(err.contains("the format evaluator needs a check"), err);
        assertEquals(TracebenchCli.UNUSABLE, run("eval", "run", "--evaluators", "pii"));
        assertTrue(err.contains("give either --dataset FILE or --cohort C"), err);
        assertEquals(0, run("eval", "run", "--evaluators", "format", "--max-length", "3", "--dataset",
                data.toString()), err);
        assertTrue(out.contains("\"label\":\"valid\""), out);
    }

    /** What runCohort needs of the store: inputs for the cohort, and storing the run. */
    private static final class FakeStore implements EvalService {
        final List<EvalResultData> stored = new ArrayList<>();
        EvalRunData run;

        @Override
        public List<TraceEvalInput> inputs(Cohort cohort, int limit, CancellationToken cancel) {
            return List.of(new TraceEvalInput(TraceId.fromHex("0af7651916cd43dd8448eb211c80319c"), 0xb7ad6b7169203331L,
                            new EvalInput("When?", List.of("It opened in 1889."), "It opened in 1889.", "")),
                    new TraceEvalInput(TraceId.fromHex("1af7651916cd43dd8448eb211c80319c"), 0,
                            new EvalInput("When?", List.of(), "It opened in 1889.", "")));
        }

        @Override
        public EvalRun store(EvalRunData run, List<EvalResultData> results, ProgressListener p, CancellationToken c) {
            this.run = run;
            stored.addAll(results);
            return new EvalRun(7, run.name(), run.sourceFormat(), run.file(), run.created(), run.configJson(),
                    run.evaluatorVersion(), 1, results.size(), results.size(), List.of("groundedness"));
        }

        @Override public List<EvalRun> runs() { throw new UnsupportedOperationException(); }
        @Override public Optional<EvalRun> run(String idOrName) { throw new UnsupportedOperationException(); }
        @Override public List<MetricSummary> metrics(long runId, int bins) { throw new UnsupportedOperationException(); }
        @Override public List<EvalExample> examples(long runId, String evaluator, boolean failingFirst, int offset,
                int limit) { throw new UnsupportedOperationException(); }
        @Override public List<QualityPoint> overTime(String evaluator, int buckets) {
            throw new UnsupportedOperationException(); }
        @Override public RunComparison compare(long a, long b, CancellationToken cancel) {
            throw new UnsupportedOperationException(); }
        @Override public List<EvalResult> resultsForTrace(TraceId traceId) { throw new UnsupportedOperationException(); }
        @Override public List<String> evaluators() { throw new UnsupportedOperationException(); }
    }

    @Test
    void aCohortsTracesAreJudgedAndStoredAsOneRun() throws Exception {
        FakeStore store = new FakeStore();
        EvaluatorConfig config = EvaluatorConfig.of(List.of("groundedness"));
        EvaluatorRunner runner = new EvaluatorRunner(config.build(), config.settings(), 2);
        StringWriter o = new StringWriter();
        EvalRun run = EvalRunCommand.runCohort(store, Cohort.parse("all"), 100, runner, new PrintWriter(o, true),
                ProgressListener.NONE, CancellationToken.none());
        assertEquals(7, run.id());
        assertEquals("tracebench-evaluators", store.run.sourceFormat());
        assertEquals(2, store.stored.size());
        assertEquals("0af7651916cd43dd8448eb211c80319c", store.stored.get(0).traceId());
        assertEquals("b7ad6b7169203331", store.stored.get(0).spanId());
        assertEquals(null, store.stored.get(1).spanId());
        assertEquals("grounded", store.stored.get(0).label());
        assertEquals("hallucinated", store.stored.get(1).label());
        assertTrue(o.toString().contains("2 traces judged; stored as eval run 7"), o.toString());
        assertTrue(o.toString().contains("groundedness       1 of 2 pass, mean score 0.500"), o.toString());
    }
}
