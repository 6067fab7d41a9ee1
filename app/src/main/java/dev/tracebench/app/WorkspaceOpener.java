package dev.tracebench.app;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.FileImportService;
import dev.tracebench.samples.SampleFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens workspaces the way both the GUI and the CLI do: the default workspace is created on first use and filled
 * with the bundled sample traces, so a fresh install opens on real-looking data.
 */
public final class WorkspaceOpener {
    private final AppHome home;

    public WorkspaceOpener(AppHome home) {
        this.home = home;
    }

    public AppHome home() {
        return home;
    }

    /** Resolves an optional user-given path: null means the default workspace. */
    public Path resolve(Path workspace) {
        return workspace == null ? home.defaultWorkspace() : workspace.toAbsolutePath().normalize();
    }

    /** True if {@code path} is the default workspace and does not exist yet (it will be created and seeded). */
    public boolean needsSeeding(Path path) {
        return path.equals(home.defaultWorkspace()) && !Files.exists(path);
    }

    /** Opens (creating if needed) a workspace for writing; seeds the default workspace on its first use. */
    public Workspace openWritable(Path path, ProgressListener progress) {
        moveAsideIfOutdated(path);
        boolean seed = needsSeeding(path);
        Workspace ws = Workspace.open(path);
        if (seed) {
            seedSamples(ws, progress);
        }
        return ws;
    }

    /** Set when the default workspace of an older version was moved aside (for the GUI and CLI to say so). */
    private volatile String notice;

    /** A message about something done on the user's behalf while opening (or null), cleared when read. */
    public String takeNotice() {
        String n = notice;
        notice = null;
        return n;
    }

    /**
     * The default workspace is Tracebench's own: when it was written by another schema version, it is renamed (never
     * deleted) and a fresh one is created, so an upgrade never locks the user out. Other workspaces are refused as
     * they are, untouched.
     */
    private void moveAsideIfOutdated(Path path) {
        if (!path.equals(home.defaultWorkspace()) || !Files.exists(path)) {
            return;
        }
        try {
            Workspace.openReadOnly(path).close();
        } catch (dev.tracebench.core.store.IncompatibleWorkspaceException e) {
            Path aside = path.resolveSibling("default.incompatible-" + System.currentTimeMillis() + ".duckdb");
            try {
                Files.move(path, aside);
                Path wal = path.resolveSibling(path.getFileName() + ".wal");
                if (Files.exists(wal)) {
                    Files.move(wal, aside.resolveSibling(aside.getFileName() + ".wal"));
                }
            } catch (java.io.IOException io) {
                throw e;
            }
            notice = "The default workspace was written by another version of Tracebench; it was kept as " + aside
                    + " and a new default workspace was created.";
        }
    }

    /** Opens an existing workspace read-only; the default workspace is created and seeded first if missing. */
    public Workspace openReadOnly(Path path) {
        moveAsideIfOutdated(path);
        if (needsSeeding(path)) {
            openWritable(path, ProgressListener.NONE).close();
        }
        return Workspace.openReadOnly(path);
    }

    /** Imports the bundled samples into {@code ws}. */
    public static List<ImportReport> seedSamples(Workspace ws, ProgressListener progress) {
        FileImportService imports = new FileImportService(() -> ws, dev.tracebench.core.ingest.IngestOptions.DEFAULT);
        List<ImportReport> reports = new ArrayList<>();
        for (String name : SampleFiles.defaultWorkspaceSamples()) {
            reports.add(imports.importSource("sample-traces/" + name, -1, () -> SampleFiles.open(name), progress,
                    CancellationToken.none()));
        }
        return reports;
    }
}
