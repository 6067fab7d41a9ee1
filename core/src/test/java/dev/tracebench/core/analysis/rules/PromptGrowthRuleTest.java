package dev.tracebench.core.analysis.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptGrowthRuleTest {
    private final PromptGrowthRule rule = new PromptGrowthRule();

    @Test
    void aVersionThatDoubledThePromptIsCritical() {
        List<Finding> f = rule.evaluate(List.of(new PromptGrowthRule.PromptTokens("v8", 760, 376, 359, List::of),
                new PromptGrowthRule.PromptTokens("v7", 376, 760, 761, List::of)), CheckSettings.DEFAULTS);
        assertEquals(1, f.size());
        assertEquals(Severity.CRITICAL, f.get(0).severity());
        assertEquals("Prompt version v8 sends 2.0 times the input tokens of the other versions (median 760 against "
                + "376).", f.get(0).summary());
        assertEquals(Severity.WARNING, rule.evaluate(List.of(new PromptGrowthRule.PromptTokens("v9", 600, 376, 50,
                List::of)), CheckSettings.DEFAULTS).get(0).severity());
    }

    @Test
    void quietOnSimilarVersionsAndOnASingleVersion() {
        assertTrue(rule.evaluate(List.of(new PromptGrowthRule.PromptTokens("v7", 400, 376, 50, List::of)),
                CheckSettings.DEFAULTS).isEmpty());
        // one version only: no other versions' median (NaN from the query), nothing to compare with
        assertTrue(rule.evaluate(List.of(new PromptGrowthRule.PromptTokens("v7", 376, Double.NaN, 1168, List::of)),
                CheckSettings.DEFAULTS).isEmpty());
    }
}
