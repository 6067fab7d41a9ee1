package dev.tracebench.app.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.testing.RemoteResults;
import dev.tracebench.views.analysis.RemoteResultView;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.Styles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
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
 * The read-only remote result view on a hand-written Spark result ({@link RemoteResults}): the breakdown's group rows,
 * the planted model version's finding and the availability SLO card (144 of 150 good) appear once the folder is read
 * in the background; File > Open Remote Result… opens it in a window of its own; a folder that is not a result says
 * so.
 */
@ExtendWith(ApplicationExtension.class)
class RemoteResultUiTest {
    @TempDir
    Path dir;
    private Stage stage;
    private final Background background = new Background(2);

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void close() {
        background.close();
    }

    private void show(FxRobot robot, Path folder) {
        robot.interact(() -> {
            Scene scene = new Scene(new RemoteResultView(folder, null, background), 1280, 800);
            scene.getStylesheets().add(Styles.stylesheet());
            stage.setScene(scene);
            stage.show();
        });
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

    @Test
    @SuppressWarnings("unchecked")
    void showsTheBreakdownAFindingAndTheSloCards(FxRobot robot) throws Exception {
        RemoteResults.write(dir, 1, "");
        show(robot, dir);
        waitFor("the group table", () -> !robot.lookup("#group-table").queryAll().isEmpty()
                && !robot.lookup("#group-table").queryAs(TableView.class).getItems().isEmpty());
        TableView<Breakdown.Group> groups = robot.lookup("#group-table").queryAs(TableView.class);
        // the whole lake, then models a and b
        assertEquals(3, groups.getItems().size());
        assertEquals(4, groups.getItems().get(0).traces());
        assertEquals("a", groups.getItems().get(1).value());
        ListView<Finding> findings = robot.lookup("#remote-findings").queryAs(ListView.class);
        assertEquals(1, findings.getItems().size());
        assertTrue(findings.getItems().get(0).summary().contains("were served by model version v2"),
                findings.getItems().get(0).summary());
        Label counts = robot.lookup("#slo-counts-availability").queryAs(Label.class);
        assertEquals("144 of 150 good", counts.getText());
        String header = robot.lookup(".tb-title").queryAs(Label.class).getText();
        assertTrue(header.contains("Read-only remote result (Spark): lake-one"), header);
        // a remote result has no charts: the group list does not promise them
        assertTrue(robot.lookup((Label l) -> l.getText() != null && l.getText().startsWith("By model"))
                .tryQueryAs(Label.class).map(Label::getText).orElse("").endsWith("select one for its stages)"),
                "the group list's title");
    }

    @Test
    @SuppressWarnings("unchecked")
    void fileMenuOpensTheResultInAWindowOfItsOwn(FxRobot robot) throws Exception {
        RemoteResults.write(dir, 1, "");
        MainWindow[] window = new MainWindow[1];
        robot.interact(() -> {
            window[0] = new MainWindow(stage, new WorkspaceOpener(new AppHome(dir.resolve("home"))));
            window[0].show();
        });
        try {
            javafx.scene.control.MenuBar bar = robot.lookup(".menu-bar").queryAs(javafx.scene.control.MenuBar.class);
            assertTrue(bar.getMenus().get(0).getItems().stream().anyMatch(i -> "menu-open-remote".equals(i.getId())
                    && i.getText().equals("Open Remote Result…")));
            robot.interact(() -> window[0].openRemoteResult(dir));
            waitFor("the remote result window", () -> robot.listWindows().stream().anyMatch(w -> w != stage
                    && w.getScene().lookup("#group-table") instanceof TableView<?> t && t.getItems().size() == 3));
            Stage remote = (Stage) robot.listWindows().stream().filter(w -> w != stage).findFirst().orElseThrow();
            assertTrue(remote.getTitle().contains("(read-only)"), remote.getTitle());
            assertEquals(stage, remote.getOwner());
            robot.interact(remote::close);
        } finally {
            robot.interact(() -> window[0].shutdown());
        }
    }

    @Test
    void aFolderThatIsNoResultSaysWhy(FxRobot robot) throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        show(robot, plain);
        waitFor("the error", () -> robot.lookup("#remote-result-status").queryAs(Label.class).getText()
                .contains("not a Spark result folder"));
        assertTrue(robot.lookup("#remote-result-status").queryAs(Label.class).getStyleClass().contains(Styles.ERROR));
    }
}
