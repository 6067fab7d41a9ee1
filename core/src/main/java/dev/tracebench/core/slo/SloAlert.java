package dev.tracebench.core.slo;

import dev.tracebench.core.analysis.Severity;

import java.time.Duration;
import java.time.Instant;

/**
 * One change of a burn-rate alert's state: it fired or it resolved. Alerts are computed by replaying the
 * multiwindow multi-burn-rate rules over the imported period (or over live data), and are what notifications send.
 *
 * @param slo             the SLO's name
 * @param rule            the alert rule's name, e.g. "page-fast" (14.4× over 1 h and 5 min)
 * @param severity        CRITICAL for a page, WARNING for a ticket
 * @param firing          true when the alert fired at {@code at}, false when it resolved
 * @param at              when the state changed (the end of the evaluation step that changed it)
 * @param since           when the firing began (equal to {@code at} for a firing alert)
 * @param burnRate        the burn rate over the long window at {@code at}
 * @param threshold       the rule's burn-rate threshold (e.g. 14.4)
 * @param longWindow      the rule's long window (e.g. 1 h)
 * @param shortWindow     the rule's short window (e.g. 5 min)
 * @param budgetRemaining share of the error budget left at {@code at} (may be negative when overspent)
 * @param summary         one sentence with the numbers, e.g. "answer-latency burns its error budget 16.2× too fast
 *                        (1 h window); 71% of the 30-day budget left"
 */
public record SloAlert(String slo, String rule, Severity severity, boolean firing, Instant at, Instant since,
        double burnRate, double threshold, Duration longWindow, Duration shortWindow, double budgetRemaining,
        String summary) {

    /**
     * The stable key of one incident: the same SLO and rule firing from the same start is one incident, so its
     * trigger and resolve share it (PagerDuty {@code dedup_key}), and repeated sends are grouped.
     */
    public String incidentKey() {
        return "tracebench/" + slo + "/" + rule + "/" + since.getEpochSecond();
    }
}
