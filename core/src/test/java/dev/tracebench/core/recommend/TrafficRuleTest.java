package dev.tracebench.core.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.model.TraceId;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficRuleTest {
    private static final List<Finding.Exemplar> FAILED = List.of(Finding.Exemplar.of(new TraceId(1, 2)));

    private static TrafficRule.ModelStats stats(String model, long calls, long errors, long p95Ms, long judged,
            long passed, long recent) {
        return new TrafficRule.ModelStats("gpt-4o-mini", model, "openai", calls, errors, p95Ms * 1_000_000, judged,
                passed, recent, FAILED);
    }

    @Test
    void aFailingSlowerVersionLosesWeightByTheDocumentedFactors() {
        TrafficRule.Result r = TrafficRule.evaluate(List.of(stats("old", 1000, 10, 1000, 0, 0, 700),
                stats("new", 500, 75, 2000, 0, 0, 300)));
        // shares 0.7 / 0.3; new: errors (0.01 + 0.01) / (0.15 + 0.01) = 0.125, latency 1000 / 2000 = 0.5
        double newScore = 0.3 * 0.125 * 0.5;
        double expectedNew = newScore / (0.7 + newScore);
        ModelWeight old = r.weights().get(0);
        ModelWeight neu = r.weights().get(1);
        assertEquals(0.7, old.currentShare(), 1e-12);
        assertEquals(expectedNew, neu.weight(), 1e-12);
        assertEquals(1 - expectedNew, old.weight(), 1e-12);
        assertEquals(0.15, neu.errorRate(), 1e-12);
        assertEquals("openai", neu.provider());
        assertEquals(1, r.items().size());
        Recommendation rec = r.items().get(0);
        assertEquals(RecommendationKind.TRAFFIC, rec.kind());
        assertEquals("model new", rec.subject());
        assertEquals(Severity.CRITICAL, rec.severity());
        assertTrue(rec.summary().contains("× 0.13 for errors (15% of calls failed vs 1.0% on old)"), rec.summary());
        assertTrue(rec.summary().contains("× 0.50 for latency (p95 2.00 s vs 1.00 s on old)"), rec.summary());
        assertEquals(FAILED, rec.exemplars());
        assertTrue(TrafficRule.why(neu).contains("reduced because it is significantly worse"), TrafficRule.why(neu));
    }

    @Test
    void lowerPassRateCountsWhenSignificant() {
        TrafficRule.Result r = TrafficRule.evaluate(List.of(stats("a", 1000, 10, 1000, 400, 392, 500),
                stats("b", 1000, 10, 1000, 400, 340, 500)));
        double f = (340 / 400.0) / (392 / 400.0);
        assertEquals(0.5 * f / (0.5 + 0.5 * f), r.weights().get(1).weight(), 1e-12);
        assertTrue(r.items().get(0).summary().contains("for quality (pass rate 85% vs 98% on a)"),
                r.items().get(0).summary());
    }

    @Test
    void versionsThatDoNotDifferSignificantlyKeepTheirShares() {
        // 1.0% vs 1.4% errors on 1,000 and 500 calls: p ≈ 0.24, and the p95s are within 1.5×
        TrafficRule.Result r = TrafficRule.evaluate(List.of(stats("old", 1000, 10, 1000, 0, 0, 600),
                stats("new", 500, 7, 1400, 0, 0, 400)));
        assertEquals(0.6, r.weights().get(0).weight(), 1e-12);
        assertEquals(0.4, r.weights().get(1).weight(), 1e-12);
        assertTrue(r.items().isEmpty());
        assertTrue(TrafficRule.why(r.weights().get(1)).endsWith("unchanged, nothing significantly worse."));
    }

    @Test
    void tooFewCallsAreNotJudgedAndSingleVersionGroupsGetNoWeights() {
        TrafficRule.Result r = TrafficRule.evaluate(List.of(stats("old", 1000, 10, 1000, 0, 0, 900),
                stats("canary", 40, 20, 9000, 0, 0, 100),
                new TrafficRule.ModelStats("gpt-4o", "gpt-4o-2024-08-06", "openai", 900, 300, 1, 0, 0, 1, List.of())));
        assertEquals(2, r.weights().size());
        assertEquals(0.1, r.weights().get(1).weight(), 1e-12);
        assertTrue(r.items().isEmpty());
    }
}
