package dev.tracebench.core.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScaleUpRuleTest {
    private static ScaleUpRule.Pressure pressure(long events, long over, double allowed) {
        return new ScaleUpRule.Pressure("service llm-gateway (gateway.queue)", "queue time", "built-in: p95 ≤ 250 ms",
                250_000_000L, allowed, events, over, 400_000_000L, List.of(new Recommendation.Fact("queue depth",
                        "mean 5.6, largest 11")), List.of());
    }

    @Test
    void firesWithTheBurnRateWhenMoreThanTheAllowedShareIsOverTheBound() {
        List<Recommendation> r = ScaleUpRule.evaluate(List.of(pressure(1000, 120, 0.05)));
        assertEquals(1, r.size());
        Recommendation rec = r.get(0);
        assertEquals(RecommendationKind.SCALE_UP, rec.kind());
        assertEquals(Severity.WARNING, rec.severity()); // 120 / 1000 / 0.05 = 2.4
        assertTrue(rec.summary().contains("12% of the last quarter's queue waits took over 250 ms"), rec.summary());
        assertTrue(rec.summary().contains("2.4× as fast as allowed"), rec.summary());
        assertTrue(rec.evidence().contains(new Recommendation.Fact("burn rate", "2.4×")), rec.evidence().toString());
        assertTrue(rec.evidence().contains(new Recommendation.Fact("queue depth", "mean 5.6, largest 11")));
        assertTrue(rec.evidence().contains(new Recommendation.Fact("p95", "400 ms (1.6× the bound 250 ms)")),
                rec.evidence().toString());
        assertEquals(Severity.CRITICAL, ScaleUpRule.evaluate(List.of(pressure(1000, 70, 0.01))).get(0).severity());
    }

    @Test
    void quietWithinTheBudgetOrOnTooFewEvents() {
        assertTrue(ScaleUpRule.evaluate(List.of(pressure(1000, 50, 0.05))).isEmpty()); // exactly the budget
        assertTrue(ScaleUpRule.evaluate(List.of(pressure(19, 19, 0.05))).isEmpty());
        assertTrue(ScaleUpRule.evaluate(List.of(pressure(0, 0, 0.05))).isEmpty());
    }
}
