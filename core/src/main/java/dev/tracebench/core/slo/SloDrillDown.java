package dev.tracebench.core.slo;

import java.time.Instant;
import java.util.Locale;

/**
 * The traces behind an SLO's bad events in a period, as a trace filter expression (over {@code traces t}, the form
 * the GUI's cohort field and {@code --cohort} take): "the requests slower than 2 s that started in this hour", "the
 * answers groundedness did not label grounded". An event is at the start of its request, as {@link SloService#series}
 * counts it, so the traces listed are the ones the period's bad events came from.
 */
public final class SloDrillDown {
    private SloDrillDown() {
    }

    /** The traces with a bad event of {@code slo} starting in [from, to). */
    public static String badEvents(Slo slo, Instant from, Instant to) {
        String when = "t.start_ns >= " + nanos(from) + " AND t.start_ns < " + nanos(to);
        String bad = switch (slo.sli()) {
            case LATENCY -> "t.duration_ns > " + (long) slo.threshold();
            case AVAILABILITY -> "t.root_error";
            case COST -> "t.cost > " + number(slo.threshold());
            case TOKENS -> "t.total_tokens > " + (long) slo.threshold();
            case RELEVANCE, METRIC -> evalResult(slo, "NOT isnan(e.score) AND e.score < " + number(slo.threshold()));
            case EVAL -> evalResult(slo, slo.good() != null ? "NOT coalesce((" + slo.good() + "), false)"
                    : slo.label() != null ? "e.label IS NOT NULL AND lower(e.label) <> lower(" + quote(slo.label())
                    + ")"
                    // the stored verdict, else score ≥ threshold: what a result's pass means everywhere
                    : "NOT coalesce(e.passed, CASE WHEN NOT isnan(e.score) THEN e.score >= e.threshold END)");
        };
        String s = when + " AND " + bad;
        if (slo.filter() != null) {
            // the SLO's filter may say `service` (an alias the SLO queries give service_name)
            s += " AND t.trace_id IN (SELECT trace_id FROM (SELECT *, service_name AS service FROM traces) f WHERE "
                    + slo.filter() + ")";
        }
        return s;
    }

    private static String evalResult(Slo slo, String bad) {
        return "EXISTS (SELECT 1 FROM eval_results e WHERE e.trace_id = t.trace_id AND lower(e.evaluator) = lower("
                + quote(slo.evaluator()) + ") AND " + bad + ")";
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String number(double d) {
        return String.format(Locale.ROOT, "%.10g", d);
    }
}
