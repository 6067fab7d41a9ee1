package dev.tracebench.core.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The Arrow spill files of imports: hidden files beside their workspace, {@code .<workspace>.ingest-<pid>-<n>.arrows},
 * named with the id of the process that writes them. An import deletes its own when it ends (and the JVM those left
 * at exit), but a killed process cannot; opening a workspace for writing removes the ones no live process owns.
 *
 * <p>Whose files may go: a workspace open for writing is locked by DuckDB, so no other process can be importing into
 * it, and the files of other processes are leftovers. All the same only files of a process that has ended are
 * deleted (or whose id now belongs to a process started after the file was last written, i.e. reused), never this
 * process's own (another import of this JVM may be writing them), nor the files of another workspace.
 */
final class SpillFiles {
    private static final long PID = ProcessHandle.current().pid();
    private static final String SUFFIX = ".arrows";

    private SpillFiles() {
    }

    /** Names this process's spill files for {@code workspaceFile}: {@code <prefix>-<n>.arrows}. */
    static String prefix(Path workspaceFile) {
        return prefixOfAll(workspaceFile) + PID;
    }

    private static String prefixOfAll(Path workspaceFile) {
        return "." + workspaceFile.getFileName() + ".ingest-";
    }

    /** A new, empty spill file in {@code dir}, deleted when the JVM exits if its import did not delete it. */
    static Path create(Path dir, String prefix) throws IOException {
        Path file = Files.createTempFile(dir, prefix + "-", SUFFIX);
        file.toFile().deleteOnExit();
        return file;
    }

    /**
     * Deletes the spill files of imports into {@code workspaceFile} whose process has ended; returns how many. Never
     * throws: a file that cannot be deleted now is tried again at the next opening.
     */
    static int removeStale(Path workspaceFile) {
        Path dir = workspaceFile.toAbsolutePath().getParent();
        String prefix = prefixOfAll(workspaceFile);
        int removed = 0;
        DirectoryStream.Filter<Path> spill = f -> f.getFileName().toString().startsWith(prefix)
                && f.getFileName().toString().endsWith(SUFFIX);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, spill)) {
            for (Path f : files) {
                String rest = f.getFileName().toString().substring(prefix.length());
                if (isStale(rest, f)) {
                    try {
                        Files.deleteIfExists(f);
                        removed++;
                    } catch (IOException e) {
                        // still open on some platform, or not ours to delete: left for the next opening
                    }
                }
            }
        } catch (IOException e) {
            // the folder cannot be listed: nothing to clean that could be cleaned
        }
        return removed;
    }

    /** {@code rest}: {@code <pid>-<n>.arrows}, or {@code <n>.arrows} from versions that did not name the process. */
    private static boolean isStale(String rest, Path file) {
        int dash = rest.indexOf('-');
        if (dash < 0) {
            return true; // an older version's file: no process of that version can hold this workspace now
        }
        long pid;
        try {
            pid = Long.parseLong(rest.substring(0, dash));
        } catch (NumberFormatException e) {
            return false; // not a name this class makes
        }
        if (pid == PID) {
            return false;
        }
        Optional<ProcessHandle> owner = ProcessHandle.of(pid);
        if (owner.isEmpty() || !owner.get().isAlive()) {
            return true;
        }
        // a live process with that id: the owner, unless it started after the file was last written
        Optional<Instant> started = owner.get().info().startInstant();
        try {
            return started.isPresent() && started.get().isAfter(Files.getLastModifiedTime(file).toInstant());
        } catch (IOException e) {
            return false;
        }
    }
}
