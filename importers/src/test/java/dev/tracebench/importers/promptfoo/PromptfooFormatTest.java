package dev.tracebench.importers.promptfoo;

import static dev.tracebench.importers.EvalFiles.num;
import static dev.tracebench.importers.EvalFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.importers.EvalFiles;
import dev.tracebench.importers.FolderScan;
import dev.tracebench.importers.common.RecordingSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** promptfoo's own files: the export fixture of its tests and an example's output, read and checked field by field. */
class PromptfooFormatTest {
    @TempDir
    Path dir;

    /**
     * What the file holds, read independently: per run (promptIdx and provider, in the order results name them) the
     * results; per test case the overall verdict, then one per component result.
     */
    private static void assertReadAsTheFileSays(Path f) throws Exception {
        assertEquals(PromptfooFormat.ID, FolderScan.recognise(f).format().id());
        RecordingSession s = EvalFiles.read(f);
        assertEquals(List.of(), s.problems());
        JsonNode file = EvalFiles.tree(f);
        JsonNode cases = file.get("results").get("results");
        Map<String, Integer> runs = new LinkedHashMap<>();
        List<String> evaluators = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        List<Boolean> passed = new ArrayList<>();
        List<String> examples = new ArrayList<>();
        List<String> explanations = new ArrayList<>();
        List<Integer> runOf = new ArrayList<>();
        for (JsonNode c : cases) {
            String key = c.get("promptIdx").asInt() + "|" + c.get("provider").get("id").asText();
            runs.putIfAbsent(key, runs.size());
            evaluators.add("overall");
            scores.add(num(c.get("score")));
            passed.add(c.get("success").asBoolean());
            examples.add("test-" + c.get("testIdx").asInt());
            explanations.add(text(c.get("gradingResult").get("reason")));
            runOf.add(runs.get(key));
            for (JsonNode comp : c.get("gradingResult").get("componentResults")) {
                JsonNode a = comp.get("assertion");
                evaluators.add(a == null ? null : text(a.get("metric")) != null ? text(a.get("metric"))
                        : a.get("type").asText());
                scores.add(num(comp.get("score")));
                passed.add(comp.get("pass").asBoolean());
                examples.add("test-" + c.get("testIdx").asInt());
                explanations.add(text(comp.get("reason")));
                runOf.add(runs.get(key));
            }
        }
        List<EvalResultData> r = EvalFiles.results(s);
        assertEquals(evaluators.size(), r.size());
        assertEquals(runs.size(), s.evalRuns().size());
        for (int i = 0; i < r.size(); i++) {
            if (evaluators.get(i) != null) {
                assertEquals(evaluators.get(i), r.get(i).evaluator(), "result " + i);
            }
            assertEquals(scores.get(i), r.get(i).score(), "result " + i);
            assertEquals(passed.get(i), r.get(i).passed(), "result " + i);
            assertEquals(examples.get(i), r.get(i).exampleId(), "result " + i);
            assertEquals(explanations.get(i), r.get(i).explanation(), "result " + i);
            assertEquals(runOf.get(i), s.evalResults().get(i).run(), "result " + i);
        }
        String version = file.get("metadata").get("promptfooVersion").asText();
        for (EvalRunData run : s.evalRuns()) {
            assertEquals("promptfoo " + version, run.evaluatorVersion());
            assertEquals(Instant.parse(file.get("results").get("timestamp").asText()), run.created());
            assertEquals(PromptfooFormat.ID, run.sourceFormat());
            assertTrue(run.name().startsWith(file.get("evalId").asText() + " · "), run.name());
        }
    }

