package dev.tracebench.core.analysis.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DominantStageRuleTest {
    private final DominantStageRule rule = new DominantStageRule();

    @Test
    void aStageOtherThanTheModelCallHoldingMostTimeIsAWarning() {
        List<Finding> f = rule.evaluate(new DominantStageRule.StageTotals(1000, Map.of("retrieval", 700L,
                "inference", 300L)), CheckSettings.DEFAULTS);
        assertEquals(1, f.size());
        assertEquals(Severity.WARNING, f.get(0).severity());
        assertEquals("Retrieval takes 70% of all request time on the critical path.", f.get(0).summary());
    }

    @Test
    void theModelCallDominatingIsOnlyInformation() {
        List<Finding> f = rule.evaluate(new DominantStageRule.StageTotals(1000, Map.of("retrieval", 100L,
                "inference", 900L)), CheckSettings.DEFAULTS);
        assertEquals(1, f.size());
        assertEquals(Severity.INFO, f.get(0).severity());
    }

    @Test
    void quietWhenNoStageReachesTheShare() {
        assertTrue(rule.evaluate(new DominantStageRule.StageTotals(1000, Map.of("retrieval", 450L, "inference",
                550L)), CheckSettings.DEFAULTS).isEmpty());
        assertTrue(rule.evaluate(new DominantStageRule.StageTotals(0, Map.of()), CheckSettings.DEFAULTS).isEmpty());
    }
}
