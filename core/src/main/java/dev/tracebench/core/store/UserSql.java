package dev.tracebench.core.store;

import dev.tracebench.core.json.JsonTree;
import dev.tracebench.core.query.QueryRefusedException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.duckdb.DuckDBConnection;

/**
 * SQL a user typed, read by DuckDB's own parser ({@code json_serialize_sql}) instead of ours: the console's statement
 * and the cohort filters are parsed exactly as DuckDB will run them, so a string such as {@code E'\''} or
 * {@code $a$;$a$} cannot make one statement look like another. The parser runs in a small in-memory DuckDB of its
 * own, which has no files and no settings to change (the text is a bound parameter, never spliced into SQL).
 *
 * <p>These checks give friendly messages and keep a filter to one expression; they are not what keeps the workspace
 * safe. That is DuckDB's: every read runs in a READ ONLY transaction on a database opened with external access off and
 * its configuration locked ({@link Workspace}).
 */
final class UserSql {
    private UserSql() {
    }

    /** DuckDB's parse of a text: its statements (as DuckDB's JSON form of the syntax tree) or the parser's error. */
    record Parsed(String json, List<Object> statements, String errorType, String errorMessage) {
        boolean failed() {
            return errorType != null;
        }

        /** DuckDB serialises SELECT statements (with DESCRIBE, SHOW, SUMMARIZE and FROM-first) and nothing else. */
        boolean notASelect() {
            return failed() && errorMessage != null && errorMessage.contains("Only SELECT statements");
        }
    }

