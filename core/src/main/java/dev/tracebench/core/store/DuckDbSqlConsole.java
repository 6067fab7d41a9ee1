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
import org.duckdb.DuckDBResultSetMetaData;
import org.duckdb.StatementReturnType;

/**
 * User SQL, read-only. Three layers keep the workspace safe: input with more than one statement is refused before
 * DuckDB sees it (DuckDB's prepare runs all but the last statement of a batch); a statement whose prepared form does
 * not return rows (INSERT, UPDATE, DDL, COPY, ATTACH, SET, ...) is refused by its return type; and the statement runs
 * inside a transaction that is always rolled back. The CLI additionally opens the workspace read-only with external
 * file access disabled, so DuckDB itself refuses writes.
 */
final class DuckDbSqlConsole implements SqlConsole {
    private final Workspace ws;

    DuckDbSqlConsole(Workspace ws) {
        this.ws = ws;
    }

    /** Statements refused by their first word: they act on the database, its files or the session. */
    private static final java.util.Set<String> REFUSED_VERBS = java.util.Set.of("CHECKPOINT", "FORCE", "VACUUM",
            "INSTALL", "LOAD", "ATTACH", "DETACH", "USE", "SET", "RESET", "EXPORT", "IMPORT", "COPY", "BEGIN",
            "COMMIT", "ROLLBACK", "ABORT", "START", "END", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER",
            "TRUNCATE", "MERGE", "CALL");

    @Override
    public QueryResult run(String sql, int maxRows) {
        String statement = singleStatement(sql);
        String verb = statement.split("[\\s(]+", 2)[0].toUpperCase(java.util.Locale.ROOT);
        if (REFUSED_VERBS.contains(verb)) {
            throw new QueryRefusedException("Refused: " + verb + " would change the workspace, its files or the "
                    + "session, and queries are read-only. Use SELECT (or DESCRIBE, SHOW, SUMMARIZE, EXPLAIN).");
        }
        return ws.read(c -> {
            boolean wasAuto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                return runIn(c, statement, maxRows);
            } finally {
                try {
                    c.rollback();
                } finally {
                    c.setAutoCommit(wasAuto);
                }
            }
        });
    }

    private static QueryResult runIn(Connection c, String sql, int maxRows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ResultSetMetaData md = ps.getMetaData();
            StatementReturnType type = md instanceof DuckDBResultSetMetaData d ? d.getReturnType() : null;
            if (type != StatementReturnType.QUERY_RESULT) {
                throw new QueryRefusedException("Refused: this statement would change the workspace or its "
                        + "settings, and queries are read-only. Use SELECT (or DESCRIBE, SHOW, SUMMARIZE, EXPLAIN).");
            }
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
     * Returns the one statement in {@code sql} (without a trailing semicolon), refusing empty input and input with
     * more than one statement. Quotes, dollar-quotes and comments are respected.
     */
    static String singleStatement(String sql) {
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
        if (nonEmpty.isEmpty()) {
            throw new QueryRefusedException("Nothing to run: the query is empty.");
        }
        if (nonEmpty.size() > 1) {
            throw new QueryRefusedException("Refused: the query holds " + nonEmpty.size()
                    + " statements; run one statement at a time.");
        }
        return nonEmpty.get(0);
    }
}
