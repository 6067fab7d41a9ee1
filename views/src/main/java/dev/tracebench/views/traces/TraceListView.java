package dev.tracebench.views.traces;

import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.TraceSort;
import dev.tracebench.core.query.TraceSummary;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Styles;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.animation.PauseTransition;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.util.Duration;

/**
 * The trace table: a filter bar over a virtualised, server-sorted table of traces. Double-click or Enter opens a
 * trace.
 */
public final class TraceListView extends BorderPane {
    private final TraceListViewModel vm;
    private final TableView<TraceRow> table = new TableView<>();
    private final TextField search = new TextField();

    /** Compares two traces: the baseline (the shorter) and the other. */
    public interface CompareAction {
        void compare(TraceSummary a, TraceSummary b);
    }

    /** Keyboard shortcut of "Compare" (two traces selected). */
    public static final KeyCombination COMPARE_KEY = new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN);

    public TraceListView(TraceListViewModel vm, Consumer<TraceSummary> onOpen) {
        this(vm, onOpen, null, null);
    }

    /**
     * @param onCompare        compares the two selected traces (null: no comparing)
     * @param onCompareTypical compares one trace with a typical one of its operation (null: no such item)
     */
    public TraceListView(TraceListViewModel vm, Consumer<TraceSummary> onOpen, CompareAction onCompare,
            Consumer<TraceSummary> onCompareTypical) {
        this.vm = vm;
        setId("trace-list");
        setTop(filterBar());
        setCenter(buildTable());
        table.getSelectionModel().setSelectionMode(onCompare == null ? SelectionMode.SINGLE : SelectionMode.MULTIPLE);
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                open(table.getFocusModel().getFocusedItem() != null && table.getSelectionModel().getSelectedItems()
                        .contains(table.getFocusModel().getFocusedItem()) ? table.getFocusModel().getFocusedItem()
                        : table.getSelectionModel().getSelectedItem(), onOpen);
                e.consume();
            } else if (onCompare != null && COMPARE_KEY.match(e)) {
                compareSelected(onCompare);
                e.consume();
            }
        });
        if (onCompare != null) {
            table.setContextMenu(contextMenu(onOpen, onCompare, onCompareTypical));
        }
        table.setRowFactory(tv -> {
            TableRow<TraceRow> row = new TableRow<>() {
                private final javafx.beans.value.ChangeListener<TraceSummary> onLoaded = (o, a, s) -> mark(s);

                @Override
                protected void updateItem(TraceRow item, boolean empty) {
                    TraceRow old = getItem();
                    if (old != null) {
                        old.summaryProperty().removeListener(onLoaded);
                    }
                    super.updateItem(item, empty);
                    if (!empty && item != null) {
                        item.summaryProperty().addListener(onLoaded);
                        mark(item.summary());
                    } else {
                        mark(null);
                    }
                }

                private void mark(TraceSummary s) {
                    getStyleClass().remove(Styles.ERROR);
                    if (s != null && s.errorCount() > 0) {
                        getStyleClass().add(Styles.ERROR);
                    }
                }
            };
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    open(row.getItem(), onOpen);
                }
            });
            return row;
        });
        vm.refreshServices();
        vm.refresh();
    }

    private ContextMenu contextMenu(Consumer<TraceSummary> onOpen, CompareAction onCompare,
            Consumer<TraceSummary> onCompareTypical) {
        MenuItem open = new MenuItem("Open");
        open.setId("trace-menu-open");
        open.setOnAction(e -> open(table.getSelectionModel().getSelectedItem(), onOpen));
        MenuItem compare = new MenuItem("Compare");
        compare.setId("trace-menu-compare");
        compare.setAccelerator(COMPARE_KEY);
        compare.setOnAction(e -> compareSelected(onCompare));
        MenuItem typical = new MenuItem("Compare with Typical");
        typical.setId("trace-menu-compare-typical");
        typical.setOnAction(e -> {
            TraceRow r = table.getSelectionModel().getSelectedItem();
            if (r != null && r.summary() != null && onCompareTypical != null) {
                onCompareTypical.accept(r.summary());
            }
        });
        ContextMenu menu = new ContextMenu(open, compare);
        if (onCompareTypical != null) {
            menu.getItems().add(typical);
        }
        menu.setOnShowing(e -> {
            int n = selectedSummaries().size();
            open.setDisable(n == 0);
            compare.setDisable(n != 2);
            compare.setText(n == 2 ? "Compare the Two Selected Traces" : "Compare (select two traces)");
            typical.setDisable(n != 1);
        });
        return menu;
    }

    /** The loaded summaries of the selected rows. */
    public java.util.List<TraceSummary> selectedSummaries() {
        return table.getSelectionModel().getSelectedItems().stream().filter(r -> r != null && r.summary() != null)
                .map(TraceRow::summary).toList();
    }

    /** Compares the two selected traces, the shorter as the baseline; with another count, says what to do. */
    private void compareSelected(CompareAction onCompare) {
        java.util.List<TraceSummary> s = selectedSummaries();
        if (s.size() != 2) {
            vmHint("Select two traces (Ctrl+click) to compare them");
            return;
        }
        TraceSummary a = s.get(0).durationNs() <= s.get(1).durationNs() ? s.get(0) : s.get(1);
        TraceSummary b = a == s.get(0) ? s.get(1) : s.get(0);
        onCompare.compare(a, b);
    }

    private void vmHint(String text) {
        Tooltip t = new Tooltip(text);
        t.setAutoHide(true);
        javafx.geometry.Bounds b = table.localToScreen(table.getBoundsInLocal());
        if (b != null && getScene() != null) {
            t.show(getScene().getWindow(), b.getMinX() + 40, b.getMinY() + 40);
            javafx.animation.PauseTransition hide = new javafx.animation.PauseTransition(Duration.seconds(2.5));
            hide.setOnFinished(e -> t.hide());
            hide.play();
        }
    }

    private static void open(TraceRow row, Consumer<TraceSummary> onOpen) {
        if (row != null && row.summary() != null) {
            onOpen.accept(row.summary());
        }
    }

    /** Puts the keyboard focus in the search field (Ctrl+F). */
    public void focusSearch() {
        search.requestFocus();
        search.selectAll();
    }

    public TableView<TraceRow> table() {
        return table;
    }

    private HBox filterBar() {
        search.setId("trace-search");
        search.setPromptText("Search trace id, operation, service or span name");
        search.setPrefColumnCount(30);
        search.textProperty().bindBidirectional(vm.textProperty());
        PauseTransition typing = new PauseTransition(Duration.millis(300));
        typing.setOnFinished(e -> vm.refresh());
        search.textProperty().addListener((o, a, b) -> typing.playFromStart());
        search.setOnAction(e -> {
            typing.stop();
            vm.refresh();
        });

        ComboBox<String> service = new ComboBox<>(vm.services());
        service.setId("trace-service");
        service.valueProperty().bindBidirectional(vm.serviceProperty());
        service.valueProperty().addListener((o, a, b) -> vm.refresh());
        service.setPrefWidth(170);

        TextField minDuration = new TextField();
        minDuration.setId("trace-min-duration");
        minDuration.setPromptText("min duration, e.g. 2s");
        minDuration.setPrefColumnCount(11);
        minDuration.setTooltip(new Tooltip("Only traces at least this long: 250ms, 1.5s, 2m (a bare number is ms)"));
        minDuration.textProperty().bindBidirectional(vm.minDurationProperty());
        PauseTransition typingMin = new PauseTransition(Duration.millis(400));
        typingMin.setOnFinished(e -> vm.refresh());
        minDuration.textProperty().addListener((o, a, b) -> typingMin.playFromStart());

        CheckBox errors = new CheckBox("Errors only");
        errors.setId("trace-errors-only");
        errors.selectedProperty().bindBidirectional(vm.errorsOnlyProperty());
        errors.selectedProperty().addListener((o, a, b) -> vm.refresh());

        Label count = new Label();
        count.setId("trace-count");
        count.textProperty().bind(Bindings.createStringBinding(() -> {
            if (!vm.problemProperty().get().isEmpty()) {
                return vm.problemProperty().get();
            }
            return vm.loadingProperty().get() ? "Searching…" : Format.count(vm.matchingProperty().get()) + " traces";
        }, vm.matchingProperty(), vm.loadingProperty(), vm.problemProperty()));
        count.styleProperty().bind(Bindings.when(vm.problemProperty().isEmpty()).then("")
                .otherwise("-fx-text-fill: -tb-error-color;"));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button refresh = new Button("Refresh");
        refresh.setTooltip(new Tooltip("Run the query again (F5)"));
        refresh.setOnAction(e -> {
            vm.refreshServices();
            vm.refresh();
        });

        HBox bar = new HBox(8, search, service, minDuration, errors, spacer, count, refresh);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 8, 6, 8));
        bar.getStyleClass().add(Styles.FILTER_BAR);
        HBox.setHgrow(search, Priority.SOMETIMES);
        return bar;
    }

    private TableView<TraceRow> buildTable() {
        table.setId("trace-table");
        table.setPlaceholder(new Label("No traces match. Import files with File > Import… or drop them here."));
        table.setItems(vm.rows());
        table.setFixedCellSize(26);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        TableColumn<TraceRow, TraceSummary> start = column("Start", TraceSort.Column.START, 190,
                s -> Format.dateTime(s.startNs()), false);
        TableColumn<TraceRow, TraceSummary> root = column("Root operation", TraceSort.Column.ROOT_OPERATION, 260,
                s -> Format.spanName(s.rootName()) + (s.hasRoot() ? "" : "  (root missing)"), false);
        TableColumn<TraceRow, TraceSummary> service = column("Service", TraceSort.Column.SERVICE, 140,
                TraceSummary::serviceName, false);
        TableColumn<TraceRow, TraceSummary> duration = column("Duration", TraceSort.Column.DURATION, 100,
                s -> Format.duration(s.durationNs()), true);
        TableColumn<TraceRow, TraceSummary> spans = column("Spans", TraceSort.Column.SPANS, 70,
                s -> Format.count(s.spanCount()), true);
        TableColumn<TraceRow, TraceSummary> errors = column("Errors", TraceSort.Column.ERRORS, 70,
                s -> s.errorCount() == 0 ? "" : Format.count(s.errorCount()), true);
        TableColumn<TraceRow, TraceSummary> tokens = column("Tokens", TraceSort.Column.TOKENS, 90,
                s -> s.totalTokens() == 0 ? "" : Format.count(s.totalTokens()), true);
        TableColumn<TraceRow, TraceSummary> id = column("Trace id", null, 260, s -> s.traceId().hex(), false);
        id.getStyleClass().add(Styles.MONO);
        table.getColumns().setAll(java.util.List.of(start, root, service, duration, spans, errors, tokens, id));
        start.setSortType(TableColumn.SortType.DESCENDING);
        table.getSortOrder().add(start);
        // the database sorts: the table only reports which column the user asked for
        table.setSortPolicy(tv -> {
            TraceSort wanted = TraceSort.NEWEST_FIRST;
            if (!tv.getSortOrder().isEmpty()) {
                TableColumn<TraceRow, ?> c = tv.getSortOrder().get(0);
                Object col = c.getUserData();
                if (col instanceof TraceSort.Column tc) {
                    wanted = new TraceSort(tc, c.getSortType() == TableColumn.SortType.ASCENDING);
                }
            }
            if (!wanted.equals(vm.sortProperty().get())) {
                vm.sortProperty().set(wanted);
                vm.refresh();
            }
            return true;
        });
        return table;
    }

    private static TableColumn<TraceRow, TraceSummary> column(String title, TraceSort.Column sortColumn, double width,
            Function<TraceSummary, String> text, boolean right) {
        TableColumn<TraceRow, TraceSummary> c = new TableColumn<>(title);
        c.setUserData(sortColumn);
        c.setSortable(sortColumn != null);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> f.getValue() == null ? new ReadOnlyObjectWrapper<>(null)
                : f.getValue().summaryProperty());
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(TraceSummary s, boolean empty) {
                super.updateItem(s, empty);
                if (empty) {
                    setText(null);
                } else if (s == null) {
                    setText("…");
                } else {
                    setText(text.apply(s));
                }
            }
        });
        if (right) {
            c.setStyle("-fx-alignment: CENTER-RIGHT;");
        }
        return c;
    }
}
