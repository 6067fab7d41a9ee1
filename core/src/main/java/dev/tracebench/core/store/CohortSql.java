package dev.tracebench.core.store;

import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.EvalCondition;
import dev.tracebench.core.analysis.GroupBy;
import dev.tracebench.core.query.QueryRefusedException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A cohort as SQL: a condition on {@code traces t} (with the per-operation thresholds joined in for percentile
 * cohorts). Values are numbers formatted here, or the values a cohort is narrowed to as quoted string literals
 * ({@link DuckDbAnalysisService#quote}), except the FILTER expression, which is the user's own SQL over the columns of
 * {@code traces}: checked by DuckDB's parser to be exactly one expression ({@link UserSql#checkedExpression}), and
 * run, like every read, where DuckDB refuses writes and file access.
 *
 * <p>A quality cohort is an {@code EXISTS} over the trace's {@code eval_results} ({@link #evalCondition}). Its evaluator
 * and label are first checked against the workspace's results ({@link #check}, which reads them without any of the
 * user's text in its SQL), then written as quoted literals and the whole condition read back by DuckDB's parser.
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
            case QUALITY -> evalCondition(c.eval());
        };
    }

    /**
     * The traces a cohort is compared with, as a condition like {@link #condition}: for a quality cohort the traces
     * with a result of its evaluator (with a verdict, for any-fail): hallucinated answers against the other answers
     * groundedness judged, not against requests nobody evaluated. Else every trace ("TRUE").
     */
    static String population(Cohort c) {
        if (!c.isQuality()) {
            return "TRUE";
        }
        EvalCondition e = c.eval();
        return exists(e.test() == EvalCondition.Test.ANY_FAILED ? VERDICT + " IS NOT NULL" : evaluatorIs(e));
    }

    /**
     * A result's pass/fail: as stored, else score ≥ threshold when it has both (the rule of
     * {@code EvalResult.passed()}); a judge that failed (NaN score) and a result without either: NULL, neither.
     */
    static final String VERDICT = "coalesce(e.passed, CASE WHEN NOT isnan(e.score) THEN e.score >= e.threshold END)";

    /** The trace has a result meeting the condition; names and labels compare without case. */
    static String evalCondition(EvalCondition e) {
        String test = switch (e.test()) {
            case LABEL -> evaluatorIs(e) + " AND lower(e.label) = lower(" + DuckDbAnalysisService.quote(e.label()) + ")";
            case SCORE -> evaluatorIs(e) + " AND NOT isnan(e.score) AND e.score " + e.op().sql() + " "
                    + Double.toString(e.score());
            case PASSED -> evaluatorIs(e) + " AND " + VERDICT;
            case FAILED -> evaluatorIs(e) + " AND NOT " + VERDICT;
            case ANY_FAILED -> "NOT " + VERDICT;
        };
        // the literals are quoted; DuckDB's parser confirms the whole is one expression all the same
        return UserSql.checkedExpression(exists(test), "traces", "t");
    }

    private static String evaluatorIs(EvalCondition e) {
        return "lower(e.evaluator) = lower(" + DuckDbAnalysisService.quote(e.evaluator()) + ")";
    }

    private static String exists(String test) {
        return "EXISTS (SELECT 1 FROM eval_results e WHERE e.trace_id = t.trace_id AND " + test + ")";
    }

    /**
     * Refuses a quality cohort the workspace cannot answer, with what it holds instead: no eval results at all, an
     * unknown evaluator ("unknown evaluator 'grounded'; the workspace holds groundedness, relevance, toxicity"), a
     * label its results never have, a score or verdict they do not carry, or results linked to no trace here. So a
     * cohort is empty only when no answer meets a condition the data could meet. Other cohorts pass unchecked.
     */
    static void check(Workspace ws, Cohort cohort) {
        if (cohort != null && cohort.isQuality()) {
            ws.read(c -> {
                check(c, cohort);
                return null;
            });
        }
    }

    /** {@link #check(Workspace, Cohort)} on a connection already reading. */
    static void check(Connection c, Cohort cohort) throws SQLException {
        if (!cohort.isQuality()) {
            return;
        }
        EvalCondition e = cohort.eval();
        List<Object[]> evaluators = new ArrayList<>(); // name, results, linked, scores, verdicts, labels
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT evaluator, count(*), "
                + "count(*) FILTER (WHERE trace_id IN (SELECT trace_id FROM traces)), "
                + "count(*) FILTER (WHERE NOT isnan(score)), count(" + VERDICT + "), "
                + "list(DISTINCT label ORDER BY label) FILTER (WHERE label IS NOT NULL) "
                + "FROM eval_results e GROUP BY evaluator ORDER BY evaluator")) {
            while (rs.next()) {
                java.sql.Array labels = rs.getArray(6);
                evaluators.add(new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), labels == null ? List.of() : Arrays.stream((Object[]) labels.getArray())
                                .map(String::valueOf).toList()});
            }
        }
        String cohortText = "eval:" + e.text();
        if (evaluators.isEmpty()) {
            throw new QueryRefusedException("The workspace holds no eval results, so " + cohortText + " has nothing "
                    + "to select: import an eval file (e.g. the generator's evals.jsonl) or run the evaluators first.");
        }
        if (e.test() == EvalCondition.Test.ANY_FAILED) {
            long verdicts = 0;
            for (Object[] ev : evaluators) {
                verdicts += (Long) ev[4];
            }
            if (verdicts == 0) {
                throw new QueryRefusedException("No eval result in the workspace has a pass/fail verdict (a passed "
                        + "value, or a score with a threshold), so eval:any-fail would hold no trace; choose by label or "
                        + "score instead, e.g. eval:" + name(evaluators.get(0)) + "<0.5.");
            }
            return;
        }
        Object[] ev = null;
        for (Object[] x : evaluators) {
            if (name(x).equalsIgnoreCase(e.evaluator())) {
                ev = x;
                break;
            }
        }
        if (ev == null) {
            List<String> names = evaluators.stream().map(CohortSql::name).toList();
            throw new QueryRefusedException("unknown evaluator '" + e.evaluator() + "'; the workspace holds "
                    + some(names) + ".");
        }
        String n = name(ev);
        @SuppressWarnings("unchecked")
        List<String> labels = (List<String>) ev[5];
        if ((Long) ev[2] == 0) {
            throw new QueryRefusedException("None of the " + ev[1] + " " + n + " results is linked to a trace of this "
                    + "workspace (import the traces they judged), so " + cohortText + " would hold no trace.");
        }
        String instead = (labels.isEmpty() ? "" : "a label (" + some(labels) + ")")
                + ((Long) ev[3] > 0 ? (labels.isEmpty() ? "" : " or ") + "a score, e.g. eval:" + n + "<0.5" : "");
        if (instead.isEmpty()) {
            instead = "a verdict, eval:" + n + "=fail";
        }
        switch (e.test()) {
            case LABEL -> {
                if (labels.stream().noneMatch(l -> l.equalsIgnoreCase(e.label()))) {
                    throw new QueryRefusedException(labels.isEmpty()
                            ? n + " results have no labels; choose by " + instead + "."
                            : "No " + n + " result is labelled '" + e.label() + "'; its labels are " + some(labels)
                                    + ".");
                }
            }
            case SCORE -> {
                if ((Long) ev[3] == 0) {
                    throw new QueryRefusedException(n + " results have no scores; choose by " + instead
                            + (labels.isEmpty() ? "" : ", e.g. eval:" + n + "=" + labels.get(0)) + ".");
                }
            }
            case PASSED, FAILED -> {
                if ((Long) ev[4] == 0) {
                    throw new QueryRefusedException(n + " results carry no pass/fail verdict (no passed value, no "
                            + "threshold); choose by " + instead + ".");
                }
            }
            default -> throw new IllegalStateException(e.test().name());
        }
    }

    private static String name(Object[] evaluator) {
        return (String) evaluator[0];
    }

    /** "a, b, c" or "a, b, … and 12 more". */
    private static String some(List<String> values) {
        int shown = 12;
        return values.size() <= shown ? String.join(", ", values)
                : String.join(", ", values.subList(0, shown)) + " and " + (values.size() - shown) + " more";
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
