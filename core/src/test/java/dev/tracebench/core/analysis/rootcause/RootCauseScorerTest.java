package dev.tracebench.core.analysis.rootcause;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.analysis.TraceAnalyzer;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.report.FindingsWriter;
import dev.tracebench.core.task.CancellationToken;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The root-cause scorer on hand-made samples: each test plants a property in the cohort and checks the findings
 * against counts worked out here, not by the scorer.
 */
class RootCauseScorerTest {
    private static final int INFERENCE = TraceAnalyzer.STAGES.indexOf("inference");
    private static final int RETRIEVAL = TraceAnalyzer.STAGES.indexOf("retrieval");
    private static final long MS = 1_000_000L;

    /** One hand-made trace: its side, duration, time in retrieval, trace facts and the attributes of two spans. */
    private static final class T {
        final boolean cohort;
        final long durationMs;
        long retrievalMs;
        final Map<String, String> dims = new HashMap<>();
        final List<Attribute> root = new ArrayList<>();
        final List<Attribute> retrieval = new ArrayList<>();
        final List<Attribute> call = new ArrayList<>();
        final List<Attribute> resource = new ArrayList<>();
        int retries;

        T(boolean cohort, long durationMs) {
            this.cohort = cohort;
            this.durationMs = durationMs;
            dims.put("root_name", "POST /chat");
        }
    }

    /** Traces of a cohort ({@code cohort} of them) and of the rest ({@code rest}), built by {@code plant}. */
    private static List<T> traces(int cohort, int rest, java.util.function.BiConsumer<T, Integer> plant) {
        List<T> out = new ArrayList<>();
        Random r = new Random(7);
        for (int i = 0; i < cohort + rest; i++) {
            boolean c = i < cohort;
            T t = new T(c, c ? 3000 + r.nextInt(1000) : 800 + r.nextInt(400));
            t.retrievalMs = 50 + r.nextInt(20);
            plant.accept(t, c ? i : i - cohort);
            out.add(t);
        }
        return out;
    }

    private static TraceId id(int i) {
        return new TraceId(0x5151_0000L + i, 0x7777_0000L + i);
    }

    /** The spans of trace {@code i}: a root, a retrieval span (id 2) and a model call (id 3). */
    private static List<SpanRow> spans(T t) {
        return List.of(
                new SpanRow(1, null, t.dims.get("root_name"), null, 1, t.root, t.resource, null, null, null, null,
                        false, t.durationMs * MS),
                new SpanRow(2, 1L, "vector search", "retrieval", 1, t.retrieval, t.resource, null, null, null, null,
                        false, t.retrievalMs * MS),
                new SpanRow(3, 1L, "chat", "inference", 1, t.call, t.resource, t.dims.get("model"),
                        t.dims.get("model_version"), null, t.retries > 0 ? 2 : 1, false,
                        (t.durationMs - t.retrievalMs) * MS));
    }

    private static List<Finding> explain(Cohort cohort, List<T> traces) {
        return explain(cohort, traces, CheckSettings.DEFAULTS);
    }

    private static List<Finding> explain(Cohort cohort, List<T> traces, CheckSettings settings) {
        int nC = (int) traces.stream().filter(t -> t.cohort).count();
        TraceSample s = new TraceSample(nC, traces.size() - nC, nC, traces.size() - nC);
        Map<TraceId, List<SpanRow>> rows = new HashMap<>();
        for (int i = 0; i < traces.size(); i++) {
            T t = traces.get(i);
            long[] stages = new long[TraceAnalyzer.STAGES.size()];
            stages[RETRIEVAL] = t.retrievalMs * MS;
            stages[INFERENCE] = (t.durationMs - t.retrievalMs) * MS;
            String[] dims = new String[TraceSample.DIMENSIONS.size()];
            for (int d = 0; d < dims.length; d++) {
                dims[d] = t.dims.get(TraceSample.DIMENSIONS.get(d));
            }
            double[] facts = new double[TraceSample.FACTS.size()];
            Arrays.fill(facts, 0);
            facts[TraceSample.FACTS.indexOf("retries")] = t.retries;
            facts[TraceSample.FACTS.indexOf("error_count")] = t.retries;
            s.trace(i, id(i), t.durationMs * MS, stages, dims, facts);
            s.spans(i, spans(t));
            rows.put(id(i), spans(t));
        }
        return RootCauseScorer.explain(cohort, s, settings, ids -> rows, CancellationToken.none());
    }

