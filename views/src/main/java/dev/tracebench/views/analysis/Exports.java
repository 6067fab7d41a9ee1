package dev.tracebench.views.analysis;

import dev.tracebench.core.report.Table;
import dev.tracebench.core.report.TableWriter;
import dev.tracebench.views.common.Background;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javax.imageio.ImageIO;
import org.apache.batik.dom.GenericDOMImplementation;
import org.apache.batik.svggen.SVGGraphics2D;
import org.jfree.chart.JFreeChart;

/**
 * Saving the Latency area's charts (PNG, SVG) and tables (CSV), and copying them. The chart is drawn on the FX
 * thread, where its datasets change (a few milliseconds); encoding and writing the file run in the background. Each
 * outcome ("Saved heatmap.png", or why not) goes to the status consumer.
 */
public final class Exports {
    /** PNGs are drawn at twice the size on screen, sharp on high-density displays and in documents. */
    static final int PNG_SCALE = 2;
    private final Background background;
    private final Consumer<String> status;
    private File lastFolder;

    public Exports(Background background, Consumer<String> status) {
        this.background = background;
        this.status = status;
    }

    /** The chart's context menu: save as PNG or SVG, copy (plus {@code extra} items first, if any). */
    public void install(ChartPane pane, String name, MenuItem... extra) {
        MenuItem png = new MenuItem("Save as PNG…");
        png.setOnAction(e -> choose(pane.getScene().getWindow(), name + ".png", "PNG image", "*.png",
                f -> savePng(pane, f)));
        MenuItem svg = new MenuItem("Save as SVG…");
        svg.setOnAction(e -> choose(pane.getScene().getWindow(), name + ".svg", "SVG image", "*.svg",
                f -> saveSvg(pane, f)));
        MenuItem copy = new MenuItem("Copy");
        copy.setOnAction(e -> copy(pane));
        ContextMenu menu = new ContextMenu();
        menu.getItems().addAll(extra);
        if (extra.length > 0) {
            menu.getItems().add(new SeparatorMenuItem());
        }
        menu.getItems().addAll(png, svg, copy);
        menu.setId(pane.getId() + "-menu");
        popup(pane.canvas(), menu, picked -> { });
    }

    /**
     * Shows {@code menu} where the user asks for a context menu over {@code target} (the menu key, or a secondary
     * click where the platform makes no context-menu request of it), after {@code prepare} saw the node picked.
     */
    static void popup(javafx.scene.Node target, ContextMenu menu, Consumer<javafx.scene.Node> prepare) {
        target.setOnContextMenuRequested(e -> {
            prepare.accept(e.getPickResult().getIntersectedNode());
            menu.show(target, e.getScreenX(), e.getScreenY());
            e.consume();
        });
        target.addEventHandler(javafx.scene.input.MouseEvent.MOUSE_CLICKED, e -> {
            if (e.getButton() == javafx.scene.input.MouseButton.SECONDARY && !menu.isShowing()) {
                prepare.accept(e.getPickResult().getIntersectedNode());
                menu.show(target, e.getScreenX(), e.getScreenY());
                e.consume();
            }
        });
    }

    /** Writes the chart as a PNG of {@link #PNG_SCALE} times its size on screen. */
    CompletableFuture<Path> savePng(ChartPane pane, Path file) {
        int w = (int) Math.max(1, pane.getWidth());
        int h = (int) Math.max(1, pane.getHeight());
        BufferedImage image = pane.chart().createBufferedImage(w * PNG_SCALE, h * PNG_SCALE, w, h, null);
        return write(file, to -> {
            if (!ImageIO.write(image, "png", to.toFile())) {
                throw new IOException("no PNG writer");
            }
        });
    }

    /** Writes the chart as SVG, at its size on screen. */
    CompletableFuture<Path> saveSvg(ChartPane pane, Path file) {
        String svg = svg(pane.chart(), (int) Math.max(1, pane.getWidth()), (int) Math.max(1, pane.getHeight()));
        return write(file, to -> Files.writeString(to, svg, StandardCharsets.UTF_8));
    }

    static String svg(JFreeChart chart, int w, int h) {
        org.w3c.dom.Document doc = GenericDOMImplementation.getDOMImplementation()
                .createDocument("http://www.w3.org/2000/svg", "svg", null);
        SVGGraphics2D g = new SVGGraphics2D(doc);
        g.setSVGCanvasSize(new java.awt.Dimension(w, h));
        chart.draw(g, new Rectangle(w, h));
        java.io.StringWriter out = new java.io.StringWriter();
        try {
            g.stream(out, true);
        } catch (org.apache.batik.svggen.SVGGraphics2DIOException e) {
            throw new java.io.UncheckedIOException(new IOException(e.getMessage(), e));
        } finally {
            g.dispose();
        }
        return out.toString();
    }

    /** Puts the chart on the clipboard as an image. */
    void copy(ChartPane pane) {
        ClipboardContent c = new ClipboardContent();
        c.putImage(pane.canvas().snapshot(null, null));
        Clipboard.getSystemClipboard().setContent(c);
        status.accept("Copied the chart");
    }

    /** Writes a table as CSV (RFC 4180, UTF-8). */
    CompletableFuture<Path> saveCsv(Table table, Path file) {
        return write(file, to -> {
            try (Writer w = Files.newBufferedWriter(to, StandardCharsets.UTF_8)) {
                TableWriter.CSV.write(table, w);
            }
        });
    }

    /** Asks for a CSV file and writes {@code table} (made on the FX thread, from what is shown) to it. */
    void chooseCsv(Window owner, String name, Supplier<Table> table) {
        choose(owner, name + ".csv", "CSV table", "*.csv", f -> saveCsv(table.get(), f));
    }

    private void choose(Window owner, String initialName, String what, String glob,
            java.util.function.Function<Path, CompletableFuture<Path>> save) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Save " + initialName);
        fc.setInitialFileName(initialName);
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(what, glob));
        if (lastFolder != null && lastFolder.isDirectory()) {
            fc.setInitialDirectory(lastFolder);
        }
        File f = fc.showSaveDialog(owner);
        if (f != null) {
            lastFolder = f.getParentFile();
            save.apply(f.toPath());
        }
    }

    private interface Write {
        void to(Path file) throws IOException;
    }

    /**
     * Runs {@code write} in the background into a temporary file beside {@code file}, moved over it once complete:
     * a failed export leaves no half-written file (and an earlier file of that name as it was).
     */
    private CompletableFuture<Path> write(Path file, Write write) {
        CompletableFuture<Path> done = new CompletableFuture<>();
        background.run(() -> {
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".part");
            try {
                write.to(tmp);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        }, p -> {
            status.accept("Saved " + p.getFileName() + " (" + sizeText(p) + ")");
            done.complete(p);
        }, t -> {
            status.accept("Could not save " + file + ": " + Background.message(t));
            done.completeExceptionally(t);
        });
        return done;
    }

    private static String sizeText(Path p) {
        try {
            long n = Files.size(p);
            return n < 10_000 ? n + " bytes" : String.format(java.util.Locale.ROOT, "%,d KB", (n + 512) / 1024);
        } catch (IOException e) {
            return "size unknown";
        }
    }
}
