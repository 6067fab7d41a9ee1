package dev.tracebench.views.quality;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.eval.EvalExample;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.core.eval.MetricSummary;
import dev.tracebench.core.eval.QualityPoint;
import dev.tracebench.core.eval.RunComparison;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.report.Table;
import dev.tracebench.views.analysis.ChartPane;
import dev.tracebench.views.analysis.Charts;
import dev.tracebench.views.analysis.Exports;
import dev.tracebench.views.common.BackgroundTasks;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Navigator;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.common.TableCopy;
import dev.tracebench.views.common.TableExport;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The Quality area: the workspace's eval runs; for the selected run a card per metric (pass rate, mean, score
 * distribution) and its judged examples (failing first) with one example in full beside them; quality over time; and
 * run-vs-run comparison. Examples, regressions and fixes open their trace (Enter or double-click). A metric's label
 * leads to the findings for its traces ("Why are these answers bad?") or to the traces themselves.
 */
public final class QualityView extends BorderPane {
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());

    private final QualityViewModel vm;
    private final Navigator navigator;
    private final BackgroundTasks tasks;
    private final Exports exports;
    private final TableView<EvalRun> runTable = new TableView<>();
    private final HBox cards = new HBox(8);
    private final TableView<EvalExample> exampleTable = new TableView<>();
    private final ExampleDetail detail;
    private final ChartPane timeChart;
    private final XYSeriesCollection timeData = new XYSeriesCollection();
    private final org.jfree.chart.title.TextTitle timeSubtitle;
    private final TableView<RunComparison.MetricDelta> deltaTable = new TableView<>();
    private final TableView<RunComparison.ExampleChange> regressedTable = changeTable("regressed");
    private final TableView<RunComparison.ExampleChange> fixedTable = changeTable("fixed");
    private final TabPane tabs = new TabPane();
    private final StackPane body = new StackPane();
    private final Node emptyState;
    private final Label exportStatus = new Label();
    private final Button runEvaluators = new Button("Run evaluators…");
    private Runnable onImport = () -> { };
    private Runnable onRunEvaluators;

    public QualityView(QualityViewModel vm, Navigator navigator, BackgroundTasks tasks) {
        this.vm = vm;
        this.navigator = navigator;
        this.tasks = tasks;
        setId("quality-view");
        exports = new Exports(vm.background(), exportStatus::setText);
        detail = new ExampleDetail(this::open);
        timeChart = new ChartPane(timeChart());
        timeChart.setId("quality-time-chart");
        Charts.style(timeChart.chart(), "Quality over time");
        timeSubtitle = Charts.subtitle(timeChart.chart());
        exports.install(timeChart, "quality-over-time");
        emptyState = emptyState();

        Tab run = new Tab("Run", runPane());
        run.setId("quality-tab-run");
        Tab time = new Tab("Over time", timePane());
        time.setId("quality-tab-time");
        Tab compare = new Tab("Compare runs", comparePane());
        compare.setId("quality-tab-compare");
        tabs.getTabs().addAll(run, time, compare);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("quality-tabs");
        // the comparison of the two runs chosen by default is there as soon as the tab is
        compare.setOnSelectionChanged(e -> {
            if (compare.isSelected()) {
                vm.compareIfNeeded();
            }
        });
        for (javafx.beans.value.ObservableValue<EvalRun> choice : List.of(vm.compareAProperty(),
                vm.compareBProperty())) {
            choice.addListener((o, a, b) -> {
                if (compare.isSelected()) {
                    vm.compareIfNeeded();
                }
            });
        }

        SplitPane split = new SplitPane(runTablePane(), tabs);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.2);
        SplitPane.setResizableWithParent(split.getItems().get(0), false);
        body.getChildren().addAll(split, emptyState);
        emptyState.visibleProperty().bind(vm.runsLoadedProperty().and(Bindings.isEmpty(vm.runs())));
        split.visibleProperty().bind(emptyState.visibleProperty().not());
        setTop(new VBox(header(), problemBanner()));
        setCenter(body);
    }

    /** What "Import…" in the empty state does (the shell's import dialog). */
    public void setOnImport(Runnable onImport) {
        this.onImport = onImport;
    }

    /** What "Run evaluators…" does (null: the button is hidden, as when no evaluators are wired). */
    public void setOnRunEvaluators(Runnable onRunEvaluators) {
        this.onRunEvaluators = onRunEvaluators;
        runEvaluators.setVisible(onRunEvaluators != null);
    }

    public QualityViewModel viewModel() {
        return vm;
    }

    /** Loads the runs again (the shell calls it when the workspace changed; Refresh and F5 too). */
    public void refresh() {
        vm.load();
    }

    /** Shows one of the tabs: 0 run, 1 over time, 2 compare. */
    public void showTab(int i) {
        tabs.getSelectionModel().select(i);
    }

    TableView<EvalRun> runTable() {
        return runTable;
    }

    TableView<EvalExample> exampleTable() {
        return exampleTable;
    }

    HBox cards() {
        return cards;
    }

    TableView<RunComparison.MetricDelta> deltaTable() {
        return deltaTable;
    }

    TableView<RunComparison.ExampleChange> regressedTable() {
        return regressedTable;
    }

    TableView<RunComparison.ExampleChange> fixedTable() {
        return fixedTable;
    }

    XYSeriesCollection timeData() {
        return timeData;
    }

    // ------------------------------------------------------------------ header

    private HBox header() {
        Label title = new Label("Quality");
        title.getStyleClass().add(Styles.TITLE);
        Label status = new Label();
        status.setId("quality-status");
        status.getStyleClass().add(Styles.MUTED);
        status.textProperty().bind(vm.statusProperty());
        status.setMinWidth(0);
        HBox loading = Styles.busyWithCancel(vm.loadingProperty(), vm::cancel, "quality-cancel");
        exportStatus.getStyleClass().add(Styles.MUTED);
        exportStatus.setMinWidth(0);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        runEvaluators.setId("quality-run-evaluators");
        runEvaluators.setTooltip(new Tooltip("Judge the workspace's traces with the built-in evaluators"));
        runEvaluators.setOnAction(e -> {
            if (onRunEvaluators != null) {
                onRunEvaluators.run();
            }
        });
        runEvaluators.setVisible(false);
        runEvaluators.managedProperty().bind(runEvaluators.visibleProperty());
        Button refresh = new Button("Refresh");
        refresh.setId("quality-refresh");
        refresh.setTooltip(new Tooltip("Load the eval runs again (F5)"));
        refresh.setOnAction(e -> refresh());
        for (Button b : List.of(runEvaluators, refresh)) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox bar = new HBox(10, title, status, loading, spacer, exportStatus, runEvaluators, refresh);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 8, 6, 10));
        bar.getStyleClass().add(Styles.FILTER_BAR);
        return bar;
    }

    private Label problemBanner() {
        return Styles.errorBanner("quality-problem", vm.problemProperty());
    }

    private Node emptyState() {
        Label head = new Label("No eval runs yet");
        head.getStyleClass().add(Styles.TITLE);
        Label text = new Label("Import an eval file (File > Import…, or drop it on the window): promptfoo results, "
                + "Ragas, DeepEval and OpenAI evals runs, Langfuse or Phoenix score exports, Tracebench's "
                + "evals.jsonl, or any JSONL/CSV with a score or label column. Results link to their traces by trace "
                + "id, span id or response id. Or run the built-in evaluators (groundedness, relevance, safety, PII, "
                + "format) on the traces already here.");
        text.setWrapText(true);
        text.setMaxWidth(620);
        text.getStyleClass().add(Styles.MUTED);
        Button importButton = new Button("Import…");
        importButton.setId("quality-empty-import");
        importButton.setOnAction(e -> onImport.run());
        Button run = new Button("Run evaluators…");
        run.setId("quality-empty-run");
        run.visibleProperty().bind(runEvaluators.visibleProperty());
        run.managedProperty().bind(run.visibleProperty());
        run.setOnAction(e -> runEvaluators.fire());
        HBox buttons = new HBox(8, importButton, run);
        buttons.setAlignment(Pos.CENTER);
        VBox box = new VBox(12, head, text, buttons);
        box.setAlignment(Pos.CENTER);
        box.setId("quality-empty");
        box.setPadding(new Insets(40));
        box.setStyle("-fx-background-color: white;");
        return box;
    }

    // ------------------------------------------------------------------ runs

    private Node runTablePane() {
        runTable.setId("quality-runs");
        runTable.setItems(vm.runs());
        runTable.getColumns().setAll(List.of(
                textColumn("Run", 260, r -> QualityText.mask(r.name())),
                textColumn("Format", 150, EvalRun::sourceFormat),
                textColumn("File", 220, r -> r.file().isEmpty() ? "(computed here)" : QualityText.mask(r.file())),
                textColumn("Created", 140, r -> r.created() == null ? "" : CREATED.format(r.created())),
                textColumn("Metrics", 220, r -> String.join(", ", r.evaluators())),
                countColumn("Results", 80, EvalRun::results),
                textColumn("Linked", 110, r -> Format.count(r.linked()) + (r.results() == 0 ? ""
                        : " (" + Math.round(100.0 * r.linked() / r.results()) + "%)"))));
        runTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        runTable.setPlaceholder(new Label("Loading the eval runs…"));
        // room for three runs at least: the run tab below must not squeeze the list away
        runTable.setMinHeight(112);
        runTable.setPrefHeight(140);
        runTable.setRowFactory(t -> {
            TableRow<EvalRun> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && !row.isEmpty()) {
                    showTab(0);
                    exampleTable.requestFocus();
                }
            });
            return row;
        });
        // the table follows the view model both ways: a refresh keeps the row, a click picks the run
        runTable.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) {
                vm.selectedProperty().set(b);
            }
        });
        vm.selectedProperty().addListener((o, a, b) -> selectRunRow(b));
        vm.runs().addListener((ListChangeListener<EvalRun>) c -> selectRunRow(vm.selectedProperty().get()));
        runTable.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                showTab(0);
                exampleTable.requestFocus();
                e.consume();
            }
        });
        TableCopy.install(runTable);
        return runTable;
    }

    private void selectRunRow(EvalRun r) {
        if (r != null && runTable.getSelectionModel().getSelectedItem() != r) {
            runTable.getSelectionModel().select(r);
        }
    }

    // ------------------------------------------------------------------ run tab

    private Node runPane() {
        cards.setId("quality-cards");
        cards.setPadding(new Insets(8));
        cards.setFillHeight(true);
        vm.metrics().addListener((ListChangeListener<MetricSummary>) c -> showCards());
        ScrollPane cardScroll = new ScrollPane(cards);
        cardScroll.setFitToHeight(true);
        cardScroll.setVbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        cardScroll.setMinHeight(Region.USE_PREF_SIZE);
        cardScroll.setPrefViewportHeight(214);
        cardScroll.getStyleClass().add("tb-cards");

        ComboBox<String> metric = metricPicker("quality-metric", vm.metricProperty());
        vm.metrics().addListener((ListChangeListener<MetricSummary>) c -> offer(metric,
                vm.metrics().stream().map(MetricSummary::evaluator).toList(), vm.metricProperty().get()));
        CheckBox failing = new CheckBox("Failing first");
        failing.setId("quality-failing-first");
        failing.selectedProperty().bindBidirectional(vm.failingFirstProperty());
        Button export = new Button("Export CSV…");
        export.setId("quality-examples-export");
        export.setTooltip(new Tooltip("Save the listed examples and their verdicts as CSV (secrets masked)"));
        export.setOnAction(e -> {
            List<EvalExample> rows = List.copyOf(vm.examples());
            EvalRun r = vm.selectedProperty().get();
            TableExport.saveCsv(this, (r == null ? "examples" : r.name().replaceAll("[^A-Za-z0-9._-]+", "-"))
                    + "-examples.csv", () -> examplesTable(rows), tasks);
        });
        Label lead = new Label("Examples of");
        lead.getStyleClass().add(Styles.MUTED);
        Label hint = new Label("Enter or double-click opens the trace");
        hint.getStyleClass().add(Styles.MUTED);
        hint.setMinWidth(0);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button more = new Button("Load more");
        more.setId("quality-examples-more");
        more.setTooltip(new Tooltip("Load the next " + QualityViewModel.PAGE + " examples"));
        more.setOnAction(e -> vm.loadMore());
        more.visibleProperty().bind(vm.moreProperty());
        more.managedProperty().bind(more.visibleProperty());
        more.disableProperty().bind(vm.loadingProperty());
        Button add = new Button("Add to dataset…");
        add.setId("quality-add-to-dataset");
        add.setTooltip(new Tooltip("Review the listed examples' answers and add some to a dataset"));
        add.setOnAction(e -> addToDataset());
        add.disableProperty().bind(Bindings.isEmpty(vm.examples()));
        for (Button b : List.of(more, export, add)) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox bar = new HBox(8, lead, metric, failing, hint, spacer, more, export, add);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 8, 4, 8));

        buildExampleTable();
        SplitPane split = new SplitPane(exampleTable, detail);
        split.setDividerPositions(0.58);
        split.setMinHeight(120);
        VBox box = new VBox(cardScroll, bar, split);
        VBox.setVgrow(split, Priority.ALWAYS);
        return box;
    }

    /** A review queue over the listed examples' traces (the failing ones first, as listed). */
    private void addToDataset() {
        List<TraceId> ids = vm.examples().stream().map(EvalExample::traceId).filter(java.util.Objects::nonNull)
                .distinct().toList();
        EvalRun r = vm.selectedProperty().get();
        if (ids.isEmpty() || r == null) {
            exportStatus.setText("None of these examples is linked to a trace of this workspace.");
            return;
        }
        String m = vm.metricProperty().get();
        navigator.addToDataset(dev.tracebench.views.datasets.ReviewQueueViewModel.ofTraces(ids), "examples of run "
                + QualityText.mask(r.name()) + (m == null ? "" : " judged by " + QualityText.mask(m)));
    }

    private void showCards() {
        cards.getChildren().clear();
        MetricCard.Actions actions = new MetricCard.Actions() {
            @Override
            public void examples(String evaluator) {
                vm.metricProperty().set(evaluator);
                exampleTable.requestFocus();
            }

            @Override
            public void explain(String cohort) {
                navigator.explain(cohort);
            }

            @Override
            public void showTraces(String cohort) {
                Cohort c = QualityCohorts.cohort(cohort);
                navigator.showTraces(c, c.label());
            }
        };
        for (MetricSummary m : vm.metrics()) {
            cards.getChildren().add(new MetricCard(m, actions));
        }
        if (vm.metrics().isEmpty()) {
            Label none = new Label(vm.selectedProperty().get() == null ? "" : "This run holds no results.");
            none.getStyleClass().add(Styles.MUTED);
            cards.getChildren().add(none);
        }
    }

    private void buildExampleTable() {
        exampleTable.setId("quality-examples");
        exampleTable.setItems(vm.examples());
        TableColumn<EvalExample, String> verdicts = textColumn("Verdicts", 250, e -> QualityText.verdicts(
                e.verdicts()));
        verdicts.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty ? null : v);
                getStyleClass().remove("tb-verdict-fail");
                if (!empty && v != null && v.startsWith("✗")) {
                    getStyleClass().add("tb-verdict-fail");
                }
            }
        });
        exampleTable.getColumns().setAll(List.of(
                textColumn("Question", 180, e -> QualityText.oneLine(e.question(), 200)),
                textColumn("Context", 150, e -> e.contexts().isEmpty() ? "(none)" : e.contexts().size()
                        + " · " + QualityText.oneLine(e.contexts().get(0), 160)),
                textColumn("Answer", 220, e -> QualityText.oneLine(e.answer(), 240)),
                verdicts,
                textColumn("Explanation", 260, e -> QualityText.oneLine(QualityText.explanation(e.verdicts()), 300))));
        exampleTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        exampleTable.setPlaceholder(new Label("No examples"));
        exampleTable.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> detail.show(b));
        exampleTable.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                EvalExample x = exampleTable.getSelectionModel().getSelectedItem();
                if (x != null) {
                    open(x);
                }
                e.consume();
            }
        });
        exampleTable.setRowFactory(t -> {
            TableRow<EvalExample> row = new TableRow<>() {
                @Override
                protected void updateItem(EvalExample x, boolean empty) {
                    super.updateItem(x, empty);
                    setTooltip(empty || x == null || x.traceId() != null ? null
                            : new Tooltip("Not linked to a trace in this workspace"));
                }
            };
            row.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && !row.isEmpty()) {
                    open(row.getItem());
                }
            });
            return row;
        });
        TableCopy.install(exampleTable);
        vm.examples().addListener((ListChangeListener<EvalExample>) c -> {
            if (!vm.examples().isEmpty() && exampleTable.getSelectionModel().isEmpty()) {
                exampleTable.getSelectionModel().select(0);
            }
        });
    }

    private void open(EvalExample e) {
        if (e.traceId() != null) {
            navigator.openTrace(e.traceId(), e.spanId());
        }
    }

    /** The examples as CSV: one row per example, texts and verdicts masked as on screen. */
    static Table examplesTable(List<EvalExample> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (EvalExample e : rows) {
            out.add(List.of(QualityText.mask(e.key()), e.traceId() == null ? "" : e.traceId().hex(),
                    QualityText.mask(e.question()), QualityText.mask(String.join("\n\n", e.contexts())),
                    QualityText.mask(e.answer()), QualityText.verdicts(e.verdicts()),
                    QualityText.explanation(e.verdicts()), QualityText.mask(String.join("\n", e.unsupported()))));
        }
        return new Table(List.of("key", "trace_id", "question", "contexts", "answer", "verdicts", "explanation",
                "unsupported_claims"), out);
    }

    // ------------------------------------------------------------------ over time

    private Node timePane() {
        ComboBox<String> metric = metricPicker("quality-time-metric", vm.timeMetricProperty());
        vm.evaluators().addListener((ListChangeListener<String>) c -> offer(metric, vm.evaluators(),
                vm.timeMetricProperty().get()));
        Label lead = new Label("Metric");
        lead.getStyleClass().add(Styles.MUTED);
        Label note = new Label("Results of every run, by the start of the trace they judged (else when they were "
                + "judged). Right-click the chart to save it.");
        note.getStyleClass().add(Styles.MUTED);
        note.setMinWidth(0);
        HBox bar = new HBox(8, lead, metric, note);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 8, 6, 8));
        vm.timePoints().addListener((ListChangeListener<QualityPoint>) c -> showTimePoints());
        BorderPane p = new BorderPane(timeChart);
        p.setTop(bar);
        return p;
    }

    private static JFreeChart timeChart() {
        DateAxis x = Charts.timeAxis();
        NumberAxis y = new NumberAxis("Pass rate · mean score");
        y.setRange(0, 1.05);
        y.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(0.1));
        y.setNumberFormatOverride(new java.text.DecimalFormat("0.0#"));
        Charts.styleAxis(y);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        r.setSeriesPaint(0, Charts.ACCENT);
        r.setSeriesPaint(1, new java.awt.Color(0xe6, 0x7e, 0x22));
        r.setSeriesStroke(0, new java.awt.BasicStroke(2f));
        r.setSeriesStroke(1, new java.awt.BasicStroke(2f));
        r.setDefaultToolTipGenerator((d, series, item) -> d.getSeriesKey(series) + ": "
                + QualityText.score(d.getYValue(series, item)));
        return new JFreeChart(null, Charts.LABEL, new XYPlot(new XYSeriesCollection(), x, y, r), true);
    }

    private void showTimePoints() {
        XYPlot plot = timeChart.plot();
        XYSeries pass = new XYSeries("Pass rate");
        XYSeries mean = new XYSeries("Mean score");
        long results = 0;
        for (QualityPoint p : vm.timePoints()) {
            double x = Charts.ms(p.fromNs() / 2 + p.toNs() / 2);
            if (p.passRate() != null) {
                pass.add(x, p.passRate());
            }
            if (p.mean() != null) {
                mean.add(x, p.mean());
            }
            results += p.count();
        }
        timeData.removeAllSeries();
        timeData.addSeries(pass);
        timeData.addSeries(mean);
        plot.setDataset(timeData);
        String m = vm.timeMetricProperty().get();
        timeChart.chart().getTitle().setText("Quality over time: " + (m == null ? "every metric"
                : QualityText.mask(m)));
        timeSubtitle.setText(Format.count(results) + " results in "
                + vm.timePoints().size() + " periods");
        if (!vm.timePoints().isEmpty()) {
            Charts.fitTimeFormat((DateAxis) plot.getDomainAxis(), vm.timePoints().get(0).fromNs(),
                    vm.timePoints().get(vm.timePoints().size() - 1).toNs());
        }
        timeChart.setMessage(vm.timePoints().isEmpty() ? "No results with a time: import eval results linked to "
                + "traces, or run the evaluators." : null);
    }

    // ------------------------------------------------------------------ compare

    private Node comparePane() {
        ComboBox<EvalRun> a = runPicker("quality-compare-a");
        ComboBox<EvalRun> b = runPicker("quality-compare-b");
        a.valueProperty().bindBidirectional(vm.compareAProperty());
        b.valueProperty().bindBidirectional(vm.compareBProperty());
        Button compare = new Button("Compare");
        compare.setId("quality-compare");
        compare.getStyleClass().add("tb-primary");
        compare.setOnAction(e -> vm.compare());
        compare.disableProperty().bind(vm.comparingProperty());
        Button cancel = new Button("Cancel");
        cancel.setId("quality-compare-cancel");
        cancel.setOnAction(e -> vm.cancel());
        cancel.visibleProperty().bind(vm.comparingProperty());
        cancel.managedProperty().bind(cancel.visibleProperty());
        Label status = new Label();
        status.setId("quality-compare-status");
        status.getStyleClass().add(Styles.MUTED);
        status.textProperty().bind(vm.compareStatusProperty());
        status.setMinWidth(0);
        Label la = new Label("Baseline");
        Label lb = new Label("against");
        for (Label l : List.of(la, lb)) {
            l.getStyleClass().add(Styles.MUTED);
        }
        HBox bar = new HBox(8, la, a, lb, b, compare, cancel, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 8, 6, 8));

        deltaTable.setId("quality-deltas");
        deltaTable.getColumns().setAll(List.of(
                textColumn("Metric", 160, d -> QualityText.mask(d.evaluator())),
                countColumn("Paired", 70, RunComparison.MetricDelta::paired),
                textColumn("Mean A", 80, d -> QualityText.score(d.meanA())),
                textColumn("Mean B", 80, d -> QualityText.score(d.meanB())),
                textColumn("Δ mean", 80, d -> QualityText.signed(d.delta())),
                textColumn("95% interval", 140, d -> "[" + QualityText.signed(d.ciLow()) + ", "
                        + QualityText.signed(d.ciHigh()) + "]"),
                textColumn("Pass A", 80, d -> QualityText.percent(d.passRateA())),
                textColumn("Pass B", 80, d -> QualityText.percent(d.passRateB())),
                textColumn("Change", 200, QualityView::verdictOfDelta)));
        deltaTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        deltaTable.setPlaceholder(new Label("Pick a baseline and a run, then Compare."));
        deltaTable.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(RunComparison.MetricDelta d, boolean empty) {
                super.updateItem(d, empty);
                getStyleClass().removeAll("tb-worse", "tb-better");
                if (!empty && d != null && d.significant()) {
                    getStyleClass().add(d.delta() < 0 ? "tb-worse" : "tb-better");
                }
            }
        });
        deltaTable.setPrefHeight(150);
        deltaTable.setMinHeight(90);
        TableCopy.install(deltaTable);
        vm.comparisonProperty().addListener((o, x, c) -> {
            deltaTable.getItems().setAll(c == null ? List.of() : c.metrics());
            regressedTable.getItems().setAll(c == null ? List.of() : c.regressed());
            fixedTable.getItems().setAll(c == null ? List.of() : c.fixed());
        });
        SplitPane lists = new SplitPane(titled("Regressed: passed in the baseline, failed now", regressedTable),
                titled("Fixed: failed in the baseline, pass now", fixedTable));
        VBox box = new VBox(bar, deltaTable, lists);
        VBox.setVgrow(lists, Priority.ALWAYS);
        return box;
    }

    /** "worse (significant)", "better (significant)", "no significant change". */
    static String verdictOfDelta(RunComparison.MetricDelta d) {
        if (!d.significant()) {
            return "no significant change";
        }
        return (d.delta() < 0 ? "worse" : "better") + ": the interval excludes 0";
    }

    private ComboBox<EvalRun> runPicker(String id) {
        ComboBox<EvalRun> c = new ComboBox<>(vm.runs());
        c.setId(id);
        c.setPrefWidth(240);
        c.setConverter(new StringConverter<>() {
            @Override
            public String toString(EvalRun r) {
                return r == null ? "" : QualityText.mask(r.name()) + " (#" + r.id() + ")";
            }

            @Override
            public EvalRun fromString(String s) {
                return null;
            }
        });
        c.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(EvalRun r, boolean empty) {
                super.updateItem(r, empty);
                setText(empty || r == null ? null : c.getConverter().toString(r));
            }
        });
        return c;
    }

    private TableView<RunComparison.ExampleChange> changeTable(String id) {
        TableView<RunComparison.ExampleChange> t = new TableView<>();
        t.setId("quality-" + id);
        t.getColumns().setAll(List.of(
                textColumn("Example", 160, c -> QualityText.oneLine(c.key(), 80)),
                textColumn("Metric", 110, c -> QualityText.mask(c.evaluator())),
                textColumn("Baseline", 130, c -> change(c.labelA(), c.scoreA())),
                textColumn("Now", 130, c -> change(c.labelB(), c.scoreB()))));
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.setPlaceholder(new Label("None"));
        t.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && t.getSelectionModel().getSelectedItem() != null) {
                openChange(t.getSelectionModel().getSelectedItem());
                e.consume();
            }
        });
        t.setRowFactory(x -> {
            TableRow<RunComparison.ExampleChange> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && !row.isEmpty()) {
                    openChange(row.getItem());
                }
            });
            return row;
        });
        TableCopy.install(t);
        return t;
    }

    private static String change(String label, Double score) {
        return (label == null ? "" : QualityText.mask(label) + " ") + QualityText.score(score);
    }

    /** Opens the trace the newer run judged (the baseline's when the newer one links to none). */
    private void openChange(RunComparison.ExampleChange c) {
        TraceId id = c.traceIdB() != null ? c.traceIdB() : c.traceIdA();
        if (id != null) {
            navigator.openTrace(id);
        }
    }

    private static Node titled(String title, Node content) {
        Label t = new Label(title);
        t.getStyleClass().add("tb-section-title");
        t.setPadding(new Insets(4, 8, 2, 8));
        VBox box = new VBox(t, content);
        VBox.setVgrow(content, Priority.ALWAYS);
        return box;
    }

    // ------------------------------------------------------------------ tables

    private static <S> TableColumn<S, String> textColumn(String title, double width, Function<S, String> value) {
        TableColumn<S, String> c = new TableColumn<>(title);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(value.apply(f.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    private static <S> TableColumn<S, Long> countColumn(String title, double width, Function<S, Long> value) {
        TableColumn<S, Long> c = new TableColumn<>(title);
        c.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(value.apply(f.getValue())));
        c.setCellFactory(x -> new TableCell<>() {
            @Override
            protected void updateItem(Long v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : Format.count(v));
            }
        });
        c.getProperties().put("tb-cell-text", (Function<Object, String>) v -> Format.count((Long) v));
        c.setStyle("-fx-alignment: CENTER-RIGHT;");
        c.setPrefWidth(width);
        return c;
    }


    /** A metric picker (its first item, null, is every metric) kept in step with {@code chosen}. */
    private static ComboBox<String> metricPicker(String id, javafx.beans.property.Property<String> chosen) {
        ComboBox<String> metric = new ComboBox<>();
        metric.setId(id);
        metric.setConverter(new StringConverter<>() {
            @Override
            public String toString(String s) {
                return s == null ? "Every metric" : QualityText.mask(s);
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });
        metric.valueProperty().addListener((o, a, b) -> chosen.setValue(b));
        chosen.addListener((o, a, b) -> metric.setValue(b));
        return metric;
    }

    /** Offers every metric and {@code metrics}, showing {@code current}. */
    private static void offer(ComboBox<String> metric, List<String> metrics, String current) {
        List<String> names = new ArrayList<>();
        names.add(null);
        names.addAll(metrics);
        metric.getItems().setAll(names);
        metric.setValue(current);
    }
}
