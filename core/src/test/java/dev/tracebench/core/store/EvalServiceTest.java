package dev.tracebench.core.store;

import static dev.tracebench.core.store.EvalIngestTest.ragTrace;
import static dev.tracebench.core.testing.Spans.T0;
import static dev.tracebench.core.testing.Spans.span;
import static dev.tracebench.core.testing.Spans.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.eval.EvalExample;
import dev.tracebench.core.eval.EvalResult;
import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.eval.EvalService;
import dev.tracebench.core.eval.MetricSummary;
import dev.tracebench.core.eval.QualityPoint;
import dev.tracebench.core.eval.RunComparison;
import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.CancelledException;
import dev.tracebench.core.task.ProgressListener;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DuckDbEvalService} against real DuckDB; expected values are counted by hand or computed here. */
class EvalServiceTest {
    @TempDir
    Path dir;
    Workspace ws;
    EvalService evals;

    @BeforeEach
    void open() {
        ws = Workspace.open(dir.resolve("ws.duckdb"));
        evals = ws.evals();
    }

    @AfterEach
    void close() {
        ws.close();
    }

    EvalRun store(String name, Instant created, List<EvalResultData> results) {
        ImportReport r = ws.ingest(name, -1, s -> {
            int run = s.evalRun(new EvalRunData(name, "jsonl", name + ".jsonl", created, null, null));
            for (EvalResultData d : results) {
                s.evalResult(run, d);
            }
            return new SourceFacts("jsonl", "sha", 1);
        }, ProgressListener.NONE, CancellationToken.none());
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        return evals.runs().stream().filter(x -> x.importId() == r.importId()).findFirst().orElseThrow();
    }

    void spans(List<SpanData> spans) {
        ImportReport r = ws.ingest("traces", -1, EvalIngestTest.spans(spans), ProgressListener.NONE,
                CancellationToken.none());
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
    }

    static EvalResultData.Builder result(String evaluator) {
        return EvalResultData.builder(evaluator);
    }

    @Test
    void runsAreListedNewestFirstAndFoundByIdNameOrUniquePrefix() {
        EvalRun a = store("nightly-2026-11-01", Instant.parse("2026-11-01T00:00:00Z"),
                List.of(result("g").score(1.0).build(), result("r").score(0.0).build()));
        EvalRun b = store("nightly-2026-11-02", Instant.parse("2026-11-02T00:00:00Z"),
                List.of(result("g").score(1.0).build()));
        EvalRun c = store("adhoc", null, List.of()); // no time of its own: when it was imported (now), the newest
        assertEquals(List.of(c.id(), b.id(), a.id()), evals.runs().stream().map(EvalRun::id).toList());
        assertEquals(2, a.results());
        assertEquals(List.of("g", "r"), a.evaluators());
        assertEquals(0, c.results());
        assertEquals(b, evals.run(String.valueOf(b.id())).orElseThrow());
        assertEquals(a, evals.run("nightly-2026-11-01").orElseThrow());
        assertEquals(c, evals.run("adh").orElseThrow());
        assertTrue(evals.run("nightly").isEmpty(), "a prefix two runs share names neither");
        assertTrue(evals.run("999").isEmpty());
        assertEquals(List.of("g", "r"), evals.evaluators());
    }

    @Test
    void metricsCountVerdictsScoresAndLabels() {
        double[] scores = {0.05, 0.15, 0.15, 0.5, 0.95, 1.0};
        List<EvalResultData> rows = new ArrayList<>();
        for (double s : scores) {
            rows.add(result("groundedness").score(s).threshold(0.5).label(s >= 0.5 ? "grounded" : "hallucinated")
                    .build());
        }
        rows.add(result("groundedness").score(Double.NaN).label("judge failed").build()); // the judge failed
        rows.add(result("format").passed(true).build());
        rows.add(result("format").passed(false).score(0.9).threshold(0.5).build()); // the stored verdict wins
        rows.add(result("format").build()); // no verdict at all
        EvalRun run = store("m", null, rows);
        List<MetricSummary> m = evals.metrics(run.id(), 4);
        assertEquals(List.of("format", "groundedness"), m.stream().map(MetricSummary::evaluator).toList());

        MetricSummary format = m.get(0);
        assertEquals(3, format.count());
        assertEquals(1, format.passed());
        assertEquals(1, format.failed());
        assertEquals(0.5, format.passRate());
        assertEquals(0.9, format.mean());

        MetricSummary g = m.get(1);
        assertEquals(7, g.count());
        assertEquals(3, g.passed()); // 0.5, 0.95, 1.0
        assertEquals(3, g.failed());
        assertEquals((0.05 + 0.15 + 0.15 + 0.5 + 0.95 + 1.0) / 6, g.mean(), 1e-12);
        assertEquals(0.05, g.min());
        assertEquals(1.0, g.max());
        // 4 bins over [0.05, 1.0] of width 0.2375: [0.05, 0.2875) 3, [0.2875, 0.525) 1, [0.525, 0.7625) 0,
        // [0.7625, 1.0] 2
        assertEquals(List.of(3L, 1L, 0L, 2L), g.histogram());
        // most frequent first, ties by name
        assertEquals(List.of("grounded", "hallucinated", "judge failed"), List.copyOf(g.labels().keySet()));
        assertEquals(List.of(3L, 3L, 1L), List.copyOf(g.labels().values()));
        assertThrows(IllegalArgumentException.class, () -> evals.metrics(run.id(), 0));
    }

