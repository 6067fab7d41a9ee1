package dev.tracebench.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Opens the desktop app, optionally on a given workspace. */
@Command(name = "gui", mixinStandardHelpOptions = true,
        description = "Open the desktop app (the default when no command is given).")
final class GuiCommand extends WorkspaceCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        dev.tracebench.app.gui.TracebenchApp.launchGui(workspace == null ? null : workspacePath());
        return -1;
    }
}
