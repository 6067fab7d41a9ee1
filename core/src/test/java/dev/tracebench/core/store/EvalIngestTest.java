package dev.tracebench.core.store;

import static dev.tracebench.core.testing.Spans.resource;
import static dev.tracebench.core.testing.Spans.scope;
import static dev.tracebench.core.testing.Spans.span;
import static dev.tracebench.core.testing.Spans.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.IngestBody;
import dev.tracebench.core.ingest.IngestOptions;
import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Eval runs and results through the ingest session: one transaction with the import, and their links to traces. */
class EvalIngestTest {
    @TempDir
    Path dir;
    Workspace ws;

    @BeforeEach
    void open() {
        ws = Workspace.open(dir.resolve("ws.duckdb"));
    }

    @AfterEach
    void close() {
        ws.close();
    }

    /** A RAG trace: root, retrieval with two documents, a model call with a response id, question and answer. */
    static List<SpanData> ragTrace(TraceId t, long firstSpan, String responseId, String question, String answer) {
        List<Attribute> retrieval = List.of(Attribute.of("openinference.span.kind", "RETRIEVER"),
                Attribute.of("retrieval.documents.0.document.content", "Paris is the capital of France."),
                Attribute.of("retrieval.documents.1.document.content", "France is in Europe."));
        List<Attribute> chat = List.of(Attribute.of("gen_ai.operation.name", "chat"),
                Attribute.of("gen_ai.request.model", "gpt-4o"), Attribute.of("gen_ai.response.id", responseId),
                Attribute.of("llm.input_messages.0.message.role", "system"),
                Attribute.of("llm.input_messages.0.message.content", "Answer from the context."),
                Attribute.of("llm.input_messages.1.message.role", "user"),
                Attribute.of("llm.input_messages.1.message.content", question),
                Attribute.of("llm.output_messages.0.message.role", "assistant"),
                Attribute.of("llm.output_messages.0.message.content", answer));
        return List.of(span(t, firstSpan, null, "POST /ask", 0, 100),
                span(t, firstSpan + 1, firstSpan, "retrieve", 5, 30, StatusCode.UNSET, retrieval),
                span(t, firstSpan + 2, firstSpan, "chat gpt-4o", 30, 95, StatusCode.UNSET, chat));
    }

    ImportReport ingest(String name, IngestBody body) {
        return ws.ingest(name, -1, body, options(), ProgressListener.NONE, CancellationToken.none());
    }

    /** The options every import of these tests runs with. */
    IngestOptions options() {
        return IngestOptions.DEFAULT;
    }

    static IngestBody spans(List<SpanData> spans) {
        return s -> {
            long r = s.resource(resource("rag"));
            long sc = s.scope(scope("test"));
            for (SpanData d : spans) {
                s.span(r, sc, d);
            }
            return new SourceFacts("test", "sha", 1);
        };
    }

    static IngestBody evals(String runName, List<EvalResultData> results) {
        return s -> {
            int run = s.evalRun(new EvalRunData(runName, "jsonl", runName + ".jsonl",
                    Instant.parse("2026-11-20T08:00:00Z"), "{\"threshold\":0.5}", "1.0"));
            for (EvalResultData r : results) {
                s.evalResult(run, r);
            }
            return new SourceFacts("eval-jsonl", "sha", 1);
        };
    }

    List<List<Object>> rows(String sql) {
        return ws.console().run(sql, 10_000).rows();
    }

    Object one(String sql) {
        return rows(sql).get(0).get(0);
    }

