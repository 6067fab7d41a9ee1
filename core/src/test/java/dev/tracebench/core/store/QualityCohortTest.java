package dev.tracebench.core.store;

import static dev.tracebench.core.testing.Spans.resource;
import static dev.tracebench.core.testing.Spans.scope;
import static dev.tracebench.core.testing.Spans.span;
import static dev.tracebench.core.testing.Spans.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Dimension;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.GroupBy;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.QueryRefusedException;
import dev.tracebench.core.query.TraceFilter;
import dev.tracebench.core.query.TraceSort;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quality cohorts over hand-made traces and eval results: each form selects exactly the traces the planted results
 * say (counted here from the plan, not by SQL), combines with the other cohort tools, refuses what the workspace cannot
 * answer with a message naming what it holds, and root cause on a planted cause names it in words about answers.
 */
class QualityCohortTest {
    @TempDir
    Path dir;

    static final int N = 400;
    static final String[] TENANTS = {"t-a", "t-b", "t-c", "t-bad"};

    static String tenant(int n) {
        return TENANTS[n % 4];
    }

    /** Planted: half of t-bad's retrievals come back empty. */
    static boolean empty(int n) {
        return n % 8 == 7;
    }

    /** Every trace but one in five was evaluated. */
    static boolean evaluated(int n) {
        return n % 5 != 0;
    }

    static double relevance(int n) {
        return (n % 10) / 10.0;
    }

    /** Requests with retrieval and a model call; a trace with no documents spends longer in retrieval. */
    private Workspace workspace(String name) {
        Workspace ws = Workspace.open(dir.resolve(name + ".duckdb"));
        ImportReport r = ws.ingest("traffic", -1, s -> {
            long sc = s.scope(scope("test"));
            long res = s.resource(resource("rag-api"));
            for (int n = 0; n < N; n++) {
                for (SpanData sp : request(n)) {
                    s.span(res, sc, sp);
                }
            }
            return new SourceFacts("test", name, 1);
        }, ProgressListener.NONE, CancellationToken.none());
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        return ws;
    }

    private static List<SpanData> request(int n) {
        TraceId t = trace(n);
        double t0 = n * 1000.0;
        double retrieval = empty(n) ? 900 : 80 + n % 7;
        List<SpanData> spans = new ArrayList<>();
        spans.add(span(t, 1, null, "POST /answer", t0, t0 + retrieval + 420, StatusCode.OK, List.of(
                Attribute.of("http.route", "/answer"), Attribute.of("app.tenant.id", tenant(n)))));
        spans.add(span(t, 2, 1L, "retrieval kb", t0 + 1, t0 + 1 + retrieval, StatusCode.OK, List.of(
                Attribute.of("gen_ai.operation.name", "retrieval"),
                Attribute.of("db.vector.query.result_count", empty(n) ? 0L : 5L))));
        spans.add(span(t, 3, 1L, "chat gpt-4o", t0 + retrieval + 2, t0 + retrieval + 400, StatusCode.OK, List.of(
                Attribute.of("gen_ai.operation.name", "chat"), Attribute.of("gen_ai.request.model", "gpt-4o"))));
        return spans;
    }

    /**
     * groundedness (score, label, verdict) on every evaluated trace, hallucinated where {@code bad}; relevance (score
     * only); toxicity (label and verdict, always passed); a result linked to no trace; one linked to a trace the
     * workspace does not hold.
     */
    /** Stores {@code results} as one run, through the store's own path (an imports row, linked by trace id). */
    private static void store(Workspace ws, List<EvalResultData> results) {
        ws.evals().store(new EvalRunData("online", "test-rows", "", null, "{}", null), results, ProgressListener.NONE,
                CancellationToken.none());
    }

    private static List<EvalResultData> results(IntPredicate bad) {
        List<EvalResultData> out = new ArrayList<>();
        for (int n = 0; n < N; n++) {
            if (!evaluated(n)) {
                continue;
            }
            String id = trace(n).hex();
            boolean b = bad.test(n);
            out.add(EvalResultData.builder("groundedness").traceId(id).score(b ? 0.1 : 0.9)
                    .label(b ? "hallucinated" : "grounded").passed(!b).threshold(0.5).build());
            out.add(EvalResultData.builder("relevance").traceId(id).score(relevance(n)).build());
            out.add(EvalResultData.builder("toxicity").traceId(id).label("non_toxic").passed(true).build());
        }
        out.add(EvalResultData.builder("groundedness").exampleId("golden-17").score(0.2).label("hallucinated")
                .passed(false).build());
        out.add(EvalResultData.builder("ghost").traceId("ffffffffffffffffffffffffffffffff").score(0.3).build());
        return out;
    }

