package dev.tracebench.core.store;

import dev.tracebench.core.query.SqlConsole;
import dev.tracebench.core.query.TraceService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.duckdb.DuckDBConnection;

/**
 * One workspace: one DuckDB file holding imported traces. The only owner of JDBC in Tracebench.
 *
 * <p>Access is by intent. {@link #read} runs work on the calling thread's own connection (made with
 * {@code duplicate()} the first time a thread reads; DuckDB connections are stateful and must never be shared across
 * threads, duckdb/duckdb#7183). {@link #write} does the same inside a transaction. Imports go through
 * {@link #ingest}, one at a time, each on a dedicated connection owned by its writer thread. Nothing outside this
 * package ever sees a {@link Connection}.
 *
 * <p><b>User SQL.</b> Every workspace is opened with {@code enable_external_access = false} and
 * {@code lock_configuration = true}: DuckDB itself refuses to read or write any file but the workspace (and its own
 * temporary files), to attach databases, to install or load extensions and to change a setting. Every {@link #read}
 * runs in a {@code READ ONLY} transaction, where DuckDB refuses any write, so SQL a user typed (the console, cohort
 * filters) cannot change the workspace even on a writable one. Our own checks of that SQL are for friendly messages.
 *
 * <p><b>Opening.</b> The file is inspected read-only before any DDL runs. A DuckDB file of another application, a
 * workspace of a newer schema or a file that is not DuckDB is refused with {@link IncompatibleWorkspaceException} and
 * left byte-for-byte untouched. A workspace of an older schema is upgraded ({@link SchemaUpgrade}: copy first, then
 * migrate in place; a failed upgrade restores the copy).
 */
public final class Workspace implements AutoCloseable {
    /**
     * Bump when the DDL changes, and add the step from the previous version to {@link SchemaUpgrade}. 2: normalised
     * LLM columns, ZSTD attributes, skew counts. 3: per-trace critical path and facts. 4: {@code traces.root_error}.
     * 5: {@code eval_runs}, {@code eval_results}. 6: datasets ({@code datasets}, {@code dataset_versions},
     * {@code dataset_version_examples}, {@code dataset_example_revisions}).
     */
    public static final int SCHEMA_VERSION = 6;

    private static final byte[] DUCKDB_MAGIC = {'D', 'U', 'C', 'K'};

    private final Path path;
    private final boolean readOnly;
    private final DuckDBConnection sentinel;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Connection> threadConnection = new ThreadLocal<>();
    /** Read lock held by every operation, write lock by close: close waits for running work. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final ReentrantLock ingestLock = new ReentrantLock();
    /** Held by every dataset write: the next version and the stored revisions are read before writing after them. */
    final Object datasetWrites = new Object();
    /** Reads in progress on this thread: only the outermost begins and ends the read-only transaction. */
    private final ThreadLocal<int[]> readDepth = ThreadLocal.withInitial(() -> new int[1]);
    private volatile boolean closed;
    private volatile String openNotice;

    private Workspace(Path path, boolean readOnly, DuckDBConnection sentinel) {
        this.path = path;
        this.readOnly = readOnly;
        this.sentinel = sentinel;
    }

    /**
     * Opens (creating if missing) a workspace for reading and writing. An empty file, or a DuckDB database with
     * nothing in it (one whose creation was interrupted), becomes a workspace; a workspace of an older schema is
     * upgraded first ({@link #openNotice()} says so).
     */
    public static Workspace open(Path file) {
        Path path = file.toAbsolutePath().normalize();
        if (Files.isDirectory(path)) {
            throw new WorkspaceException(dev.tracebench.core.lake.LakeManifest.isLake(path)
                    ? path + " is a trace lake: it opens read-only (read commands, the desktop app). To add files to "
                            + "it: tracebench import --lake " + path + " FILE..."
                    : path + " is a folder: a workspace is a DuckDB file (and a trace lake a folder with "
                            + dev.tracebench.core.lake.LakeManifest.FILE_NAME + ").");
        }
        String notice = null;
        int version = Files.exists(path) && sizeOf(path) > 0 ? inspect(path) : 0;
        boolean blank = version == 0;
        if (!blank) {
            notice = SchemaUpgrade.upgradeIfOlder(path, version);
        } else {
            try {
                Path parent = path.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                if (Files.exists(path) && sizeOf(path) == 0) {
                    Files.delete(path); // DuckDB refuses an empty file; there is nothing in it to lose
                }
            } catch (IOException e) {
                throw new WorkspaceException("Cannot create workspace " + path + ": " + e.getMessage(), e);
            }
        }
        DuckDBConnection c = connect(path, false);
        // the workspace is now locked to this process: spill files of imports killed before their end can go
        SpillFiles.removeStale(path);
        Workspace ws = new Workspace(path, false, c);
        ws.openNotice = notice;
        try {
            if (blank) {
                ws.installSchema();
            }
        } catch (RuntimeException e) {
            ws.close();
            throw e;
        }
        return ws;
    }

