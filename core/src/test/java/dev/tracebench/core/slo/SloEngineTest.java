package dev.tracebench.core.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Compliance, budget, burn rates and the alert replay against numbers worked out by hand in the comments (with the
 * SRE Workbook's definitions: burn rate = error rate / (1 − objective); consumed = bad / (total × (1 − objective))).
 */
class SloEngineTest {
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    static final double EPS = 1e-9;

    static Slo slo(double objective, SloWindow window, List<AlertRule> rules) {
        return new Slo("s", 0, Sli.AVAILABILITY, Double.NaN, Double.NaN, objective, window, null, null, null, null, false, rules,
                Map.of());
    }

    /** One-minute buckets of `perBucket` events, the buckets in [badFrom, badTo) all bad. */
    static SliSeries series(Instant origin, int buckets, long perBucket, int badFrom, int badTo) {
        long[] total = new long[buckets];
        long[] good = new long[buckets];
        for (int i = 0; i < buckets; i++) {
            total[i] = perBucket;
            good[i] = i >= badFrom && i < badTo ? 0 : perBucket;
        }
        return new SliSeries(origin, Duration.ofMinutes(1), total, good);
    }

    static final AlertRule FAST = new AlertRule("fast", Severity.CRITICAL, 10, Duration.ofMinutes(10),
            Duration.ofMinutes(2));

    @Test
    void burnRateAndBudgetFollowTheWorkbook() {
        // 20 bad of 1,000 at 99%: error rate 2%, budget 1% -> burn rate 2, budget consumed 200%
        assertEquals(2.0, SloEngine.burnRate(20, 1000, 0.99), EPS);
        assertEquals(2.0, SloEngine.budgetConsumed(20, 1000, 0.99), EPS);
        // 1 bad of 1,000 at 99.9%: exactly the budget -> 1
        assertEquals(1.0, SloEngine.burnRate(1, 1000, 0.999), EPS);
        assertEquals(0.0, SloEngine.burnRate(0, 0, 0.999), EPS);
    }

    @Test
    void theDefaultRulesAreTheWorkbooksTable() {
        // Table 5-8: 2% of a 30-day budget in 1 h at 14.4x, 5% in 6 h at 6x, 10% in 3 d at 1x
        Duration month = Duration.ofDays(30);
        double[] spent = {0.02, 0.05, 0.10};
        for (int i = 0; i < 3; i++) {
            AlertRule r = AlertRule.DEFAULTS.get(i);
            assertEquals(spent[i], r.burnRate() * r.longWindow().toMinutes() / month.toMinutes(), 1e-12, r.name());
            assertEquals(r.longWindow().toMinutes(), 12 * r.shortWindow().toMinutes(), r.name());
        }
        assertEquals(List.of(Severity.CRITICAL, Severity.CRITICAL, Severity.WARNING),
                AlertRule.DEFAULTS.stream().map(AlertRule::severity).toList());
    }

    @Test
    void anAlertFiresWhenBothWindowsBurnTooFastAndResolvesWhenTheShortOneStops() {
        // 30 one-minute buckets of 10 events; buckets 10..19 all bad. Objective 95%: budget 0.05. Rule: > 10x over
        // 10 min and 2 min, i.e. an error rate above 0.5 in both.
        // end of minute 15: long = buckets 5..14 = 50 bad / 100 = 0.5 -> 10x, not above: quiet.
        // end of minute 16: long = 60/100 -> 12x, short = buckets 14,15 = 20/20 -> 20x: fires.
        // end of minute 20: short = buckets 18,19 -> 20x, long 100/100 -> 20x: still firing.
        // end of minute 21: short = buckets 19,20 = 10/20 -> 10x, not above: resolves; long = buckets 11..20 = 90/100
        // -> 18x.
        Slo s = slo(0.95, SloWindow.THIRTY_DAYS, List.of(FAST));
        SloStatus st = SloEngine.evaluate(s, series(T0, 30, 10, 10, 20), null);
        assertEquals(2, st.timeline().size(), st.timeline().toString());
        SloAlert fired = st.timeline().get(0);
        assertTrue(fired.firing());
        assertEquals(T0.plusSeconds(16 * 60), fired.at());
        assertEquals(fired.at(), fired.since());
        assertEquals(12.0, fired.burnRate(), EPS);
        // budget at minute 16: 60 bad of 160 -> consumed 60 / (160 x 0.05) = 7.5, remaining -6.5
        assertEquals(-6.5, fired.budgetRemaining(), EPS);
        SloAlert resolved = st.timeline().get(1);
        assertFalse(resolved.firing());
        assertEquals(T0.plusSeconds(21 * 60), resolved.at());
        assertEquals(fired.since(), resolved.since());
        assertEquals(18.0, resolved.burnRate(), EPS);
        // 100 bad of 210 -> consumed 100 / 10.5
        assertEquals(1 - 100 / 10.5, resolved.budgetRemaining(), EPS);
        assertEquals(fired.incidentKey(), resolved.incidentKey());
        assertEquals("s", fired.slo());
        assertEquals(10.0, fired.threshold(), EPS);
        // at the end: 300 events, 200 good; consumed 100 / (300 x 0.05) = 6.667
        assertEquals(T0.plusSeconds(30 * 60), st.at());
        assertEquals(300, st.total());
        assertEquals(200, st.good());
        assertEquals(2.0 / 3, st.sli(), EPS);
        assertEquals(100 / 15.0, st.budgetConsumed(), EPS);
        assertEquals(1 - 100 / 15.0, st.budgetRemaining(), EPS);
        assertEquals(SloStatus.State.BREACHED, st.state());
        assertTrue(st.firing().isEmpty());
        // burn rates at the end: buckets 20..29 clean
        assertEquals(0.0, st.rules().get(0).longBurnRate(), EPS);
    }

    @Test
    void aRollingWindowCountsOnlyItsOwnSteps() {
        // the same series, a 20-minute window ending at minute 30: buckets 10..29, 100 bad of 200
        // consumed = 100 / (200 x 0.05) = 10
        Slo s = slo(0.95, new SloWindow(Duration.ofMinutes(20)), List.of(FAST));
        SloStatus st = SloEngine.evaluate(s, series(T0, 30, 10, 10, 20), null);
        assertEquals(200, st.total());
        assertEquals(100, st.bad());
        assertEquals(10.0, st.budgetConsumed(), EPS);
        assertEquals(T0.plusSeconds(10 * 60), st.windowStart());
        // at minute 10 (--at): buckets 0..9 only, all good, nothing fired yet
        SloStatus early = SloEngine.evaluate(s, series(T0, 30, 10, 10, 20), T0.plusSeconds(10 * 60 + 30));
        assertEquals(T0.plusSeconds(10 * 60), early.at());
        assertEquals(100, early.total());
        assertEquals(0, early.bad());
        assertEquals(SloStatus.State.MET, early.state());
        assertTrue(early.timeline().isEmpty());
    }

    @Test
    void aCalendarMonthStartsOnTheFirst() {
        // 23:50 on 30 November to 00:10 on 1 December; November's ten minutes all bad, December's all good
        Instant origin = Instant.parse("2026-11-30T23:50:00Z");
        Slo s = slo(0.99, SloWindow.CALENDAR_MONTH, List.of());
        SloStatus dec = SloEngine.evaluate(s, series(origin, 20, 10, 0, 10), null);
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"), dec.windowStart());
        assertEquals(100, dec.total());
        assertEquals(1.0, dec.sli(), EPS);
        assertEquals(SloStatus.State.MET, dec.state());
        SloStatus nov = SloEngine.evaluate(s, series(origin, 20, 10, 0, 10), Instant.parse("2026-12-01T00:00:00Z"));
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), nov.windowStart());
        assertEquals(100, nov.total());
        assertEquals(0.0, nov.sli(), EPS);
        // 100 bad of 100 at 99%: consumed 100
        assertEquals(100.0, nov.budgetConsumed(), EPS);
        assertEquals(Duration.ofDays(30), SloWindow.CALENDAR_MONTH.length(Instant.parse("2026-11-15T00:00:00Z")));
    }

    @Test
    void anAlertStillFiringAtTheEndOfTheDataResolvesOnceItsWindowsPassIt() {
        // buckets 20..29 bad: at the end (minute 30) both windows are all bad -> firing (fired at minute 26:
        // long = buckets 16..25, 6 bad of 10 -> 12x; short 2/2 -> 20x)
        Slo s = slo(0.95, SloWindow.THIRTY_DAYS, List.of(FAST));
        SloStatus end = SloEngine.evaluate(s, series(T0, 30, 10, 20, 30), null);
        assertEquals(1, end.firing().size());
        assertEquals(T0.plusSeconds(26 * 60), end.firing().get(0).since());
        assertEquals(SloStatus.State.BREACHED, end.state());
        assertTrue(end.failing());
        // an hour later nothing is counted in either window: burn rate 0, resolved at minute 31 (the short window
        // holds bucket 29 only: 10/10 bad over the window's 10 events -> 20x; at minute 32 it holds none -> 0)
        SloStatus later = SloEngine.evaluate(s, series(T0, 30, 10, 20, 30), T0.plusSeconds(90 * 60));
        assertTrue(later.firing().isEmpty());
        SloAlert resolved = later.timeline().get(later.timeline().size() - 1);
        assertFalse(resolved.firing());
        assertEquals(T0.plusSeconds(32 * 60), resolved.at());
    }

    @Test
    void aBurningSloThatStillMeetsItsObjectiveIsBurning() {
        // 1,000 clean buckets of 100, then 5 buckets with 20 bad each. Objective 99%: budget 1%.
        // window total = 100,500, bad = 100 -> consumed 100 / 1,005 = 0.0995; SLI 0.999 > 0.99: met.
        // default page-fast: long 1 h = 60 buckets, 100 bad / 6,000 -> 1.667% / 1% = 1.67x: quiet. Use a rule of
        // 1.5x over 1 h and 5 min: short = 100 / 500 = 20% -> 20x: both above -> burning.
        long[] total = new long[1005];
        long[] good = new long[1005];
        java.util.Arrays.fill(total, 100);
        java.util.Arrays.fill(good, 100);
        for (int i = 1000; i < 1005; i++) {
            good[i] = 80;
        }
        AlertRule r = new AlertRule("slow", Severity.WARNING, 1.5, Duration.ofHours(1), Duration.ofMinutes(5));
        SloStatus st = SloEngine.evaluate(slo(0.99, SloWindow.THIRTY_DAYS, List.of(r)),
                new SliSeries(T0, Duration.ofMinutes(1), total, good), null);
        assertEquals(100.0 / 1005, st.budgetConsumed(), EPS);
        assertEquals(100.0 / 6000 / 0.01, st.rules().get(0).longBurnRate(), EPS);
        assertEquals(20.0, st.rules().get(0).shortBurnRate(), EPS);
        assertEquals(SloStatus.State.BURNING, st.state());
        assertTrue(st.failing());
    }

    @Test
    void aRuleWaitsUntilTheDataCoversItsLongWindow() {
        // the first 5 of 30 buckets all bad: minute 1 has 10/10 bad in both windows (20x), but the 10-minute long
        // window is not covered until minute 10, when it holds buckets 0..9 = 50/100 bad -> 10x, not above: quiet
        Slo s = slo(0.95, SloWindow.THIRTY_DAYS, List.of(FAST));
        assertTrue(SloEngine.evaluate(s, series(T0, 30, 10, 0, 5), null).timeline().isEmpty());
        // buckets 0..6 bad: at minute 10 the long window has 70/100 -> 14x, but the short one (8, 9) is clean
        assertTrue(SloEngine.evaluate(s, series(T0, 30, 10, 0, 7), null).timeline().isEmpty());
        // buckets 0..9 bad: at minute 10 both windows are all bad -> fires then, not at minute 1
        SloStatus st = SloEngine.evaluate(s, series(T0, 30, 10, 0, 10), null);
        assertEquals(T0.plusSeconds(10 * 60), st.timeline().get(0).at());
    }

    @Test
    void noEventsIsNoData() {
        SloStatus st = SloEngine.evaluate(slo(0.99, SloWindow.THIRTY_DAYS, AlertRule.DEFAULTS),
                new SliSeries(T0, Duration.ofMinutes(1), new long[0], new long[0]), null);
        assertEquals(SloStatus.State.NO_DATA, st.state());
        assertFalse(st.failing());
        assertTrue(Double.isNaN(st.sli()));
    }
}
