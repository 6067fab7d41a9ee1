package dev.tracebench.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.query.QueryResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceSchemaTest {
    @TempDir
    Path dir;

    @Test
    void newWorkspaceRecordsItsSchemaVersionAndReopens() {
        Path file = dir.resolve("sub/folder/ws.duckdb");
        try (Workspace ws = Workspace.open(file)) {
            assertEquals(0, ws.traces().stats().traces());
        }
        try (Workspace ws = Workspace.openReadOnly(file)) {
            QueryResult r = ws.console().run("SELECT value FROM schema_meta WHERE key = 'schema_version'", 10);
            assertEquals(String.valueOf(Workspace.SCHEMA_VERSION), r.rows().get(0).get(0));
            QueryResult tables = ws.console().run("SELECT count(*) FROM duckdb_tables() WHERE table_name IN "
                    + "('spans','span_events','span_links','traces','resources','scopes','imports','import_problems')",
                    10);
            assertEquals(8L, ((Number) tables.rows().get(0).get(0)).longValue());
        }
    }

    @Test
    void aWorkspaceOfAnotherSchemaVersionIsRefusedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("old.duckdb");
        Workspace.open(file).close();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement()) {
            s.execute("UPDATE schema_meta SET value = '99' WHERE key = 'schema_version'");
            s.execute("CHECKPOINT");
        }
        String before = sha(file);
        IncompatibleWorkspaceException e = assertThrows(IncompatibleWorkspaceException.class,
                () -> Workspace.open(file));
        assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not modified"), e.getMessage());
        assertThrows(IncompatibleWorkspaceException.class, () -> Workspace.openReadOnly(file));
        assertEquals(before, sha(file), "a refused workspace must not be modified");
        assertTrue(!Files.exists(dir.resolve("old.duckdb.wal")), "no WAL may be left behind");
    }

    @Test
    void aFileThatIsNotDuckDbIsRefusedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("notes.duckdb");
        Files.writeString(file, "these are my notes, not a database\n");
        String before = sha(file);
        IncompatibleWorkspaceException e = assertThrows(IncompatibleWorkspaceException.class,
                () -> Workspace.open(file));
        assertTrue(e.getMessage().contains("not a DuckDB database file"), e.getMessage());
        assertEquals(before, sha(file));
    }

    @Test
    void anotherApplicationsDuckDbFileIsRefused() throws Exception {
        Path file = dir.resolve("other.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers(id INTEGER, name VARCHAR)");
            s.execute("INSERT INTO customers VALUES (1, 'a')");
        }
        String before = sha(file);
        IncompatibleWorkspaceException e = assertThrows(IncompatibleWorkspaceException.class,
                () -> Workspace.open(file));
        assertTrue(e.getMessage().contains("not a Tracebench workspace"), e.getMessage());
        assertEquals(before, sha(file));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"CREATE VIEW v_sales AS SELECT 1 AS amount",
        "CREATE SEQUENCE order_ids; CREATE MACRO twice(x) AS x * 2", "CREATE TYPE mood AS ENUM ('ok', 'sad')",
        "CREATE SCHEMA staging"})
    void aDuckDbFileWithOnlyViewsSequencesMacrosOrTypesIsNotTurnedIntoAWorkspace(String ddl) throws Exception {
        Path file = dir.resolve("app.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement()) {
            s.execute(ddl);
            s.execute("CHECKPOINT");
        }
        String before = sha(file);
        IncompatibleWorkspaceException e = assertThrows(IncompatibleWorkspaceException.class,
                () -> Workspace.open(file));
        assertTrue(e.getMessage().contains("another application") && e.getMessage().contains("not modified"),
                e.getMessage());
        String name = ddl.replaceAll("^CREATE \\w+ (\\w+).*", "$1");
        assertTrue(e.getMessage().contains(name), e.getMessage() + " names " + name);
        assertThrows(IncompatibleWorkspaceException.class, () -> Workspace.openReadOnly(file));
        assertEquals(before, sha(file));
        assertTrue(!Files.exists(dir.resolve("app.duckdb.wal")));
    }

    @Test
    void readingAnEmptyFileOrAnEmptyDatabaseSaysWhatItIs() throws Exception {
        Path empty = dir.resolve("zero.duckdb");
        Files.createFile(empty);
        IncompatibleWorkspaceException e = assertThrows(IncompatibleWorkspaceException.class,
                () -> Workspace.openReadOnly(empty));
        assertTrue(e.getMessage().contains("is an empty file"), e.getMessage());
        assertEquals(0, Files.size(empty));
        Path blank = dir.resolve("blank.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + blank); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT"); // what a process killed before the schema was committed leaves
        }
        e = assertThrows(IncompatibleWorkspaceException.class, () -> Workspace.openReadOnly(blank));
        assertTrue(e.getMessage().contains("nothing in it"), e.getMessage());
        // opened for writing, both become workspaces
        for (Path p : new Path[] {empty, blank}) {
            try (Workspace ws = Workspace.open(p)) {
                assertEquals(0, ws.traces().stats().traces());
            }
            Workspace.openReadOnly(p).close();
        }
    }

    @Test
    void anEmptyDuckDbFileBecomesAWorkspace() throws Exception {
        Path file = dir.resolve("empty.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        }
        try (Workspace ws = Workspace.open(file)) {
            assertEquals(0, ws.traces().stats().spans());
        }
    }

    @Test
    void readOnlyWorkspacesRefuseWrites() {
        Path file = dir.resolve("ro.duckdb");
        Workspace.open(file).close();
        try (Workspace ws = Workspace.openReadOnly(file)) {
            assertThrows(WorkspaceException.class, () -> ws.write(c -> { }));
        }
    }

    static String sha(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
