package dev.tracebench.importers.evaltable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.ingest.UnusableInputException;
import dev.tracebench.importers.EvalFiles;
import dev.tracebench.importers.FolderScan;
import dev.tracebench.importers.common.RecordingSession;
import dev.tracebench.samples.SampleFiles;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables of eval results: the generator's evals.jsonl, the names people give columns, Ragas, mappings, damage. */
class EvalTableFormatTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void theGeneratorsEvalsJsonlImportsWithoutHelp() throws Exception {
        Path f = dir.resolve("evals.jsonl");
        try (InputStream in = SampleFiles.open(SampleFiles.DEMO_EVALS)) {
            Files.copy(in, f);
        }
        assertEquals("eval-jsonl", FolderScan.recognise(f).format().id());
        assertEquals(FolderScan.Kind.EVALS, FolderScan.recognise(f).kind());
        RecordingSession s = EvalFiles.read(f);
        assertEquals(List.of(), s.problems());
        List<JsonNode> rows = EvalFiles.lines(f);
        assertTrue(rows.size() > 1500, "rows: " + rows.size());
        List<EvalResultData> results = EvalFiles.results(s);
        assertEquals(rows.size(), results.size());
        Set<String> sources = new LinkedHashSet<>();
        rows.forEach(r -> sources.add(r.get("source").asText()));
        assertEquals(List.copyOf(sources), s.evalRuns().stream().map(EvalRunData::name).toList(),
                "one run per source");
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            EvalResultData r = results.get(i);
            String at = "line " + (i + 1);
            assertEquals(at, r.location());
            assertEquals(row.get("trace_id").asText(), r.traceId(), at);
            assertEquals(row.get("span_id").asText(), r.spanId(), at);
            assertEquals(row.get("evaluator").asText(), r.evaluator(), at);
            assertEquals(row.get("score").asDouble(), r.score(), at);
            assertEquals(row.get("label").asText(), r.label(), at);
            assertEquals(row.get("explanation").asText(), r.explanation(), at);
            assertEquals(Instant.parse(row.get("timestamp").asText()), r.timestamp(), at);
            assertEquals(List.copyOf(sources).indexOf(row.get("source").asText()), s.evalResults().get(i).run(), at);
            assertNull(r.metadataJson(), "every column has a field");
        }
        EvalRunData run = s.evalRuns().get(0);
        assertEquals("eval-jsonl", run.sourceFormat());
        assertEquals("evals.jsonl", run.file());
    }

    @Test
    void csvColumnsNamedAsPeopleNameThem() throws Exception {
        Path f = write("scores.csv", "traceId,spanId,metric,value,reason,passed,threshold,judge_model,tenant\n"
                + "4bf92f3577b34da6a3ce929d0e0e4736,00f067aa0ba902b7,faithfulness,0.25,\"Claim 2, about refunds, is "
                + "not in the context\",false,0.5,gpt-4o-mini,acme\n"
                + "4bf92f3577b34da6a3ce929d0e0e4736,00f067aa0ba902b7,relevance,0.9,\"On topic;\nanswers the "
                + "question\",true,0.5,gpt-4o-mini,\n");
        assertEquals("eval-csv", FolderScan.recognise(f).format().id());
        RecordingSession s = EvalFiles.read(f);
        assertEquals(List.of(), s.problems());
        List<EvalResultData> r = EvalFiles.results(s);
        assertEquals(2, r.size());
        EvalResultData a = r.get(0);
        assertEquals("faithfulness", a.evaluator());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", a.traceId());
        assertEquals("00f067aa0ba902b7", a.spanId());
        assertEquals(0.25, a.score());
        assertEquals(Boolean.FALSE, a.passed());
        assertEquals(0.5, a.threshold());
        assertEquals("gpt-4o-mini", a.judgeModel());
        assertEquals("Claim 2, about refunds, is not in the context", a.explanation());
        assertEquals("{\"tenant\":\"acme\"}", a.metadataJson(), "a column without a field is kept as metadata");
        assertEquals("line 2", a.location());
        EvalResultData b = r.get(1);
        assertEquals("On topic;\nanswers the question", b.explanation(), "a quoted line break");
        assertEquals(Boolean.TRUE, b.passed());
        assertNull(b.metadataJson());
        assertEquals("line 3", b.location());
        assertEquals(List.of("scores.csv"), s.evalRuns().stream().map(EvalRunData::name).toList());
    }

    @Test
    void ragasCsvHasOneColumnPerMetricAndNanIsAJudgeThatFailed() throws Exception {
        // as EvaluationResult.to_pandas().to_csv() writes it: the index column, lists as Python reprs, NaN
        Path f = write("ragas.csv", ",user_input,retrieved_contexts,response,reference,faithfulness,"
                + "answer_relevancy\n"
                + "0,When was the first super bowl?,\"['The First AFL–NFL World Championship Game was played on "
                + "January 15, 1967.', \"\"It's in LA\"\"]\",The first superbowl was held on Jan 15 1967,"
                + "\"January 15, 1967\",1.0,0.9811\n"
                + "1,Who won the most super bowls?,['The Patriots have won six.'],The Green Bay Packers,"
                + "New England Patriots,0.0,nan\n");
        assertEquals("eval-csv", FolderScan.recognise(f).format().id());
        RecordingSession s = EvalFiles.read(f);
        List<EvalResultData> r = EvalFiles.results(s);
        assertEquals(List.of("faithfulness", "answer_relevancy", "faithfulness", "answer_relevancy"),
                r.stream().map(EvalResultData::evaluator).toList());
        assertEquals(1.0, r.get(0).score());
        assertEquals(0.9811, r.get(1).score());
        assertEquals(0.0, r.get(2).score(), "a real 0 stays 0");
        assertNull(r.get(3).score(), "NaN is no score, never 0");
        assertEquals(EvalTableFormat.JUDGE_FAILED, r.get(3).label());
        assertEquals("When was the first super bowl?", r.get(0).input());
        assertEquals("The first superbowl was held on Jan 15 1967", r.get(0).output());
        assertEquals("January 15, 1967", r.get(0).expected());
        assertEquals(List.of("The First AFL–NFL World Championship Game was played on January 15, 1967.",
                "It's in LA"), r.get(0).contexts());
        assertEquals(List.of("The Patriots have won six."), r.get(2).contexts());
        assertEquals(1, s.problems().size(), s.problems().toString());
        RecordingSession.Problem p = s.problems().get(0);
        assertEquals("line 3", p.location());
        assertTrue(!p.reject() && p.reason().contains("answer_relevancy: the score is NaN (the judge failed)"), p.toString());
    }

    @Test
    void ragasJsonLinesWithNanAndLists() throws Exception {
        Path f = write("ragas.jsonl", "{\"user_input\":\"Q1\",\"retrieved_contexts\":[\"c1\",\"c2\"],\"response\":\"A1\","
                + "\"reference\":\"R1\",\"faithfulness\":0.5,\"context_precision\":NaN}\n"
                + "{\"user_input\":\"Q2\",\"retrieved_contexts\":[],\"response\":\"A2\",\"reference\":\"R2\","
                + "\"faithfulness\":1,\"context_precision\":0.25}\n");
        RecordingSession s = EvalFiles.read(f);
        List<EvalResultData> r = EvalFiles.results(s);
        assertEquals(4, r.size());
        assertEquals(List.of("c1", "c2"), r.get(0).contexts());
        assertNull(r.get(1).score());
        assertEquals(EvalTableFormat.JUDGE_FAILED, r.get(1).label());
        assertEquals(1.0, r.get(2).score());
        assertEquals(0.25, r.get(3).score());
        assertEquals("Q2", r.get(3).input());
    }

    @Test
    void langfuseScoreExport() throws Exception {
        Path f = write("scores.jsonl", "{\"id\":\"s-1\",\"traceId\":\"t-1\",\"observationId\":\"o-1\",\"name\":"
                + "\"hallucination\",\"value\":0,\"stringValue\":\"grounded\",\"dataType\":\"CATEGORICAL\","
                + "\"comment\":\"all claims supported\",\"timestamp\":\"2026-01-02T03:04:05.000Z\"}\n"
                + "{\"id\":\"s-2\",\"traceId\":\"t-2\",\"observationId\":null,\"name\":\"helpfulness\",\"value\":0.7,"
                + "\"dataType\":\"NUMERIC\",\"comment\":null,\"timestamp\":\"2026-01-02T03:04:06.000Z\"}\n");
        RecordingSession s = EvalFiles.read(f);
        List<EvalResultData> r = EvalFiles.results(s);
        assertEquals(2, r.size());
        assertEquals("hallucination", r.get(0).evaluator());
        assertEquals("t-1", r.get(0).traceId());
        assertEquals("o-1", r.get(0).spanId());
        assertEquals(0.0, r.get(0).score());
        assertEquals("grounded", r.get(0).label());
        assertEquals("all claims supported", r.get(0).explanation());
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), r.get(0).timestamp());
        assertEquals("{\"id\":\"s-1\",\"dataType\":\"CATEGORICAL\"}", r.get(0).metadataJson());
        assertNull(r.get(1).spanId());
        assertEquals(0.7, r.get(1).score());
    }

    @Test
    void phoenixSpanAnnotationsExport() throws Exception {
        // Phoenix's client.spans.get_span_annotations_dataframe(...).to_csv(): the span id index, the annotation's
        // name, its kind and the result flattened to result.label / result.score / result.explanation
        Path f = write("annotations.csv", "span_id,annotation_name,annotator_kind,result.label,result.score,"
                + "result.explanation,metadata,identifier\n"
                + "67f6740bbe1ddc3f,correctness,HUMAN,correct,0.85,The response answered the question,{},\n"
                + "468d2810f529b6e9,hallucination,LLM,hallucinated,0,\"The answer names a plan, \"\"Ultra\"\", the "
                + "passages never mention\",{},eval-v2\n");
        RecordingSession s = EvalFiles.read(f);
        List<EvalResultData> r = EvalFiles.results(s);
        assertEquals(2, r.size());
        assertEquals("correctness", r.get(0).evaluator());
        assertEquals("67f6740bbe1ddc3f", r.get(0).spanId());
        assertEquals("correct", r.get(0).label());
        assertEquals(0.85, r.get(0).score());
        assertEquals("The response answered the question", r.get(0).explanation());
        assertEquals("hallucination", r.get(1).evaluator());
        assertEquals("468d2810f529b6e9", r.get(1).spanId());
        assertEquals("hallucinated", r.get(1).label());
        assertEquals(0.0, r.get(1).score());
        assertEquals("The answer names a plan, \"Ultra\", the passages never mention", r.get(1).explanation());
    }

    @Test
    void aTableOfOtherNamesNeedsAMappingAndImportsWithOne() throws Exception {
        Path f = write("odd.csv", "tid;check;points;grade;why\nabc123;tone;4;ok;polite\nabc124;tone;1;bad;rude\n");
        FolderScan.Entry e = FolderScan.recognise(f);
        assertTrue(e.skipped());
        assertTrue(e.reason().contains("a table with the columns tid, check, points, grade, why")
                && e.reason().contains("--map"), e.reason());
        RecordingSession s = EvalFiles.read(f, "trace_id=tid,evaluator=check,score=points,label=grade,"
                + "explanation=why");
        assertEquals(List.of(), s.problems());
        List<EvalResultData> r = EvalFiles.results(s);
        assertEquals(2, r.size());
        assertEquals("abc124", r.get(1).traceId());
        assertEquals("tone", r.get(1).evaluator());
        assertEquals(1.0, r.get(1).score());
        assertEquals("bad", r.get(1).label());
        assertEquals("rude", r.get(1).explanation());
        assertEquals("{\"mapping\":\"trace_id=tid,evaluator=check,score=points,label=grade,explanation=why\"}",
                s.evalRuns().get(0).configJson(), "the run keeps the mapping it was read with");
        // several score columns: one metric each
        RecordingSession wide = EvalFiles.read(f, "trace_id=tid,score=points+grade");
        assertEquals(List.of("points", "points"), EvalFiles.results(wide).stream().map(EvalResultData::evaluator)
                .toList());
        assertEquals(List.of("warning line 2: grade: 'ok' is not a number; this metric was left out of the row",
                "warning line 3: grade: 'bad' is not a number; this metric was left out of the row"),
                wide.problems().stream().map(RecordingSession.Problem::toString).toList());
    }

    @Test
    void aMappingNamingAMissingColumnIsAClearError() throws Exception {
        Path f = write("odd.csv", "tid,check,points\nabc,tone,4\n");
        UnusableInputException e = assertThrows(UnusableInputException.class,
                () -> EvalFiles.read(f, "trace_id=tid,score=nope"));
        assertEquals("the column mapping names column 'nope' for score, but the file has no such column (its "
                + "columns: tid, check, points)", e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ColumnMapping.parse("traceid=tid,colour=red"));
        assertTrue(bad.getMessage().startsWith("unknown field 'colour' in the column mapping (fields: trace_id, "),
                bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ColumnMapping.parse("score"));
        assertThrows(IllegalArgumentException.class, () -> ColumnMapping.parse("label=a+b"));
        assertEquals("trace_id=tid,score=a+b", ColumnMapping.parse(" trace_id = tid , score=a+b").toString());
    }

    @Test
    void malformedRowsAreLocatedAndGoodRowsKept() throws Exception {
        Path f = write("bad.jsonl", "{\"trace_id\":\"t1\",\"evaluator\":\"g\",\"score\":0.5}\n"
                + "{\"trace_id\":\"t2\",\"evaluator\":\"g\",\"score\":0.6\n"
                + "{\"trace_id\":\"t3\",\"evaluator\":\"g\",\"score\":\"high\"}\n"
                + "{\"trace_id\":\"t4\",\"evaluator\":\"\",\"score\":0.1}\n"
                + "{\"trace_id\":\"t5\",\"evaluator\":\"g\"}\n"
                + "{\"trace_id\":\"t6\",\"evaluator\":\"g\",\"score\":0.9,\"timestamp\":\"yesterday\"}\n");
        RecordingSession s = EvalFiles.read(f);
        assertEquals(List.of("t1", "t6"), EvalFiles.results(s).stream().map(EvalResultData::traceId).toList());
        List<String> problems = s.problems().stream().map(RecordingSession.Problem::toString).toList();
        assertEquals(5, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("rejected line 2, column "), problems.get(0));
        assertTrue(problems.get(0).contains("the JSON ends early"), problems.get(0));
        assertEquals("rejected line 3: 'high' is not a number", problems.get(1));
        assertEquals("rejected line 4: no evaluator or metric name (column 'evaluator' is empty)", problems.get(2));
        assertEquals("rejected line 5: no score, label or pass/fail for g", problems.get(3));
        assertEquals("warning line 6: timestamp: 'yesterday' is not a time; kept without a time", problems.get(4));
        assertNull(EvalFiles.results(s).get(1).timestamp());
    }

    @Test
    void csvWithAnUnclosedQuoteKeepsTheRowsBeforeIt() throws Exception {
        Path f = write("cut.csv", "trace_id,evaluator,score,explanation\nt1,g,0.5,fine\nt2,g,0.4,\"cut short\n"
                + "t3,g,0.3,never read\n");
        RecordingSession s = EvalFiles.read(f);
        assertEquals(List.of("t1"), EvalFiles.results(s).stream().map(EvalResultData::traceId).toList());
        assertEquals("rejected line 3: a quoted field is not closed (the file ends inside it); reading stopped there",
                s.problems().get(0).toString());
    }

    @Test
    void aRecognisedTableWithoutRowsSaysSo() throws Exception {
        Path f = write("empty.csv", "trace_id,evaluator,score\n");
        RecordingSession s = EvalFiles.read(f);
        assertEquals(List.of(), s.evalRuns());
        assertEquals("rejected file: no eval results were read: the file was recognised as Eval results table "
                + "(CSV) but holds no eval results (expected: " + EvalTableFormat.CSV.expected() + ")",
                s.problems().get(0).toString());
    }
}
