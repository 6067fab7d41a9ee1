package dev.tracebench.views.analysis;

import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.StageStat;
import dev.tracebench.core.report.BreakdownTable;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.StageColors;
import dev.tracebench.views.common.Styles;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Control;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.geometry.Orientation;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;

/**
 * Where the cohort's time goes, as tables. With a grouping, a table of the groups (requests, percentiles and a
 * stacked bar of each group's mean time per stage on one scale, so groups compare at a glance) sits above the stage
 * table of the selected group. The stage table lists the stages in the fixed taxonomy order, each expandable to its
 * operations, with the distribution of their critical-path contribution and their share of the time.
 */
final class BreakdownPane extends BorderPane {
    /**
     * One row of the stage table: a stage, or an operation within one. An operation whose name the group also has
     * under another stage ({@code sharedName}) says its stage, so no two rows read the same.
     */
    record Row(StageStat stat, boolean operation, boolean sharedName) {
        String label() {
            if (!operation) {
                return StageColors.label(stat.stage());
            }
            return Charts.visible(stat.operation()) + (sharedName ? " (" + StageColors.label(stat.stage()) + ")" : "");
        }
    }

    /** The operation names a group has under more than one stage. */
    static java.util.Set<String> sharedNames(Breakdown.Group g) {
        java.util.Map<String, java.util.Set<String>> stagesOf = new java.util.HashMap<>();
        for (StageStat op : g.operations()) {
            stagesOf.computeIfAbsent(op.operation(), k -> new java.util.HashSet<>()).add(op.stage());
        }
        java.util.Set<String> out = new java.util.HashSet<>();
        stagesOf.forEach((name, stages) -> {
            if (stages.size() > 1) {
                out.add(name);
            }
        });
        return out;
    }

    /** Stages taking at least this share of the time open expanded. */
    static final double EXPAND_SHARE = 0.05;
    private final LatencyViewModel vm;
    private final TableView<Breakdown.Group> groups = new TableView<>();
    private final TreeTableView<Row> stages = new TreeTableView<>();
    private final Label stagesTitle = new Label("Stages");
    private final Label groupsTitle = new Label("Groups");
    private final VBox groupsBox;
    private final SplitPane split;
    private final Label placeholder = new Label("Loading…");
    private final Exports exports;
    private boolean selecting;

    /** Whether selecting a group also shows its charts (not for a remote result, which has none). */
    private boolean charts = true;

    /** Says that this pane's source has no charts, so the group list does not promise them. */
    void withoutCharts() {
        charts = false;
    }

    BreakdownPane(LatencyViewModel vm, Exports exports) {
        this.vm = vm;
        this.exports = exports;
        setId("breakdown-pane");
        buildGroups();
        buildStages();
        copyAndExport(groups, "groups", () -> BreakdownTable.groups(vm.breakdownProperty().get()));
        copyAndExport(stages, "stages", this::stageCsv);
        groupsTitle.getStyleClass().add("tb-section-title");
        stagesTitle.getStyleClass().add("tb-section-title");
        stagesTitle.setWrapText(true);
        groupsBox = new VBox(4, groupsTitle, groups);
        VBox.setVgrow(groups, Priority.ALWAYS);
        groupsBox.setPadding(new Insets(6, 6, 2, 6));
        VBox stagesBox = new VBox(4, stagesTitle, stages);
        VBox.setVgrow(stages, Priority.ALWAYS);
        stagesBox.setPadding(new Insets(6, 6, 6, 6));
        split = new SplitPane(stagesBox);
        split.setOrientation(Orientation.VERTICAL);
        setCenter(split);

        vm.breakdownProperty().addListener((o, a, b) -> showGroups(b));
        vm.groupProperty().addListener((o, a, g) -> showGroup(g));
        vm.breakdownLoadingProperty().addListener((o, a, l) -> updatePlaceholder());
        vm.problemProperty().addListener((o, a, p) -> updatePlaceholder());
        showGroups(vm.breakdownProperty().get());
    }

    TreeTableView<Row> stageTable() {
        return stages;
    }

    TableView<Breakdown.Group> groupTable() {
        return groups;
    }

    /** The stage table's content (stages and all their operations, folded or not) as the CSV export writes it. */
    dev.tracebench.core.report.Table stageCsv() {
        Breakdown b = vm.breakdownProperty().get();
        Breakdown.Group g = vm.groupProperty().get();
        return BreakdownTable.stages(b, g == null ? List.of() : List.of(g), true);
    }

