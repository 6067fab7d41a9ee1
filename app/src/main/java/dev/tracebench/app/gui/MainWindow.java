package dev.tracebench.app.gui;

import dev.tracebench.app.WorkspaceOpener;
import dev.tracebench.core.analysis.AnalysisService;
import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.query.TraceService;
import dev.tracebench.core.query.TraceSummary;
import dev.tracebench.core.query.WorkspaceStats;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.metrics.MetricsOptions;
import dev.tracebench.core.metrics.WorkspaceMetrics;
import dev.tracebench.core.recommend.RecommendationsWriter;
import dev.tracebench.importers.FileImportService;
import dev.tracebench.importers.live.OtlpLiveReceivers;
import dev.tracebench.importers.evaltable.ColumnMapping;
import dev.tracebench.views.analysis.FindingsViewModel;
import dev.tracebench.views.analysis.LatencyView;
import dev.tracebench.views.analysis.LatencyViewModel;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.BackgroundTasks;
import dev.tracebench.views.common.Navigator;
import dev.tracebench.views.common.WorkspaceChanges;
import dev.tracebench.core.eval.EvalService;
import dev.tracebench.views.quality.EvaluatorRunPort;
import dev.tracebench.views.quality.QualityView;
import dev.tracebench.views.quality.QualityViewModel;
import dev.tracebench.views.quality.RunEvaluatorsDialog;
import dev.tracebench.core.dataset.DatasetFiles;
import dev.tracebench.core.dataset.DatasetService;
import dev.tracebench.views.datasets.DatasetsView;
import dev.tracebench.views.datasets.DatasetsViewModel;
import dev.tracebench.views.datasets.ReviewQueueDialog;
import dev.tracebench.views.datasets.ReviewQueueViewModel;
import dev.tracebench.views.slo.SloView;
import dev.tracebench.core.live.LiveConfig;
import dev.tracebench.core.live.LiveReceiver;
import dev.tracebench.core.live.LiveReceivers;
import dev.tracebench.core.recommend.RecommendOptions;
import dev.tracebench.core.recommend.RecommendationService;
import dev.tracebench.views.live.LivePanel;
import dev.tracebench.views.live.LiveReceiveDialog;
import dev.tracebench.views.live.LiveViewModel;
import dev.tracebench.views.recommend.RecommendationsView;
import dev.tracebench.views.recommend.RecommendationsViewModel;
import dev.tracebench.views.slo.SloViewModel;
import java.util.concurrent.CountDownLatch;
import javafx.beans.binding.Bindings;
import javafx.concurrent.Task;
import org.controlsfx.control.Notifications;
import org.controlsfx.control.PopOver;
import org.controlsfx.control.TaskProgressView;
import dev.tracebench.views.compare.CompareView;
import dev.tracebench.views.compare.CompareViewModel;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.imports.ImportHistoryView;
import dev.tracebench.views.trace.TraceView;
import dev.tracebench.views.trace.TraceViewModel;
import dev.tracebench.views.traces.TraceListView;
import dev.tracebench.views.traces.TraceListViewModel;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Stage;

/**
 * The main window: menus, a navigation bar with the areas (Traces, Imports, Latency, Quality, Datasets), the area
 * content, and a
 * status bar with the workspace, its counts and the progress of a running import (with Cancel). Files dropped on
 * the window are imported. Workspaces are opened, and everything queried, in the background. Trace tabs and trace
 * comparisons open next to the trace table; the Latency area's example traces open there too.
 */
public final class MainWindow implements Navigator {
    private final Stage stage;
    private final WorkspaceOpener opener;
    private final Background background = new Background(2);
    private final ImportRunner imports = new ImportRunner();
    private final BackgroundTasks tasks = new BackgroundTasks();

    private final BorderPane root = new BorderPane();
    private final StackPane center = new StackPane();
    private final ToggleGroup nav = new ToggleGroup();
    private final ToggleButton tracesButton = new ToggleButton("Traces");
    private final ToggleButton importsButton = new ToggleButton("Imports");
    private final ToggleButton latencyButton = new ToggleButton("Latency");
    private final ToggleButton qualityButton = new ToggleButton("Quality");
    private final ToggleButton datasetsButton = new ToggleButton("Datasets");
    private final ToggleButton slosButton = new ToggleButton("SLOs");
    private final ToggleButton recommendButton = new ToggleButton("Advice");
    private final java.util.function.Function<Workspace, AnalysisService> analysisFor;
    private final java.util.function.Function<Workspace, EvalService> evalsFor;
    private final java.util.function.Function<Workspace, EvaluatorRunPort> evaluatorsFor;
    private final java.util.function.Function<Workspace, DatasetService> datasetsFor;
    /** Other tools' dataset files (null: the Datasets area offers no Import… and Export…). */
    private final DatasetFiles datasetFiles;
    private final MenuItem runEvaluatorsItem = new MenuItem("Run Evaluators…");
    private final MenuItem receiveLiveItem = new MenuItem("Receive Live Traces…");
    /** Starts OTLP receivers on a workspace (a null result: this build has none, the menu item is disabled). */
    private java.util.function.Function<Workspace, LiveReceivers> liveFor;
    /** The recommendations over a workspace (a null result: the area says they are not available). */
    private java.util.function.Function<Workspace, RecommendationService> recommendationsFor;
    /** Writes recommendations as a LiteLLM-style router config (null: no "Copy router config"). */
    private java.util.function.Function<dev.tracebench.core.recommend.Recommendations, String> routerConfig;
    /** Holds the live receiver's strip, above the status bar, whichever area is shown. */
    private final StackPane liveDock = new StackPane();
    private LivePanel live;
    /** The last form's values, offered again for the next receiver. */
    private LiveConfig liveConfig = LiveConfig.defaults();
    private final Label workspaceLabel = new Label("No workspace");
    private final Label countsLabel = new Label();
    private final Label messageLabel = new Label();
    private final Label dropHint = new Label("Drop trace files to import them");
    private final Menu recentMenu = new Menu("Open Recent");
    private final List<MenuItem> workspaceItems = new ArrayList<>();

    private Workspace workspace;
    /** The open workspace's changes: fired after every committed change, every open view follows it. */
    private WorkspaceChanges changes = new WorkspaceChanges();
    private TabPane traceTabs;
    private TraceListView traceList;
    private TraceListViewModel traceListVm;
    private ImportHistoryView importHistory;
    private LatencyView latency;
    private QualityView quality;
    private SloView slos;
    private RecommendationsView recommendations;
    /**
     * Areas the workspace changed under while they were not shown, with how each refreshes: it does when next shown
     * (live traces change the workspace every second; hidden areas must not query that often).
     */
    private final java.util.Map<ToggleButton, Runnable> staleAreas = new java.util.HashMap<>();
    /** The open workspace's eval results and evaluator runs (null: this build has none). */
    private EvalService evals;
    private EvaluatorRunPort evaluators;
    /** The open workspace's datasets (null: this build has none) and their area, made when first shown. */
    private DatasetService datasets;
    private DatasetsView datasetsView;
    /** Analysis thresholds, kept across workspaces for the session. */
    private CheckSettings checkSettings = CheckSettings.DEFAULTS;

    public MainWindow(Stage stage, WorkspaceOpener opener) {
        this(stage, opener, Workspace::analysis, Workspace::evals, ws -> new AppEvaluatorRunPort(ws.evals()),
                Workspace::datasets, new dev.tracebench.importers.datasets.DatasetFileService());
    }