    @Test
    void examplesTakeTheirTextsFromTheResultsElseFromTheLinkedTrace() {
        TraceId t1 = trace(1);
        TraceId t2 = trace(2);
        List<SpanData> all = new ArrayList<>(ragTrace(t1, 10, "resp-1", "Capital of France?", "Paris."));
        all.addAll(ragTrace(t2, 20, "resp-2", "Where is France?", "In Europe."));
        spans(all);
        EvalRun run = store("ex", null, List.of(
                result("groundedness").traceId(t1.hex()).score(0.9).passed(true).build(),
                result("relevance").traceId(t1.hex()).score(0.8).passed(true).build(),
                result("groundedness").traceId(t2.hex()).score(0.1).passed(false).explanation("unsupported")
                        .metadataJson("{\"unsupported_claims\":[\"France is in Asia.\"]}").build(),
                result("groundedness").exampleId("golden-7").input("What is 2+2?").output("5").expected("4")
                        .contexts(List.of("2+2=4")).score(0.0).passed(false).build(),
                result("relevance").input("free text question").output("an answer").score(0.7).build()));

        List<EvalExample> inOrder = evals.examples(run.id(), null, false, 0, 10);
        assertEquals(List.of(t1.hex(), t2.hex(), "golden-7", "free text question"),
                inOrder.stream().map(EvalExample::key).toList());
        EvalExample first = inOrder.get(0);
        assertEquals(t1, first.traceId());
        assertEquals(12, first.spanId()); // the model call, found in the trace
        assertEquals("Capital of France?", first.question());
        assertEquals("Paris.", first.answer());
        assertEquals(List.of("Paris is the capital of France.", "France is in Europe."), first.contexts());
        assertEquals(List.of("groundedness", "relevance"), first.verdicts().stream().map(EvalResult::evaluator)
                .toList());
        EvalExample second = inOrder.get(1);
        assertEquals(List.of("France is in Asia."), second.unsupported());
        EvalExample golden = inOrder.get(2);
        assertNull(golden.traceId());
        assertEquals("What is 2+2?", golden.question());
        assertEquals("5", golden.answer());
        assertEquals("4", golden.expected());
        assertEquals(List.of("2+2=4"), golden.contexts());

        // failing first, then in file order; paging; only examples with a result of an evaluator
        assertEquals(List.of(t2.hex(), "golden-7", t1.hex(), "free text question"),
                evals.examples(run.id(), null, true, 0, 10).stream().map(EvalExample::key).toList());
        assertEquals(List.of("golden-7", t1.hex()), evals.examples(run.id(), null, true, 1, 2).stream()
                .map(EvalExample::key).toList());
        assertEquals(List.of(t1.hex(), "free text question"), evals.examples(run.id(), "relevance", false, 0, 10)
                .stream().map(EvalExample::key).toList());
        assertEquals(List.of(), evals.examples(run.id(), "nope", false, 0, 10));
    }

