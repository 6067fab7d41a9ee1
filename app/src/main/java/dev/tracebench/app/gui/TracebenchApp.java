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
        Application.launch(TracebenchApp.class);
    }

    @Override
    public void start(Stage stage) {
        WorkspaceOpener opener = new WorkspaceOpener(AppHome.fromEnvironment());
        window = new MainWindow(stage, opener);
        window.show();
        window.openWorkspace(initialWorkspace == null ? opener.home().defaultWorkspace() : initialWorkspace);
    }

    @Override
    public void stop() {
        if (window != null) {
            window.shutdown();
        }
    }
}
