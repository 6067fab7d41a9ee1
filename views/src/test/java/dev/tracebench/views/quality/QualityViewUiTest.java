package dev.tracebench.views.quality;

import static dev.tracebench.views.testing.Fx.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.eval.EvalExample;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.core.eval.RunComparison;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.BackgroundTasks;
import dev.tracebench.views.common.Navigator;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.testing.FakeEvalService;
import dev.tracebench.views.testing.FakeWorkspace;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The Quality area on the fake eval service, driven as a user would (headless): runs listed, a run's cards and
 * examples, Enter and double-click opening the trace, the unsupported claim marked, no secret on screen, the
 * comparison's deltas and regressions, "Why bad?" and the empty state.
 */
@ExtendWith(ApplicationExtension.class)
class QualityViewUiTest {
    private static final FakeWorkspace WS = new FakeWorkspace(200, 7);
    private static final int N = FakeEvalService.EXAMPLES;
    private final FakeEvalService service = FakeEvalService.standard(WS);
    private final Background background = new Background(2);
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private QualityView view;
    private Stage stage;

    private final Navigator navigator = new Navigator() {
        @Override
        public void openTrace(TraceId traceId, long spanId) {
            calls.add("open " + traceId.hex() + " " + spanId);
        }

        @Override
        public void showTraces(Cohort cohort, String label) {
            calls.add("show " + label);
        }

        @Override
        public void explain(String cohort) {
            calls.add("explain " + cohort);
        }
    };

    @Start
    void start(Stage stage) {
        this.stage = stage;
        view = new QualityView(new QualityViewModel(service, background), navigator, new BackgroundTasks());
        Scene scene = new Scene(view, 1280, 800);
        scene.getStylesheets().add(Styles.stylesheet());
        stage.setScene(scene);
        stage.show();
        view.viewModel().load();
    }

    @AfterEach
    void close() {
        background.close();
    }

    private QualityViewModel vm() {
        return view.viewModel();
    }

    private void loaded() {
        waitFor("runs, cards and examples", () -> vm().runsLoadedProperty().get() && !vm().loadingProperty().get()
                && !view.cards().getChildren().isEmpty() && !view.exampleTable().getItems().isEmpty());
    }

    private static long count(java.util.function.IntPredicate p) {
        return IntStream.range(0, N).filter(p).count();
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%% pass", share * 100);
    }

    private String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    @Test
    void theRunsAreListedAndTheNewestShowsItsCardsAndExamples(FxRobot robot) {
        loaded();
        TableView<EvalRun> runs = view.runTable();
        assertEquals(List.of("evaluators 06-03", "nightly-06-02", "ragas-baseline"), runs.getItems().stream()
                .map(EvalRun::name).toList());
        assertEquals("(computed here)", runs.getColumns().get(2).getCellData(0));
        assertEquals("120 (98%)", runs.getColumns().get(6).getCellData(0), "two results link to no trace");
        assertEquals(3, view.cards().getChildren().size());
        long hallucinated = count(i -> i % 4 == 0);
        assertEquals(percent((double) (N + 2 - hallucinated) / (N + 2)), text(robot, "#metric-rate-groundedness"));
        assertEquals(percent((N - 1) / (double) N), text(robot, "#metric-rate-safety"), "one answer leaks a key");
        assertEquals(N + 2, view.exampleTable().getItems().size());

        // another run: its own cards and examples
        robot.interact(() -> runs.getSelectionModel().select(2));
        waitFor("run 1", () -> !vm().loadingProperty().get() && view.cards().getChildren().size() == 2
                && view.exampleTable().getItems().size() == N);
        assertEquals(percent((N - count(i -> i % 6 == 0)) / (double) N), text(robot, "#metric-rate-groundedness"));
        MetricCard card = (MetricCard) view.cards().getChildren().get(0);
        org.jfree.data.xy.XYDataset bars = card.chart().plot().getDataset();
        double charted = IntStream.range(0, bars.getItemCount(0)).mapToDouble(i -> bars.getYValue(0, i)).sum();
        assertEquals(N, charted, 0, "the distribution holds every score of the run's groundedness");
        assertEquals(QualityViewModel.BINS, bars.getItemCount(0));
    }

