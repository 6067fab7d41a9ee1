package dev.tracebench.core.store;

import static dev.tracebench.core.testing.Spans.resource;
import static dev.tracebench.core.testing.Spans.scope;
import static dev.tracebench.core.testing.Spans.span;
import static dev.tracebench.core.testing.Spans.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.slo.SliSeries;
import dev.tracebench.core.slo.Slo;
import dev.tracebench.core.slo.SloAlert;
import dev.tracebench.core.slo.SloEngine;
import dev.tracebench.core.slo.SloParser;
import dev.tracebench.core.slo.SloService;
import dev.tracebench.core.slo.SloStatus;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.core.testing.Spans;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SLO service over hand-made traffic: 600 requests 10 s apart (100 minutes), alternating between services api and
 * batch. Planted: api requests 240..359 (minutes 40 to 60 of the range) take 3 s instead of 300 ms; every 50th
 * request fails; groundedness is hallucinated on requests 300..419. Expected counts come from the plan here.
 */
class SloServiceTest {
    @TempDir
    static Path dir;
    static Workspace ws;
    static final int N = 600;

    static String service(int n) {
        return n % 2 == 0 ? "api" : "batch";
    }

    static boolean slow(int n) {
        return service(n).equals("api") && n >= 240 && n < 360;
    }

    static boolean failed(int n) {
        return n % 50 == 0;
    }

    static boolean hallucinated(int n) {
        return n >= 300 && n < 420;
    }

    static long tokens(int n) {
        return 100 + (n % 10) * 100 + 50;
    }

    static long startNs(int n) {
        return Spans.T0 + n * 10_000_000_000L;
    }

    @BeforeAll
    static void workspace() {
        ws = Workspace.open(dir.resolve("slo.duckdb"));
        ImportReport r = ws.ingest("traffic", -1, s -> {
            long sc = s.scope(scope("test"));
            long api = s.resource(resource("api"));
            long batch = s.resource(resource("batch"));
            for (int n = 0; n < N; n++) {
                double t0 = n * 10_000.0;
                double dur = slow(n) ? 3000 : 300;
                var t = trace(n);
                long res = service(n).equals("api") ? api : batch;
                s.span(res, sc, span(t, 1, null, "POST /answer", t0, t0 + dur,
                        failed(n) ? StatusCode.ERROR : StatusCode.OK, List.of(Attribute.of("app.tenant.id",
                                n % 3 == 0 ? "t-a" : "t-b"))));
                s.span(res, sc, span(t, 2, 1L, "chat gpt-4o", t0 + 10, t0 + dur - 10, StatusCode.OK, List.of(
                        Attribute.of("gen_ai.operation.name", "chat"), Attribute.of("gen_ai.request.model", "gpt-4o"),
                        Attribute.of("gen_ai.usage.input_tokens", 100 + (n % 10) * 100L),
                        Attribute.of("gen_ai.usage.output_tokens", 50L))));
            }
            return new SourceFacts("test", "slo", 1);
        }, ProgressListener.NONE, CancellationToken.none());
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        List<EvalResultData> results = new ArrayList<>();
        for (int n = 0; n < N; n++) {
            boolean b = hallucinated(n);
            results.add(EvalResultData.builder("groundedness").traceId(trace(n).hex()).score(b ? 0.2 : 0.9)
                    .label(b ? "hallucinated" : "grounded").threshold(0.5).build());
        }
        results.add(EvalResultData.builder("groundedness").exampleId("unlinked").score(0.1).label("hallucinated")
                .build());
        ws.evals().store(new EvalRunData("online", "test-rows", "", null, "{}", null), results, ProgressListener.NONE,
                CancellationToken.none());
    }

    @AfterAll
    static void close() {
        ws.close();
    }

    static Slo slo(String yaml) {
        return SloParser.parse("slos:\n  - " + yaml + "\n", "slo.yaml").slos().get(0);
    }

    /** Per minute since the epoch: {total, good} of the requests meeting `valid`, with `good` good. */
    static TreeMap<Long, long[]> plan(IntPredicate valid, IntPredicate good) {
        TreeMap<Long, long[]> m = new TreeMap<>();
        for (int n = 0; n < N; n++) {
            if (valid.test(n)) {
                long[] c = m.computeIfAbsent(Math.floorDiv(startNs(n), 60_000_000_000L), k -> new long[2]);
                c[0]++;
                c[1] += good.test(n) ? 1 : 0;
            }
        }
        return m;
    }

    static void assertSeries(TreeMap<Long, long[]> expected, SliSeries s) {
        assertEquals(Duration.ofMinutes(1), s.step());
        long first = expected.firstKey();
        assertEquals(Instant.ofEpochSecond(first * 60), s.origin());
        assertEquals(expected.lastKey() - first + 1, s.buckets());
        for (int i = 0; i < s.buckets(); i++) {
            long[] e = expected.getOrDefault(first + i, new long[2]);
            assertEquals(e[0], s.total()[i], "total of minute " + i);
            assertEquals(e[1], s.good()[i], "good of minute " + i);
        }
    }

