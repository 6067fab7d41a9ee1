package dev.tracebench.app.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import dev.tracebench.core.dataset.Dataset;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetService;
import dev.tracebench.core.dataset.DatasetVersion;
import dev.tracebench.core.query.TraceSummary;
import dev.tracebench.core.store.Workspace;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
 * The Datasets area in the real main window on the default workspace (the sample traces, the real eval service):
 * Ctrl+5 reaches it, and "Add to Dataset…" on a trace-table selection opens a review queue over those traces'
 * answers whose accepted examples are saved as a dataset version, which the area then shows.
 */
@ExtendWith(ApplicationExtension.class)
class DatasetsAreaUiTest {
    @TempDir
    static Path dir;
    private static int run;
    private final Memory datasets = new Memory();
    private MainWindow window;

    /** Datasets kept in memory (the window's port; the store's is tested in core). */
    private static final class Memory implements DatasetService {
        private final Map<String, List<List<DatasetExample>>> versions = new TreeMap<>();

        @Override
        public synchronized List<Dataset> datasets() {
            return versions.keySet().stream().map(n -> dataset(n).orElseThrow()).toList();
        }

        @Override
        public synchronized Optional<Dataset> dataset(String name) {
            List<List<DatasetExample>> v = versions.get(name);
            return v == null ? Optional.empty() : Optional.of(new Dataset(name, "", v.size(), v.get(v.size() - 1)
                    .size(), Instant.EPOCH, Instant.EPOCH, 0));
        }

        @Override
        public synchronized List<DatasetVersion> versions(String name) {
            List<DatasetVersion> out = new ArrayList<>();
            List<List<DatasetExample>> v = versions.getOrDefault(name, List.of());
            for (int i = 0; i < v.size(); i++) {
                out.add(new DatasetVersion(name, i + 1, Instant.EPOCH, "", v.get(i).size()));
            }
            return out;
        }

        @Override
        public synchronized List<DatasetExample> examples(String name, int version) {
            List<List<DatasetExample>> v = versions.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no dataset " + name);
            }
            return v.get(version == 0 ? v.size() - 1 : version - 1);
        }

        @Override
        public synchronized DatasetVersion save(String name, String message, List<DatasetExample> examples) {
            List<List<DatasetExample>> v = versions.computeIfAbsent(name, k -> new ArrayList<>());
            v.add(List.copyOf(examples));
            return new DatasetVersion(name, v.size(), Instant.EPOCH, message, examples.size());
        }

        @Override
        public void describe(String name, String description) {
        }

        @Override
        public synchronized void delete(String name) {
            versions.remove(name);
        }

        @Override
        public void accept(String name, long runId) {
        }
    }

    @Start
    void start(Stage stage) {
        AppHome home = new AppHome(dir.resolve("home-" + (++run)));
        window = new MainWindow(stage, new WorkspaceOpener(home), Workspace::analysis, Workspace::evals,
                ws -> new AppEvaluatorRunPort(ws.evals()), ws -> datasets, null);
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
    void ctrl5ShowsTheDatasetsAreaWhichSaysHowToStart(FxRobot robot) {
        waitFor("the workspace", () -> window.workspace() != null && robot.lookup("#trace-table").tryQuery()
                .isPresent());
        robot.press(KeyCode.CONTROL).type(KeyCode.DIGIT5).release(KeyCode.CONTROL);
        waitFor("the empty state", () -> robot.lookup("#datasets-empty").tryQuery().map(n -> n.isVisible())
                .orElse(false));
        assertTrue(robot.lookup("#nav-datasets").queryAs(ToggleButton.class).isSelected());
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
        robot.clickOn("#review-question"); // the queue's window has the keys
        robot.type(KeyCode.A).type(KeyCode.S).type(KeyCode.A);
        waitFor("two accepted", () -> robot.lookup("#review-status").queryAs(Label.class).getText()
                .contains("2 accepted · 1 skipped"));
        robot.clickOn("#review-save");
        waitFor("the Datasets area", () -> robot.lookup("#datasets-examples").tryQuery().map(n -> ((TableView<?>) n)
                .getItems().size() == 2).orElse(false));
        assertTrue(robot.lookup("#nav-datasets").queryAs(ToggleButton.class).isSelected());
        List<DatasetExample> saved = datasets.examples("golden", 1);
        assertEquals(2, saved.size());
        String ws = window.workspace().path().getFileName().toString();
        for (DatasetExample e : saved) {
            assertTrue(selected.contains(e.provenance().traceId()), "from a selected trace: " + e.provenance());
            assertEquals(ws, e.provenance().workspace());
            assertEquals("12 selected traces", e.provenance().source());
            assertTrue(!e.input().isEmpty() && e.expectedOutput().equals(e.actualOutput()), e.toString());
        }
        assertEquals("Saved golden version 1 (2 examples)", robot.lookup("#status-message").queryAs(Label.class)
                .getText());
    }
}