    /**
     * A context menu on the table: copy the cell or the row under the pointer, export the table as CSV; Ctrl+C
     * copies the selected row. Rows are copied as tab-separated text (pastes into a spreadsheet).
     */
    private void copyAndExport(Control table, String name, java.util.function.Supplier<
            dev.tracebench.core.report.Table> content) {
        MenuItem cell = new MenuItem("Copy cell");
        MenuItem row = new MenuItem("Copy row");
        MenuItem csv = new MenuItem("Export as CSV…");
        csv.setOnAction(e -> exports.chooseCsv(getScene().getWindow(), name, content));
        ContextMenu menu = new ContextMenu(cell, row, new SeparatorMenuItem(), csv);
        menu.setId(table.getId() + "-menu");
        Exports.popup(table, menu, picked -> {
            IndexedCell<?> at = cellAt(picked);
            String text = at == null ? null : cellText(at);
            List<String> rowTexts = at == null ? List.of() : rowTexts(at);
            cell.setDisable(text == null || text.isEmpty());
            cell.setOnAction(x -> copy(text));
            row.setDisable(rowTexts.isEmpty());
            row.setOnAction(x -> copy(String.join("\t", rowTexts)));
            csv.setDisable(vm.breakdownProperty().get() == null);
        });
        table.addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (COPY.match(e)) {
                List<String> texts = selectedRowTexts(table);
                if (!texts.isEmpty()) {
                    copy(String.join("\t", texts));
                }
                e.consume();
            }
        });
    }

    private static final javafx.scene.input.KeyCombination COPY = new javafx.scene.input.KeyCodeCombination(
            javafx.scene.input.KeyCode.C, javafx.scene.input.KeyCombination.SHORTCUT_DOWN);

    /** The table or tree cell a node belongs to (null: not in a cell). */
    private static IndexedCell<?> cellAt(javafx.scene.Node n) {
        while (n != null && !(n instanceof TableCell<?, ?> || n instanceof TreeTableCell<?, ?>)) {
            n = n.getParent();
        }
        return (IndexedCell<?>) n;
    }

    /** The texts of the cells of the row a cell is in, in column order. */
    private static List<String> rowTexts(IndexedCell<?> cell) {
        javafx.scene.Parent row = cell.getParent();
        List<String> out = new java.util.ArrayList<>();
        if (row != null) {
            for (javafx.scene.Node n : row.getChildrenUnmodifiable()) {
                if (n instanceof IndexedCell<?> c && n.isVisible()) {
                    out.add(cellText(c));
                }
            }
        }
        return out;
    }

    /** What a cell shows: its text, or the text of a label in its graphic (the share and mean bar cells). */
    static String cellText(IndexedCell<?> c) {
        if (c.getText() != null) {
            return c.getText();
        }
        if (c.getGraphic() instanceof javafx.scene.Parent p) {
            for (javafx.scene.Node n : p.getChildrenUnmodifiable()) {
                if (n instanceof Label l) {
                    return l.getText();
                }
            }
        }
        return "";
    }

    /** The selected row's texts as its visible cells show them. */
    private static List<String> selectedRowTexts(Control table) {
        for (javafx.scene.Node n : table.lookupAll(".indexed-cell")) {
            if ((n instanceof javafx.scene.control.TableRow<?> || n instanceof javafx.scene.control.TreeTableRow<?>)
                    && ((IndexedCell<?>) n).isSelected()) {
                List<String> out = new java.util.ArrayList<>();
                for (javafx.scene.Node c : ((javafx.scene.Parent) n).getChildrenUnmodifiable()) {
                    if (c instanceof IndexedCell<?> cell) {
                        out.add(cellText(cell));
                    }
                }
                return out;
            }
        }
        return List.of();
    }

    private static void copy(String text) {
        javafx.scene.input.ClipboardContent c = new javafx.scene.input.ClipboardContent();
        c.putString(text);
        javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
    }

    private void updatePlaceholder() {
        if (vm.breakdownLoadingProperty().get()) {
            placeholder.setText("Loading…");
        } else if (!vm.problemProperty().get().isEmpty() && vm.breakdownProperty().get() == null) {
            placeholder.setText("Not available (see the message above)");
        } else {
            placeholder.setText("No requests in this cohort");
        }
        stages.setOpacity(vm.breakdownLoadingProperty().get() ? 0.6 : 1);
        groups.setOpacity(vm.breakdownLoadingProperty().get() ? 0.6 : 1);
    }

    // ------------------------------------------------------------------ groups

    private void buildGroups() {
        groups.setId("group-table");
        groups.setFixedCellSize(26);
        groups.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<Breakdown.Group, String> name = new TableColumn<>("Group");
        name.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(groupName(f.getValue())));
        name.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty ? null : v);
                setTooltip(empty || v == null ? null : new Tooltip(v));
            }
        });
        // long values that share a beginning (model versions, routes) keep their distinct ends when cut
        name.setStyle("-fx-text-overrun: center-ellipsis;");
        name.setPrefWidth(150);
        name.setMinWidth(120);
        TableColumn<Breakdown.Group, Long> n = groupNumber("Requests", Breakdown.Group::traces, false);
        TableColumn<Breakdown.Group, Long> p50 = groupNumber("p50", Breakdown.Group::p50Ns, true);
        TableColumn<Breakdown.Group, Long> p95 = groupNumber("p95", Breakdown.Group::p95Ns, true);
        TableColumn<Breakdown.Group, Long> p99 = groupNumber("p99", Breakdown.Group::p99Ns, true);
        TableColumn<Breakdown.Group, Breakdown.Group> bar = new TableColumn<>();
        Label barHeader = new Label("Mean by stage");
        barHeader.setTooltip(new Tooltip("Mean time per request, by stage, on the scale of the slowest group"));
        bar.setGraphic(barHeader);
        bar.setSortable(false);
        bar.setPrefWidth(260);
        bar.setMinWidth(fit("Mean by stage"));
        bar.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(f.getValue()));
        bar.setCellFactory(c -> new StackedBarCell());
        groups.getColumns().setAll(List.of(name, n, p50, p95, p99, bar));
        groups.getSelectionModel().selectedItemProperty().addListener((o, a, g) -> {
            if (g != null && !selecting) {
                vm.groupProperty().set(g);
            }
        });
        groups.setPlaceholder(new Label(""));
    }

    private static String groupName(Breakdown.Group g) {
        return g.value() == null ? "All of the cohort" : Charts.visible(g.value());
    }

    private static TableColumn<Breakdown.Group, Long> groupNumber(String title, ToLongFunction<Breakdown.Group> f,
            boolean duration) {
        TableColumn<Breakdown.Group, Long> c = new TableColumn<>(title);
        c.setCellValueFactory(x -> new ReadOnlyObjectWrapper<>(f.applyAsLong(x.getValue())));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Long v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : duration ? Charts.duration(v) : Format.count(v));
            }
        });
        c.setStyle("-fx-alignment: CENTER-RIGHT;");
        c.setPrefWidth(duration ? 66 : 78);
        c.setMinWidth(Math.max(duration ? 60 : 66, fit(title)));
        return c;
    }

    private void showGroups(Breakdown b) {
        updatePlaceholder();
        boolean grouped = b != null && b.groups().size() > 1;
        if (grouped) {
            if (!split.getItems().contains(groupsBox)) {
                split.getItems().add(0, groupsBox);
                split.setDividerPositions(0.36);
            }
            groupsTitle.setText("By " + b.groupBy().label() + " (" + (b.groups().size() - 1) + " group"
                    + (b.groups().size() == 2 ? "" : "s") + "; select one for its stages" + (charts ? " and charts"
                    : "") + ")");
            selecting = true;
            groups.getItems().setAll(b.groups());
            selecting = false;
        } else {
            split.getItems().remove(groupsBox);
            groups.getItems().clear();
        }
        showGroup(vm.groupProperty().get());
    }

    private void showGroup(Breakdown.Group g) {
        updatePlaceholder();
        if (g != null && groups.getItems().contains(g)) {
            selecting = true;
            groups.getSelectionModel().select(g);
            selecting = false;
        }
        String keepStage = vm.stageProperty().get();
        TreeItem<Row> root = new TreeItem<>();
        if (g != null) {
            java.util.Set<String> shared = sharedNames(g);
            for (StageStat s : g.stages()) {
                if (s.traces() == 0 && s.totalNs() == 0) {
                    continue; // a stage none of these requests had
                }
                TreeItem<Row> item = new TreeItem<>(new Row(s, false, false));
                for (StageStat op : g.operations()) {
                    if (s.stage().equals(op.stage())) {
                        item.getChildren().add(new TreeItem<>(new Row(op, true, shared.contains(op.operation()))));
                    }
                }
                // the stages that matter show their operations at once
                item.setExpanded(s.share() >= EXPAND_SHARE && !item.getChildren().isEmpty());
                root.getChildren().add(item);
            }
            Breakdown b = vm.breakdownProperty().get();
            String cohort = b == null ? "" : b.cohort().label();
            stagesTitle.setText((g.value() == null ? "Stages of " + cohort : "Stages of " + groupName(g)) + " · "
                    + Format.count(g.traces()) + " requests · p50 " + Charts.duration(g.p50Ns()) + " · p95 "
                    + Charts.duration(g.p95Ns()) + " · p99 " + Charts.duration(g.p99Ns()));
        } else {
            stagesTitle.setText("Stages");
        }
        root.setExpanded(true);
        stages.setRoot(root);
        if (keepStage != null) {
            for (TreeItem<Row> item : root.getChildren()) {
                if (item.getValue().stat().stage().equals(keepStage)) {
                    selecting = true;
                    stages.getSelectionModel().select(item);
                    selecting = false;
                }
            }
        }
    }

    // ------------------------------------------------------------------ stages

    private void buildStages() {
        stages.setId("breakdown-tree");
        stages.setShowRoot(false);
        stages.setFixedCellSize(24);
        stages.setPlaceholder(placeholder);
        // the number columns have fixed widths, so the name column takes the room they leave: operation names are
        // the longest texts here
        stages.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TreeTableColumn<Row, Row> name = new TreeTableColumn<>("Stage / operation");
        name.setPrefWidth(200);
        name.setMinWidth(120);
        // cut in the middle: "qdrant.search kb-archive" and "qdrant.search kb-docs" stay apart
        name.setStyle("-fx-text-overrun: center-ellipsis;");
        name.setSortable(false);
        name.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(f.getValue().getValue()));
        name.setCellFactory(c -> new TreeTableCell<>() {
            @Override
            protected void updateItem(Row r, boolean empty) {
                super.updateItem(r, empty);
                if (empty || r == null) {
                    setText(null);
                    setGraphic(null);
                    setTooltip(null);
                    return;
                }
                setText(r.label());
                if (r.operation()) {
                    setGraphic(null);
                    setTooltip(new Tooltip(Charts.visible(r.stat().operation()) + " (" + r.stat().stage() + ")"));
                } else {
                    Rectangle swatch = new Rectangle(11, 11, StageColors.fx(r.stat().stage()));
                    swatch.setArcWidth(3);
                    swatch.setArcHeight(3);
                    setGraphic(swatch);
                    String d = StageColors.description(r.stat().stage());
                    setTooltip(d.isEmpty() ? null : new Tooltip(d));
                }
            }
        });
        TreeTableColumn<Row, Long> traces = number("Requests", s -> s.traces(), false,
                "Requests of the group with this stage on their critical path");
        TreeTableColumn<Row, Long> p50 = number("p50", StageStat::p50Ns, true, null);
        TreeTableColumn<Row, Long> p90 = number("p90", StageStat::p90Ns, true, null);
        TreeTableColumn<Row, Long> p95 = number("p95", StageStat::p95Ns, true, null);
        TreeTableColumn<Row, Long> p99 = number("p99", StageStat::p99Ns, true, null);
        TreeTableColumn<Row, Long> mean = number("Mean", s -> Math.round(s.meanNs()), true,
                "Mean time in the stage, over the requests with it on their critical path");
        TreeTableColumn<Row, Double> share = new TreeTableColumn<>("Share");
        share.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(f.getValue().getValue().stat().share()));
        share.setCellFactory(c -> new ShareCell());
        share.setPrefWidth(86);
        share.setMinWidth(86);
        share.setMaxWidth(86);
        Label shareHeader = new Label("Share");
        shareHeader.setTooltip(new Tooltip("Part of the group's total request time spent in the stage (critical "
                + "path); the stages add up to 100%"));
        share.setGraphic(shareHeader);
        share.setText(null);
        stages.getColumns().setAll(List.of(name, traces, p50, p90, p95, p99, mean, share));
        stages.getSelectionModel().selectedItemProperty().addListener((o, a, item) -> {
            if (selecting) {
                return;
            }
            vm.stageProperty().set(item == null || item.getValue() == null ? null
                    : item.getValue().stat().stage());
        });
    }

    private static TreeTableColumn<Row, Long> number(String title, Function<StageStat, Long> f, boolean duration,
            String tip) {
        TreeTableColumn<Row, Long> c = new TreeTableColumn<>();
        Label header = new Label(title);
        if (tip != null) {
            header.setTooltip(new Tooltip(tip));
        } else if (title.startsWith("p")) {
            header.setTooltip(new Tooltip(title + " of the time spent in the stage, over the requests with it on "
                    + "their critical path"));
        }
        c.setGraphic(header);
        c.setCellValueFactory(x -> new ReadOnlyObjectWrapper<>(f.apply(x.getValue().getValue().stat())));
        c.setCellFactory(col -> new TreeTableCell<>() {
            @Override
            protected void updateItem(Long v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : duration ? Charts.duration(v) : Format.count(v));
            }
        });
        c.setStyle("-fx-alignment: CENTER-RIGHT;");
        // wide enough for "16.9 ms", "1,234,567" and the header without eliding
        double w = Math.max(text(duration ? "16.9 ms" : "1,234,567", false) + 12, fit(title));
        c.setPrefWidth(w);
        c.setMinWidth(w);
        c.setMaxWidth(w);
        return c;
    }

    /** The share as a bar and a percentage. */
    private static final class ShareCell extends TreeTableCell<Row, Double> {
        private final Region bar = new Region();
        private final Label text = new Label();
        private final StackPane track = new StackPane(bar);
        private final HBox box = new HBox(6, track, text);

        ShareCell() {
            bar.getStyleClass().add("tb-share-bar");
            track.getStyleClass().add("tb-share-track");
            track.setAlignment(Pos.CENTER_LEFT);
            track.setPrefSize(30, 10);
            track.setMaxHeight(10);
            track.setMinWidth(30);
            text.setMinWidth(44);
            text.setAlignment(Pos.CENTER_RIGHT);
            box.setAlignment(Pos.CENTER_LEFT);
            setText(null);
        }

        @Override
        protected void updateItem(Double v, boolean empty) {
            super.updateItem(v, empty);
            Row r = getTableRow() == null ? null : getTableRow().getItem();
            if (empty || v == null || r == null) {
                setGraphic(null);
                return;
            }
            bar.setMaxWidth(Math.max(1, 30 * Math.min(1, v)));
            bar.setPrefWidth(Math.max(1, 30 * Math.min(1, v)));
            bar.setStyle("-fx-background-color: " + StageColors.hex(r.stat().stage()) + ";"
                    + (r.operation() ? "-fx-opacity: 0.7;" : ""));
            text.setText(String.format(Locale.ROOT, v < 0.001 && v > 0 ? "<0.1%%" : "%.1f%%", v * 100));
            setGraphic(box);
        }
    }

    /** A group's mean time per request by stage, on the scale of the slowest group. */
    private final class StackedBarCell extends TableCell<Breakdown.Group, Breakdown.Group> {
        private final HBox bar = new HBox();
        private final Label mean = new Label();
        private final HBox box = new HBox(6, bar, mean);

        StackedBarCell() {
            bar.setAlignment(Pos.CENTER_LEFT);
            bar.setMaxHeight(12);
            box.setAlignment(Pos.CENTER_LEFT);
            mean.getStyleClass().add(Styles.MUTED);
            setText(null);
        }

        @Override
        protected void updateItem(Breakdown.Group g, boolean empty) {
            super.updateItem(g, empty);
            if (empty || g == null) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            double maxMean = groups.getItems().stream().mapToDouble(BreakdownPane::meanNs).max().orElse(1);
            double width = Math.max(40, getTableColumn().getWidth() - 80);
            bar.getChildren().clear();
            StringBuilder tip = new StringBuilder(groupName(g) + ": mean " + Charts.duration(Math.round(meanNs(g)))
                    + " per request");
            for (StageStat s : g.stages()) {
                double mean = s.share() * meanNs(g);
                double w = width * mean / Math.max(1, maxMean);
                if (w >= 0.5) {
                    Region seg = new Region();
                    seg.setPrefSize(w, 12);
                    seg.setMinWidth(w);
                    seg.setMaxHeight(12);
                    seg.setStyle("-fx-background-color: " + StageColors.hex(s.stage()) + ";");
                    bar.getChildren().add(seg);
                }
                tip.append("\n  ").append(StageColors.label(s.stage())).append(": ")
                        .append(Charts.duration(Math.round(mean))).append(String.format(Locale.ROOT, " (%.0f%%)",
                                s.share() * 100));
            }
            mean.setText(Charts.duration(Math.round(meanNs(g))));
            setTooltip(new Tooltip(tip.toString()));
            setGraphic(box);
        }
    }

    /** The width a column needs for its header text (bold, with the header's padding). */
    static double fit(String header) {
        return text(header, true) + 14;
    }

    /** The width of a text in the default font (the tables' and headers' font). */
    private static double text(String s, boolean bold) {
        javafx.scene.text.Text t = new javafx.scene.text.Text(s);
        t.setFont(javafx.scene.text.Font.font(javafx.scene.text.Font.getDefault().getFamily(), bold
                ? javafx.scene.text.FontWeight.BOLD : javafx.scene.text.FontWeight.NORMAL,
                javafx.scene.text.Font.getDefault().getSize()));
        return Math.ceil(t.getLayoutBounds().getWidth());
    }

    static double meanNs(Breakdown.Group g) {
        return g.traces() == 0 ? 0 : (double) g.totalNs() / g.traces();
    }
}
