package dev.tracebench.core.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CacheTrendRuleTest {
    private static final List<CacheTrendRule.Missers> BY_VERSION = List.of(
            new CacheTrendRule.Missers("service.version", "2.14.1", 2000, 700, 3000, 90),
            new CacheTrendRule.Missers("service.version", "2.15.0", 3000, 90, 2000, 700),
            new CacheTrendRule.Missers("tenant", "t-acme", 1200, 190, 3800, 600));

    private static CacheTrendRule.CacheStats cache(long earlyHits, long lateHits) {
        return new CacheTrendRule.CacheStats("support-assistant", "embedding-cache", 2000, earlyHits, 3000, lateHits,
                1_400_000, 41_000_000, 1_360_000_000L, 1_440_000_000L, BY_VERSION, List.of());
    }

    @Test
    void aHitRateDropFiresWithWhatMissesCostAndTheVersionThatMisses() {
        List<Recommendation> r = CacheTrendRule.evaluate(List.of(cache(700, 90)));
        assertEquals(1, r.size());
        Recommendation rec = r.get(0);
        assertEquals(RecommendationKind.CACHE, rec.kind());
        assertEquals("cache embedding-cache of support-assistant", rec.subject());
        assertTrue(rec.summary().contains("fell from 35% to 3.0%"), rec.summary());
        assertTrue(rec.summary().contains("service.version = 2.15.0 hit 3.0% against 35% for the other values"),
                rec.summary());
        assertTrue(rec.summary().contains("a miss costs 80.0 ms per request"), rec.summary());
        assertTrue(rec.evidence().contains(new Recommendation.Fact("lookup, median", "41.0 ms on a miss vs 1.40 ms on "
                + "a hit")), rec.evidence().toString());
        // t-acme hits 16% against 16% for the other tenants: not named
        assertEquals(1, rec.evidence().stream().filter(f -> f.name().startsWith("misses most")).count());
    }

    @Test
    void aStableOrInsignificantHitRateIsQuiet() {
        assertTrue(CacheTrendRule.evaluate(List.of(cache(700, 1050))).isEmpty());
        // a fall below half on too few lookups
        assertTrue(CacheTrendRule.evaluate(List.of(new CacheTrendRule.CacheStats("s", "c", 40, 14, 40, 2, 1, 2, 3, 4,
                List.of(), List.of()))).isEmpty());
        // a cache that almost never hit stays quiet (below 5% to begin with)
        assertTrue(CacheTrendRule.evaluate(List.of(cache(80, 10))).isEmpty());
    }
}