    private static List<Finding> causes(List<Finding> findings) {
        return findings.stream().filter(Finding::aboutCohort).toList();
    }

    @Test
    void aPlantedAttributeIsTheTopFindingWithItsCounts() {
        // 80 of 100 slow requests searched shard archive-1; 20 of 900 others did
        List<T> traces = traces(100, 900, (t, i) -> t.retrieval.add(Attribute.of("app.vector.shard",
                t.cohort ? (i < 80 ? "archive-1" : "docs-1") : (i < 20 ? "archive-1" : "docs-1"))));
        List<Finding> f = explain(Cohort.slow(95), traces);
        Finding top = f.get(0);
        assertTrue(top.summary().startsWith("80% of slow requests (≥ p95 of their operation) had retrieval · "
                + "app.vector.shard = archive-1 (vs 2% of the others)"), top.summary());
        assertEquals(Severity.CRITICAL, top.severity(), "78 points and 36 times as common");
        Finding.Evidence e = top.evidence();
        assertEquals(List.of(100L, 80L, 900L, 20L), List.of(e.cohortTraces(), e.cohortMatching(), e.restTraces(),
                e.restMatching()));
        assertEquals(0.8 / (20 / 900.0), e.lift(), 1e-9);
        assertEquals("archive-1", e.facts().get("value"));
        // each example opens on the span that carries the attribute
        assertEquals(5, top.exemplars().size());
        assertTrue(top.exemplars().stream().allMatch(x -> x.spanId() == 2), top.exemplars().toString());
        // "Show these traces": the cohort narrowed to the property
        assertEquals(Cohort.Kind.SLOW_PERCENTILE, top.traces().cohort().kind());
        assertTrue(top.traces().cohort().filter().contains("attr(s.attributes, 'app.vector.shard') = 'archive-1'"),
                top.traces().cohort().filter());
        assertEquals("slow requests (≥ p95 of their operation) that had retrieval · app.vector.shard = archive-1",
                top.traces().label());
    }

    @Test
    void anInteractionIsOneFindingWithItsOwnSupport() {
        // slow: 90 of 100 are tenant globex on version v2; of the 1,900 others, 30% are globex and 30% on v2 (as
        // independent choices, except that none of them is both)
        Random r = new Random(3);
        List<T> traces = traces(100, 1900, (t, i) -> {
            boolean both = t.cohort && i < 90;
            boolean globex = both || (!t.cohort && i % 10 < 3);
            boolean v2 = both || (!t.cohort && i % 10 >= 3 && i % 10 < 6);
            t.dims.put("tenant", globex ? "globex" : "acme");
            t.dims.put("model_version", v2 ? "v2" : "v1");
            t.dims.put("model", "gpt");
            if (t.cohort && !both) {
                t.dims.put("tenant", r.nextBoolean() ? "globex" : "acme");
            }
        });
        List<Finding> f = causes(explain(Cohort.slow(95), traces));
        Finding top = f.get(0);
        assertTrue(top.summary().contains("came from tenant globex and were served by model version v2")
                || top.summary().contains("were served by model version v2 and came from tenant globex"), top.summary());
        assertEquals(90, top.evidence().cohortMatching());
        assertEquals(0, top.evidence().restMatching());
        assertTrue(top.summary().startsWith("90% of slow requests"), top.summary());
        assertTrue(top.summary().endsWith("(vs 0% of the others)."), top.summary());
        assertTrue(top.explanation().contains("Neither part alone sets them apart as well: came from tenant globex"),
                top.explanation());
        // the parts are not findings of their own
        for (Finding other : f.subList(1, f.size())) {
            assertFalse(other.summary().contains("tenant globex") || other.summary().contains("model version v2"),
                    other.summary());
        }
        assertTrue(top.traces().cohort().filter().contains("t.tenant = 'globex'")
                && top.traces().cohort().filter().contains("t.model_version = 'v2'"), top.traces().toString());
    }

