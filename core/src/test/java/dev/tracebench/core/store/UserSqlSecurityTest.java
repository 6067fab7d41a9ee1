package dev.tracebench.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.GroupBy;
import dev.tracebench.core.query.QueryRefusedException;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.core.testing.Spans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User SQL on a writable workspace (the GUI's case: the console and cohort filters such as Latency > Filter) cannot
 * read or write files, attach, load, change settings, or change the workspace, however it is written. After every
 * attempt the workspace file is byte-for-byte what it was and no file was written. {@code CliSecurityTest} runs the
 * same attacks through the command line.
 */
public class UserSqlSecurityTest {
    @TempDir
    Path dir;

    /** Statements for the console; {dir} is the test's folder, {canary} a file in it. */
    public static final List<String> CONSOLE_ATTACKS = List.of(
            "SELECT * FROM read_text('/etc/hostname')",
            "SELECT * FROM read_text('{canary}')",
            "SELECT * FROM read_csv('{canary}')",
            "SELECT * FROM read_csv_auto('{canary}')",
            "SELECT * FROM read_json_auto('{canary}')",
            "SELECT * FROM read_parquet('{canary}')",
            "SELECT * FROM read_blob('/etc/passwd')",
            "SELECT * FROM '{canary}'",
            "SELECT * FROM glob('{dir}/*')",
            "SELECT * FROM glob('/*')",
            "COPY spans TO '{dir}/out.csv'",
            "COPY (SELECT 1) TO '{dir}/out.parquet' (FORMAT parquet)",
            "COPY spans FROM '{canary}'",
            "ATTACH '{dir}/other.duckdb' AS other",
            "ATTACH ':memory:' AS m",
            "DETACH other",
            "INSTALL httpfs",
            "LOAD httpfs",
            "LOAD '{dir}/evil.duckdb_extension'",
            "SET enable_external_access = true",
            "SET lock_configuration = false",
            "RESET enable_external_access",
            "SET threads = 1",
            "PRAGMA enable_profiling",
            "PRAGMA disable_checkpoint_on_shutdown",
            "EXPORT DATABASE '{dir}/export'",
            "IMPORT DATABASE '{dir}'",
            "CHECKPOINT",
            "FORCE CHECKPOINT",
            "SELECT * FROM checkpoint()",
            "SELECT * FROM force_checkpoint()",
            "CALL checkpoint()",
            "VACUUM",
            "DELETE FROM spans",
            "UPDATE spans SET name = 'x'",
            "INSERT INTO imports SELECT * FROM imports",
            "DROP TABLE spans",
            "TRUNCATE spans",
            "ALTER TABLE spans RENAME TO gone",
            "CREATE TABLE x AS SELECT 1",
            "CREATE OR REPLACE MACRO attr(a, k) AS 'x'",
            "CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')",
            "BEGIN",
            "COMMIT",
            "ROLLBACK",
            "SELECT 1; DELETE FROM spans",
            "SELECT 1; COMMIT; DELETE FROM spans; COMMIT;",
            // strings a hand-written splitter reads differently from DuckDB (they hid a DELETE before)
            "SELECT E'\\''; DELETE FROM spans; COMMIT; --'",
            "SELECT $a$ ; $a$; DELETE FROM spans; COMMIT;",
            "SELECT 1 AS a$$b; DELETE FROM spans; COMMIT; SELECT $$",
            "SELECT 'it''s'; DELETE FROM spans",
            "/* comment */ DELETE FROM spans",
            "-- comment\nDELETE FROM spans",
            "SELECT 1 -- ; \n; DELETE FROM spans",
            "SELECT * FROM query('DELETE FROM spans')",
            "SELECT * FROM query('SELECT * FROM read_text(''/etc/hostname'')')",
            "WITH x AS (SELECT * FROM read_text('{canary}')) SELECT * FROM x",
            "SELECT (SELECT content FROM read_text('{canary}'))",
            "SELECT * FROM spans WHERE name IN (SELECT content FROM read_text('{canary}'))");

    /** Cohort filters (one expression over traces). */
    public static final List<String> FILTER_ATTACKS = List.of(
            "(SELECT count(*) FROM read_text('/etc/hostname')) = 1",
            "trace_id IN (SELECT trace_id FROM read_csv('{canary}'))",
            "(SELECT count(*) FROM glob('/*')) > 0",
            "FALSE) OR (TRUE",
            "1=1) OR (SELECT count(*) FROM glob('/*')) > 0 OR (1=1",
            "TRUE; DELETE FROM spans",
            "TRUE) UNION ALL SELECT trace_id FROM traces --",
            "TRUE FROM traces t; DELETE FROM spans; SELECT TRUE",
            "(SELECT count(*) FROM query('DELETE FROM spans')) = 0",
            "E'\\''; DELETE FROM spans; --' = ''",
            "* ",
            "route, model",
            "TRUE GROUP BY 1",
            "TRUE LIMIT 1");

    private Path workspace() {
        Path file = dir.resolve("ws.duckdb");
        try (Workspace w = Workspace.open(file)) {
            for (int i = 1; i <= 3; i++) {
                w.ingest("t" + i, -1, IngestTest.emit("svc", IngestTest.sampleTrace(Spans.trace(i))),
                        ProgressListener.NONE, CancellationToken.none());
            }
        }
        return file;
    }

    public static String fill(String attack, Path dir, Path canary) {
        return attack.replace("{dir}", dir.toString()).replace("{canary}", canary.toString());
    }

    private TreeSet<String> files() throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            TreeSet<String> out = new TreeSet<>();
            s.filter(p -> !p.getFileName().toString().startsWith("ws.duckdb.tmp")).forEach(p -> out.add(
                    dir.relativize(p).toString()));
            return out;
        }
    }

    @Test
    void nothingAUserTypesReachesOutsideOrChangesAWritableWorkspace() throws Exception {
        Path file = workspace();
        Path canary = Files.writeString(dir.resolve("canary.csv"), "trace_id\nsecret-content\n");
        String sha = WorkspaceSchemaTest.sha(file);
        TreeSet<String> filesBefore = files();
        List<String> leaks = new ArrayList<>();
        try (Workspace ws = Workspace.open(file)) {
            long spans = ws.traces().stats().spans();
            for (String attack : CONSOLE_ATTACKS) {
                String sql = fill(attack, dir, canary);
                try {
                    Object rows = ws.console().run(sql, 100).rows();
                    leaks.add("console ran: " + sql + " -> " + rows);
                } catch (QueryRefusedException | WorkspaceException expected) {
                    assertFalse(expected.getMessage().contains("secret-content"), expected.getMessage());
                }
                assertEquals(spans, ws.traces().stats().spans(), "after " + sql);
            }
            for (String attack : FILTER_ATTACKS) {
                String expr = fill(attack, dir, canary);
                Cohort cohort = Cohort.filter(expr);
                for (String use : List.of("breakdown", "explain", "heatmap")) {
                    try {
                        Object r = switch (use) {
                            case "breakdown" -> ws.analysis().breakdown(cohort, GroupBy.NONE);
                            case "explain" -> ws.analysis().explain(cohort, CheckSettings.DEFAULTS,
                                    CancellationToken.none());
                            default -> ws.analysis().heatmap(cohort, 10, 10);
                        };
                        leaks.add(use + " ran filter: " + expr + " -> " + r);
                    } catch (QueryRefusedException | WorkspaceException expected) {
                        assertFalse(expected.getMessage().contains("secret-content"), expected.getMessage());
                    }
                }
                assertEquals(spans, ws.traces().stats().spans(), "after " + expr);
            }
        }
        assertEquals(List.of(), leaks);
        assertEquals(sha, WorkspaceSchemaTest.sha(file), "the workspace is byte-for-byte unchanged");
        assertEquals(filesBefore, files(), "no file was written");
    }

    @Test
    void refusalsSayWhy() {
        Path file = workspace();
        try (Workspace ws = Workspace.open(file)) {
            assertMessage(ws, "DELETE FROM spans", "DELETE would change the workspace");
            assertMessage(ws, "SELECT 1; SELECT 2", "2 statements");
            assertMessage(ws, "SELECT 1; COMMIT; DELETE FROM spans; COMMIT;", "4 statements");
            assertMessage(ws, "SELECT * FROM checkpoint()", "checkpoint rewrites the workspace file");
            assertMessage(ws, "SELEC 1", "Syntax error");
            WorkspaceException e = assertThrows(WorkspaceException.class,
                    () -> ws.console().run("SELECT * FROM read_text('/etc/hostname')", 1));
            assertTrue(e.getMessage().contains("disabled by configuration"), e.getMessage());
            QueryRefusedException f = assertThrows(QueryRefusedException.class,
                    () -> ws.analysis().breakdown(Cohort.filter("FALSE) OR (TRUE"), GroupBy.NONE));
            assertTrue(f.getMessage().contains("one SQL expression"), f.getMessage());
            f = assertThrows(QueryRefusedException.class,
                    () -> ws.analysis().breakdown(Cohort.filter("route, model"), GroupBy.NONE));
            assertTrue(f.getMessage().contains("list of 2 expressions"), f.getMessage());
        }
    }

    private static void assertMessage(Workspace ws, String sql, String expected) {
        QueryRefusedException e = assertThrows(QueryRefusedException.class, () -> ws.console().run(sql, 1));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void ordinaryFiltersAndQueriesStillWork() {
        Path file = workspace();
        try (Workspace ws = Workspace.open(file)) {
            long all = ws.analysis().breakdown(Cohort.all(), GroupBy.NONE).groups().get(0).traces();
            assertEquals(3, all);
            // a semicolon, a comment and quotes inside a filter are fine: DuckDB's parser reads them
            assertEquals(0, ws.analysis().breakdown(Cohort.filter("route = 'a;b'"), GroupBy.NONE).groups().get(0)
                    .traces());
            assertEquals(3, ws.analysis().breakdown(Cohort.filter("span_count > 0 -- every trace"), GroupBy.NONE)
                    .groups().get(0).traces());
            assertEquals(3, ws.analysis().breakdown(Cohort.filter("trace_id IN (SELECT trace_id FROM spans)"),
                    GroupBy.NONE).groups().get(0).traces());
            assertEquals(List.of(List.of(3L)), ws.console().run("FROM traces SELECT count(*)", 10).rows());
            assertEquals(4, ws.console().run("SUMMARIZE traces", 100).rows().size() > 4 ? 4 : -1);
        }
    }
}
