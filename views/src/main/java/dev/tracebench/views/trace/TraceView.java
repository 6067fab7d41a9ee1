package dev.tracebench.views.trace;

import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.ServiceColors;
import dev.tracebench.views.common.StageColors;
import dev.tracebench.views.common.Styles;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;

/**
 * One trace: a header with its facts, the waterfall (spans nested under their parents on a time axis, bars
 * coloured by service, errors outlined) and the selected span's details. Z zooms to the selected span, Escape
 * shows the whole trace again.
 */
public final class TraceView extends BorderPane {
    private final TraceViewModel vm;
    private final TreeTableView<WaterfallModel.Node> waterfall = new TreeTableView<>();
    private final SpanDetailsView details = new SpanDetailsView();
    private final TimeAxis axis;
    private final Label title = new Label("Loading trace…");
    private final Label facts = new Label();
    private final FlowPane legend = new FlowPane(10, 2);
    private final Button resetZoom = new Button("Show whole trace");
    private final javafx.scene.control.ToggleButton pathToggle = new javafx.scene.control.ToggleButton(
            "Critical path");
    private final javafx.scene.control.ToggleButton stageColors = new javafx.scene.control.ToggleButton(
            "Colour by stage");
    private final HBox pathBar = new HBox();
    private final Label pathText = new Label();
    private final java.util.function.Consumer<dev.tracebench.core.model.TraceId> onCompareTypical;
    /** The waterfall's rows by span id. */
    private final java.util.Map<Long, TreeItem<WaterfallModel.Node>> items = new java.util.HashMap<>();

    public TraceView(TraceViewModel vm) {
        this(vm, null);
    }

    /** @param onCompareTypical opens a comparison of this trace with a typical one (null: no such button) */
    public TraceView(TraceViewModel vm, java.util.function.Consumer<dev.tracebench.core.model.TraceId>
            onCompareTypical) {
        this.vm = vm;
        this.onCompareTypical = onCompareTypical;
        setId("trace-view");
        axis = new TimeAxis(vm.windowStartProperty(), vm.windowEndProperty());
        setTop(header());
        SplitPane split = new SplitPane(buildWaterfall(), details);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.48);
        setCenter(split);