    @Test
    void resultsForATraceComeFromEveryRun() {
        TraceId t = trace(4);
        spans(ragTrace(t, 10, "resp", "q", "a"));
        EvalRun a = store("a", null, List.of(result("g").traceId(t.hex()).spanId(Ids.spanHex(12)).score(0.5)
                .threshold(0.6).judgeModel("judge").build(), result("g").traceId(trace(5).hex()).build()));
        EvalRun b = store("b", null, List.of(result("r").responseId("resp").label("ok").build()));
        List<EvalResult> rs = evals.resultsForTrace(t);
        assertEquals(2, rs.size());
        EvalResult first = rs.get(0);
        assertEquals(a.id(), first.runId());
        assertEquals("a", first.runName());
        assertEquals(t, first.traceId());
        assertEquals(12, first.spanId());
        assertEquals("trace_id", first.linkedBy());
        assertEquals(Boolean.FALSE, first.verdict()); // 0.5 under its threshold 0.6
        assertEquals("judge", first.judgeModel());
        assertEquals(b.id(), rs.get(1).runId());
        assertEquals("response_id", rs.get(1).linkedBy());
        assertEquals(12, rs.get(1).spanId());
        assertEquals(List.of(), evals.resultsForTrace(trace(5)), "not in the workspace: not linked");
        assertEquals(1, a.linked());
    }

    @Test
    void qualityOverTimePlacesResultsAtTheirTraceElseWhenJudged() {
        // traces starting at 0, 10, 25, 30 s; one result judged at 40 s without a trace
        List<SpanData> all = new ArrayList<>();
        int[] startsMs = {0, 10_000, 25_000, 30_000};
        for (int i = 0; i < 4; i++) {
            all.add(span(trace(i), 1, null, "root", startsMs[i], startsMs[i] + 5));
        }
        spans(all);
        Instant judged = Instant.ofEpochSecond(0, T0 + 40_000_000_000L);
        store("t", null, List.of(
                result("g").traceId(trace(0).hex()).score(1.0).passed(true).build(),
                result("g").traceId(trace(1).hex()).score(0.0).passed(false).build(),
                result("g").traceId(trace(2).hex()).score(0.5).passed(true).build(),
                result("g").traceId(trace(3).hex()).score(0.5).passed(false).build(),
                result("g").timestamp(judged).score(1.0).build(),
                result("other").traceId(trace(0).hex()).passed(true).build()));
        List<QualityPoint> p = evals.overTime("g", 2);
        assertEquals(2, p.size());
        // two buckets of 20 s: traces 0 and 1; traces 2, 3 and the result judged at 40 s
        assertEquals(T0, p.get(0).fromNs());
        assertEquals(T0 + 40_000_000_001L, p.get(1).toNs());
        assertEquals(2, p.get(0).count());
        assertEquals(0.5, p.get(0).passRate());
        assertEquals(0.5, p.get(0).mean());
        assertEquals(3, p.get(1).count());
        assertEquals(0.5, p.get(1).passRate()); // the judged-only result has no verdict
        assertEquals(2.0 / 3, p.get(1).mean(), 1e-12);
        // every result with a verdict: 4 of g and 1 of other
        List<QualityPoint> any = evals.overTime(null, 1);
        assertEquals(5, any.get(0).count());
        assertEquals(3.0 / 5, any.get(0).passRate(), 1e-12);
        assertEquals(List.of(), evals.overTime("nope", 3));
    }

