package dev.tracebench.core.analysis.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenOutlierRuleTest {
    private final TokenOutlierRule rule = new TokenOutlierRule();

    @Test
    void outliersAreCountedWithTheFactorTheyExceed() {
        List<Finding> f = rule.evaluate(new TokenOutlierRule.Outliers(900, 12, 5, List::of), CheckSettings.DEFAULTS);
        assertEquals(Severity.NOTICE, f.get(0).severity());
        assertEquals("12 requests sent more than 5.0 times the median input tokens of their operation.",
                f.get(0).summary());
        assertEquals(12, f.get(0).evidence().cohortMatching());
    }

    @Test
    void quietWithoutOutliers() {
        assertTrue(rule.evaluate(new TokenOutlierRule.Outliers(900, 0, 5, List::of), CheckSettings.DEFAULTS)
                .isEmpty());
    }
}
