package dev.tracebench.app.gui;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * The main window's size, position and maximised state, kept in {@code window.properties} of the Tracebench home so
 * the window opens as it was left. A remembered place that is no longer on a screen (a monitor was unplugged) is
 * moved back onto the primary screen, and the size never exceeds the visible screen.
 */
final class WindowPlacement {
    /** Below this the table, the filters and the details no longer fit. */
    static final double MIN_WIDTH = 960;
    static final double MIN_HEIGHT = 600;
    static final double DEFAULT_WIDTH = 1400;
    static final double DEFAULT_HEIGHT = 880;

    private final Path file;

    WindowPlacement(Path home) {
        this.file = home.resolve("window.properties");
    }

    /** x, y, width, height and maximised, as remembered or the defaults centred on {@code screen}. */
    record Place(double x, double y, double width, double height, boolean maximized) {
    }

    /** Where the window should open: the remembered place (or the default), fitted to the screen. */
    Place place() {
        return clamp(load(), screen());
    }

    /**
     * The primary screen's visible part; its whole area when the window manager reports no usable work area (seen
     * under some X servers before the window manager has set it).
     */
    private static Rectangle2D screen() {
        Rectangle2D visual = Screen.getPrimary().getVisualBounds();
        return visual.getWidth() >= MIN_WIDTH && visual.getHeight() >= MIN_HEIGHT ? visual
                : Screen.getPrimary().getBounds();
    }

    /** Sizes and places the stage (after its scene is set, before it is shown); remembers its place on closing. */
    void apply(Stage stage, Place p) {
        Rectangle2D screen = screen();
        stage.setMinWidth(Math.min(MIN_WIDTH, screen.getWidth()));
        stage.setMinHeight(Math.min(MIN_HEIGHT, screen.getHeight()));
        stage.setX(p.x());
        stage.setY(p.y());
        stage.setWidth(p.width());
        stage.setHeight(p.height());
        stage.setMaximized(p.maximized());
        stage.setOnHiding(e -> save(stage));
    }

    /** The remembered place, or null. */
    Place load() {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            props.load(r);
            return new Place(Double.parseDouble(props.getProperty("x")), Double.parseDouble(props.getProperty("y")),
                    Double.parseDouble(props.getProperty("width")), Double.parseDouble(props.getProperty("height")),
                    Boolean.parseBoolean(props.getProperty("maximized")));
        } catch (IOException | RuntimeException e) {
            return null; // an unreadable file only costs the remembered place
        }
    }

    void save(Stage stage) {
        Properties props = new Properties();
        // a maximised window keeps the size it had before, to return to it
        props.setProperty("x", Double.toString(stage.getX()));
        props.setProperty("y", Double.toString(stage.getY()));
        props.setProperty("width", Double.toString(stage.getWidth()));
        props.setProperty("height", Double.toString(stage.getHeight()));
        props.setProperty("maximized", Boolean.toString(stage.isMaximized()));
        try {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file)) {
                props.store(w, "Tracebench main window");
            }
        } catch (IOException e) {
            // not remembering the window's place is no reason to fail closing it
        }
    }

    /**
     * The place to open at: the remembered one (or the default size, centred) made to fit on {@code screen}: no larger
     * than the screen, no smaller than the minimum (unless the screen is), and inside it.
     */
    static Place clamp(Place remembered, Rectangle2D screen) {
        double w = remembered == null ? DEFAULT_WIDTH : remembered.width();
        double h = remembered == null ? DEFAULT_HEIGHT : remembered.height();
        w = Math.min(screen.getWidth(), Math.max(MIN_WIDTH, w));
        h = Math.min(screen.getHeight(), Math.max(MIN_HEIGHT, h));
        double x = remembered == null ? screen.getMinX() + (screen.getWidth() - w) / 2 : remembered.x();
        double y = remembered == null ? screen.getMinY() + (screen.getHeight() - h) / 2 : remembered.y();
        x = Math.max(screen.getMinX(), Math.min(x, screen.getMaxX() - w));
        y = Math.max(screen.getMinY(), Math.min(y, screen.getMaxY() - h));
        return new Place(x, y, w, h, remembered != null && remembered.maximized());
    }
}