    @Test
    void enterAndDoubleClickOpenTheExamplesTrace(FxRobot robot) {
        loaded();
        TableView<EvalExample> table = view.exampleTable();
        EvalExample first = table.getItems().get(0);
        robot.interact(() -> {
            table.requestFocus();
            table.getSelectionModel().select(0);
        });
        robot.type(KeyCode.ENTER);
        assertEquals(List.of("open " + first.traceId().hex() + " 0"), calls);
        EvalExample second = table.getItems().get(1);
        robot.interact(() -> table.scrollTo(0));
        Node row = robot.lookup("#quality-examples .table-row-cell").nth(1).query();
        robot.doubleClickOn(row);
        assertEquals("open " + second.traceId().hex() + " 0", calls.get(calls.size() - 1));
        // the detail's button does the same
        robot.clickOn("#example-open-trace");
        assertEquals("open " + second.traceId().hex() + " 0", calls.get(calls.size() - 1));
        assertEquals(3, calls.size());
    }

    @Test
    void theDetailMarksTheUnsupportedClaimAndMasksSecrets(FxRobot robot) {
        loaded();
        TableView<EvalExample> table = view.exampleTable();
        int hallucinated = IntStream.range(0, table.getItems().size()).filter(i -> !table.getItems().get(i)
                .unsupported().isEmpty()).findFirst().orElseThrow();
        robot.interact(() -> table.getSelectionModel().select(hallucinated));
        TextFlow answer = robot.lookup("#example-answer").queryAs(TextFlow.class);
        List<Text> marked = answer.getChildren().stream().map(Text.class::cast)
                .filter(t -> t.getStyleClass().contains("tb-unsupported")).toList();
        assertEquals(1, marked.size());
        assertEquals(FakeEvalService.CLAIM, marked.get(0).getText());
        String whole = answer.getChildren().stream().map(n -> ((Text) n).getText()).reduce("", String::concat);
        assertEquals(table.getItems().get(hallucinated).answer(), whole, "the answer whole, in order");

        // example 3 leaks a key: neither the table nor the detail shows it
        int leaky = IntStream.range(0, table.getItems().size()).filter(i -> table.getItems().get(i).answer()
                .contains(FakeEvalService.LEAKED_KEY)).findFirst().orElseThrow();
        robot.interact(() -> {
            table.getSelectionModel().select(leaky);
            table.scrollTo(leaky);
        });
        for (Node n : robot.lookup("#quality-view .text").queryAll()) {
            assertFalse(((Text) n).getText().contains("4f9a8b7c6d5e"), ((Text) n).getText());
        }
        for (Label l : robot.lookup("#example-detail .label").queryAllAs(Label.class)) {
            assertFalse(l.getText() != null && l.getText().contains("4f9a8b7c6d5e"), l.getText());
        }
        assertFalse(QualityView.examplesTable(table.getItems()).rows().toString().contains("4f9a8b7c6d5e"),
                "the CSV masks it too");
    }

    @Test
    void compareShowsEachMetricsDeltaAndTheRegressionsOpenTheirTraces(FxRobot robot) {
        loaded();
        robot.interact(() -> view.showTab(2));
        // the two runs chosen by default (the second newest as the baseline) are compared when the tab shows
        waitFor("the comparison", () -> view.deltaTable().getItems().size() == 2);
        assertEquals(List.of("compare 2 3"), service.log().stream().filter(l -> l.startsWith("compare")).toList());
        TableView<RunComparison.MetricDelta> deltas = view.deltaTable();
        int g = deltas.getItems().get(0).evaluator().equals("groundedness") ? 0 : 1;
        double meanA = (count(i -> i % 5 == 0) * 0.2 + count(i -> i % 5 != 0) * 0.95) / N;
        double meanB = (count(i -> i % 4 == 0) * 0.2 + count(i -> i % 4 != 0) * 0.95) / N;
        assertEquals(QualityText.signed(meanB - meanA), deltas.getColumns().get(4).getCellData(g));
        assertEquals(String.format(Locale.ROOT, "%.2f", meanA), deltas.getColumns().get(2).getCellData(g));
        RunComparison.MetricDelta d = deltas.getItems().get(g);
        assertEquals("[" + QualityText.signed(d.ciLow()) + ", " + QualityText.signed(d.ciHigh()) + "]",
                deltas.getColumns().get(5).getCellData(g));
        long regressed = count(i -> i % 4 == 0 && i % 5 != 0) + count(i -> i % 10 < 2);
        assertEquals(regressed, view.regressedTable().getItems().size());
        assertEquals(count(i -> i % 5 == 0 && i % 4 != 0), view.fixedTable().getItems().size());

        RunComparison.ExampleChange first = view.regressedTable().getItems().get(0);
        robot.interact(() -> {
            view.regressedTable().requestFocus();
            view.regressedTable().getSelectionModel().select(0);
        });
        robot.type(KeyCode.ENTER);
        assertEquals("open " + first.traceIdB().hex() + " 0", calls.get(calls.size() - 1));

        // another baseline: compared again, and Compare runs it once more on demand
        robot.interact(() -> vm().compareAProperty().set(vm().runs().get(2)));
        waitFor("run 3 against run 1", () -> !vm().comparingProperty().get() && vm().comparisonProperty().get() != null
                && vm().comparisonProperty().get().a().id() == 1);
        robot.clickOn("#quality-compare");
        waitFor("compared again", () -> service.log().stream().filter(l -> l.equals("compare 1 3")).count() == 2);
    }