    @Test
    void oneCauseToldThroughSeveralAttributesIsOneFinding() {
        // the kb-archive collection, named as a collection, a data source and in a span name, on shard archive-1
        List<T> traces = traces(100, 900, (t, i) -> {
            boolean archive = t.cohort ? i < 70 : i < 90;
            boolean slowShard = archive && (t.cohort || i < 30);
            t.retrieval.add(Attribute.of("db.collection.name", archive ? "kb-archive" : "kb-docs"));
            t.retrieval.add(Attribute.of("gen_ai.data_source.id", archive ? "kb-archive" : "kb-docs"));
            t.retrieval.add(Attribute.of("app.vector.shard", slowShard ? "archive-1" : archive ? "archive-2"
                    : "docs-1"));
        });
        List<Finding> f = causes(explain(Cohort.slow(95), traces));
        long naming = f.stream().filter(x -> x.summary().contains("archive")).count();
        assertEquals(1, naming, f.stream().map(Finding::summary).toList().toString());
        Finding top = f.get(0);
        assertTrue(top.summary().contains("app.vector.shard = archive-1"), top.summary());
        assertTrue(top.supporting().stream().anyMatch(x -> x.contains("db.collection.name = kb-archive")),
                top.supporting().toString());
        assertTrue(top.supporting().stream().anyMatch(x -> x.contains("gen_ai.data_source.id = kb-archive")),
                top.supporting().toString());
    }

    @Test
    void theCauseLeadsItsSymptomAndSaysWhatItCosts() {
        // version 2.15.0 makes retrieval slow: 60 of 100 slow requests ran on it and spent 2 s more in retrieval
        List<T> traces = traces(100, 900, (t, i) -> {
            boolean bad = t.cohort ? i < 60 : i < 9;
            t.resource.add(Attribute.of("service.version", bad ? "2.15.0" : "2.14.1"));
            if (bad) {
                t.retrievalMs += 2000;
            }
        });
        Finding top = causes(explain(Cohort.slow(95), traces)).get(0);
        assertTrue(top.summary().contains("ran on a resource with service.version = 2.15.0"), top.summary());
        assertTrue(top.supporting().stream().anyMatch(x -> x.startsWith("spent more than")
                && x.contains("in retrieval")), top.supporting().toString());
        Finding.Cost c = top.evidence().cost();
        assertNotNull(c);
        assertEquals("retrieval", c.stage());
        // added time: median duration with 2.15.0 minus without (same operation), weighted by the side sizes
        assertTrue(c.addedNs() > 0, c.toString());
        // its requests hold the share of the cohort's excess time worked out here
        long typical = median(traces.stream().filter(t -> !t.cohort).map(t -> t.durationMs).toList());
        double total = 0;
        double held = 0;
        for (int i = 0; i < 100; i++) {
            double excess = Math.max(0, traces.get(i).durationMs - typical);
            total += excess;
            held += i < 60 ? excess : 0;
        }
        assertEquals(held / total, c.excessShare(), 1e-9);
    }

    /** The lower median, as the scorer's weighted median with equal weights. */
    private static long median(List<Long> v) {
        List<Long> s = new ArrayList<>(v);
        s.sort(null);
        return s.get((s.size() - 1) / 2);
    }

