package dev.tracebench.app.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.SampleDatasets;
import dev.tracebench.app.WorkspaceOpener;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetService;
import dev.tracebench.core.query.TraceSummary;
import dev.tracebench.core.store.Workspace;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
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
 * The Datasets area in the real main window on the default workspace (the sample traces, the real eval and dataset
 * services): Ctrl+5 shows the preloaded golden set with its two versions, and "Add to Dataset…" on a trace-table
 * selection opens a review queue over those traces' answers whose accepted examples are appended to the dataset as
 * its next version, which the area then shows.
 */
@ExtendWith(ApplicationExtension.class)
class DatasetsAreaUiTest {
    @TempDir
    static Path dir;
    private static int run;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        AppHome home = new AppHome(dir.resolve("home-" + (++run)));
        window = new MainWindow(stage, new WorkspaceOpener(home), Workspace::analysis, Workspace::evals,
                ws -> new AppEvaluatorRunPort(ws.evals()), Workspace::datasets, null);
        window.show();
        window.openWorkspace(home.defaultWorkspace());
    }

    @AfterEach
    void shutdown(FxRobot robot) {
        robot.interact(() -> window.shutdown());
    }

    private static void waitFor(String what, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                    condition::getAsBoolean).get());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void ctrl5ShowsTheDefaultWorkspacesGoldenSetWithItsTwoVersions(FxRobot robot) {
        waitFor("the workspace", () -> window.workspace() != null && robot.lookup("#trace-table").tryQuery()
                .isPresent());
        robot.press(KeyCode.CONTROL).type(KeyCode.DIGIT5).release(KeyCode.CONTROL);
        DatasetService store = window.workspace().datasets();
        int examples = store.examples(SampleDatasets.NAME, 0).size();
        waitFor("the golden set's examples", () -> robot.lookup("#datasets-examples").tryQuery().map(n ->
                ((TableView<?>) n).getItems().size() == examples).orElse(false));
        assertTrue(robot.lookup("#nav-datasets").queryAs(ToggleButton.class).isSelected());
        assertEquals(SampleDatasets.NAME, window.datasets().viewModel().selectedProperty().get());
        waitFor("its versions", () -> window.datasets().viewModel().versions().size() == store.versions(
                SampleDatasets.NAME).size());
        assertEquals(2, window.datasets().viewModel().versions().size());
    }

    @Test
    void addToDatasetFromTheTraceTableReviewsTheSelectedTracesAndSavesTheAccepted(FxRobot robot) {
        waitFor("the workspace", () -> window.workspace() != null && robot.lookup("#trace-table").tryQuery()
                .isPresent());
        @SuppressWarnings("unchecked")
        TableView<dev.tracebench.views.traces.TraceRow> table = robot.lookup("#trace-table").queryAs(
                TableView.class);
        waitFor("traces listed", () -> table.getItems().size() > 12 && table.getItems().get(11).summary() != null);
        robot.interact(() -> {
            table.getSelectionModel().clearSelection();
            table.getSelectionModel().selectRange(0, 12);
        });
        Set<String> selected = table.getSelectionModel().getSelectedItems().stream().map(r -> r.summary())
                .map(TraceSummary::traceId).map(t -> t.hex()).collect(Collectors.toSet());
        javafx.scene.control.MenuItem item = table.getContextMenu().getItems().stream()
                .filter(i -> "trace-menu-add-to-dataset".equals(i.getId())).findFirst().orElseThrow();
        robot.interact(item::fire);
        waitFor("the review queue", () -> robot.lookup("#review-queue").tryQuery().isPresent()
                && !robot.lookup("#review-status").queryAs(Label.class).getText().startsWith("Reading"));
        String status = robot.lookup("#review-status").queryAs(Label.class).getText();
        assertTrue(status.startsWith("1 of "), status);
        int candidates = Integer.parseInt(status.substring(5, status.indexOf(' ', 5)));
        assertTrue(candidates >= 2 && candidates <= 12, status);
        String target = SampleDatasets.NAME; // the first dataset: the queue's target to begin with
        int beforeCount = window.workspace().datasets().examples(target, 0).size();
        int versionsBefore = window.workspace().datasets().versions(target).size();
        robot.clickOn("#review-question"); // the queue's window has the keys
        robot.type(KeyCode.A).type(KeyCode.S).type(KeyCode.A);
        waitFor("two accepted", () -> robot.lookup("#review-status").queryAs(Label.class).getText()
                .contains("2 accepted · 1 skipped"));
        robot.clickOn("#review-save");
        waitFor("the Datasets area", () -> robot.lookup("#datasets-examples").tryQuery().map(n -> ((TableView<?>) n)
                .getItems().size() == beforeCount + 2).orElse(false));
        assertTrue(robot.lookup("#nav-datasets").queryAs(ToggleButton.class).isSelected());
        DatasetService store = window.workspace().datasets();
        List<DatasetExample> before = store.examples(target, 0);
        assertEquals(beforeCount + 2, before.size(), "appended to " + target);
        List<DatasetExample> saved = before.subList(beforeCount, before.size());
        String ws = window.workspace().path().getFileName().toString();
        for (DatasetExample e : saved) {
            assertTrue(selected.contains(e.provenance().traceId()), "from a selected trace: " + e.provenance());
            assertEquals(ws, e.provenance().workspace());
            assertEquals("12 selected traces", e.provenance().source());
            assertTrue(!e.input().isEmpty() && e.expectedOutput().equals(e.actualOutput()), e.toString());
        }
        assertEquals("Saved " + target + " version " + (versionsBefore + 1) + " (" + (beforeCount + 2)
                + " examples)", robot.lookup("#status-message").queryAs(Label.class).getText());
        assertEquals(versionsBefore + 1, store.versions(target).size());
    }
}