    @Test
    void theOverTimeChartDrawsTheMetricsPassRateAndMean(FxRobot robot) {
        loaded();
        robot.interact(() -> view.showTab(1));
        waitFor("the points", () -> !vm().timePoints().isEmpty() && view.timeData().getSeriesCount() == 2
                && view.timeData().getItemCount(0) == vm().timePoints().size());
        for (int i = 0; i < vm().timePoints().size(); i++) {
            assertEquals(vm().timePoints().get(i).passRate(), view.timeData().getYValue(0, i), 1e-12);
            assertEquals(vm().timePoints().get(i).mean(), view.timeData().getYValue(1, i), 1e-12);
        }
        // three runs of 40 linked results each, every one charted once
        assertEquals(3L * N, vm().timePoints().stream().mapToLong(p -> p.count()).sum());
    }

    @Test
    void whyBadExplainsALabelsTracesAndTracesListsThem(FxRobot robot) {
        loaded();
        MenuButton why = robot.lookup("#metric-why-groundedness").queryAs(MenuButton.class);
        MenuItem hallucinated = why.getItems().stream().filter(i -> i.getText().contains("hallucinated"))
                .findFirst().orElseThrow();
        assertEquals("Answers labelled hallucinated (" + count(i -> i % 4 == 0) + ")", hallucinated.getText());
        robot.interact(hallucinated::fire);
        assertEquals(List.of("explain eval:groundedness=hallucinated"), calls);
        MenuItem any = why.getItems().get(why.getItems().size() - 1);
        robot.interact(any::fire);
        assertEquals("explain " + QualityCohorts.ANY_FAIL, calls.get(1));
        MenuButton traces = robot.lookup("#metric-traces-groundedness").queryAs(MenuButton.class);
        robot.interact(() -> traces.getItems().stream().filter(i -> i.getText().startsWith("hallucinated"))
                .findFirst().orElseThrow().fire());
        // in the cohort's own words, as the CLI and the findings title write it
        assertEquals("show " + Cohort.parse("eval:groundedness=hallucinated").label(), calls.get(2));
    }

    @Test
    void withoutRunsTheAreaSaysWhatToDo(FxRobot robot) {
        List<String> imports = new CopyOnWriteArrayList<>();
        robot.interact(() -> {
            QualityView empty = new QualityView(new QualityViewModel(new FakeEvalService(WS), background),
                    navigator, new BackgroundTasks());
            empty.setOnImport(() -> imports.add("import"));
            empty.setOnRunEvaluators(() -> imports.add("run"));
            stage.getScene().setRoot(empty);
            empty.viewModel().load();
        });
        waitFor("the empty state", () -> robot.lookup("#quality-empty").query().isVisible());
        String said = robot.lookup("#quality-empty .label").queryAllAs(Label.class).stream().map(Label::getText)
                .reduce("", (a, b) -> a + " " + b);
        assertTrue(said.contains("No eval runs yet"), said);
        assertTrue(said.contains("Import an eval file"), said);
        assertTrue(said.contains("run the built-in evaluators"), said);
        robot.clickOn(robot.lookup("#quality-empty-import").queryAs(Button.class));
        robot.clickOn(robot.lookup("#quality-empty-run").queryAs(Button.class));
        assertEquals(List.of("import", "run"), imports);
    }
}
