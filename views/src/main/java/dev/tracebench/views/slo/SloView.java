package dev.tracebench.views.slo;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.slo.AlertRule;
import dev.tracebench.core.slo.SloAlert;
import dev.tracebench.core.slo.SloDrillDown;
import dev.tracebench.core.slo.SloProblem;
import dev.tracebench.core.slo.SloStatus;
import dev.tracebench.views.analysis.ChartPane;
import dev.tracebench.views.analysis.Charts;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Navigator;
import dev.tracebench.views.common.Styles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.File;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.controlsfx.control.Notifications;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The SLOs area: the SLO file (picked, created from the workspace, edited and validated here), one card per SLO, and
 * for the selected SLO its burn-down and burn-rate charts and alert timeline, from where a bad period opens its
 * traces or asks "Why?" of them.
 */
public final class SloView extends BorderPane {
    private static final Color[] RULE_COLORS = {new Color(0xc6, 0x28, 0x28), new Color(0xef, 0x6c, 0x00),
        new Color(0x6d, 0x4c, 0x9f), new Color(0x00, 0x83, 0x8f)};

    private final SloViewModel vm;
    private final Navigator navigator;
    private final FlowPane cards = new FlowPane(8, 8);
    private final ListView<SloProblem> problemList = new ListView<>();
    private final ListView<SloProblem> editorProblems = new ListView<>();
    private final TableView<SloViewModel.Incident> timeline = new TableView<>();
    private final ChartPane burnDown = new ChartPane(chart("Error budget left", "budget left (%)"));
    private final ChartPane burnRate = new ChartPane(chart("Burn rate (long windows) and alert thresholds",
            "burn rate (×)"));
    private final TextArea editor = new TextArea();
    private final TabPane tabs = new TabPane();
    private final Label selectedTitle = new Label();
    private final SimpleObjectProperty<SloViewModel.Result> selected = new SimpleObjectProperty<>();

