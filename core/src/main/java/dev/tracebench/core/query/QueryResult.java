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
}
