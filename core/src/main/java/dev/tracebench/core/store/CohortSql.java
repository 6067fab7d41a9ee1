package dev.tracebench.core.store;

import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.GroupBy;
import java.util.Locale;

/**
 * A cohort as SQL: a condition on {@code traces t} (with the per-operation thresholds joined in for percentile
 * cohorts). Values are numbers formatted here, or the values a cohort is narrowed to as quoted string literals
 * ({@link DuckDbAnalysisService#quote}), except the FILTER expression, which is the user's own SQL over the columns of
 * {@code traces}: checked by DuckDB's parser to be exactly one expression ({@link UserSql#checkedExpression}), and
 * run, like every read, where DuckDB refuses writes and file access.
 */
final class CohortSql {
    private CohortSql() {
    }

    /** FROM clause producing the traces of the workspace, with thresholds when the cohort needs them. */
    static String from(Cohort c) {
        if (c.kind() == Cohort.Kind.SLOW_PERCENTILE) {
            return "traces t JOIN (" + thresholds(c) + ") thr USING (root_name)";
        }
        return "traces t";
    }

    /**
     * Below this many traces an operation's own percentile says little (with one trace, the trace is its own p95):
     * such operations use the percentile over all traces.
     */
    static final int MIN_TRACES_PER_OPERATION = 20;

    /**
     * The threshold of a percentile cohort per root operation: {@code root_name, threshold_ns, n} (n: the operation's
     * traces).
     */
    static String thresholds(Cohort c) {
        String col = c.metric().column();
        String q = "quantile_cont(" + col + ", " + num(c.percentile() / 100.0) + ")";
        return "SELECT root_name, CASE WHEN count(*) >= " + MIN_TRACES_PER_OPERATION + " THEN " + q
                + " ELSE (SELECT " + q + " FROM traces) END AS threshold_ns, count(*) AS n FROM traces GROUP BY root_name";
    }

    /** A boolean SQL expression over {@link #from}'s columns that is true for the cohort's traces. */
    static String condition(Cohort c) {
        StringBuilder s = new StringBuilder(kindCondition(c));
        if (c.kind() != Cohort.Kind.FILTER && c.filter() != null) { // a cohort narrowed by Cohort.and
            s.append(" AND ").append(checkedFilter(c.filter()));
        }
        for (Cohort.Within w : c.narrowing()) {
            s.append(" AND ").append(within(w));
        }
        return s.toString();
    }

    /**
     * Group membership as a breakdown groups ({@code (none)} for no value); an empty list of values holds no trace
     * (or, excluded, every trace).
     */
    static String within(Cohort.Within w) {
        if (w.values().isEmpty()) {
            return w.exclude() ? "TRUE" : "FALSE";
        }
        StringBuilder s = new StringBuilder("coalesce(CAST(" + groupValue(w.by()) + " AS VARCHAR), "
                + DuckDbAnalysisService.quote(Breakdown.NONE) + ")" + (w.exclude() ? " NOT IN (" : " IN ("));
        for (int i = 0; i < w.values().size(); i++) {
            s.append(i == 0 ? "" : ", ").append(DuckDbAnalysisService.quote(w.values().get(i)));
        }
        return s.append(")").toString();
    }

    /** The SQL value a trace is grouped by (ATTRIBUTE: read from its spans' attributes; NONE: null). */
    static String groupValue(GroupBy g) {
        return switch (g.dimension()) {
            case NONE -> "CAST(NULL AS VARCHAR)";
            case ATTRIBUTE -> "(SELECT min(attr(s.attributes, " + DuckDbAnalysisService.quote(g.attributeKey())
                    + ")) FROM spans s WHERE s.trace_id = t.trace_id AND s.start_ns BETWEEN t.start_ns AND t.end_ns)";
            default -> "t." + g.dimension().column();
        };
    }

    private static String kindCondition(Cohort c) {
        return switch (c.kind()) {
            case ALL -> "TRUE";
            case SLOW_PERCENTILE -> "t." + c.metric().column() + " >= thr.threshold_ns AND t." + c.metric().column()
                    + " > 0";
            case SLOW_THRESHOLD -> "t.duration_ns >= " + c.minDurationNs();
            case ERRORS -> "t.error_count > 0";
            case FAILED -> "t.root_error";
            case REGION -> "t.start_ns >= " + c.fromNs() + " AND t.start_ns < " + c.toNs() + " AND t.duration_ns >= "
                    + c.minDurationNs() + " AND t.duration_ns < " + c.maxDurationNs();
            case FILTER -> checkedFilter(c.filter());
        };
    }

    /** SELECT of the cohort's trace ids. */
    static String traceIds(Cohort c) {
        return "SELECT t.trace_id FROM " + from(c) + " WHERE " + condition(c);
    }

    /** The user's filter, checked to be one expression over {@code traces t}, in parentheses. */
    static String checkedFilter(String expr) {
        return UserSql.checkedExpression(expr, "traces", "t");
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.6f", d);
    }
}
