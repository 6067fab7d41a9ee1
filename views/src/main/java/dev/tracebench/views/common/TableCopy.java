package dev.tracebench.views.common;

import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;

/**
 * "Copy Value" and "Copy Rows" in a table's context menu: the value is the text of the cell the menu was opened on,
 * as shown (a masked secret stays masked); rows are the selected rows, tab-separated.
 */
public final class TableCopy {
    private TableCopy() {
    }

    /** Adds the copy items to the table's context menu (making one if it has none). */
    public static <S> void install(TableView<S> table) {
        ContextMenu menu = table.getContextMenu() == null ? new ContextMenu() : table.getContextMenu();
        MenuItem value = new MenuItem("Copy Value");
        value.getStyleClass().add("tb-copy-value");
        MenuItem rows = new MenuItem("Copy Rows");
        rows.getStyleClass().add("tb-copy-rows");
        String[] text = {null};
        table.addEventFilter(javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED, e -> {
            TableCell<?, ?> cell = cellOf(e.getPickResult().getIntersectedNode());
            text[0] = cell == null || cell.isEmpty() ? null : cell.getText();
            value.setText(cell == null || cell.getTableColumn() == null ? "Copy Value"
                    : "Copy " + cell.getTableColumn().getText());
            value.setDisable(text[0] == null);
            rows.setDisable(table.getSelectionModel().getSelectedIndices().isEmpty());
        });
        value.setOnAction(e -> TableExport.copy(text[0]));
        rows.setOnAction(e -> TableExport.copy(TableExport.tabSeparated(table)));
        if (!menu.getItems().isEmpty()) {
            menu.getItems().add(new SeparatorMenuItem());
        }
        menu.getItems().addAll(value, rows);
        table.setContextMenu(menu);
    }

    private static TableCell<?, ?> cellOf(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (p instanceof TableCell<?, ?> c) {
                return c;
            }
            if (p instanceof IndexedCell<?> && !(p instanceof TableCell<?, ?>)) {
                return null; // a row, not a cell
            }
        }
        return null;
    }
}
