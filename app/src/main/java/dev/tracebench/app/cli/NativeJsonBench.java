package dev.tracebench.app.cli;

import dev.tracebench.core.store.ScratchDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code bench import --native}: the same OTLP/JSON Lines file loaded by DuckDB's own {@code read_json} into a flat
 * span table (three levels of unnest, attributes as JSON, {@code bench_read_json.sql}), so that Tracebench's importer
 * can be compared with DuckDB's native JSON ingest. Uses a scratch database file of its own.
 */
final class NativeJsonBench {
    private NativeJsonBench() {
    }

    /** Loads {@code jsonl} into a fresh DuckDB file {@code scratchDb}; returns the number of spans loaded. */
    static long load(Path jsonl, Path scratchDb) {
        try (ScratchDatabase db = ScratchDatabase.open(scratchDb)) {
            db.execute("SET preserve_insertion_order = false");
            db.execute(sql(), jsonl.toString());
            db.execute("CHECKPOINT");
            return db.queryLong("SELECT count(*) FROM spans");
        }
    }

    private static String sql() {
        try (InputStream in = NativeJsonBench.class.getResourceAsStream("bench_read_json.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
