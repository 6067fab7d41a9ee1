package dev.tracebench.core.store;

import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.recommend.CacheTrendRule;
import dev.tracebench.core.recommend.QualityTrendRule;
import dev.tracebench.core.recommend.Recommendation;
import dev.tracebench.core.recommend.RecommendOptions;
import dev.tracebench.core.recommend.Recommendations;
import dev.tracebench.core.recommend.RecommendationService;
import dev.tracebench.core.recommend.SamplingRule;
import dev.tracebench.core.recommend.ScaleUpRule;
import dev.tracebench.core.recommend.TracingOverhead;
import dev.tracebench.core.recommend.TrafficRule;
import dev.tracebench.core.report.Durations;
import dev.tracebench.core.slo.Sli;
import dev.tracebench.core.slo.Slo;
import dev.tracebench.core.task.CancellationToken;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Gathers the numbers the recommendation rules ({@code core.recommend}) decide on: model calls per served version,
 * latency and queue time of the last quarter of the window, cache lookups, eval results by half of the window, and
 * span volume and size per operation. The window is the first to the last request start of the workspace.
 */
final class DuckDbRecommendationService implements RecommendationService {
    /** Built-in request latency bound (p95) per service, used when no latency SLO is given. */
    static final long REQUEST_P95_BOUND_NS = 10_000_000_000L;
    /** Built-in queue wait bound (p95), always checked. */
    static final long QUEUE_P95_BOUND_NS = 250_000_000L;
    /** A p95 bound allows this share of events over it. */
    static final double P95_ALLOWED = 0.05;

    private final Workspace ws;

    DuckDbRecommendationService(Workspace ws) {
        this.ws = ws;
    }

