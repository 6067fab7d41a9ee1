package dev.tracebench.views.recommend;

import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.recommend.ModelWeight;
import dev.tracebench.core.recommend.Recommendation;
import dev.tracebench.core.recommend.Recommendations;
import dev.tracebench.core.recommend.TracingOverhead;
import dev.tracebench.core.report.Secrets;
import dev.tracebench.core.report.Table;
import dev.tracebench.views.common.BackgroundTasks;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Navigator;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.common.TableCopy;
import dev.tracebench.views.common.TableExport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The Recommendations area: what to tell the systems around the application (router weights, scaling, caches,
 * retraining, sampling), each with its evidence and example traces; the traffic weights per model with the current and
 * recommended shares as bars; and what tracing costs per service, stage and operation, with the sampling candidates.
 */
public final class RecommendationsView extends BorderPane {
    static final String EMPTY_TEXT = "Nothing to recommend yet. Recommendations need traces of LLM calls: traffic "
            + "weights compare the models (gen_ai.request.model / gen_ai.response.model) by error rate, p95 latency "
            + "and eval pass rate; the scale-up signal needs latency or queue-time SLOs (the SLOs area); cache "
            + "findings need cache hit attributes; a retraining trigger needs eval results over time (Quality). "
            + "Import traces or receive them live (File menu), then Refresh.";

    private final RecommendationsViewModel vm;
    private final Navigator navigator;
    private final BackgroundTasks tasks;
    private final TableView<Recommendation> items = new TableView<>();
    private final TableView<ModelWeight> weights = new TableView<>();
    private final TableView<TracingOverhead.Row> overhead = new TableView<>();
    private final VBox details = new VBox(8);
    private final Label overheadTotals = new Label();
    private final TabPane tabs = new TabPane();
    private final Tab itemsTab = new Tab();
    private final Tab weightsTab = new Tab();
    private final Tab overheadTab = new Tab();
    private final Label empty = new Label(EMPTY_TEXT);
    private final Button copyRouter = new Button("Copy router config");

