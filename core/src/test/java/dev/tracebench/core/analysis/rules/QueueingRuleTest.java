package dev.tracebench.core.analysis.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueingRuleTest {
    private final QueueingRule rule = new QueueingRule();

    @Test
    void queueWaitsThatGrowWithLoadAreReported() {
        List<Finding> f = rule.evaluate(new QueueingRule.QueueStats(80e6, 4e6, 60, List::of), CheckSettings.DEFAULTS);
        assertEquals(1, f.size());
        assertEquals("Queue time grows with load: at the busiest minutes the p95 queue wait is 80.0 ms, 20 times the "
                + "4.00 ms of the quietest.", f.get(0).summary());
    }

    @Test
    void quietBelowTheRatioOrWithFewMinutes() {
        assertTrue(rule.evaluate(new QueueingRule.QueueStats(7e6, 4e6, 60, List::of), CheckSettings.DEFAULTS)
                .isEmpty());
        assertTrue(rule.evaluate(new QueueingRule.QueueStats(80e6, 4e6, 5, List::of), CheckSettings.DEFAULTS)
                .isEmpty());
        // the threshold is a setting
        assertEquals(1, rule.evaluate(new QueueingRule.QueueStats(7e6, 4e6, 60, List::of), CheckSettings.DEFAULTS
                .with("queueGrowthRatio", 1.5)).size());
    }
}
