package dev.tracebench.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workspaces written by earlier releases (schemas 3 and 4, and schema 5: the previous release) open after an upgrade; a
 * failed upgrade changes nothing.
 */
class WorkspaceUpgradeTest {
    @TempDir
    Path dir;

    private static final List<String> FAILED_ROOTS = List.of("4d8f44678d87ffd67a7ce152ce2f0123",
            "620050f57e6428a0cb06e0b347558094");

    private Path v3() throws Exception {
        return fixture("schema-v3-demo-60.duckdb.gz");
    }

    private Path v4() throws Exception {
        return fixture("schema-v4-demo-60.duckdb.gz");
    }

    private Path v5() throws Exception {
        return fixture("schema-v5-demo-60.duckdb.gz");
    }

    /** The tables of schema 6, empty after an upgrade. */
    private static final List<String> DATASET_TABLES = List.of("datasets", "dataset_versions",
            "dataset_version_examples", "dataset_example_revisions");

    private static void assertNewDatasetTablesEmpty(Map<String, String> after) {
        for (String t : DATASET_TABLES) {
            assertEquals("0 rows, 0", after.remove(t), t);
        }
    }

    private Path fixture(String name) throws Exception {
        Path file = dir.resolve("old.duckdb");
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream("/workspaces/" + name))) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void aSchema4WorkspaceIsUpgradedKeepingEveryRowWithEmptyEvalTables() throws Exception {
        Path file = v4();
        assertEquals("4", schemaVersion(file));
        Map<String, String> before = contents(file, false);
        assertEquals("60 rows", before.get("traces").split(",")[0]);
        try (Workspace ws = Workspace.open(file)) {
            assertTrue(ws.openNotice().contains("upgraded from schema version 4 to " + Workspace.SCHEMA_VERSION),
                    ws.openNotice());
            assertEquals(60, ws.traces().stats().traces());
            assertEquals(683, ws.traces().stats().spans());
            assertEquals(FAILED_ROOTS, column(ws, "SELECT trace_hex(trace_id) FROM traces WHERE root_error ORDER BY 1"));
            assertEquals(List.of(), ws.evals().runs());
        }
        assertFalse(Files.exists(SchemaUpgrade.backupOf(file)));
        Map<String, String> after = new java.util.TreeMap<>(contents(file, false));
        assertEquals("0 rows, 0", after.remove("eval_runs"));
        assertEquals("0 rows, 0", after.remove("eval_results"));
        assertNewDatasetTablesEmpty(after);
        assertEquals(new java.util.TreeMap<>(before), after, "every table of schema 4 keeps every row as it was");
        assertEquals(schema(freshWorkspace()), schema(file), "an upgraded workspace has the schema of a new one");
        // the upgraded workspace takes eval results like a new one
        try (Workspace ws = Workspace.open(file)) {
            assertNull(ws.openNotice(), "upgraded once");
            var report = ws.ingest("evals.jsonl", -1, session -> {
                int run = session.evalRun(new dev.tracebench.core.eval.EvalRunData("after upgrade", "jsonl", "", null,
                        null, null));
                session.evalResult(run, dev.tracebench.core.eval.EvalResultData.builder("groundedness")
                        .traceId(FAILED_ROOTS.get(0)).score(0.5).build());
                return new dev.tracebench.core.ingest.SourceFacts("jsonl", "sha", 10);
            }, dev.tracebench.core.task.ProgressListener.NONE, dev.tracebench.core.task.CancellationToken.none());
            assertEquals(1, report.evalResults(), report.message());
            assertEquals(1, report.evalLinked());
        }
    }

    @Test
    void aSchema5WorkspaceIsUpgradedKeepingEveryRowAndItsEvalResults() throws Exception {
        Path file = v5();
        assertEquals("5", schemaVersion(file));
        Map<String, String> before = contents(file, false);
        assertEquals("41 rows", before.get("eval_results").split(",")[0]);
        try (Workspace ws = Workspace.open(file)) {
            assertTrue(ws.openNotice().contains("upgraded from schema version 5 to " + Workspace.SCHEMA_VERSION),
                    ws.openNotice());
            assertEquals(60, ws.traces().stats().traces());
            assertEquals(683, ws.traces().stats().spans());
            assertEquals(FAILED_ROOTS, column(ws, "SELECT trace_hex(trace_id) FROM traces WHERE root_error ORDER BY 1"));
            var runs = ws.evals().runs();
            assertEquals(1, runs.size());
            assertEquals("online-evaluator", runs.get(0).name());
            assertEquals(41, runs.get(0).results());
            assertEquals(41, runs.get(0).linked());
            assertEquals(List.of(), ws.datasets().datasets());
        }
        assertFalse(Files.exists(SchemaUpgrade.backupOf(file)));
        Map<String, String> after = new java.util.TreeMap<>(contents(file, false));
        assertNewDatasetTablesEmpty(after);
        assertEquals(new java.util.TreeMap<>(before), after, "every table of schema 5 keeps every row as it was");
        assertEquals(schema(freshWorkspace()), schema(file), "an upgraded workspace has the schema of a new one");
        // the upgraded workspace takes datasets like a new one
        try (Workspace ws = Workspace.open(file)) {
            assertNull(ws.openNotice(), "upgraded once");
            var example = dev.tracebench.core.dataset.DatasetExample.of("g-1", "q", "a");
            ws.datasets().save("after upgrade", "v1", List.of(example));
            ws.datasets().accept("after upgrade", runsOf(ws));
            assertEquals(List.of(example), ws.datasets().examples("after upgrade", 1));
        }
    }

    private static long runsOf(Workspace ws) {
        return ws.evals().runs().get(0).id();
    }

    @Test
    void aFailedSchema5UpgradeLeavesTheWorkspaceByteForByteAsItWas() throws Exception {
        Path file = v5();
        String sha = WorkspaceSchemaTest.sha(file);
        WorkspaceException e = assertThrows(WorkspaceException.class, () -> SchemaUpgrade.upgrade(file, 5,
                v -> ResourceText.load("upgrade/v5-to-v6.sql") + "; INSERT INTO datasets SELECT * FROM no_such_table"));
        assertTrue(e.getMessage().contains("restored as it was"), e.getMessage());
        assertEquals(sha, WorkspaceSchemaTest.sha(file));
        assertEquals("5", schemaVersion(file));
    }

    @Test
    void aFailedSchema4UpgradeLeavesTheWorkspaceByteForByteAsItWas() throws Exception {
        Path file = v4();
        String sha = WorkspaceSchemaTest.sha(file);
        // the real v4->v5 step, then a failure after it: the new tables must not survive
        WorkspaceException e = assertThrows(WorkspaceException.class, () -> SchemaUpgrade.upgrade(file, 4,
                v -> ResourceText.load("upgrade/v4-to-v5.sql") + "; INSERT INTO eval_runs SELECT * FROM no_such_table"));
        assertTrue(e.getMessage().contains("failed") && e.getMessage().contains("restored as it was"), e.getMessage());
        assertEquals(sha, WorkspaceSchemaTest.sha(file));
        assertFalse(Files.exists(SchemaUpgrade.backupOf(file)));
        assertFalse(Files.exists(dir.resolve("old.duckdb.wal")));
        assertEquals("4", schemaVersion(file));
        Workspace.open(file).close();
        assertEquals(String.valueOf(Workspace.SCHEMA_VERSION), schemaVersion(file));
    }

    @Test
    void aSchema3WorkspaceIsUpgradedKeepingEveryRowAndMatchesAFreshSchema() throws Exception {
        Path file = v3();
        Map<String, String> before = contents(file, false);
        assertEquals("3", schemaVersion(file));
        try (Workspace ws = Workspace.open(file)) {
            assertNotNull(ws.openNotice());
            assertTrue(ws.openNotice().contains("upgraded from schema version 3 to " + Workspace.SCHEMA_VERSION),
                    ws.openNotice());
            assertEquals(60, ws.traces().stats().traces());
            assertEquals(683, ws.traces().stats().spans());
            List<Object> failed = column(ws, "SELECT trace_hex(trace_id) FROM traces WHERE root_error ORDER BY 1");
            assertEquals(FAILED_ROOTS, failed);
            assertEquals(3L, column(ws, "SELECT count(*) FROM traces WHERE error_count > 0").get(0));
        }
        assertFalse(Files.exists(SchemaUpgrade.backupOf(file)), "the copy is removed once the upgrade finished");
        // every table the upgrade did not change has the same rows; traces has the same rows plus root_error; the
        // eval tables of schema 5 are new and empty
        Map<String, String> after = new java.util.TreeMap<>(contents(file, true));
        assertEquals("0 rows, 0", after.remove("eval_runs"));
        assertEquals("0 rows, 0", after.remove("eval_results"));
        assertNewDatasetTablesEmpty(after);
        assertEquals(before, after);
        assertEquals(schema(freshWorkspace()), schema(file), "an upgraded workspace has the schema of a new one");
        try (Workspace ws = Workspace.open(file)) {
            assertNull(ws.openNotice(), "upgraded once");
        }
    }

    @Test
    void readCommandsUpgradeToo() throws Exception {
        Path file = v3();
        try (Workspace ws = Workspace.openReadOnly(file)) {
            assertTrue(ws.isReadOnly());
            assertTrue(ws.openNotice().contains("upgraded"), ws.openNotice());
            assertEquals(FAILED_ROOTS, column(ws, "SELECT trace_hex(trace_id) FROM traces WHERE root_error ORDER BY 1"));
        }
    }

    @Test
    void aFailedUpgradeLeavesTheWorkspaceByteForByteAsItWas() throws Exception {
        Path file = v3();
        String sha = WorkspaceSchemaTest.sha(file);
        WorkspaceException e = assertThrows(WorkspaceException.class, () -> SchemaUpgrade.upgrade(file, 3,
                v -> "ALTER TABLE traces ADD COLUMN root_error BOOLEAN DEFAULT false; "
                        + "UPDATE traces SET root_error = true; SELECT * FROM no_such_table"));
        assertTrue(e.getMessage().contains("failed") && e.getMessage().contains("restored as it was"), e.getMessage());
        assertEquals(sha, WorkspaceSchemaTest.sha(file));
        assertFalse(Files.exists(SchemaUpgrade.backupOf(file)));
        assertFalse(Files.exists(dir.resolve("old.duckdb.wal")));
        assertEquals("3", schemaVersion(file));
        // and the real upgrade still works afterwards
        Workspace.open(file).close();
        assertEquals(String.valueOf(Workspace.SCHEMA_VERSION), schemaVersion(file));
    }

    @Test
    void aCopyLeftByAKilledUpgradeIsNotInTheWay() throws Exception {
        Path file = v3();
        Files.writeString(SchemaUpgrade.backupOf(file), "left by a killed upgrade");
        try (Workspace ws = Workspace.open(file)) {
            assertTrue(ws.openNotice().contains("upgraded"));
        }
        assertFalse(Files.exists(SchemaUpgrade.backupOf(file)));
        Files.writeString(SchemaUpgrade.backupOf(file), "left after the commit, before it was removed");
        Workspace.open(file).close();
        assertFalse(Files.exists(SchemaUpgrade.backupOf(file)));
    }

    @Test
    void aWorkspaceThatNeedsAnUpgradeButCannotBeWrittenIsRefusedUntouched() throws Exception {
        Path file = v3();
        String sha = WorkspaceSchemaTest.sha(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        try {
            if (Files.isWritable(file)) {
                return; // running as a user who can write anyway (root): nothing to test
            }
            WorkspaceException e = assertThrows(WorkspaceException.class, () -> Workspace.openReadOnly(file));
            assertTrue(e.getMessage().contains("not writable"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        assertEquals(sha, WorkspaceSchemaTest.sha(file));
    }

    @Test
    void developmentSchemasAreRefusedWithAMessage() throws Exception {
        Path file = v3();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement()) {
            s.execute("UPDATE schema_meta SET value = '2' WHERE key = 'schema_version'");
            s.execute("CHECKPOINT");
        }
        String sha = WorkspaceSchemaTest.sha(file);
        IncompatibleWorkspaceException e = assertThrows(IncompatibleWorkspaceException.class,
                () -> Workspace.open(file));
        assertTrue(e.getMessage().contains("schema version 2") && e.getMessage().contains("cannot upgrade"),
                e.getMessage());
        assertEquals(sha, WorkspaceSchemaTest.sha(file));
    }

    // ------------------------------------------------------------------ helpers (plain DuckDB, not the code under test)

    private Path freshWorkspace() {
        Path fresh = dir.resolve("fresh.duckdb");
        Workspace.open(fresh).close();
        return fresh;
    }

    private static List<Object> column(Workspace ws, String sql) {
        List<Object> out = new ArrayList<>();
        for (List<Object> row : ws.console().run(sql, 1000).rows()) {
            out.add(row.get(0));
        }
        return out;
    }

    private static Connection readOnly(Path file) throws Exception {
        Properties p = new Properties();
        p.setProperty("duckdb.read_only", "true");
        return DriverManager.getConnection("jdbc:duckdb:" + file, p);
    }

    private static String schemaVersion(Path file) throws Exception {
        try (Connection c = readOnly(file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT value FROM schema_meta WHERE key = 'schema_version'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Per table: row count and an order-independent hash of all rows (traces without the column the upgrade adds). */
    private static Map<String, String> contents(Path file, boolean upgraded) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = readOnly(file); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT table_name FROM duckdb_tables() WHERE table_name <> "
                    + "'schema_meta' ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                String cols = t.equals("traces") && upgraded ? "* EXCLUDE (root_error)" : "*";
                try (ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(hash(x)), 0) FROM (SELECT " + cols
                        + " FROM " + t + ") x")) {
                    rs.next();
                    out.put(t, rs.getLong(1) + " rows, " + rs.getString(2));
                }
            }
        }
        return out;
    }

    private static List<String> schema(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = readOnly(file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT table_name, column_index, column_name, data_type, is_nullable, "
                        + "column_default FROM duckdb_columns() WHERE database_name = current_database() "
                        + "ORDER BY 1, 2")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "." + rs.getString(3) + " #" + rs.getInt(2) + " " + rs.getString(4)
                        + (rs.getBoolean(5) ? "" : " NOT NULL") + " default " + rs.getString(6));
            }
        }
        return out;
    }
}