    @Test
    void resultsLandWithTheirRunAndAreLinkedByEveryKindOfId() {
        TraceId t1 = trace(1);
        TraceId t2 = trace(2);
        TraceId t3 = trace(3);
        TraceId short16 = new TraceId(0, 0x0af7651916cd43ddL); // a 64-bit trace id, written as 16 hex digits
        List<SpanData> all = new ArrayList<>(ragTrace(t1, 10, "resp-1", "Capital of France?", "Paris."));
        all.addAll(ragTrace(t2, 20, "resp-2", "Where is France?", "Europe."));
        all.addAll(ragTrace(t3, 30, "resp-3", "Q3", "A3"));
        all.addAll(ragTrace(short16, 40, "resp-4", "Q4", "A4"));
        assertEquals(ImportReport.Status.IMPORTED, ingest("traces", spans(all)).status());

        List<EvalResultData> results = List.of(
                EvalResultData.builder("groundedness").location("line 1").traceId(t1.hex().toUpperCase(Locale.ROOT))
                        .spanId("000000000000000C").score(0.9).label("grounded").passed(true).threshold(0.5)
                        .explanation("supported").judgeModel("gpt-4o-mini").judgeCost(0.0012).judgeInputTokens(300L)
                        .judgeOutputTokens(20L).timestamp(Instant.parse("2026-11-20T08:01:02.123456Z")).build(),
                EvalResultData.builder("groundedness").location("line 2").spanId(Ids.spanHex(21)).score(0.2)
                        .label("hallucinated").build(),
                EvalResultData.builder("relevance").location("line 3").responseId("resp-3").score(0.7).build(),
                EvalResultData.builder("relevance").location("line 4").exampleId(t2.uuid().toString()).score(0.6)
                        .build(),
                EvalResultData.builder("relevance").location("line 5").traceId("0af7651916cd43dd").score(0.5).build(),
                EvalResultData.builder("relevance").location("line 6").traceId("not-a-trace").spanId("xyz")
                        .score(0.1).build(),
                EvalResultData.builder("safety").location("line 7").input("q").output("a").expected("e")
                        .contexts(List.of("c1", "c2")).metadataJson("{\"k\":1}").build());
        ImportReport r = ingest("evals.jsonl", evals("nightly", results));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(7, r.evalResults());
        assertEquals(1, r.evalRuns());
        assertEquals(5, r.evalLinked());
        assertEquals(0, r.spansRead());
        assertTrue(r.summaryLine().contains("eval-jsonl, 1 eval run, 7 eval results (5 linked to traces)"),
                r.summaryLine());
        // the malformed ids are warnings naming where the result is; the result is kept
        assertEquals(2, r.warnings());
        assertEquals(List.of("line 6", "line 6"), r.problems().stream().map(Problem::location).toList());
        assertTrue(r.problems().get(0).reason().contains("\"not-a-trace\" is not 32 or 16 hex digits"),
                r.problems().get(0).reason());
        assertTrue(r.problems().get(1).reason().contains("span id \"xyz\""), r.problems().get(1).reason());
        assertEquals(List.of(List.of(r.importId(), "evals.jsonl", "eval-jsonl", 0L, 2L)), rows(
                "SELECT import_id, file, format, spans_read, warnings FROM imports WHERE file = 'evals.jsonl'"));
        assertEquals(2L, one("SELECT count(*) FROM import_problems WHERE import_id = " + r.importId()));

        assertEquals(List.of(
                List.of(0, "line 1", t1.hex(), "000000000000000c", "trace_id"),
                List.of(1, "line 2", t2.hex(), "0000000000000015", "span_id"),
                List.of(2, "line 3", t3.hex(), "0000000000000020", "response_id"),
                List.of(3, "line 4", t2.hex(), "-", "example"),
                List.of(4, "line 5", short16.hex(), "-", "trace_id"),
                List.of(5, "line 6", "-", "-", "-"),
                List.of(6, "line 7", "-", "-", "-")),
                rows("SELECT seq, location, coalesce(trace_hex(trace_id), '-'), coalesce(span_hex(span_id), '-'), "
                        + "coalesce(linked_by, '-') FROM eval_results ORDER BY seq"));
        // every column as handed over
        assertEquals(List.of(List.of("groundedness", 0.9, "grounded", true, 0.5, "supported", "gpt-4o-mini", 0.0012,
                300L, 20L, "2026-11-20 08:01:02.123456+00", t1.hex().toUpperCase(Locale.ROOT), "000000000000000C")),
                rows("SELECT evaluator, score, label, passed, threshold, explanation, judge_model, judge_cost, "
                        + "judge_input_tokens, judge_output_tokens, strftime(judged_at AT TIME ZONE 'UTC', "
                        + "'%Y-%m-%d %H:%M:%S.%f') || '+00', source_trace_id, source_span_id FROM eval_results "
                        + "WHERE seq = 0"));
        assertEquals(List.of(List.of("q", "a", "e", "[c1, c2]", "{\"k\":1}")), rows(
                "SELECT input, output, expected, CAST(contexts AS VARCHAR), metadata FROM eval_results WHERE seq = 6"));
        assertEquals(List.of(List.of("nightly", "jsonl", "nightly.jsonl", "{\"threshold\":0.5}", "1.0", r.importId())),
                rows("SELECT name, source_format, file, config, evaluator_version, import_id FROM eval_runs"));
        // ids come from the sequences
        assertEquals(List.of(List.of(1L, 7L, 7L)), rows("SELECT min(result_id), max(result_id), count(DISTINCT "
                + "result_id) FROM eval_results"));
    }

