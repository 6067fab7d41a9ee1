package dev.tracebench.core.notify;

import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.slo.SloAlert;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Alerts for the tests: the fast-burn page rule (14.4× over 1 h and 5 min). */
final class Alerts {
    static final Instant SINCE = Instant.parse("2026-11-03T09:55:00Z");

    private Alerts() {
    }

    static SloAlert firing(String slo, Instant since, Instant at, double burnRate, double budgetLeft) {
        return new SloAlert(slo, "page-fast", Severity.CRITICAL, true, at, since, burnRate, 14.4, Duration.ofHours(1),
                Duration.ofMinutes(5), budgetLeft, String.format(Locale.ROOT,
                        "%s burns its error budget %.1f× too fast (1 h window); %.0f%% of the 30-day budget left",
                        slo, burnRate, budgetLeft * 100));
    }

    static SloAlert firing(String slo) {
        return firing(slo, SINCE, SINCE, 16.2, 0.71);
    }

    static SloAlert resolved(SloAlert fired, Instant at) {
        return new SloAlert(fired.slo(), fired.rule(), fired.severity(), false, at, fired.since(), 3.1,
                fired.threshold(), fired.longWindow(), fired.shortWindow(), 0.64,
                fired.slo() + " burn rate back to 3.1× (1 h window); 64% of the 30-day budget left");
    }
}