    private static long planned(IntPredicate p) {
        return IntStream.range(0, N).filter(p).count();
    }

    private static long count(Workspace ws, String cohort) {
        return ws.analysis().count(Cohort.parse(cohort));
    }

    @Test
    void eachFormSelectsThePlantedTraces() {
        try (Workspace ws = workspace("forms")) {
            store(ws, results(QualityCohortTest::empty));
            long hallucinated = planned(n -> evaluated(n) && empty(n));
            assertTrue(hallucinated > 20);
            assertEquals(hallucinated, count(ws, "eval:groundedness=hallucinated"));
            assertEquals(hallucinated, count(ws, "eval:GROUNDEDNESS=Hallucinated"), "names and labels: any case");
            assertEquals(hallucinated, count(ws, "eval:groundedness=\"hallucinated\""));
            assertEquals(hallucinated, count(ws, "eval:groundedness=fail"));
            assertEquals(hallucinated, count(ws, "eval:groundedness<0.5"));
            assertEquals(hallucinated, count(ws, "eval:any-fail"), "only groundedness ever fails");
            assertEquals(planned(QualityCohortTest::evaluated) - hallucinated, count(ws, "eval:groundedness=pass"));
            assertEquals(planned(n -> evaluated(n) && relevance(n) < 0.5), count(ws, "eval:relevance<0.5"));
            assertEquals(planned(n -> evaluated(n) && relevance(n) <= 0.5), count(ws, "eval:relevance<=0.5"));
            assertEquals(planned(n -> evaluated(n) && relevance(n) > 0.7), count(ws, "eval:relevance>0.7"));
            assertEquals(planned(n -> evaluated(n) && relevance(n) >= 0.7), count(ws, "eval:relevance >= 0.7"));
            assertEquals(planned(n -> evaluated(n) && n % 10 == 3), count(ws, "eval:relevance=0.3"));
            assertEquals(planned(QualityCohortTest::evaluated), count(ws, "eval:toxicity=non_toxic"));
            assertEquals(0, count(ws, "eval:toxicity=fail"), "a cohort the data could fill, empty: no error");

            // combined with the other cohort tools: narrowing by a group, a SQL condition, the trace list
            Cohort bad = Cohort.parse("eval:groundedness=hallucinated");
            assertEquals(planned(n -> evaluated(n) && n % 16 == 3 && relevance(n) < 0.5), ws.analysis().count(
                    Cohort.parse("eval:relevance<0.5").and("trace_hex(trace_id) LIKE '%3'")));
            assertEquals(0, ws.analysis().count(bad.excluding(GroupBy.of(Dimension.TENANT), List.of("t-bad"))));
            assertEquals(hallucinated, ws.analysis().count(bad.within(GroupBy.of(Dimension.TENANT),
                    List.of("t-bad"))));
            TraceFilter listed = new TraceFilter("", List.of(), 0, false, bad);
            assertEquals(hallucinated, ws.traces().countTraces(listed));
            assertTrue(ws.traces().traces(listed, TraceSort.NEWEST_FIRST, 0, 500).stream().allMatch(t -> empty(
                    (int) (t.traceId().lo() - 0x2222_0000_0000_0000L))));
            assertEquals(hallucinated, ws.analysis().breakdown(bad, GroupBy.NONE).overall().traces());
        }
    }

