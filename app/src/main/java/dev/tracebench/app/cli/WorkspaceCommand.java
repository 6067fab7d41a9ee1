package dev.tracebench.app.cli;

import dev.tracebench.app.WorkspaceOpener;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Base of the commands that work on a workspace: the shared --workspace option and output streams. */
abstract class WorkspaceCommand {
    WorkspaceOpener opener;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-w", "--workspace"}, paramLabel = "FILE",
            description = "Workspace file (a DuckDB file). Default: the default workspace the desktop app opens.")
    Path workspace;

    Path workspacePath() {
        return opener.resolve(workspace);
    }

    /**
     * The workspace opened read-only for a read command, saying on stderr what was done on the user's behalf (an
     * upgrade, an unusable default workspace moved aside and a new one seeded).
     */
    dev.tracebench.core.store.Workspace openForReading() {
        dev.tracebench.core.store.Workspace ws = opener.openReadOnly(workspacePath());
        String notice = opener.takeNotice();
        if (notice != null) {
            err().println(notice);
        }
        return ws;
    }

    java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    java.io.PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
