package dev.tracebench.views.traces;

import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.TraceSort;
import dev.tracebench.core.query.TraceSummary;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.common.TableCopy;
import dev.tracebench.views.common.TableExport;
import org.controlsfx.control.CheckComboBox;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.animation.PauseTransition;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
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
    /** The traces selected by the user, selected again after a reload replaced the rows. */
    private java.util.Set<TraceId> keptSelection = java.util.Set.of();
    private final TextField search = new TextField();
    private final Label emptyText = new Label();
    private final Button clearFilters = new Button("Clear search and filters");
    private TableColumn<TraceRow, ?> lastSortColumn;
    private boolean lastSortAscending;

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
        // a reload (after every import, and every second while traces arrive live) replaces all rows, which clears
        // the selection: the traces the user selected are selected again as their rows load
        table.getSelectionModel().getSelectedItems().addListener((javafx.collections.ListChangeListener<TraceRow>)
                c -> {
                    if (!(vm.rows() instanceof PagedTraceList p && p.resetting())) {
                        keptSelection = table.getSelectionModel().getSelectedItems().stream()
                                .filter(r -> r != null && r.summary() != null).map(r -> r.summary().traceId())
                                .collect(java.util.stream.Collectors.toUnmodifiableSet());
                    }
                });
        table.setContextMenu(contextMenu(onOpen, onCompare, onCompareTypical));
        TableCopy.install(table);
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
                    if (s != null && keptSelection.contains(s.traceId()) && !isSelected()) {
                        getTableView().getSelectionModel().select(getIndex());
                    }
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

    /**
     * Adds "Run Evaluators…" to the table's context menu: {@code onRun} judges the listed traces (the shell takes the
     * cohort chip's cohort, or asks for one).
     */
    public void setOnRunEvaluators(Runnable onRun) {
        MenuItem run = new MenuItem("Run Evaluators on These Traces…");
        run.setId("trace-menu-run-evaluators");
        run.setOnAction(e -> onRun.run());
        table.getContextMenu().getItems().addAll(new javafx.scene.control.SeparatorMenuItem(), run);
    }

    /**
     * Adds "Add to Dataset…" to the table's context menu: {@code onAdd} opens a review queue over the selected traces
     * (none selected: the traces of the cohort chip).
     */
    public void setOnAddToDataset(java.util.function.BiConsumer<dev.tracebench.core.analysis.Cohort, String> onAdd) {
        MenuItem add = new MenuItem("Add to Dataset…");
        add.setId("trace-menu-add-to-dataset");
        add.setOnAction(e -> {
            java.util.List<TraceSummary> chosen = selectedSummaries();
            if (!chosen.isEmpty()) {
                onAdd.accept(dev.tracebench.views.datasets.ReviewQueueViewModel.ofTraces(chosen.stream()
                        .map(TraceSummary::traceId).toList()), chosen.size() == 1 ? "trace "
                        + chosen.get(0).traceId().hex() : chosen.size() + " selected traces");
            } else if (vm.cohortProperty().get() != null) {
                onAdd.accept(vm.cohortProperty().get(), vm.cohortLabelProperty().get());
            }
        });
        table.getContextMenu().getItems().add(add);
        table.getContextMenu().addEventHandler(javafx.stage.WindowEvent.WINDOW_SHOWING, e -> add.setDisable(
                selectedSummaries().isEmpty() && vm.cohortProperty().get() == null));
    }

    private ContextMenu contextMenu(Consumer<TraceSummary> onOpen, CompareAction onCompare,
            Consumer<TraceSummary> onCompareTypical) {
        MenuItem open = new MenuItem("Open");
        open.setId("trace-menu-open");
        open.setOnAction(e -> open(table.getSelectionModel().getSelectedItem(), onOpen));
        ContextMenu menu = new ContextMenu(open);
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
        if (onCompare != null) {
            menu.getItems().add(compare);
        }
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

    /** The column property TableExport reads to copy a row as the cells show it. */
    private static final String TEXT_KEY = "tb-cell-text";

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

    private javafx.scene.layout.VBox filterBar() {
        search.setId("trace-search");
        search.setPromptText("Search: trace id, operation, service, span name, or key=value, key>number");
        search.setTooltip(new Tooltip("Words match the trace id (prefix), root operation, service or any span name.\n"
                + "Attribute conditions (a span or its resource has the attribute):\n"
                + "  gen_ai.request.model=gpt-4o   tenant!=acme   http.status_code>=500   gen_ai.usage.input_tokens>2000\n"
                + "Quote values with spaces: app.user=\"Ada Lovelace\". Ctrl+Space lists the workspace's keys."));
        search.setPrefColumnCount(30);
        search.textProperty().bindBidirectional(vm.textProperty());
        PauseTransition typing = new PauseTransition(Duration.millis(300));
        typing.setOnFinished(e -> vm.refresh());
        search.textProperty().addListener((o, a, b) -> typing.playFromStart());
        search.setOnAction(e -> {
            typing.stop();
            vm.refresh();
        });
        search.focusedProperty().addListener((o, a, focused) -> {
            if (focused) {
                vm.loadAttributeKeys();
            }
        });
        AttributeKeyCompletion.bind(search, vm.attributeKeys());

        CheckComboBox<String> service = new CheckComboBox<>(vm.services());
        service.setId("trace-service");
        service.setTitle("All services");
        service.setShowCheckedCount(false);
        service.setTooltip(new Tooltip("Only traces of the checked services (none checked: all)"));
        service.setPrefWidth(170);
        boolean[] syncing = {false};
        service.getCheckModel().getCheckedItems().addListener((javafx.collections.ListChangeListener<String>) c -> {
            if (syncing[0]) {
                return;
            }
            syncing[0] = true;
            vm.selectedServices().setAll(service.getCheckModel().getCheckedItems());
            syncing[0] = false;
            service.setTitle(titleOf(vm.selectedServices()));
            vm.refresh();
        });
        javafx.collections.ListChangeListener<String> fromVm = c -> {
            if (syncing[0]) {
                return;
            }
            syncing[0] = true;
            service.getCheckModel().clearChecks();
            for (String s : vm.selectedServices()) {
                service.getCheckModel().check(s);
            }
            syncing[0] = false;
            service.setTitle(titleOf(vm.selectedServices()));
        };
        vm.selectedServices().addListener(fromVm);
        vm.services().addListener(fromVm);

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
            if (vm.loadingProperty().get()) {
                return "Searching…";
            }
            long total = vm.totalProperty().get();
            String n = Format.count(vm.matchingProperty().get()) + " traces";
            return vm.isFiltered() && total >= 0 ? n + " of " + Format.count(total) : n;
        }, vm.matchingProperty(), vm.loadingProperty(), vm.problemProperty(), vm.totalProperty()));
        count.styleProperty().bind(Bindings.when(vm.problemProperty().isEmpty()).then("")
                .otherwise("-fx-text-fill: -tb-error-color;"));
        count.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button export = new Button("Export CSV…");
        export.setId("trace-export");
        export.setTooltip(new Tooltip("Save the matching traces, in this order, as CSV (the first "
                + Format.count(TraceListViewModel.EXPORT_LIMIT) + ")"));
        export.setOnAction(e -> TableExport.saveCsv(this, "traces.csv", vm::exportTable, vm.tasks()));
        Button refresh = new Button("Refresh");
        refresh.setTooltip(new Tooltip("Run the query again (F5)"));
        refresh.setOnAction(e -> {
            vm.refreshServices();
            vm.refresh();
        });

        HBox bar = new HBox(8, search, service, minDuration, errors, spacer, count, export, refresh);
        bar.setAlignment(Pos.CENTER_LEFT);
        // the search field gives up width first; buttons and labels keep their text
        search.setMinWidth(220);
        for (javafx.scene.Node n : java.util.List.of(errors, export, refresh)) {
            ((javafx.scene.control.Control) n).setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox.setHgrow(search, Priority.SOMETIMES);

        Label chipText = new Label();
        chipText.setId("trace-cohort-label");
        chipText.textProperty().bind(vm.cohortLabelProperty());
        Button remove = new Button("✕");
        remove.setId("trace-cohort-remove");
        remove.getStyleClass().add("tb-chip-remove");
        remove.setTooltip(new Tooltip("Show all traces again (remove this filter)"));
        remove.setOnAction(e -> vm.showCohort(null, ""));
        HBox chip = new HBox(4, new Label("Only:"), chipText, remove);
        chip.setId("trace-cohort-chip");
        chip.getStyleClass().add("tb-chip");
        chip.setAlignment(Pos.CENTER_LEFT);
        chip.visibleProperty().bind(vm.cohortProperty().isNotNull());
        chip.managedProperty().bind(chip.visibleProperty());

        javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(6, bar, chip);
        box.setPadding(new Insets(6, 8, 6, 8));
        box.getStyleClass().add(Styles.FILTER_BAR);
        return box;
    }

    private static String titleOf(java.util.List<String> services) {
        return services.isEmpty() ? "All services" : services.size() == 1 ? services.get(0)
                : services.size() + " services";
    }

    /** What the table says when nothing matches: a filter to clear, or nothing imported yet. */
    private javafx.scene.Node placeholder() {
        emptyText.setId("trace-empty-text");
        clearFilters.setId("trace-clear-filters");
        clearFilters.setOnAction(e -> vm.clearFilters());
        Runnable update = () -> {
            boolean filtered = vm.isFiltered() && vm.totalProperty().get() != 0;
            emptyText.setText(filtered ? "No traces match the search and filters"
                    + (vm.totalProperty().get() > 0 ? " (" + Format.count(vm.totalProperty().get())
                            + " traces in the workspace)." : ".")
                    : "No traces yet. Import files with File > Import… or drop them here.");
            clearFilters.setVisible(filtered);
            clearFilters.setManaged(filtered);
        };
        vm.matchingProperty().addListener(o -> update.run());
        vm.totalProperty().addListener(o -> update.run());
        vm.loadingProperty().addListener(o -> update.run());
        update.run();
        javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(10, emptyText, clearFilters);
        box.setAlignment(Pos.CENTER);
        return box;
    }

    private TableView<TraceRow> buildTable() {
        table.setId("trace-table");
        table.setPlaceholder(placeholder());
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
            TableColumn<TraceRow, ?> c = tv.getSortOrder().isEmpty() ? null : tv.getSortOrder().get(0);
            boolean ascending = c != null && c.getSortType() == TableColumn.SortType.ASCENDING;
            // times and amounts sort largest first on the first click, then smallest first (the header's own cycle
            // is ascending, descending, unsorted)
            if (c == null && lastSortColumn != null && largestFirst(lastSortColumn) && !lastSortAscending) {
                TableColumn<TraceRow, ?> col = lastSortColumn;
                c = col;
                ascending = true;
                javafx.application.Platform.runLater(() -> {
                    col.setSortType(TableColumn.SortType.ASCENDING);
                    tv.getSortOrder().setAll(java.util.List.of(col));
                });
            } else if (c != null && c != lastSortColumn && ascending && largestFirst(c)) {
                TableColumn<TraceRow, ?> col = c;
                ascending = false;
                javafx.application.Platform.runLater(() -> col.setSortType(TableColumn.SortType.DESCENDING));
            }
            lastSortColumn = c;
            lastSortAscending = ascending;
            TraceSort wanted = c != null && c.getUserData() instanceof TraceSort.Column tc
                    ? new TraceSort(tc, ascending) : TraceSort.NEWEST_FIRST;
            if (!wanted.equals(vm.sortProperty().get())) {
                vm.sortProperty().set(wanted);
                vm.refresh();
            }
            return true;
        });
        return table;
    }

    /** Columns of times and amounts: their first click shows the largest (latest, slowest) first. */
    private static boolean largestFirst(TableColumn<TraceRow, ?> c) {
        return c.getUserData() instanceof TraceSort.Column tc && tc != TraceSort.Column.ROOT_OPERATION
                && tc != TraceSort.Column.SERVICE;
    }

    private static TableColumn<TraceRow, TraceSummary> column(String title, TraceSort.Column sortColumn, double width,
            Function<TraceSummary, String> text, boolean right) {
        TableColumn<TraceRow, TraceSummary> c = new TableColumn<>(title);
        c.setUserData(sortColumn);
        c.setSortable(sortColumn != null);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> f.getValue() == null ? new ReadOnlyObjectWrapper<>(null)
                : f.getValue().summaryProperty());
        c.getProperties().put(TEXT_KEY, text);
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