    /**
     * Opens an existing workspace read-only: DuckDB itself then refuses every statement that would write to it. Used
     * by the CLI's read commands. A workspace of an older schema is upgraded first (which needs write access once).
     */
    public static Workspace openReadOnly(Path file) {
        Path path = file.toAbsolutePath().normalize();
        if (Files.isDirectory(path)) {
            return DuckDbLakeReader.open(path);
        }
        if (!Files.exists(path)) {
            throw new WorkspaceException("No workspace at " + path);
        }
        if (isBlank(path)) {
            throw new IncompatibleWorkspaceException(path, sizeOf(path) == 0
                    ? path + " is an empty file, not a Tracebench workspace yet. Import trace files into it to make it "
                            + "one (tracebench import --workspace " + path + " FILE...)."
                    : path + " is a DuckDB database with nothing in it, not a Tracebench workspace yet (creating it "
                            + "may have been interrupted). Import trace files into it to make it one.");
        }
        String notice = SchemaUpgrade.upgradeIfOlder(path, inspect(path));
        Workspace ws = new Workspace(path, true, connect(path, true));
        ws.openNotice = notice;
        return ws;
    }

    /**
     * True if opening {@code file} for writing would create a new workspace in it: it does not exist, is empty, or is
     * a DuckDB database with no objects at all (never anything else: a file with any table, view, sequence, macro or
     * type of another application is not blank).
     */
    public static boolean isBlank(Path file) {
        Path path = file.toAbsolutePath().normalize();
        if (Files.isDirectory(path)) {
            return false; // a trace lake, or no workspace at all
        }
        if (!Files.exists(path) || sizeOf(path) == 0) {
            return true;
        }
        try {
            return inspect(path) == 0;
        } catch (IncompatibleWorkspaceException e) {
            return false;
        }
    }

    /**
     * Checks, without changing anything, that {@code file} is a workspace this Tracebench opens (perhaps after an
     * upgrade); throws {@link IncompatibleWorkspaceException} saying what it is otherwise.
     */
    public static void checkOpenable(Path file) {
        Path path = file.toAbsolutePath().normalize();
        if (Files.isDirectory(path)) {
            DuckDbLakeReader.check(path);
        } else if (Files.exists(path) && sizeOf(path) > 0) {
            inspect(path);
        }
    }

    /**
     * A read-only workspace over a trace lake: {@code connection} is an in-memory database whose tables are views over
     * the lake's files ({@link DuckDbLakeReader}).
     */
    static Workspace overLake(Path dir, DuckDBConnection connection, String notice) {
        Workspace ws = new Workspace(dir, true, connection);
        ws.openNotice = notice;
        return ws;
    }

    /** Something done on the user's behalf while opening (an upgrade of the schema), or null. */
    public String openNotice() {
        return openNotice;
    }

    /** How imports get rows into DuckDB in this JVM (Arrow batches, or the row Appender and why), for diagnostics. */
    public static String ingestPath() {
        return IngestRun.ingestPath();
    }