    @Test
    void addedTimeIsTheDifferenceOfMediansWithinEachOperation() {
        // two operations; within each, requests with the flag take exactly 1 s longer; the flag is more common in
        // the slower operation, which a difference over all requests would count as its effect too
        List<T> traces = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            boolean flag = i % 4 == 0;
            boolean agent = i % 2 == 0;
            T t = new T(i < 60, (agent ? 5000 : 1000) + (flag ? 1000 : 0) + i % 3);
            t.dims.put("root_name", agent ? "agent" : "chat");
            t.retries = flag ? 1 : 0; // (marks the flag)
            traces.add(t);
        }
        traces.sort((a, b) -> Boolean.compare(b.cohort, a.cohort));
        int nC = 60;
        TraceSample s = new TraceSample(nC, traces.size() - nC, nC, traces.size() - nC);
        java.util.BitSet flag = new java.util.BitSet();
        for (int i = 0; i < traces.size(); i++) {
            T t = traces.get(i);
            long[] stages = new long[TraceAnalyzer.STAGES.size()];
            stages[INFERENCE] = t.durationMs * MS;
            String[] dims = new String[TraceSample.DIMENSIONS.size()];
            dims[TraceSample.DIMENSIONS.indexOf("root_name")] = t.dims.get("root_name");
            double[] facts = new double[TraceSample.FACTS.size()];
            s.trace(i, id(i), t.durationMs * MS, stages, dims, facts);
            if (t.retries == 1) {
                flag.set(i);
            }
        }
        Finding.Cost c = Costs.of(s, flag, false);
        assertEquals(1000.0, c.addedNs() / (double) MS, 2.0);
        assertTrue(Double.isNaN(c.excessShare()));
    }

    @Test
    void secretsAndFreeTextAreNoDimensions() throws IOException {
        // every slow request carries the same bearer token and the same prompt; the others another
        List<T> traces = traces(100, 900, (t, i) -> {
            t.root.add(Attribute.of("http.request.header.authorization", t.cohort ? "Bearer sk-live-4f9a8b7c6d5e4f3a"
                    : "Bearer sk-live-0000000000000000"));
            t.root.add(Attribute.of("x-api-key", t.cohort ? "k-cohort" : "k-rest"));
            t.call.add(Attribute.of("input.value", t.cohort ? "Why is my export slow?" : "Hello"));
            t.call.add(Attribute.of("gen_ai.prompt.0.content", t.cohort ? "long" : "short"));
            t.call.add(Attribute.of("app.debug.note", t.cohort ? "token=sk-live-4f9a8b7c6d5e4f3a2b" : "none"));
        });
        List<Finding> f = explain(Cohort.slow(95), traces);
        StringWriter out = new StringWriter();
        for (FindingsWriter w : FindingsWriter.values()) {
            w.write("t", f, out);
        }
        String all = out + " " + f;
        for (String leak : List.of("sk-live", "authorization", "x-api-key", "input.value", "gen_ai.prompt.0.content",
                "Why is my export slow")) {
            assertFalse(all.contains(leak), leak + " in " + all);
        }
    }

    @Test
    void tracesWithAnErrorAreNotExplainedByTheirFailedOrRetriedCalls() {
        // the cohort is "traces with an error": every one retried a call; that restates the error
        List<T> traces = traces(100, 900, (t, i) -> {
            t.retries = t.cohort ? 1 : 0;
            t.call.add(Attribute.of("http.response.status_code", t.cohort ? 503L : 200L));
        });
        List<Finding> f = causes(explain(Cohort.errors(), traces));
        assertTrue(f.stream().noneMatch(x -> x.summary().contains("retried") || x.summary().contains("failed span")),
                f.toString());
        // a status code is a kind of outcome, compared by value: never "> 200"
        assertTrue(f.stream().noneMatch(x -> x.summary().contains("status_code >")), f.toString());
        assertTrue(f.stream().anyMatch(x -> x.summary().contains("http.response.status_code = 503")), f.toString());
    }

    @Test
    void normalVariationRaisesNothing() {
        Random r = new Random(11);
        List<T> traces = traces(100, 900, (t, i) -> {
            t.dims.put("tenant", "t" + r.nextInt(4));
            t.call.add(Attribute.of("app.shard", "s" + r.nextInt(3)));
        });
        List<Finding> f = explain(Cohort.slow(95), traces);
        assertEquals(1, f.size(), f.toString());
        assertEquals(Severity.INFO, f.get(0).severity());
        assertTrue(f.get(0).summary().startsWith("Nothing sets slow requests"), f.get(0).summary());
    }

    @Test
    void anEmptyCohortSaysSo() {
        List<T> traces = traces(0, 50, (t, i) -> { });
        List<Finding> f = explain(Cohort.slow(95), traces);
        assertEquals(Severity.INFO, f.get(0).severity());
        assertTrue(f.get(0).summary().startsWith("The cohort is empty"), f.get(0).summary());
    }

    @Test
    void sameNameIsEqualOrAWholeWordOfALongerName() {
        Candidate collection = named("db.collection.name", "kb-archive");
        assertTrue(RootCauseScorer.sameName(collection, named("gen_ai.data_source.id", "kb-archive")));
        assertTrue(RootCauseScorer.sameName(collection, named("span name", "retrieval kb-archive")));
        assertFalse(RootCauseScorer.sameName(collection, named("app.vector.shard", "kb-archive-2")));
        assertFalse(RootCauseScorer.sameName(named("a", "true"), named("b", "true")), "too short to be a name");
        assertFalse(RootCauseScorer.sameName(named("a", "12345"), named("b", "12345")), "a number is no name");
    }

    private static Candidate named(String key, String value) {
        return new Candidate(Candidate.Kind.ATTRIBUTE, "retrieval\u0000" + key, "had " + key, Map.of("attribute", key,
                "value", value), new java.util.BitSet(), 0, "TRUE", spans -> 0);
    }
}