    @Test
    void whatTheWorkspaceCannotAnswerIsRefusedWithWhatItHolds() {
        try (Workspace ws = workspace("refusals")) {
            QueryRefusedException none = assertThrows(QueryRefusedException.class,
                    () -> count(ws, "eval:groundedness=hallucinated"));
            assertTrue(none.getMessage().contains("holds no eval results"), none.getMessage());
            store(ws, results(QualityCohortTest::empty));
            assertEquals("unknown evaluator 'grounded'; the workspace holds ghost, groundedness, relevance, toxicity.",
                    assertThrows(QueryRefusedException.class, () -> count(ws, "eval:grounded=hallucinated"))
                            .getMessage());
            assertEquals("No groundedness result is labelled 'halucinated'; its labels are grounded, hallucinated.",
                    assertThrows(QueryRefusedException.class, () -> count(ws, "eval:groundedness=halucinated"))
                            .getMessage());
            String noVerdict = assertThrows(QueryRefusedException.class, () -> count(ws, "eval:relevance=fail"))
                    .getMessage();
            assertTrue(noVerdict.startsWith("relevance results carry no pass/fail verdict") && noVerdict.contains(
                    "eval:relevance<0.5"), noVerdict);
            String noScore = assertThrows(QueryRefusedException.class, () -> count(ws, "eval:toxicity<0.5"))
                    .getMessage();
            assertTrue(noScore.startsWith("toxicity results have no scores") && noScore.contains("non_toxic"), noScore);
            String unlinked = assertThrows(QueryRefusedException.class, () -> count(ws, "eval:ghost<0.5"))
                    .getMessage();
            assertTrue(unlinked.startsWith("None of the 1 ghost results is linked to a trace"), unlinked);
            // every path that takes a cohort checks it: the trace list and the analyses too
            assertThrows(QueryRefusedException.class, () -> ws.traces().countTraces(new TraceFilter("", List.of(), 0,
                    false, Cohort.parse("eval:grounded=x"))));
            assertThrows(QueryRefusedException.class, () -> ws.analysis().explain(Cohort.parse("eval:grounded=x"),
                    CheckSettings.DEFAULTS, CancellationToken.none()));
            // user text stays data: a quote in a label is a label that does not exist, not SQL
            assertTrue(assertThrows(QueryRefusedException.class, () -> count(ws,
                    "eval:groundedness=x')) OR TRUE OR ((1=1")).getMessage().contains("is labelled"));
        }
    }

    @Test
    void rootCauseNamesThePlantedCauseInWordsAboutAnswers() {
        try (Workspace ws = workspace("planted")) {
            store(ws, results(QualityCohortTest::empty));
            List<Finding> findings = ws.analysis().explain(Cohort.parse("eval:groundedness=hallucinated"),
                    CheckSettings.DEFAULTS, CancellationToken.none());
            Finding top = findings.get(0);
            assertTrue(top.aboutCohort());
            assertTrue(top.severity().compareTo(Severity.WARNING) >= 0, top.summary());
            // every hallucinated answer retrieved nothing and came from t-bad; of the other answers groundedness
            // judged (not the unevaluated traces) none retrieved nothing, a third came from t-bad
            assertTrue(top.summary().startsWith("100% of hallucinated answers "), top.summary());
            assertTrue(top.summary().contains("retrieved no documents") || top.summary().contains("t-bad"),
                    top.summary());
            long others = planned(QualityCohortTest::evaluated) - planned(n -> evaluated(n) && empty(n));
            assertEquals(others, top.evidence().restTraces(), "compared with the other judged answers");
            assertTrue(top.explanation().contains("other answers groundedness judged"), top.explanation());
            assertNull(top.evidence().cost(), "a bad answer's cause costs no time");
            String all = findings.stream().map(f -> f.summary() + f.supporting()).toList().toString();
            assertTrue(all.contains("retrieved no documents"), all);
            // their retrievals were slow too, but time is not why an answer is bad
            assertFalse(all.contains("spent more than"), all);
            assertTrue(findings.stream().allMatch(Finding::aboutCohort), "no latency checks on answers: " + all);
            assertEquals("hallucinated answers (groundedness = hallucinated)",
                    Cohort.parse("eval:groundedness=hallucinated").label());
        }
    }

    @Test
    void hallucinationsUnrelatedToAnythingRaiseNoFinding() {
        try (Workspace ws = workspace("clean")) {
            Random rnd = new Random(11);
            boolean[] bad = new boolean[N];
            for (int n = 0; n < N; n++) {
                bad[n] = rnd.nextDouble() < 0.12;
            }
            store(ws, results(n -> bad[n]));
            assertTrue(count(ws, "eval:groundedness=hallucinated") > 20);
            List<Finding> findings = ws.analysis().explain(Cohort.parse("eval:groundedness=hallucinated"),
                    CheckSettings.DEFAULTS, CancellationToken.none());
            for (Finding f : findings) {
                assertTrue(f.severity().compareTo(Severity.WARNING) < 0, f.severity() + ": " + f.summary());
            }
        }
    }
}
