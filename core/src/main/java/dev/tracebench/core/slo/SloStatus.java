package dev.tracebench.core.slo;

import java.time.Instant;
import java.util.List;

/**
 * An SLO evaluated at one moment: compliance over its window, its error budget, the burn rate of each alert rule's
 * windows, and the alert timeline replayed up to that moment.
 *
 * @param at              the moment (the end of the last step counted)
 * @param windowStart     where the SLO window ending at {@code at} begins
 * @param total           valid events in the window
 * @param good            good events in the window
 * @param budgetConsumed  bad / (total × (1 − objective)); 0 without events
 * @param rules           each alert rule's burn rates at {@code at}
 * @param timeline        every firing and resolving of an alert, in time order
 */
public record SloStatus(Slo slo, Instant at, Instant windowStart, long total, long good, double budgetConsumed,
        List<RuleState> rules, List<SloAlert> timeline) {

    public SloStatus {
        rules = List.copyOf(rules);
        timeline = List.copyOf(timeline);
    }

    /** Where the SLO stands, worst first. */
    public enum State {
        /** The SLI is below the objective over the window: the error budget is spent. */
        BREACHED,
        /** The objective holds, but an alert is firing: the budget burns too fast. */
        BURNING,
        /** The objective holds and no alert fires. */
        MET,
        /** No valid event in the window. */
        NO_DATA
    }

    /** A rule's burn rates at the moment evaluated. */
    public record RuleState(AlertRule rule, double longBurnRate, double shortBurnRate, boolean firing) {
    }

    public long bad() {
        return total - good;
    }

    /** good / total, NaN without events. */
    public double sli() {
        return total == 0 ? Double.NaN : good / (double) total;
    }

    /** 1 − consumed: the share of the budget left (negative when overspent). */
    public double budgetRemaining() {
        return 1 - budgetConsumed;
    }

    /** The alerts firing at {@code at}: the last firing of each rule that has not resolved. */
    public List<SloAlert> firing() {
        java.util.Map<String, SloAlert> open = new java.util.LinkedHashMap<>();
        for (SloAlert a : timeline) {
            if (a.firing()) {
                open.put(a.rule(), a);
            } else {
                open.remove(a.rule());
            }
        }
        return List.copyOf(open.values());
    }

    public State state() {
        if (total == 0) {
            return State.NO_DATA;
        }
        if (sli() < slo.objective()) {
            return State.BREACHED;
        }
        return firing().isEmpty() ? State.MET : State.BURNING;
    }

    /** A breach or a too-fast burn: what makes a CI gate fail. */
    public boolean failing() {
        State s = state();
        return s == State.BREACHED || s == State.BURNING;
    }
}