    @Test
    void compareGivesTheDeltaOfMeansWithABootstrapIntervalAndTheChangedExamples() {
        // 400 examples paired by trace id; B = A - 0.05 + noise, so the true mean change is known
        Random rnd = new Random(42);
        List<EvalResultData> a = new ArrayList<>();
        List<EvalResultData> b = new ArrayList<>();
        double sumDiff = 0;
        double sumSq = 0;
        int n = 400;
        for (int i = 0; i < n; i++) {
            double sa = 0.5 + 0.3 * rnd.nextGaussian();
            double sb = sa - 0.05 + 0.1 * rnd.nextGaussian();
            sumDiff += sb - sa;
            sumSq += (sb - sa) * (sb - sa);
            String id = trace(1000 + i).hex();
            a.add(result("groundedness").traceId(id).score(sa).build());
            b.add(result("groundedness").traceId(id).score(sb).build());
        }
        // pass/fail paired by example id, then by input text
        a.add(result("format").exampleId("e1").passed(true).build());
        b.add(result("format").exampleId("e1").passed(false).build());
        a.add(result("format").exampleId("e2").passed(false).build());
        b.add(result("format").exampleId("e2").passed(true).build());
        a.add(result("format").input("same question").passed(true).build());
        b.add(result("format").input("same question").passed(true).build());
        a.add(result("format").input("only in A").passed(true).build());
        b.add(result("format").input("only in B").passed(false).build());
        EvalRun ra = store("A", null, a);
        EvalRun rb = store("B", null, b);
        RunComparison c = evals.compare(ra.id(), rb.id(), CancellationToken.none());
        assertEquals(ra, c.a());
        assertEquals(rb, c.b());
        assertEquals(List.of("format", "groundedness"), c.metrics().stream().map(RunComparison.MetricDelta::evaluator)
                .toList());

        RunComparison.MetricDelta f = c.metrics().get(0);
        assertEquals(3, f.paired());
        assertEquals(2.0 / 3, f.passRateA(), 1e-12); // e1, same question
        assertEquals(2.0 / 3, f.passRateB(), 1e-12); // e2, same question
        assertEquals(List.of("e1"), c.regressed().stream().filter(x -> x.evaluator().equals("format"))
                .map(RunComparison.ExampleChange::key).toList());
        assertEquals(List.of("e2"), c.fixed().stream().filter(x -> x.evaluator().equals("format"))
                .map(RunComparison.ExampleChange::key).toList());

        RunComparison.MetricDelta g = c.metrics().get(1);
        assertEquals(n, g.paired());
        double meanDiff = sumDiff / n;
        assertEquals(meanDiff, g.delta(), 1e-9);
        assertEquals(meanDiff, g.meanB() - g.meanA(), 1e-9);
        assertTrue(g.ciLow() < -0.05 && -0.05 < g.ciHigh(), "the interval holds the true change: " + g);
        assertTrue(g.significant());
        // its width against the normal approximation 2 * 1.96 * sd / sqrt(n)
        double sd = Math.sqrt((sumSq - n * meanDiff * meanDiff) / (n - 1));
        double normalWidth = 2 * 1.96 * sd / Math.sqrt(n);
        double width = g.ciHigh() - g.ciLow();
        assertTrue(Math.abs(width - normalWidth) / normalWidth < 0.15, width + " vs " + normalWidth);
        // the same runs give the same interval (fixed seed)
        RunComparison again = evals.compare(ra.id(), rb.id(), CancellationToken.none());
        assertEquals(g, again.metrics().get(1));
        // without verdicts, an example regressed when its score fell by more than 5% of the metric's range
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            lo = Math.min(lo, Math.min(a.get(i).score(), b.get(i).score()));
            hi = Math.max(hi, Math.max(a.get(i).score(), b.get(i).score()));
        }
        long fell = 0;
        long rose = 0;
        for (int i = 0; i < n; i++) {
            double d = b.get(i).score() - a.get(i).score();
            fell += d < -0.05 * (hi - lo) ? 1 : 0;
            rose += d > 0.05 * (hi - lo) ? 1 : 0;
        }
        assertEquals(fell, c.regressed().stream().filter(x -> x.evaluator().equals("groundedness")).count());
        assertEquals(rose, c.fixed().stream().filter(x -> x.evaluator().equals("groundedness")).count());
        // the largest fall first
        RunComparison.ExampleChange worst = c.regressed().get(0);
        for (RunComparison.ExampleChange x : c.regressed()) {
            if (x.scoreA() != null) {
                assertTrue(worst.scoreA() - worst.scoreB() >= x.scoreA() - x.scoreB() - 1e-12);
            }
        }