    @Test
    void theExportFixtureOfPromptfoosTests() throws Exception {
        Path f = EvalFiles.fixture("promptfoo/sample-export.json");
        assertReadAsTheFileSays(f);
        RecordingSession s = EvalFiles.read(f);
        // two providers, one prompt: two runs; 4 cases, each an overall verdict and 3 or 4 assertions
        assertEquals(List.of("eval-WJi-2025-10-01T20:08:11 · openai:gpt-5-mini · Solve this riddle: {{riddle}}",
                "eval-WJi-2025-10-01T20:08:11 · openai:gpt-5 · Solve this riddle: {{riddle}}"),
                s.evalRuns().stream().map(EvalRunData::name).toList());
        List<EvalResultData> r = EvalFiles.results(s);
        assertEquals(4 + 4 + 4 + 3 + 3, r.size());
        EvalResultData first = r.get(0);
        assertEquals("overall", first.evaluator());
        assertEquals(0.75, first.score());
        assertEquals(Boolean.FALSE, first.passed());
        assertEquals("fail", first.label());
        assertEquals("I speak without a mouth and hear without ears. I have no body, but I come alive with wind. "
                + "What am I?", first.input(), "the one variable is the input");
        assertTrue(first.output().startsWith("Answer: An echo."), first.output());
        assertEquals(227L, first.judgeInputTokens());
        assertEquals(29L, first.judgeOutputTokens());
        assertTrue(first.metadataJson().contains("\"latencyMs\":5794") && first.metadataJson().contains(
                "\"cost\":0.00049925") && first.metadataJson().contains("\"provider\":\"openai:gpt-5-mini\""),
                first.metadataJson());
        assertEquals("line 93, results.results[0]", first.location());
        EvalResultData latency = r.get(2);
        assertEquals("latency", latency.evaluator());
        assertEquals(3000.0, latency.threshold());
        assertEquals("Latency 5794ms is greater than threshold 3000ms", latency.explanation());
        assertEquals(0.0, latency.score());
        assertEquals("line 118, results.results[0].gradingResult.componentResults[1]", latency.location());
        EvalResultData rubric = r.get(4);
        assertEquals("llm-rubric", rubric.evaluator());
        assertEquals(227L, rubric.judgeInputTokens());
        assertEquals("{\"assertionType\":\"llm-rubric\",\"assertionValue\":\"Do not apologize\","
                + "\"provider\":\"openai:gpt-5-mini\"}", rubric.metadataJson());
    }

    @Test
    void anExamplesOutputWithNamedMetricsAndANestedAssertSet() throws Exception {
        Path f = EvalFiles.fixture("promptfoo/french-greeting-test.output.json");
        assertReadAsTheFileSays(f);
        List<EvalResultData> r = EvalFiles.results(EvalFiles.read(f));
        // the assert-set's result has no assertion: it is named by the metric of the test's assert-set
        assertEquals(List.of("overall", "Correctness", "Tone", "Topicality", "Performance", "cost", "latency"),
                r.stream().map(EvalResultData::evaluator).toList());
        assertEquals(0.5, r.get(4).score());
        assertEquals(0.8, r.get(3).threshold());
        assertEquals(0.6015003324002018, r.get(3).score());
        assertEquals("Greet the user in French.", r.get(0).input(), "no variables: the prompt is the input");
        assertEquals("Bonjour ! Comment puis-je vous aider aujourd'hui ?", r.get(0).output());
        assertEquals(589L, r.get(0).judgeInputTokens());
        assertTrue(r.get(0).metadataJson().contains("\"namedScores\":{\"Correctness\":1,\"Tone\":1,\"Topicality\":"
                + "0.6015003324002018,\"Performance\":0.5}"), r.get(0).metadataJson());
    }

