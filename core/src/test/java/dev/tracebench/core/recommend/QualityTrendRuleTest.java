package dev.tracebench.core.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Proportions;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class QualityTrendRuleTest {
    @Test
    void aSignificantPassRateDropTriggers() {
        QualityTrendRule.Half early = new QualityTrendRule.Half(1400, 1386, 0.89, 0.01, 1400);
        QualityTrendRule.Half late = new QualityTrendRule.Half(1900, 1784, 0.85, 0.02, 1900);
        List<Recommendation> r = QualityTrendRule.evaluate(List.of(new QualityTrendRule.QualityStats("groundedness",
                true, early, late, List.of())));
        assertEquals(1, r.size());
        assertEquals(RecommendationKind.RETRAIN, r.get(0).kind());
        assertTrue(r.get(0).summary().contains("groundedness pass rate fell from 99% to 94%"), r.get(0).summary());
        // the p-value, from the pooled two-proportion z statistic computed here
        double p1 = 1386 / 1400.0;
        double p2 = 1784 / 1900.0;
        double pool = (1386 + 1784) / 3300.0;
        double z = (p1 - p2) / Math.sqrt(pool * (1 - pool) * (1 / 1400.0 + 1 / 1900.0));
        String expected = String.format(Locale.ROOT, "%.2g", 1 - Proportions.phi(z));
        assertTrue(r.get(0).evidence().contains(new Recommendation.Fact("p-value (one-sided)", expected)),
                r.get(0).evidence() + " vs " + expected);
    }

    @Test
    void scoresWithoutVerdictsTriggerOnAMeanDrop() {
        QualityTrendRule.Half early = new QualityTrendRule.Half(0, 0, 0.80, 0.04, 500);
        QualityTrendRule.Half late = new QualityTrendRule.Half(0, 0, 0.70, 0.04, 500);
        List<Recommendation> r = QualityTrendRule.evaluate(List.of(new QualityTrendRule.QualityStats("relevance",
                false, early, late, List.of())));
        assertEquals(1, r.size());
        assertTrue(r.get(0).summary().contains("mean score fell from 0.800 to 0.700"), r.get(0).summary());
    }

    @Test
    void stableSmallOrImprovingQualityIsQuiet() {
        QualityTrendRule.Half all = new QualityTrendRule.Half(1000, 1000, 0.9, 0.01, 1000);
        QualityTrendRule.Half slightly = new QualityTrendRule.Half(1000, 985, 0.9, 0.01, 1000); // 1.5 points
        QualityTrendRule.Half few = new QualityTrendRule.Half(20, 10, 0.5, 0.01, 20);
        assertTrue(QualityTrendRule.evaluate(List.of(
                new QualityTrendRule.QualityStats("a", true, all, all, List.of()),
                new QualityTrendRule.QualityStats("b", true, all, slightly, List.of()),
                new QualityTrendRule.QualityStats("c", true, all, few, List.of()),
                new QualityTrendRule.QualityStats("d", true, slightly, all, List.of()),
                new QualityTrendRule.QualityStats("e", false, all, all, List.of()))).isEmpty());
    }
}
