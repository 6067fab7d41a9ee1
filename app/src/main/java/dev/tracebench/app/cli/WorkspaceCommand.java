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

    java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    java.io.PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