    @Test
    void anEvalWhoseResultsWereNotLoadedIsRecognisedButHoldsNone() throws Exception {
        // the shape of examples/config-node-package/output.json: promptfoo's Eval object with "results": []
        Path f = dir.resolve("output.json");
        Files.writeString(f, "{\n  \"_resultsLoaded\": false,\n  \"createdAt\": 1758065695513,\n  \"id\": "
                + "\"eval-IF3-2025-09-16T23:34:55\",\n  \"config\": {\"prompts\": []},\n  \"results\": [],\n  "
                + "\"prompts\": [\n    {\"raw\": \"Write a haiku about: {{body}}\", \"provider\": \"openai:gpt-4.1-mini\","
                + " \"metrics\": {\"score\": 1, \"testPassCount\": 1, \"testFailCount\": 1}}\n  ],\n  \"persisted\": true"
                + "\n}\n", StandardCharsets.UTF_8);
        RecordingSession s = EvalFiles.read(f);
        assertEquals(List.of(), s.evalRuns());
        assertEquals("rejected file: no eval results were read: the file was recognised as promptfoo results but "
                + "holds no eval results (expected: promptfoo eval -o results.json: results.results[] with success, "
                + "score and gradingResult per test case)", s.problems().get(0).toString());
    }

    @Test
    void aDamagedFileKeepsTheCasesBeforeTheDamage() throws Exception {
        String text = Files.readString(EvalFiles.fixture("promptfoo/sample-export.json"));
        int cut = text.indexOf("\"id\": \"e1fa91fd"); // inside the third case
        Path f = dir.resolve("cut.json");
        Files.writeString(f, text.substring(0, cut) + "\"id\": }", StandardCharsets.UTF_8);
        RecordingSession s = EvalFiles.read(f);
        assertEquals(10, EvalFiles.results(s).size(), "the first two cases, each 1 + 4 results");
        assertEquals(1, s.problems().size(), s.problems().toString());
        RecordingSession.Problem p = s.problems().get(0);
        assertTrue(p.reject() && p.location().startsWith("line ") && p.reason().contains("malformed JSON")
                && p.reason().endsWith("the rest of the file was not read"), p.toString());
    }

    @Test
    void aBigFileIsHandedOnAsItIsReadWithOneRunPerPromptAndProvider() throws Exception {
        // more results than the reader keeps before creating the runs: they are handed on in parts, runs once
        JsonNode cases = EvalFiles.tree(EvalFiles.fixture("promptfoo/sample-export.json")).get("results")
                .get("results");
        StringBuilder sb = new StringBuilder("{\"evalId\":\"eval-big\",\"results\":{\"version\":3,\"results\":[");
        int n = 1_200;
        int expected = 0;
        for (int i = 0; i < n; i++) {
            JsonNode c = cases.get(i % 4);
            expected += 1 + c.get("gradingResult").get("componentResults").size();
            sb.append(i == 0 ? "" : ",").append(EvalFiles.JSON.writeValueAsString(c));
        }
        sb.append("]},\"metadata\":{\"promptfooVersion\":\"0.118.10\"}}");
        Path f = dir.resolve("big.json");
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        RecordingSession s = EvalFiles.read(f);
        assertTrue(expected > PromptfooFormat.KEPT, "more than kept: " + expected);
        assertEquals(expected, EvalFiles.results(s).size());
        assertEquals(2, s.evalRuns().size());
        assertNull(s.evalRuns().get(0).evaluatorVersion(), "the version comes after the first results were handed on");
        assertEquals(List.of(), s.problems());
    }

    @Test
    void theJsonLinesOutputHasOneResultPerLine() throws Exception {
        JsonNode cases = EvalFiles.tree(EvalFiles.fixture("promptfoo/sample-export.json")).get("results")
                .get("results");
        StringBuilder sb = new StringBuilder();
        for (JsonNode c : cases) {
            sb.append(EvalFiles.JSON.writeValueAsString(c)).append('\n');
        }
        Path f = dir.resolve("out.jsonl");
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        RecordingSession s = EvalFiles.read(f);
        assertEquals(18, EvalFiles.results(s).size());
        assertEquals("line 3", EvalFiles.results(s).get(10).location());
        assertNull(s.evalRuns().get(0).created(), "a JSON Lines output has no timestamp");
    }
}
