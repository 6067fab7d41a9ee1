package dev.tracebench.views.quality;

import static dev.tracebench.views.testing.Fx.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.views.common.BackgroundTasks;
import dev.tracebench.views.testing.FakeEvaluatorRunPort;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.controlsfx.control.CheckListView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * "Run evaluators…": the form (FXML) sends the chosen evaluators, cohort and limit to the port; the run shows its
 * progress, is listed as a background task, can be cancelled (nothing stored), and a stored run is handed on.
 */
@ExtendWith(ApplicationExtension.class)
class RunEvaluatorsDialogUiTest {
    private final FakeEvaluatorRunPort port = new FakeEvaluatorRunPort();
    private final BackgroundTasks tasks = new BackgroundTasks();
    private final List<EvalRun> stored = new CopyOnWriteArrayList<>();
    private Stage stage;
    private RunEvaluatorsDialog dialog;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new Scene(new StackPane(), 400, 300));
        stage.show();
    }

    @AfterEach
    void close(FxRobot robot) {
        port.finish();
        robot.interact(() -> {
            if (dialog != null) {
                dialog.close();
            }
        });
    }

    private void open(FxRobot robot, Cohort cohort, String label) {
        robot.interact(() -> {
            dialog = new RunEvaluatorsDialog(stage, port, cohort, label, tasks, stored::add);
            dialog.show();
        });
    }

    @SuppressWarnings("unchecked")
    private CheckListView<String> list(FxRobot robot) {
        return robot.lookup("#run-evaluators-list").queryAs(CheckListView.class);
    }

    @Test
    void theChosenEvaluatorsRunOnTheTypedCohortAndTheStoredRunIsHandedOn(FxRobot robot) throws Exception {
        open(robot, null, null);
        assertEquals(FakeEvaluatorRunPort.EVALUATORS, list(robot).getItems());
        assertEquals(FakeEvaluatorRunPort.EVALUATORS, list(robot).getCheckModel().getCheckedItems(),
                "every evaluator checked to begin with");
        robot.interact(() -> {
            list(robot).getCheckModel().clearCheck("format");
            robot.lookup("#run-evaluators-cohort").queryAs(TextField.class).setText("errors");
            dialog.getDialogPane().lookupAll(".spinner").forEach(s -> ((javafx.scene.control.Spinner<Integer>) s)
                    .getValueFactory().setValue(500));
        });
        robot.clickOn("#run-evaluators-run");
        assertTrue(port.awaitStarted());
        waitFor("the progress", () -> "50 of 100 answers judged".equals(robot.lookup("#run-evaluators-dialog .label")
                .queryAllAs(Label.class).stream().map(Label::getText).filter("50 of 100 answers judged"::equals)
                .findFirst().orElse(null)));
        assertEquals(1, tasks.tasks().size(), "listed with the other background tasks");
        assertEquals(List.of(new FakeEvaluatorRunPort.Request(Cohort.errors(), List.of("groundedness", "relevance",
                "safety", "pii"), 500)), port.requests());
        port.finish();
        waitFor("the stored run", () -> stored.size() == 1);
        assertEquals(List.of("groundedness", "relevance", "safety", "pii"), stored.get(0).evaluators());
        waitFor("the dialog closed", () -> !dialog.isShowing());
        assertTrue(tasks.tasks().isEmpty());
    }

    @Test
    void cancelStopsTheRunStoresNothingAndLetsTheUserTryAgain(FxRobot robot) throws Exception {
        open(robot, Cohort.slow(95), "slow requests (≥ p95 of their operation)");
        assertEquals("slow requests (≥ p95 of their operation)", robot.lookup("#run-evaluators-dialog .label")
                .queryAllAs(Label.class).stream().map(Label::getText).filter(t -> t.startsWith("slow")).findFirst()
                .orElseThrow());
        assertFalse(robot.lookup("#run-evaluators-cohort").query().isVisible(), "a given cohort is not typed");
        robot.clickOn("#run-evaluators-run");
        assertTrue(port.awaitStarted());
        assertEquals(Cohort.slow(95), port.requests().get(0).cohort());
        robot.clickOn("#run-evaluators-cancel");
        waitFor("cancelled", port::cancelled);
        waitFor("the message", () -> robot.lookup("#run-evaluators-problem").queryAs(Label.class).getText()
                .equals("Cancelled: nothing was stored."));
        assertTrue(stored.isEmpty());
        assertTrue(dialog.isShowing());
        assertFalse(robot.lookup("#run-evaluators-run").query().isDisabled(), "Run again");
    }
}
