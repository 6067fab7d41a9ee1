package dev.tracebench.core.report;

import java.util.List;

/**
 * Tabular output shared by the CLI and exports: column names and rows of plain values (String, Number, Boolean or
 * null). Writers render it as an aligned text table, CSV or JSON.
 */
public record Table(List<String> columns, List<List<Object>> rows) {
    public Table {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
