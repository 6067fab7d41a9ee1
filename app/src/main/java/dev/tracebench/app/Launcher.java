package dev.tracebench.app;

import dev.tracebench.app.cli.TracebenchCli;

/**
 * The entry point. Without arguments it opens the GUI on the default workspace; with arguments it runs the CLI.
 * This class does not extend {@code javafx.application.Application}, so the app starts from a plain class path. It
 * first starts itself again in a {@link NativeLibraryClassLoader}, which gives DuckDB the native library extracted
 * once under the Tracebench home.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        if (NativeLibraryClassLoader.relaunch(Launcher.class, args)) {
            return;
        }
        if (args.length == 0) {
            dev.tracebench.app.gui.TracebenchApp.launchGui(null);
            return;
        }
        int code = TracebenchCli.run(args);
        if (code >= 0) {
            System.exit(code);
        }
    }
}
