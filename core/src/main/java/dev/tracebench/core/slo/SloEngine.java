package dev.tracebench.core.slo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compliance, error budget, burn rates and the alert replay of an SLO from its per-bucket event counts, with the SRE
 * Workbook's definitions ("Implementing SLOs" and "Alerting on SLOs", https://sre.google/workbook/):
 * <ul>
 * <li>SLI = good events / valid events in the window;</li>
 * <li>error budget = 1 − objective; budget consumed = bad / (valid × (1 − objective)); remaining = 1 − consumed;</li>
 * <li>burn rate over a window W = (bad / valid over W) / (1 − objective): 1 spends exactly the budget over the SLO
 * window;</li>
 * <li>a multiwindow alert fires at the end of a step where the burn rate over both its long and its short window is
 * above its threshold, and resolves at the end of the first step where that no longer holds.</li>
 * </ul>
 * A window with no valid events burns nothing (rate 0). Windows are whole steps ending at the evaluated moment. A rule
 * fires only once the data covers its long window (the first event's step is at least that long ago): before that its
 * burn rate would be read from the first minutes alone, where one slow request among ten is a 10% error rate and
 * pages at once. So a replay over 12 hours of traces never raises the 3-day ticket. Pure: no database, no clock.
 */
public final class SloEngine {
    private SloEngine() {
    }

    /**
     * Evaluates an SLO at {@code at} (null: the end of the data), replaying its alerts over the whole series up to
     * then. {@code at} is rounded down to a whole step of the series.
     */
    public static SloStatus evaluate(Slo slo, SliSeries s, Instant at) {
        Duration step = s.step();
        long stepNs = step.toNanos();
        Instant when = at == null ? s.end() : at;
        // the number of steps since the origin that have ended at `when` (may be past the data, or before it)
        long k = Math.floorDiv(nanosBetween(s.origin(), when), stepNs);
        Instant moment = s.origin().plus(step.multipliedBy(k));
        Prefix p = new Prefix(s);
        List<SloAlert> timeline = new ArrayList<>();
        List<AlertRule> rules = slo.alerts();
        boolean[] firing = new boolean[rules.size()];
        Instant[] since = new Instant[rules.size()];
        long last = Math.min(k, s.buckets());
        for (long i = 1; i <= last; i++) {
            Instant t = s.origin().plus(step.multipliedBy(i));
            for (int r = 0; r < rules.size(); r++) {
                AlertRule rule = rules.get(r);
                double lr = p.burnRate(i, steps(rule.longWindow(), stepNs), slo.errorBudget());
                double sr = p.burnRate(i, steps(rule.shortWindow(), stepNs), slo.errorBudget());
                boolean covered = i >= steps(rule.longWindow(), stepNs);
                boolean now = covered && lr > rule.burnRate() && sr > rule.burnRate();
                if (now != firing[r]) {
                    firing[r] = now;
                    if (now) {
                        since[r] = t;
                    }
                    double remaining = 1 - consumed(slo, s, p, i);
                    timeline.add(new SloAlert(slo.name(), rule.name(), rule.severity(), now, t, since[r], lr,
                            rule.burnRate(), rule.longWindow(), rule.shortWindow(), remaining,
                            summary(slo, rule, now, lr, remaining, Duration.between(since[r], t))));
                }
            }
        }
        // rules that were firing at the end of the data resolve once their windows run past it
        for (long i = last + 1; i <= k; i++) {
            boolean any = false;
            for (int r = 0; r < rules.size(); r++) {
                if (!firing[r]) {
                    continue;
                }
                any = true;
                AlertRule rule = rules.get(r);
                double lr = p.burnRate(i, steps(rule.longWindow(), stepNs), slo.errorBudget());
                double sr = p.burnRate(i, steps(rule.shortWindow(), stepNs), slo.errorBudget());
                if (!(lr > rule.burnRate() && sr > rule.burnRate())) {
                    Instant t = s.origin().plus(step.multipliedBy(i));
                    firing[r] = false;
                    double remaining = 1 - consumed(slo, s, p, i);
                    timeline.add(new SloAlert(slo.name(), rule.name(), rule.severity(), false, t, since[r], lr,
                            rule.burnRate(), rule.longWindow(), rule.shortWindow(), remaining,
                            summary(slo, rule, false, lr, remaining, Duration.between(since[r], t))));
                }
            }
            if (!any) {
                break;
            }
        }
        List<SloStatus.RuleState> states = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) {
            AlertRule rule = rules.get(r);
            states.add(new SloStatus.RuleState(rule, p.burnRate(k, steps(rule.longWindow(), stepNs),
                    slo.errorBudget()), p.burnRate(k, steps(rule.shortWindow(), stepNs), slo.errorBudget()),
                    firing[r]));
        }
        long from = windowStartStep(slo, s, k);
        long total = p.total(from, k);
        long good = total - p.bad(from, k);
        return new SloStatus(slo, moment, s.origin().plus(step.multipliedBy(from)), total, good,
                consumed(slo, s, p, k), states, timeline);
    }

    /** Burn rate: (bad / total) / (1 − objective); 0 when there are no events. */
    public static double burnRate(long bad, long total, double objective) {
        return total == 0 ? 0 : bad / (double) total / (1 - objective);
    }

    /** Budget consumed: bad / (total × (1 − objective)); 0 when there are no events. */
    public static double budgetConsumed(long bad, long total, double objective) {
        return burnRate(bad, total, objective); // the same ratio, read over the SLO window
    }

    private static double consumed(Slo slo, SliSeries s, Prefix p, long k) {
        long from = windowStartStep(slo, s, k);
        return budgetConsumed(p.bad(from, k), p.total(from, k), slo.objective());
    }

    /** The step where the SLO window ending after step k begins (rounded up to a whole step). */
    private static long windowStartStep(Slo slo, SliSeries s, long k) {
        long stepNs = s.step().toNanos();
        Instant end = s.origin().plus(s.step().multipliedBy(k));
        Instant start = slo.window().start(end);
        return Math.floorDiv(nanosBetween(s.origin(), start) + stepNs - 1, stepNs);
    }

    /** A window as whole steps (at least one). */
    private static long steps(Duration window, long stepNs) {
        return Math.max(1, (window.toNanos() + stepNs - 1) / stepNs);
    }

    private static long nanosBetween(Instant a, Instant b) {
        return Duration.between(a, b).toNanos();
    }

    static String summary(Slo slo, AlertRule rule, boolean firing, double burnRate, double remaining,
            Duration lasted) {
        String left = percent(remaining) + " of the " + slo.window().label() + " budget left";
        if (firing) {
            return String.format(Locale.ROOT, "%s burns its error budget %.1f× too fast (%s window, alert at %s×); %s",
                    slo.name(), burnRate, window(rule.longWindow()), number(rule.burnRate()), left);
        }
        return String.format(Locale.ROOT, "%s: %s resolved after %s; burn rate %.1f× (%s window); %s", slo.name(),
                rule.name(), window(lasted), burnRate, window(rule.longWindow()), left);
    }

    /** "5 min", "1 h", "3 d", "1 h 30 min". */
    public static String window(Duration d) {
        long m = d.toMinutes();
        if (m % 1440 == 0 && m > 0) {
            return m / 1440 + " d";
        }
        if (m % 60 == 0 && m > 0) {
            return m / 60 + " h";
        }
        return m >= 60 ? m / 60 + " h " + m % 60 + " min" : m + " min";
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** Prefix sums of the series, so any window's counts are two subtractions. */
    private static final class Prefix {
        private final long[] total;
        private final long[] bad;

        Prefix(SliSeries s) {
            total = new long[s.buckets() + 1];
            bad = new long[s.buckets() + 1];
            for (int i = 0; i < s.buckets(); i++) {
                total[i + 1] = total[i] + s.total()[i];
                bad[i + 1] = bad[i] + s.total()[i] - s.good()[i];
            }
        }

        /** Sum over steps [from, to) of the series (steps outside it count nothing). */
        long total(long from, long to) {
            return at(total, to) - at(total, from);
        }

        long bad(long from, long to) {
            return at(bad, to) - at(bad, from);
        }

        private static long at(long[] prefix, long i) {
            return prefix[(int) Math.max(0, Math.min(prefix.length - 1, i))];
        }

        /** The burn rate over the `w` steps ending after step `k`. */
        double burnRate(long k, long w, double budget) {
            long t = total(k - w, k);
            return t == 0 ? 0 : bad(k - w, k) / (double) t / budget;
        }
    }
}
