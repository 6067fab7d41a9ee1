package dev.tracebench.core.store;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.TraceAnalyzer;
import dev.tracebench.core.analysis.rootcause.RootCauseScorer;
import dev.tracebench.core.analysis.rootcause.SpanRow;
import dev.tracebench.core.analysis.rootcause.TraceSample;
import dev.tracebench.core.json.AttributeJson;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.report.Durations;
import dev.tracebench.core.task.CancellationToken;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Reads what root cause compares from the workspace: a deterministic sample of about {@code sampleTraces} traces of
 * each side (by hash of the trace id: one scan, no sort), their trace facts and stage times, and the spans of the
 * sampled traces with their resources; {@link RootCauseScorer} does the rest. So the analysis takes about the same
 * time on a million traces as on ten thousand; the evidence says when counts come from a sample.
 */
final class RootCauseAnalysis {
    private final Workspace ws;
    private final CheckSettings settings;
    private final CancellationToken cancel;

    RootCauseAnalysis(Workspace ws, CheckSettings settings, CancellationToken cancel) {
        this.ws = ws;
        this.settings = settings;
        this.cancel = cancel;
    }

    List<Finding> explain(Cohort cohort) {
        return ws.read(c -> {
            long t0 = System.nanoTime();
            TraceSample s = sample(c, cohort);
            long t1 = System.nanoTime();
            Map<Long, List<Attribute>> resources = resources(c);
            Map<TraceId, long[]> rows = new HashMap<>();
            if (s.cohortSize() > 0 && s.restSize() > 0) {
                spans(c, s, resources, rows);
            }
            cancel.throwIfCancelled();
            long t2 = System.nanoTime();
            List<Finding> out = RootCauseScorer.explain(cohort, s, settings, ids -> exemplarSpans(c, ids, rows,
                    resources), cancel);
            if (Boolean.getBoolean("tracebench.debug.analysis")) {
                System.err.printf("root cause: sample %d ms, spans %d ms, scoring %d ms; %d+%d sampled traces%n",
                        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000,
                        s.cohortSize(), s.restSize());
            }
            return out;
        });
    }