    @Test
    void latencyOfOneServiceCountsItsRequestsPerMinute() {
        Slo s = slo("{name: api-latency, sli: latency, threshold: 1s, objective: 99%, filter: \"service = 'api'\"}");
        assertTrue(ws.slos().check(s).isEmpty());
        SliSeries series = ws.slos().series(s);
        assertSeries(plan(n -> service(n).equals("api"), n -> !slow(n)), series);
        SloStatus st = SloEngine.evaluate(s, series, null);
        // 300 api requests, 60 of them slow: SLI 0.8; consumed 60 / (300 x 0.01) = 20
        assertEquals(300, st.total());
        assertEquals(240, st.good());
        assertEquals(20.0, st.budgetConsumed(), 1e-9);
        // the alerts fire while the slow requests come in (minutes 40 to 60 of the range) and never before
        Instant from = Instant.ofEpochSecond(0, startNs(240));
        Instant to = Instant.ofEpochSecond(0, startNs(360));
        List<SloAlert> fired = st.timeline().stream().filter(SloAlert::firing).toList();
        assertFalse(fired.isEmpty());
        for (SloAlert a : fired) {
            assertTrue(!a.at().isBefore(from) && !a.at().isAfter(to.plusSeconds(60)), a.toString());
        }
        // the fast page resolves within its short window (5 min) of the last slow request
        SloAlert fastResolved = st.timeline().stream().filter(a -> !a.firing() && a.rule().equals("page-fast"))
                .findFirst().orElseThrow();
        assertTrue(!fastResolved.at().isAfter(to.plus(Duration.ofMinutes(6))), fastResolved.toString());
    }

    @Test
    void availabilityTokensAndCost() {
        Slo av = slo("{name: av, sli: availability, objective: 99.9%}");
        assertSeries(plan(n -> true, n -> !failed(n)), ws.slos().series(av));
        Slo tok = slo("{name: tok, sli: tokens, threshold: 500, objective: 90%}");
        assertSeries(plan(n -> true, n -> tokens(n) <= 500), ws.slos().series(tok));
        SloStatus st = SloEngine.evaluate(tok, ws.slos().series(tok), null);
        // tokens 150, 250, ..., 1050 in turn: 4 of 10 at most 500
        assertEquals(0.4, st.sli(), 1e-9);
        Slo cost = slo("{name: cost, sli: cost, threshold: $100, objective: 99%, filter: \"tenant = 't-a'\"}");
        assertSeries(plan(n -> n % 3 == 0, n -> true), ws.slos().series(cost));
    }

    @Test
    void evalSlisCountResultsAtTheirTracesStart() {
        IntPredicate grounded = n -> !hallucinated(n);
        assertSeries(plan(n -> true, grounded), ws.slos().series(slo(
                "{name: g, sli: eval, evaluator: groundedness, label: Grounded, objective: 98%}")));
        assertSeries(plan(n -> true, grounded), ws.slos().series(slo(
                "{name: g, sli: eval, evaluator: groundedness, good: \"score >= 0.5\", objective: 98%}")));
        assertSeries(plan(n -> true, grounded), ws.slos().series(slo(
                "{name: g, sli: eval, evaluator: groundedness, pass: true, objective: 98%}")));
        assertSeries(plan(n -> service(n).equals("batch"), grounded), ws.slos().series(slo(
                "{name: g, sli: metric, evaluator: groundedness, threshold: 0.5, objective: 98%, "
                        + "filter: \"service_name = 'batch'\"}")));
    }

    @Test
    void checksRefuseWhatCannotRunWithTheField() {
        List<SloService.FieldProblem> p = ws.slos().check(slo(
                "{name: x, sli: latency, threshold: 1s, objective: 99%, filter: \"service = 'api'; DROP TABLE traces\"}"));
        assertEquals(1, p.size());
        assertEquals("filter", p.get(0).field());
        assertTrue(p.get(0).message().contains("one SQL expression"), p.get(0).message());
        p = ws.slos().check(slo("{name: x, sli: availability, objective: 99%, filter: \"servce = 'api'\"}"));
        assertEquals("filter", p.get(0).field());
        assertTrue(p.get(0).message().contains("servce"), p.get(0).message());
        p = ws.slos().check(slo("{name: x, sli: eval, evaluator: grounded, label: grounded, objective: 99%}"));
        assertEquals(List.of(new SloService.FieldProblem("label", "unknown evaluator 'grounded'; the workspace holds "
                + "groundedness.")), p);
        p = ws.slos().check(slo("{name: x, sli: eval, evaluator: groundedness, label: fine, objective: 99%}"));
        assertEquals(List.of(new SloService.FieldProblem("label", "No groundedness result is labelled 'fine'; its "
                + "labels are grounded, hallucinated.")), p);
        p = ws.slos().check(slo("{name: x, sli: eval, evaluator: nope, good: \"score > 0\", objective: 99%}"));
        assertEquals(List.of(new SloService.FieldProblem("evaluator", "unknown evaluator 'nope'; the workspace holds "
                + "groundedness.")), p);
        p = ws.slos().check(slo("{name: x, sli: eval, evaluator: groundedness, good: \"score, label\", "
                + "objective: 99%}"));
        assertEquals("good", p.get(0).field());
    }