    public RecommendationsView(RecommendationsViewModel vm, Navigator navigator, BackgroundTasks tasks) {
        this.vm = vm;
        this.navigator = navigator;
        this.tasks = tasks;
        setId("recommendations-view");

        Label message = new Label();
        message.setId("rec-message");
        message.textProperty().bind(vm.messageProperty());
        message.getStyleClass().add(Styles.MUTED);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button refresh = new Button("Refresh");
        refresh.setId("rec-refresh");
        refresh.setTooltip(new Tooltip("Compute the recommendations again (F5)"));
        refresh.setOnAction(e -> vm.reload());
        copyRouter.setId("rec-copy-router");
        copyRouter.setTooltip(new Tooltip("The recommended weights as a LiteLLM-style router config (YAML), to paste "
                + "into the router's configuration"));
        copyRouter.setOnAction(e -> copyRouterConfig());
        copyRouter.visibleProperty().bind(vm.routerConfigProperty().isNotNull());
        copyRouter.managedProperty().bind(copyRouter.visibleProperty());
        Button export = new Button("Export CSV…");
        export.setId("rec-export");
        export.setTooltip(new Tooltip("Save the table of the tab in view as CSV"));
        export.setOnAction(e -> exportCsv());
        HBox bar = new HBox(8, message, spacer, Styles.busyWithCancel(vm.loadingProperty(), vm::cancel,
                "rec-cancel"), refresh, copyRouter, export);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add(Styles.FILTER_BAR);
        bar.setPadding(new Insets(6, 8, 6, 8));
        setTop(new VBox(bar, Styles.errorBanner("rec-problem", vm.problemProperty())));

        buildItems();
        buildWeights();
        buildOverhead();
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        itemsTab.setId("rec-tab-items");
        weightsTab.setId("rec-tab-weights");
        overheadTab.setId("rec-tab-overhead");
        tabs.getTabs().addAll(itemsTab, weightsTab, overheadTab);
        empty.setId("rec-empty");
        empty.setWrapText(true);
        empty.setMaxWidth(640);
        empty.getStyleClass().add("tb-empty-state");
        StackPane emptyPane = new StackPane(empty);
        emptyPane.setPadding(new Insets(24));
        emptyPane.visibleProperty().bind(empty.visibleProperty());
        setCenter(new StackPane(tabs, emptyPane));

        vm.resultProperty().addListener((o, a, r) -> show(r));
        show(vm.resultProperty().get());
        setOnKeyPressed(e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.F5) {
                vm.reload();
                e.consume();
            }
        });
    }

    public RecommendationsViewModel viewModel() {
        return vm;
    }

    /** Reloads (the workspace changed). */
    public void refresh() {
        vm.reload();
    }

    TableView<Recommendation> items() {
        return items;
    }

    TableView<ModelWeight> weights() {
        return weights;
    }

    TableView<TracingOverhead.Row> overhead() {
        return overhead;
    }

    VBox details() {
        return details;
    }

    Label overheadTotals() {
        return overheadTotals;
    }

    TabPane tabs() {
        return tabs;
    }

    private void show(Recommendations r) {
        boolean nothing = r != null && RecommendationsViewModel.empty(r);
        empty.setVisible(nothing);
        tabs.setVisible(!nothing);
        copyRouter.setDisable(r == null || r.weights().isEmpty());
        Recommendation selected = items.getSelectionModel().getSelectedItem();
        items.getItems().setAll(r == null ? List.of() : r.items());
        weights.getItems().setAll(r == null ? List.of() : sortedWeights(r.weights()));
        overhead.getItems().setAll(r == null || r.overhead() == null ? List.of() : r.overhead().rows());
        itemsTab.setText("Recommendations" + (r == null ? "" : " (" + r.items().size() + ")"));
        weightsTab.setText("Traffic weights" + (r == null ? "" : " (" + r.weights().size() + ")"));
        overheadTab.setText("Tracing overhead");
        overheadTotals.setText(r == null || r.overhead() == null ? "" : totals(r.overhead()));
        // keep the reader's place across a refresh: the same recommendation (by subject and kind), else the first
        Recommendation again = selected == null ? null : items.getItems().stream().filter(i -> i.kind()
                == selected.kind() && i.subject().equals(selected.subject())).findFirst().orElse(null);
        if (again != null) {
            items.getSelectionModel().select(again);
        } else if (!items.getItems().isEmpty()) {
            items.getSelectionModel().select(0);
        } else {
            showDetails(null);
        }
    }

    // ------------------------------------------------------------------ recommendations

    private void buildItems() {
        items.setId("rec-items");
        items.setPlaceholder(new Label("No recommendation: nothing in the workspace calls for an action."));
        TableColumn<Recommendation, Severity> sev = new TableColumn<>("Severity");
        sev.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(d.getValue().severity()));
        sev.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Severity s, boolean isEmpty) {
                super.updateItem(s, isEmpty);
                setText(isEmpty || s == null ? null : "● " + s.label());
                setStyle(isEmpty || s == null ? null : "-fx-text-fill: " + severityColor(s) + ";");
            }
        });
        sev.setComparator(Comparator.naturalOrder());
        sev.setPrefWidth(90);
        items.getColumns().add(sev);
        items.getColumns().add(column("Kind", r -> r.kind().id(), 80));
        items.getColumns().add(column("Subject", r -> Secrets.maskText(r.subject()), 220));
        TableColumn<Recommendation, String> summary = column("Summary", r -> Secrets.maskText(r.summary()), 520);
        items.getColumns().add(summary);
        items.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableCopy.install(items);
        items.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> showDetails(b));

        details.setId("rec-details");
        details.setPadding(new Insets(10));
        ScrollPane scroll = new ScrollPane(details);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("edge-to-edge");
        SplitPane split = new SplitPane(items, scroll);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.45);
        itemsTab.setContent(split);
    }

    private void showDetails(Recommendation r) {
        details.getChildren().clear();
        if (r == null) {
            Label none = new Label("Select a recommendation to see its evidence.");
            none.getStyleClass().add(Styles.MUTED);
            details.getChildren().add(none);
            return;
        }
        Label title = new Label(Secrets.maskText(r.summary()));
        title.setId("rec-detail-summary");
        title.getStyleClass().add(Styles.TITLE);
        title.setWrapText(true);
        Label scope = new Label(r.severity().label() + " · " + r.kind().id() + " · " + Secrets.maskText(r.subject()));
        scope.getStyleClass().add(Styles.MUTED);
        Label explanation = new Label(Secrets.maskText(r.explanation()));
        explanation.setId("rec-detail-explanation");
        explanation.setWrapText(true);
        details.getChildren().addAll(title, scope, explanation);
        if (!r.evidence().isEmpty()) {
            GridPane facts = new GridPane();
            facts.setId("rec-detail-evidence");
            facts.setHgap(14);
            facts.setVgap(3);
            int row = 0;
            for (Recommendation.Fact f : r.evidence()) {
                Label name = new Label(f.name());
                name.getStyleClass().add("tb-rec-evidence-name");
                name.setMinWidth(Region.USE_PREF_SIZE);
                Label value = new Label(Secrets.maskAttribute(f.name(), f.value()));
                value.setWrapText(true);
                facts.addRow(row++, name, value);
            }
            details.getChildren().addAll(section("Evidence"), facts);
        }
        if (!r.exemplars().isEmpty()) {
            FlowPane traces = new FlowPane(6, 4);
            traces.setId("rec-detail-exemplars");
            for (Finding.Exemplar x : r.exemplars()) {
                Hyperlink link = new Hyperlink(x.traceId().hex());
                link.getStyleClass().addAll(Styles.MONO, "tb-exemplar");
                link.setTooltip(new Tooltip("Open trace " + x.traceId().hex()));
                link.setOnAction(e -> navigator.openTrace(x.traceId(), x.spanId()));
                traces.getChildren().add(link);
            }
            details.getChildren().addAll(section("Example traces"), traces);
        }
    }

    private static Label section(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("tb-section-title");
        l.setPadding(new Insets(6, 0, 0, 0));
        return l;
    }

    static String severityColor(Severity s) {
        return switch (s) {
            case CRITICAL -> "#c62828";
            case WARNING -> "#ef6c00";
            case NOTICE -> "#b28704";
            case INFO -> "#1565c0";
        };
    }

    // ------------------------------------------------------------------ traffic weights

    private static List<ModelWeight> sortedWeights(List<ModelWeight> w) {
        List<ModelWeight> out = new ArrayList<>(w);
        out.sort(Comparator.comparing(ModelWeight::group).thenComparing(ModelWeight::weight,
                Comparator.reverseOrder()));
        return out;
    }

    private void buildWeights() {
        weights.setId("rec-weights");
        weights.setPlaceholder(new Label("No model traffic: the weights need spans of LLM calls naming their model."));
        weights.getColumns().add(column("Group", ModelWeight::group, 150));
        weights.getColumns().add(column("Model", ModelWeight::model, 210));
        weights.getColumns().add(number("Requests", w -> Format.count(w.requests()), 80));
        weights.getColumns().add(number("Error rate", w -> percent(w.errorRate()), 80));
        weights.getColumns().add(number("p95", w -> Format.duration(w.p95Ns()), 80));
        weights.getColumns().add(number("Pass rate", w -> Double.isNaN(w.passRate()) ? "—" : percent(w.passRate()),
                80));
        weights.getColumns().add(bar("Current share", ModelWeight::currentShare, "#90a4ae"));
        weights.getColumns().add(bar("Recommended weight", ModelWeight::weight, "#2f6690"));
        TableColumn<ModelWeight, ModelWeight> change = new TableColumn<>("Change");
        change.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(d.getValue()));
        change.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(ModelWeight w, boolean isEmpty) {
                super.updateItem(w, isEmpty);
                getStyleClass().removeAll("tb-weight-up", "tb-weight-down");
                if (isEmpty || w == null) {
                    setText(null);
                    return;
                }
                double d = (w.weight() - w.currentShare()) * 100;
                setText(Math.abs(d) < 0.05 ? "=" : String.format(Locale.ROOT, "%+.1f pts", d));
                if (Math.abs(d) >= 0.05) {
                    getStyleClass().add(d > 0 ? "tb-weight-up" : "tb-weight-down");
                }
            }
        });
        change.setPrefWidth(80);
        change.setSortable(false);
        weights.getColumns().add(change);
        TableCopy.install(weights);
        Label note = new Label("Weights of one group sum to 100%: the router's model name, served by the models "
                + "listed. Traffic shifts away from a model with more errors, a slower p95 or a lower pass rate.");
        note.getStyleClass().add(Styles.MUTED);
        note.setWrapText(true);
        VBox box = new VBox(6, note, weights);
        box.setPadding(new Insets(8));
        VBox.setVgrow(weights, Priority.ALWAYS);
        weightsTab.setContent(box);
    }

    /** A share 0..1 as a bar and a percentage. */
    private static TableColumn<ModelWeight, Double> bar(String title, Function<ModelWeight, Double> value,
            String color) {
        TableColumn<ModelWeight, Double> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(value.apply(d.getValue())));
        c.setCellFactory(col -> new TableCell<>() {
            private final Region fill = new Region();
            private final StackPane track = new StackPane(fill);
            private final Label text = new Label();
            private final HBox box = new HBox(6, track, text);

            {
                fill.getStyleClass().add("tb-share-bar");
                fill.setStyle("-fx-background-color: " + color + ";");
                track.getStyleClass().add("tb-share-track");
                track.setAlignment(Pos.CENTER_LEFT);
                track.setPrefSize(90, 10);
                track.setMinWidth(90);
                track.setMaxHeight(10);
                text.setMinWidth(48);
                text.setAlignment(Pos.CENTER_RIGHT);
                box.setAlignment(Pos.CENTER_LEFT);
            }

            @Override
            protected void updateItem(Double v, boolean isEmpty) {
                super.updateItem(v, isEmpty);
                setText(null);
                if (isEmpty || v == null) {
                    setGraphic(null);
                    return;
                }
                double w = Math.max(v > 0 ? 1 : 0, 90 * Math.min(1, Math.max(0, v)));
                fill.setPrefWidth(w);
                fill.setMaxWidth(w);
                text.setText(percent(v));
                setGraphic(box);
            }
        });
        c.setPrefWidth(160);
        return c;
    }

    // ------------------------------------------------------------------ tracing overhead

    private void buildOverhead() {
        overhead.setId("rec-overhead");
        overhead.setPlaceholder(new Label("No spans in the window."));
        overhead.getColumns().add(column("Service", TracingOverhead.Row::service, 140));
        overhead.getColumns().add(column("Stage", TracingOverhead.Row::stage, 90));
        overhead.getColumns().add(column("Operation", r -> Format.spanName(r.operation()), 220));
        overhead.getColumns().add(number("Spans", r -> Format.count(r.spans()), 80));
        overhead.getColumns().add(number("Bytes", r -> Format.bytes(r.bytes()), 80));
        overhead.getColumns().add(number("Attribute bytes", r -> Format.bytes(r.attributeBytes()), 100));
        overhead.getColumns().add(column("Sampling candidate", r -> r.samplingCandidate() ? "yes" : "—", 120));
        overhead.getColumns().add(column("Reason", TracingOverhead.Row::reason, 320));
        overhead.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableCopy.install(overhead);
        overheadTotals.setId("rec-overhead-totals");
        overheadTotals.setWrapText(true);
        VBox box = new VBox(6, overheadTotals, overhead);
        box.setPadding(new Insets(8));
        VBox.setVgrow(overhead, Priority.ALWAYS);
        overheadTab.setContent(box);
    }

    /** "Total: 12,000 spans · 4.5 MiB (attributes 2.1 MiB). Sampling candidates: 3,000 spans · 1.2 MiB (…)". */
    static String totals(TracingOverhead o) {
        long candSpans = 0;
        long candBytes = 0;
        long attrBytes = 0;
        for (TracingOverhead.Row r : o.rows()) {
            attrBytes += r.attributeBytes();
            if (r.samplingCandidate()) {
                candSpans += r.spans();
                candBytes += r.bytes();
            }
        }
        return "Total: " + Format.count(o.spans()) + " spans · " + Format.bytes(o.bytes()) + " (attributes "
                + Format.bytes(attrBytes) + "). Sampling candidates: " + Format.count(candSpans) + " spans · "
                + Format.bytes(candBytes) + (o.bytes() == 0 ? "" : " (" + percent((double) candBytes / o.bytes())
                + " of the bytes)") + ".";
    }

    // ------------------------------------------------------------------ actions

    private void copyRouterConfig() {
        Recommendations r = vm.resultProperty().get();
        Function<Recommendations, String> writer = vm.routerConfigProperty().get();
        if (r != null && writer != null) {
            TableExport.copy(writer.apply(r));
        }
    }

    private void exportCsv() {
        Recommendations r = vm.resultProperty().get();
        if (r == null) {
            return;
        }
        Tab t = tabs.getSelectionModel().getSelectedItem();
        if (t == weightsTab) {
            TableExport.saveCsv(this, "traffic-weights.csv", () -> weightsTable(r.weights()), tasks);
        } else if (t == overheadTab) {
            TableExport.saveCsv(this, "tracing-overhead.csv", () -> overheadTable(r.overhead()), tasks);
        } else {
            TableExport.saveCsv(this, "recommendations.csv", () -> itemsTable(r.items()), tasks);
        }
    }

    static Table itemsTable(List<Recommendation> items) {
        List<List<Object>> rows = new ArrayList<>();
        for (Recommendation r : items) {
            rows.add(java.util.Arrays.asList(r.severity().label(), r.kind().id(), Secrets.maskText(r.subject()),
                    Secrets.maskText(r.summary()), Secrets.maskText(r.explanation())));
        }
        return new Table(List.of("severity", "kind", "subject", "summary", "explanation"), rows);
    }

    static Table weightsTable(List<ModelWeight> weights) {
        List<List<Object>> rows = new ArrayList<>();
        for (ModelWeight w : sortedWeights(weights)) {
            rows.add(java.util.Arrays.asList(w.group(), w.model(), w.requests(), w.errorRate(), w.p95Ns(),
                    w.passRate(), w.currentShare(), w.weight()));
        }
        return new Table(List.of("group", "model", "requests", "error_rate", "p95_ns", "pass_rate", "current_share",
                "weight"), rows);
    }

    static Table overheadTable(TracingOverhead o) {
        List<List<Object>> rows = new ArrayList<>();
        for (TracingOverhead.Row r : o == null ? List.<TracingOverhead.Row>of() : o.rows()) {
            rows.add(java.util.Arrays.asList(r.service(), r.stage(), r.operation(), r.spans(), r.bytes(),
                    r.attributeBytes(), r.samplingCandidate(), r.reason()));
        }
        return new Table(List.of("service", "stage", "operation", "spans", "bytes", "attribute_bytes",
                "sampling_candidate", "reason"), rows);
    }

    // ------------------------------------------------------------------ helpers

    private static String percent(double v) {
        return String.format(Locale.ROOT, v > 0 && v < 0.001 ? "<0.1%%" : "%.1f%%", v * 100);
    }

    private static <S> TableColumn<S, String> column(String title, Function<S, String> value, double width) {
        TableColumn<S, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(value.apply(d.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    private static <S> TableColumn<S, String> number(String title, Function<S, String> value, double width) {
        TableColumn<S, String> c = column(title, value, width);
        c.setStyle("-fx-alignment: CENTER-RIGHT;");
        // sorting the text would put "9" after "10": these columns follow the service's order
        c.setSortable(false);
        return c;
    }

    Node emptyState() {
        return empty;
    }
}
