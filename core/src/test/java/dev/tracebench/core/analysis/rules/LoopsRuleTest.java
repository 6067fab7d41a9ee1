package dev.tracebench.core.analysis.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.model.TraceId;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LoopsRuleTest {
    private final LoopsRule rule = new LoopsRule();
    private static final Finding.Exemplar A = Finding.Exemplar.of(new TraceId(1, 1));
    private static final Finding.Exemplar B = Finding.Exemplar.of(new TraceId(2, 2));

    private static TreeMap<Integer, Long> calls(long... counts) {
        TreeMap<Integer, Long> m = new TreeMap<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                m.put(i, counts[i]);
            }
        }
        return m;
    }

    @Test
    void requestsThatLoopAreCountedAgainstTheThreshold() {
        // 5 requests made 9 calls, 3 made 12; of 500
        TreeMap<Integer, Long> m = calls(0, 100, 392);
        m.put(9, 5L);
        m.put(12, 3L);
        List<Finding> f = rule.evaluate(new LoopsRule.CallStats(500, m, List.of(new LoopsRule.Counted(A, 12),
                new LoopsRule.Counted(B, 2)), 0, List::of), CheckSettings.DEFAULTS);
        assertEquals(1, f.size());
        assertEquals("8 requests made 8 or more model and tool calls.", f.get(0).summary());
        assertEquals(Severity.WARNING, f.get(0).severity(), "1.6% of requests");
        assertEquals(List.of(A), f.get(0).exemplars(), "only requests that did loop are examples");
        // with a higher threshold only the 12-call requests count
        assertEquals("3 requests made 10 or more model and tool calls.", rule.evaluate(new LoopsRule.CallStats(500, m,
                List.of(), 0, List::of), CheckSettings.DEFAULTS.with("loopCalls", 10)).get(0).summary());
    }

    @Test
    void retriesAreReportedFromOneInTwenty() {
        List<Finding> f = rule.evaluate(new LoopsRule.CallStats(100, calls(0, 100), List.of(), 6,
                () -> List.of(A)), CheckSettings.DEFAULTS);
        assertEquals(List.of(A), f.get(0).exemplars());
        assertEquals("6% of requests retried a call.", f.get(0).summary());
    }

    @Test
    void quietWithoutLoopsOrManyRetries() {
        assertTrue(rule.evaluate(new LoopsRule.CallStats(100, calls(0, 50, 50), List.of(), 4, List::of),
                CheckSettings.DEFAULTS).isEmpty());
    }
}
