package dev.tracebench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench import --native}: DuckDB's read_json loads every span of an OTLP/JSON Lines file. */
class NativeJsonBenchTest {
    @TempDir
    Path dir;

    @Test
    void readJsonLoadsEverySpan() throws Exception {
        Path f = dir.resolve("t.jsonl");
        Files.writeString(f, CliTest.otlp("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "POST /chat", 1000,
                2500, 0) + CliTest.otlp("1af7651916cd43dd8448eb211c80319c", "c7ad6b7169203331", "GET /health", 2000, 3,
                2), StandardCharsets.UTF_8);
        assertEquals(2, NativeJsonBench.load(f, dir.resolve("scratch.duckdb")));
    }
}
