package dev.tracebench.core.store;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.EvalCondition;
import dev.tracebench.core.query.QueryRefusedException;
import dev.tracebench.core.slo.SliSeries;
import dev.tracebench.core.slo.Slo;
import dev.tracebench.core.slo.SloService;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link SloService} over a DuckDB workspace: one aggregation per SLO ({@code query/slo_series.sql}, for a percentile
 * latency SLO {@code query/slo_percentile_series.sql}) counts its valid and good events per step; the SLO engine does
 * the rest in Java. The SLO's filter and good expressions are the user's SQL: checked by DuckDB's parser to be one
 * expression ({@link UserSql#checkedExpression}, the path of cohort filters), and run like every read, where DuckDB
 * refuses writes and file access. Evaluator names and labels are quoted literals.
 */
final class DuckDbSloService implements SloService {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(step|events|valid|good)}");

    private final Workspace ws;

    DuckDbSloService(Workspace ws) {
        this.ws = ws;
    }

    @Override
    public List<FieldProblem> check(Slo slo) {
        List<FieldProblem> out = new ArrayList<>();
        if (slo.filter() != null) {
            refused(out, "filter", () -> binds(events(slo), CohortSql.checkedFilter(slo.filter())));
        }
        if (slo.good() != null) {
            refused(out, "good", () -> binds(events(slo), UserSql.checkedExpression(slo.good(), "eval_results",
                    "e")));
        }
        if (!slo.sli().overTraces()) {
            // the questions a quality cohort asks of the workspace: is there such an evaluator, such a label, ...
            EvalCondition e = slo.label() != null ? EvalCondition.label(slo.evaluator(), slo.label())
                    : slo.pass() ? EvalCondition.passed(slo.evaluator())
                    : slo.good() != null ? null
                    : EvalCondition.score(slo.evaluator(), EvalCondition.Op.GE, slo.threshold());
            String field = slo.label() != null ? "label" : slo.pass() ? "pass" : "evaluator";
            if (e != null) {
                refused(out, field, () -> CohortSql.check(ws, Cohort.quality(e)));
            } else {
                refused(out, "evaluator", () -> knownEvaluator(slo.evaluator()));
            }
        }
        return out;
    }

    private static void refused(List<FieldProblem> out, String field, Runnable check) {
        try {
            check.run();
        } catch (QueryRefusedException e) {
            out.add(new FieldProblem(field, e.getMessage()));
        }
    }

    /**
     * Refuses an expression DuckDB cannot bind over the events (a column that is not there, a type that does not
     * compare), with DuckDB's message: a mistake in the file, found before anything is computed.
     */
    private void binds(String events, String condition) {
        try {
            ws.read(c -> {
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT 1 FROM " + events + " WHERE " + condition
                                + " LIMIT 0")) {
                    return rs.next();
                }
            });
        } catch (WorkspaceException e) {
            String m = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw new QueryRefusedException(UserSql.clean(m));
        }
    }

    /** Refuses an evaluator the workspace holds no results of, saying which it holds. */
    private void knownEvaluator(String evaluator) {
        List<String> names = ws.read(c -> {
            List<String> n = new ArrayList<>();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT DISTINCT evaluator FROM eval_results ORDER BY 1")) {
                while (rs.next()) {
                    n.add(rs.getString(1));
                }
            }
            return n;
        });
        if (names.stream().noneMatch(evaluator::equalsIgnoreCase)) {
            throw new QueryRefusedException(names.isEmpty() ? "The workspace holds no eval results: import an eval "
                    + "file or run the evaluators first."
                    : "unknown evaluator '" + evaluator + "'; the workspace holds " + String.join(", ", names) + ".");
        }
    }

    @Override
    public SliSeries series(Slo slo) {
        String events = events(slo);
        String valid = valid(slo);
        String good = good(slo);
        Query series = slo.percentileSli() ? Query.SLO_PERCENTILE_SERIES : Query.SLO_SERIES;
        return ws.read(c -> {
            long first;
            long last;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(sql(Query.SLO_SPAN, Map.of("events", events, "valid", valid)))) {
                rs.next();
                first = rs.getLong(1);
                if (rs.wasNull()) {
                    return new SliSeries(Instant.EPOCH, Duration.ofMinutes(1), new long[0], new long[0]);
                }
                last = rs.getLong(2);
            }
            Duration step = SliSeries.stepFor(Duration.ofNanos(last - first));
            long stepNs = step.toNanos();
            long from = Math.floorDiv(first, stepNs);
            int n = (int) (Math.floorDiv(last, stepNs) - from + 1);
            long[] total = new long[n];
            long[] goodCounts = new long[n];
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql(series, Map.of(
                    "step", Long.toString(stepNs), "events", events, "valid", valid, "good", good)))) {
                while (rs.next()) {
                    int i = (int) (rs.getLong(1) - from);
                    total[i] = rs.getLong(2);
                    goodCounts[i] = rs.getLong(3);
                }
            }
            return new SliSeries(Instant.ofEpochSecond(0, from * stepNs), step, total, goodCounts);
        });
    }

    /** A query file with its placeholders replaced in one pass (so text in a filter is never taken for one). */
    private static String sql(Query q, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(q.sql());
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(values.get(m.group(1))));
        }
        return m.appendTail(sb).toString();
    }

    /**
     * The events' FROM clause. The traces carry {@code service} beside {@code service_name}, so a filter can say
     * {@code service = 'answer-api'} as the issue's own example does.
     */
    private static String events(Slo slo) {
        String traces = "(SELECT *, service_name AS service FROM traces) t";
        return slo.sli().overTraces() ? traces : "eval_results e JOIN " + traces + " ON t.trace_id = e.trace_id";
    }

    /** The SLI's valid events, narrowed by the SLO's filter. */
    private static String valid(Slo slo) {
        String v = switch (slo.sli()) {
            case LATENCY, AVAILABILITY -> "TRUE";
            case COST -> "t.cost IS NOT NULL";
            case TOKENS -> "t.total_tokens > 0";
            case RELEVANCE, METRIC -> evaluatorIs(slo) + " AND e.score IS NOT NULL AND NOT isnan(e.score)";
            case EVAL -> evaluatorIs(slo) + (slo.label() != null ? " AND e.label IS NOT NULL"
                    : slo.pass() ? " AND " + CohortSql.VERDICT + " IS NOT NULL" : "");
        };
        return slo.filter() == null ? v : v + " AND " + CohortSql.checkedFilter(slo.filter());
    }

    private static String good(Slo slo) {
        return switch (slo.sli()) {
            case LATENCY -> slo.percentileSli()
                    ? "quantile_cont(t.duration_ns, " + num(slo.percentile() / 100) + ") <= " + (long) slo.threshold()
                    : "t.duration_ns <= " + (long) slo.threshold();
            case AVAILABILITY -> "NOT t.root_error";
            case COST -> "t.cost <= " + num(slo.threshold());
            case TOKENS -> "t.total_tokens <= " + (long) slo.threshold();
            case RELEVANCE, METRIC -> "e.score >= " + num(slo.threshold());
            case EVAL -> slo.good() != null ? UserSql.checkedExpression(slo.good(), "eval_results", "e")
                    : slo.label() != null ? "lower(e.label) = lower(" + DuckDbAnalysisService.quote(slo.label()) + ")"
                    : CohortSql.VERDICT;
        };
    }

    private static String evaluatorIs(Slo slo) {
        return "lower(e.evaluator) = lower(" + DuckDbAnalysisService.quote(slo.evaluator()) + ")";
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.10g", d);
    }

    @Override
    public Inventory inventory() {
        return ws.read(c -> {
            List<ServiceInfo> services = new ArrayList<>();
            List<String> models = new ArrayList<>();
            List<EvaluatorInfo> evaluators = new ArrayList<>();
            double cost;
            long tokens;
            try (Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery(Query.SLO_SERVICES.sql())) {
                    while (rs.next()) {
                        services.add(new ServiceInfo(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT model FROM traces WHERE model IS NOT NULL "
                        + "GROUP BY model ORDER BY count(*) DESC, model")) {
                    while (rs.next()) {
                        models.add(rs.getString(1));
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT quantile_cont(cost, 0.99) FILTER (WHERE cost IS NOT NULL), "
                        + "quantile_cont(total_tokens, 0.99) FILTER (WHERE total_tokens > 0) FROM traces")) {
                    rs.next();
                    cost = rs.getDouble(1);
                    cost = rs.wasNull() ? Double.NaN : cost;
                    tokens = (long) Math.ceil(rs.getDouble(2));
                }
                try (ResultSet rs = st.executeQuery(Query.SLO_EVALUATORS.sql())) {
                    while (rs.next()) {
                        Array labels = rs.getArray(3);
                        evaluators.add(new EvaluatorInfo(rs.getString(1), rs.getLong(2), labels == null ? List.of()
                                : Arrays.stream((Object[]) labels.getArray()).map(String::valueOf).toList(),
                                rs.getBoolean(4), rs.getBoolean(5)));
                    }
                }
            }
            return new Inventory(services, models, cost, tokens, evaluators);
        });
    }
}
