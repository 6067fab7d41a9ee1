package dev.tracebench.core.store;

import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.store.IngestRows.EvalRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Eval runs and results into the workspace, inside an import's transaction (the writer thread's end of file), and
 * their links to traces ({@code query/eval_link.sql}).
 *
 * <p>Results are appended with DuckDB's row Appender into a temporary table and moved into {@code eval_results} by
 * one {@code INSERT ... SELECT} that numbers them from {@code eval_result_id_seq}: no statement per row.
 */
final class EvalIngest {
    private EvalIngest() {
    }

    /** The eval results stored by one import: how many, in how many runs, how many linked to a stored trace. */
    record Stored(long runs, long results, long linked) {
        static final Stored NONE = new Stored(0, 0, 0);
    }

    /**
     * Parses a trace id as eval files write it: 32 or 16 hex digits (any case, optional 0x), or a UUID with dashes.
     * Null if it is none of these.
     */
    static TraceId parseTraceId(String s) {
        String t = s.strip();
        if (t.length() == 36 && t.charAt(8) == '-' && t.charAt(13) == '-' && t.charAt(18) == '-'
                && t.charAt(23) == '-') {
            t = t.replace("-", "");
        }
        return Ids.parseTraceId(t);
    }

    /** Parses a span id (16 hex digits, any case, optional 0x); null if it is not one. */
    static Long parseSpanId(String s) {
        return Ids.parseSpanId(s);
    }

    /**
     * Stores the runs and their results of import {@code importId}, then links what can be linked; returns the
     * counts. The caller's transaction is open on {@code c}.
     */
    static Stored store(DuckDBConnection c, int importId, List<EvalRunData> runs, List<EvalRow> rows)
            throws SQLException {
        if (runs.isEmpty()) {
            return Stored.NONE;
        }
        long[] runIds = new long[runs.size()];
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO eval_runs VALUES "
                + "(nextval('eval_run_id_seq'), ?, ?, ?, ?, ?, ?, ?) RETURNING run_id")) {
            for (int i = 0; i < runs.size(); i++) {
                EvalRunData r = runs.get(i);
                ps.setInt(1, importId);
                ps.setString(2, r.name());
                ps.setString(3, r.sourceFormat());
                ps.setString(4, r.file());
                ps.setTimestamp(5, r.created() == null ? null : Timestamp.from(r.created()));
                ps.setString(6, r.configJson());
                ps.setString(7, r.evaluatorVersion());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    runIds[i] = rs.getLong(1);
                }
            }
        }
        if (!rows.isEmpty()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE OR REPLACE TEMP TABLE stg_eval_results AS SELECT * EXCLUDE (result_id, linked_by) "
                        + "FROM eval_results LIMIT 0");
            }
            try (DuckDBAppender a = c.createAppender("temp", "main", "stg_eval_results")) {
                for (EvalRow row : rows) {
                    append(a, runIds[row.run()], row);
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO eval_results BY NAME SELECT nextval('eval_result_id_seq') AS result_id, "
                        + "CASE WHEN trace_id IS NOT NULL THEN 'trace_id' END AS linked_by, * FROM stg_eval_results");
                s.execute("DROP TABLE stg_eval_results");
            }
            link(c, 0);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE trace_id IN "
                + "(SELECT trace_id FROM traces)) FROM eval_results WHERE run_id IN (SELECT run_id FROM eval_runs "
                + "WHERE import_id = ?)")) {
            ps.setInt(1, importId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Stored(runs.size(), rs.getLong(1), rs.getLong(2));
            }
        }
    }

    private static void append(DuckDBAppender a, long runId, EvalRow row) throws SQLException {
        EvalResultData d = row.data();
        a.beginRow().append(runId).append(row.seq()).append(d.location())
                .append(d.traceId()).append(d.spanId()).append(d.responseId()).append(d.exampleId());
        if (row.trace() == null) {
            a.appendNull();
        } else {
            a.appendUUID(row.trace().hi(), row.trace().lo());
        }
        a.append(row.span()).append(d.evaluator()).append(d.score()).append(d.label()).append(d.passed())
                .append(d.threshold()).append(d.explanation()).append(d.judgeModel()).append(d.judgeCost())
                .append(d.judgeInputTokens()).append(d.judgeOutputTokens()).append(d.input()).append(d.output())
                .append(d.expected());
        if (d.contexts().isEmpty()) {
            a.appendNull();
        } else {
            a.append(d.contexts());
        }
        if (d.timestamp() == null) {
            a.appendNull();
        } else {
            a.appendEpochMicros(Math.addExact(Math.multiplyExact(d.timestamp().getEpochSecond(), 1_000_000L),
                    d.timestamp().getNano() / 1_000));
        }
        a.append(d.metadataJson()).endRow();
    }

    /**
     * Links the results that name a span, a response or an example to their trace, searching the spans of import
     * {@code spansOf} (0: all spans). Does nothing, cheaply, when no result waits for a link.
     */
    static void link(Connection c, int spansOf) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(Query.EVAL_UNLINKED.sql())) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return;
            }
        }
        for (String sql : statements(Query.EVAL_LINK.sql())) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (sql.contains("$1")) {
                    ps.setInt(1, spansOf);
                }
                ps.execute();
            }
        }
    }

    /** The statements of a script, each ending with a semicolon at the end of a line. */
    private static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        for (String part : script.split(";[ \\t]*\\R")) {
            if (part.lines().anyMatch(l -> !l.isBlank() && !l.strip().startsWith("--"))) {
                out.add(part);
            }
        }
        return out;
    }
}