    public Path path() {
        return path;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    /** The trace queries the views and the CLI use. */
    public TraceService traces() {
        return new DuckDbTraceService(this);
    }

    /** SLO checks and per-step SLI counts over this workspace's traces and eval results. */
    public dev.tracebench.core.slo.SloService slos() {
        return new DuckDbSloService(this);
    }

    /** Traffic weights, scale-up, cache, retraining and sampling recommendations, and the tracing overhead. */
    public dev.tracebench.core.recommend.RecommendationService recommendations() {
        return new DuckDbRecommendationService(this);
    }

    /** Latency attribution, root cause and trace comparison over this workspace. */
    public dev.tracebench.core.analysis.AnalysisService analysis() {
        return new DuckDbAnalysisService(this);
    }

    /** Eval runs and results: runs, metrics, examples, comparisons; stores evaluator runs. */
    public dev.tracebench.core.eval.EvalService evals() {
        return new DuckDbEvalService(this);
    }

    /** Golden datasets: named, versioned sets of examples. */
    public dev.tracebench.core.dataset.DatasetService datasets() {
        return new DuckDbDatasetService(this);
    }

    /** The per-service, route and model figures {@code /metrics} exposes. */
    public dev.tracebench.core.metrics.MetricsService metrics() {
        return new DuckDbMetricsService(this);
    }

    /** A console for user-typed SQL that refuses anything that would change the workspace. */
    public SqlConsole console() {
        return new DuckDbSqlConsole(this);
    }

    /**
     * Imports one source as one transaction: the importer's {@code body} streams spans into an
     * {@link dev.tracebench.core.ingest.IngestSession}; if it finishes, everything it handed over is committed with
     * the per-trace rollups and an {@code imports} row; if it throws, is cancelled or storing fails, nothing from the
     * source remains. Never throws for bad input: the report says what happened.
     *
     * @param totalBytes the source's size for progress, or -1 if unknown
     */
    public dev.tracebench.core.ingest.ImportReport ingest(String sourceName, long totalBytes,
            dev.tracebench.core.ingest.IngestBody body, dev.tracebench.core.task.ProgressListener progress,
            dev.tracebench.core.task.CancellationToken cancel) {
        return ingest(sourceName, totalBytes, body, dev.tracebench.core.ingest.IngestOptions.DEFAULT, progress,
                cancel);
    }

    /** {@link #ingest} with the user's normalisation rules and price table. */
    public dev.tracebench.core.ingest.ImportReport ingest(String sourceName, long totalBytes,
            dev.tracebench.core.ingest.IngestBody body, dev.tracebench.core.ingest.IngestOptions options,
            dev.tracebench.core.task.ProgressListener progress, dev.tracebench.core.task.CancellationToken cancel) {
        return IngestRun.run(this, sourceName, totalBytes, body, options, progress, cancel);
    }

    // ------------------------------------------------------------------ access by intent (package-private)

    @FunctionalInterface
    interface ReadWork<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    interface WriteWork {
        void run(Connection c) throws SQLException;
    }

    /**
     * Runs read-only work on this thread's own connection, inside a {@code READ ONLY} transaction (DuckDB refuses any
     * write in it; temporary tables are allowed). Nested reads, and reads inside {@link #write}, join the transaction
     * already open.
     */
    <T> T read(ReadWork<T> work) {
        lifecycle.readLock().lock();
        int[] depth = readDepth.get();
        boolean entered = false;
        try {
            ensureOpen();
            Connection c = threadConnection();
            if (depth[0] > 0 || !c.getAutoCommit()) {
                depth[0]++;
                entered = true;
                return work.run(c);
            }
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN TRANSACTION READ ONLY");
            }
            depth[0]++;
            entered = true;
            try {
                return work.run(c);
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("ROLLBACK");
                }
            }
        } catch (SQLException e) {
            throw new WorkspaceException("Query failed on workspace " + path.getFileName() + ": " + e.getMessage(), e);
        } finally {
            if (entered) {
                depth[0]--;
            }
            lifecycle.readLock().unlock();
        }
    }

    /** Runs work in one transaction on this thread's own connection; rolls back if it throws. */
    void write(WriteWork work) {
        requireWritable();
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            Connection c = threadConnection();
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new WorkspaceException("Write failed on workspace " + path.getFileName() + ": " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Runs one import: a dedicated connection and writer thread, one transaction for the whole source. Imports are
     * serialised (one at a time per workspace).
     */
    <T> T withIngestConnection(IngestWork<T> work) {
        requireWritable();
        lifecycle.readLock().lock();
        ingestLock.lock();
        try {
            ensureOpen();
            Connection c = sentinel.duplicate();
            connections.add(c);
            try {
                return work.run(c);
            } finally {
                connections.remove(c);
                closeQuietly(c);
            }
        } catch (SQLException e) {
            throw new WorkspaceException("Import failed on workspace " + path.getFileName() + ": " + e.getMessage(), e);
        } finally {
            ingestLock.unlock();
            lifecycle.readLock().unlock();
        }
    }

    @FunctionalInterface
    interface IngestWork<T> {
        T run(Connection dedicated) throws SQLException;
    }

    static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException r) {
            cause.addSuppressed(r);
        }
    }

    private Connection threadConnection() throws SQLException {
        Connection c = threadConnection.get();
        if (c == null || c.isClosed()) {
            c = sentinel.duplicate();
            connections.add(c);
            threadConnection.set(c);
        }
        return c;
    }

    private void ensureOpen() {
        if (closed) {
            throw new WorkspaceException("Workspace " + path + " is closed");
        }
    }

    private void requireWritable() {
        if (readOnly) {
            throw new WorkspaceException("Workspace " + path + " is open read-only");
        }
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Connection c : connections) {
                closeQuietly(c);
            }
            connections.clear();
            closeQuietly(sentinel);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing is best effort; the data is committed or rolled back already
        }
    }

    // ------------------------------------------------------------------ opening and schema

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    static DuckDBConnection connect(Path path, boolean readOnly) {
        Properties props = new Properties();
        if (readOnly) {
            props.setProperty("duckdb.read_only", "true");
        }
        props.setProperty("memory_limit", memoryLimit());
        // DuckDB itself keeps user SQL inside the workspace: no other files, no ATTACH, no extensions, no settings
        props.setProperty("enable_external_access", "false");
        props.setProperty("lock_configuration", "true");
        // (locked from here on: what the import's Arrow reads need is set now)
        props.setProperty("arrow_lossless_conversion", "true");
        // every query orders what it returns; not preserving insertion order lets DuckDB insert in parallel
        props.setProperty("preserve_insertion_order", "false");
        // A commit whose write-ahead log passes this threshold makes DuckDB checkpoint (move the log into the database
        // file). A checkpoint's cost grows with the database, not only with the log: with DuckDB's default of 16 MB,
        // live intake (a commit every second or three) checkpointed every few commits, and that took half of the
        // writer's CPU (`bench live`: 59k spans per CPU-second; with 256 MB, 82k, one checkpoint per ~3M spans). A
        // committed transaction is as durable in the log as in the file; opening a workspace replays its log.
        props.setProperty("checkpoint_threshold", "256MB");
        try {
            return (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + path, props);
        } catch (SQLException e) {
            throw new WorkspaceException(describeOpenFailure(path, e), e);
        }
    }

    /**
     * DuckDB's memory limit: {@code $TRACEBENCH_DUCKDB_MEMORY} (e.g. "6GB") if set, else half the machine's memory,
     * capped at 4 GB. DuckDB's own default (80% of RAM) let a 10-million-span import grow to 12 GB resident; with a
     * limit it spills to a temp folder beside the workspace instead.
     */
    static String memoryLimit() {
        String env = System.getenv("TRACEBENCH_DUCKDB_MEMORY");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        long total = physicalMemoryBytes();
        long half = total > 0 ? total / 2 : 2L << 30;
        long mb = Math.max(512, Math.min(4096, half >> 20));
        return mb + "MB";
    }

    private static long physicalMemoryBytes() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return -1;
    }

    static String describeOpenFailure(Path path, SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("Could not set lock") || m.contains("Conflicting lock")) {
            String pid = m.replaceAll("(?s).*PID (\\d+).*", "$1");
            return "Workspace " + path + " is in use by another Tracebench process"
                    + (pid.matches("\\d+") ? " (PID " + pid + ")" : "")
                    + ". DuckDB lets one process open a workspace at a time: close it there first.";
        }
        if (m.contains("different configuration")) {
            return "Workspace " + path + " is already open in this process in another mode.";
        }
        return "Cannot open workspace " + path + ": " + m;
    }

    /**
     * What an existing file holds, read without changing it: 0 for a DuckDB database with no objects at all, else the
     * schema version of the Tracebench workspace it is. Anything else is refused with a message saying what it is.
     */
    static int inspect(Path path) {
        if (!hasDuckDbMagic(path)) {
            throw new IncompatibleWorkspaceException(path, path + " is not a Tracebench workspace: it is not a DuckDB "
                    + "database file. It was not modified.");
        }
        DuckDBConnection c = connect(path, true);
        try (c; Statement s = c.createStatement()) {
            java.util.List<String> objects = new java.util.ArrayList<>();
            try (ResultSet rs = s.executeQuery(Query.WORKSPACE_OBJECTS.sql())) {
                while (rs.next()) {
                    objects.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
            if (objects.isEmpty()) {
                return 0;
            }
            if (!objects.contains("table schema_meta")) {
                throw new IncompatibleWorkspaceException(path, path + " is a DuckDB database of another application, "
                        + "not a Tracebench workspace: it holds " + describeObjects(objects) + " and no Tracebench "
                        + "tables. It was not modified.");
            }
            String version = null;
            try (ResultSet rs = s.executeQuery("SELECT value FROM schema_meta WHERE key = 'schema_version'")) {
                if (rs.next()) {
                    version = rs.getString(1);
                }
            }
            int v = version != null && version.matches("\\d{1,6}") ? Integer.parseInt(version) : -1;
            if (v < 0) {
                throw new IncompatibleWorkspaceException(path, path + " is a DuckDB database but not a Tracebench "
                        + "workspace (its schema_meta table has no schema version). It was not modified.");
            }
            if (v > SCHEMA_VERSION) {
                throw new IncompatibleWorkspaceException(path, "Workspace " + path + " has schema version " + v
                        + ", written by a newer Tracebench; this one reads schema versions up to " + SCHEMA_VERSION
                        + ". Open it with a newer Tracebench; the file was not modified.");
            }
            if (v < SchemaUpgrade.OLDEST) {
                throw new IncompatibleWorkspaceException(path, "Workspace " + path + " has schema version " + v
                        + ", from a development version of Tracebench that this one cannot upgrade (it upgrades "
                        + "schema versions " + SchemaUpgrade.OLDEST + " to " + (SCHEMA_VERSION - 1) + "). Import its "
                        + "trace files into a new workspace; the file was not modified.");
            }
            return v;
        } catch (SQLException e) {
            throw new WorkspaceException(describeOpenFailure(path, e), e);
        }
    }

    /** "2 tables (customers, orders) and 1 view (v_sales)", for at most a few names per kind. */
    private static String describeObjects(java.util.List<String> objects) {
        java.util.Map<String, java.util.List<String>> byKind = new java.util.LinkedHashMap<>();
        for (String o : objects) {
            int sp = o.indexOf(' ');
            byKind.computeIfAbsent(o.substring(0, sp), k -> new java.util.ArrayList<>()).add(o.substring(sp + 1));
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        byKind.forEach((kind, names) -> {
            String plural = names.size() == 1 ? kind : kind.equals("index") ? "indexes" : kind + "s";
            String shown = String.join(", ", names.subList(0, Math.min(3, names.size())))
                    + (names.size() > 3 ? ", …" : "");
            parts.add(names.size() + " " + plural + " (" + shown + ")");
        });
        return parts.size() == 1 ? parts.get(0)
                : String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }

    private static boolean hasDuckDbMagic(Path path) {
        // DuckDB files start with an 8-byte checksum followed by the magic bytes "DUCK"
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(12);
            if (head.length < 12) {
                return false;
            }
            for (int i = 0; i < 4; i++) {
                if (head[8 + i] != DUCKDB_MAGIC[i]) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new WorkspaceException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private void installSchema() {
        write(c -> {
            try (Statement s = c.createStatement()) {
                for (String file : ResourceText.ddlOrder()) {
                    s.execute(ResourceText.load("ddl/" + file));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO schema_meta VALUES (?, ?)")) {
                ps.setString(1, "schema_version");
                ps.setString(2, String.valueOf(SCHEMA_VERSION));
                ps.execute();
                ps.setString(1, "created_at");
                ps.setString(2, java.time.Instant.now().toString());
                ps.execute();
            }
        });
    }

    @Override
    public String toString() {
        return "Workspace[" + path + (readOnly ? ", read-only" : "") + "]";
    }
}
