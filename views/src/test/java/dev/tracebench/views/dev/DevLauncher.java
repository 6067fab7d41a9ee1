package dev.tracebench.views.dev;

import dev.tracebench.core.model.TraceId;
import dev.tracebench.views.analysis.FindingsViewModel;
import dev.tracebench.views.analysis.LatencyView;
import dev.tracebench.views.analysis.LatencyViewModel;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.testing.FakeAnalysisService;
import dev.tracebench.views.testing.FakeTraceService;
import dev.tracebench.views.testing.FakeWorkspace;
import dev.tracebench.views.trace.TraceView;
import dev.tracebench.views.trace.TraceViewModel;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;

/**
 * A manual look at the analysis views on the fake services (no workspace needed). Run the {@code main} of
 * {@link DevLauncher} with the views' test classpath; argument "trace" or "compare" opens that view first.
 */
public final class DevLauncher {
    private DevLauncher() {
    }

    public static void main(String[] args) {
        Application.launch(App.class, args);
    }

    /** The application. */
    public static final class App extends Application {
        private final Background background = new Background(2);
        private final FakeWorkspace ws = FakeWorkspace.standard();
        private final FakeAnalysisService analysis = new FakeAnalysisService(ws).delay(
                Long.getLong("dev.delay", 150)).explainDelay(Long.getLong("dev.explainDelay", 1500));
        private final FakeTraceService traces = new FakeTraceService(ws);
        private final dev.tracebench.views.testing.FakeEvalService evals = dev.tracebench.views.testing
                .FakeEvalService.standard(ws);
        private dev.tracebench.views.quality.QualityView quality;
        private TabPane tabs;
        private TraceView lastTrace;

        @Override
        public void start(Stage stage) {
            LatencyView latency = new LatencyView(new LatencyViewModel(analysis, background),
                    new FindingsViewModel(analysis, background), this::open);
            Tab t = new Tab("Latency", latency);
            t.setClosable(false);
            tabs = new TabPane(t);
            String[] size = System.getProperty("dev.size", "1400x880").split("x");
            Scene scene = new Scene(tabs, Integer.parseInt(size[0]), Integer.parseInt(size[1]));
            scene.getStylesheets().add(Styles.stylesheet());
            stage.setScene(scene);
            stage.setTitle("Tracebench views (fake services)");
            stage.show();
            for (String a : getParameters().getRaw()) {
                String[] kv = a.split("=", 2);
                switch (kv[0]) {
                    case "kind" -> latency.viewModel().kindProperty().set(
                            dev.tracebench.core.analysis.Cohort.Kind.valueOf(kv[1]));
                    case "group" -> latency.viewModel().dimensionProperty().set(
                            dev.tracebench.core.analysis.Dimension.valueOf(kv[1]));
                    case "stage" -> latency.viewModel().stageProperty().set(kv[1]);
                    case "filter" -> {
                        latency.viewModel().filterProperty().set(kv[1]);
                        latency.viewModel().kindProperty().set(dev.tracebench.core.analysis.Cohort.Kind.FILTER);
                    }
                    case "brush" -> latency.viewModel().brush(FakeWorkspace.T0 + 13 * 3_600_000_000_000L,
                            FakeWorkspace.T0 + 16 * 3_600_000_000_000L, 1_000_000_000L, 4_000_000_000L);
                    case "tab" -> latency.showTab(Integer.parseInt(kv[1]));
                    case "explain" -> latency.explain();
                    case "trace" -> open(ws.traces().get(kv.length > 1 ? Integer.parseInt(kv[1]) : 7).id());
                    case "compare" -> compare(ws.traces().get(kv.length > 1 ? Integer.parseInt(kv[1]) : 7).id());
                    case "stagecolors" -> lastTrace.viewModel().colorByStageProperty().set(true);
                    case "quality" -> quality(kv.length > 1 ? kv[1] : "standard");
                    case "qtab" -> quality.showTab(Integer.parseInt(kv[1]));
                    case "qexample" -> javafx.application.Platform.runLater(() -> javafx.application.Platform
                            .runLater(() -> quality.lookupAll("#quality-examples").forEach(n -> ((javafx.scene
                            .control.TableView<?>) n).getSelectionModel().select(Integer.parseInt(kv[1])))));
                    case "spanquality" -> javafx.application.Platform.runLater(() -> lastTrace.lookupAll(".tab-pane")
                            .forEach(n -> ((TabPane) n).getTabs().stream().filter(x -> "span-quality-tab".equals(
                                    x.getId())).findFirst().ifPresent(x -> ((TabPane) n).getSelectionModel()
                                    .select(x))));
                    case "runevaluators" -> new dev.tracebench.views.quality.RunEvaluatorsDialog(tabs.getScene()
                            .getWindow(), new dev.tracebench.views.testing.FakeEvaluatorRunPort(), null, null,
                            new dev.tracebench.views.common.BackgroundTasks(), r -> { }).show();
                    default -> System.err.println("unknown argument " + a);
                }
            }
        }

        /** The Quality area on the fake eval service ("empty": without runs). */
        private void quality(String which) {
            dev.tracebench.views.testing.FakeEvalService service = which.equals("empty")
                    ? new dev.tracebench.views.testing.FakeEvalService(ws) : evals;
            dev.tracebench.views.quality.QualityViewModel vm = new dev.tracebench.views.quality.QualityViewModel(
                    service, background);
            quality = new dev.tracebench.views.quality.QualityView(vm, new dev.tracebench.views.common.Navigator() {
                @Override
                public void openTrace(TraceId traceId, long spanId) {
                    open(traceId);
                }

                @Override
                public void showTraces(dev.tracebench.core.analysis.Cohort cohort, String label) {
                    System.err.println("show traces " + label);
                }

                @Override
                public void explain(String cohort) {
                    System.err.println("explain " + cohort);
                }
            }, new dev.tracebench.views.common.BackgroundTasks());
            quality.setOnRunEvaluators(() -> { });
            Tab t = new Tab("Quality", quality);
            tabs.getTabs().add(t);
            tabs.getSelectionModel().select(t);
            vm.load();
        }

        private void open(TraceId id) {
            TraceView v = new TraceView(new TraceViewModel(traces, analysis, background, id,
                    dev.tracebench.core.normalize.SpanNormalizer::new).withEvals(evals), this::compare);
            lastTrace = v;
            Tab t = new Tab(id.hex().substring(0, 8), v);
            tabs.getTabs().add(t);
            tabs.getSelectionModel().select(t);
        }

        private void compare(TraceId slow) {
            dev.tracebench.views.compare.CompareView v = new dev.tracebench.views.compare.CompareView(
                    dev.tracebench.views.compare.CompareViewModel.withTypical(analysis, traces, background, slow),
                    this::open);
            Tab t = new Tab("Compare " + slow.hex().substring(0, 8), v);
            tabs.getTabs().add(t);
            tabs.getSelectionModel().select(t);
        }

        @Override
        public void stop() {
            background.close();
        }
    }
}
