package dev.tracebench.core.store;

import dev.tracebench.core.analysis.AnalysisService;
import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Comparison;
import dev.tracebench.core.analysis.CriticalPath;
import dev.tracebench.core.analysis.Dimension;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.GroupBy;
import dev.tracebench.core.analysis.Heatmap;
import dev.tracebench.core.analysis.Histogram;
import dev.tracebench.core.analysis.SpanFacts;
import dev.tracebench.core.analysis.StageStat;
import dev.tracebench.core.analysis.Timeline;
import dev.tracebench.core.analysis.TraceAnalyzer;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.core.query.TraceSummary;
import dev.tracebench.core.task.CancellationToken;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link AnalysisService} over a workspace's tables. Stage statistics read the per-trace stage columns of
 * {@code traces} (one scan of one row per trace), operation statistics {@code trace_stages}; both were computed at
 * import, so no query walks spans. Percentiles are exact ({@code quantile_cont}) and taken over the traces where the
 * stage (or operation) is on the critical path; {@code traces} says how many those are, {@code share} how much of the
 * cohort's total time they take.
 */
final class DuckDbAnalysisService implements AnalysisService {
    static final List<String> STAGES = TraceAnalyzer.STAGES;
    private static final String QUANTILES = "[0.5, 0.9, 0.95, 0.99]";
    private final Workspace ws;

    DuckDbAnalysisService(Workspace ws) {
        this.ws = ws;
    }

    static String column(String stage) {
        return stage + "_ns";
    }

    // ------------------------------------------------------------------ breakdown

    @Override
    public Breakdown breakdown(Cohort cohort, GroupBy groupBy) {
        CohortSql.check(ws, cohort);
        long t0 = System.nanoTime();
        boolean grouped = groupBy.dimension() != Dimension.NONE;
        // the cohort's traces with the value they are grouped by: one scan, no copy
        String traces = "SELECT t.*, " + groupValue(groupBy, cohort) + " AS group_value FROM " + CohortSql.from(cohort)
                + " WHERE " + CohortSql.condition(cohort);
        // the stages (one scan of traces) on this thread, the cohort's operations (trace_stages; no join for the
        // whole workspace) on another: both cores work on one breakdown. The groups' operations come on demand.
        String opsSource = cohort.isEverything() ? null : traces;
        java.util.concurrent.CompletableFuture<Map<String, List<StageStat>>> async =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> ws.read(c -> operations(c, opsSource)));
        Map<String, Object[]> groups = ws.read(c -> stages(c, traces, grouped));
        Map<String, List<StageStat>> opsByGroup;
        try {
            opsByGroup = async.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        List<Breakdown.Group> out = new ArrayList<>();
        List<Map.Entry<String, Object[]>> entries = new ArrayList<>(groups.entrySet());
        for (Map.Entry<String, Object[]> e : entries) {
            Object[] g = e.getValue();
            String value = e.getKey().equals(OVERALL) ? null : e.getKey();
            @SuppressWarnings("unchecked")
            List<StageStat> st = (List<StageStat>) g[4];
            out.add(new Breakdown.Group(value, (Long) g[0], ((long[]) g[1])[0], ((long[]) g[1])[1], ((long[]) g[1])[2],
                    (Long) g[2], st, shares(opsByGroup.getOrDefault(e.getKey(), List.of()), (Long) g[2])));
        }
        // the whole cohort first, then the groups, largest first, at most MAX_GROUPS (the rest summed up)
        out.sort((x, y) -> x.value() == null ? -1 : y.value() == null ? 1 : x.traces() != y.traces()
                ? Long.compare(y.traces(), x.traces()) : x.value().compareTo(y.value()));
        if (out.size() > Breakdown.MAX_GROUPS + 1) {
            List<Breakdown.Group> rest = out.subList(Breakdown.MAX_GROUPS + 1, out.size());
            long n = rest.stream().mapToLong(Breakdown.Group::traces).sum();
            long total = rest.stream().mapToLong(Breakdown.Group::totalNs).sum();
            List<Breakdown.Group> kept = new ArrayList<>(out.subList(0, Breakdown.MAX_GROUPS + 1));
            kept.add(new Breakdown.Group(Breakdown.OTHER, n, 0, 0, 0, total, List.of(), List.of()));
            out = kept;
        }
        return new Breakdown(cohort, groupBy, out, (System.nanoTime() - t0) / 1_000_000);
    }

