package dev.tracebench.core.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Critical paths of hand-built traces whose right answer is known. Times in milliseconds from 0. */
class TraceAnalyzerTest {
    private static final long MS = 1_000_000L;

    private static SpanFacts span(long id, Long parent, String name, String stage, double start, double end) {
        return new SpanFacts(id, parent, name, "svc", (long) (start * MS), (long) (end * MS), 0, stage, null, null,
                null, null, null, null, null, null, null, null, null, null);
    }

    private static TraceAnalyzer.Result analyze(SpanFacts... spans) {
        return TraceAnalyzer.analyze(List.of(spans), true);
    }

    /** Contribution per stage in ms, only the non-zero ones. */
    private static Map<String, Double> stages(TraceAnalyzer.Result r) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < TraceAnalyzer.STAGES.size(); i++) {
            if (r.trace().stageNs()[i] != 0) {
                m.put(TraceAnalyzer.STAGES.get(i), r.trace().stageNs()[i] / (double) MS);
            }
        }
        return m;
    }

    private static void assertSumsToDuration(TraceAnalyzer.Result r) {
        long sum = 0;
        for (long v : r.trace().stageNs()) {
            sum += v;
        }
        assertEquals(r.trace().durationNs(), sum, "contributions add up to the duration");
        long segments = r.path().segments().stream().mapToLong(CriticalPath.Segment::durationNs).sum();
        assertEquals(r.path().endNs() - r.path().startNs(), segments, "segments tile the root span");
        for (int i = 1; i < r.path().segments().size(); i++) {
            assertTrue(r.path().segments().get(i).startNs() >= r.path().segments().get(i - 1).endNs(),
                    "segments do not overlap");
        }
    }

    private static SpanFacts failed(long id, Long parent, double start, double end) {
        return new SpanFacts(id, parent, "call", "svc", (long) (start * MS), (long) (end * MS), 2, null, null, null,
                null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void aFailedRequestIsOneWhoseRootFailedATraceWithAnErrorAnyFailedSpan() {
        TraceAnalyzer.TraceRow childFailed = analyze(span(1, null, "POST /chat", null, 0, 100),
                failed(2, 1L, 10, 20)).trace();
        assertEquals(1, childFailed.errorCount());
        assertFalse(childFailed.rootError(), "a failed child with a successful root is not a failed request");
        TraceAnalyzer.TraceRow rootFailed = analyze(failed(1, null, 0, 100), failed(2, 1L, 10, 20),
                span(3, 1L, "chat", "inference", 20, 90)).trace();
        assertEquals(2, rootFailed.errorCount());
        assertTrue(rootFailed.rootError());
        TraceAnalyzer.TraceRow clean = analyze(span(1, null, "POST /chat", null, 0, 100)).trace();
        assertEquals(0, clean.errorCount());
        assertFalse(clean.rootError());
    }

    @Test
    void sequentialStagesEachContributeTheirTimeAndGapsGoToTheParent() {
        TraceAnalyzer.Result r = analyze(
                span(1, null, "POST /chat", null, 0, 100),
                span(2, 1L, "render_prompt", "prompt", 2, 5),
                span(3, 1L, "retrieve", "retrieval", 5, 35),
                span(4, 1L, "chat", "inference", 40, 95));
        // the root's own time: 0-2, 35-40 and 95-100
        assertEquals(Map.of("other", 12.0, "prompt", 3.0, "retrieval", 30.0, "inference", 55.0), stages(r));
        assertSumsToDuration(r);
        assertEquals(100 * MS, r.trace().durationNs());
        assertEquals(List.of(1L, 2L, 3L, 1L, 4L, 1L), r.path().segments().stream()
                .map(CriticalPath.Segment::spanId).toList());
        assertEquals(12 * MS, r.path().selfNs().get(1L));
    }

    @Test
    void ofParallelChildrenOnlyTheOneThatFinishedLastIsOnThePath() {
        // two retrievers run side by side; the slower one (kb-archive) holds the request up
        TraceAnalyzer.Result r = analyze(
                span(1, null, "root", null, 0, 100),
                span(2, 1L, "search kb-docs", "retrieval", 10, 40),
                span(3, 1L, "search kb-archive", "retrieval", 10, 70),
                span(4, 1L, "chat", "inference", 70, 100));
        assertTrue(r.path().onPath(3));
        assertFalse(r.path().onPath(2), "the faster parallel search is not on the path");
        assertEquals(Map.of("other", 10.0, "retrieval", 60.0, "inference", 30.0), stages(r));
        assertSumsToDuration(r);
    }

    @Test
    void overlappingChildrenHandOverAtTheStartOfTheLaterOne() {
        // b starts before a ends: the path goes a (until b starts) then b
        TraceAnalyzer.Result r = analyze(
                span(1, null, "root", null, 0, 100),
                span(2, 1L, "a", "tool", 0, 60),
                span(3, 1L, "b", "inference", 50, 100));
        assertFalse(r.path().onPath(2), "a ends after b starts, so it ran in parallel with b");
        assertEquals(Map.of("other", 50.0, "inference", 50.0), stages(r));
        TraceAnalyzer.Result seq = analyze(
                span(1, null, "root", null, 0, 100),
                span(2, 1L, "a", "tool", 0, 50),
                span(3, 1L, "b", "inference", 50, 100));
        assertEquals(Map.of("tool", 50.0, "inference", 50.0), stages(seq));
    }

    @Test
    void childrenOutlivingTheirParentOrStartingBeforeItAreClamped() {
        TraceAnalyzer.Result r = analyze(
                span(1, null, "root", null, 0, 100),
                span(2, 1L, "worker", "agent", 10, 80),
                span(3, 2L, "late call", "inference", 50, 120),   // outlives its parent (and the root)
                span(4, 2L, "skewed", "retrieval", 5, 20));       // starts before its parent: clock skew
        // root 0-10 and 80-100; worker 20-50; skewed clamped to 10-20; the late call clamped to 50-80
        assertEquals(Map.of("other", 30.0, "agent", 30.0, "retrieval", 10.0, "inference", 30.0), stages(r));
        assertSumsToDuration(r);
        assertEquals(100 * MS, r.trace().durationNs(), "a true root decides the duration");
        assertEquals(1, r.trace().skewCount());
    }

    @Test
    void aSpanWithoutStageTakesItsParentsStage() {
        TraceAnalyzer.Result r = analyze(
                span(1, null, "root", null, 0, 100),
                span(2, 1L, "chat gpt-4o", "inference", 0, 100),
                span(3, 2L, "POST /v1/chat/completions", null, 0, 100),   // gateway HTTP span: no stage of its own
                span(4, 3L, "gateway.queue", null, 0, 30));
        assertEquals(Map.of("inference", 100.0), stages(r));
        assertEquals("inference", r.path().stageOf().get(4L));
        assertEquals(30 * MS, r.trace().queueNs(), "time in queue spans is the trace's queue time");
    }

    @Test
    void withoutATrueRootTheTimeOutsideTheChosenRootIsUnattributed() {
        // the root never arrived: two orphans; the earliest is the root, the rest of the window is unattributed
        TraceAnalyzer.Result r = analyze(
                span(2, 1L, "retrieve", "retrieval", 0, 40),
                span(3, 1L, "chat", "inference", 50, 90));
        assertFalse(r.trace().hasRoot());
        assertEquals(2, r.trace().orphanCount());
        assertEquals(2L, r.trace().rootSpanId());
        assertEquals(90 * MS, r.trace().durationNs());
        assertEquals(Map.of("retrieval", 40.0, "unattributed", 50.0), stages(r));
        assertSumsToDuration(r);
    }

    @Test
    void orphansOutsideATrueRootDoNotStretchTheRequest() {
        TraceAnalyzer.Result r = analyze(
                span(1, null, "root", null, 0, 50),
                span(9, 77L, "late orphan", "tool", 60, 90));
        assertEquals(50 * MS, r.trace().durationNs());
        assertEquals(Map.of("other", 50.0), stages(r));
        assertEquals(1, r.trace().orphanCount());
    }

    @Test
    void parentCyclesAndZeroLengthSpansDoNotBreakIt() {
        TraceAnalyzer.Result r = analyze(
                span(1, 2L, "a", "tool", 0, 10),
                span(2, 1L, "b", "inference", 2, 8),
                span(3, 1L, "zero", "prompt", 5, 5));
        assertSumsToDuration(r);
        assertEquals(10 * MS, r.trace().durationNs());
        TraceAnalyzer.Result negative = analyze(span(1, null, "backwards", "tool", 10, 5));
        assertEquals(0, negative.trace().durationNs(), "a root that ends before it starts lasts 0");
        assertSumsToDuration(negative);
    }

    @Test
    void aDeepChainIsWalkedWithoutOverflowingTheStack() {
        List<SpanFacts> chain = new ArrayList<>();
        chain.add(span(1, null, "root", null, 0, 5_000));
        for (int i = 2; i <= 3_000; i++) {
            chain.add(span(i, (long) i - 1, "step", "agent", i, 5_000 - i));
        }
        TraceAnalyzer.Result r = TraceAnalyzer.analyze(chain, true);
        assertSumsToDuration(r);
    }

    @Test
    void tokensAndCallsCountOnlyTheInnermostSpans() {
        SpanFacts app = new SpanFacts(2, 1L, "chat", "app", 0, 10 * MS, 0, "inference", "gpt-4o", "gpt-4o-2024-08-06",
                100L, 20L, 0.002, null, 3 * MS, null, null, null, null, null);
        SpanFacts gw = new SpanFacts(3, 2L, "openai.chat", "gw", MS, 9 * MS, 0, "inference", "gpt-4o",
                "gpt-4o-2024-08-06", 100L, 20L, 0.002, null, null, null, null, null, 2, null);
        SpanFacts root = new SpanFacts(1, null, "POST /chat", "app", 0, 10 * MS, 0, null, null, null, null, null, null,
                false, null, "/chat", "acme", "v3", null, null);
        SpanFacts retrieve = new SpanFacts(4, 1L, "search", "app", 0, MS / 2, 2, "retrieval", null, null, null, null,
                null, true, null, null, null, null, null, 8);
        TraceAnalyzer.TraceRow t = TraceAnalyzer.analyze(List.of(root, app, gw, retrieve), false).trace();
        assertEquals(100, t.inputTokens());
        assertEquals(20, t.outputTokens());
        assertEquals(0.002, t.cost(), 1e-12);
        assertEquals(1, t.llmCalls(), "the app span and the gateway span below it are one call");
        assertEquals("gpt-4o", t.model());
        assertEquals("gpt-4o-2024-08-06", t.modelVersion());
        assertEquals(3 * MS, t.ttftNs());
        assertEquals("/chat", t.route());
        assertEquals("acme", t.tenant());
        assertEquals("v3", t.promptVersion());
        assertEquals(1, t.retries());
        assertEquals(8, t.docs());
        assertEquals(1, t.cacheHits());
        assertEquals(1, t.cacheMisses());
        assertEquals(1, t.errorCount());
        assertEquals(2, t.serviceCount());
        assertNull(TraceAnalyzer.analyze(List.of(span(1, null, "x", null, 0, 1)), false).path());
    }

    /**
     * The same spans in any order give the same rows: an import analyses a trace's spans in file order and the
     * workspace later returns them in another. Here the orders differ in everything that ties: the sum of three costs
     * (0.1 + 0.2 + 0.3 is not 0.3 + 0.2 + 0.1 in floating point), two siblings that start and end together, two
     * spans giving a route and a time to first token, two model calls of equal path time and duration.
     */
    @Test
    void theOrderOfTheSpansChangesNothing() {
        List<SpanFacts> spans = List.of(
                new SpanFacts(1, null, "POST /chat", "api", 0, 100 * MS, 0, null, null, null, null, null, null, null,
                        null, null, null, null, null, null),
                new SpanFacts(2, 1L, "lookup a", "api", 5 * MS, 20 * MS, 0, "retrieval", null, null, null, null, null,
                        null, null, "/chat/a", "t1", null, null, 3),
                new SpanFacts(3, 1L, "lookup b", "api", 5 * MS, 20 * MS, 0, "tool", null, null, null, null, null,
                        null, null, "/chat/b", "t2", null, null, 4),
                new SpanFacts(4, 1L, "chat", "llm", 20 * MS, 50 * MS, 0, "inference", "gpt-4o", "gpt-4o-1", 10L, 5L,
                        0.1, null, 3 * MS, null, null, null, null, null),
                new SpanFacts(5, 1L, "chat", "llm", 50 * MS, 80 * MS, 0, "inference", "claude", "claude-1", 10L, 5L,
                        0.2, null, 4 * MS, null, null, null, null, null),
                new SpanFacts(6, 1L, "embed", "llm", 80 * MS, 90 * MS, 0, "retrieval", null, null, 10L, null, 0.3,
                        null, null, null, null, null, null, null));
        String expected = describe(TraceAnalyzer.analyze(spans, true));
        java.util.Random random = new java.util.Random(7);
        for (int k = 0; k < 50; k++) {
            List<SpanFacts> shuffled = new ArrayList<>(spans);
            java.util.Collections.shuffle(shuffled, random);
            assertEquals(expected, describe(TraceAnalyzer.analyze(shuffled, true)), shuffled.toString());
        }
        assertTrue(expected.contains("cost=0.6000000000000001"), expected); // summed in the canonical order

        // a large trace (sorted another way) with pairs of identical siblings and costs that sum order-dependently
        List<SpanFacts> large = new ArrayList<>();
        large.add(new SpanFacts(1, null, "root", "api", 0, 1000 * MS, 0, null, null, null, null, null, null, null,
                null, null, null, null, null, null));
        for (int i = 0; i < 80; i++) {
            long start = (i / 2) * 20 * MS;
            large.add(new SpanFacts(10 + i, 1L, "step " + (i % 7), "api", start, start + 15 * MS, 0,
                    i % 3 == 0 ? "inference" : "tool", i % 3 == 0 ? "m" + (i % 2) : null, null, 1L, 1L,
                    0.1 * (i % 5 + 1), null, null, i % 4 == 1 ? "/r" + i : null, null, null, null, null));
        }
        String expectedLarge = describe(TraceAnalyzer.analyze(large, true));
        for (int k = 0; k < 20; k++) {
            List<SpanFacts> shuffled = new ArrayList<>(large);
            java.util.Collections.shuffle(shuffled, random);
            assertEquals(expectedLarge, describe(TraceAnalyzer.analyze(shuffled, true)));
        }
    }

    private static String describe(TraceAnalyzer.Result r) {
        TraceAnalyzer.TraceRow t = r.trace();
        List<String> stages = new ArrayList<>();
        for (TraceAnalyzer.StageRow row : r.stages()) {
            stages.add(row.toString());
        }
        java.util.Collections.sort(stages);
        return t.toString().replaceAll("stageNs=\\[J@[0-9a-f]+", "") + java.util.Arrays.toString(t.stageNs())
                + stages + r.path();
    }
}