    @Override
    public Recommendations recommend(RecommendOptions options, CancellationToken cancel) {
        return ws.read(c -> {
            long lo;
            long hi;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT min(start_ns), max(start_ns) FROM traces")) {
                rs.next();
                lo = rs.getLong(1);
                if (rs.wasNull()) {
                    return new Recommendations(null, null, List.of(), List.of(), new TracingOverhead(0, 0,
                            List.of()));
                }
                hi = rs.getLong(2);
            }
            long mid = lo + (hi - lo) / 2;
            long lastQuarter = hi - (hi - lo) / 4;
            List<Recommendation> items = new ArrayList<>();
            cancel.throwIfCancelled();
            TrafficRule.Result traffic = TrafficRule.evaluate(modelStats(c, lastQuarter));
            items.addAll(traffic.items());
            cancel.throwIfCancelled();
            items.addAll(ScaleUpRule.evaluate(pressures(c, options, lastQuarter)));
            cancel.throwIfCancelled();
            items.addAll(CacheTrendRule.evaluate(caches(c, mid)));
            cancel.throwIfCancelled();
            items.addAll(QualityTrendRule.evaluate(quality(c, mid)));
            cancel.throwIfCancelled();
            TracingOverhead overhead = overhead(c);
            items.addAll(SamplingRule.evaluate(overhead));
            items.sort(Comparator.comparing(Recommendation::severity).reversed());
            return new Recommendations(instant(lo), instant(hi), items, traffic.weights(), overhead);
        });
    }

    private static Instant instant(long ns) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    }

    // ------------------------------------------------------------------ traffic

    private static List<TrafficRule.ModelStats> modelStats(Connection c, long lastQuarter) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(Query.RECOMMEND_MODEL_CALLS.sql());
        }
        try {
            record Row(String group, String model, String provider, long calls, long errors, long p95, long recent,
                    long judged, long passed) {
            }
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(Query.RECOMMEND_MODEL_STATS.sql())) {
                ps.setLong(1, lastQuarter);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                                rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)));
                    }
                }
            }
            List<TrafficRule.ModelStats> out = new ArrayList<>();
            for (Row r : rows) {
                // exemplars: the version's latest failed calls, one per trace (a retried call fails twice)
                out.add(new TrafficRule.ModelStats(r.group(), r.model(), r.provider(), r.calls(), r.errors(), r.p95(),
                        r.judged(), r.passed(), r.recent(), exemplars(c, "SELECT trace_id, arg_max(span_id, start_ns) "
                                + "FROM rec_calls WHERE failed AND grp = ? AND served = ? GROUP BY trace_id "
                                + "ORDER BY max(start_ns) DESC, trace_id LIMIT 3", r.group(), r.model())));
            }
            return out;
        } finally {
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS rec_calls");
            }
        }
    }

    /** The {@code (trace_id, span_id)} rows of a query with string parameters, as exemplars. */
    private static List<Finding.Exemplar> exemplars(Connection c, String sql, Object... params) throws SQLException {
        List<Finding.Exemplar> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Finding.Exemplar(TraceId.of((UUID) rs.getObject(1)), rs.getLong(2)));
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ scale-up

    private List<ScaleUpRule.Pressure> pressures(Connection c, RecommendOptions options, long lastQuarter)
            throws SQLException {
        List<ScaleUpRule.Pressure> out = new ArrayList<>();
        List<Slo> latency = options.slos().stream().filter(s -> s.sli() == Sli.LATENCY).toList();
        DuckDbSloService slos = new DuckDbSloService(ws);
        for (Slo s : latency) {
            if (!slos.check(s).isEmpty()) {
                continue; // a filter DuckDB cannot bind: slo check reports it, by line
            }
            out.add(sloPressure(c, s, lastQuarter));
        }
        if (latency.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(Query.RECOMMEND_LATENCY.sql())) {
                ps.setLong(1, REQUEST_P95_BOUND_NS);
                ps.setLong(2, lastQuarter);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String service = rs.getString(1);
                        out.add(new ScaleUpRule.Pressure("service " + service, "request latency", "built-in: p95 ≤ "
                                + Durations.format(REQUEST_P95_BOUND_NS), REQUEST_P95_BOUND_NS, P95_ALLOWED,
                                rs.getLong(2), rs.getLong(3), rs.getLong(4), List.of(), slowest(c,
                                        "service_name = ?", lastQuarter, service)));
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(Query.RECOMMEND_QUEUES.sql())) {
            ps.setLong(1, QUEUE_P95_BOUND_NS);
            ps.setLong(2, lastQuarter);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String service = rs.getString(1);
                    String name = rs.getString(2);
                    List<Recommendation.Fact> facts = new ArrayList<>();
                    double mean = rs.getDouble(6);
                    if (!rs.wasNull()) {
                        facts.add(new Recommendation.Fact("queue depth", String.format(Locale.ROOT,
                                "mean %.1f, largest %.0f", mean, rs.getDouble(7))));
                    }
                    out.add(new ScaleUpRule.Pressure("service " + service + " (" + name + ")", "queue time",
                            "built-in: p95 ≤ " + Durations.format(QUEUE_P95_BOUND_NS), QUEUE_P95_BOUND_NS,
                            P95_ALLOWED, rs.getLong(3), rs.getLong(4), rs.getLong(5), facts, exemplars(c,
                                    "SELECT trace_id, span_id FROM spans WHERE service_name = ? AND name = ? "
                                            + "AND start_ns >= ? ORDER BY end_ns - start_ns DESC, trace_id LIMIT 3",
                                    service, name, lastQuarter)));
                }
            }
        }
        return out;
    }

    /**
     * A latency SLO over the last quarter's requests. A threshold SLO allows 1 − objective of them over the bound; a
     * percentile SLO (p-th percentile ≤ bound) allows 1 − p/100.
     */
    private static ScaleUpRule.Pressure sloPressure(Connection c, Slo s, long lastQuarter) throws SQLException {
        String filter = s.filter() == null ? "TRUE" : CohortSql.checkedFilter(s.filter());
        long bound = (long) s.threshold();
        double allowed = s.percentileSli() ? 1 - s.percentile() / 100 : s.errorBudget();
        String objective = "SLO " + s.name() + ": " + (s.percentileSli() ? s.percentileText() + " ≤ "
                + s.thresholdText() : s.objectiveText() + " of requests ≤ " + s.thresholdText());
        String where = "(" + filter + ")";
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE duration_ns > ?), "
                + "CAST(quantile_cont(duration_ns, 0.95) AS BIGINT) FROM (SELECT *, service_name AS service FROM "
                + "traces) t WHERE start_ns >= ? AND " + where)) {
            ps.setLong(1, bound);
            ps.setLong(2, lastQuarter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new ScaleUpRule.Pressure(s.filter() == null ? "all requests (SLO " + s.name() + ")"
                        : "requests of SLO " + s.name() + " (" + s.filter() + ")", "request latency", objective,
                        bound, allowed, rs.getLong(1), rs.getLong(2), rs.getLong(3), List.of(), slowest(c, where,
                                lastQuarter));
            }
        }
    }

    /** The three slowest requests of the last quarter matching a condition over {@code traces} (alias t). */
    private static List<Finding.Exemplar> slowest(Connection c, String where, long lastQuarter, Object... params)
            throws SQLException {
        Object[] all = new Object[params.length + 1];
        System.arraycopy(params, 0, all, 0, params.length);
        all[params.length] = lastQuarter;
        return exemplars(c, "SELECT trace_id, root_span_id FROM (SELECT *, service_name AS service FROM traces) t "
                + "WHERE " + where + " AND start_ns >= ? ORDER BY duration_ns DESC, trace_id LIMIT 3", all);
    }

    // ------------------------------------------------------------------ caches

    private static List<CacheTrendRule.CacheStats> caches(Connection c, long mid) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(Query.RECOMMEND_CACHES.sql());
        }
        try {
            record Key(String service, String cache) {
            }
            record Count(String service, String cache, String dim, String value, long n, long hits) {
            }
            List<Count> counts = new ArrayList<>();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(Query.RECOMMEND_CACHE_MISSERS.sql())) {
                while (rs.next()) {
                    counts.add(new Count(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getLong(6)));
                }
            }
            // each value against the other values of the same attribute, for the same cache
            java.util.Map<Key, List<CacheTrendRule.Missers>> missers = new java.util.HashMap<>();
            for (Count a : counts) {
                long n = 0;
                long hits = 0;
                for (Count b : counts) {
                    if (b != a && b.service().equals(a.service()) && b.cache().equals(a.cache())
                            && b.dim().equals(a.dim())) {
                        n += b.n();
                        hits += b.hits();
                    }
                }
                missers.computeIfAbsent(new Key(a.service(), a.cache()), k -> new ArrayList<>()).add(
                        new CacheTrendRule.Missers(a.dim(), a.value(), a.n(), a.hits(), n, hits));
            }
            List<CacheTrendRule.CacheStats> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(Query.RECOMMEND_CACHE_STATS.sql())) {
                ps.setLong(1, mid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String service = rs.getString(1);
                        String cache = rs.getString(2);
                        out.add(new CacheTrendRule.CacheStats(service, cache, rs.getLong(3), rs.getLong(4),
                                rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9),
                                rs.getLong(10), missers.getOrDefault(new Key(service, cache), List.of()),
                                exemplars(c, "SELECT trace_id, span_id FROM rec_lookups "
                                        + "WHERE service_name = ? AND cache = ? AND NOT hit AND start_ns >= ? "
                                        + "ORDER BY request_ns DESC, trace_id LIMIT 3", service, cache, mid)));
                    }
                }
            }
            return out;
        } finally {
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS rec_lookups");
            }
        }
    }

    // ------------------------------------------------------------------ quality

    private static List<QualityTrendRule.QualityStats> quality(Connection c, long mid) throws SQLException {
        java.util.Map<String, QualityTrendRule.Half[]> halves = new java.util.LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(Query.RECOMMEND_QUALITY.sql())) {
            ps.setLong(1, mid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double mean = rs.getDouble(6);
                    if (rs.wasNull()) {
                        mean = Double.NaN;
                    }
                    double var = rs.getDouble(7);
                    if (rs.wasNull()) {
                        var = 0;
                    }
                    halves.computeIfAbsent(rs.getString(1), k -> new QualityTrendRule.Half[2])[rs.getBoolean(2) ? 1
                            : 0] = new QualityTrendRule.Half(rs.getLong(3), rs.getLong(4), mean, var, rs.getLong(5));
                }
            }
        }
        List<QualityTrendRule.QualityStats> out = new ArrayList<>();
        QualityTrendRule.Half none = new QualityTrendRule.Half(0, 0, Double.NaN, 0, 0);
        for (var e : halves.entrySet()) {
            QualityTrendRule.Half a = e.getValue()[0] == null ? none : e.getValue()[0];
            QualityTrendRule.Half b = e.getValue()[1] == null ? none : e.getValue()[1];
            boolean verdicts = a.results() + b.results() > 0;
            out.add(new QualityTrendRule.QualityStats(e.getKey(), verdicts, a, b, exemplars(c,
                    "SELECT e.trace_id, coalesce(e.span_id, t.root_span_id) FROM eval_results e JOIN traces t "
                            + "USING (trace_id) WHERE e.evaluator = ? AND t.start_ns >= ? AND "
                            + (verdicts ? "NOT " + CohortSql.VERDICT : "e.score IS NOT NULL")
                            + " ORDER BY e.score, t.start_ns DESC, e.trace_id LIMIT 3", e.getKey(), mid)));
        }
        return out;
    }

    // ------------------------------------------------------------------ tracing overhead

    private static TracingOverhead overhead(Connection c) throws SQLException {
        List<TracingOverhead.Row> rows = new ArrayList<>();
        long spans = 0;
        long bytes = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(Query.RECOMMEND_OVERHEAD.sql())) {
            while (rs.next()) {
                TracingOverhead.Row r = SamplingRule.row(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getBoolean(7), rs.getLong(8),
                        rs.getDouble(9), rs.getDouble(10));
                rows.add(r);
                spans += r.spans();
                bytes += r.bytes();
            }
        }
        return new TracingOverhead(spans, bytes, rows);
    }
}
