package dev.tracebench.core.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SamplingRuleTest {
    @Test
    void onlyFastNeverFailingNonRootSpansOffTheCriticalPathAreCandidates() {
        assertTrue(SamplingRule.row("s", "chain", "format", 10, 1000, 400, false, 0, 0.002, 0.009).samplingCandidate());
        assertEquals("a request's root span", SamplingRule.row("s", "other", "POST", 10, 1, 1, true, 0, 0, 0)
                .reason());
        assertEquals("failed 3 times", SamplingRule.row("s", "o", "x", 10, 1, 1, false, 3, 0, 0).reason());
        assertEquals("p99 1.0% of its trace's duration", SamplingRule.row("s", "o", "x", 10, 1, 1, false, 0, 0.01,
                0).reason());
        assertEquals("up to 25% of a critical path", SamplingRule.row("s", "o", "x", 10, 1, 1, false, 0, 0.001,
                0.25).reason());
    }

    @Test
    void recommendsSamplingWhenCandidatesCostAtLeastOnePercent() {
        TracingOverhead.Row keep = SamplingRule.row("s", "inference", "chat", 900, 98_000, 50_000, false, 0, 0.5, 0.5);
        TracingOverhead.Row drop = SamplingRule.row("s", "chain", "format", 100, 2_000, 900, false, 0, 0.001, 0.001);
        List<Recommendation> r = SamplingRule.evaluate(new TracingOverhead(1000, 100_000, List.of(keep, drop)));
        assertEquals(1, r.size());
        assertEquals(RecommendationKind.SAMPLING, r.get(0).kind());
        assertTrue(r.get(0).summary().startsWith("Sample away 1 operations that never matter: 100 spans, 2.0 kB "
                + "(2.0% of the trace data)"), r.get(0).summary());
        TracingOverhead.Row tiny = SamplingRule.row("s", "chain", "format", 100, 900, 900, false, 0, 0.001, 0.001);
        assertTrue(SamplingRule.evaluate(new TracingOverhead(1000, 100_000, List.of(keep, tiny))).isEmpty());
        assertFalse(keep.samplingCandidate());
        assertEquals("1.5 MB", SamplingRule.bytes(1_500_000));
        assertEquals("512 B", SamplingRule.bytes(512));
    }
}