        vm.waterfallProperty().addListener((o, a, w) -> {
            show(w);
            if (vm.pathProperty().get() != null) {
                showPath(vm.pathProperty().get()); // the path came first: now it can say what lies outside it
            }
        });
        vm.problemProperty().addListener((o, a, p) -> {
            if (!p.isEmpty()) {
                title.setText(p);
                title.getStyleClass().add(Styles.ERROR);
            }
        });
        vm.selectedProperty().addListener((o, a, s) -> {
            showDetails(s);
            TreeItem<WaterfallModel.Node> item = s == null ? null : items.get(s.spanId());
            if (item != null && waterfall.getSelectionModel().getSelectedItem() != item) {
                waterfall.getSelectionModel().select(item);
                waterfall.scrollTo(waterfall.getRow(item));
            }
        });
        vm.pathProperty().addListener((o, a, p) -> {
            showPath(p);
            showDetails(vm.selectedProperty().get());
            waterfall.refresh();
        });
        vm.pathProblemProperty().addListener((o, a, p) -> showPath(vm.pathProperty().get()));
        vm.evalResultsProperty().addListener((o, a, r) -> {
            SpanDetail s = vm.selectedProperty().get();
            details.showEvals(r, s == null ? 0 : s.spanId());
        });
        vm.showCriticalPathProperty().addListener((o, a, b) -> waterfall.refresh());
        vm.colorByStageProperty().addListener((o, a, b) -> {
            waterfall.refresh();
            showLegend();
        });
        vm.windowStartProperty().addListener(o -> updateZoomButton());
        vm.windowEndProperty().addListener(o -> updateZoomButton());
        vm.load();
    }

    public TraceViewModel viewModel() {
        return vm;
    }

    public TreeTableView<WaterfallModel.Node> waterfall() {
        return waterfall;
    }

    private VBox header() {
        title.getStyleClass().add(Styles.TITLE);
        TextField id = new TextField(vm.traceId().hex());
        id.setEditable(false);
        id.setId("trace-id-field");
        id.getStyleClass().addAll(Styles.MONO, "tb-copyable");
        id.setPrefColumnCount(34); // all 32 hex digits, with room for the field's insets
        id.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        Button copy = new Button("Copy id");
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(vm.traceId().hex());
            Clipboard.getSystemClipboard().setContent(c);
        });
        Button zoom = new Button("Zoom to span");
        zoom.setId("zoom-to-span");
        zoom.setTooltip(new Tooltip("Show only the selected span's time range (Z, or double-click a span)"));
        zoom.disableProperty().bind(vm.selectedProperty().isNull());
        zoom.setOnAction(e -> vm.zoomTo(vm.selectedProperty().get()));
        resetZoom.setId("reset-zoom");
        resetZoom.setTooltip(new Tooltip("Show the whole trace (Escape)"));
        resetZoom.setOnAction(e -> vm.resetZoom());
        resetZoom.setDisable(true);
        pathToggle.setId("critical-path-toggle");
        pathToggle.selectedProperty().bindBidirectional(vm.showCriticalPathProperty());
        pathToggle.disableProperty().bind(vm.pathProperty().isNull());
        pathToggle.setTooltip(new Tooltip("Emphasise the critical path: the chain of spans the end of the request "
                + "waited on (dark bands); spans off it fade"));
        stageColors.setId("color-by-stage");
        stageColors.selectedProperty().bindBidirectional(vm.colorByStageProperty());
        stageColors.setTooltip(new Tooltip("Colour the bars by stage (prompt, retrieval, inference, …) instead of "
                + "by service"));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox line1 = new HBox(10, title, spacer, pathToggle, stageColors, zoom, resetZoom);
        if (onCompareTypical != null) {
            Button compare = new Button("Compare with typical…");
            compare.setId("compare-typical");
            compare.setTooltip(new Tooltip("Compare this trace with a typical one of the same operation (near its "
                    + "median duration)"));
            compare.setOnAction(e -> onCompareTypical.accept(vm.traceId()));
            line1.getChildren().add(compare);
        }
        line1.setAlignment(Pos.CENTER_LEFT);
        HBox line2 = new HBox(10, id, copy, facts);
        line2.setAlignment(Pos.CENTER_LEFT);
        facts.getStyleClass().add(Styles.MUTED);
        pathBar.setId("critical-path-bar");
        pathBar.setAlignment(Pos.CENTER_LEFT);
        pathBar.setMinHeight(12);
        pathText.setId("critical-path-text");
        pathText.getStyleClass().add(Styles.MUTED);
        HBox line3 = new HBox(10, pathBar, pathText);
        line3.setAlignment(Pos.CENTER_LEFT);
        showPath(null);
        VBox box = new VBox(4, line1, line2, line3, legend);
        box.setPadding(new Insets(8));
        box.getStyleClass().add(Styles.HEADER);
        return box;
    }

    private TreeTableView<WaterfallModel.Node> buildWaterfall() {
        waterfall.setId("waterfall");
        waterfall.setShowRoot(false);
        waterfall.setFixedCellSize(24);
        waterfall.setPlaceholder(new Label("Loading…"));
        waterfall.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        TreeTableColumn<WaterfallModel.Node, WaterfallModel.Node> name = new TreeTableColumn<>("Span");
        name.setPrefWidth(330);
        name.setSortable(false);
        name.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(f.getValue().getValue()));
        name.setCellFactory(c -> new TreeTableCell<>() {
            @Override
            protected void updateItem(WaterfallModel.Node n, boolean empty) {
                super.updateItem(n, empty);
                if (empty || n == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                SpanDetail s = n.span();
                Circle dot = new Circle(5, vm.colorByStageProperty().get()
                        ? StageColors.fx(SpanBarCell.stageOf(s, vm.pathProperty().get()))
                        : ServiceColors.of(s.serviceName()));
                setGraphic(dot);
                setText(Format.spanName(s.name()) + (n.orphan() ? "  (parent missing)" : ""));
                getStyleClass().remove(Styles.ERROR);
                if (s.isError()) {
                    getStyleClass().add(Styles.ERROR);
                }
            }
        });

        TreeTableColumn<WaterfallModel.Node, String> service = new TreeTableColumn<>("Service");
        service.setPrefWidth(110);
        service.setSortable(false);
        service.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(f.getValue().getValue().span().serviceName()));

        TreeTableColumn<WaterfallModel.Node, WaterfallModel.Node> timeline = new TreeTableColumn<>();
        timeline.setSortable(false);
        timeline.setPrefWidth(520);
        timeline.setGraphic(axis);
        axis.prefWidthProperty().bind(timeline.widthProperty().subtract(12));
        timeline.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(f.getValue().getValue()));
        timeline.setCellFactory(c -> new SpanBarCell(vm));

        waterfall.getColumns().setAll(List.of(name, service, timeline));
        waterfall.getSelectionModel().selectedItemProperty().addListener((o, a, item) ->
                vm.selectedProperty().set(item == null ? null : item.getValue().span()));
        waterfall.setRowFactory(tv -> {
            TreeTableRow<WaterfallModel.Node> row = new TreeTableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && row.getItem() != null) {
                    vm.zoomTo(row.getItem().span());
                }
            });
            return row;
        });
        waterfall.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.Z) {
                vm.zoomTo(vm.selectedProperty().get());
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE || e.getCode() == KeyCode.DIGIT0) {
                vm.resetZoom();
                e.consume();
            }
        });
        return waterfall;
    }

    private void show(WaterfallModel w) {
        if (w == null) {
            return;
        }
        TreeItem<WaterfallModel.Node> root = new TreeItem<>();
        items.clear();
        for (WaterfallModel.Node n : w.roots()) {
            root.getChildren().add(item(n, items));
        }
        root.setExpanded(true);
        waterfall.setRoot(root);
        axis.setTraceStart(w.startNs());
        List<SpanDetail> spans = vm.traceProperty().get().spans();
        long errors = spans.stream().filter(SpanDetail::isError).count();
        WaterfallModel.Node first = w.roots().isEmpty() ? null : w.roots().get(0);
        title.setText(first == null ? "(empty trace)" : Format.spanName(first.span().name()));
        facts.setText(Format.dateTime(w.startNs()) + "   ·   " + Format.duration(w.endNs() - w.startNs()) + "   ·   "
                + Format.count(w.spanCount()) + " spans   ·   " + w.services().size() + " service"
                + (w.services().size() == 1 ? "" : "s") + (errors > 0 ? "   ·   " + errors + " error"
                        + (errors == 1 ? "" : "s") : ""));
        showLegend();
        TreeItem<WaterfallModel.Node> wanted = items.get(vm.wantedSpan());
        if (wanted != null) {
            waterfall.getSelectionModel().select(wanted);
            waterfall.scrollTo(Math.max(0, waterfall.getRow(wanted) - 3));
        } else if (!root.getChildren().isEmpty()) {
            waterfall.getSelectionModel().select(root.getChildren().get(0));
        }
        waterfall.requestFocus();
    }

    private void showDetails(SpanDetail s) {
        details.show(s, vm.traceProperty().get(), s == null ? null : vm.explanation(s.spanId()),
                s == null ? null : vm.content(s.spanId()), vm.pathProperty().get());
        details.showEvals(vm.evalResultsProperty().get(), s == null ? 0 : s.spanId());
    }

    /** Services (or, colouring by stage, the stages of the trace) with their colours. */
    private void showLegend() {
        legend.getChildren().clear();
        WaterfallModel w = vm.waterfallProperty().get();
        if (w == null) {
            return;
        }
        if (vm.colorByStageProperty().get()) {
            java.util.Set<String> stages = new java.util.HashSet<>();
            for (WaterfallModel.Node n : w.flatten()) {
                stages.add(SpanBarCell.stageOf(n.span(), vm.pathProperty().get()));
            }
            for (String st : StageColors.sorted(stages)) {
                Label l = new Label(st, new javafx.scene.shape.Rectangle(10, 10, StageColors.fx(st)));
                l.getStyleClass().add(Styles.MUTED);
                legend.getChildren().add(l);
            }
            return;
        }
        for (String svc : w.services()) {
            Label l = new Label(svc, new Circle(5, ServiceColors.of(svc)));
            l.getStyleClass().add(Styles.MUTED);
            legend.getChildren().add(l);
        }
    }

    /** The critical path's composition by stage: a stacked bar and the largest stages in words. */
    private void showPath(CriticalPathIndex p) {
        pathBar.getChildren().clear();
        if (p == null) {
            String why = vm.pathProblemProperty().get();
            pathText.setText(why.isEmpty() ? "Computing the critical path…" : why);
            return;
        }
        long total = Math.max(1, p.path().traceDurationNs());
        double width = 320;
        StringBuilder words = new StringBuilder();
        java.util.List<java.util.Map.Entry<String, Long>> top = new java.util.ArrayList<>(p.byStage().entrySet());
        for (java.util.Map.Entry<String, Long> e : top) {
            Region seg = new Region();
            double w = Math.max(1, width * e.getValue() / total);
            seg.setPrefSize(w, 12);
            seg.setMinSize(w, 12);
            seg.setMaxHeight(12);
            seg.setStyle("-fx-background-color: " + StageColors.hex(e.getKey()) + ";");
            Tooltip.install(seg, new Tooltip(e.getKey() + ": " + Format.duration(e.getValue()) + String.format(
                    java.util.Locale.ROOT, " (%.0f%%)", 100.0 * e.getValue() / total)));
            pathBar.getChildren().add(seg);
        }
        top.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        for (int i = 0; i < Math.min(3, top.size()); i++) {
            words.append(i == 0 ? "" : " · ").append(top.get(i).getKey()).append(' ')
                    .append(Format.duration(top.get(i).getValue())).append(String.format(java.util.Locale.ROOT,
                            " (%.0f%%)", 100.0 * top.get(i).getValue() / total));
        }
        WaterfallModel w = vm.waterfallProperty().get();
        String outside = outsideNote(p.path().traceDurationNs(), w == null ? 0 : w.endNs() - w.startNs());
        pathText.setText("Critical path through " + p.spansOnPath() + " span" + (p.spansOnPath() == 1 ? "" : "s")
                + ": " + words + outside);
    }

    /**
     * What the path text adds when the spans reach well beyond the request (async work after the root ended, or a
     * later request joined to the trace): the request's duration and the spans' window; "" otherwise.
     */
    static String outsideNote(long requestNs, long windowNs) {
        if (windowNs <= requestNs + Math.max(1_000_000L, requestNs / 100)) {
            return "";
        }
        return " · the request took " + Format.duration(requestNs) + "; spans outside it (the trace spans "
                + Format.duration(windowNs) + ") are not on its path";
    }

    private static TreeItem<WaterfallModel.Node> item(WaterfallModel.Node n,
            java.util.Map<Long, TreeItem<WaterfallModel.Node>> items) {
        TreeItem<WaterfallModel.Node> item = new TreeItem<>(n);
        items.put(n.span().spanId(), item);
        for (WaterfallModel.Node c : n.children()) {
            item.getChildren().add(item(c, items));
        }
        item.setExpanded(true);
        return item;
    }

    private void updateZoomButton() {
        resetZoom.setDisable(!vm.isZoomed());
        waterfall.refresh();
    }
}
