package dev.tracebench.views.common;

import dev.tracebench.core.report.Table;
import dev.tracebench.core.report.TableWriter;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javafx.scene.Node;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.stage.FileChooser;

/** Copying table contents to the clipboard, and saving tables as CSV (written off the FX thread). */
public final class TableExport {
    private TableExport() {
    }

    /** Puts text on the system clipboard. */
    public static void copy(String text) {
        ClipboardContent c = new ClipboardContent();
        c.putString(text == null ? "" : text);
        Clipboard.getSystemClipboard().setContent(c);
    }

    /** The selected rows of a table as the cells show them, tab-separated (for pasting into a spreadsheet). */
    public static <S> String tabSeparated(TableView<S> table) {
        StringBuilder sb = new StringBuilder();
        for (Integer i : table.getSelectionModel().getSelectedIndices()) {
            List<String> cells = new ArrayList<>();
            for (TableColumn<S, ?> c : table.getVisibleLeafColumns()) {
                Object v = c.getCellData(i);
                cells.add(v == null ? "" : cellText(c, v));
            }
            sb.append(String.join("\t", cells)).append('\n');
        }
        return sb.toString();
    }

    /** A cell's text: the column's "tb-cell-text" function when it has one (cells built from a summary). */
    @SuppressWarnings("unchecked")
    private static String cellText(TableColumn<?, ?> c, Object value) {
        Object f = c.getProperties().get("tb-cell-text");
        return f instanceof java.util.function.Function<?, ?> fn
                ? ((java.util.function.Function<Object, String>) fn).apply(value) : value.toString();
    }

    /**
     * Asks where to save, then builds the table and writes it as CSV in the background (as a listed task): the file
     * is written next to the target and moved over it when complete, so a failure leaves no half-written file.
     */
    public static void saveCsv(Node owner, String suggestedName, Callable<Table> table, BackgroundTasks tasks) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export as CSV");
        fc.setInitialFileName(suggestedName);
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("CSV files (*.csv)", "*.csv"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File f = fc.showSaveDialog(owner.getScene() == null ? null : owner.getScene().getWindow());
        if (f != null) {
            tasks.run("Export " + f.getName(), () -> {
                write(table.call(), f.toPath());
                return null;
            }, x -> { });
        }
    }

    /** Writes a table as CSV to {@code target} (through a temporary file beside it). */
    public static void write(Table table, Path target) throws IOException {
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), ".export-", ".csv");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                TableWriter.CSV.write(table, w);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
