package dev.tracebench.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.function.IntFunction;
import org.duckdb.DuckDBConnection;

/**
 * Brings a workspace written by an older schema up to {@link Workspace#SCHEMA_VERSION}, so a user's workspace is
 * upgraded, never refused, when the schema grows.
 *
 * <p>Copy first, then migrate in place: the file (and its WAL) is copied beside itself, every step from the file's
 * version up runs in one transaction, the new version is recorded and the database checkpointed. If anything fails the
 * copy is moved back, so the original is byte-for-byte what it was. A copy left by a killed upgrade is used again or
 * removed the next time the workspace opens. Each step is a SQL file {@code upgrade/vN-to-vN+1.sql}; a test upgrades a
 * workspace written by the previous release and compares it with one imported fresh.
 */
final class SchemaUpgrade {
    /** The oldest schema this build upgrades (versions 1 and 2 were development versions). */
    static final int OLDEST = 3;

    private static final Map<Integer, String> STEPS = Map.of(3, "upgrade/v3-to-v4.sql", 4, "upgrade/v4-to-v5.sql",
            5, "upgrade/v5-to-v6.sql");

    private SchemaUpgrade() {
    }

    /**
     * Upgrades the workspace at {@code path}, of schema {@code version} (0: an empty database), if it is older than
     * this build's; returns what was done for the user to read, or null.
     */
    static String upgradeIfOlder(Path path, int version) {
        if (version == 0 || version >= Workspace.SCHEMA_VERSION) {
            deleteQuietly(backupOf(path));
            deleteQuietly(wal(backupOf(path)));
            return null;
        }
        return upgrade(path, version, v -> ResourceText.load(STEPS.get(v)));
    }

    /** Runs {@code steps.apply(v)} for v = from .. SCHEMA_VERSION - 1, all or nothing. */
    static String upgrade(Path path, int from, IntFunction<String> steps) {
        String what = "Workspace " + path + " (schema version " + from + ")";
        if (!Files.isWritable(path)) {
            throw new WorkspaceException(what + " needs an upgrade to schema version " + Workspace.SCHEMA_VERSION
                    + " before this Tracebench can read it, and the file is not writable. Make it writable, or copy "
                    + "it somewhere writable and open the copy; the file was not modified.");
        }
        Path backup = backupOf(path);
        try {
            Files.copy(path, backup, StandardCopyOption.REPLACE_EXISTING);
            if (Files.exists(wal(path))) {
                Files.copy(wal(path), wal(backup), StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(wal(backup));
            }
        } catch (IOException e) {
            deleteQuietly(backup);
            deleteQuietly(wal(backup));
            throw new WorkspaceException(what + " needs an upgrade, and a copy could not be made first ("
                    + e.getMessage() + "); the file was not modified.", e);
        }
        try (DuckDBConnection c = Workspace.connect(path, false)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (int v = from; v < Workspace.SCHEMA_VERSION; v++) {
                    s.execute(steps.apply(v));
                }
                s.execute("DELETE FROM schema_meta WHERE key IN ('schema_version', 'upgraded_from', 'upgraded_at')");
                s.execute("INSERT INTO schema_meta VALUES ('schema_version', '" + Workspace.SCHEMA_VERSION + "'), "
                        + "('upgraded_from', '" + from + "'), ('upgraded_at', '" + java.time.Instant.now() + "')");
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("CHECKPOINT");
            }
        } catch (SQLException | RuntimeException e) {
            String restored = restore(path, backup);
            throw new WorkspaceException("Upgrading " + what + " to schema version " + Workspace.SCHEMA_VERSION
                    + " failed: " + e.getMessage() + ". " + restored, e);
        }
        deleteQuietly(backup);
        deleteQuietly(wal(backup));
        return "Workspace " + path + " was upgraded from schema version " + from + " to " + Workspace.SCHEMA_VERSION
                + " (a copy was kept until the upgrade had finished).";
    }

    private static String restore(Path path, Path backup) {
        try {
            Files.deleteIfExists(wal(path));
            if (Files.exists(wal(backup))) {
                Files.move(wal(backup), wal(path), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(backup, path, StandardCopyOption.REPLACE_EXISTING);
            return "The workspace was restored as it was.";
        } catch (IOException io) {
            return "Restoring the copy failed too (" + io.getMessage() + "): the original is kept as " + backup + ".";
        }
    }

    /** Beside the workspace, hidden: {@code .NAME.upgrade-backup}. */
    static Path backupOf(Path path) {
        return path.resolveSibling("." + path.getFileName() + ".upgrade-backup");
    }

    private static Path wal(Path p) {
        return p.resolveSibling(p.getFileName() + ".wal");
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover copy costs disk space only; the next open tries again
        }
    }
}
