package dev.tracebench.app.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.eval.EvalExample;
import dev.tracebench.core.eval.EvalResult;
import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.eval.EvalService;
import dev.tracebench.core.eval.MetricSummary;
import dev.tracebench.core.eval.QualityPoint;
import dev.tracebench.core.eval.RunComparison;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.views.quality.EvaluatorRunPort;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Quality area in the real main window: Ctrl+4 reaches it, a workspace without eval runs says what to do, and
 * Run Evaluators (Ctrl+E) judges the cohort of the area in view and announces the stored run.
 */
@ExtendWith(ApplicationExtension.class)
class QualityAreaUiTest {
    @TempDir
    static Path dir;
    private static int run;
    private final List<Cohort> judged = new CopyOnWriteArrayList<>();
    private MainWindow window;

    /** A workspace's eval results before anything was imported: no runs at all. */
    private static final class NoEvals implements EvalService {
        @Override
        public List<EvalRun> runs() {
            return List.of();
        }

        @Override
        public Optional<EvalRun> run(String idOrName) {
            return Optional.empty();
        }

        @Override
        public List<MetricSummary> metrics(long runId, int bins) {
            return List.of();
        }

        @Override
        public List<EvalExample> examples(long runId, String evaluator, boolean failingFirst, int offset, int limit) {
            return List.of();
        }

        @Override
        public List<QualityPoint> overTime(String evaluator, int buckets) {
            return List.of();
        }

        @Override
        public RunComparison compare(long runA, long runB, CancellationToken cancel) {
            throw new IllegalArgumentException("no run " + runA);
        }

        @Override
        public List<EvalResult> resultsForTrace(TraceId traceId) {
            return List.of();
        }

        @Override
        public List<String> evaluators() {
            return List.of();
        }

        @Override
        public List<TraceEvalInput> inputs(Cohort cohort, int limit, CancellationToken cancel) {
            return List.of();
        }

        @Override
        public EvalRun store(EvalRunData data, List<EvalResultData> results, ProgressListener progress,
                CancellationToken cancel) {
            throw new UnsupportedOperationException("the port stores runs here");
        }
    }

    @Start
    void start(Stage stage) {
        AppHome home = new AppHome(dir.resolve("home-" + (++run)));
        EvaluatorRunPort port = new EvaluatorRunPort() {
            @Override
            public List<String> available() {
                return List.of("groundedness", "pii");
            }

            @Override
            public EvalRun run(Cohort cohort, List<String> evaluators, int limit, ProgressListener progress,
                    CancellationToken cancel) {
                judged.add(cohort);
                return new EvalRun(1, "evaluators", "tracebench-evaluators", "", Instant.now(), "{}", "1", 2, 84,
                        84, evaluators);
            }
        };
        window = new MainWindow(stage, new WorkspaceOpener(home), Workspace::analysis, ws -> new NoEvals(),
                ws -> port);
        window.show();
        window.openWorkspace(home.defaultWorkspace());
    }

    @AfterEach
    void shutdown(FxRobot robot) {
        robot.interact(() -> window.shutdown());
    }

    private static void waitFor(String what, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                    condition::getAsBoolean).get());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void opened(FxRobot robot) {
        waitFor("the workspace", () -> window.workspace() != null && robot.lookup("#trace-table").tryQuery()
                .isPresent());
    }

    @Test
    void ctrl4ShowsTheQualityAreaWhichSaysWhatToDoWithoutRuns(FxRobot robot) {
        opened(robot);
        robot.press(KeyCode.CONTROL).type(KeyCode.DIGIT4).release(KeyCode.CONTROL);
        waitFor("the empty state", () -> robot.lookup("#quality-empty").tryQuery().map(n -> n.isVisible())
                .orElse(false));
        assertTrue(robot.lookup("#nav-quality").queryAs(ToggleButton.class).isSelected());
        assertTrue(robot.lookup("#quality-empty-import").query().isVisible());
        assertTrue(robot.lookup("#quality-empty-run").query().isVisible(), "evaluators are wired: offered");
    }

    @Test
    void theTraceTablesMenuRunsTheEvaluatorsOnItsCohortChip(FxRobot robot) {
        opened(robot);
        robot.interact(() -> window.showTraces(Cohort.failed(), "failed requests"));
        javafx.scene.control.TableView<?> table = robot.lookup("#trace-table").queryAs(
                javafx.scene.control.TableView.class);
        javafx.scene.control.MenuItem item = table.getContextMenu().getItems().stream()
                .filter(i -> "trace-menu-run-evaluators".equals(i.getId())).findFirst().orElseThrow();
        robot.interact(item::fire);
        waitFor("the dialog", () -> robot.lookup("#run-evaluators-run").tryQuery().isPresent());
        assertTrue(robot.lookup("#run-evaluators-dialog .label").queryAllAs(Label.class).stream()
                .anyMatch(l -> "failed requests".equals(l.getText())), "the chip's words name the traces");
        robot.clickOn("#run-evaluators-run");
        waitFor("the run", () -> !judged.isEmpty());
        assertEquals(List.of(Cohort.failed()), judged);
    }

    @Test
    void runEvaluatorsJudgesTheLatencyCohortAndSaysWhatWasStored(FxRobot robot) {
        opened(robot);
        robot.press(KeyCode.CONTROL).type(KeyCode.DIGIT3).release(KeyCode.CONTROL);
        waitFor("the Latency area", () -> window.latency() != null && !window.latency().viewModel()
                .loadingProperty().get());
        robot.clickOn("#cohort-errors");
        waitFor("the cohort", () -> window.latency().viewModel().cohortProperty().get().equals(Cohort.errors()));
        robot.press(KeyCode.CONTROL).type(KeyCode.E).release(KeyCode.CONTROL);
        waitFor("the dialog", () -> robot.lookup("#run-evaluators-run").tryQuery().isPresent());
        robot.clickOn("#run-evaluators-run");
        waitFor("the stored run", () -> robot.lookup("#status-message").queryAs(Label.class).getText()
                .startsWith("Stored"));
        assertEquals(List.of(Cohort.errors()), judged);
        assertEquals("Stored evaluators: 84 verdicts", robot.lookup("#status-message").queryAs(Label.class)
                .getText());
    }
}
