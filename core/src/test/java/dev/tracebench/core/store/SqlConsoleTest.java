package dev.tracebench.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.query.QueryRefusedException;
import dev.tracebench.core.query.QueryResult;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlConsoleTest {
    @TempDir
    Path dir;
    Workspace ws;

    @BeforeEach
    void open() {
        Path file = dir.resolve("ws.duckdb");
        try (Workspace w = Workspace.open(file)) {
            w.ingest("t", -1, IngestTest.emit("svc", IngestTest.sampleTrace(dev.tracebench.core.testing.Spans.trace(1))),
                    ProgressListener.NONE, CancellationToken.none());
        }
        ws = Workspace.open(file);
    }

    @AfterEach
    void close() {
        ws.close();
    }

    @Test
    void selectsReturnTypedRowsWithHexIds() {
        QueryResult r = ws.console().run("SELECT trace_id, span_hex(span_id) AS span, name, "
                + "attr(attributes, 'gen_ai.request.model') AS model, input_tokens FROM spans WHERE span_id = 3", 10);
        assertEquals(java.util.List.of("trace_id", "span", "name", "model", "input_tokens"), r.columns());
        assertEquals(1, r.rows().size());
        assertEquals("11110000000000012222000000000001", r.rows().get(0).get(0));
        assertEquals("0000000000000003", r.rows().get(0).get(1));
        assertEquals("gpt-4o", r.rows().get(0).get(3));
        assertEquals(100L, ((Number) r.rows().get(0).get(4)).longValue());
    }

    @Test
    void rowLimitIsReported() {
        QueryResult r = ws.console().run("SELECT * FROM range(100)", 10);
        assertEquals(10, r.rows().size());
        assertTrue(r.truncated());
    }

    @ParameterizedTest
    @ValueSource(strings = {"DELETE FROM spans", "INSERT INTO imports SELECT * FROM imports", "DROP TABLE spans",
        "UPDATE spans SET name = 'x'", "CREATE TABLE x(a INT)", "ATTACH ':memory:' AS m", "SET threads = 1",
        "COPY spans TO '/tmp/tracebench-should-not-exist.csv'", "CHECKPOINT", "PRAGMA enable_profiling",
        "SELECT 1; DROP TABLE spans", "select 1; delete from spans;", "-- nothing\n"})
    void statementsThatWouldChangeTheWorkspaceAreRefused(String sql) {
        assertThrows(QueryRefusedException.class, () -> ws.console().run(sql, 10));
        QueryResult r = ws.console().run("SELECT count(*) FROM spans", 1);
        assertEquals(4L, ((Number) r.rows().get(0).get(0)).longValue());
        assertTrue(!new java.io.File("/tmp/tracebench-should-not-exist.csv").exists());
    }

    @Test
    void semicolonsInsideQuotesAndCommentsAreNotStatementBreaks() {
        QueryResult r = ws.console().run("SELECT ';' AS a, 'it''s; ok' AS b; -- trailing; comment\n", 1);
        assertEquals(java.util.List.of(";", "it's; ok"), r.rows().get(0));
        r = ws.console().run("SELECT ';' AS a /* ; */ ;", 1);
        assertEquals(";", r.rows().get(0).get(0));
        // strings DuckDB reads differently from a simple splitter: escapes and dollar quotes
        r = ws.console().run("SELECT E'\\'' AS q, $a$x;y$a$ AS d, 'a$$b' AS e", 1);
        assertEquals(java.util.List.of("'", "x;y", "a$$b"), r.rows().get(0));
    }

    @Test
    void aCommentFirstIsFine() {
        QueryResult r = ws.console().run("-- how many spans?\nSELECT count(*) AS n FROM spans", 1);
        assertEquals(4L, ((Number) r.rows().get(0).get(0)).longValue());
    }

    @Test
    void sqlErrorsExplainThemselves() {
        WorkspaceException e = assertThrows(WorkspaceException.class,
                () -> ws.console().run("SELECT nope FROM spans", 1));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void describeAndShowAreAllowed() {
        assertTrue(ws.console().run("DESCRIBE spans", 100).rows().size() > 20);
        assertTrue(ws.console().run("SHOW TABLES", 100).rows().size() >= 8);
    }
}