    @Test
    void resultsWhoseTracesComeLaterAreLinkedWhenTheyArrive() {
        TraceId t1 = trace(1);
        TraceId t2 = trace(2);
        TraceId t3 = trace(3);
        ImportReport evals = ingest("evals.jsonl", evals("before traces", List.of(
                EvalResultData.builder("g").traceId(t1.hex()).score(1.0).build(),
                EvalResultData.builder("g").spanId(Ids.spanHex(21)).score(0.5).build(),
                EvalResultData.builder("g").responseId("resp-3").score(0.0).build(),
                EvalResultData.builder("g").exampleId("ex-1").score(0.0).build())));
        assertEquals(0, evals.evalLinked());
        EvalRun run = ws.evals().runs().get(0);
        assertEquals(4, run.results());
        assertEquals(0, run.linked());

        // the first trace file: its trace id was stored from the start, so it is linked as soon as the trace is there
        assertEquals(ImportReport.Status.IMPORTED, ingest("t1", spans(ragTrace(t1, 10, "resp-1", "q", "a")))
                .status());
        assertEquals(1, ws.evals().runs().get(0).linked());
        // the second brings the span and the response the others name
        List<SpanData> more = new ArrayList<>(ragTrace(t2, 20, "resp-2", "q", "a"));
        more.addAll(ragTrace(t3, 30, "resp-3", "q", "a"));
        assertEquals(ImportReport.Status.IMPORTED, ingest("t2", spans(more)).status());
        assertEquals(3, ws.evals().runs().get(0).linked());
        assertEquals(List.of(List.of(t1.hex(), "trace_id"), List.of(t2.hex(), "span_id"),
                List.of(t3.hex(), "response_id"), List.of("-", "-")),
                rows("SELECT coalesce(trace_hex(trace_id), '-'), coalesce(linked_by, '-') FROM eval_results "
                        + "ORDER BY seq"));
        assertEquals(32L, one("SELECT span_id FROM eval_results WHERE response_id = 'resp-3'"));
    }

    @Test
    void aSpanIdTwoTracesShareLinksNothing() {
        List<SpanData> all = new ArrayList<>(ragTrace(trace(1), 10, "r1", "q", "a"));
        all.addAll(ragTrace(trace(2), 10, "r2", "q", "a"));
        ingest("t", spans(all));
        ImportReport r = ingest("e", evals("r", List.of(EvalResultData.builder("g").spanId(Ids.spanHex(10)).build())));
        assertEquals(0, r.evalLinked());
        assertNull(rows("SELECT trace_id FROM eval_results").get(0).get(0));
    }

    @Test
    void oneSourceMayHoldSpansAndEvalResults() {
        TraceId t = trace(5);
        ImportReport r = ingest("mixed", s -> {
            spans(ragTrace(t, 10, "resp", "q", "a")).run(s);
            int run = s.evalRun(new EvalRunData("inline", "otlp-events", "mixed", null, null, null));
            s.evalResult(run, EvalResultData.builder("groundedness").traceId(t.hex()).spanId(Ids.spanHex(12))
                    .score(1.0).build());
            int other = s.evalRun(new EvalRunData("inline 2", "otlp-events", "mixed", null, null, null));
            s.evalResult(other, EvalResultData.builder("relevance").responseId("resp").score(0.5).build());
            s.evalResult(run, EvalResultData.builder("relevance").traceId(t.hex()).score(0.5).build());
            return new SourceFacts("otlp-json", "sha", 1);
        });
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(3, r.spansAdded());
        assertEquals(2, r.evalRuns());
        assertEquals(3, r.evalResults());
        assertEquals(3, r.evalLinked());
        assertTrue(r.summaryLine().contains("3 spans read, 3 added, 2 eval runs, 3 eval results (3 linked to traces)"),
                r.summaryLine());
        // seq counts within each run
        assertEquals(List.of(List.of("inline", 0, "groundedness"), List.of("inline", 1, "relevance"),
                List.of("inline 2", 0, "relevance")), rows("SELECT name, seq, evaluator FROM eval_results JOIN "
                + "eval_runs USING (run_id) ORDER BY name, seq"));
    }

