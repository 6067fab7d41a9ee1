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
        boolean seed = needsSeeding(path);
        Workspace ws = Workspace.open(path);
        if (seed) {
            seedSamples(ws, progress);
        }
        return ws;
    }

    /** Opens an existing workspace read-only; the default workspace is created and seeded first if missing. */
    public Workspace openReadOnly(Path path) {
        if (needsSeeding(path)) {
            openWritable(path, ProgressListener.NONE).close();
        }
        return Workspace.openReadOnly(path);
    }

    /** Imports the bundled samples into {@code ws}. */
    public static List<ImportReport> seedSamples(Workspace ws, ProgressListener progress) {
        FileImportService imports = new FileImportService(() -> ws);
        List<ImportReport> reports = new ArrayList<>();
        for (String name : SampleFiles.defaultWorkspaceSamples()) {
            reports.add(imports.importSource("sample-traces/" + name, -1, () -> SampleFiles.open(name), progress,
                    CancellationToken.none()));
        }
        return reports;
    }
}
