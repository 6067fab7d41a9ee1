package dev.tracebench.views.datasets;

import static dev.tracebench.views.testing.Fx.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.BackgroundTasks;
import dev.tracebench.views.common.Navigator;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.testing.FakeDatasetService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.controlsfx.control.CheckComboBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Datasets area on an in-memory dataset service, driven as a user would (headless): editing in the form, undo
 * and redo by keyboard restoring the exact text in the form and the draft, Ctrl+S saving version N+1 with the edit,
 * the diff of two versions listing the planted change, the filter's counts, "Open trace" from provenance.
 */
@ExtendWith(ApplicationExtension.class)
class DatasetsViewUiTest {
    private final FakeDatasetService service = new FakeDatasetService();
    private final Background background = new Background(2);
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private DatasetsView view;

    @Start
    void start(Stage stage) {
        List<DatasetExample> v1 = FakeDatasetService.generated(20);
        List<DatasetExample> v2 = new ArrayList<>(v1);
        v2.set(4, v1.get(4).withExpectedOutput("A better answer"));
        service.save("golden", "first", v1);
        service.save("golden", "fixed ex-0005", v2);
        service.save("smoke", "first", FakeDatasetService.generated(3));
        Navigator navigator = new Navigator() {
            @Override
            public void openTrace(TraceId traceId, long spanId) {
                calls.add("open " + traceId.hex() + " " + spanId);
            }

            @Override
            public void showTraces(Cohort cohort, String label) {
            }

            @Override
            public void explain(String cohort) {
            }
        };
        view = new DatasetsView(new DatasetsViewModel(service, background), navigator, new BackgroundTasks());
        Scene scene = new Scene(view, 1280, 800);
        scene.getStylesheets().add(Styles.stylesheet());
        stage.setScene(scene);
        stage.show();
        view.refresh();
    }

    @AfterEach
    void close() {
        background.close();
    }

    private void loaded() {
        waitFor("golden's examples", () -> view.exampleTable().getItems().size() == 20
                && !view.viewModel().loadingProperty().get());
    }

    private void selectExample(FxRobot robot, String id) {
        robot.interact(() -> view.select(id));
        waitFor(id + " in the editor", () -> view.editor().shown() != null && view.editor().shown().id().equals(id));
    }

    private DatasetExample draft(String id) {
        return view.viewModel().examples().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void editingThenUndoAndRedoByKeyboardRestoreTheExactTextAndCtrlSSavesTheNextVersion(FxRobot robot) {
        loaded();
        selectExample(robot, "ex-0003");
        TextArea expected = robot.lookup("#editor-expected").queryAs(TextArea.class);
        assertEquals("Answer 3", expected.getText());
        robot.clickOn(expected);
        robot.press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL);
        robot.write("Refunds take 5 days");
        robot.clickOn("#editor-tags"); // leaving the field commits it
        waitFor("the edit in the draft", () -> draft("ex-0003").expectedOutput().equals("Refunds take 5 days"));
        robot.write(", vip");
        robot.type(KeyCode.ENTER);
        waitFor("the tags in the draft", () -> draft("ex-0003").tags().equals(List.of("vip")));
        assertTrue(robot.lookup("#datasets-unsaved").queryAs(Label.class).isVisible());

        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        waitFor("tags undone", () -> draft("ex-0003").tags().isEmpty());
        assertEquals("Refunds take 5 days", draft("ex-0003").expectedOutput());
        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        waitFor("expected output undone", () -> draft("ex-0003").expectedOutput().equals("Answer 3"));
        waitFor("the form shows it", () -> expected.getText().equals("Answer 3"));
        assertEquals(FakeDatasetService.generated(20).get(2), draft("ex-0003"), "exactly the saved example");
        assertFalse(robot.lookup("#datasets-unsaved").queryAs(Label.class).isVisible());

        robot.press(KeyCode.CONTROL).type(KeyCode.Y).release(KeyCode.CONTROL);
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.Z).release(KeyCode.SHIFT, KeyCode.CONTROL);
        waitFor("both redone", () -> draft("ex-0003").tags().equals(List.of("vip")));
        waitFor("the form shows the redone text", () -> expected.getText().equals("Refunds take 5 days"));

