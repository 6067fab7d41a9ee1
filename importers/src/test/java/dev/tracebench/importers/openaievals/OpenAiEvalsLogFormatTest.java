package dev.tracebench.importers.openaievals;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenAI evals run logs, as evals/record.py writes them: matches, metrics, model-graded choices. */
class OpenAiEvalsLogFormatTest {
    @TempDir
    Path dir;

    @Test
    void aFuzzyMatchRunsMatchesAndMetrics() throws Exception {
        Path f = EvalFiles.fixture("openai-evals/test-fuzzy-match.log.jsonl");
        assertEquals(OpenAiEvalsLogFormat.ID, FolderScan.recognise(f).format().id());
        RecordingSession s = EvalFiles.read(f);
        assertEquals(List.of(), s.problems());
        List<JsonNode> lines = EvalFiles.lines(f);
        List<String> evaluators = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        List<String> samples = new ArrayList<>();
        for (JsonNode l : lines) {
            String type = l.path("type").asText();
            if (type.equals("match")) {
                evaluators.add("match");
                scores.add(l.get("data").get("correct").asBoolean() ? 1.0 : 0.0);
                samples.add(l.get("sample_id").asText());
            } else if (type.equals("metrics")) {
                l.get("data").fields().forEachRemaining(e -> {
                    evaluators.add(e.getKey());
                    scores.add(e.getValue().asDouble());
                    samples.add(l.get("sample_id").asText());
                });
            }
        }
        List<EvalResultData> r = EvalFiles.results(s);
        assertEquals(9, r.size());
        assertEquals(evaluators, r.stream().map(EvalResultData::evaluator).toList());
        assertEquals(scores, r.stream().map(EvalResultData::score).toList());
        assertEquals(samples, r.stream().map(EvalResultData::exampleId).toList());
        // the final report is the mean of the verdicts read
        JsonNode report = lines.get(lines.size() - 1).get("final_report");
        assertEquals(report.get("accuracy").asDouble(), r.stream().filter(x -> x.evaluator().equals("match"))
                .mapToDouble(EvalResultData::score).average().orElseThrow(), 1e-12);
        assertEquals(report.get("f1_score").asDouble(), r.stream().filter(x -> x.evaluator().equals("f1_score"))
                .mapToDouble(EvalResultData::score).average().orElseThrow(), 1e-12);
        EvalRunData run = s.evalRuns().get(0);
        assertEquals("test-fuzzy-match.s1.simple-v0 (gpt-3.5-turbo)", run.name());
        assertEquals(Instant.parse("2026-12-06T11:30:00.412783Z"), run.created());
        assertTrue(run.configJson().contains("\"run_id\":\"261206113000QZ7K4M2A\""), run.configJson());
        EvalResultData first = r.get(0);
        assertEquals("Who played the girl elf in the hobbit?", first.input(), "the sampled prompt's user message");
        assertEquals("Evangeline Lilly plays Tauriel.", first.output());
        assertEquals("Evangeline Lilly", first.expected());
        assertEquals(Boolean.TRUE, first.passed());
        assertEquals("line 3", first.location());
        assertEquals(Instant.parse("2026-12-06T11:30:01.100000Z"), first.timestamp());
        EvalResultData wrong = r.stream().filter(x -> x.evaluator().equals("match") && x.score() == 0.0).findFirst()
                .orElseThrow();
        assertEquals("test-fuzzy-match.s1.1", wrong.exampleId());
        assertEquals("[\"Season 11\",\"11\"]", wrong.expected());
        assertEquals("incorrect", wrong.label());
    }

    @Test
    void aModelGradedMetaEvalsChoicesAndMetascores() throws Exception {
        Path f = EvalFiles.fixture("openai-evals/joke-fruits-meta.log.jsonl");
        RecordingSession s = EvalFiles.read(f);
        List<JsonNode> metrics = EvalFiles.lines(f).stream().filter(l -> "metrics".equals(l.path("type").asText()))
                .toList();
        List<EvalResultData> r = EvalFiles.results(s);
        assertEquals(2 * metrics.size(), r.size());
        for (int i = 0; i < metrics.size(); i++) {
            JsonNode d = metrics.get(i).get("data");
            EvalResultData choice = r.get(2 * i);
            assertEquals("joke-fruits-meta", choice.evaluator());
            assertEquals(d.get("choice").asText(), choice.label());
            assertEquals(d.get("score").asDouble(), choice.score());
            EvalResultData meta = r.get(2 * i + 1);
            assertEquals("metascore", meta.evaluator());
            assertEquals(d.get("metascore").asBoolean(), meta.passed());
        }
        JsonNode report = EvalFiles.lines(f).get(EvalFiles.lines(f).size() - 1).get("final_report");
        assertEquals(report.get("metascore").asDouble(), r.stream().filter(x -> x.evaluator().equals("metascore"))
                .mapToDouble(EvalResultData::score).average().orElseThrow(), 1e-12);
    }

    @Test
    void aLogWithoutItsSpecAndWithADamagedLine() throws Exception {
        List<String> lines = Files.readAllLines(EvalFiles.fixture("openai-evals/test-fuzzy-match.log.jsonl"));
        Path f = dir.resolve("cut.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < lines.size(); i++) {
            sb.append(i == 3 ? lines.get(i).substring(0, 40) : lines.get(i)).append('\n');
        }
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        RecordingSession s = EvalFiles.read(f);
        assertEquals(List.of("261206113000QZ7K4M2A"), s.evalRuns().stream().map(EvalRunData::name).toList());
        assertEquals(7, EvalFiles.results(s).size(), "the sample whose metrics line was damaged keeps its match");
        List<String> problems = s.problems().stream().map(Object::toString).toList();
        assertEquals("warning line 2: the log has no spec line before its events; the run is named by its run id",
                problems.get(0));
        assertTrue(problems.get(1).startsWith("rejected line 3, column ") && problems.get(1).contains(
                "the JSON ends early"), problems.get(1));
    }
}
