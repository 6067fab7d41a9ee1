package dev.tracebench.core.slo;

import dev.tracebench.core.analysis.Severity;
import java.time.Duration;
import java.util.List;

/**
 * One multiwindow burn-rate alert: it fires while the burn rate over both the long and the short window exceeds the
 * threshold, and resolves when either no longer does (the short window makes it resolve soon after the errors stop).
 *
 * @param severity CRITICAL pages, WARNING makes a ticket
 */
public record AlertRule(String name, Severity severity, double burnRate, Duration longWindow, Duration shortWindow) {

    /**
     * The SRE Workbook's recommended multiwindow, multi-burn-rate alerts ("Alerting on SLOs", Table 5-8,
     * "Recommended parameters for a 99.9% SLO alerting configuration", https://sre.google/workbook/alerting-on-slos/):
     * page at 14.4× over 1 hour with a 5-minute short window (2% of a 30-day budget in an hour), page at 6× over
     * 6 hours with 30 minutes (5% in six hours), ticket at 1× over 3 days with 6 hours (10% in three days).
     */
    public static final List<AlertRule> DEFAULTS = List.of(
            new AlertRule("page-fast", Severity.CRITICAL, 14.4, Duration.ofHours(1), Duration.ofMinutes(5)),
            new AlertRule("page-slow", Severity.CRITICAL, 6, Duration.ofHours(6), Duration.ofMinutes(30)),
            new AlertRule("ticket", Severity.WARNING, 1, Duration.ofDays(3), Duration.ofHours(6)));

    /** "page" or "ticket", as the file writes it. */
    public String kind() {
        return severity == Severity.CRITICAL ? "page" : "ticket";
    }
}
