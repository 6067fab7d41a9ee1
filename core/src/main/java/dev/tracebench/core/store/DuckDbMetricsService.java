package dev.tracebench.core.store;

import dev.tracebench.core.metrics.MetricsService;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link MetricsService} over a DuckDB workspace: two aggregations over the per-trace rollups ({@code traces}, one row
 * per request) and the eval results linked to them, so a scrape never reads spans.
 */
final class DuckDbMetricsService implements MetricsService {
    private static final double NS = 1e9;

    private final Workspace ws;

    DuckDbMetricsService(Workspace ws) {
        this.ws = ws;
    }

    @Override
    public Optional<Instant> newest() {
        return ws.read(c -> {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT max(start_ns) FROM traces")) {
                rs.next();
                long ns = rs.getLong(1);
                return rs.wasNull() ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochSecond(0, ns));
            }
        });
    }

    @Override
    public Counts counts(Instant end, Duration window) {
        long hi = epochNanos(end);
        long lo = hi - window.toNanos();
        return ws.read(c -> {
            List<Group> groups = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(Query.METRICS_REQUESTS.sql())) {
                ps.setLong(1, hi);
                ps.setLong(2, lo);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        double cost = rs.getDouble("cost");
                        cost = rs.wasNull() ? Double.NaN : cost;
                        groups.add(new Group(rs.getString("service"), rs.getString("route"), rs.getString("model"),
                                rs.getLong("requests"), rs.getLong("errors"), rs.getDouble("duration_ns") / NS,
                                rs.getLong("queued"), rs.getDouble("queue_ns") / NS, rs.getLong("cache_hits"),
                                rs.getLong("cache_misses"), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                                cost, rs.getLong("w_requests"), rs.getLong("w_errors"),
                                seconds(rs.getArray("w_duration")), rs.getLong("w_queued"),
                                seconds(rs.getArray("w_queue")), rs.getLong("w_cache_hits"),
                                rs.getLong("w_cache_misses")));
                    }
                }
            }
            List<Evaluator> evaluators = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(Query.METRICS_EVALS.sql().replace("{verdict}",
                    CohortSql.VERDICT))) {
                ps.setLong(1, hi);
                ps.setLong(2, lo);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        evaluators.add(new Evaluator(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                                rs.getLong(5)));
                    }
                }
            }
            return new Counts(groups, evaluators);
        });
    }

    /** The quantiles in seconds; NaN each when the window had nothing to rank. */
    private static double[] seconds(Array quantiles) throws SQLException {
        double[] out = new double[QUANTILES.size()];
        Object[] values = quantiles == null ? null : (Object[]) quantiles.getArray();
        for (int i = 0; i < out.length; i++) {
            out[i] = values == null || values[i] == null ? Double.NaN : ((Number) values[i]).doubleValue() / NS;
        }
        return out;
    }

    private static long epochNanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }
}
