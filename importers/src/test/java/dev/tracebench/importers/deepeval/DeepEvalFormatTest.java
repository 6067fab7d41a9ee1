package dev.tracebench.importers.deepeval;

import static dev.tracebench.importers.EvalFiles.num;
import static dev.tracebench.importers.EvalFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.importers.EvalFiles;
import dev.tracebench.importers.FolderScan;
import dev.tracebench.importers.ImporterTestBase;
import dev.tracebench.importers.common.RecordingSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DeepEval's test run fixture: the case's metrics and its spans' metrics, checked against the file. */
class DeepEvalFormatTest {
    @TempDir
    Path dir;

    private static final Path RUN = corpus();

    private static Path corpus() {
        try {
            return Path.of(ImporterTestBase.class.getResource("/corpora/deepeval-fixtures/test_run_sample.json")
                    .toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aTestRunsCaseAndSpanMetrics() throws Exception {
        assertEquals(DeepEvalFormat.ID, FolderScan.recognise(RUN).format().id());
        RecordingSession s = EvalFiles.read(RUN);
        assertEquals(List.of(), s.problems());
        // independently: the case's metricsData, then each span kind's spans' metricsData, in file order
        JsonNode c = EvalFiles.tree(RUN).get("testCases").get(0);
        List<JsonNode> expected = new ArrayList<>();
        c.get("metricsData").forEach(expected::add);
        for (String kind : List.of("baseSpans", "agentSpans", "llmSpans", "retrieverSpans", "toolSpans")) {
            for (JsonNode span : c.get("trace").get(kind)) {
                if (span.has("metricsData")) {
                    span.get("metricsData").forEach(expected::add);
                }
            }
        }
        List<EvalResultData> r = EvalFiles.results(s);
        assertEquals(8, expected.size());
        assertEquals(expected.size(), r.size());
        for (int i = 0; i < r.size(); i++) {
            JsonNode m = expected.get(i);
            EvalResultData x = r.get(i);
            assertEquals(m.get("name").asText(), x.evaluator(), "metric " + i);
            assertEquals(num(m.get("score")), x.score(), "metric " + i);
            assertEquals(num(m.get("threshold")), x.threshold(), "metric " + i);
            assertEquals(m.get("success").asBoolean(), x.passed(), "metric " + i);
            assertEquals(text(m.get("reason")), x.explanation(), "metric " + i);
            assertEquals(text(m.get("evaluationModel")), x.judgeModel(), "metric " + i);
            assertEquals(num(m.get("evaluationCost")), x.judgeCost(), "metric " + i);
            assertEquals("sample_test_case", x.exampleId());
        }
        // DeepEval's own summary counts each Faithfulness verdict once: the case's and two spans'
        JsonNode faithfulness = EvalFiles.tree(RUN).get("metricsScores").get(1);
        List<Double> summary = new ArrayList<>();
        faithfulness.get("scores").forEach(n -> summary.add(n.asDouble()));
        assertEquals(summary, r.stream().filter(x -> x.evaluator().equals("Faithfulness"))
                .map(EvalResultData::score).toList());
        assertEquals(c.get("input").asText(), r.get(0).input());
        assertEquals("{...}", r.get(0).output());
        assertEquals("line 10, testCases[0].metricsData[0]", r.get(0).location());
        EvalResultData retriever = r.stream().filter(x -> x.evaluator().equals("Contextual Relevancy")).findFirst()
                .orElseThrow();
        assertEquals(3, retriever.contexts().size());
        assertEquals("cecl forecasting abrigo allowance variance", retriever.input(), "the span's own input");
        assertTrue(retriever.metadataJson().contains("\"deepevalSpan\":\"020e0001-0000-0000-0000-0000000000r1\""),
                retriever.metadataJson());
        assertEquals(1, s.evalRuns().size());
        assertEquals("test_run_sample.json", s.evalRuns().get(0).name());
        assertTrue(s.evalRuns().get(0).configJson().contains("\"evaluationCost\":0.0214"),
                s.evalRuns().get(0).configJson());
    }

    @Test
    void aRunOfManyCasesIsHandedOnAsItIsReadAsOneRun() throws Exception {
        JsonNode c = EvalFiles.tree(RUN).get("testCases").get(0);
        StringBuilder sb = new StringBuilder("{\"testCases\":[");
        int n = 300;
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append(EvalFiles.JSON.writeValueAsString(c));
        }
        sb.append("],\"testPassed\":0,\"evaluationCost\":6.42}");
        Path f = dir.resolve("big.json");
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        RecordingSession s = EvalFiles.read(f);
        assertTrue(8 * n > DeepEvalFormat.KEPT);
        assertEquals(8 * n, EvalFiles.results(s).size());
        assertEquals(1, s.evalRuns().size());
        assertEquals(List.of(), s.problems());
    }

    @Test
    void aMetricWithAnErrorIsAJudgeThatFailed() throws Exception {
        Path f = dir.resolve("run.json");
        Files.writeString(f, "{\"testCases\":[{\"name\":\"c1\",\"input\":\"q\",\"actualOutput\":\"a\","
                + "\"expectedOutput\":\"e\",\"retrievalContext\":[\"p1\"],\"success\":false,\"metricsData\":["
                + "{\"name\":\"Faithfulness\",\"threshold\":0.7,\"success\":false,\"score\":null,\"reason\":null,"
                + "\"evaluationModel\":\"gpt-4.1\",\"error\":\"could not parse the judge's JSON\","
                + "\"inputTokenCount\":900,\"outputTokenCount\":120},"
                + "{\"name\":\"Answer Relevancy\",\"threshold\":0.5,\"success\":true,\"score\":NaN}]}]}",
                StandardCharsets.UTF_8);
        RecordingSession s = EvalFiles.read(f);
        List<EvalResultData> r = EvalFiles.results(s);
        assertEquals(2, r.size());
        assertNull(r.get(0).score());
        assertEquals("judge failed", r.get(0).label());
        assertEquals("could not parse the judge's JSON", r.get(0).explanation());
        assertEquals(900L, r.get(0).judgeInputTokens());
        assertEquals(120L, r.get(0).judgeOutputTokens());
        assertEquals("e", r.get(0).expected());
        assertEquals(List.of("p1"), r.get(0).contexts());
        assertNull(r.get(1).score(), "NaN is no score");
        assertEquals(2, s.problems().size(), s.problems().toString());
        assertEquals("warning line 1, testCases[0].metricsData[0]: Faithfulness: the judge failed: could not parse "
                + "the judge's JSON; kept without a score", s.problems().get(0).toString());
    }
}
