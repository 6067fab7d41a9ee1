package dev.tracebench.core.store;

import dev.tracebench.core.json.AttributeJson;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.SpanLinkData;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.normalize.LlmFields;
import dev.tracebench.core.query.ImportRecord;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.core.query.TraceFilter;
import dev.tracebench.core.query.TraceSearch;
import dev.tracebench.core.query.TraceService;
import dev.tracebench.core.query.TraceSort;
import dev.tracebench.core.query.TraceSummary;
import dev.tracebench.core.query.WorkspaceStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@link TraceService} over a DuckDB workspace. */
final class DuckDbTraceService implements TraceService {
    private final Workspace ws;

    DuckDbTraceService(Workspace ws) {
        this.ws = ws;
    }

    @Override
    public WorkspaceStats stats() {
        return ws.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(Query.WORKSPACE_STATS.sql())) {
                rs.next();
                return new WorkspaceStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6));
            }
        });
    }

    // ------------------------------------------------------------------ trace list

    /**
     * FROM and WHERE clauses built from fixed fragments (and the cohort's condition, see {@link CohortSql}) plus the
     * values to bind, in order.
     */
    record Where(String from, String sql, List<Object> params) {
    }

    static Where where(TraceFilter f) {
        List<String> conds = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (!f.services().isEmpty()) {
            conds.add("t.service_name IN (" + placeholders(f.services().size()) + ")");
            params.addAll(f.services());
        }
        if (f.minDurationNs() > 0) {
            conds.add("t.duration_ns >= ?");
            params.add(f.minDurationNs());
        }
        if (f.errorsOnly()) {
            conds.add("t.error_count > 0");
        }
        TraceSearch search = f.search();
        for (TraceSearch.Condition c : search.conditions()) {
            attributeCondition(c, conds, params);
        }
        if (!search.text().isEmpty()) {
            String needle = search.text().toLowerCase(Locale.ROOT);
            conds.add("(starts_with(trace_hex(t.trace_id), ?) OR contains(lower(t.root_name), ?)"
                    + " OR contains(lower(t.service_name), ?)"
                    + " OR t.trace_id IN (SELECT trace_id FROM spans WHERE contains(lower(name), ?)))");
            params.add(needle);
            params.add(needle);
            params.add(needle);
            params.add(needle);
        }
        String from = "traces t";
        if (f.cohort() != null) {
            from = CohortSql.from(f.cohort());
            conds.add(CohortSql.condition(f.cohort()));
        }
        return new Where(from, conds.isEmpty() ? "" : "WHERE " + String.join(" AND ", conds), params);
    }

    /**
     * A trace has a span whose attributes, or whose resource's attributes, hold the key with a matching value. The
     * JSON path, the value and the pre-filter are bound as parameters. The pre-filter, {@code contains} on the raw
     * JSON text, skips the spans that cannot match before any JSON is parsed (parsing every span's attributes is what
     * makes such a search slow): for {@code key=text} it is the pair as the workspace writes it,
     * {@code "key":"text"}, else {@code "key":}; the JSON path test then confirms it on the few spans left.
     */
    private static void attributeCondition(TraceSearch.Condition c, List<String> conds, List<Object> params) {
        String value = "json_extract_string(attributes, ?)";
        String test = switch (c.op()) {
            case EQ -> c.number() == null ? value + " = ?" : "(" + value + " = ? OR TRY_CAST(" + value
                    + " AS DOUBLE) = ?)";
            case NE -> value + " <> ?";
            case GT -> "TRY_CAST(" + value + " AS DOUBLE) > ?";
            case GE -> "TRY_CAST(" + value + " AS DOUBLE) >= ?";
            case LT -> "TRY_CAST(" + value + " AS DOUBLE) < ?";
            case LE -> "TRY_CAST(" + value + " AS DOUBLE) <= ?";
        };
        String path = "$.\"" + c.key() + "\"";
        List<Object> testParams = new ArrayList<>();
        testParams.add(path);
        if (c.op() == TraceSearch.Op.EQ && c.number() != null) {
            testParams.add(c.value());
            testParams.add(path);
            testParams.add(c.number());
        } else {
            testParams.add(c.op().numeric() ? c.number() : c.value());
        }
        String keyed = "contains(attributes, ?) AND " + test;
        conds.add("t.trace_id IN (SELECT trace_id FROM spans WHERE " + keyed
                + " UNION ALL SELECT trace_id FROM spans WHERE resource_id IN (SELECT resource_id FROM resources WHERE "
                + keyed + "))");
        String needle = c.op() == TraceSearch.Op.EQ && c.number() == null && PLAIN.matcher(c.value()).matches()
                ? "\"" + c.key() + "\":\"" + c.value() + "\"" : "\"" + c.key() + "\":";
        for (int i = 0; i < 2; i++) {
            params.add(needle);
            params.addAll(testParams);
        }
    }

    /** Text that JSON writes as it is (no quote, backslash or control character to escape). */
    private static final java.util.regex.Pattern PLAIN = java.util.regex.Pattern.compile("[^\"\\\\\\p{Cntrl}]*");

    static String orderBy(TraceSort sort) {
        String col = switch (sort.column()) {
            case START -> "t.start_ns";
            case ROOT_OPERATION -> "t.root_name";
            case SERVICE -> "t.service_name";
            case DURATION -> "t.duration_ns";
            case SPANS -> "t.span_count";
            case ERRORS -> "t.error_count";
            case TOKENS -> "t.total_tokens";
        };
        return col + (sort.ascending() ? " ASC" : " DESC");
    }

    @Override
    public long countTraces(TraceFilter filter) {
        CohortSql.check(ws, filter.cohort());
        Where w = where(filter);
        return ws.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + w.from() + " " + w.sql())) {
                bind(ps, w.params(), 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public List<TraceSummary> traces(TraceFilter filter, TraceSort sort, long offset, int limit) {
        CohortSql.check(ws, filter.cohort());
        Where w = where(filter);
        String sql = Query.TRACE_LIST.sql().replace("{from}", w.from()).replace("{where}", w.sql()).replace("{order}", orderBy(sort));
        return ws.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = bind(ps, w.params(), 1);
                ps.setInt(i++, limit);
                ps.setLong(i, offset);
                List<TraceSummary> out = new ArrayList<>(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new TraceSummary(TraceId.of((UUID) rs.getObject(1)), rs.getLong(2), rs.getString(3),
                                rs.getString(4), rs.getLong(5), rs.getLong(6), rs.getInt(7), rs.getInt(8),
                                rs.getInt(9), rs.getInt(10), rs.getBoolean(11), rs.getLong(12), rs.getLong(13),
                                rs.getLong(14)));
                    }
                }
                return out;
            }
        });
    }

    private static int bind(PreparedStatement ps, List<Object> params, int from) throws SQLException {
        int i = from;
        for (Object p : params) {
            if (p instanceof Long l) {
                ps.setLong(i++, l);
            } else if (p instanceof Double d) {
                ps.setDouble(i++, d);
            } else {
                ps.setString(i++, (String) p);
            }
        }
        return i;
    }

    @Override
    public List<String> services() {
        return ws.read(c -> {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT DISTINCT service_name FROM resources ORDER BY 1")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Override
    public List<String> attributeKeys() {
        return ws.read(c -> {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(Query.ATTRIBUTE_KEYS.sql())) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ one trace

    @Override
    public Optional<TraceDetail> trace(TraceId traceId) {
        return ws.read(c -> Optional.ofNullable(loadTrace(c, traceId)));
    }

    private static TraceDetail loadTrace(Connection c, TraceId traceId) throws SQLException {
        String uuid = traceId.uuid().toString();
        List<Object[]> rows = new ArrayList<>();
        boolean anyEvents = false;
        boolean anyLinks = false;
        long from = Long.MIN_VALUE;
        long to = Long.MAX_VALUE;
        try (PreparedStatement ps = c.prepareStatement("SELECT start_ns, end_ns FROM traces WHERE trace_id = ?::UUID")) {
            ps.setString(1, uuid);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    from = rs.getLong(1);
                    to = rs.getLong(2);
                }
            }
        }
        // where the trace's rows are: per import, the range of file positions (events and links follow their spans)
        Map<Integer, long[]> seqRanges = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(Query.TRACE_SPANS.sql())) {
            ps.setString(1, uuid);
            ps.setLong(2, from);
            ps.setLong(3, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] r = new Object[35];
                    for (int i = 0; i < r.length; i++) {
                        r[i] = rs.getObject(i + 1);
                    }
                    anyEvents |= ((Number) r[17]).intValue() > 0;
                    anyLinks |= ((Number) r[18]).intValue() > 0;
                    rows.add(r);
                    long seq = rs.getLong(37);
                    seqRanges.merge(rs.getInt(36), new long[] {seq, seq}, (a, b) -> new long[] {Math.min(a[0], b[0]),
                        Math.max(a[1], b[1])});
                }
            }
        }
        if (rows.isEmpty()) {
            return null;
        }
        String where = rowsOf(seqRanges);
        Map<Long, List<SpanEventData>> events = anyEvents ? loadEvents(c, uuid, where) : Map.of();
        Map<Long, List<SpanLinkData>> links = anyLinks ? loadLinks(c, uuid, where) : Map.of();
        List<SpanDetail> spans = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            long spanId = ((Number) r[0]).longValue();
            spans.add(new SpanDetail(
                    spanId,
                    r[1] == null ? null : ((Number) r[1]).longValue(),
                    (String) r[2],
                    SpanKind.fromCode(((Number) r[3]).intValue()),
                    ((Number) r[4]).longValue(),
                    ((Number) r[5]).longValue(),
                    StatusCode.fromCode(((Number) r[6]).intValue()),
                    (String) r[7],
                    (String) r[8],
                    ((Number) r[9]).intValue(),
                    (String) r[10],
                    ((Number) r[11]).longValue(),
                    ((Number) r[12]).longValue(),
                    AttributeJson.decode(str(r[13])),
                    ((Number) r[14]).intValue(),
                    events.getOrDefault(spanId, List.of()),
                    ((Number) r[15]).intValue(),
                    links.getOrDefault(spanId, List.of()),
                    ((Number) r[16]).intValue(),
                    new LlmFields((String) r[19], (String) r[20], (String) r[21], (String) r[22], (String) r[23],
                            lng(r[24]), lng(r[25]), lng(r[26]), lng(r[27]),
                            r[28] == null ? null : ((Number) r[28]).doubleValue(), (String) r[29], (String) r[30],
                            (Boolean) r[31], lng(r[32]), (String) r[33], ((Number) r[34]).intValue())));
        }
        // resources and scopes by the ids the spans carry: no second scan of the spans table
        java.util.Set<Long> resourceIds = new java.util.TreeSet<>();
        java.util.Set<Long> scopeIds = new java.util.TreeSet<>();
        for (SpanDetail s : spans) {
            resourceIds.add(s.resourceId());
            scopeIds.add(s.scopeId());
        }
        Map<Long, ResourceData> resources = new HashMap<>();
        Map<Long, ScopeData> scopes = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT resource_id, attributes, schema_url, "
                + "dropped_attributes_count FROM resources WHERE resource_id IN (" + placeholders(resourceIds.size())
                + ")")) {
            bindLongs(ps, resourceIds);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    resources.put(rs.getLong(1),
                            new ResourceData(AttributeJson.decode(rs.getString(2)), rs.getString(3), rs.getInt(4)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT scope_id, name, version, attributes, schema_url, "
                + "dropped_attributes_count FROM scopes WHERE scope_id IN (" + placeholders(scopeIds.size()) + ")")) {
            bindLongs(ps, scopeIds);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    scopes.put(rs.getLong(1), new ScopeData(rs.getString(2), rs.getString(3),
                            AttributeJson.decode(rs.getString(4)), rs.getString(5), rs.getInt(6)));
                }
            }
        }
        return new TraceDetail(traceId, spans, resources, scopes);
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(Math.max(1, n), "?"));
    }

    private static void bindLongs(PreparedStatement ps, java.util.Collection<Long> values) throws SQLException {
        int i = 1;
        for (long v : values) {
            ps.setLong(i++, v);
        }
        if (values.isEmpty()) {
            ps.setLong(1, 0);
        }
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static Long lng(Object o) {
        return o == null ? null : ((Number) o).longValue();
    }

    /**
     * A condition on (import_id, span_seq) covering the trace's spans: events and links were appended in their span's
     * order, so zone maps on these two columns let DuckDB skip the rest of the table.
     */
    private static String rowsOf(Map<Integer, long[]> ranges) {
        if (ranges.isEmpty() || ranges.size() > 50) {
            return "TRUE";
        }
        StringBuilder sb = new StringBuilder("(");
        for (Map.Entry<Integer, long[]> e : ranges.entrySet()) {
            sb.append(sb.length() == 1 ? "" : " OR ").append("(import_id = ").append(e.getKey())
                    .append(" AND span_seq BETWEEN ").append(e.getValue()[0]).append(" AND ").append(e.getValue()[1])
                    .append(")");
        }
        return sb.append(")").toString();
    }

    private static Map<Long, List<SpanEventData>> loadEvents(Connection c, String uuid, String where)
            throws SQLException {
        Map<Long, List<SpanEventData>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT span_id, time_ns, name, attributes, "
                + "dropped_attributes_count FROM span_events WHERE trace_id = ?::UUID AND " + where
                + " ORDER BY span_id, seq")) {
            ps.setString(1, uuid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<Attribute> attrs = AttributeJson.decode(rs.getString(4));
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new SpanEventData(rs.getLong(2), rs.getString(3), attrs, rs.getInt(5)));
                }
            }
        }
        return out;
    }

    private static Map<Long, List<SpanLinkData>> loadLinks(Connection c, String uuid, String where)
            throws SQLException {
        Map<Long, List<SpanLinkData>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT span_id, linked_trace_id, linked_span_id, "
                + "trace_state, flags, attributes, dropped_attributes_count FROM span_links WHERE trace_id = ?::UUID "
                + "AND " + where + " ORDER BY span_id, seq")) {
            ps.setString(1, uuid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<Attribute> attrs = AttributeJson.decode(rs.getString(6));
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new SpanLinkData(TraceId.of((UUID) rs.getObject(2)), rs.getLong(3),
                                    rs.getString(4), rs.getInt(5), attrs, rs.getInt(7)));
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ imports

    @Override
    public List<dev.tracebench.core.ingest.Problem> importProblems(int importId) {
        return ws.read(c -> {
            List<dev.tracebench.core.ingest.Problem> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT severity, location, reason FROM import_problems "
                    + "WHERE import_id = ? ORDER BY seq")) {
                ps.setInt(1, importId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new dev.tracebench.core.ingest.Problem(
                                dev.tracebench.core.ingest.Problem.Severity.valueOf(
                                        rs.getString(1).toUpperCase(Locale.ROOT)),
                                rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<ImportRecord> imports() {
        return ws.read(c -> {
            List<ImportRecord> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT import_id, file, format, sha256, bytes, spans_read, spans_added, duplicates, "
                            + "already_present, rejected, warnings, epoch_ms(started_at), duration_ms, "
                            + "(SELECT count(*) FROM eval_results e JOIN eval_runs r USING (run_id) "
                            + "WHERE r.import_id = i.import_id) "
                            + "FROM imports i ORDER BY import_id DESC")) {
                while (rs.next()) {
                    out.add(new ImportRecord(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9),
                            rs.getLong(10), rs.getLong(11), java.time.Instant.ofEpochMilli(rs.getLong(12)),
                            rs.getLong(13), rs.getLong(14)));
                }
            }
            return out;
        });
    }
}
