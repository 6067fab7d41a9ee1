package dev.tracebench.core.analysis.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorHotspotRuleTest {
    private final ErrorHotspotRule rule = new ErrorHotspotRule();

    private static ErrorHotspotRule.ModelCalls calls(long n, long failed, double others, long en, long ef, long ln,
            long lf) {
        return new ErrorHotspotRule.ModelCalls("gpt-x", n, failed, others, en, ef, ln, lf, List::of);
    }

    @Test
    void aModelFailingFarMoreThanTheOthersConcentratesTheFailures() {
        List<Finding> f = rule.evaluate(List.of(calls(1000, 60, 0.01, 330, 20, 330, 20)), CheckSettings.DEFAULTS);
        assertEquals(1, f.size());
        assertEquals(Severity.WARNING, f.get(0).severity(), "6% of calls");
        assertEquals("Calls to model gpt-x fail 6.0% of the time (60 of 1,000), 6.0 times the rate of the other "
                + "models (1.0%).", f.get(0).summary());
        assertTrue(f.get(0).explanation().startsWith("Failures concentrate on this model"));
    }

    @Test
    void aRisingRateAtTheOthersLevelIsNotCalledAConcentration() {
        // 3.2% against 2.4% (1.3 times): below errorHotspotShare, but it rose from 1.4% to 4.3%
        List<Finding> f = rule.evaluate(List.of(calls(3379, 108, 0.024, 1100, 15, 1100, 47)), CheckSettings.DEFAULTS);
        assertEquals(1, f.size());
        Finding x = f.get(0);
        assertEquals(Severity.WARNING, x.severity());
        assertTrue(x.summary().contains("about as often as the other models (2.4%), but the rate rose from 1.4% in "
                + "the first third of the time range to 4.3% in the last"), x.summary());
        assertFalse(x.explanation().contains("concentrate"), x.explanation());
    }

    @Test
    void quietOnAnEvenLowOrSmallFailureRate() {
        assertTrue(rule.evaluate(List.of(calls(1000, 25, 0.024, 330, 8, 330, 9)), CheckSettings.DEFAULTS).isEmpty());
        assertTrue(rule.evaluate(List.of(calls(1000, 15, 0.001, 330, 5, 330, 5)), CheckSettings.DEFAULTS).isEmpty(),
                "1.5% is below the 2% floor");
        assertTrue(rule.evaluate(List.of(calls(20, 10, 0.01, 7, 3, 7, 3)), CheckSettings.DEFAULTS).isEmpty(),
                "too few calls");
    }

    @Test
    void theRatioIsASetting() {
        // 3% against 2.4%: reported once errorHotspotShare is lowered to 1.2
        ErrorHotspotRule.ModelCalls m = calls(1000, 30, 0.024, 330, 10, 330, 10);
        assertTrue(rule.evaluate(List.of(m), CheckSettings.DEFAULTS).isEmpty());
        assertEquals(Severity.NOTICE, rule.evaluate(List.of(m), CheckSettings.DEFAULTS.with("errorHotspotShare",
                1.2)).get(0).severity());
    }
}