        CancellationToken cancelled = new CancellationToken();
        cancelled.cancel();
        assertThrows(CancelledException.class, () -> evals.compare(ra.id(), rb.id(), cancelled));
        assertThrows(IllegalArgumentException.class, () -> evals.compare(ra.id(), 999, CancellationToken.none()));
    }

    @Test
    void runsThatJudgedTheSameExamplesTheSameWayChangeNothing() {
        List<EvalResultData> rows = List.of(result("g").exampleId("x").score(0.4).build(),
                result("g").exampleId("y").score(0.9).build());
        RunComparison c = evals.compare(store("A", null, rows).id(), store("B", null, rows).id(),
                CancellationToken.none());
        RunComparison.MetricDelta g = c.metrics().get(0);
        assertEquals(0.0, g.delta());
        assertEquals(0.0, g.ciLow());
        assertEquals(0.0, g.ciHigh());
        assertFalse(g.significant());
        assertEquals(List.of(), c.regressed());
        assertEquals(List.of(), c.fixed());
    }

    @Test
    void aScoreThatFellFarRegressesEvenWhenTheVerdictHeld() {
        RunComparison c = evals.compare(store("A", null, List.of(
                result("g").exampleId("fell").score(0.9).threshold(0.5).build(),
                result("g").exampleId("flipped").score(0.6).threshold(0.5).build(),
                result("g").exampleId("jitter").score(0.0).threshold(0.5).build(),
                result("g").exampleId("rose").score(0.1).threshold(0.5).build())).id(),
                store("B", null, List.of(
                        result("g").exampleId("fell").score(0.55).threshold(0.5).build(),
                        result("g").exampleId("flipped").score(0.58).passed(false).build(),
                        result("g").exampleId("jitter").score(0.04).threshold(0.5).build(),
                        result("g").exampleId("rose").score(0.45).threshold(0.5).build())).id(),
                CancellationToken.none());
        // range 0..0.9: a move counts past 0.045; "flipped" moved 0.02 but its verdict went from pass to fail
        assertEquals(List.of("fell", "flipped"), c.regressed().stream().map(RunComparison.ExampleChange::key).toList());
        assertEquals(List.of("rose"), c.fixed().stream().map(RunComparison.ExampleChange::key).toList());
        assertEquals(0.5, c.metrics().get(0).passRateA()); // fell, flipped
        assertEquals(0.25, c.metrics().get(0).passRateB()); // fell
    }

    @Test
    void inputsOfACohortComeFromTheTracesSpans() {
        TraceId t1 = trace(1);
        TraceId t2 = trace(2);
        TraceId plain = trace(3);
        List<SpanData> all = new ArrayList<>(ragTrace(t1, 10, "r1", "Capital of France?", "Paris."));
        all.addAll(ragTrace(t2, 20, "r2", "Where is France?", "In Europe."));
        all.add(span(plain, 30, null, "GET /health", 0, 1)); // no model call: left out
        spans(all);
        List<EvalService.TraceEvalInput> in = evals.inputs(Cohort.all(), 10, CancellationToken.none());
        assertEquals(2, in.size());
        assertEquals(t1, in.get(0).traceId());
        assertEquals(12, in.get(0).spanId());
        assertEquals("Capital of France?", in.get(0).input().question());
        assertEquals("Paris.", in.get(0).input().answer());
        assertEquals(List.of("Paris is the capital of France.", "France is in Europe."), in.get(0).input().contexts());
        assertEquals("In Europe.", in.get(1).input().answer());
        assertEquals(1, evals.inputs(Cohort.all(), 1, CancellationToken.none()).size());
        assertEquals(List.of(t2), evals.inputs(Cohort.filter("trace_id = '" + t2.uuid() + "'"), 10,
                CancellationToken.none()).stream().map(EvalService.TraceEvalInput::traceId).toList());
    }

    @Test
    void anEvaluatorRunIsStoredAsOneImport() {
        TraceId t = trace(1);
        spans(ragTrace(t, 10, "r", "q", "a"));
        EvalRun run = evals.store(new EvalRunData("evaluators 2026-12-06 11:02", "tracebench-evaluators", "", null,
                "{\"evaluators\":[\"groundedness\"]}", "1"), List.of(result("groundedness").traceId(t.hex())
                .spanId(Ids.spanHex(12)).score(1.0).label("grounded").build()), ProgressListener.NONE,
                CancellationToken.none());
        assertEquals("evaluators 2026-12-06 11:02", run.name());
        assertEquals(1, run.results());
        assertEquals(1, run.linked());
        assertEquals(List.of("groundedness"), run.evaluators());
        List<List<Object>> imports = ws.console().run("SELECT file, format, spans_read FROM imports WHERE import_id = "
                + run.importId(), 10).rows();
        assertEquals(List.of(List.of("evaluators 2026-12-06 11:02", "tracebench-evaluators", 0L)), imports);

        CancellationToken cancel = new CancellationToken();
        cancel.cancel();
        assertThrows(CancelledException.class, () -> evals.store(new EvalRunData("x", "tracebench-evaluators", "",
                null, null, null), List.of(result("g").build()), ProgressListener.NONE, cancel));
        assertEquals(1, evals.runs().size());
    }

    @Test
    void unsupportedClaimsAreReadFromMetadataOnly() {
        assertEquals(List.of("a", "b"), DuckDbEvalService.unsupportedClaims("{\"unsupported\":[\"a\",\"b\",3]}"));
        assertEquals(List.of(), DuckDbEvalService.unsupportedClaims("{\"claims\":[\"a\"]}"));
        assertEquals(List.of(), DuckDbEvalService.unsupportedClaims("not json"));
        assertEquals(List.of(), DuckDbEvalService.unsupportedClaims(null));
    }
}
