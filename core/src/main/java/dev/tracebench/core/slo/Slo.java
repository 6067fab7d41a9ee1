package dev.tracebench.core.slo;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One service level objective, as read from an SLO file.
 *
 * @param name       unique within the file
 * @param index      its position in the file's {@code slos} list (0-based; messages say {@code slos[index]})
 * @param sli        what is measured
 * @param threshold  latency: nanoseconds; cost: USD; tokens: tokens; relevance and metric: the least good score;
 *                   NaN for the others
 * @param percentile latency only: when given (0 < p < 100, e.g. 95 or 99.9), a time-slice SLI: each step with requests
 *                   is one event, good when the step's p-th percentile duration is at most the threshold; else NaN
 * @param objective  the share of valid events that must be good, e.g. 0.999
 * @param window     the period the objective is measured over
 * @param filter     SQL expression over the columns of {@code traces} choosing the requests (of eval SLIs: the judged
 *                   requests), or null for all
 * @param evaluator  eval, relevance and metric SLIs: the evaluator (metric) name, else null
 * @param good       eval SLI: SQL expression over the columns of {@code eval_results} that is true for a good result,
 *                   or null when {@code label} or {@code pass} says it
 * @param label      eval SLI: a result is good when it has this label (case ignored), else null
 * @param pass       eval SLI: true when a result is good when it passed (as stored, or score ≥ its threshold)
 * @param alerts     the burn-rate alerts ({@link AlertRule#DEFAULTS} unless the file gives its own)
 * @param lines      the file's line (1-based) of each field given, by field name ("name", "filter", ...), and of the
 *                   entry itself ("")
 */
public record Slo(String name, int index, Sli sli, double threshold, double percentile, double objective, SloWindow window, String filter,
        String evaluator, String good, String label, boolean pass, List<AlertRule> alerts, Map<String, Integer> lines) {

    public Slo {
        alerts = List.copyOf(alerts);
        lines = Map.copyOf(lines);
    }

    /** True for a percentile-under-a-bound latency SLO, whose events are time steps rather than requests. */
    public boolean percentileSli() {
        return !Double.isNaN(percentile);
    }

    /** The percentile as the file would write it: "p95", "p99.9". */
    public String percentileText() {
        return "p" + number(percentile);
    }

    /** The error budget: the share of valid events allowed to be bad, 1 − objective. */
    public double errorBudget() {
        return 1 - objective;
    }

    /** The line of a field, else of the entry. */
    public int line(String field) {
        return lines.getOrDefault(field, lines.getOrDefault("", 0));
    }

    /** The objective as a percentage: "99.9%". */
    public String objectiveText() {
        return percent(objective);
    }

    /** "99.9%", "99%", "99.95%": as few decimals as the number needs. */
    public static String percent(double share) {
        String s = String.format(Locale.ROOT, "%.4f", share * 100).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }

    /**
     * What makes an event good, in words: "duration ≤ 2s", "label = 'grounded'", "score ≥ 0.8", "the minute's p95 ≤
     * 500ms" (a percentile SLO's events are the minutes, longer steps only over periods of more than 69 days).
     */
    public String goodText() {
        return switch (sli) {
            case LATENCY -> percentileSli() ? "the minute's " + percentileText() + " ≤ " + thresholdText()
                    : "duration ≤ " + thresholdText();
            case AVAILABILITY -> "the request did not fail";
            case COST -> "cost ≤ " + thresholdText();
            case TOKENS -> "tokens ≤ " + thresholdText();
            case RELEVANCE, METRIC -> evaluator + " score ≥ " + thresholdText();
            case EVAL -> evaluator + ": " + (good != null ? good : label != null ? "label = '" + label + "'" : "passed");
        };
    }

    /** The threshold as the file would write it: "2s", "450ms", "$0.01", "4000", "0.8". */
    public String thresholdText() {
        return switch (sli) {
            case LATENCY -> threshold % 1_000_000_000L == 0 ? (long) (threshold / 1e9) + "s"
                    : threshold % 1_000_000 == 0 ? (long) (threshold / 1e6) + "ms"
                    : String.format(Locale.ROOT, "%.3fms", threshold / 1e6);
            case COST -> "$" + number(threshold);
            case TOKENS, RELEVANCE, METRIC -> number(threshold);
            default -> "";
        };
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d)
                : String.format(Locale.ROOT, "%s", d);
    }
}