    /** @param analysisFor the analysis service of a workspace (tests substitute their own) */
    MainWindow(Stage stage, WorkspaceOpener opener, java.util.function.Function<Workspace, AnalysisService>
            analysisFor) {
        this(stage, opener, analysisFor, ws -> null, ws -> null, ws -> null, null);
    }

    /**
     * @param evalsFor      the eval results of a workspace (null: the Quality area says they are not available)
     * @param evaluatorsFor the built-in evaluators' runs on a workspace (null: no "Run Evaluators…")
     */
    public MainWindow(Stage stage, WorkspaceOpener opener, java.util.function.Function<Workspace, AnalysisService>
            analysisFor, java.util.function.Function<Workspace, EvalService> evalsFor,
            java.util.function.Function<Workspace, EvaluatorRunPort> evaluatorsFor) {
        this(stage, opener, analysisFor, evalsFor, evaluatorsFor, ws -> null, null);
    }

    /**
     * @param datasetsFor  the golden datasets of a workspace (null: the Datasets area says they are not available)
     * @param datasetFiles reads and writes other tools' dataset files (null: no Import… or Export… of datasets)
     */
    public MainWindow(Stage stage, WorkspaceOpener opener, java.util.function.Function<Workspace, AnalysisService>
            analysisFor, java.util.function.Function<Workspace, EvalService> evalsFor,
            java.util.function.Function<Workspace, EvaluatorRunPort> evaluatorsFor,
            java.util.function.Function<Workspace, DatasetService> datasetsFor, DatasetFiles datasetFiles) {
        this.datasetsFor = datasetsFor;
        this.datasetFiles = datasetFiles;
        this.stage = stage;
        this.opener = opener;
        this.analysisFor = analysisFor;
        this.evalsFor = evalsFor;
        this.evaluatorsFor = evaluatorsFor;
        Path sloFile = opener.home().home().resolve("slo.yaml");
        this.liveFor = ws -> new OtlpLiveReceivers(() -> ws, () -> opener.home().ingestOptions(null),
                WorkspaceMetrics.endpoint(() -> ws, java.time.Clock.systemUTC(), new MetricsOptions(
                        MetricsOptions.DEFAULT.window(), MetricsOptions.Anchor.NOW, null, sloFile)));
        this.recommendationsFor = Workspace::recommendations;
        this.routerConfig = r -> RecommendationsWriter.routerConfig(r.weights());
        root.setTop(menuBar());
        root.setLeft(navBar());
        root.setCenter(center);
        liveDock.setId("live-dock");
        liveDock.managedProperty().bind(Bindings.isNotEmpty(liveDock.getChildren()));
        root.setBottom(new VBox(liveDock, statusBar()));
        dropHint.getStyleClass().add("tb-drop-hint");
        dropHint.setVisible(false);
        dropHint.setMouseTransparent(true);
        StackPane layered = new StackPane(root, dropHint);
        WindowPlacement placement = new WindowPlacement(opener.home().home());
        WindowPlacement.Place place = placement.place();
        // the scene gets the size itself: a stage sizes itself to its scene when first shown
        Scene scene = new Scene(layered, place.width(), place.height());
        scene.getStylesheets().add(Styles.stylesheet());
        tasks.setOnFailure((title, t) -> Notifications.create().owner(stage).title(title + " failed")
                .text(Background.message(t)).hideAfter(javafx.util.Duration.seconds(12)).showError());
        installDragAndDrop(scene);
        installShortcuts(scene);
        stage.setScene(scene);
        placement.apply(stage, place);
        stage.setTitle("Tracebench");
        stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST, e -> {
            if (!mayDropUnsavedDatasets("Quit")) {
                e.consume();
            }
        });
        showPlaceholder(busy("Opening workspace…"));
    }

    public Stage stage() {
        return stage;
    }

    public void show() {
        stage.show();
    }

    // ------------------------------------------------------------------ layout

    private MenuBar menuBar() {
        MenuItem newWs = new MenuItem("New Workspace…");
        newWs.setAccelerator(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN));
        newWs.setOnAction(e -> newWorkspace());
        MenuItem openWs = new MenuItem("Open Workspace…");
        openWs.setAccelerator(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN));
        openWs.setOnAction(e -> chooseWorkspace());
        MenuItem defaultWs = new MenuItem("Open Default Workspace");
        defaultWs.setOnAction(e -> openWorkspace(opener.home().defaultWorkspace()));
        recentMenu.setOnShowing(e -> rebuildRecent());
        rebuildRecent();
        MenuItem importItem = new MenuItem("Import…");
        importItem.setId("menu-import");
        importItem.setAccelerator(new KeyCodeCombination(KeyCode.I, KeyCombination.SHORTCUT_DOWN));
        importItem.setOnAction(e -> chooseImport(null));
        MenuItem importFolder = new MenuItem("Import Folder…");
        importFolder.setId("menu-import-folder");
        importFolder.setOnAction(e -> chooseImportFolder());
        Menu importAs = new Menu("Import As");
        importAs.setId("menu-import-as");
        for (dev.tracebench.importers.TraceFormat f : dev.tracebench.importers.TraceFormats.all()) {
            MenuItem i = new MenuItem(f.displayName() + "…");
            i.setOnAction(e -> chooseImport(f.id()));
            importAs.getItems().add(i);
        }
        receiveLiveItem.setId("menu-receive-live");
        receiveLiveItem.setOnAction(e -> receiveLive());
        receiveLiveItem.setAccelerator(new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN));
        receiveLiveItem.setDisable(true);
        MenuItem openRemote = new MenuItem("Open Remote Result…");
        openRemote.setId("menu-open-remote");
        openRemote.setOnAction(e -> chooseRemoteResult());
        MenuItem closeTab = new MenuItem("Close Tab");
        closeTab.setAccelerator(new KeyCodeCombination(KeyCode.W, KeyCombination.SHORTCUT_DOWN));
        closeTab.setOnAction(e -> closeCurrentTraceTab());
        MenuItem quit = new MenuItem("Quit");
        quit.setAccelerator(new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN));
        quit.setOnAction(e -> {
            if (mayDropUnsavedDatasets("Quit")) {
                stage.close();
            }
        });
        workspaceItems.addAll(List.of(newWs, openWs, defaultWs, recentMenu));
        Menu file = new Menu("File", null, newWs, openWs, defaultWs, recentMenu, new SeparatorMenuItem(), importItem,
                importFolder, importAs, receiveLiveItem, new SeparatorMenuItem(), openRemote, new SeparatorMenuItem(),
                closeTab, new SeparatorMenuItem(), quit);

        MenuItem find = new MenuItem("Find Traces");
        find.setAccelerator(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN));
        find.setOnAction(e -> {
            showArea(tracesButton);
            if (traceList != null) {
                traceTabs.getSelectionModel().select(0);
                traceList.focusSearch();
            }
        });
        MenuItem refresh = new MenuItem("Refresh");
        refresh.setAccelerator(new KeyCodeCombination(KeyCode.F5));
        refresh.setOnAction(e -> refreshAll());
        MenuItem tracesArea = new MenuItem("Traces");
        tracesArea.setAccelerator(new KeyCodeCombination(KeyCode.DIGIT1, KeyCombination.SHORTCUT_DOWN));
        tracesArea.setOnAction(e -> showArea(tracesButton));
        MenuItem importsArea = new MenuItem("Imports");
        importsArea.setAccelerator(new KeyCodeCombination(KeyCode.DIGIT2, KeyCombination.SHORTCUT_DOWN));
        importsArea.setOnAction(e -> showArea(importsButton));
        MenuItem latencyArea = new MenuItem("Latency");
        latencyArea.setId("menu-latency");
        latencyArea.setAccelerator(new KeyCodeCombination(KeyCode.DIGIT3, KeyCombination.SHORTCUT_DOWN));
        latencyArea.setOnAction(e -> showArea(latencyButton));
        MenuItem qualityArea = new MenuItem("Quality");
        qualityArea.setId("menu-quality");
        qualityArea.setAccelerator(new KeyCodeCombination(KeyCode.DIGIT4, KeyCombination.SHORTCUT_DOWN));
        qualityArea.setOnAction(e -> showArea(qualityButton));
        MenuItem datasetsArea = new MenuItem("Datasets");
        datasetsArea.setId("menu-datasets");
        datasetsArea.setAccelerator(new KeyCodeCombination(KeyCode.DIGIT5, KeyCombination.SHORTCUT_DOWN));
        datasetsArea.setOnAction(e -> showArea(datasetsButton));
        MenuItem slosArea = new MenuItem("SLOs");
        slosArea.setAccelerator(new KeyCodeCombination(KeyCode.DIGIT6, KeyCombination.SHORTCUT_DOWN));
        slosArea.setOnAction(e -> showArea(slosButton));
        MenuItem recommendArea = new MenuItem("Recommendations");
        recommendArea.setId("menu-recommendations");
        recommendArea.setAccelerator(new KeyCodeCombination(KeyCode.DIGIT7, KeyCombination.SHORTCUT_DOWN));
        recommendArea.setOnAction(e -> showArea(recommendButton));
        runEvaluatorsItem.setId("menu-run-evaluators");
        runEvaluatorsItem.setAccelerator(new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN));
        runEvaluatorsItem.setOnAction(e -> runEvaluators());
        runEvaluatorsItem.setDisable(true);
        Menu view = new Menu("View", null, tracesArea, importsArea, latencyArea, qualityArea, datasetsArea, slosArea,
                recommendArea, new SeparatorMenuItem(), find, refresh, new SeparatorMenuItem(), runEvaluatorsItem);

        MenuItem keys = new MenuItem("Keyboard Shortcuts");
        keys.setOnAction(e -> showShortcuts());
        MenuItem about = new MenuItem("About Tracebench");
        about.setOnAction(e -> info("About Tracebench", "Tracebench: an offline workbench for the traces of LLM "
                + "applications.\nWorkspaces are DuckDB files; the default one is\n"
                + opener.home().defaultWorkspace()));
        Menu help = new Menu("Help", null, keys, about);
        MenuItem prices = new MenuItem("Price Table…");
        prices.setId("menu-prices");
        prices.setOnAction(e -> new dev.tracebench.views.settings.PriceTableDialog(stage, opener.home().pricesFile(),
                background).showAndWait());
        MenuItem rules = new MenuItem("Normalisation Rules…");
        rules.setId("menu-rules");
        rules.setOnAction(e -> new dev.tracebench.views.settings.RulesDialog(stage, opener.home().rulesFile(),
                background).showAndWait());
        Menu settings = new Menu("Settings", null, prices, rules);
        MenuBar bar = new MenuBar(file, view, settings, help);
        bar.setId("menu-bar");
        return bar;
    }

    private VBox navBar() {
        tracesButton.setId("nav-traces");
        importsButton.setId("nav-imports");
        latencyButton.setId("nav-latency");
        qualityButton.setId("nav-quality");
        datasetsButton.setId("nav-datasets");
        slosButton.setId("nav-slos");
        slosButton.setTooltip(new Tooltip("Service level objectives: status, error budgets, burn-rate alerts "
                + "(Ctrl+6)"));
        recommendButton.setId("nav-recommendations");
        recommendButton.setTooltip(new Tooltip("Recommendations: traffic weights per model, scaling, caches, "
                + "retraining, and what tracing costs (Ctrl+7)"));
        for (ToggleButton b : List.of(tracesButton, importsButton, latencyButton, qualityButton, datasetsButton,
                slosButton, recommendButton)) {
            b.setToggleGroup(nav);
            b.setMaxWidth(Double.MAX_VALUE);
            b.getStyleClass().add("tb-nav-button");
        }
        tracesButton.setTooltip(new Tooltip("Trace table and open traces (Ctrl+1)"));
        importsButton.setTooltip(new Tooltip("What was imported, and the problems found (Ctrl+2)"));
        latencyButton.setTooltip(new Tooltip("Where the time goes, and why requests are slow (Ctrl+3)"));
        qualityButton.setTooltip(new Tooltip("Eval runs: verdicts, examples, quality over time, regressions "
                + "(Ctrl+4)"));
        datasetsButton.setTooltip(new Tooltip("Golden datasets: curate examples from traces, versions and diffs, "
                + "coverage, export (Ctrl+5)"));
        tracesButton.setSelected(true);
        nav.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                a.setSelected(true); // keep one area selected
            } else {
                showArea((ToggleButton) b);
            }
        });
        VBox box = new VBox(4, tracesButton, importsButton, latencyButton, qualityButton, datasetsButton,
                slosButton, recommendButton);
        box.setPadding(new Insets(8, 6, 8, 6));
        box.setPrefWidth(96);
        box.getStyleClass().add("tb-nav");
        return box;
    }

    private HBox statusBar() {
        workspaceLabel.setId("status-workspace");
        countsLabel.setId("status-counts");
        messageLabel.setId("status-message");
        ProgressBar bar = new ProgressBar();
        bar.setId("import-progress");
        bar.setPrefWidth(180);
        bar.progressProperty().bind(imports.progressProperty());
        Label importMessage = new Label();
        importMessage.setId("import-message");
        importMessage.textProperty().bind(imports.messageProperty());
        importMessage.setMaxWidth(420);
        Button cancel = new Button("Cancel");
        cancel.setId("import-cancel");
        cancel.setOnAction(e -> imports.cancel());
        HBox progress = new HBox(6, importMessage, bar, cancel);
        progress.setAlignment(Pos.CENTER_RIGHT);
        progress.visibleProperty().bind(imports.runningProperty());
        progress.managedProperty().bind(imports.runningProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox status = new HBox(14, workspaceLabel, countsLabel, messageLabel, spacer, progress, tasksButton());
        status.setAlignment(Pos.CENTER_LEFT);
        status.setPadding(new Insets(4, 8, 4, 8));
        status.getStyleClass().add("tb-status-bar");
        messageLabel.getStyleClass().add(Styles.MUTED);
        return status;
    }

    private void showPlaceholder(Node n) {
        center.getChildren().setAll(n);
    }

    private static Node busy(String text) {
        ProgressIndicator p = new ProgressIndicator();
        p.setMaxSize(48, 48);
        VBox box = new VBox(12, p, new Label(text));
        box.setAlignment(Pos.CENTER);
        return box;
    }

    private void showArea(ToggleButton which) {
        if (!which.isSelected()) {
            which.setSelected(true);
            return;
        }
        if (workspace == null) {
            return;
        }
        if (which == tracesButton && traceTabs != null) {
            center.getChildren().setAll(traceTabs);
        } else if (which == importsButton && importHistory != null) {
            importHistory.refresh();
            center.getChildren().setAll(importHistory);
        } else if (which == latencyButton) {
            center.getChildren().setAll(latencyView());
        } else if (which == qualityButton) {
            center.getChildren().setAll(qualityView());
        } else if (which == datasetsButton) {
            center.getChildren().setAll(datasetsView());
        } else if (which == slosButton) {
            center.getChildren().setAll(sloView());
        } else if (which == recommendButton) {
            center.getChildren().setAll(recommendationsView());
        }
        Runnable stale = staleAreas.remove(which);
        if (stale != null) {
            stale.run();
        }
    }

    /** After a change: refreshes {@code area} now if it is shown, else when it is next shown. */
    private void refreshWhenShown(ToggleButton area, Runnable refresh) {
        if (area.isSelected()) {
            refresh.run();
        } else {
            staleAreas.put(area, refresh);
        }
    }

    /**
     * The Recommendations area of the open workspace, computed when first shown; after a change it recomputes if shown,
     * else when next shown (live traces change the workspace every second).
     */
    private Node recommendationsView() {
        RecommendationService service = recommendationsFor.apply(workspace);
        if (service == null) {
            Label none = new Label("Recommendations are not available in this build.");
            none.getStyleClass().add(Styles.MUTED);
            StackPane p = new StackPane(none);
            p.setId("recommendations-unavailable");
            return p;
        }
        if (recommendations == null) {
            Path sloFile = opener.home().home().resolve("slo.yaml");
            RecommendationsViewModel vm = new RecommendationsViewModel(service, tasks, () -> recommendOptions(sloFile));
            vm.setRouterConfig(routerConfig);
            RecommendationsView made = new RecommendationsView(vm, this, tasks);
            recommendations = made;
            changes.subscribe(() -> {
                if (made == recommendations) {
                    refreshWhenShown(recommendButton, made::refresh);
                }
            });
            made.refresh();
        }
        return recommendations;
    }

    /**
     * The SLOs the scale-up signal checks: those of the SLO file the SLOs area shows by default; a missing or broken
     * file (the SLOs area says what is wrong with it) leaves the built-in thresholds.
     */
    private static RecommendOptions recommendOptions(Path sloFile) {
        if (!java.nio.file.Files.isRegularFile(sloFile)) {
            return RecommendOptions.defaults();
        }
        try {
            return new RecommendOptions(dev.tracebench.core.slo.SloParser.load(sloFile).slos());
        } catch (RuntimeException e) {
            return RecommendOptions.defaults();
        }
    }

    // ------------------------------------------------------------------ live traces

    /** File > Receive Live Traces…: the form; once the receiver listens, its strip above the status bar. */
    void receiveLive() {
        LiveReceivers receivers = workspace == null ? null : liveFor.apply(workspace);
        if (receivers == null || live != null && live.viewModel().runningProperty().get()) {
            return;
        }
        Workspace ws = workspace;
        LiveViewModel vm = new LiveViewModel(changes, background);
        LiveReceiveDialog form = new LiveReceiveDialog(stage, receivers, liveConfig, vm, () -> {
            if (ws != workspace) {
                // the workspace was switched while the receiver started: it must not write into a closed one
                LiveReceiver r = vm.release();
                background.run(r::stop, x -> { }, t -> { });
                return;
            }
            showLive(vm);
        });
        form.setOnHidden(e -> liveConfig = form.config().orElse(liveConfig));
        form.show();
    }

    private void showLive(LiveViewModel vm) {
        LivePanel panel = new LivePanel(vm);
        live = panel;
        receiveLiveItem.setDisable(true);
        vm.runningProperty().addListener((o, a, b) -> updateReceiveLiveItem());
        vm.stoppingProperty().addListener((o, a, b) -> updateReceiveLiveItem());
        panel.setOnClose(() -> {
            liveDock.getChildren().remove(panel);
            if (live == panel) {
                live = null;
            }
            updateReceiveLiveItem();
        });
        liveDock.getChildren().setAll(panel);
    }

    /** Receive Live Traces… is offered when the build has a receiver and none runs (or is stopping). */
    private void updateReceiveLiveItem() {
        boolean running = live != null && (live.viewModel().runningProperty().get()
                || live.viewModel().stoppingProperty().get());
        receiveLiveItem.setDisable(workspace == null || running || liveFor.apply(workspace) == null);
    }

    /** Stops the live receiver, if one runs, and hands it over for the caller to stop (null: none ran). */
    private LiveReceiver releaseLive() {
        if (live == null) {
            return null;
        }
        LiveReceiver r = live.viewModel().release();
        liveDock.getChildren().clear();
        live = null;
        return r;
    }

    /** Builds with a live receiver: {@code liveFor} starts receivers on a workspace (tests give a fake). */
    void setLiveReceivers(java.util.function.Function<Workspace, LiveReceivers> liveFor) {
        this.liveFor = liveFor;
        updateReceiveLiveItem();
    }

    /** Builds with recommendations: {@code recommendationsFor} computes them over a workspace. */
    void setRecommendations(java.util.function.Function<Workspace, RecommendationService> recommendationsFor) {
        this.recommendationsFor = recommendationsFor;
    }

    /** The SLOs area of the open workspace ({@code <home>/slo.yaml} to begin with), computed when first shown. */
    private SloView sloView() {
        if (slos == null) {
            SloView made = new SloView(new SloViewModel(workspace.slos(), tasks, opener.home().home()
                    .resolve("slo.yaml"), workspace.path().getFileName().toString()), this);
            slos = made;
            changes.subscribe(() -> {
                if (made == slos) {
                    refreshWhenShown(slosButton, made.viewModel()::reload);
                }
            });
            made.viewModel().reload();
        }
        return slos;
    }

    /** The Datasets area of the open workspace, made (and its datasets listed) when first shown. */
    private Node datasetsView() {
        if (datasets == null) {
            Label none = new Label("Datasets are not available in this build.");
            none.getStyleClass().add(Styles.MUTED);
            StackPane p = new StackPane(none);
            p.setId("datasets-unavailable");
            return p;
        }
        if (datasetsView == null) {
            DatasetsViewModel vm = new DatasetsViewModel(datasets, background);
            vm.workspaceNameProperty().set(workspace.path().getFileName().toString());
            datasetsView = new DatasetsView(vm, this, tasks);
            datasetsView.setDatasetFiles(datasetFiles);
            datasetsView.setOnImportTraces(() -> chooseImport(null));
            DatasetsView shown = datasetsView;
            changes.subscribe(() -> {
                if (shown == datasetsView) {
                    refreshWhenShown(datasetsButton, shown::refresh);
                }
            });
            vm.load();
        }
        return datasetsView;
    }

    /** True when no dataset has unsaved changes, or the user agrees to drop them ({@code action}: what would). */
    private boolean mayDropUnsavedDatasets(String action) {
        List<String> unsaved = datasetsView == null ? List.of() : datasetsView.viewModel().unsaved();
        if (unsaved.isEmpty()) {
            return true;
        }
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "The changes to " + String.join(", ", unsaved)
                + " are not saved as a version. " + action + " and lose them?", ButtonType.CANCEL, ButtonType.OK);
        a.initOwner(stage);
        a.setHeaderText("Unsaved dataset changes");
        boolean drop = a.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
        if (!drop) {
            showArea(datasetsButton);
        }
        return drop;
    }

    /**
     * "Add to dataset…" from any cohort: a review queue over its traces' answers; the accepted examples are saved as
     * the target dataset's next version, which the Datasets area then shows.
     */
    @Override
    public void addToDataset(Cohort cohort, String label) {
        if (workspace == null) {
            return;
        }
        if (evals == null || datasets == null) {
            info("Datasets not available", "This build cannot read the answers of traces or store datasets.");
            return;
        }
        Workspace ws = workspace;
        WorkspaceChanges changed = changes;
        ReviewQueueViewModel vm = new ReviewQueueViewModel(evals, datasets, ws.traces(), background, cohort, label,
                ws.path().getFileName().toString(), java.time.Instant::now);
        new ReviewQueueDialog(stage, vm, this, v -> {
            messageLabel.setText("Saved " + v.dataset() + " version " + v.version() + " (" + Format.count(
                    v.exampleCount()) + " examples)");
            if (ws == workspace) {
                datasetsView();
                if (datasetsView != null) {
                    datasetsView.viewModel().selectWhenListed(v.dataset());
                }
                changed.fire();
                showArea(datasetsButton);
            }
        }).show();
        vm.load(ReviewQueueViewModel.DEFAULT_LIMIT);
    }

    /** The Quality area of the open workspace, made (and its runs listed) when first shown. */
    private Node qualityView() {
        if (evals == null) {
            Label none = new Label("Eval results are not available in this build.");
            none.getStyleClass().add(Styles.MUTED);
            StackPane p = new StackPane(none);
            p.setId("quality-unavailable");
            return p;
        }
        if (quality == null) {
            QualityViewModel vm = new QualityViewModel(evals, background);
            quality = new QualityView(vm, this, tasks);
            quality.setOnImport(() -> chooseImport(null));
            quality.setOnRunEvaluators(evaluators == null ? null : this::runEvaluators);
            QualityView shown = quality;
            changes.subscribe(() -> {
                if (shown == quality) {
                    refreshWhenShown(qualityButton, shown::refresh);
                }
            });
            vm.load();
        }
        return quality;
    }

    /**
     * "Run Evaluators…" on the cohort of the area in view: the Latency area's cohort, the trace list's cohort chip;
     * elsewhere the user types one (all traces to begin with).
     */
    private void runEvaluators() {
        if (workspace == null || evaluators == null) {
            return;
        }
        Cohort cohort = null;
        String label = null;
        if (latencyButton.isSelected() && latency != null) {
            cohort = latency.viewModel().cohortProperty().get();
            label = cohort.label();
        } else if (tracesButton.isSelected() && traceListVm != null && traceListVm.cohortProperty().get() != null) {
            cohort = traceListVm.cohortProperty().get();
            label = traceListVm.cohortLabelProperty().get();
        }
        WorkspaceChanges changed = changes;
        Workspace ws = workspace;
        new RunEvaluatorsDialog(stage, evaluators, cohort, label, tasks, run -> {
            messageLabel.setText(RunEvaluatorsDialog.stored(run));
            if (ws == workspace) {
                if (quality != null) {
                    quality.viewModel().selectWhenListed(run.id());
                }
                changed.fire();
            }
        }).show();
    }

    @Override
    public void explain(String cohort) {
        if (workspace == null) {
            return;
        }
        showArea(latencyButton);
        latencyView().explain(cohort);
    }

    /** The Latency area of the open workspace, made (and its first queries started) when first shown. */
    private LatencyView latencyView() {
        if (latency == null) {
            AnalysisService analysis = analysisFor.apply(workspace);
            FindingsViewModel findings = new FindingsViewModel(analysis, background);
            findings.settingsProperty().set(checkSettings);
            findings.settingsProperty().addListener((o, a, b) -> checkSettings = b);
            latency = new LatencyView(new LatencyViewModel(analysis, background), findings,
                    id -> openTrace(id, null));
            latency.setNavigator(this);
            LatencyView shown = latency;
            changes.subscribe(() -> {
                if (shown == latency) {
                    refreshWhenShown(latencyButton, shown::refresh);
                }
            });
        }
        return latency;
    }

    // ------------------------------------------------------------------ workspaces

    private void chooseRemoteResult() {
        javafx.stage.DirectoryChooser dc = new javafx.stage.DirectoryChooser();
        dc.setTitle("Open a Spark result folder (LakeAnalysis --out)");
        java.io.File dir = dc.showDialog(stage);
        if (dir != null) {
            openRemoteResult(dir.toPath());
        }
    }

    /**
     * Opens a Spark result folder read-only in a window of its own (the workspace stays open beside it); the folder
     * is read in the background and a folder that is not a result says why there.
     */
    public void openRemoteResult(Path dir) {
        Stage w = new Stage();
        w.initOwner(stage);
        // the main window's size (not yet known while it is first shown: then most of the screen)
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        double width = stage.getWidth() > 0 ? stage.getWidth() : Math.min(1280, screen.getWidth());
        double height = stage.getHeight() > 0 ? stage.getHeight() : Math.min(800, screen.getHeight());
        double w0 = Math.max(900, width);
        double h0 = Math.max(600, height);
        Scene scene = new Scene(new dev.tracebench.views.analysis.RemoteResultView(dir, null, background), w0, h0);
        scene.getStylesheets().add(Styles.stylesheet());
        w.setScene(scene);
        w.setTitle("Remote result " + dir.getFileName() + " (read-only) - Tracebench");
        double x = stage.getWidth() > 0 ? stage.getX() : screen.getMinX();
        double y = stage.getWidth() > 0 ? stage.getY() : screen.getMinY();
        w.setMinWidth(600);
        w.setMinHeight(400);
        // as WindowPlacement: some window managers (openbox) shrink a new window to its minimum size once mapped
        w.addEventHandler(javafx.stage.WindowEvent.WINDOW_SHOWN, e -> javafx.application.Platform.runLater(() -> {
            w.setX(x);
            w.setY(y);
            w.setWidth(w0);
            w.setHeight(h0);
        }));
        w.show();
    }

    /** Opens (or creates) a workspace in the background and switches the window to it. */
    public void openWorkspace(Path path) {
        if (imports.isRunning()) {
            info("Import running", "Wait for the import to finish (or cancel it) before switching workspaces.");
            return;
        }
        if (live != null && live.viewModel().stoppingProperty().get()) {
            info("Live receiver stopping", "Wait for the live receiver to commit what it received before switching "
                    + "workspaces.");
            return;
        }
        if (!mayDropUnsavedDatasets("Open another workspace")) {
            return;
        }
        Path target = opener.resolve(path);
        boolean seeding = opener.needsSeeding(target);
        showPlaceholder(busy(seeding ? "Creating the default workspace with the sample traces…"
                : "Opening " + target + "…"));
        setWorkspaceItemsDisabled(true);
        background.run(() -> opener.openForApp(target, (d, t, m) -> { }), ws -> {
            setWorkspaceItemsDisabled(false);
            switchTo(ws);
            String notice = opener.takeNotice();
            if (notice != null) {
                info("Default workspace recreated", notice);
            }
        }, t -> {
            setWorkspaceItemsDisabled(false);
            error("Cannot open workspace", Background.message(t));
            if (workspace == null) {
                showPlaceholder(noWorkspace());
            } else {
                showArea((ToggleButton) nav.getSelectedToggle());
            }
        });
    }

    private void setWorkspaceItemsDisabled(boolean disabled) {
        for (MenuItem i : workspaceItems) {
            i.setDisable(disabled);
        }
    }

    private Node noWorkspace() {
        Button open = new Button("Open Workspace…");
        open.setOnAction(e -> chooseWorkspace());
        Button def = new Button("Open Default Workspace");
        def.setOnAction(e -> openWorkspace(opener.home().defaultWorkspace()));
        VBox box = new VBox(10, new Label("No workspace is open."), new HBox(8, open, def));
        ((HBox) box.getChildren().get(1)).setAlignment(Pos.CENTER);
        box.setAlignment(Pos.CENTER);
        return box;
    }

    private void switchTo(Workspace ws) {
        Workspace old = workspace;
        workspace = ws;
        opener.home().rememberWorkspace(ws.path());
        TraceService service = ws.traces();
        changes = new WorkspaceChanges();
        changes.subscribe(this::refreshCounts);
        traceListVm = new TraceListViewModel(service, background, changes, tasks);
        latency = null;
        recommendations = null;
        staleAreas.clear();
        quality = null;
        datasetsView = null;
        datasets = datasetsFor.apply(ws);
        slos = null;
        evals = evalsFor.apply(ws);
        evaluators = evaluatorsFor.apply(ws);
        runEvaluatorsItem.setDisable(evaluators == null);
        traceList = new TraceListView(traceListVm, this::openTrace, (a, b) -> compare(a.traceId(), b.traceId()),
                s -> compareWithTypical(s.traceId()));
        if (evaluators != null) {
            traceList.setOnRunEvaluators(this::runEvaluators);
        }
        if (evals != null && datasets != null) {
            traceList.setOnAddToDataset(this::addToDataset);
        }
        Tab listTab = new Tab("Traces", traceList);
        listTab.setClosable(false);
        listTab.setId("tab-traces");
        traceTabs = new TabPane(listTab);
        traceTabs.setId("trace-tabs");
        traceTabs.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
        importHistory = new ImportHistoryView(service, background, changes, tasks);
        workspaceLabel.setText(ws.path().getFileName().toString());
        workspaceLabel.setTooltip(new Tooltip(ws.path().toString()));
        stage.setTitle("Tracebench — " + ws.path());
        showArea((ToggleButton) nav.getSelectedToggle());
        refreshCounts();
        // a live receiver writes into the workspace it was started on: it stops (committing) before that closes
        LiveReceiver receiving = releaseLive();
        updateReceiveLiveItem();
        if (old != null || receiving != null) {
            // closing waits for queries still running on the old workspace: never on the FX thread
            background.run(() -> {
                if (receiving != null) {
                    receiving.stop();
                }
                if (old != null) {
                    old.close();
                }
                return null;
            }, x -> { }, t -> { });
        }
    }

    private void refreshCounts() {
        Workspace ws = workspace;
        if (ws == null) {
            return;
        }
        background.run(ws.traces()::stats, (WorkspaceStats s) -> {
            if (ws == workspace) {
                countsLabel.setText(Format.count(s.traces()) + " traces · " + Format.count(s.spans()) + " spans · "
                        + Format.count(s.services()) + " services");
            }
        }, t -> countsLabel.setText("counts unavailable: " + Background.message(t)));
    }

    /** Refresh (F5): every open view reloads, as after an import. */
    private void refreshAll() {
        changes.fire();
    }

    private void newWorkspace() {
        FileChooser fc = workspaceChooser("New workspace");
        fc.setInitialFileName("workspace.duckdb");
        File f = fc.showSaveDialog(stage);
        if (f != null) {
            openWorkspace(f.toPath());
        }
    }

    private void chooseWorkspace() {
        File f = workspaceChooser("Open workspace").showOpenDialog(stage);
        if (f != null) {
            openWorkspace(f.toPath());
        }
    }

    private FileChooser workspaceChooser(String title) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Tracebench workspaces (*.duckdb)",
                "*.duckdb"), new FileChooser.ExtensionFilter("All files", "*"));
        File dir = opener.home().workspacesDir().toFile();
        if (dir.isDirectory()) {
            fc.setInitialDirectory(dir);
        }
        return fc;
    }

    private void rebuildRecent() {
        recentMenu.getItems().clear();
        for (Path p : opener.home().recentWorkspaces()) {
            MenuItem i = new MenuItem(p.toString());
            i.setMnemonicParsing(false);
            i.setOnAction(e -> openWorkspace(p));
            recentMenu.getItems().add(i);
        }
        if (recentMenu.getItems().isEmpty()) {
            MenuItem none = new MenuItem("(none yet)");
            none.setDisable(true);
            recentMenu.getItems().add(none);
        }
    }

    // ------------------------------------------------------------------ traces

    private void openTrace(TraceSummary summary) {
        openTrace(summary.traceId(), summary.rootName());
    }

    /**
     * Opens a trace in a tab next to the trace table (or selects its tab) and shows the Traces area; {@code name}
     * (the root operation) titles the tab, or the trace's root span once it has loaded.
     */
    void openTrace(TraceId id, String name) {
        openTrace(id, name, 0);
    }

    @Override
    public void openTrace(TraceId traceId, long spanId) {
        openTrace(traceId, null, spanId);
    }

    private void openTrace(TraceId id, String name, long spanId) {
        if (workspace == null) {
            return;
        }
        String key = id.hex();
        Tab existing = tab(key);
        if (existing != null) {
            traceTabs.getSelectionModel().select(existing);
            if (spanId != 0 && existing.getContent() instanceof TraceView v) {
                v.viewModel().selectSpan(spanId);
            }
        } else {
            TraceViewModel vm = new TraceViewModel(workspace.traces(), analysisFor.apply(workspace), background, id,
                    this::normalizer).withEvals(evals);
            if (spanId != 0) {
                vm.selectSpan(spanId);
            }
            TraceView view = new TraceView(vm, this::compareWithTypical);
            Tab tab = new Tab(tabName(name == null ? "trace" : name) + " · " + key.substring(0, 8), view);
            tab.setUserData(key);
            tab.setTooltip(new Tooltip((name == null ? "" : name + "\n") + key));
            if (name == null) {
                vm.waterfallProperty().addListener((o, a, w) -> {
                    String root = w == null || w.roots().isEmpty() ? null : w.roots().get(0).span().name();
                    if (root != null) {
                        tab.setText(tabName(root) + " · " + key.substring(0, 8));
                        tab.setTooltip(new Tooltip(root + "\n" + key));
                    }
                });
            }
            // an open trace reloads after an import (its spans may have arrived in several files)
            javafx.util.Subscription sub = changes.subscribe(vm::load);
            tab.setOnClosed(e -> sub.unsubscribe());
            traceTabs.getTabs().add(tab);
            traceTabs.getSelectionModel().select(tab);
        }
        showArea(tracesButton);
    }

    @Override
    public void showTraces(Cohort cohort, String label) {
        if (workspace == null || traceListVm == null) {
            return;
        }
        traceListVm.showCohort(cohort, label);
        traceTabs.getSelectionModel().select(0);
        showArea(tracesButton);
    }

    private static String tabName(String name) {
        String n = Format.spanName(name);
        return n.length() > 28 ? n.substring(0, 27) + "…" : n;
    }

    private boolean selectTab(String key) {
        Tab t = tab(key);
        if (t != null) {
            traceTabs.getSelectionModel().select(t);
        }
        return t != null;
    }

    private Tab tab(String key) {
        for (Tab t : traceTabs.getTabs()) {
            if (key.equals(t.getUserData())) {
                return t;
            }
        }
        return null;
    }

    /** Compares trace {@code b} with the baseline {@code a} in a tab. */
    void compare(TraceId a, TraceId b) {
        openCompare("compare:" + a.hex() + ":" + b.hex(), "Compare " + a.hex().substring(0, 6) + " · "
                + b.hex().substring(0, 6), CompareViewModel.of(analysisFor.apply(workspace), workspace.traces(),
                background, a, b));
    }

    /** Compares a trace with a typical one of its operation in a tab. */
    void compareWithTypical(TraceId slow) {
        openCompare("typical:" + slow.hex(), "Typical vs " + slow.hex().substring(0, 8), CompareViewModel
                .withTypical(analysisFor.apply(workspace), workspace.traces(), background, slow));
    }

    private void openCompare(String key, String title, CompareViewModel vm) {
        if (workspace == null) {
            return;
        }
        if (!selectTab(key)) {
            Tab tab = new Tab(title, new CompareView(vm, id -> openTrace(id, null)));
            tab.setUserData(key);
            tab.setId("tab-" + key.substring(0, key.indexOf(':')));
            traceTabs.getTabs().add(tab);
            traceTabs.getSelectionModel().select(tab);
        }
        showArea(tracesButton);
    }

    private void closeCurrentTraceTab() {
        if (traceTabs == null) {
            return;
        }
        Tab t = traceTabs.getSelectionModel().getSelectedItem();
        if (t != null && t.isClosable()) {
            traceTabs.getTabs().remove(t);
        }
    }

    // ------------------------------------------------------------------ imports

    /** Asks for files and imports them; {@code formatId} null recognises each file's format from its content. */
    private void chooseImport(String formatId) {
        FileChooser fc = new FileChooser();
        fc.setTitle(formatId == null ? "Import trace or eval files"
                : "Import as " + dev.tracebench.importers.TraceFormats.byId(formatId).displayName());
        fc.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Trace and eval files (json, jsonl, csv, protobuf; gz, zst)",
                        "*.json", "*.jsonl", "*.ndjson", "*.csv", "*.tsv", "*.log", "*.gz", "*.zst", "*.zstd", "*.pb",
                        "*.proto", "*.binpb", "*.otlp", "*.bin"),
                new FileChooser.ExtensionFilter("All files", "*"));
        List<File> files = fc.showOpenMultipleDialog(stage);
        if (files != null && !files.isEmpty()) {
            importFiles(files.stream().map(File::toPath).toList(), formatId);
        }
    }

    /** Asks for a folder and imports every trace and eval file in it and its subfolders. */
    private void chooseImportFolder() {
        javafx.stage.DirectoryChooser dc = new javafx.stage.DirectoryChooser();
        dc.setTitle("Import every trace and eval file in a folder");
        File folder = dc.showDialog(stage);
        if (folder != null) {
            importFiles(List.of(folder.toPath()));
        }
    }

    /**
     * Imports files into the open workspace, with progress and Cancel in the status bar; a folder imports every trace
     * and eval file inside it.
     */
    public void importFiles(List<Path> files) {
        importFiles(files, null);
    }

    /** As {@link #importFiles(List)}, reading every file as the format {@code formatId} (null: recognise it). */
    public void importFiles(List<Path> files, String formatId) {
        importFiles(files, formatId, Map.of());
    }

    /**
     * As {@link #importFiles(List, String)}, reading the tables of eval results among {@code files} with the column
     * mappings the user gave ({@code mappings}; after it, a table refused for unrecognised columns is not offered the
     * mapping dialog again).
     */
    private void importFiles(List<Path> files, String formatId, Map<Path, ColumnMapping> mappings) {
        if (workspace == null) {
            error("No workspace", "Open a workspace before importing.");
            return;
        }
        if (imports.isRunning()) {
            info("Import running", "An import is already running; wait for it or cancel it.");
            return;
        }
        Workspace ws = workspace;
        setWorkspaceItemsDisabled(true);
        messageLabel.setText("");
        FileImportService service = new FileImportService(() -> ws, () -> opener.home().ingestOptions(null));
        dev.tracebench.core.ingest.ImportService as = formatId == null && mappings.isEmpty() ? service
                : (f, progress, cancel) -> service.importFile(f, formatId, mappings.get(f), progress, cancel);
        WorkspaceChanges changed = changes;
        CountDownLatch done = new CountDownLatch(1);
        DatasetService datasets = datasetsFor == null ? null : datasetsFor.apply(ws);
        imports.start(as, formatId == null && mappings.isEmpty() ? datasets : null, files, outcome -> {
            done.countDown();
            setWorkspaceItemsDisabled(false);
            if (ws == workspace && (outcome.reports().stream().anyMatch(ImportReport::committed)
                    || !outcome.datasets().isEmpty())) {
                changed.fire();
            }
            reportImports(outcome);
            if (mappings.isEmpty() && formatId == null) {
                offerMappings(outcome.tables());
            }
        });
        tasks.start(importTask(files, done), "Import", x -> { });
    }

    /**
     * Offers the column mapping dialog for each table the importer refused for columns it does not recognise, then
     * imports those the user mapped.
     */
    private void offerMappings(List<ImportRunner.Table> tables) {
        Map<Path, ColumnMapping> mapped = new java.util.LinkedHashMap<>();
        for (ImportRunner.Table t : tables) {
            new ColumnMappingDialog(stage, t.file(), t.preview()).showAndWait().ifPresent(m -> mapped.put(t.file(), m));
        }
        if (!mapped.isEmpty()) {
            importFiles(List.copyOf(mapped.keySet()), null, mapped);
        }
    }

    /**
     * The status line, and a report dialog when a file had problems (rejected records, no spans, unusable) or files
     * in a folder were skipped (listed with what they look like).
     */
    private void reportImports(ImportRunner.Outcome outcome) {
        List<ImportReport> reports = outcome.reports();
        long added = reports.stream().mapToLong(ImportReport::spansAdded).sum();
        long evalResults = reports.stream().mapToLong(ImportReport::evalResults).sum();
        long imported = reports.stream().filter(ImportReport::committed).count();
        boolean anyProblem = reports.stream().anyMatch(r -> !r.committed() || r.rejected() > 0
                || r.spansRead() == 0 && r.evalResults() == 0);
        int skipped = outcome.skipped().size();
        List<String> datasetLines = outcome.datasets().stream()
                .map(d -> d.summaryLine().substring(d.summaryLine().lastIndexOf(java.io.File.separatorChar) + 1))
                .toList();
        messageLabel.setText((reports.isEmpty() ? "" : "Imported " + imported + " of " + reports.size() + " file"
                + (reports.size() == 1 ? "" : "s") + ": " + Format.count(added) + " spans added"
                + (evalResults == 0 ? "" : ", " + Format.count(evalResults) + " eval results"))
                + (datasetLines.isEmpty() ? "" : (reports.isEmpty() ? "" : "; ") + String.join("; ", datasetLines))
                + (skipped == 0 ? "" : "; " + skipped + " skipped (not trace or eval files)"));
        if (!anyProblem && skipped == 0) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (ImportReport r : reports) {
            sb.append(r.summaryLine()).append('\n');
            int shown = 0;
            for (Problem p : r.problems()) {
                if (shown++ == 50) {
                    sb.append("  … more in the Imports area\n");
                    break;
                }
                sb.append("  ").append(p).append('\n');
            }
        }
        if (skipped > 0) {
            sb.append(skipped).append(" file(s) skipped:\n");
            for (dev.tracebench.importers.FolderScan.Entry e : outcome.skipped()) {
                sb.append("  ").append(e.file()).append(": ").append(e.reason()).append('\n');
            }
        }
        Alert a = new Alert(anyProblem ? Alert.AlertType.WARNING : Alert.AlertType.INFORMATION, "", ButtonType.OK);
        a.initOwner(stage);
        a.setTitle(anyProblem ? "Import finished with problems" : "Import finished");
        a.setHeaderText(reports.stream().noneMatch(ImportReport::committed) ? "Nothing was imported."
                : anyProblem ? "Some records or files could not be imported."
                : "Every trace and eval file was imported; other files were skipped.");
        TextArea text = new TextArea(sb.toString());
        text.setEditable(false);
        text.setWrapText(true);
        text.setPrefSize(820, 360);
        text.setId("import-report-text");
        a.getDialogPane().setContent(text);
        // the header and every line of the report stay readable: the dialog grows with its text and can be resized
        a.setResizable(true);
        a.getDialogPane().setMinHeight(Region.USE_PREF_SIZE);
        a.getDialogPane().setPrefWidth(860);
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        a.getDialogPane().setMaxHeight(screen.getHeight() * 0.9);
        a.show();
    }

    private void installDragAndDrop(Scene scene) {
        scene.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles() && workspace != null && !imports.isRunning()) {
                e.acceptTransferModes(TransferMode.COPY);
                dropHint.setVisible(true);
            }
            e.consume();
        });
        scene.setOnDragExited(e -> dropHint.setVisible(false));
        scene.setOnDragDropped(e -> {
            dropHint.setVisible(false);
            boolean ok = e.getDragboard().hasFiles();
            if (ok) {
                List<Path> files = e.getDragboard().getFiles().stream().map(File::toPath).toList();
                Platform.runLater(() -> importFiles(files));
            }
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    private void installShortcuts(Scene scene) {
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), () -> dropHint.setVisible(false));
    }

    /** A task in the status bar's list mirroring the running import (its progress, message and Cancel). */
    private Task<Void> importTask(List<Path> files, CountDownLatch done) {
        return new Task<>() {
            private final javafx.beans.InvalidationListener mirror = o -> {
                updateMessage(imports.messageProperty().get());
                double p = imports.progressProperty().get();
                updateProgress(p < 0 ? -1 : p, 1);
            };

            {
                imports.progressProperty().addListener(mirror);
                imports.messageProperty().addListener(mirror);
            }

            @Override
            protected Void call() throws InterruptedException {
                updateTitle("Import " + (files.size() == 1 ? files.get(0).getFileName() : files.size() + " files"));
                try {
                    done.await();
                } finally {
                    Platform.runLater(() -> {
                        imports.progressProperty().removeListener(mirror);
                        imports.messageProperty().removeListener(mirror);
                    });
                }
                return null;
            }

            @Override
            protected void cancelled() {
                imports.cancel();
            }
        };
    }

    /** The running background tasks: a button in the status bar opening a list of them, each with Cancel. */
    private Node tasksButton() {
        TaskProgressView<Task<?>> list = new TaskProgressView<>();
        Bindings.bindContent(list.getTasks(), tasks.tasks());
        list.setPrefSize(460, 260);
        Button b = new Button();
        b.setId("tasks-button");
        b.getStyleClass().add("tb-small-button");
        b.textProperty().bind(Bindings.size(tasks.tasks()).asString("%d running"));
        b.visibleProperty().bind(Bindings.isNotEmpty(tasks.tasks()));
        b.managedProperty().bind(b.visibleProperty());
        b.setTooltip(new Tooltip("Background tasks: imports, exports (with Cancel)"));
        PopOver pop = new PopOver(list);
        pop.setArrowLocation(PopOver.ArrowLocation.BOTTOM_RIGHT);
        pop.setTitle("Background tasks");
        pop.setHeaderAlwaysVisible(true);
        pop.setDetachable(false);
        b.setOnAction(e -> {
            if (pop.isShowing()) {
                pop.hide();
            } else {
                pop.show(b);
            }
        });
        return b;
    }

    private void showShortcuts() {
        String[][] keys = {
            {"Ctrl+I", "Import files"}, {"Ctrl+O", "Open workspace"}, {"Ctrl+N", "New workspace"},
            {"Ctrl+1", "Traces"}, {"Ctrl+2", "Imports"}, {"Ctrl+3", "Latency"}, {"Ctrl+4", "Quality"},
            {"Ctrl+5", "Datasets"}, {"Ctrl+Z / Ctrl+Shift+Z, Ctrl+Y", "In Datasets: undo / redo an edit"},
            {"Ctrl+S", "In Datasets: save the changes as a new version"},
            {"A, Enter / S / E / B", "In a review queue: accept / skip / edit / back"},
            {"Ctrl+6", "SLOs"}, {"Ctrl+S", "In the SLO editor: save the file"}, {"Ctrl+7", "Recommendations"},
            {"F5", "Refresh"}, {"Ctrl+E", "Run evaluators on the cohort in view"},
            {"Ctrl+F", "Search traces"}, {"Ctrl+W", "Close tab"}, {"Enter", "Open the selected trace"},
            {"Ctrl+D", "Compare the two selected traces"},
            {"Z", "In a trace: zoom to the selected span (or double-click it)"},
            {"Escape", "In a trace: show the whole trace"},
            {"↑ ↓", "In a trace: move through spans"}, {"← →", "In a trace: collapse and expand"},
            {"Ctrl+Space", "In the search: list attribute keys"},
            {"Enter", "In the findings: open the selected finding's first example trace"},
            {"Space", "In the findings: show why"},
            {"Enter", "In Quality: open the selected example's (or regression's) trace"}};
        javafx.scene.layout.GridPane grid = new javafx.scene.layout.GridPane();
        grid.setId("shortcuts-grid");
        grid.setHgap(18);
        grid.setVgap(5);
        for (int i = 0; i < keys.length; i++) {
            Label k = new Label(keys[i][0]);
            k.getStyleClass().addAll(Styles.MONO, "tb-key");
            grid.addRow(i, k, new Label(keys[i][1]));
        }
        Alert a = new Alert(Alert.AlertType.INFORMATION, "", ButtonType.OK);
        a.initOwner(stage);
        a.setTitle("Keyboard shortcuts");
        a.setHeaderText(null);
        a.setGraphic(null);
        a.getDialogPane().setContent(grid);
        a.show();
    }

    private void info(String title, String text) {
        Alert a = new Alert(Alert.AlertType.INFORMATION, text, ButtonType.OK);
        a.initOwner(stage);
        a.setTitle(title);
        a.setHeaderText(null);
        a.show();
    }

    private void error(String title, String text) {
        Alert a = new Alert(Alert.AlertType.ERROR, text, ButtonType.OK);
        a.initOwner(stage);
        a.setTitle(title);
        a.setHeaderText(title);
        a.getDialogPane().setMinWidth(560);
        a.show();
    }

    /** A normaliser with the user's current rules and prices (the defaults if those files are broken). */
    private dev.tracebench.core.normalize.SpanNormalizer normalizer() {
        try {
            return opener.home().ingestOptions(null).newNormalizer();
        } catch (RuntimeException e) {
            return new dev.tracebench.core.normalize.SpanNormalizer();
        }
    }

    /** Closes the workspace and background threads (on exit). */
    public void shutdown() {
        if (live != null) {
            live.viewModel().awaitStopped(); // a Stop clicked just before quitting finishes its commit
        }
        LiveReceiver receiving = releaseLive();
        if (receiving != null) {
            receiving.stop(); // commits what it accepted before the workspace closes
        }
        imports.cancel();
        background.close();
        if (workspace != null) {
            workspace.close();
        }
    }

    // for tests
    TabPane traceTabs() {
        return traceTabs;
    }

    Workspace workspace() {
        return workspace;
    }

    ImportRunner importRunner() {
        return imports;
    }

    LatencyView latency() {
        return latency;
    }

    DatasetsView datasets() {
        return datasetsView;
    }

    ImportHistoryView importHistory() {
        return importHistory;
    }

    LivePanel livePanel() {
        return live;
    }

    RecommendationsView recommendations() {
        return recommendations;
    }

}
