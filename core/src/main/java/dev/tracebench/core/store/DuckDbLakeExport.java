package dev.tracebench.core.store;

import dev.tracebench.core.lake.LakeException;
import dev.tracebench.core.lake.LakeManifest;
import dev.tracebench.core.lake.LakeMasking;
import dev.tracebench.core.lake.LakeTable;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.CancelledException;
import dev.tracebench.core.task.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes a workspace's tables into a trace lake ({@code docs/lake.md}): DuckDB's {@code COPY ... (FORMAT PARQUET,
 * PARTITION_BY (date, service))} per table, from an in-memory database that attaches the workspace file read-only
 * (the workspace's own connections may not touch other files).
 *
 * <p>Nothing half-written is ever a lake. A new lake is written into a hidden folder beside {@code DIR} and renamed to
 * it in one move. An append writes into {@code DIR/.tmp-*}, moves the new files in (new names: {@code part-<uuid>},
 * nothing is rewritten) and then replaces the manifest; files are read through the views by glob, so a crash between
 * the moves and the manifest leaves rows the manifest does not count yet (docs/lake.md). On failure or cancel the
 * hidden folder is deleted.
 *
 * <p>Secrets are masked on the way out ({@link LakeMasking}: attribute documents by key and shape, free-text
 * columns by shape), as in every export. UUID columns (trace ids) are written as the 32 lowercase hex digits OTLP files use, readable by every Parquet
 * reader; the lake's views cast them back. Workspace-local ids ({@code import_id}, {@code run_id}, {@code result_id}) and the spans' {@code span_row} (the
 * workspace rowid) are shifted by the lake's {@code next_ids}, so that appending another workspace keeps them unique.
 */
public final class DuckDbLakeExport {
    /** Id columns shifted by the lake's next ids; span_row is the spans' rowid, shifted the same way. */
    private static final List<String> ID_COLUMNS = List.of("import_id", "run_id", "result_id");
    private static final String SPAN_ROW = "span_row";
    /** Columns of free text that may hold a credential (besides every attributes document): masked on export. */
    private static final java.util.Set<String> FREE_TEXT = java.util.Set.of("spans.status_message",
            "eval_results.input", "eval_results.output", "eval_results.expected",
            "eval_results.contexts", "eval_results.explanation", "eval_results.metadata", "eval_runs.config",
            "import_problems.reason");

    private DuckDbLakeExport() {
    }

    /**
     * Exports the workspace file {@code workspaceFile} into the lake {@code dir}.
     *
     * @param append add to the lake at {@code dir}; without it {@code dir} must be missing or empty
     * @param createdBy what wrote the lake, e.g. "tracebench 0.1.0"
     * @return the lake's manifest after the export
     * @throws LakeException saying what is wrong with the workspace or folder, or what failed
     * @throws CancelledException if cancelled (nothing was written)
     */
    public static LakeManifest export(Path workspaceFile, Path dir, boolean append, String createdBy,
            ProgressListener progress, CancellationToken cancel) {
        Path ws = workspaceFile.toAbsolutePath().normalize();
        Path out = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(ws)) {
            throw new LakeException(ws + " is a folder; export lake reads a workspace file.");
        }
        Workspace.openReadOnly(ws).close(); // refuses what is no workspace; upgrades an older one first
        LakeManifest previous = previousLake(out, append);
        String id = UUID.randomUUID().toString();
        Path staging = previous == null ? out.resolveSibling("." + out.getFileName() + ".tmp-" + id)
                : out.resolve(".tmp-" + id);
        Path spill = staging.resolveSibling(staging.getFileName() + ".spill");
        boolean done = false;
        try {
            Files.createDirectories(staging);
            LakeManifest next;
            try (Connection c = connect(spill); Statement s = c.createStatement()) {
                try {
                    s.execute("ATTACH " + DuckDbLakeReader.quote(ws.toString()) + " AS ws (READ_ONLY)");
                } catch (SQLException e) {
                    throw new LakeException(Workspace.describeOpenFailure(ws, e), e);
                }
                registerMasking(c);
                Thread watcher = cancelWatcher(s, cancel);
                try {
                    next = write(s, ws, staging, previous, createdBy, progress, cancel);
                } finally {
                    watcher.interrupt();
                }
            }
            cancel.throwIfCancelled();
            if (previous == null) {
                next.write(staging);
                if (Files.exists(out)) {
                    Files.delete(out); // empty, checked above
                }
                Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
            } else {
                moveFiles(staging, out);
                next.write(out);
            }
            done = true;
            return next;
        } catch (SQLException e) {
            if (cancel.isCancelled()) {
                throw new CancelledException();
            }
            throw new LakeException("Export of " + ws + " to " + out + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new LakeException("Export of " + ws + " to " + out + " failed: " + e, e);
        } finally {
            deleteTree(spill);
            if (!done || previous != null) {
                deleteTree(staging);
            }
        }
    }

    /** {@link LakeMasking}'s functions as DuckDB functions ({@code tb_mask_*}; NULL stays NULL). */
    private static void registerMasking(Connection c) throws SQLException {
        java.util.Map<String, java.util.function.UnaryOperator<String>> functions = java.util.Map.of(
                "tb_mask_attributes", LakeMasking::attributes, "tb_mask_secret_keys", LakeMasking::secretKeys,
                "tb_mask_text", LakeMasking::text);
        for (var f : functions.entrySet()) {
            try (org.duckdb.DuckDBScalarFunctionBuilder b = org.duckdb.DuckDBFunctions.scalarFunction()) {
                b.withName(f.getKey()).withParameter(String.class).withReturnType(String.class)
                        .withFunction((String v) -> f.getValue().apply(v)).withNullInNullOut().register(c);
            }
        }
    }

    /** Interrupts the running statement (a long COPY) once {@code cancel} is set; polls every 100 ms. */
    private static Thread cancelWatcher(Statement s, CancellationToken cancel) {
        Thread t = new Thread(() -> {
            try {
                while (!cancel.isCancelled()) {
                    Thread.sleep(100);
                }
                s.cancel();
            } catch (InterruptedException e) {
                // the export ended
            } catch (SQLException e) {
                // the statement ended meanwhile; the next check of the token stops the export
            }
        }, "tracebench-lake-cancel");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The lake to append to (null for a new one), after checking the folder may be written as asked. */
    private static LakeManifest previousLake(Path out, boolean append) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new LakeException(out + " is a file; a lake is written into a folder.");
        }
        boolean empty;
        try (Stream<Path> entries = Files.exists(out) ? Files.list(out) : Stream.empty()) {
            empty = entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new LakeException("Cannot read " + out + ": " + e.getMessage(), e);
        }
        if (empty) {
            return null;
        }
        if (!append) {
            throw new LakeException(out + " exists and is not empty. Choose a new or empty folder, or add to the "
                    + "lake there with --append.");
        }
        if (!LakeManifest.isLake(out)) {
            throw new LakeException(out + " is not a trace lake (no " + LakeManifest.FILE_NAME + "); --append adds "
                    + "only to a lake.");
        }
        LakeManifest m = LakeManifest.read(out);
        if (m.schemaVersion() != Workspace.SCHEMA_VERSION) {
            throw new LakeException("Trace lake " + out + " has schema version " + m.schemaVersion() + "; this "
                    + "Tracebench writes version " + Workspace.SCHEMA_VERSION + " and appends only to lakes of "
                    + "that version. Export into a new folder.");
        }
        return m;
    }

    private static Connection connect(Path spill) throws SQLException {
        Properties props = new Properties();
        props.setProperty("memory_limit", Workspace.memoryLimit());
        props.setProperty("temp_directory", spill.toString());
        return DriverManager.getConnection("jdbc:duckdb:", props);
    }

    private static LakeManifest write(Statement s, Path ws, Path staging, LakeManifest previous, String createdBy,
            ProgressListener progress, CancellationToken cancel) throws SQLException, IOException {
        Map<String, Long> offsets = previous == null ? Map.of() : previous.nextIds();
        Map<String, Long> nextIds = new LinkedHashMap<>();
        nextIds.put("import_id", offset(offsets, "import_id") + maxOf(s, "SELECT max(import_id) FROM ws.imports"));
        nextIds.put("run_id", offset(offsets, "run_id") + maxOf(s, "SELECT max(run_id) FROM ws.eval_runs"));
        nextIds.put("result_id", offset(offsets, "result_id") + maxOf(s, "SELECT max(result_id) FROM ws.eval_results"));
        nextIds.put(SPAN_ROW, offset(offsets, SPAN_ROW) + maxOf(s, "SELECT max(rowid) + 1 FROM ws.spans"));

        String keys = DuckDbLakeReader.quote(LakeMasking.KEYS);
        String shapes = DuckDbLakeReader.quote(LakeMasking.SHAPES);
        List<LakeManifest.Table> tables = new ArrayList<>();
        Map<String, Long> added = new LinkedHashMap<>();
        LakeTable[] all = LakeTable.values();
        for (int i = 0; i < all.length; i++) {
            cancel.throwIfCancelled();
            LakeTable t = all[i];
            List<LakeManifest.Column> columns = columns(s, t.table());
            List<String> select = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) {
                LakeManifest.Column col = columns.get(c);
                String q = "x.\"" + col.name() + "\"";
                String as = " AS \"" + col.name() + "\"";
                if (ID_COLUMNS.contains(col.name())) {
                    select.add(q + " + " + offset(offsets, col.name()) + as);
                } else if (col.name().equals("attributes")) {
                    String text = "CAST(" + q + " AS VARCHAR)";
                    select.add("CASE WHEN regexp_matches(" + text + ", " + shapes + ") THEN CAST(tb_mask_attributes("
                            + text + ") AS JSON) WHEN regexp_matches(" + text + ", " + keys + ") THEN CAST("
                            + "tb_mask_secret_keys(" + text + ") AS JSON) ELSE " + q + " END" + as);
                } else if (FREE_TEXT.contains(t.table() + "." + col.name())) {
                    String text = "CASE WHEN regexp_matches(v, " + shapes + ") THEN tb_mask_text(v) ELSE v END";
                    select.add((col.type().endsWith("[]") ? "list_transform(" + q + ", lambda v: " + text + ")"
                            : text.replace("(v", "(" + q).replace("ELSE v", "ELSE " + q)) + as);
                } else if (col.type().equals("UUID")) {
                    // trace ids as OTLP's 32 hex digits: Spark (4.1) refuses Parquet's UUID type
                    select.add("replace(CAST(" + q + " AS VARCHAR), '-', '')" + as);
                    columns.set(c, new LakeManifest.Column(col.name(), "VARCHAR"));
                } else {
                    select.add(q);
                }
            }
            if (t == LakeTable.SPANS) {
                select.add("x.rowid + " + offset(offsets, SPAN_ROW) + " AS " + SPAN_ROW);
                columns.add(new LakeManifest.Column(SPAN_ROW, "BIGINT"));
            }
            String from = switch (t.partitioning()) {
                case SPAN -> ", " + partitionKeys("x") + " FROM ws." + t.table() + " x";
                case TRACE -> ", " + partitionKeys("tr") + " FROM ws." + t.table() + " x LEFT JOIN ws.traces tr "
                        + "ON tr.trace_id = x.trace_id";
                case NONE -> " FROM ws." + t.table() + " x";
            };
            String query = "SELECT " + String.join(", ", select) + from;
            long rows = maxOf(s, "SELECT count(*) FROM ws." + t.table());
            progress.progress(i, all.length, t.table() + ": writing " + String.format("%,d", rows) + " rows");
            if (rows > 0) {
                Path target = staging.resolve(t.table());
                Files.createDirectories(target);
                String options = "FORMAT PARQUET, COMPRESSION ZSTD";
                if (t.partitioned()) {
                    s.execute("COPY (" + query + ") TO " + DuckDbLakeReader.quote(target.toString()) + " ("
                            + options + ", PARTITION_BY (" + String.join(", ", LakeTable.PARTITION_KEYS)
                            + "), FILENAME_PATTERN 'part-{uuid}')");
                } else {
                    s.execute("COPY (" + query + ") TO " + DuckDbLakeReader.quote(
                            target.resolve("part-" + UUID.randomUUID() + ".parquet").toString()) + " (" + options
                            + ")");
                }
            }
            added.put(t.table(), rows);
            LakeManifest.Table before = previous == null ? null : previous.table(t.table());
            tables.add(new LakeManifest.Table(t.table(), t.partitioned() ? LakeTable.PARTITION_KEYS : List.of(),
                    rows + (before == null ? 0 : before.rows()), columns));
        }
        progress.progress(all.length, all.length, "written");
        String now = Instant.now().toString();
        List<LakeManifest.Export> exports = new ArrayList<>(previous == null ? List.of() : previous.exports());
        exports.add(new LakeManifest.Export(now, createdBy, ws.getFileName().toString(), added));
        return new LakeManifest(LakeManifest.FORMAT, Workspace.SCHEMA_VERSION,
                previous == null ? createdBy : previous.createdBy(), previous == null ? now : previous.createdAt(),
                now, tables, exports, nextIds);
    }

    /** The Hive partition keys of a row whose date and service are those of {@code alias}: UTC day and service. */
    private static String partitionKeys(String alias) {
        return "CAST(make_timestamp(" + alias + ".start_ns // 1000) AS DATE) AS date, " + alias
                + ".service_name AS service";
    }

    private static long offset(Map<String, Long> offsets, String key) {
        return offsets == null ? 0 : offsets.getOrDefault(key, 0L);
    }

    private static long maxOf(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1); // NULL (an empty table) reads as 0
        }
    }

    /** The workspace table's columns and their DuckDB types, in table order. */
    private static List<LakeManifest.Column> columns(Statement s, String table) throws SQLException {
        List<LakeManifest.Column> columns = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT column_name, data_type FROM information_schema.columns WHERE "
                + "table_catalog = 'ws' AND table_schema = 'main' AND table_name = '" + table + "' ORDER BY "
                + "ordinal_position")) {
            while (rs.next()) {
                columns.add(new LakeManifest.Column(rs.getString(1), rs.getString(2)));
            }
        }
        if (columns.isEmpty()) {
            throw new LakeException("The workspace has no table " + table + ".");
        }
        return columns;
    }

    /** Moves every file under {@code from} to the same relative place under {@code to}. */
    private static void moveFiles(Path from, Path to) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(from)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            Path target = to.resolve(from.relativize(f));
            Files.createDirectories(target.getParent());
            Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Deletes {@code root} and everything under it, as far as possible (a missing folder is fine). */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException ignored) {
                    // best effort: a leftover hidden folder is not part of any lake
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
