package dev.tracebench.core.store;

import dev.tracebench.core.lake.LakeException;
import dev.tracebench.core.lake.LakeManifest;
import dev.tracebench.core.lake.LakeTable;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Opens a trace lake as a read-only {@link Workspace}: an in-memory DuckDB with the workspace schema (DDL as for a
 * new workspace), in which every lake table that has rows is replaced by a view over its Parquet files with the same
 * column names and types. The services (traces, breakdown, explain, SLOs, evals) then run their usual SQL on it.
 *
 * <p>What the lake does not hold (datasets) stays an empty table. A lake of an older schema version gets views of
 * the current one: columns its files lack read as NULL (the notice names them); a lake of a newer version is refused.
 * The views read the files with {@code hive_partitioning = false}: the partition keys are also in the files' own
 * columns ({@code service_name}, {@code start_ns}), whose Parquet statistics prune row groups. The spans view maps the
 * lake's {@code span_row} to {@code rowid}, which the root-cause analysis uses to read example traces back by range.
 *
 * <p>Like a workspace file, the database keeps user SQL in: external access is off except for the lake's folder
 * ({@code allowed_directories}), and the configuration is locked.
 */
final class DuckDbLakeReader {
    private DuckDbLakeReader() {
    }

    /** Checks, without opening it, that {@code dir} is a lake this Tracebench reads; throws saying why not. */
    static LakeManifest check(Path dir) {
        if (!LakeManifest.isLake(dir) && dev.tracebench.core.remote.RemoteResult.isResult(dir)) {
            throw new IncompatibleWorkspaceException(dir, dir + " is a Spark result folder (a remote result), not a "
                    + "workspace or a trace lake: print it with `tracebench remote show " + dir + "`, or open it in "
                    + "the app (File > Open Remote Result..., or `tracebench gui --workspace " + dir + "`).");
        }
        if (!LakeManifest.isLake(dir)) {
            throw new IncompatibleWorkspaceException(dir, dir + " is a folder, and neither a workspace nor a trace "
                    + "lake: it has no " + LakeManifest.FILE_NAME + ". A workspace is a DuckDB file; a lake is a "
                    + "folder written by `tracebench export lake` or `tracebench import --lake`.");
        }
        LakeManifest m;
        try {
            m = LakeManifest.read(dir);
        } catch (LakeException e) {
            throw new IncompatibleWorkspaceException(dir, e.getMessage());
        }
        if (m.schemaVersion() > Workspace.SCHEMA_VERSION) {
            throw new IncompatibleWorkspaceException(dir, "Trace lake " + dir + " has schema version "
                    + m.schemaVersion() + ", written by a newer Tracebench; this one reads schema versions up to "
                    + Workspace.SCHEMA_VERSION + ". Open it with a newer Tracebench.");
        }
        return m;
    }

    static Workspace open(Path dir) {
        LakeManifest manifest = check(dir);
        Properties props = new Properties();
        props.setProperty("memory_limit", Workspace.memoryLimit());
        props.setProperty("preserve_insertion_order", "false");
        props.setProperty("arrow_lossless_conversion", "true");
        props.setProperty("temp_directory", Path.of(System.getProperty("java.io.tmpdir"),
                "tracebench-lake-" + ProcessHandle.current().pid()).toString());
        org.duckdb.DuckDBConnection c;
        try {
            c = (org.duckdb.DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", props);
        } catch (SQLException e) {
            throw new WorkspaceException("Cannot start DuckDB for trace lake " + dir + ": " + e.getMessage(), e);
        }
        try (Statement s = c.createStatement()) {
            for (String file : ResourceText.ddlOrder()) {
                s.execute(ResourceText.load("ddl/" + file));
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO schema_meta VALUES (?, ?)")) {
                for (String[] kv : new String[][] {{"schema_version", String.valueOf(Workspace.SCHEMA_VERSION)},
                        {"lake", dir.toString()}, {"lake_schema_version", String.valueOf(manifest.schemaVersion())}}) {
                    ps.setString(1, kv[0]);
                    ps.setString(2, kv[1]);
                    ps.execute();
                }
            }
            List<String> filled = new ArrayList<>();
            for (LakeTable t : LakeTable.values()) {
                LakeManifest.Table entry = manifest.table(t.table());
                if (entry != null && entry.rows() > 0) {
                    String view = viewSql(s, dir, t, manifest.schemaVersion(), filled);
                    s.execute("DROP TABLE " + t.table());
                    s.execute("CREATE VIEW " + t.table() + " AS " + view);
                }
            }
            s.execute("SET parquet_metadata_cache = true");
            s.execute("SET allowed_directories = [" + quote(dir + "/") + "]");
            s.execute("SET enable_external_access = false");
            s.execute("SET lock_configuration = true");
            String notice = manifest.schemaVersion() < Workspace.SCHEMA_VERSION
                    ? "Trace lake " + dir + " has schema version " + manifest.schemaVersion() + "; it is read as "
                            + "version " + Workspace.SCHEMA_VERSION + (filled.isEmpty() ? "."
                                    : ", with columns its files do not have read as empty: " + String.join(", ",
                                            filled) + ".")
                    : null;
            return Workspace.overLake(dir, c, notice);
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the failure below is what matters
            }
            if (e instanceof WorkspaceException we) {
                throw we;
            }
            throw new WorkspaceException("Cannot open trace lake " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The files of one table of the lake at {@code dir}, as a DuckDB glob. */
    static String glob(Path dir, LakeTable t) {
        return dir.resolve(t.table()) + (t.partitioned() ? "/*/*/*.parquet" : "/*.parquet");
    }

    /**
     * {@code SELECT CAST(col AS type) AS col, ... FROM read_parquet(...)} with the columns and types of the workspace
     * table of the same name (created from the DDL, still there when this runs).
     */
    private static String viewSql(Statement s, Path dir, LakeTable t, int lakeVersion, List<String> filled)
            throws SQLException {
        String source = "read_parquet(" + quote(glob(dir, t)) + ", hive_partitioning = false)";
        Map<String, String> inFiles = new LinkedHashMap<>();
        try (ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + source)) {
            while (rs.next()) {
                inFiles.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new LakeException("Trace lake " + dir + ": cannot read the files of table " + t.table() + " ("
                    + glob(dir, t) + "): " + e.getMessage(), e);
        }
        List<String> select = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT column_name, data_type FROM information_schema.columns WHERE "
                + "table_schema = 'main' AND table_name = '" + t.table() + "' ORDER BY ordinal_position")) {
            while (rs.next()) {
                String col = rs.getString(1);
                String type = rs.getString(2);
                if (inFiles.containsKey(col)) {
                    select.add("CAST(\"" + col + "\" AS " + type + ") AS \"" + col + "\"");
                } else if (lakeVersion < Workspace.SCHEMA_VERSION) {
                    select.add("CAST(NULL AS " + type + ") AS \"" + col + "\"");
                    filled.add(t.table() + "." + col);
                } else {
                    throw new LakeException("Trace lake " + dir + " is damaged: the files of table " + t.table()
                            + " have no column " + col + " (schema version " + lakeVersion + " has it).");
                }
            }
        }
        if (t == LakeTable.SPANS && inFiles.containsKey("span_row")) {
            select.add("span_row AS rowid");
        }
        return "SELECT " + String.join(", ", select) + " FROM " + source;
    }

    static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
