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
 * <p>Opening checks the schema version before running any DDL: an existing file is first opened read-only, and if it
 * is not a Tracebench workspace of this schema version it is refused with {@link IncompatibleWorkspaceException} and
 * left untouched.
 */
public final class Workspace implements AutoCloseable {
    /**
     * Bump when the DDL changes in a way old files cannot be read with. 2: normalised LLM columns (reasoning tokens,
     * cost source, finish reason, cache hit, time to first token, sources, conflicts), ZSTD attributes, skew counts.
     */
    public static final int SCHEMA_VERSION = 3;

    private static final byte[] DUCKDB_MAGIC = {'D', 'U', 'C', 'K'};

    private final Path path;
    private final boolean readOnly;
    private final DuckDBConnection sentinel;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Connection> threadConnection = new ThreadLocal<>();
    /** Read lock held by every operation, write lock by close: close waits for running work. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final ReentrantLock ingestLock = new ReentrantLock();
    private volatile boolean closed;

    private Workspace(Path path, boolean readOnly, DuckDBConnection sentinel) {
        this.path = path;
        this.readOnly = readOnly;
        this.sentinel = sentinel;
    }

    /** Opens (creating if missing) a workspace for reading and writing. */
    public static Workspace open(Path file) {
        Path path = file.toAbsolutePath().normalize();
        boolean existed = Files.exists(path) && sizeOf(path) > 0;
        if (existed) {
            checkCompatible(path);
        } else {
            try {
                Path parent = path.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new WorkspaceException("Cannot create the folder for workspace " + path + ": " + e.getMessage(), e);
            }
        }
        DuckDBConnection c = connect(path, false);
        // the workspace is now locked to this process: spill files of imports killed before their end can go
        SpillFiles.removeStale(path);
        Workspace ws = new Workspace(path, false, c);
        try {
            if (!existed || !ws.hasSchemaMeta()) {
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
     * by the CLI's read commands.
     */
    public static Workspace openReadOnly(Path file) {
        Path path = file.toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new WorkspaceException("No workspace at " + path);
        }
        checkCompatible(path);
        DuckDBConnection c = connect(path, true);
        try (Statement s = c.createStatement()) {
            // read-only use needs no file access beyond the workspace: no COPY TO, ATTACH or reading other files
            s.execute("SET enable_external_access = false");
            s.execute("SET lock_configuration = true");
        } catch (SQLException e) {
            closeQuietly(c);
            throw new WorkspaceException("Cannot configure read-only workspace " + path + ": " + e.getMessage(), e);
        }
        return new Workspace(path, true, c);
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

    /** Latency attribution, root cause and trace comparison over this workspace. */
    public dev.tracebench.core.analysis.AnalysisService analysis() {
        return new DuckDbAnalysisService(this);
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

    /** Runs read-only work on this thread's own connection. */
    <T> T read(ReadWork<T> work) {
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            return work.run(threadConnection());
        } catch (SQLException e) {
            throw new WorkspaceException("Query failed on workspace " + path.getFileName() + ": " + e.getMessage(), e);
        } finally {
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

    private static DuckDBConnection connect(Path path, boolean readOnly) {
        Properties props = new Properties();
        if (readOnly) {
            props.setProperty("duckdb.read_only", "true");
        }
        props.setProperty("memory_limit", memoryLimit());
        // every query orders what it returns; not preserving insertion order lets DuckDB insert in parallel
        props.setProperty("preserve_insertion_order", "false");
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

    /** Opens an existing file read-only and refuses it unless it is a workspace of this schema version. */
    private static void checkCompatible(Path path) {
        if (!hasDuckDbMagic(path)) {
            throw new IncompatibleWorkspaceException(path, path + " is not a Tracebench workspace: it is not a DuckDB "
                    + "database file. It was not modified.");
        }
        DuckDBConnection c = connect(path, true);
        try (c; Statement s = c.createStatement()) {
            boolean anyTable;
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database()")) {
                rs.next();
                anyTable = rs.getLong(1) > 0;
            }
            if (!anyTable) {
                return; // an empty DuckDB file: becomes a workspace
            }
            String version = null;
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND table_name = 'schema_meta'")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    throw new IncompatibleWorkspaceException(path, path + " is a DuckDB database but not a Tracebench "
                            + "workspace (it has no schema_meta table). It was not modified.");
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT value FROM schema_meta WHERE key = 'schema_version'")) {
                if (rs.next()) {
                    version = rs.getString(1);
                }
            }
            if (!String.valueOf(SCHEMA_VERSION).equals(version)) {
                throw new IncompatibleWorkspaceException(path, "Workspace " + path + " has schema version "
                        + (version == null ? "(none)" : version) + ", but this Tracebench reads schema version "
                        + SCHEMA_VERSION + ". Open it with the Tracebench that wrote it; the file was not modified.");
            }
        } catch (SQLException e) {
            throw new WorkspaceException(describeOpenFailure(path, e), e);
        }
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

    private boolean hasSchemaMeta() {
        return read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND table_name = 'schema_meta'")) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        });
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