    @Test
    void userSqlCannotWrite() {
        Slo s = slo("{name: x, sli: availability, objective: 99%, "
                + "filter: \"(SELECT count(*) FROM read_csv('/etc/passwd')) > 0\"}");
        List<SloService.FieldProblem> p = ws.slos().check(s);
        assertEquals(1, p.size(), p.toString());
        assertEquals("filter", p.get(0).field());
    }

    @Test
    void anEmptySelectionHasNoData() {
        Slo s = slo("{name: x, sli: availability, objective: 99%, filter: \"service = 'nobody'\"}");
        SliSeries series = ws.slos().series(s);
        assertTrue(series.isEmpty());
        assertEquals(SloStatus.State.NO_DATA, SloEngine.evaluate(s, series, null).state());
    }

    /**
     * A percentile SLO over a second workspace: 300 requests 7 s apart (8 or 9 a minute, none in minute 10 of the
     * range), durations spread over 50..499 ms with a 900 ms tail on every third request of minutes 20 to 25. Each
     * minute's p95 is computed here from the planted durations (sorted, linearly interpolated as quantile_cont
     * does): a minute with requests is one event, good when its p95 is at most 480 ms.
     */
    @Test
    void percentileLatencyCountsMinutesWhoseP95IsWithinTheBound(@TempDir Path pdir) {
        IntPredicate planted = n -> n * 7 / 60 != 10;
        IntUnaryOperator ms = n -> n * 7 / 60 >= 20 && n * 7 / 60 < 26 && n % 3 == 0 ? 900 : 50 + n * 97 % 450;
        try (Workspace pw = Workspace.open(pdir.resolve("p.duckdb"))) {
            ImportReport r = pw.ingest("traffic", -1, s -> {
                long sc = s.scope(scope("test"));
                long api = s.resource(resource("api"));
                long batch = s.resource(resource("batch"));
                for (int n = 0; n < 300; n++) {
                    if (planted.test(n)) {
                        double t0 = n * 7_000.0;
                        s.span(n % 2 == 0 ? api : batch, sc, span(trace(n), 1, null, "POST /answer", t0,
                                t0 + ms.applyAsInt(n)));
                    }
                }
                return new SourceFacts("test", "slo", 1);
            }, ProgressListener.NONE, CancellationToken.none());
            assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
            for (String filter : new String[] {null, "service = 'api'"}) {
                IntPredicate valid = filter == null ? planted : n -> planted.test(n) && n % 2 == 0;
                TreeMap<Long, List<Integer>> byMinute = new TreeMap<>();
                for (int n = 0; n < 300; n++) {
                    if (valid.test(n)) {
                        byMinute.computeIfAbsent(Math.floorDiv(Spans.T0 + n * 7_000_000_000L, 60_000_000_000L),
                                k -> new ArrayList<>()).add(ms.applyAsInt(n));
                    }
                }
                TreeMap<Long, long[]> expected = new TreeMap<>();
                int good = 0;
                int bad = 0;
                for (var e : byMinute.entrySet()) {
                    List<Integer> d = e.getValue().stream().sorted().toList();
                    double h = (d.size() - 1) * 0.95;
                    int lo = (int) Math.floor(h);
                    double p95 = lo + 1 < d.size() ? d.get(lo) + (h - lo) * (d.get(lo + 1) - d.get(lo)) : d.get(lo);
                    boolean ok = p95 <= 480;
                    expected.put(e.getKey(), new long[] {1, ok ? 1 : 0});
                    good += ok ? 1 : 0;
                    bad += ok ? 0 : 1;
                }
                // the planting gives both kinds of minute, so the comparison is exercised both ways
                assertTrue(good > 5 && bad > 5, good + " good, " + bad + " bad minutes");
                Slo s = slo("{name: p95, sli: latency, percentile: p95, threshold: 480ms, objective: 99%"
                        + (filter == null ? "" : ", filter: \"" + filter + "\"") + "}");
                assertTrue(pw.slos().check(s).isEmpty());
                SliSeries series = pw.slos().series(s);
                assertSeries(expected, series);
                SloStatus st = SloEngine.evaluate(s, series, null);
                assertEquals(good + bad, st.total());
                assertEquals(good, st.good());
            }
        }
    }

    @Test
    void inventoryForAStarterFile() {
        SloService.Inventory inv = ws.slos().inventory();
        assertEquals(List.of("api", "batch"), inv.services().stream().map(SloService.ServiceInfo::name).toList());
        assertEquals(300, inv.services().get(0).requests());
        // failures: n = 0, 50, ..., 550: all even, so all api
        assertEquals(12, inv.services().get(0).failed());
        assertEquals(3_000_000_000L, inv.services().get(0).p99Ns());
        assertEquals(List.of("gpt-4o"), inv.models());
        assertEquals(1, inv.evaluators().size());
        assertEquals(new SloService.EvaluatorInfo("groundedness", N, List.of("grounded", "hallucinated"), true, true),
                inv.evaluators().get(0));
        assertEquals(1050, inv.tokensP99());
    }
}
