package dev.tracebench.core.query;

import java.util.List;

/**
 * The result of a user query: column names and DuckDB type names, rows of plain Java values (String, Long, Double,
 * Boolean, BigDecimal, ... or null), and whether more rows existed than were fetched.
 */
public record QueryResult(List<String> columns, List<String> types, List<List<Object>> rows, boolean truncated) {
    public QueryResult {
        columns = List.copyOf(columns);
        types = List.copyOf(types);
        rows = List.copyOf(rows);
    }

    /**
     * The same result with secrets masked ({@link dev.tracebench.core.report.Secrets}): text in a column named like a
     * credential ({@code authorization}, {@code api_key}) entirely, other text where it looks like one (an
     * {@code sk-…} key, a bearer token, a password in a URL or in attribute JSON).
     */
    public QueryResult masked() {
        List<List<Object>> out = new java.util.ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            List<Object> r = new java.util.ArrayList<>(row.size());
            for (int i = 0; i < row.size(); i++) {
                Object v = row.get(i);
                r.add(v instanceof String s ? dev.tracebench.core.report.Secrets.maskAttribute(columns.get(i), s) : v);
            }
            out.add(java.util.Collections.unmodifiableList(r));
        }
        return new QueryResult(columns, types, out, truncated);
    }
}
