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
 * with the bundled sample traces, their eval results and the sample golden dataset, so a fresh install opens on
 * real-looking data.
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

    /**
     * True if {@code path} is the default workspace and holds nothing yet (missing, empty, or a database whose creation
     * was interrupted): it will be created and seeded with the sample traces.
     */
    public boolean needsSeeding(Path path) {
        return path.equals(home.defaultWorkspace()) && Workspace.isBlank(path);
    }

    /** Opens (creating if needed) a workspace for writing; seeds the default workspace on its first use. */
    public Workspace openWritable(Path path, ProgressListener progress) {
        moveAsideIfIncompatible(path);
        boolean seed = needsSeeding(path);
        Workspace ws = Workspace.open(path);
        addNotice(ws.openNotice());
        if (seed) {
            seedSamples(ws, progress);
        }
        return ws;
    }

    /**
     * Opens a workspace for the desktop app: a trace lake (a folder, docs/lake.md) read-only, anything else as
     * {@link #openWritable} does.
     */
    public Workspace openForApp(Path path, ProgressListener progress) {
        return Files.isDirectory(path) ? openReadOnly(path) : openWritable(path, progress);
    }

    /** Opens an existing workspace read-only; the default workspace is created and seeded first if missing. */
    public Workspace openReadOnly(Path path) {
        moveAsideIfIncompatible(path);
        if (needsSeeding(path)) {
            openWritable(path, ProgressListener.NONE).close();
        }
        Workspace ws = Workspace.openReadOnly(path);
        addNotice(ws.openNotice());
        return ws;
    }

    /** What was done on the user's behalf while opening (moved aside, upgraded), for the GUI and CLI to say. */
    private volatile String notice;

    /** A message about something done on the user's behalf while opening (or null), cleared when read. */
    public String takeNotice() {
        String n = notice;
        notice = null;
        return n;
    }

    private void addNotice(String n) {
        if (n != null) {
            notice = notice == null ? n : notice + "\n" + n;
        }
    }

    /**
     * The default workspace is Tracebench's own: when it cannot be used (written by a newer Tracebench, or not a
     * workspace at all) it is renamed, never deleted, and a fresh one is created, so the user is never locked out.
     * Workspaces of an older schema are upgraded instead. Other workspaces are refused as they are, untouched.
     */
    private void moveAsideIfIncompatible(Path path) {
        if (!path.equals(home.defaultWorkspace()) || Workspace.isBlank(path)) {
            return;
        }
        try {
            Workspace.checkOpenable(path);
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
            addNotice("The default workspace could not be used (" + e.getMessage() + "). It was kept as " + aside
                    + " and a new default workspace with the sample traces was created.");
        }
    }

    /**
     * Imports the bundled samples into {@code ws} and saves the sample golden set as dataset
     * {@value SampleDatasets#NAME} (two versions).
     */
    public static List<ImportReport> seedSamples(Workspace ws, ProgressListener progress) {
        FileImportService imports = new FileImportService(() -> ws, dev.tracebench.core.ingest.IngestOptions.DEFAULT);
        List<ImportReport> reports = new ArrayList<>();
        for (String name : SampleFiles.defaultWorkspaceSamples()) {
            reports.add(imports.importSource("sample-traces/" + name, -1, () -> SampleFiles.open(name), progress,
                    CancellationToken.none()));
        }
        SampleDatasets.seed(ws.datasets(), java.time.Instant.now());
        return reports;
    }
}
