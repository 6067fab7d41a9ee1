package dev.tracebench.core.analysis.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheRuleTest {
    private final CacheRule rule = new CacheRule();
    private static final CacheRule.VersionRate CULPRIT = new CacheRule.VersionRate("support", "2.15.0", 0.02, 0.30);

    @Test
    void aHitRateThatCollapsedIsAWarningNamingTheVersion() {
        List<Finding> f = rule.evaluate(new CacheRule.CacheStats(300, 1000, 400e6, 1400e6, 0.48, 0.05, 250, 250,
                () -> CULPRIT, List::of), CheckSettings.DEFAULTS);
        assertEquals(1, f.size());
        assertEquals(Severity.WARNING, f.get(0).severity());
        assertTrue(f.get(0).summary().startsWith("The cache hit rate fell from 48% in the first quarter of the time "
                + "range to 5% in the last"), f.get(0).summary());
        assertTrue(f.get(0).summary().endsWith("It coincides with support 2.15.0 (cache hit rate 2% against 30% for "
                + "its other versions)."), f.get(0).summary());
    }

    @Test
    void missesThatAreSlowerAreInformation() {
        List<Finding> f = rule.evaluate(new CacheRule.CacheStats(300, 1000, 400e6, 1400e6, 0.30, 0.30, 250, 250,
                () -> null, List::of), CheckSettings.DEFAULTS);
        assertEquals(Severity.INFO, f.get(0).severity());
        assertTrue(f.get(0).summary().contains("30% of requests with a cache lookup hit"), f.get(0).summary());
    }

    @Test
    void quietOnAStableCacheOrTooFewLookups() {
        // (and it looks up no examples for nothing: that scans the spans)
        assertTrue(rule.evaluate(new CacheRule.CacheStats(300, 1000, 400e6, 450e6, 0.30, 0.29, 250, 250, () -> CULPRIT,
                () -> {
                    throw new AssertionError("examples looked up without a finding");
                }), CheckSettings.DEFAULTS).isEmpty());
        assertTrue(rule.evaluate(new CacheRule.CacheStats(10, 40, 400e6, 1400e6, 0.48, 0.05, 10, 10, () -> null,
                List::of), CheckSettings.DEFAULTS).isEmpty());
    }
}
