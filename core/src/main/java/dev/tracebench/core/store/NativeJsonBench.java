package dev.tracebench.core.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * For benchmarks only: the same OTLP/JSON Lines file loaded by DuckDB's own {@code read_json} into a flat span table
 * (three levels of unnest, attributes as JSON), so Tracebench's importer can be compared with DuckDB's native JSON
 * ingest. Uses a scratch database file of its own.
 */
public final class NativeJsonBench {
    private NativeJsonBench() {
    }

    /** Loads {@code jsonl} into a fresh DuckDB file {@code scratchDb}; returns the number of spans loaded. */
    public static long load(Path jsonl, Path scratchDb) {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + scratchDb);
                Statement s = c.createStatement()) {
            s.execute("SET preserve_insertion_order = false");
            try (PreparedStatement ps = c.prepareStatement(Query.BENCH_READ_JSON.sql())) {
                ps.setString(1, jsonl.toString());
                ps.execute();
            }
            s.execute("CHECKPOINT");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM spans")) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new WorkspaceException("read_json failed on " + jsonl + ": " + e.getMessage(), e);
        }
    }
}
