package dev.tracebench.core.store;

import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.QueryRefusedException;
import dev.tracebench.core.query.QueryResult;
import dev.tracebench.core.query.SqlConsole;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * User SQL, read-only, enforced by DuckDB: the statement runs in a READ ONLY transaction ({@link Workspace#read}) on a
 * database opened with external access off and its configuration locked, so DuckDB refuses writes, other files,
 * ATTACH, extensions and settings whatever the text says. What runs is DuckDB's own parse of the text, one SELECT
 * (DESCRIBE, SHOW, SUMMARIZE and FROM-first queries are SELECTs), executed from its syntax tree
 * ({@code json_execute_serialized_sql}): no second statement can ride along, whatever quoting tricks the text uses.
 * The checks before it give friendly messages ("DELETE would change the workspace", "2 statements") and refuse an
 * explicit checkpoint, which DuckDB allows in a read-only transaction (it keeps the data but rewrites the file).
 */
final class DuckDbSqlConsole implements SqlConsole {
    private final Workspace ws;

    DuckDbSqlConsole(Workspace ws) {
        this.ws = ws;
    }

    /** Verbs named in refusals: they act on the database, its files or the session. */
    private static final java.util.Set<String> REFUSED_VERBS = java.util.Set.of("CHECKPOINT", "FORCE", "VACUUM",
            "INSTALL", "LOAD", "ATTACH", "DETACH", "USE", "SET", "RESET", "EXPORT", "IMPORT", "COPY", "BEGIN",
            "COMMIT", "ROLLBACK", "ABORT", "START", "END", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER",
            "TRUNCATE", "MERGE", "CALL", "PRAGMA", "ANALYZE", "UPSERT");

    private static final String READ_ONLY_HINT = "queries are read-only. Use SELECT (or DESCRIBE, SHOW, SUMMARIZE, "
            + "FROM ...).";

    @Override
    public QueryResult run(String sql, int maxRows) {
        UserSql.Parsed parsed = UserSql.parse(sql == null ? "" : sql);
        if (parsed.failed()) {
            throw new QueryRefusedException(refusal(sql, parsed));
        }
        if (parsed.statements().isEmpty()) {
            throw new QueryRefusedException("Nothing to run: the query is empty.");
        }
        if (parsed.statements().size() > 1) {
            throw new QueryRefusedException("Refused: the query holds " + parsed.statements().size()
                    + " statements; run one statement at a time.");
        }
        if (UserSql.callsTableFunction(parsed, "checkpoint", "force_checkpoint")) {
            throw new QueryRefusedException("Refused: a checkpoint rewrites the workspace file, and " + READ_ONLY_HINT);
        }
        return ws.read(c -> runIn(c, parsed.json(), maxRows));
    }

    /** Why DuckDB's parser would not give one SELECT, in words: the verb if it is one that changes things. */
    private static String refusal(String sql, UserSql.Parsed parsed) {
        if (!parsed.notASelect()) {
            return "Syntax error: " + UserSql.clean(parsed.errorMessage());
        }
        List<String> statements = statements(sql);
        if (statements.size() > 1) {
            return "Refused: the query holds " + statements.size() + " statements; run one statement at a time.";
        }
        String first = statements.isEmpty() ? "" : statements.get(0);
        String verb = first.split("[\\s(]+", 2)[0].toUpperCase(java.util.Locale.ROOT);
        if (REFUSED_VERBS.contains(verb)) {
            return "Refused: " + verb + " would change the workspace, its files or the session, and " + READ_ONLY_HINT;
        }
        return "Refused: only queries can run here" + (verb.isEmpty() ? "" : " (" + verb + " is not one)") + "; "
                + READ_ONLY_HINT;
    }

    private static QueryResult runIn(Connection c, String serialized, int maxRows) throws SQLException {
        // the LIMIT stops the query once one row past the limit is read (it keeps the query's order), instead of
        // materialising all of it: SELECT * FROM spans with 350k spans took 4 s and 700 MB without it
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM json_execute_serialized_sql(?) LIMIT "
                + ((long) Math.max(0, maxRows) + 1))) {
            ps.setString(1, serialized);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData rmd = rs.getMetaData();
                int n = rmd.getColumnCount();
                List<String> cols = new ArrayList<>(n);
                List<String> types = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    cols.add(rmd.getColumnLabel(i));
                    types.add(rmd.getColumnTypeName(i));
                }
                List<List<Object>> rows = new ArrayList<>();
                boolean truncated = false;
                while (rs.next()) {
                    if (rows.size() >= maxRows) {
                        truncated = true;
                        break;
                    }
                    List<Object> row = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        row.add(plain(rs.getObject(i)));
                    }
                    rows.add(row);
                }
                return new QueryResult(cols, types, rows, truncated);
            }
        }
    }

    /** JDBC values as plain Java values: UUIDs (trace ids) become hex, DuckDB structs and lists become text. */
    private static Object plain(Object v) throws SQLException {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof UUID u) {
            return TraceId.of(u).hex();
        }
        if (v instanceof java.sql.Array a) {
            Object[] items = (Object[]) a.getArray();
            List<Object> out = new ArrayList<>(items.length);
            for (Object o : items) {
                out.add(plain(o));
            }
            return out.toString();
        }
        return v.toString();
    }

    /**
     * The statements of {@code sql} as a simple splitter sees them (quotes, dollar-quotes and comments respected), for
     * messages only: DuckDB's parser decides what runs.
     */
    static List<String> statements(String sql) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char ch = sql.charAt(i);
            if (ch == '\'' || ch == '"') {
                int end = i + 1;
                while (end < n) {
                    if (sql.charAt(end) == ch) {
                        if (end + 1 < n && sql.charAt(end + 1) == ch) {
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                end = Math.min(end + 1, n);
                cur.append(sql, i, end);
                i = end;
            } else if (ch == '$' && i + 1 < n && sql.charAt(i + 1) == '$') {
                int close = sql.indexOf("$$", i + 2);
                int end = close < 0 ? n : close + 2;
                cur.append(sql, i, end);
                i = end;
            } else if (ch == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int nl = sql.indexOf('\n', i);
                i = nl < 0 ? n : nl;
                cur.append(' ');
            } else if (ch == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
                cur.append(' ');
            } else if (ch == ';') {
                parts.add(cur.toString());
                cur.setLength(0);
                i++;
            } else {
                cur.append(ch);
                i++;
            }
        }
        parts.add(cur.toString());
        List<String> nonEmpty = new ArrayList<>();
        for (String p : parts) {
            if (!p.isBlank()) {
                nonEmpty.add(p.strip());
            }
        }
        return nonEmpty;
    }
}