    /** Parses {@code sql}. Never runs it. */
    static Parsed parse(String sql) {
        String json;
        try {
            Connection c = parserConnection();
            try (PreparedStatement ps = c.prepareStatement("SELECT json_serialize_sql(?)")) {
                ps.setString(1, sql);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    json = rs.getString(1);
                }
            }
        } catch (SQLException e) {
            return new Parsed(null, List.of(), "parser", e.getMessage());
        }
        Object tree = JsonTree.parse(json);
        if (!(tree instanceof Map<?, ?> m)) {
            return new Parsed(json, List.of(), "parser", "DuckDB's parser gave no result");
        }
        if (Boolean.TRUE.equals(m.get("error"))) {
            return new Parsed(json, List.of(), String.valueOf(m.get("error_type")),
                    String.valueOf(m.get("error_message")));
        }
        Object st = m.get("statements");
        @SuppressWarnings("unchecked")
        List<Object> statements = st instanceof List<?> l ? (List<Object>) l : List.of();
        return new Parsed(json, statements, null, null);
    }

    /**
     * Checks that {@code expr} is one SQL expression over the columns of {@code table} (aliased {@code alias}) and
     * returns it wrapped for embedding in a WHERE clause: in parentheses on lines of its own, so a trailing
     * {@code --} comment ends before the closing parenthesis. Refuses, with a message saying why, what is not exactly
     * one expression: {@code FALSE) OR (TRUE} (breaking out of the parentheses), {@code x; DELETE ...}, a whole
     * query, a column list. Strings may hold anything ({@code route = 'a;b'}).
     */
    static String checkedExpression(String expr, String table, String alias) {
        String e = expr == null ? "" : expr.strip();
        if (e.isEmpty()) {
            throw new QueryRefusedException("The filter is empty: write a condition over the " + table
                    + " columns, e.g. model = 'gpt-4o' AND duration_ns > 2e9.");
        }
        Parsed p = parse("SELECT\n" + e + "\nFROM " + table + " " + alias);
        String problem = null;
        if (p.failed()) {
            problem = whyNot(e);
        } else if (p.statements().size() != 1) {
            problem = "it holds " + p.statements().size() + " statements";
        } else {
            problem = notOneExpression(p.statements().get(0), table);
        }
        if (problem != null) {
            throw new QueryRefusedException("A filter is one SQL expression over the columns of " + table
                    + " (e.g. model = 'gpt-4o' AND duration_ns > 2e9), and this is not: " + problem + ".");
        }
        return "(\n" + e + "\n)";
    }

    /** Why an expression did not parse inside our wrapper, read from the expression alone (messages name its text). */
    private static String whyNot(String e) {
        Parsed alone = parse("SELECT\n" + e);
        if (alone.notASelect()) {
            return "a ';' outside quotes ends it, and what follows is not a query";
        }
        if (alone.failed()) {
            return clean(alone.errorMessage());
        }
        if (alone.statements().size() > 1) {
            return "it holds " + alone.statements().size() + " statements (a ';' outside quotes ends one)";
        }
        return "it continues past the end of the expression (FROM, WHERE, GROUP BY, LIMIT or a closing parenthesis "
                + "that breaks out)";
    }

    /** Null if the statement is exactly {@code SELECT <one expression> FROM table alias}, else what it is instead. */
    private static String notOneExpression(Object statement, String table) {
        Map<?, ?> node = map(map(statement).get("node"));
        if (!"SELECT_NODE".equals(node.get("type"))) {
            return "it combines queries (" + node.get("type") + ")";
        }
        List<?> select = list(node.get("select_list"));
        Map<?, ?> from = map(node.get("from_table"));
        if (select.size() != 1) {
            return "it is a list of " + select.size() + " expressions (a comma outside parentheses?)";
        }
        Map<?, ?> item = map(select.get(0));
        if ("STAR".equals(item.get("class"))) {
            return "it selects columns (*) instead of testing them";
        }
        if (item.get("alias") instanceof String a && !a.isEmpty()) {
            return "it names its result (\"" + a + "\"): two words without an operator between them?";
        }
        if (!"BASE_TABLE".equals(from.get("type")) || !table.equals(from.get("table_name"))
                || node.get("where_clause") != null || !list(node.get("group_expressions")).isEmpty()
                || node.get("having") != null || node.get("qualify") != null || node.get("sample") != null) {
            return "it continues past the end of the expression (FROM, WHERE, GROUP BY or a closing parenthesis "
                    + "that breaks out)";
        }
        if (!list(node.get("modifiers")).isEmpty()) {
            return "it has ORDER BY, LIMIT or DISTINCT";
        }
        Object cte = map(node.get("cte_map")).get("map");
        if (cte instanceof List<?> l && !l.isEmpty()) {
            return "it starts with WITH";
        }
        return null;
    }

    /** Whether a parsed text calls a table function by one of these names anywhere (in FROM, subqueries, CTEs). */
    static boolean callsTableFunction(Parsed p, String... names) {
        for (Object st : p.statements()) {
            if (calls(st, names)) {
                return true;
            }
        }
        return false;
    }

    private static boolean calls(Object node, String[] names) {
        if (node instanceof Map<?, ?> m) {
            if ("FUNCTION".equals(m.get("class")) || "TABLE_FUNCTION".equals(m.get("type"))) {
                Object fn = m.get("function_name");
                for (String n : names) {
                    if (n.equalsIgnoreCase(String.valueOf(fn))) {
                        return true;
                    }
                }
            }
            for (Object v : m.values()) {
                if (calls(v, names)) {
                    return true;
                }
            }
        } else if (node instanceof List<?> l) {
            for (Object v : l) {
                if (calls(v, names)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** DuckDB's message without its "LINE 1: SELECT ..." excerpt, which shows our wrapper rather than the filter. */
    static String clean(String message) {
        String m = String.valueOf(message);
        int line = m.indexOf("\nLINE ");
        return (line >= 0 ? m.substring(0, line) : m).strip();
    }

    private static Map<?, ?> map(Object o) {
        return o instanceof Map<?, ?> m ? m : Map.of();
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    // ------------------------------------------------------------------ the parser's own database

    private static DuckDBConnection sentinel;
    private static final ThreadLocal<Connection> CONNECTION = new ThreadLocal<>();

    private static Connection parserConnection() throws SQLException {
        Connection c = CONNECTION.get();
        if (c == null || c.isClosed()) {
            c = parserDatabase().duplicate();
            CONNECTION.set(c);
        }
        return c;
    }

    private static synchronized DuckDBConnection parserDatabase() throws SQLException {
        if (sentinel == null) {
            Properties props = new Properties();
            props.setProperty("enable_external_access", "false");
            props.setProperty("lock_configuration", "true");
            props.setProperty("threads", "1");
            props.setProperty("memory_limit", "64MB");
            sentinel = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", props);
        }
        return sentinel;
    }
}