        robot.press(KeyCode.CONTROL).type(KeyCode.S).release(KeyCode.CONTROL);
        waitFor("the save dialog", () -> robot.lookup("#datasets-save-message").tryQuery().isPresent());
        robot.clickOn("#datasets-save-message").write("refund timing");
        robot.type(KeyCode.ENTER);
        waitFor("version 3", () -> service.versions("golden").size() == 3);
        DatasetExample saved = service.examples("golden", 3).get(2);
        assertEquals("Refunds take 5 days", saved.expectedOutput());
        assertEquals(List.of("vip"), saved.tags());
        assertEquals("refund timing", service.versions("golden").get(2).message());
        assertEquals("Answer 3", service.examples("golden", 2).get(2).expectedOutput(), "version 2 unchanged");
        waitFor("clean again", () -> !view.viewModel().dirtyProperty().get());
    }

    @Test
    void theDiffOfTheTwoVersionsListsThePlantedChangeSideBySide(FxRobot robot) {
        loaded();
        robot.interact(() -> view.showTab(1));
        waitFor("two versions", () -> view.viewModel().versions().size() == 2);
        robot.clickOn("#datasets-diff");
        waitFor("the diff", () -> !view.diffTable().getItems().isEmpty());
        assertEquals(List.of(new DatasetsView.DiffRow("changed", "ex-0005", "expected output", "Answer 5",
                "A better answer")), view.diffTable().getItems());
        assertEquals("Version 1 → 2: 0 added, 0 removed, 1 changed",
                robot.lookup("#datasets-diff-status").queryAs(Label.class).getText());
    }

    @Test
    void theFilterCountsFollowTextTagsAndSplit(FxRobot robot) {
        loaded();
        robot.clickOn("#datasets-search").write("refunds");
        waitFor("10 of 20", () -> view.exampleTable().getItems().size() == 10);
        assertEquals("10 of 20 examples", robot.lookup("#datasets-count").queryAs(Label.class).getText());
        @SuppressWarnings("unchecked")
        CheckComboBox<String> tags = robot.lookup("#datasets-tag-filter").queryAs(CheckComboBox.class);
        robot.interact(() -> tags.getCheckModel().check("edge"));
        // refunds (even) and edge (multiple of 5): 10, 20
        waitFor("2 of 20", () -> view.exampleTable().getItems().size() == 2);
        assertEquals(List.of("ex-0010", "ex-0020"), view.exampleTable().getItems().stream().map(DatasetExample::id)
                .toList());
        robot.interact(() -> tags.getCheckModel().clearChecks());
        robot.doubleClickOn("#datasets-search").eraseText(7);
        waitFor("all again", () -> view.exampleTable().getItems().size() == 20);
    }

    @Test
    void provenanceOpensTheTraceTheExampleCameFrom(FxRobot robot) {
        loaded();
        selectExample(robot, "ex-0004");
        robot.clickOn("#editor-open-trace");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of("open " + String.format("%032x", 4) + " " + (0x10 + 4)), calls);
    }

    @Test
    void unsavedChangesSurviveSwitchingDatasets(FxRobot robot) {
        loaded();
        robot.interact(() -> view.viewModel().remove(java.util.Set.of("ex-0001")));
        robot.interact(() -> view.viewModel().selectedProperty().set("smoke"));
        waitFor("smoke", () -> view.exampleTable().getItems().size() == 3);
        waitFor("golden marked", () -> view.datasetTable().getItems().stream().anyMatch(d -> d.name().equals(
                "golden")) && view.viewModel().isDirty("golden"));
        robot.interact(() -> view.viewModel().selectedProperty().set("golden"));
        waitFor("golden's draft", () -> view.exampleTable().getItems().size() == 19);
        assertTrue(view.viewModel().dirtyProperty().get());
    }
}