    /**
     * The sampled traces with their facts: cohort traces first. The others are those of the cohort's population
     * ({@link CohortSql#population}: for a quality cohort, the other answers its evaluator judged).
     */
    private TraceSample sample(Connection c, Cohort cohort) throws SQLException {
        String cond = CohortSql.condition(cohort);
        String from = CohortSql.from(cohort) + " WHERE " + CohortSql.population(cohort);
        long totalC;
        long totalR;
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE " + cond + "), count(*) FILTER "
                    + "(WHERE NOT (" + cond + ")) FROM " + from)) {
                rs.next();
                totalC = rs.getLong(1);
                totalR = rs.getLong(2);
            }
            double fC = Math.min(1.0, (double) settings.sampleTraces() / Math.max(1, totalC));
            double fR = Math.min(1.0, (double) settings.sampleTraces() / Math.max(1, totalR));
            st.execute("CREATE OR REPLACE TEMP TABLE rc_sample AS SELECT t.trace_id, (" + cond + ") AS in_cohort FROM "
                    + from + " AND hash(t.trace_id) <= CASE WHEN " + cond + " THEN " + bound(fC) + " ELSE "
                    + bound(fR) + " END");
            StringBuilder cols = new StringBuilder("r.trace_id, r.in_cohort, t.duration_ns");
            for (String stage : TraceAnalyzer.STAGES) {
                cols.append(", t.").append(DuckDbAnalysisService.column(stage));
            }
            for (String d : TraceSample.DIMENSIONS) {
                cols.append(", t.").append(d);
            }
            for (String f : TraceSample.FACTS) {
                cols.append(", t.").append(f);
            }
            List<Object[]> rows = new ArrayList<>();
            int nC = 0;
            try (ResultSet rs = st.executeQuery("SELECT " + cols + " FROM rc_sample r JOIN traces t USING (trace_id) "
                    + "ORDER BY r.in_cohort DESC, hash(r.trace_id), r.trace_id")) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Object[] row = new Object[n];
                    for (int i = 0; i < n; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    rows.add(row);
                    if (Boolean.TRUE.equals(row[1])) {
                        nC++;
                    }
                }
            }
            TraceSample s = new TraceSample(nC, rows.size() - nC, totalC, totalR);
            int stages = TraceAnalyzer.STAGES.size();
            for (int i = 0; i < rows.size(); i++) {
                Object[] row = rows.get(i);
                long[] stageNs = new long[stages];
                for (int k = 0; k < stages; k++) {
                    stageNs[k] = ((Number) row[3 + k]).longValue();
                }
                int k = 3 + stages;
                String[] dims = new String[TraceSample.DIMENSIONS.size()];
                for (int d = 0; d < dims.length; d++, k++) {
                    dims[d] = row[k] == null ? null : row[k].toString();
                }
                double[] facts = new double[TraceSample.FACTS.size()];
                for (int f = 0; f < facts.length; f++, k++) {
                    facts[f] = row[k] == null ? Double.NaN : ((Number) row[k]).doubleValue();
                }
                s.trace(i, TraceId.of((UUID) row[0]), ((Number) row[2]).longValue(), stageNs, dims, facts);
            }
            if (cohort.kind() == Cohort.Kind.SLOW_PERCENTILE) {
                s.thresholdText(thresholdText(st, cohort));
            }
            return s;
        }
    }

    /** "POST /v1/chat 3.65 s, GET /api/search 3.15 s, ...": the thresholds of the three largest operations. */
    private static String thresholdText(Statement st, Cohort cohort) throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (ResultSet rs = st.executeQuery("SELECT root_name, threshold_ns, n FROM (" + CohortSql.thresholds(cohort)
                + ") ORDER BY n DESC, root_name LIMIT 3")) {
            while (rs.next()) {
                double v = rs.getDouble(2);
                String shown = switch (cohort.metric()) {
                    case DURATION -> Durations.format(Math.round(v));
                    case INPUT_TOKENS -> String.format(Locale.ROOT, "%,.0f tokens", v);
                    case COST -> String.format(Locale.ROOT, "$%.5f", v);
                };
                sb.append(sb.length() == 0 ? "" : ", ").append(rs.getString(1)).append(" ").append(shown);
            }
        }
        return sb.toString();
    }

    /** The hash value below which a fraction {@code f} of traces fall (hash() is a uniform 64-bit unsigned value). */
    private static String bound(double f) {
        BigDecimal max = new BigDecimal("18446744073709551615");
        return (f >= 1 ? max : max.multiply(BigDecimal.valueOf(f))).toBigInteger() + "::UBIGINT";
    }

    private static Map<Long, List<Attribute>> resources(Connection c) throws SQLException {
        Map<Long, List<Attribute>> out = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT resource_id, attributes FROM "
                + "resources")) {
            while (rs.next()) {
                List<Attribute> attrs = new ArrayList<>(AttributeJson.decode(rs.getString(2)));
                attrs.removeIf(a -> a.key().equals("service.name")); // a trace fact already
                out.put(rs.getLong(1), attrs);
            }
        }
        return out;
    }

    /**
     * Reads the spans of the sampled traces, one trace at a time, into the sample's features; notes where in the
     * table each trace's spans are ({@code rows}: first and last rowid), to read the examples' spans back cheaply.
     */
    private void spans(Connection c, TraceSample s, Map<Long, List<Attribute>> resources, Map<TraceId, long[]> rows)
            throws SQLException {
        Map<TraceId, Integer> index = new HashMap<>();
        for (int i = 0; i < s.cohortSize() + s.restSize(); i++) {
            index.put(s.id(i), i);
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT s.trace_id, s.span_id, "
                + "s.parent_span_id, s.name, s.stage, s.resource_id, s.attributes, s.rowid FROM spans s JOIN rc_sample r "
                + "USING (trace_id) ORDER BY s.trace_id")) {
            TraceId current = null;
            List<SpanRow> spans = new ArrayList<>();
            int n = 0;
            while (rs.next()) {
                TraceId t = TraceId.of((UUID) rs.getObject(1));
                if (current != null && !t.equals(current)) {
                    s.spans(index.get(current), spans);
                    spans.clear();
                }
                current = t;
                long rid = rs.getLong(6);
                spans.add(SpanRow.of(rs.getLong(2), (Long) rs.getObject(3), rs.getString(4), rs.getString(5), rid,
                        attributes(rs.getString(7)), resources.getOrDefault(rid, List.of())));
                long rowid = rs.getLong(8);
                long[] range = rows.computeIfAbsent(t, k -> new long[] {rowid, rowid});
                range[0] = Math.min(range[0], rowid);
                range[1] = Math.max(range[1], rowid);
                if (++n % 10_000 == 0) {
                    cancel.throwIfCancelled();
                }
            }
            if (current != null) {
                s.spans(index.get(current), spans);
            }
        }
    }

    private static List<Attribute> attributes(String json) {
        try {
            return AttributeJson.decode(json);
        } catch (RuntimeException e) {
            return List.of(); // a damaged attribute document: the span still counts by its name and stage
        }
    }

    /**
     * The spans of a few traces (the findings' examples), with what names the span a finding is about. Each trace is
     * read by the rowid range its spans were found in: a range scan, where {@code trace_id IN (...)} scanned the whole
     * table (5 s against 0.1 s on 11.7M spans).
     */
    private static Map<TraceId, List<SpanRow>> exemplarSpans(Connection c, Collection<TraceId> ids,
            Map<TraceId, long[]> rows, Map<Long, List<Attribute>> resources) {
        StringBuilder union = new StringBuilder();
        for (TraceId id : ids) {
            long[] range = rows.get(id);
            if (range != null) {
                union.append(union.length() == 0 ? "" : " UNION ALL ").append("SELECT * FROM spans WHERE rowid BETWEEN ")
                        .append(range[0]).append(" AND ").append(range[1]).append(" AND trace_id = '")
                        .append(new UUID(id.hi(), id.lo())).append("'::UUID");
            }
        }
        Map<TraceId, List<SpanRow>> out = new HashMap<>();
        if (union.length() == 0) {
            return out;
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT trace_id, span_id, "
                + "parent_span_id, name, stage, resource_id, attributes, request_model, response_model, cache_hit, "
                + "attempt, status_code = 2, end_ns - start_ns FROM (" + union + ") ORDER BY trace_id, start_ns, "
                + "span_id")) {
            while (rs.next()) {
                long rid = rs.getLong(6);
                out.computeIfAbsent(TraceId.of((UUID) rs.getObject(1)), k -> new ArrayList<>()).add(new SpanRow(
                        rs.getLong(2), (Long) rs.getObject(3), rs.getString(4), rs.getString(5), rid,
                        attributes(rs.getString(7)), resources.getOrDefault(rid, List.of()), rs.getString(8),
                        rs.getString(9), (Boolean) rs.getObject(10), (Integer) rs.getObject(11), rs.getBoolean(12),
                        rs.getLong(13)));
            }
        } catch (SQLException e) {
            throw new WorkspaceException("could not read the example traces' spans: " + e.getMessage(), e);
        }
        return out;
    }
}