    public SloView(SloViewModel vm, Navigator navigator) {
        this.vm = vm;
        this.navigator = navigator;
        setId("slo-view");
        TextField path = new TextField();
        path.setEditable(false);
        path.setId("slo-file");
        path.textProperty().bind(vm.fileProperty().asString());
        HBox.setHgrow(path, Priority.ALWAYS);
        Button open = new Button("Open…");
        open.setTooltip(new Tooltip("Pick another SLO file"));
        open.setOnAction(e -> pickFile());
        Button reload = new Button("Reload");
        reload.setId("slo-reload");
        reload.setTooltip(new Tooltip("Read the file again and recompute every SLO (F5)"));
        reload.setOnAction(e -> vm.reload());
        Button starter = new Button("Create starter file");
        starter.setId("slo-create-starter");
        starter.setTooltip(new Tooltip("Write what 'tracebench slo init' writes: SLOs from the services, models and "
                + "evaluators the workspace holds"));
        starter.visibleProperty().bind(vm.fileMissingProperty());
        starter.managedProperty().bind(starter.visibleProperty());
        starter.setOnAction(e -> vm.createStarter());
        ProgressIndicator busy = new ProgressIndicator();
        busy.setMaxSize(18, 18);
        busy.visibleProperty().bind(vm.loadingProperty());
        Label fileLabel = new Label("SLO file");
        fileLabel.setMinWidth(Label.USE_PREF_SIZE);
        HBox bar = new HBox(6, fileLabel, path, open, reload, starter, busy);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add(Styles.FILTER_BAR);
        bar.setPadding(new Insets(6, 8, 6, 8));
        setTop(bar);

        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getTabs().addAll(new Tab("Overview", overview()), new Tab("Editor", editorPane()));
        setCenter(tabs);

        vm.results().addListener((javafx.collections.ListChangeListener<SloViewModel.Result>) c -> showResults());
        selected.addListener((o, a, b) -> showSelected(b));
        vm.setOnNewAlerts(this::notifyAlerts);
        setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.F5) {
                vm.reload();
                e.consume();
            }
        });
    }

    public SloViewModel viewModel() {
        return vm;
    }

    FlowPane cards() {
        return cards;
    }

    ListView<SloProblem> problemList() {
        return problemList;
    }

    TableView<SloViewModel.Incident> timeline() {
        return timeline;
    }

    TextArea editor() {
        return editor;
    }

    ChartPane burnDownChart() {
        return burnDown;
    }

    ChartPane burnRateChart() {
        return burnRate;
    }

    /** Selects the card of an SLO by name. */
    void select(String slo) {
        vm.results().stream().filter(r -> r.slo().name().equals(slo)).findFirst().ifPresent(selected::set);
    }

    private javafx.scene.Node overview() {
        Label message = new Label();
        message.setId("slo-message");
        message.textProperty().bind(vm.messageProperty());
        message.getStyleClass().add(Styles.MUTED);
        problemList.setId("slo-problems");
        problemList.setItems(vm.problems());
        problemList.setCellFactory(l -> new ProblemCell());
        problemList.setPrefHeight(110);
        problemList.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(vm.problems()));
        problemList.managedProperty().bind(problemList.visibleProperty());
        cards.setPadding(new Insets(2));
        ScrollPane cardScroll = new ScrollPane(cards);
        cardScroll.setFitToWidth(true);
        cardScroll.setPrefViewportHeight(178);
        cardScroll.setMinHeight(120);
        cardScroll.getStyleClass().add("edge-to-edge");

        selectedTitle.getStyleClass().add(Styles.TITLE);
        selectedTitle.setId("slo-selected");
        burnDown.setPrefSize(600, 220);
        burnRate.setPrefSize(600, 220);
        HBox.setHgrow(burnDown, Priority.ALWAYS);
        HBox.setHgrow(burnRate, Priority.ALWAYS);
        HBox charts = new HBox(8, burnDown, burnRate);
        charts.setMinHeight(160);
        VBox.setVgrow(charts, Priority.ALWAYS);

        timeline.setId("slo-timeline");
        timeline.setPlaceholder(new Label("No alert fired over the imported period."));
        timeline.getColumns().add(column("Rule", i -> i.fired().rule() + " (" + i.fired().threshold() + "× over "
                + dev.tracebench.core.slo.SloEngine.window(i.fired().longWindow()) + ")", 190));
        timeline.getColumns().add(column("Severity", i -> i.fired().severity() == dev.tracebench.core.analysis
                .Severity.CRITICAL ? "page" : "ticket", 70));
        timeline.getColumns().add(column("Fired", i -> time(i.fired().at()), 170));
        timeline.getColumns().add(column("Resolved", i -> i.resolved() == null ? "firing" : time(i.resolved().at()),
                170));
        timeline.getColumns().add(column("Burn rate", i -> String.format(Locale.ROOT, "%.1f×",
                i.fired().burnRate()), 80));
        timeline.getColumns().add(column("Budget left", i -> String.format(Locale.ROOT, "%.0f%%",
                (i.resolved() == null ? i.fired() : i.resolved()).budgetRemaining() * 100), 90));
        timeline.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        timeline.setPrefHeight(150);
        timeline.setMinHeight(90);
        timeline.setRowFactory(t -> {
            TableRow<SloViewModel.Incident> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    showTraces(row.getItem());
                }
            });
            return row;
        });
        timeline.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && timeline.getSelectionModel().getSelectedItem() != null) {
                showTraces(timeline.getSelectionModel().getSelectedItem());
            }
        });
        Button traces = new Button("Traces");
        traces.setId("slo-drill-traces");
        traces.setTooltip(new Tooltip("List the bad events' traces of the selected alert's period (Enter, or "
                + "double-click a row)"));
        traces.setOnAction(e -> showTraces(timeline.getSelectionModel().getSelectedItem()));
        Button why = new Button("Why?");
        why.setId("slo-drill-why");
        why.setTooltip(new Tooltip("Findings: what sets the bad events of the selected alert's period apart"));
        why.setOnAction(e -> explain(timeline.getSelectionModel().getSelectedItem()));
        for (Button b : List.of(traces, why)) {
            b.getStyleClass().add("tb-small-button");
            b.disableProperty().bind(timeline.getSelectionModel().selectedItemProperty().isNull());
        }
        Label timelineTitle = new Label("Alert timeline");
        timelineTitle.getStyleClass().add(Styles.TITLE);
        HBox timelineBar = new HBox(6, timelineTitle, traces, why);
        timelineBar.setAlignment(Pos.CENTER_LEFT);

        VBox box = new VBox(6, message, problemList, cardScroll, selectedTitle, charts, timelineBar, timeline);
        box.setPadding(new Insets(8));
        return box;
    }

    private javafx.scene.Node editorPane() {
        editor.setId("slo-editor");
        editor.getStyleClass().add(Styles.MONO);
        editor.textProperty().bindBidirectional(vm.textProperty());
        VBox.setVgrow(editor, Priority.ALWAYS);
        Button validate = new Button("Validate");
        validate.setId("slo-validate");
        validate.setTooltip(new Tooltip("Check the text against the format and the workspace, and compute it"));
        validate.setOnAction(e -> vm.validate());
        Button save = new Button("Save");
        save.setId("slo-save");
        save.setTooltip(new Tooltip("Write the file (Ctrl+S) and recompute"));
        save.setOnAction(e -> vm.save());
        Label hint = new Label("Format: docs/slo.md. Problems name the line and field; click one to go there.");
        hint.getStyleClass().add(Styles.MUTED);
        HBox buttons = new HBox(6, validate, save, hint);
        buttons.setAlignment(Pos.CENTER_LEFT);
        editorProblems.setItems(vm.problems());
        editorProblems.setCellFactory(l -> new ProblemCell());
        editorProblems.setPrefHeight(120);
        editorProblems.setPlaceholder(new Label("No problems found (Validate checks the text against the workspace)."));
        editorProblems.getSelectionModel().selectedItemProperty().addListener((o, a, p) -> goToLine(p));
        VBox box = new VBox(6, buttons, editor, editorProblems);
        box.setPadding(new Insets(8));
        box.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN).match(e)) {
                vm.save();
                e.consume();
            }
        });
        return box;
    }

    /** Puts the editor's caret at the start of a problem's line. */
    private void goToLine(SloProblem p) {
        if (p == null || p.line() <= 0) {
            return;
        }
        String t = editor.getText();
        int pos = 0;
        for (int line = 1; line < p.line() && pos >= 0; line++) {
            pos = t.indexOf('\n', pos) + 1;
            if (pos == 0) {
                return;
            }
        }
        editor.positionCaret(pos);
        editor.requestFocus();
    }

    private static final class ProblemCell extends ListCell<SloProblem> {
        @Override
        protected void updateItem(SloProblem p, boolean empty) {
            super.updateItem(p, empty);
            setText(empty || p == null ? null : (p.line() > 0 ? "line " + p.line() : "file")
                    + (p.field().isEmpty() ? "" : " · " + p.field()) + ": " + p.message());
            getStyleClass().remove(Styles.ERROR);
            if (!empty && p != null) {
                getStyleClass().add(Styles.ERROR);
            }
        }
    }

    private void showResults() {
        String was = selected.get() == null ? null : selected.get().slo().name();
        cards.getChildren().clear();
        for (SloViewModel.Result r : vm.results()) {
            SloCard c = new SloCard(r);
            c.setOnMouseClicked(e -> selected.set(r));
            cards.getChildren().add(c);
        }
        SloViewModel.Result pick = vm.results().stream().filter(r -> r.slo().name().equals(was)).findFirst()
                .orElse(vm.results().isEmpty() ? null : worst());
        selected.set(null);
        selected.set(pick);
    }

    /** The SLO in the worst state, first of its file among equals: what to look at first. */
    private SloViewModel.Result worst() {
        SloViewModel.Result w = vm.results().get(0);
        for (SloViewModel.Result r : vm.results()) {
            if (r.status().state().ordinal() < w.status().state().ordinal()) {
                w = r;
            }
        }
        return w;
    }

    private void showSelected(SloViewModel.Result r) {
        for (javafx.scene.Node n : cards.getChildren()) {
            n.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("selected"),
                    r != null && ((SloCard) n).result() == r);
        }
        XYPlot down = burnDown.plot();
        XYPlot rate = burnRate.plot();
        XYSeriesCollection budget = new XYSeriesCollection();
        XYSeriesCollection burns = new XYSeriesCollection();
        rate.clearRangeMarkers();
        down.clearRangeMarkers();
        if (r == null) {
            selectedTitle.setText("");
            timeline.getItems().clear();
            down.setDataset(budget);
            rate.setDataset(burns);
            burnDown.setMessage(vm.results().isEmpty() ? "No SLO computed" : null);
            burnRate.setMessage(vm.results().isEmpty() ? "No SLO computed" : null);
            return;
        }
        SloStatus st = r.status();
        selectedTitle.setText(r.slo().name() + " — " + SloCard.stateText(st.state()) + ": good when "
                + r.slo().goodText() + ", objective " + r.slo().objectiveText() + " over " + r.slo().window().text());
        SloViewModel.Curves c = r.curves();
        XYSeries b = new XYSeries("budget left", false, true);
        for (int i = 0; i < c.x().length; i++) {
            b.add(c.x()[i], c.budgetLeft()[i] * 100);
        }
        budget.addSeries(b);
        List<AlertRule> rules = r.slo().alerts();
        XYLineAndShapeRenderer rr = (XYLineAndShapeRenderer) rate.getRenderer();
        for (int k = 0; k < rules.size(); k++) {
            AlertRule rule = rules.get(k);
            XYSeries s = new XYSeries(rule.name() + " (" + dev.tracebench.core.slo.SloEngine.window(rule.longWindow())
                    + ")", false, true);
            for (int i = 0; i < c.x().length; i++) {
                s.add(c.x()[i], c.burn()[k][i]);
            }
            burns.addSeries(s);
            Color color = RULE_COLORS[k % RULE_COLORS.length];
            rr.setSeriesPaint(k, color);
            rr.setSeriesStroke(k, new BasicStroke(1.2f));
            ValueMarker m = new ValueMarker(rule.burnRate(), color, new BasicStroke(1f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 1, new float[] {5, 4}, 0));
            m.setLabel(rule.name() + " " + rule.burnRate() + "×");
            m.setLabelFont(Charts.LABEL);
            m.setLabelPaint(color);
            m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            rate.addRangeMarker(m);
        }
        down.addRangeMarker(new ValueMarker(0, Charts.MUTED, new BasicStroke(1f)));
        down.setDataset(budget);
        rate.setDataset(burns);
        for (ChartPane p : List.of(burnDown, burnRate)) {
            DateAxis a = (DateAxis) p.plot().getDomainAxis();
            if (c.x().length > 0) {
                Charts.fitTimeFormat(a, (long) (c.x()[0] * 1e6), (long) (c.x()[c.x().length - 1] * 1e6));
            }
            p.setMessage(c.x().length == 0 ? "No events" : null);
        }
        // the thresholds stay in view even when the burn stays far below them
        NumberAxis y = (NumberAxis) rate.getRangeAxis();
        double max = rules.stream().mapToDouble(AlertRule::burnRate).max().orElse(1);
        for (double[] line : c.burn()) {
            for (double v : line) {
                max = Math.max(max, v);
            }
        }
        y.setRange(0, max * 1.08);
        timeline.getItems().setAll(r.incidents());
    }

    private static JFreeChart chart(String title, String yLabel) {
        DateAxis x = Charts.timeAxis();
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
        line.setSeriesPaint(0, Charts.ACCENT);
        line.setDefaultToolTipGenerator((d, s, i) -> String.format(Locale.ROOT, "%s: %.2f", d.getSeriesKey(s),
                d.getYValue(s, i)));
        XYPlot plot = new XYPlot(new XYSeriesCollection(), x, y, line);
        JFreeChart chart = new JFreeChart(title, Charts.LABEL, plot, true);
        Charts.style(chart, title);
        chart.getLegend().setPosition(org.jfree.chart.ui.RectangleEdge.BOTTOM);
        return chart;
    }

    private static TableColumn<SloViewModel.Incident, String> column(String title,
            java.util.function.Function<SloViewModel.Incident, String> value, double width) {
        TableColumn<SloViewModel.Incident, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(value.apply(d.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    private static String time(Instant t) {
        return Format.dateTime(t.getEpochSecond() * 1_000_000_000L + t.getNano()).replaceAll("\\.\\d+$", "");
    }

    /** The bad events' traces of an incident's period, as a filter cohort. */
    static String cohortText(SloViewModel.Incident i) {
        return SloDrillDown.badEvents(i.slo(), i.from(), i.to());
    }

    private static String label(SloViewModel.Incident i) {
        return "bad events of " + i.slo().name() + ", " + time(i.from()) + " – " + time(i.to());
    }

    private void showTraces(SloViewModel.Incident i) {
        if (i != null) {
            navigator.showTraces(Cohort.filter(cohortText(i)), label(i));
        }
    }

    private void explain(SloViewModel.Incident i) {
        if (i != null) {
            navigator.explain(cohortText(i));
        }
    }

    private void pickFile() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open an SLO file");
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("SLO files (YAML)", "*.yaml", "*.yml"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File dir = vm.fileProperty().get().toAbsolutePath().getParent().toFile();
        if (dir.isDirectory()) {
            fc.setInitialDirectory(dir);
        }
        File f = fc.showOpenDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) {
            vm.fileProperty().set(f.toPath());
            vm.reload();
        }
    }

    /** A popup per SLO whose alert began firing at the end of the data since the last refresh. */
    private void notifyAlerts(List<SloAlert> alerts) {
        if (getScene() == null || getScene().getWindow() == null) {
            return;
        }
        for (SloAlert a : alerts) {
            Notifications n = Notifications.create().owner(getScene().getWindow())
                    .title("SLO alert: " + a.slo() + " (" + a.rule() + ")").text(a.summary())
                    .hideAfter(javafx.util.Duration.seconds(15));
            if (a.severity() == dev.tracebench.core.analysis.Severity.CRITICAL) {
                n.showError();
            } else {
                n.showWarning();
            }
        }
    }
}
