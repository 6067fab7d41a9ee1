package dev.tracebench.views.analysis;

import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Dimension;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Navigator;
import dev.tracebench.views.common.Styles;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
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
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.collections.ObservableList;
import org.controlsfx.control.CheckComboBox;
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
 * SQL filter, or a rectangle brushed on the heatmap) with the number of requests in it, a grouping and the services
 * and models to look at, and three tabs: the breakdown (stage table and charts, all of the same cohort; the charts
 * of the group picked in the table), the findings of Explain, and the workspace-wide checks. Clicking an example
 * trace opens it; "Show traces" lists the charted requests in the Traces area (through the {@link Navigator}).
 *
 * <p>Keyboard: Tab reaches every picker in reading order (the cohort toggles also by the arrow keys, Space picks
 * one); Enter in the filter or the threshold runs it; Escape forgets a heatmap selection. (No Alt mnemonics: with
 * the window's menu bar, JavaFX would open the menu bar on the Alt release after a mnemonic.)
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
    private final Label exportStatus = new Label();
    private final Exports exports;
    private final Button showTraces = new Button("Show traces");
    private final Button addToDataset = new Button("Add to dataset…");
    private final MenuItem showRegionTraces = new MenuItem("Show traces in the selection");
    private Navigator navigator;
    private boolean syncing;
    private Button explainButton;

    public LatencyView(LatencyViewModel vm, FindingsViewModel findings, Consumer<TraceId> onOpenTrace) {
        this.vm = vm;
        this.findings = findings;
        setId("latency-view");
        exports = new Exports(vm.background(), exportStatus::setText);
        breakdown = new BreakdownPane(vm, exports);
        // a finding's example opens on its span, through the main window once it is the navigator
        ObjLongConsumer<TraceId> openSpan = (id, spanId) -> {
            if (navigator != null) {
                navigator.openTrace(id, spanId);
            } else {
                onOpenTrace.accept(id);
            }
        };
        findingsView = new FindingsView(findings, () -> vm.cohortProperty().get(), openSpan, null);
        checksView = new ChecksView(findings, openSpan, null);

        setTop(new VBox(cohortBar(), groupBar(), banner()));
        SplitPane chartSplit = new SplitPane(heatmap, timeline, histogram);
        chartSplit.setOrientation(Orientation.VERTICAL);
        chartSplit.setDividerPositions(0.36, 0.68);
        VBox charts = new VBox(chartGroupBar(), chartSplit);
        VBox.setVgrow(chartSplit, Priority.ALWAYS);
        SplitPane main = new SplitPane(breakdown, charts);
        // the table's number columns have fixed widths: the rest is room for the operation names, which need it more
        // than the charts do (at 1280 px and 0.56 they were cut to "retrie…rchive")
        main.setDividerPositions(0.6);
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
        addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && vm.regionProperty().get() != null) {
                vm.clearRegion();
                e.consume();
            }
        });
        vm.start();
    }

    /**
     * Where "Show traces" sends the charted requests, and the shell's way to open a trace (null: no such button).
     */
    public void setNavigator(Navigator navigator) {
        this.navigator = navigator;
        showTraces.setVisible(navigator != null);
        showRegionTraces.setVisible(navigator != null);
        findingsView.list().setOnShowTraces(navigator == null ? null : navigator::showTraces);
        checksView.list().setOnShowTraces(navigator == null ? null : navigator::showTraces);
        findingsView.list().setOnAddToDataset(navigator == null ? null : navigator::addToDataset);
        checksView.list().setOnAddToDataset(navigator == null ? null : navigator::addToDataset);
        addToDataset.setVisible(navigator != null);
    }

    /** Lists the requests the charts show (the cohort, or the picked group of it) in the Traces area. */
    public void showChartedTraces() {
        if (navigator != null) {
            Cohort c = vm.chartCohortProperty().get();
            navigator.showTraces(c, describe(c));
        }
    }

    /** What a cohort is, in words for a chip or a title: a heatmap selection says where it is. */
    static String describe(Cohort c) {
        return c.kind() == Cohort.Kind.REGION ? "requests " + regionText(c).toLowerCase(Locale.ROOT)
                + c.narrowingLabel() : c.label();
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

    Exports exports() {
        return exports;
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

    /**
     * Makes {@code cohort} (written as on the command line, e.g. {@code eval:groundedness=hallucinated}) the filter
     * cohort and explains it: "why are these answers bad?" asked from the Quality area.
     */
    public void explain(String cohort) {
        vm.filterProperty().set(cohort);
        if (vm.kindProperty().get() == Cohort.Kind.FILTER) {
            vm.apply();
        } else {
            vm.kindProperty().set(Cohort.Kind.FILTER); // applies it
        }
        if (vm.inputProblemProperty().get().isEmpty()) {
            tabs.getSelectionModel().select(findingsTab);
            findingsView.explain();
        }
    }

    /** Shows one of the tabs: 0 breakdown, 1 findings, 2 checks. */
    public void showTab(int i) {
        tabs.getSelectionModel().select(i);
    }

    /**
     * Runs every query again: the header's counts, the breakdown, all three charts, the pickers and (if they were
     * run) the checks. The shell calls it when the workspace changed (an import); Refresh and F5 call it too.
     */
    public void refresh() {
        vm.refresh();
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
        slower.setOnAction(e -> threshold.requestFocus());
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

        ToggleButton failed = cohortToggle("Failed", Cohort.Kind.FAILED, "cohort-failed",
                "Failed requests: the request itself (its root span) failed");
        ToggleButton errors = cohortToggle("With errors", Cohort.Kind.ERRORS, "cohort-errors",
                "Traces with an error: at least one failed span, wherever in the request (retried calls, fallbacks "
                        + "and failed requests alike)");
        ToggleButton filterButton = cohortToggle("Filter", Cohort.Kind.FILTER, "cohort-filter-button",
                "Requests matching a SQL condition over the trace facts (Enter in the field runs it)");
        filterButton.setOnAction(e -> filter.requestFocus());
        filter.setId("cohort-filter");
        filter.setPromptText("e.g. tenant = 'acme' AND duration_ns > 2e9");
        filter.setPrefColumnCount(18);
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
            filterTip.setText("A SQL condition over one row per trace, e.g.\n  tenant = 'acme' AND duration_ns > 2e9"
                    + "\nColumns:\n  " + String.join("\n  ", vm.filterColumns()));
        });

        ToggleButton region = cohortToggle("Heatmap selection", Cohort.Kind.REGION, "cohort-region",
                "Requests in the rectangle dragged on the heatmap");
        region.disableProperty().bind(vm.regionProperty().isNull());
        Button clearRegion = new Button("✕");
        clearRegion.setId("cohort-region-clear");
        clearRegion.getStyleClass().add("tb-small-button");
        clearRegion.setTooltip(new Tooltip("Forget the heatmap selection (Escape)"));
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
        for (javafx.scene.Node n : List.of(lead, all, slow, pct, slower, failed, errors, filterButton, columns,
                clearRegion, count)) {
            ((Region) n).setMinWidth(Region.USE_PREF_SIZE);
        }
        region.setMinWidth(80); // its text (the selection) gives way to the count
        threshold.setMinWidth(56);
        filter.setMinWidth(110);
        explainButton = explain;
        HBox bar = new HBox(6, lead, all, slowBox, slowerBox, failed, errors, filterBox, regionBox, busy, count);
        // on a narrow window the bar's right end is cut off; its minimum must not widen the whole scene (a root
        // wider than the window is centred, cutting off the menus and the navigation on the left)
        bar.setMinWidth(0);
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
        if (total > 0 && !vm.cohortProperty().get().isEverything()) {
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
        ComboBox<Dimension> dim = new ComboBox<>();
        lead.setLabelFor(dim);
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
        // only a heatmap selection needs words here (its time and duration range); the other cohorts show in the
        // toggles above, and at 1280 px the label was cut to "Sh…"
        cohortLabel.visibleProperty().bind(Bindings.createBooleanBinding(() -> vm.cohortProperty().get().kind()
                == Cohort.Kind.REGION, vm.cohortProperty()));
        cohortLabel.managedProperty().bind(cohortLabel.visibleProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button refresh = new Button("Refresh");
        refresh.setId("latency-refresh");
        refresh.setTooltip(new Tooltip("Run the queries again (F5)"));
        refresh.setOnAction(e -> refresh());
        showTraces.setId("show-traces");
        showTraces.setTooltip(new Tooltip("List the requests the charts show in the Traces area"));
        showTraces.setOnAction(e -> showChartedTraces());
        showTraces.managedProperty().bind(showTraces.visibleProperty());
        showTraces.setVisible(false);
        addToDataset.setId("latency-add-to-dataset");
        addToDataset.setTooltip(new Tooltip("Review the answers of the requests the charts show and add some to a "
                + "dataset"));
        addToDataset.setOnAction(e -> {
            if (navigator != null) {
                Cohort c = vm.chartCohortProperty().get();
                navigator.addToDataset(c, describe(c));
            }
        });
        addToDataset.managedProperty().bind(addToDataset.visibleProperty());
        addToDataset.setVisible(false);
        addToDataset.setMinWidth(Region.USE_PREF_SIZE);
        exportStatus.setId("latency-export-status");
        exportStatus.getStyleClass().add(Styles.MUTED);
        exportStatus.setMinWidth(0);
        Label servicesLead = new Label("Services:");
        Label modelsLead = new Label("Models:");
        cohortLabel.setMinWidth(0);
        explainButton.setMinWidth(Region.USE_PREF_SIZE);
        refresh.setMinWidth(Region.USE_PREF_SIZE);
        showTraces.setMinWidth(Region.USE_PREF_SIZE);
        HBox bar = new HBox(8, lead, dim, key, servicesLead, multiPicker("services", "All services", "service",
                vm.services(), vm.chosenServices(), servicesLead), modelsLead, multiPicker("models", "All models",
                "model", vm.models(), vm.chosenModels(), modelsLead), new Separator(Orientation.VERTICAL),
                cohortLabel, spacer, exportStatus, showTraces, addToDataset, explainButton, refresh);
        for (Label l : List.of(lead, servicesLead, modelsLead)) {
            l.getStyleClass().add(Styles.MUTED);
            l.setMinWidth(Region.USE_PREF_SIZE);
        }
        dim.setMinWidth(Region.USE_PREF_SIZE);
        bar.setMinWidth(0); // as the cohort bar
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(2, 8, 6, 8));
        bar.getStyleClass().add(Styles.FILTER_BAR);
        return bar;
    }

    /**
     * A multi-select picker of values (services, models): none checked means all of them; its title says what is
     * checked. The view model's chosen list and the checks stay in step both ways.
     */
    private CheckComboBox<String> multiPicker(String id, String none, String what, ObservableList<String> values,
            ObservableList<String> chosen, Label lead) {
        CheckComboBox<String> box = new CheckComboBox<>(values);
        box.setId("pick-" + id);
        box.setTooltip(new Tooltip("Look only at the requests of the " + what + "s checked here (none checked: "
                + "all); Space checks, Escape closes"));
        lead.setLabelFor(box);
        boolean[] updating = {false};
        Runnable title = () -> box.setTitle(chosen.isEmpty() ? none : chosen.size() == 1 ? chosen.get(0)
                : chosen.size() + " " + what + "s");
        Runnable fromModel = () -> {
            updating[0] = true;
            try {
                box.getCheckModel().clearChecks();
                for (String v : chosen) {
                    box.getCheckModel().check(v);
                }
            } finally {
                updating[0] = false;
            }
            title.run();
        };
        box.getCheckModel().getCheckedItems().addListener((ListChangeListener<String>) c -> {
            if (!updating[0]) {
                chosen.setAll(List.copyOf(box.getCheckModel().getCheckedItems()));
                title.run();
            }
        });
        values.addListener((ListChangeListener<String>) c -> fromModel.run()); // new items lose their checks
        chosen.addListener((ListChangeListener<String>) c -> {
            if (!updating[0] && !chosen.equals(box.getCheckModel().getCheckedItems())) {
                fromModel.run();
            }
        });
        title.run();
        box.setPrefWidth(140);
        box.setMinWidth(Region.USE_PREF_SIZE);
        return box;
    }

    /** Above the charts, while a group is picked: which group they show, and a way back to the whole cohort. */
    private HBox chartGroupBar() {
        Label text = new Label();
        text.setId("chart-group");
        text.getStyleClass().add("tb-chart-group");
        text.setMinWidth(0);
        Button all = new Button("Whole cohort");
        all.setId("chart-group-clear");
        all.getStyleClass().add("tb-small-button");
        all.setTooltip(new Tooltip("Show the whole cohort in the charts again"));
        all.setMinWidth(Region.USE_PREF_SIZE);
        all.setOnAction(e -> {
            Breakdown b = vm.breakdownProperty().get();
            if (b != null) {
                vm.groupProperty().set(b.overall());
            }
        });
        HBox bar = new HBox(8, text, all);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 8, 4, 8));
        bar.getStyleClass().add(Styles.FILTER_BAR);
        Runnable update = () -> {
            String g = vm.chartGroupLabel();
            text.setText(g == null ? "" : "Charts of group: " + Charts.visible(g));
            bar.setVisible(g != null);
        };
        bar.managedProperty().bind(bar.visibleProperty());
        vm.chartCohortProperty().addListener((o, a, c) -> update.run());
        update.run();
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
        showRegionTraces.setVisible(false);
        showRegionTraces.setOnAction(e -> showChartedTraces());
        MenuItem clear = new MenuItem("Forget the selection");
        clear.setOnAction(e -> vm.clearRegion());
        for (MenuItem i : List.of(showRegionTraces, clear)) {
            i.disableProperty().bind(vm.regionProperty().isNull().or(vm.kindProperty().isNotEqualTo(
                    Cohort.Kind.REGION)));
        }
        exports.install(heatmap, "latency-heatmap", showRegionTraces, clear);
        exports.install(timeline, "latency-timeline");
        exports.install(histogram, "latency-histogram");
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
