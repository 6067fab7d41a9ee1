package dev.tracebench.views.live;

import static dev.tracebench.views.testing.Fx.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.live.LiveConfig;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.common.WorkspaceChanges;
import dev.tracebench.views.testing.FakeLiveReceivers;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Receive Live Traces on fake receivers: the form refuses bad fields and shows a refused start, then the strip shows
 * the endpoints and the counts as they change, commits refresh the workspace's views, a problem is shown masked, and
 * Stop commits and turns into Close.
 */
@ExtendWith(ApplicationExtension.class)
class LivePanelUiTest {
    private final FakeLiveReceivers receivers = new FakeLiveReceivers();
    private final WorkspaceChanges changes = new WorkspaceChanges();
    private final AtomicInteger refreshed = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final Background background = new Background(1);
    private Stage stage;
    private BorderPane root;
    private LiveViewModel vm;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        changes.subscribe(refreshed::incrementAndGet);
        root = new BorderPane(new Label("the traces table"));
        Scene scene = new Scene(root, 1280, 800);
        scene.getStylesheets().add(Styles.stylesheet());
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void close() {
        background.close();
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    private void openForm(FxRobot robot) {
        robot.interact(() -> {
            vm = new LiveViewModel(changes, background);
            new LiveReceiveDialog(stage, receivers, LiveConfig.defaults(), vm, () -> {
                LivePanel panel = new LivePanel(vm);
                panel.setOnClose(closed::incrementAndGet);
                root.setBottom(panel);
            }).show();
        });
    }

    @Test
    void theFormRefusesBadFieldsAndShowsWhyAStartFailed(FxRobot robot) {
        openForm(robot);
        Button start = robot.lookup("#live-start").queryButton();
        assertEquals("127.0.0.1", robot.lookup("#live-bind").queryAs(TextField.class).getText());
        assertEquals("4318", robot.lookup("#live-http-port").queryAs(TextField.class).getText());
        assertEquals("4317", robot.lookup("#live-grpc-port").queryAs(TextField.class).getText());
        assertFalse(start.isDisabled());
        robot.interact(() -> robot.lookup("#live-http-port").queryAs(TextField.class).setText("70000"));
        assertEquals("The OTLP/HTTP port must be a number from 0 to 65535 (or empty for none), not '70000'.",
                text(robot, "#live-problem"));
        assertTrue(start.isDisabled());
        robot.interact(() -> robot.lookup("#live-http-port").queryAs(TextField.class).setText("4318"));
        assertEquals("", text(robot, "#live-problem"));

        receivers.refuse("port 4318 on 127.0.0.1 is in use (Address already in use)");
        robot.clickOn("#live-start");
        waitFor("the refusal", () -> !text(robot, "#live-problem").isEmpty());
        assertEquals("Could not start: port 4318 on 127.0.0.1 is in use (Address already in use)",
                text(robot, "#live-problem"));
        assertTrue(robot.lookup("#live-dialog").tryQuery().isPresent(), "the form stays open to try again");
        assertFalse(start.isDisabled());
        assertTrue(root.getBottom() == null);

        robot.interact(() -> robot.lookup("#live-http-port").queryAs(TextField.class).setText("14318"));
        robot.clickOn("#live-start");
        waitFor("the strip", () -> root.getBottom() != null);
        assertFalse(robot.lookup("#live-dialog").tryQuery().isPresent(), "the form closed once it listened");
        assertEquals(2, receivers.started.size());
        assertEquals(14318, receivers.started.get(1).httpPort());
        assertEquals("OTLP/HTTP http://127.0.0.1:14318/v1/traces   ·   OTLP/gRPC 127.0.0.1:4317",
                text(robot, "#live-endpoints"));
    }

    @Test
    void theStripFollowsTheCountsRefreshesTheViewsAfterCommitsAndStops(FxRobot robot) {
        openForm(robot);
        robot.clickOn("#live-start");
        waitFor("the strip", () -> root.getBottom() != null);
        assertEquals("● Receiving live traces", text(robot, "#live-state"));
        FakeLiveReceivers.Fake r = receivers.current();

        r.receive(12_000, 5, 48_250.4, "request 7 from 127.0.0.1: span 3 has no trace id "
                + "(api_key=sk-live-0123456789abcdef)");
        r.throttle();
        waitFor("the counts", () -> "48,250".equals(text(robot, "#live-rate")));
        assertEquals("2", text(robot, "#live-requests"));
        assertEquals("0", text(robot, "#live-spans-stored"));
        assertEquals("5", text(robot, "#live-rejected"));
        assertEquals("1", text(robot, "#live-throttled"));
        assertEquals("11,995", text(robot, "#live-queued"));
        assertEquals("queued (1.1 MiB)", text(robot, "#live-queued-bytes"));
        String problem = text(robot, "#live-last-problem");
        assertTrue(problem.startsWith("Last problem: request 7 from 127.0.0.1: span 3 has no trace id"), problem);
        assertFalse(problem.contains("sk-live-0123456789abcdef"), "a secret in a problem is masked: " + problem);
        assertEquals(0, refreshed.get(), "nothing committed yet");
        assertEquals("max 48,250/s · last minute", text(robot, "#live-chart-max"));

        r.commit(37);
        waitFor("the views refreshed after the commit", () -> refreshed.get() == 1);
        waitFor("the stored counts", () -> "11,995".equals(text(robot, "#live-spans-stored")));
        assertEquals("37", text(robot, "#live-traces"));
        assertEquals("0", text(robot, "#live-queued"));
        assertEquals("queued (0 B)", text(robot, "#live-queued-bytes"));

        r.receive(100, 0, 200, null);
        robot.clickOn("#live-stop");
        waitFor("stopped", () -> "Live receiver stopped".equals(text(robot, "#live-state")));
        assertEquals(1, r.stops);
        assertEquals("12,095", text(robot, "#live-spans-stored"), "what was queued is committed on Stop");
        assertEquals("0", text(robot, "#live-rate"));
        assertTrue(refreshed.get() >= 2, "the views refresh after the last commit");
        Node stop = robot.lookup("#live-stop").query();
        assertEquals("Close", ((Button) stop).getText());
        robot.clickOn("#live-stop");
        assertEquals(1, closed.get());
        assertEquals(1, r.stops);
    }
}
