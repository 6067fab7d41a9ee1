package dev.tracebench.views.analysis;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Dimension;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Styles;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.ObjLongConsumer;
import javafx.animation.PauseTransition;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import javafx.util.StringConverter;

/**
 * The Latency area: a cohort bar (all requests, the slowest per operation, slower than a duration, failed ones, a
 * SQL filter, or a rectangle brushed on the heatmap) with the number of requests in it, a grouping, and three tabs:
 * the breakdown (stage table and charts, all of the same cohort), the findings of Explain, and the workspace-wide
 * checks. Clicking an example trace opens it.
 */
public final class LatencyView extends BorderPane {
    private final LatencyViewModel vm;
    private final FindingsViewModel findings;
    private final ToggleGroup cohortGroup = new ToggleGroup();
    private final TabPane tabs = new TabPane();
    private final Tab breakdownTab = new Tab("Breakdown");
    private final Tab findingsTab = new Tab("Findings");
    private final Tab checksTab = new Tab("Checks");
    private final BreakdownPane breakdown;
    private final TimelineChart timeline = new TimelineChart();
    private final HeatmapChart heatmap = new HeatmapChart();
    private final HistogramChart histogram = new HistogramChart();
    private final FindingsView findingsView;
    private final ChecksView checksView;
    private final TextField threshold = new TextField();
    private final TextField filter = new TextField();
    private boolean syncing;
    private Button explainButton;

    /**
     * @param onOpenTrace  opens a trace on a span (0: the trace as a whole)
     * @param onShowTraces lists the traces of a cohort, with a label (null: findings offer no "Show these traces")
     */
    public LatencyView(LatencyViewModel vm, FindingsViewModel findings, ObjLongConsumer<TraceId> onOpenTrace,
            BiConsumer<Cohort, String> onShowTraces) {
        this.vm = vm;
        this.findings = findings;
        setId("latency-view");
        breakdown = new BreakdownPane(vm);
        findingsView = new FindingsView(findings, () -> vm.cohortProperty().get(), onOpenTrace, onShowTraces);
        checksView = new ChecksView(findings, onOpenTrace, onShowTraces);

        setTop(new VBox(cohortBar(), groupBar(), banner()));
        SplitPane charts = new SplitPane(heatmap, timeline, histogram);
        charts.setOrientation(Orientation.VERTICAL);
        charts.setDividerPositions(0.36, 0.68);
        SplitPane main = new SplitPane(breakdown, charts);
        main.setDividerPositions(0.53);
        SplitPane.setResizableWithParent(breakdown, false);
        breakdownTab.setContent(main);
        breakdownTab.setId("tab-breakdown");
        findingsTab.setContent(findingsView);
        findingsTab.setId("tab-findings");
        checksTab.setContent(checksView);
        checksTab.setId("tab-checks");
        tabs.getTabs().setAll(List.of(breakdownTab, findingsTab, checksTab));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("latency-tabs");
        tabs.getSelectionModel().selectedItemProperty().addListener((o, a, t) -> {
            if (t == checksTab && !findings.checksLoadedProperty().get() && !findings.checkingProperty().get()) {
                findings.runChecks();
            }
        });
        findingsTab.textProperty().bind(Bindings.createStringBinding(() -> findings.explainingProperty().get()
                ? "Findings (running…)" : findings.findings().isEmpty() ? "Findings" : "Findings ("
                + findings.findings().size() + ")", findings.explainingProperty(), findings.findings()));
        checksTab.textProperty().bind(Bindings.createStringBinding(() -> findings.checks().isEmpty() ? "Checks"
                : "Checks (" + findings.checks().size() + ")", findings.checks()));
        setCenter(tabs);

        wireCharts();
        vm.start();
    }

    public LatencyViewModel viewModel() {
        return vm;
    }

    public FindingsViewModel findingsViewModel() {
        return findings;
    }

    TimelineChart timelineChart() {
        return timeline;
    }

    HeatmapChart heatmapChart() {
        return heatmap;
    }

    HistogramChart histogramChart() {
        return histogram;
    }

    BreakdownPane breakdownPane() {
        return breakdown;
    }

    FindingList findingList() {
        return findingsView.list();
    }

    /** Shows the findings tab and explains the current cohort. */
    public void explain() {
        if (vm.kindProperty().get() == Cohort.Kind.ALL) {
            // "why are all requests slow?" has no answer: the slow ones (≥ the chosen percentile) are meant
            vm.kindProperty().set(Cohort.Kind.SLOW_PERCENTILE);
        }
        tabs.getSelectionModel().select(findingsTab);
        findingsView.explain();
    }

    /** Shows one of the tabs: 0 breakdown, 1 findings, 2 checks. */
    public void showTab(int i) {
        tabs.getSelectionModel().select(i);
    }

