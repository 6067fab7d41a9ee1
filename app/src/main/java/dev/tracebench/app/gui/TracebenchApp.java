package dev.tracebench.app.gui;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import java.nio.file.Path;
import javafx.application.Application;
import javafx.stage.Stage;

/** The JavaFX application: one main window on the default (or given) workspace. */
public final class TracebenchApp extends Application {
    private static volatile Path initialWorkspace;
    private MainWindow window;

    /** Starts the GUI and blocks until it is closed. {@code workspace} null opens the default workspace. */
    public static void launchGui(Path workspace) {
        initialWorkspace = workspace;
        System.setProperty("prism.lcdtext", "false");
        try {
            Application.launch(TracebenchApp.class);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            String advice = toolkitAdvice(e);
            if (advice == null) {
                throw e;
            }
            System.err.println(advice);
            System.exit(2);
        }
    }

    /**
     * What to install when JavaFX could not start its toolkit for want of a native library (GTK 3 on Linux), or null
     * for any other failure. The launcher script checks this before starting; this covers {@code java -jar}.
     */
    static String toolkitAdvice(Throwable e) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.append(t).append('\n');
        }
        String c = chain.toString().toLowerCase(java.util.Locale.ROOT);
        if (!(c.contains("gtk") || c.contains("no toolkit found") || c.contains("glass"))) {
            return null;
        }
        return "The desktop app could not start its window toolkit (" + e.getMessage() + ").\n"
                + "On Linux it needs GTK 3. Install it, then start again:\n"
                + "  Debian/Ubuntu: sudo apt-get install libgtk-3-0 libgl1 libxtst6\n"
                + "  Fedora/RHEL:   sudo dnf install gtk3 mesa-libGL libXtst\n"
                + "The command line works without it: ./tracebench --help";
    }

    @Override
    public void start(Stage stage) {
        WorkspaceOpener opener = new WorkspaceOpener(AppHome.fromEnvironment());
        window = new MainWindow(stage, opener);
        window.show();
        if (initialWorkspace != null && dev.tracebench.core.remote.RemoteResult.isResult(initialWorkspace)) {
            // --workspace names a Spark result folder: the default workspace, and the result beside it
            window.openWorkspace(opener.home().defaultWorkspace());
            window.openRemoteResult(initialWorkspace);
        } else {
            window.openWorkspace(initialWorkspace == null ? opener.home().defaultWorkspace() : initialWorkspace);
        }
    }

    @Override
    public void stop() {
        if (window != null) {
            window.shutdown();
        }
    }
}