    @Test
    void aFailedOrCancelledImportStoresNoEvalResults() {
        ImportReport failed = ingest("broken", s -> {
            int run = s.evalRun(new EvalRunData("x", "jsonl", "", null, null, null));
            for (int i = 0; i < 10_000; i++) {
                s.evalResult(run, EvalResultData.builder("g").traceId(trace(i).hex()).score(0.5).build());
            }
            throw new IOException("disk went away");
        });
        assertEquals(ImportReport.Status.FAILED, failed.status());
        CancellationToken cancel = new CancellationToken();
        ImportReport cancelled = ws.ingest("big", -1, s -> {
            int run = s.evalRun(new EvalRunData("y", "jsonl", "", null, null, null));
            for (int i = 0; ; i++) {
                s.evalResult(run, EvalResultData.builder("g").score(0.5).build());
                if (i == 5_000) {
                    cancel.cancel();
                }
                s.checkCancelled();
            }
        }, options(), ProgressListener.NONE, cancel);
        assertEquals(ImportReport.Status.CANCELLED, cancelled.status());
        assertEquals(List.of(List.of(0L, 0L, 0L)), rows("SELECT (SELECT count(*) FROM eval_runs), "
                + "(SELECT count(*) FROM eval_results), (SELECT count(*) FROM imports)"));
    }

    @Test
    void aFailureOfTheWriterAtTheEndStoresNeitherSpansNorEvalResults() {
        ImportReport r = IngestRun.run(ws, "late failure", -1, s -> {
            spans(ragTrace(trace(1), 10, "r", "q", "a")).run(s);
            int run = s.evalRun(new EvalRunData("x", "jsonl", "", null, null, null));
            s.evalResult(run, EvalResultData.builder("g").traceId(trace(1).hex()).build());
            return new SourceFacts("test", "sha", 1);
        }, options(), IngestRun.Tuning.DEFAULT.withProbe(part -> {
            if (part == IngestRun.Part.WRITER) {
                throw new IllegalStateException("disk full");
            }
        }), ProgressListener.NONE, CancellationToken.none());
        assertEquals(ImportReport.Status.FAILED, r.status());
        assertTrue(r.message().contains("disk full"), r.message());
        assertEquals(List.of(List.of(0L, 0L, 0L, 0L)), rows("SELECT (SELECT count(*) FROM spans), "
                + "(SELECT count(*) FROM eval_runs), (SELECT count(*) FROM eval_results), "
                + "(SELECT count(*) FROM imports)"));
    }

    @Test
    void aTimeOutOfRangeIsAWarningAndTheResultIsKeptWithoutIt() {
        ImportReport r = ingest("times", evals("t", List.of(
                EvalResultData.builder("g").location("line 1").timestamp(Instant.MAX).score(0.5).build(),
                EvalResultData.builder("g").location("line 2").timestamp(Instant.parse("9999-12-31T23:59:59Z"))
                        .build())));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(1, r.warnings());
        assertEquals("line 1", r.problems().get(0).location());
        assertTrue(r.problems().get(0).reason().contains("out of range"), r.problems().get(0).reason());
        assertEquals(List.of(List.of("line 1", "-", 0.5), java.util.Arrays.asList("line 2", "9999", null)), rows(
                "SELECT location, coalesce(CAST(year(judged_at AT TIME ZONE 'UTC') AS VARCHAR), '-'), score "
                        + "FROM eval_results ORDER BY seq"));
    }

    @Test
    void aResultForARunTheSessionDidNotStartIsAProgrammingError() {
        ImportReport r = ingest("bad", s -> {
            s.evalResult(3, EvalResultData.builder("g").build());
            return new SourceFacts("t", "s", 1);
        });
        assertEquals(ImportReport.Status.FAILED, r.status());
        assertTrue(r.message().contains("which evalRun did not return"), r.message());
        assertThrows(IllegalArgumentException.class, () -> EvalResultData.builder(" ").build());
    }

    @Test
    void idsAreParsedAsEvalFilesWriteThem() {
        TraceId t = trace(9);
        assertEquals(t, EvalIngest.parseTraceId(t.hex()));
        assertEquals(t, EvalIngest.parseTraceId(" 0x" + t.hex().toUpperCase(Locale.ROOT) + " "));
        assertEquals(t, EvalIngest.parseTraceId(t.uuid().toString()));
        assertEquals(new TraceId(0, 0xabcL), EvalIngest.parseTraceId("0000000000000abc"));
        assertNull(EvalIngest.parseTraceId("abc"));
        assertNull(EvalIngest.parseTraceId(t.hex() + "0"));
        assertEquals(0xabcL, EvalIngest.parseSpanId("0000000000000ABC"));
        assertNull(EvalIngest.parseSpanId("0abc"));
    }
}