    /** Runs every query again (after an import, or F5). */
    public void refresh() {
        vm.reload();
        if (findings.checksLoadedProperty().get()) {
            findings.runChecks();
        }
    }

    // ------------------------------------------------------------------ cohort bar

    private HBox cohortBar() {
        ToggleButton all = cohortToggle("All", Cohort.Kind.ALL, "cohort-all", "Every request of the workspace");
        ToggleButton slow = cohortToggle("Slow ≥", Cohort.Kind.SLOW_PERCENTILE, "cohort-slow",
                "Requests at or above a percentile of the duration of their own root operation (an agent is "
                + "compared with agents, a chat with chats)");
        ChoiceBox<Double> pct = new ChoiceBox<>();
        pct.setId("cohort-percentile");
        pct.getItems().setAll(LatencyViewModel.PERCENTILES);
        pct.setConverter(new StringConverter<>() {
            @Override
            public String toString(Double d) {
                return d == null ? "" : "p" + (d == Math.rint(d) ? Long.toString(Math.round(d)) : d.toString());
            }

            @Override
            public Double fromString(String s) {
                return Double.valueOf(s.replace("p", ""));
            }
        });
        pct.setValue(vm.percentileProperty().get());
        pct.valueProperty().addListener((o, a, b) -> {
            if (b != null && !syncing) {
                vm.percentileProperty().set(b);
                vm.kindProperty().set(Cohort.Kind.SLOW_PERCENTILE);
            }
        });
        vm.percentileProperty().addListener((o, a, b) -> pct.setValue(b.doubleValue()));

        ToggleButton slower = cohortToggle("Slower than", Cohort.Kind.SLOW_THRESHOLD, "cohort-slower",
                "Requests lasting at least the duration typed next to it");
        threshold.setId("cohort-threshold");
        threshold.setPrefColumnCount(5);
        threshold.setPromptText("2s");
        threshold.setTooltip(new Tooltip("A duration: 250ms, 1.5s, 2m (a bare number is ms). Enter applies it."));
        threshold.textProperty().bindBidirectional(vm.thresholdProperty());
        PauseTransition typing = new PauseTransition(Duration.millis(600));
        typing.setOnFinished(e -> {
            if (vm.kindProperty().get() == Cohort.Kind.SLOW_THRESHOLD) {
                vm.apply();
            }
        });
        threshold.textProperty().addListener((o, a, b) -> typing.playFromStart());
        threshold.setOnAction(e -> {
            typing.stop();
            choose(Cohort.Kind.SLOW_THRESHOLD);
        });

        ToggleButton errors = cohortToggle("Errors", Cohort.Kind.ERRORS, "cohort-errors",
                "Requests with at least one failed span");
        ToggleButton filterButton = cohortToggle("Filter", Cohort.Kind.FILTER, "cohort-filter-button",
                "Requests matching a SQL condition over the trace facts");
        filter.setId("cohort-filter");
        filter.setPromptText("e.g. tenant = 'acme' AND duration_ms > 2000");
        filter.setPrefColumnCount(24);
        filter.textProperty().bindBidirectional(vm.filterProperty());
        filter.setOnAction(e -> choose(Cohort.Kind.FILTER));
        Tooltip filterTip = new Tooltip();
        filterTip.setShowDuration(Duration.seconds(30));
        filter.setTooltip(filterTip);
        MenuButton columns = new MenuButton("Columns");
        columns.setId("cohort-filter-columns");
        columns.setTooltip(new Tooltip("Insert a column name into the filter"));
        vm.filterColumns().addListener((ListChangeListener<String>) c -> {
            columns.getItems().clear();
            for (String col : vm.filterColumns()) {
                String name = col.contains(" ") ? col.substring(0, col.indexOf(' ')) : col;
                MenuItem i = new MenuItem(col);
                i.setMnemonicParsing(false);
                i.setOnAction(e -> {
                    int caret = filter.getCaretPosition();
                    filter.insertText(caret, name);
                    filter.requestFocus();
                    filter.positionCaret(caret + name.length());
                });
                columns.getItems().add(i);
            }
            filterTip.setText("A SQL condition over one row per trace, e.g.\n  tenant = 'acme' AND duration_ms > 2000"
                    + "\nColumns:\n  " + String.join("\n  ", vm.filterColumns()));
        });

        ToggleButton region = cohortToggle("Heatmap selection", Cohort.Kind.REGION, "cohort-region",
                "Requests in the rectangle dragged on the heatmap");
        region.disableProperty().bind(vm.regionProperty().isNull());
        Button clearRegion = new Button("✕");
        clearRegion.setId("cohort-region-clear");
        clearRegion.getStyleClass().add("tb-small-button");
        clearRegion.setTooltip(new Tooltip("Forget the heatmap selection"));
        clearRegion.visibleProperty().bind(vm.regionProperty().isNotNull());
        clearRegion.managedProperty().bind(clearRegion.visibleProperty());
        clearRegion.setOnAction(e -> vm.clearRegion());
        vm.regionProperty().addListener((o, a, r) -> region.setTooltip(new Tooltip(r == null
                ? "Drag a rectangle on the heatmap to select requests" : regionText(r))));

        Label count = new Label();
        count.setId("cohort-count");
        count.getStyleClass().add("tb-cohort-count");
        count.textProperty().bind(Bindings.createStringBinding(this::countText, vm.countProperty(),
                vm.totalProperty(), vm.cohortProperty(), vm.problemProperty()));
        ProgressIndicator busy = new ProgressIndicator();
        busy.setId("latency-busy");
        busy.setPrefSize(18, 18);
        busy.setMaxSize(18, 18);
        busy.visibleProperty().bind(vm.loadingProperty());

        Button explain = new Button(FindingsView.ASK);
        explain.setId("explain-button");
        explain.getStyleClass().add("tb-primary");
        explain.setTooltip(new Tooltip("Explain: what sets the cohort's requests apart from the others"));
        explain.setOnAction(e -> explain());
        explain.disableProperty().bind(findings.explainingProperty());

        HBox slowBox = joined(slow, pct);
        HBox slowerBox = joined(slower, threshold);
        HBox filterBox = joined(filterButton, filter, columns);
        HBox.setHgrow(filterBox, Priority.ALWAYS);
        HBox.setHgrow(filter, Priority.ALWAYS);
        HBox regionBox = joined(region, clearRegion);
        Label lead = new Label("Cohort:");
        lead.getStyleClass().add(Styles.MUTED);
        for (javafx.scene.Node n : List.of(lead, all, slow, pct, slower, errors, filterButton, columns, region,
                clearRegion, count)) {
            ((Region) n).setMinWidth(Region.USE_PREF_SIZE);
        }
        threshold.setMinWidth(56);
        filter.setMinWidth(140);
        explainButton = explain;
        HBox bar = new HBox(6, lead, all, slowBox, slowerBox, errors, filterBox, regionBox, busy, count);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 8, 4, 8));
        bar.getStyleClass().add(Styles.FILTER_BAR);

        syncToggle();
        vm.kindProperty().addListener((o, a, b) -> syncToggle());
        cohortGroup.selectedToggleProperty().addListener((o, a, b) -> {
            if (syncing) {
                return;
            }
            if (b == null) {
                syncToggle(); // one cohort is always chosen
                return;
            }
            vm.kindProperty().set((Cohort.Kind) b.getUserData());
        });
        return bar;
    }

    private static HBox joined(javafx.scene.Node... nodes) {
        HBox b = new HBox(2, nodes);
        b.setAlignment(Pos.CENTER_LEFT);
        return b;
    }

    private ToggleButton cohortToggle(String text, Cohort.Kind kind, String id, String tip) {
        ToggleButton b = new ToggleButton(text);
        b.setId(id);
        b.setUserData(kind);
        b.setToggleGroup(cohortGroup);
        b.setTooltip(new Tooltip(tip));
        b.getStyleClass().add("tb-cohort-toggle");
        return b;
    }

    private void choose(Cohort.Kind kind) {
        if (vm.kindProperty().get() == kind) {
            vm.apply();
        } else {
            vm.kindProperty().set(kind);
        }
    }

    private void syncToggle() {
        syncing = true;
        try {
            for (javafx.scene.control.Toggle t : cohortGroup.getToggles()) {
                t.setSelected(t.getUserData() == vm.kindProperty().get());
            }
        } finally {
            syncing = false;
        }
    }

    private String countText() {
        long n = vm.countProperty().get();
        long total = vm.totalProperty().get();
        if (n < 0) {
            return vm.problemProperty().get().isEmpty() ? "counting…" : "no count";
        }
        if (total > 0 && vm.cohortProperty().get().kind() != Cohort.Kind.ALL) {
            return Format.count(n) + " of " + Format.count(total) + " requests (" + String.format(Locale.ROOT,
                    "%.1f%%", 100.0 * n / total) + ")";
        }
        return Format.count(n) + " requests";
    }

    static String regionText(Cohort r) {
        return "Started " + Format.dateTime(r.fromNs()).substring(0, 16) + " – " + Format.dateTime(r.toNs())
                .substring(11, 16) + ", took " + Format.duration(r.minDurationNs()) + " – "
                + Format.duration(r.maxDurationNs());
    }

    // ------------------------------------------------------------------ group bar and messages

    private HBox groupBar() {
        Label lead = new Label("Group by:");
        lead.getStyleClass().add(Styles.MUTED);
        ComboBox<Dimension> dim = new ComboBox<>();
        dim.setId("group-by");
        dim.getItems().setAll(Dimension.values());
        dim.setConverter(new StringConverter<>() {
            @Override
            public String toString(Dimension d) {
                return d == null ? "" : d == Dimension.NONE ? "nothing (the whole cohort)" : d.label();
            }

            @Override
            public Dimension fromString(String s) {
                return null;
            }
        });
        dim.valueProperty().bindBidirectional(vm.dimensionProperty());
        dim.setTooltip(new Tooltip("Compare groups of the cohort: one row per value, largest first"));
        ComboBox<String> key = new ComboBox<>(vm.attributeKeys());
        key.setId("group-attribute");
        key.setEditable(true);
        key.setPromptText("attribute key");
        key.setPrefWidth(220);
        key.setVisibleRowCount(14);
        key.visibleProperty().bind(vm.dimensionProperty().isEqualTo(Dimension.ATTRIBUTE));
        key.managedProperty().bind(key.visibleProperty());
        key.valueProperty().addListener((o, a, b) -> {
            if (b != null && !b.equals(vm.attributeKeyProperty().get())) {
                vm.attributeKeyProperty().set(b);
                vm.applyGrouping();
            }
        });
        key.getEditor().setOnAction(e -> {
            vm.attributeKeyProperty().set(key.getEditor().getText());
            vm.applyGrouping();
        });
        key.setTooltip(new Tooltip("Any attribute key of any span of the trace (slower than the named dimensions "
                + "on big workspaces)"));

        Label cohortLabel = new Label();
        cohortLabel.setId("cohort-label");
        cohortLabel.getStyleClass().add(Styles.MUTED);
        cohortLabel.textProperty().bind(Bindings.createStringBinding(() -> "Showing " + vm.cohortProperty().get()
                .label() + (vm.cohortProperty().get().kind() == Cohort.Kind.REGION ? " (" + regionText(vm
                .cohortProperty().get()) + ")" : ""), vm.cohortProperty()));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button refresh = new Button("Refresh");
        refresh.setTooltip(new Tooltip("Run the queries again (F5)"));
        refresh.setOnAction(e -> refresh());
        cohortLabel.setMinWidth(0);
        explainButton.setMinWidth(Region.USE_PREF_SIZE);
        refresh.setMinWidth(Region.USE_PREF_SIZE);
        HBox bar = new HBox(8, lead, dim, key, new Separator(Orientation.VERTICAL), cohortLabel, spacer,
                explainButton, refresh);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(2, 8, 6, 8));
        bar.getStyleClass().add(Styles.FILTER_BAR);
        return bar;
    }

    private Label banner() {
        Label l = new Label();
        l.setId("latency-problem");
        l.getStyleClass().add("tb-banner-error");
        l.setWrapText(true);
        l.setMaxWidth(Double.MAX_VALUE);
        l.textProperty().bind(Bindings.createStringBinding(() -> {
            String in = vm.inputProblemProperty().get();
            String p = vm.problemProperty().get();
            return in.isEmpty() ? p : p.isEmpty() ? in : in + "\n" + p;
        }, vm.inputProblemProperty(), vm.problemProperty()));
        l.visibleProperty().bind(l.textProperty().isNotEmpty());
        l.managedProperty().bind(l.visibleProperty());
        return l;
    }

    // ------------------------------------------------------------------ charts

    private void wireCharts() {
        vm.timelineProperty().addListener((o, a, t) -> {
            timeline.show(t);
            chartMessage(timeline, t == null);
        });
        vm.heatmapProperty().addListener((o, a, h) -> {
            heatmap.show(h, h == null ? "" : h.cohort().label());
            chartMessage(heatmap, h == null);
        });
        vm.histogramProperty().addListener((o, a, h) -> {
            histogram.show(h);
            chartMessage(histogram, h == null);
        });
        vm.timelineLoadingProperty().addListener((o, a, l) -> timeline.setLoading(l));
        vm.heatmapLoadingProperty().addListener((o, a, l) -> heatmap.setLoading(l));
        vm.histogramLoadingProperty().addListener((o, a, l) -> histogram.setLoading(l));
        vm.problemProperty().addListener((o, a, p) -> {
            chartMessage(timeline, vm.timelineProperty().get() == null);
            chartMessage(heatmap, vm.heatmapProperty().get() == null);
            chartMessage(histogram, vm.histogramProperty().get() == null);
        });
        vm.cohortProperty().addListener((o, a, c) -> heatmap.showRegion(c.kind() == Cohort.Kind.REGION ? c
                : null));
        heatmap.setRegionListener(vm::brush);
    }

    private void chartMessage(ChartPane chart, boolean missing) {
        chart.canvas().setVisible(true);
        if (!missing) {
            return;
        }
        String p = vm.problemProperty().get();
        chart.setMessage(p.isEmpty() ? "Loading…" : "Not available (see the message above)");
        chart.canvas().setVisible(p.isEmpty());
    }
}
