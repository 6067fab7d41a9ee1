package dev.tracebench.core.analysis.rootcause;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.analysis.rootcause.RootCauseScorer.CountedProperty;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scorer's bar and order over counts made elsewhere (the spark module's per-value counts of a lake). */
class RootCauseRankTest {
    private static CountedProperty p(String value, long cC, long cR) {
        return new CountedProperty("tenant", value, cC, 100, cR, 1_000);
    }

    @Test
    void thePassingValuesComeStrongestFirst() {
        CountedProperty notice = p("t-notice", 40, 100); // 40% vs 10%: +30 points, 4 times: notice
        CountedProperty critical = p("t-critical", 90, 50); // 90% vs 5%: critical
        CountedProperty warning = p("t-warning", 50, 100); // 50% vs 10%: +40 points, 5 times: warning
        CountedProperty rare = p("t-rare", 3, 0); // 3% of the cohort: below the 5% support
        CountedProperty common = p("t-common", 20, 180); // 20% vs 18%: no difference
        List<CountedProperty> ranked = RootCauseScorer.rank(List.of(notice, rare, critical, common, warning),
                CheckSettings.DEFAULTS);
        assertEquals(List.of(critical, warning, notice), ranked);
        assertEquals(Severity.CRITICAL, critical.severity());
        assertEquals(Severity.WARNING, warning.severity());
        assertEquals(Severity.NOTICE, notice.severity());
    }

    @Test
    void nothingPassesOnEvenCounts() {
        assertTrue(RootCauseScorer.rank(List.of(p("a", 30, 300), p("b", 10, 95), p("c", 60, 605)),
                CheckSettings.DEFAULTS).isEmpty());
        assertTrue(RootCauseScorer.rank(List.of(new CountedProperty("model", "m", 5, 5, 0, 0)),
                CheckSettings.DEFAULTS).isEmpty(), "nothing to compare with");
    }
}