    private static final String OVERALL = "\u0000overall";

    /** The SQL value a trace is grouped by (ATTRIBUTE: read from its spans' attributes). */
    private static String groupValue(GroupBy g, Cohort cohort) {
        return CohortSql.groupValue(g);
    }

    /** Per group (and overall): [traces, duration p50/p95/p99, total, -, stage stats]. */
    private Map<String, Object[]> stages(Connection c, String traces, boolean grouped) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + (grouped ? "grouping(group_value)" : "1") + " AS overall, "
                + (grouped ? "coalesce(group_value, '" + Breakdown.NONE + "')" : "NULL") + ", count(*), "
                + "quantile_cont(duration_ns, [0.5, 0.95, 0.99]), coalesce(sum(duration_ns), 0)");
        for (String st : STAGES) {
            String col = column(st);
            // (the mean is sum / count: a separate avg() costs a fifth of the query)
            sql.append(", count(*) FILTER (WHERE ").append(col).append(" > 0), quantile_cont(").append(col)
                    .append(", ").append(QUANTILES).append(") FILTER (WHERE ").append(col).append(" > 0), coalesce(sum(")
                    .append(col).append("), 0)");
        }
        sql.append(" FROM (").append(traces).append(")").append(grouped ? " GROUP BY GROUPING SETS ((), (group_value))"
                : "");
        Map<String, Object[]> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
            while (rs.next()) {
                boolean overall = rs.getInt(1) == 1;
                long n = rs.getLong(3);
                long[] dur = longs(rs.getArray(4), 3);
                long total = rs.getLong(5);
                List<StageStat> stages = new ArrayList<>();
                int k = 6;
                for (String st : STAGES) {
                    long count = rs.getLong(k);
                    long[] q = longs(rs.getArray(k + 1), 4);
                    long sum = rs.getLong(k + 2);
                    double mean = count == 0 ? 0 : (double) sum / count;
                    k += 3;
                    stages.add(new StageStat(st, null, count, q[0], q[1], q[2], q[3], mean, sum, total == 0 ? 0
                            : (double) sum / total));
                }
                out.put(overall ? OVERALL : rs.getString(2), new Object[] {n, dur, total, null, stages});
            }
        }
        if (!out.containsKey(OVERALL)) {
            List<StageStat> empty = new ArrayList<>();
            for (String st : STAGES) {
                empty.add(new StageStat(st, null, 0, 0, 0, 0, 0, 0, 0, 0));
            }
            out.put(OVERALL, new Object[] {0L, new long[3], 0L, null, empty});
        }
        return out;
    }

    /** The whole cohort's operation stats (key OVERALL), largest total first; shares are filled in later. */
    private Map<String, List<StageStat>> operations(Connection c, String traces) throws SQLException {
        return operationsQuery(c, "SELECT 1 AS overall, NULL, s.stage, s.operation, count(*), "
                + "quantile_cont(s.path_ns, " + QUANTILES + "), sum(s.path_ns) FROM trace_stages s"
                + (traces == null ? "" : " JOIN (SELECT trace_id FROM (" + traces + ")) a USING (trace_id)")
                + " WHERE s.path_ns > 0 AND s.operation IS NOT NULL GROUP BY s.stage, s.operation"
                + " ORDER BY sum(s.path_ns) DESC");
    }

    @Override
    public List<StageStat> operations(Cohort cohort, GroupBy groupBy, String value) {
        CohortSql.check(ws, cohort);
        if (groupBy.dimension() == Dimension.NONE || value == null) {
            return breakdown(cohort, GroupBy.NONE).overall().operations();
        }
        String traces = "SELECT t.trace_id, t.duration_ns FROM " + CohortSql.from(cohort) + " WHERE "
                + CohortSql.condition(cohort) + " AND " + (value.equals(Breakdown.NONE) ? groupValue(groupBy, cohort)
                        + " IS NULL" : groupValue(groupBy, cohort) + " = " + quote(value));
        return ws.read(c -> {
            long total;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(sum(duration_ns), 0) "
                    + "FROM (" + traces + ")")) {
                rs.next();
                total = rs.getLong(1);
            }
            List<StageStat> ops = operations(c, traces).getOrDefault(OVERALL, List.of());
            return shares(ops, total);
        });
    }

    private Map<String, List<StageStat>> operationsQuery(Connection c, String sql) throws SQLException {
        Map<String, List<StageStat>> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                String key = rs.getInt(1) == 1 ? OVERALL : rs.getString(2);
                List<StageStat> list = out.computeIfAbsent(key, k -> new ArrayList<>());
                if (list.size() >= 200) {
                    continue;
                }
                long[] q = longs(rs.getArray(6), 4);
                long count = rs.getLong(5);
                long sum = rs.getLong(7);
                list.add(new StageStat(rs.getString(3), rs.getString(4), count, q[0], q[1], q[2], q[3],
                        count == 0 ? 0 : (double) sum / count, sum, 0));
            }
        }
        return out;
    }

    private static List<StageStat> shares(List<StageStat> ops, long total) {
        List<StageStat> out = new ArrayList<>(ops.size());
        for (StageStat o : ops) {
            out.add(new StageStat(o.stage(), o.operation(), o.traces(), o.p50Ns(), o.p90Ns(), o.p95Ns(), o.p99Ns(),
                    o.meanNs(), o.totalNs(), total == 0 ? 0 : (double) o.totalNs() / total));
        }
        return out;
    }

    private static long[] longs(Array a, int n) throws SQLException {
        long[] out = new long[n];
        if (a == null) {
            return out;
        }
        Object[] v = (Object[]) a.getArray();
        for (int i = 0; i < n && i < v.length; i++) {
            out[i] = v[i] == null ? 0 : Math.round(((Number) v[i]).doubleValue());
        }
        return out;
    }

    static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    // ------------------------------------------------------------------ timeline, heatmap, histogram

    @Override
    public Timeline timeline(Cohort cohort, int buckets) {
        CohortSql.check(ws, cohort);
        return ws.read(c -> {
            long[] range = range(c, cohort);
            if (range == null) {
                return new Timeline(cohort, 1, List.of(), STAGES);
            }
            long width = Math.max(1, (range[1] - range[0] + 1 + buckets - 1) / Math.max(1, buckets));
            width = niceBucket(width);
            long from = range[0] - Math.floorMod(range[0], width);
            StringBuilder sql = new StringBuilder("SELECT (t.start_ns - " + from + ") // " + width + " AS b, count(*), "
                    + "quantile_cont(t.duration_ns, [0.5, 0.95]), avg(t.duration_ns)");
            for (String st : STAGES) {
                sql.append(", avg(t.").append(column(st)).append(")");
            }
            sql.append(" FROM ").append(CohortSql.from(cohort)).append(" WHERE ").append(CohortSql.condition(cohort))
                    .append(" GROUP BY b ORDER BY b");
            List<Timeline.Bucket> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
                while (rs.next()) {
                    long[] q = longs(rs.getArray(3), 2);
                    Map<String, Double> means = new LinkedHashMap<>();
                    for (int i = 0; i < STAGES.size(); i++) {
                        means.put(STAGES.get(i), rs.getDouble(5 + i));
                    }
                    out.add(new Timeline.Bucket(from + rs.getLong(1) * width, rs.getLong(2), q[0], q[1],
                            Math.round(rs.getDouble(4)), means));
                }
            }
            return new Timeline(cohort, width, out, STAGES);
        });
    }

    /** A bucket width rounded up to a readable step (1 s, 5 s, 1 min, 5 min, 15 min, 1 h, ...). */
    static long niceBucket(long ns) {
        long[] steps = {1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L, 5_000_000_000L, 10_000_000_000L,
            30_000_000_000L, 60_000_000_000L, 300_000_000_000L, 600_000_000_000L, 900_000_000_000L,
            1_800_000_000_000L, 3_600_000_000_000L, 10_800_000_000_000L, 21_600_000_000_000L,
            43_200_000_000_000L, 86_400_000_000_000L};
        for (long s : steps) {
            if (ns <= s) {
                return s;
            }
        }
        return ((ns + steps[steps.length - 1] - 1) / steps[steps.length - 1]) * steps[steps.length - 1];
    }

    /** [min start, max start, min duration, max duration] of the cohort, or null if it is empty. */
    private static long[] range(Connection c, Cohort cohort) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT min(t.start_ns), "
                + "max(t.start_ns), min(t.duration_ns), max(t.duration_ns), count(*) FROM " + CohortSql.from(cohort)
                + " WHERE " + CohortSql.condition(cohort))) {
            rs.next();
            if (rs.getLong(5) == 0) {
                return null;
            }
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
        }
    }

    @Override
    public Heatmap heatmap(Cohort cohort, int timeBuckets, int durationBuckets) {
        CohortSql.check(ws, cohort);
        return ws.read(c -> {
            long[] r = range(c, cohort);
            if (r == null) {
                return new Heatmap(cohort, 0, 1, timeBuckets, 1, 2, durationBuckets,
                        new long[timeBuckets][durationBuckets], 0);
            }
            long from = r[0];
            long to = r[1] + 1;
            long minD = Math.max(1_000, r[2]);
            long maxD = Math.max(minD * 2, r[3] + 1);
            double lo = Math.log(minD);
            double hi = Math.log(maxD);
            String sql = "SELECT least(" + (timeBuckets - 1) + ", CAST(floor((t.start_ns - " + from + ") * "
                    + timeBuckets + ".0 / " + (to - from) + ") AS INTEGER)) x, greatest(0, least(" + (durationBuckets
                    - 1) + ", CAST(floor((ln(greatest(t.duration_ns, 1)) - " + lo + ") * " + durationBuckets + " / "
                    + (hi - lo) + ") AS INTEGER))) y, count(*) FROM " + CohortSql.from(cohort) + " WHERE "
                    + CohortSql.condition(cohort) + " GROUP BY x, y";
            long[][] counts = new long[timeBuckets][durationBuckets];
            long max = 0;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    int x = rs.getInt(1);
                    int y = rs.getInt(2);
                    counts[x][y] += rs.getLong(3);
                    max = Math.max(max, counts[x][y]);
                }
            }
            return new Heatmap(cohort, from, to, timeBuckets, minD, maxD, durationBuckets, counts, max);
        });
    }

    @Override
    public Histogram histogram(Cohort cohort, String stage, int bins) {
        CohortSql.check(ws, cohort);
        if (stage != null && !STAGES.contains(stage)) {
            throw new IllegalArgumentException("unknown stage '" + stage + "'");
        }
        String col = stage == null ? "t.duration_ns" : "t." + column(stage);
        return ws.read(c -> {
            String base = " FROM " + CohortSql.from(cohort) + " WHERE " + CohortSql.condition(cohort);
            long zero;
            long min;
            long max;
            long[] q;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE "
                    + col + " <= 0), min(" + col + ") FILTER (WHERE " + col + " > 0), max(" + col + "), "
                    + "quantile_cont(" + col + ", [0.5, 0.95]) FILTER (WHERE " + col + " > 0)" + base)) {
                rs.next();
                zero = rs.getLong(1);
                min = rs.getLong(2);
                max = rs.getLong(3);
                q = longs(rs.getArray(4), 2);
            }
            List<Histogram.Bin> out = new ArrayList<>();
            if (max <= 0) {
                return new Histogram(cohort, stage, out, zero, 0, 0);
            }
            double lo = Math.log(Math.max(1, min));
            double hi = Math.log(max + 1);
            double step = (hi - lo) / bins;
            long[] counts = new long[bins];
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT least(" + (bins - 1)
                    + ", CAST(floor((ln(" + col + ") - " + lo + ") / " + (step <= 0 ? 1 : step) + ") AS INTEGER)) b, "
                    + "count(*)" + base + " AND " + col + " > 0 GROUP BY b")) {
                while (rs.next()) {
                    counts[Math.max(0, rs.getInt(1))] += rs.getLong(2);
                }
            }
            for (int i = 0; i < bins; i++) {
                out.add(new Histogram.Bin(Math.round(Math.exp(lo + step * i)), Math.round(Math.exp(lo + step
                        * (i + 1))), counts[i]));
            }
            return new Histogram(cohort, stage, out, zero, q[0], q[1]);
        });
    }

    @Override
    public long count(Cohort cohort) {
        CohortSql.check(ws, cohort);
        return ws.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM "
                    + CohortSql.from(cohort) + " WHERE " + CohortSql.condition(cohort))) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    // ------------------------------------------------------------------ root cause and checks

    @Override
    public List<Finding> explain(Cohort cohort, CheckSettings settings, CancellationToken cancel) {
        // what sets the cohort apart first, then the workspace-wide checks worth a notice: a check is true of the
        // whole workspace, not an answer about these requests
        CohortSql.check(ws, cohort);
        List<Finding> out = new ArrayList<>(new RootCauseAnalysis(ws, settings, cancel).explain(cohort));
        if (cohort.isQuality()) {
            return out; // the checks are about latency and errors: no answer to "why are these answers bad?"
        }
        for (Finding f : automatedChecks(settings, cancel)) {
            if (f.severity().compareTo(dev.tracebench.core.analysis.Severity.NOTICE) >= 0) {
                out.add(f);
            }
        }
        return out;
    }

    @Override
    public List<Finding> automatedChecks(CheckSettings settings, CancellationToken cancel) {
        return new AutomatedChecks(ws, settings, cancel).run();
    }

    // ------------------------------------------------------------------ single traces

    @Override
    public Optional<Comparison> compare(TraceId a, TraceId b) {
        return ws.read(c -> {
            TraceSummary sa = summary(c, a);
            TraceSummary sb = summary(c, b);
            if (sa == null || sb == null) {
                return Optional.<Comparison>empty();
            }
            long[] va = stageVector(c, a);
            long[] vb = stageVector(c, b);
            List<Comparison.Delta> stages = new ArrayList<>();
            Map<String, int[]> spansByStage = new HashMap<>();
            Map<String, long[]> ops = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT trace_id = ? AS is_a, stage, operation, path_ns, "
                    + "spans FROM trace_stages WHERE trace_id IN (?, ?)")) {
                ps.setObject(1, uuid(a));
                ps.setObject(2, uuid(a));
                ps.setObject(3, uuid(b));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        boolean isA = rs.getBoolean(1);
                        String key = rs.getString(2) + '\u0000' + rs.getString(3);
                        long[] v = ops.computeIfAbsent(key, k -> new long[4]);
                        v[isA ? 0 : 1] += rs.getLong(4);
                        v[isA ? 2 : 3] += rs.getInt(5);
                        spansByStage.computeIfAbsent(rs.getString(2), k -> new int[2])[isA ? 0 : 1] += rs.getInt(5);
                    }
                }
            }
            for (int i = 0; i < STAGES.size(); i++) {
                int[] n = spansByStage.getOrDefault(STAGES.get(i), new int[2]);
                if (va[i] != 0 || vb[i] != 0 || n[0] + n[1] > 0) {
                    stages.add(new Comparison.Delta(STAGES.get(i), null, va[i], vb[i], n[0], n[1]));
                }
            }
            List<Comparison.Delta> opDeltas = new ArrayList<>();
            for (Map.Entry<String, long[]> e : ops.entrySet()) {
                String[] k = e.getKey().split("\u0000", -1);
                long[] v = e.getValue();
                opDeltas.add(new Comparison.Delta(k[0], "null".equals(k[1]) ? null : k[1], v[0], v[1], (int) v[2],
                        (int) v[3]));
            }
            stages.sort((x, y) -> Long.compare(Math.abs(y.deltaNs()), Math.abs(x.deltaNs())));
            opDeltas.sort((x, y) -> Long.compare(Math.abs(y.deltaNs()), Math.abs(x.deltaNs())));
            return Optional.of(new Comparison(sa, sb, stages, opDeltas));
        });
    }

    private static UUID uuid(TraceId t) {
        return new UUID(t.hi(), t.lo());
    }

    private static TraceSummary summary(Connection c, TraceId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT trace_id, root_span_id, root_name, service_name, "
                + "start_ns, duration_ns, span_count, error_count, service_count, orphan_count, has_root, input_tokens, "
                + "output_tokens, total_tokens FROM traces WHERE trace_id = ?")) {
            ps.setObject(1, uuid(id));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new TraceSummary(id, rs.getLong(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        rs.getLong(6), rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getInt(10), rs.getBoolean(11),
                        rs.getLong(12), rs.getLong(13), rs.getLong(14));
            }
        }
    }

    private static long[] stageVector(Connection c, TraceId id) throws SQLException {
        StringBuilder cols = new StringBuilder();
        for (String st : STAGES) {
            cols.append(cols.length() == 0 ? "" : ", ").append(column(st));
        }
        long[] out = new long[STAGES.size()];
        try (PreparedStatement ps = c.prepareStatement("SELECT " + cols + " FROM traces WHERE trace_id = ?")) {
            ps.setObject(1, uuid(id));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    for (int i = 0; i < out.length; i++) {
                        out[i] = rs.getLong(i + 1);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public Optional<TraceId> typicalPeer(TraceId slow) {
        return ws.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("WITH same AS (SELECT trace_id, duration_ns FROM traces "
                    + "WHERE root_name = (SELECT root_name FROM traces WHERE trace_id = ?) AND trace_id <> ? "
                    + "AND error_count = 0), med AS (SELECT median(duration_ns) m FROM same) "
                    + "SELECT trace_id FROM same, med ORDER BY abs(duration_ns - m), trace_id LIMIT 1")) {
                ps.setObject(1, uuid(slow));
                ps.setObject(2, uuid(slow));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(TraceId.of((UUID) rs.getObject(1))) : Optional.<TraceId>empty();
                }
            }
        });
    }

    @Override
    public Optional<CriticalPath> criticalPath(TraceId traceId) {
        Optional<TraceDetail> t = ws.traces().trace(traceId);
        return t.map(DuckDbAnalysisService::pathOf);
    }

    /** The critical path of a loaded trace. */
    static CriticalPath pathOf(TraceDetail t) {
        List<SpanFacts> facts = new ArrayList<>(t.spans().size());
        for (SpanDetail s : t.spans()) {
            var l = s.llm();
            facts.add(new SpanFacts(s.spanId(), s.parentSpanId(), s.name(), s.serviceName(), s.startNs(), s.endNs(),
                    s.status().code(), l.stage(), l.requestModel(), l.responseModel(), l.inputTokens(),
                    l.outputTokens(), l.cost(), l.cacheHit(), l.ttftNs(), null, null, null, null, null));
        }
        return TraceAnalyzer.analyze(facts, true).path();
    }

    // ------------------------------------------------------------------ pickers

    @Override
    public List<String> dimensionValues(GroupBy groupBy, int limit) {
        return ws.read(c -> {
            String sql;
            if (groupBy.dimension() == Dimension.ATTRIBUTE) {
                sql = "SELECT v FROM (SELECT attr(attributes, " + quote(groupBy.attributeKey()) + ") v FROM spans "
                        + "USING SAMPLE 100000 ROWS) WHERE v IS NOT NULL GROUP BY v ORDER BY count(*) DESC, v LIMIT "
                        + limit;
            } else if (groupBy.dimension() == Dimension.NONE) {
                return List.<String>of();
            } else {
                String col = groupBy.dimension().column();
                sql = "SELECT " + col + " FROM traces WHERE " + col + " IS NOT NULL GROUP BY " + col
                        + " ORDER BY count(*) DESC, " + col + " LIMIT " + limit;
            }
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Override
    public List<String> filterColumns() {
        return ws.read(c -> {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE traces")) {
                while (rs.next()) {
                    out.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
            return out;
        });
    }

    @Override
    public List<String> attributeKeys(int limit) {
        return ws.read(c -> {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT k FROM (SELECT "
                    + "unnest(json_keys(attributes)) k FROM spans USING SAMPLE 20000 ROWS) GROUP BY k "
                    + "ORDER BY count(*) DESC, k LIMIT " + limit)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }
}
