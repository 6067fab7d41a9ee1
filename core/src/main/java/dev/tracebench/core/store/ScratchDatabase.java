package dev.tracebench.core.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A DuckDB database file apart from any workspace, for tools that run DuckDB's own SQL over files: {@code tracebench
 * bench import --native} measures DuckDB's {@code read_json} on the same file Tracebench imports. Statements run as
 * given, each committed; nothing here touches a workspace.
 */
public final class ScratchDatabase implements AutoCloseable {
    private final Path file;
    private final Connection connection;

    private ScratchDatabase(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /** Opens (creating if missing) the DuckDB file {@code file}. */
    public static ScratchDatabase open(Path file) {
        try {
            return new ScratchDatabase(file, DriverManager.getConnection("jdbc:duckdb:" + file));
        } catch (SQLException e) {
            throw new WorkspaceException("Cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** Runs one statement with its {@code ?} parameters. */
    public void execute(String sql, Object... parameters) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            ps.execute();
        } catch (SQLException e) {
            throw new WorkspaceException("Statement failed on " + file + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row of {@code sql}, a number. */
    public long queryLong(String sql) {
        try (PreparedStatement ps = connection.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new WorkspaceException("Query failed on " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new WorkspaceException("Cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
