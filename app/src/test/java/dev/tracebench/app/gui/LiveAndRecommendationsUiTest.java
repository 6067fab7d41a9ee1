package dev.tracebench.app.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.live.LiveConfig;
import dev.tracebench.core.live.LiveReceiver;
import dev.tracebench.core.live.LiveReceivers;
import dev.tracebench.core.live.LiveStats;
import dev.tracebench.core.recommend.Recommendation;
import dev.tracebench.core.recommend.RecommendationKind;
import dev.tracebench.core.recommend.RecommendationService;
import dev.tracebench.core.recommend.Recommendations;
import dev.tracebench.core.recommend.TracingOverhead;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.FileImportService;
import dev.tracebench.views.traces.TraceRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javafx.scene.control.Label;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableView;
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
 * File > Receive Live Traces and the Recommendations area in the real main window on the sample workspace, with a
 * receiver that stores OTLP JSON through the file importer (what the real one's normalisation does) and a fixed
 * recommendation service: committed traces reach the trace table and the status counts, the Recommendations area
 * (Ctrl+7) shows its recommendation and recomputes after a commit, and switching workspaces stops the receiver.
 */
@ExtendWith(ApplicationExtension.class)
class LiveAndRecommendationsUiTest {
    @TempDir
    static Path dir;
    private MainWindow window;
    private AppHome home;
    private final Receivers receivers = new Receivers();
    private final AtomicInteger recommended = new AtomicInteger();

    /** Stores what it is given in the workspace it was started on, then says it committed. */
    static final class Receivers implements LiveReceivers {
        volatile Workspace workspace;
        volatile Consumer<LiveStats> onCommit;
        volatile LiveStats stats;
        final AtomicInteger stops = new AtomicInteger();

        Receivers on(Workspace ws) {
            workspace = ws;
            return this;
        }

        @Override
        public LiveReceiver start(LiveConfig config, Consumer<LiveStats> onCommit) {
            this.onCommit = onCommit;
            stats = new LiveStats(Instant.now(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null);
            Workspace ws = workspace;
            return new LiveReceiver() {
                @Override
                public List<String> endpoints() {
                    return List.of("OTLP/HTTP http://" + config.bindAddress() + ":" + config.httpPort()
                            + "/v1/traces");
                }

                @Override
                public LiveStats stats() {
                    return stats;
                }

                @Override
                public LiveStats stop() {
                    // it commits into its workspace: that must still be open (a closed one throws)
                    ws.traces().stats();
                    stops.incrementAndGet();
                    return stats;
                }
            };
        }

        /** Stores an OTLP JSON request as the receiver's writer would, then calls back. */
        void deliver(Path json, long traces) {
            long spans = new FileImportService(() -> workspace).importFile(json, ProgressListener.NONE,
                    CancellationToken.none()).spansAdded();
            LiveStats s = stats;
            stats = new LiveStats(s.started(), s.requests() + 1, s.spansReceived() + spans, s.spansStored() + spans,
                    0, 0, s.commits() + 1, s.tracesStored() + traces, 0, 0, spans, Instant.now(), null);
            onCommit.accept(stats);
        }
    }

    private final RecommendationService service = (options, cancel) -> {
        recommended.incrementAndGet();
        return new Recommendations(Instant.parse("2026-11-20T00:00:00Z"), Instant.parse("2026-11-21T00:00:00Z"),
                List.of(new Recommendation(RecommendationKind.SCALE_UP, Severity.WARNING, "service answer-api",
                        "Scale up answer-api: p95 4.2 s breaches its 2 s objective", "p95 over the last hour.",
                        List.of(), List.of())), List.of(), new TracingOverhead(0, 0, List.of()));
    };

    @Start
    void start(Stage stage) {
        home = new AppHome(dir.resolve("home"));
        window = new MainWindow(stage, new WorkspaceOpener(home));
        window.setLiveReceivers(receivers::on);
        window.setRecommendations(ws -> service);
        window.show();
        window.openWorkspace(home.defaultWorkspace());
    }

    @AfterEach
    void shutdown(FxRobot robot) {
        robot.interact(() -> window.shutdown());
    }

    private static void waitFor(String what, int seconds, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                    condition::getAsBoolean).get());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    @SuppressWarnings("unchecked")
    private static TableView<TraceRow> table(FxRobot robot) {
        return robot.lookup("#trace-table").tryQueryAs(TableView.class).orElse(null);
    }

    private static boolean traces(FxRobot robot, int n) {
        TableView<TraceRow> t = table(robot);
        return t != null && t.getItems().size() == n && t.getItems().get(0).summary() != null;
    }

    private MenuItem receiveLive(FxRobot robot) {
        return robot.lookup("#menu-bar").queryAs(MenuBar.class).getMenus().get(0).getItems().stream()
                .filter(i -> "menu-receive-live".equals(i.getId())).findFirst().orElseThrow();
    }

    /** Two new traces of one span each, starting now (so they come first in the table). */
    private static Path request(String name) throws Exception {
        long now = Instant.now().toEpochMilli() * 1_000_000L;
        StringBuilder spans = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            spans.append(i == 0 ? "" : ",").append("{\"traceId\":\"").append(String.format("%032x", 0xfeed00L + i))
                    .append("\",\"spanId\":\"").append(String.format("%016x", 0xbeefL + i)).append("\",\"name\":\"")
                    .append("live ").append(i).append("\",\"startTimeUnixNano\":\"").append(now + i)
                    .append("\",\"endTimeUnixNano\":\"").append(now + i + 5_000_000).append("\"}");
        }
        Path f = dir.resolve(name);
        Files.writeString(f, "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
                + "{\"stringValue\":\"live-svc\"}}]},\"scopeSpans\":[{\"spans\":[" + spans + "]}]}]}\n");
        return f;
    }

    @Test
    void liveTracesReachTheTableAndTheRecommendationsFollowTheWorkspace(FxRobot robot) throws Exception {
        waitFor("the sample traces", 90, () -> traces(robot, 3000));
        MenuItem item = receiveLive(robot);
        assertFalse(item.isDisable());
        robot.interact(item::fire);
        robot.clickOn("#live-start");
        waitFor("the live strip", 10, () -> window.livePanel() != null);
        assertTrue(item.isDisable(), "one receiver at a time");
        assertEquals("OTLP/HTTP http://127.0.0.1:4318/v1/traces",
                robot.lookup("#live-endpoints").queryAs(Label.class).getText());

        // the user's selection survives the reloads live traces cause
        robot.interact(() -> table(robot).getSelectionModel().clearAndSelect(5));
        String selected = table(robot).getSelectionModel().getSelectedItem().summary().traceId().hex();
        receivers.deliver(request("live-1.json"), 2);
        waitFor("the live traces in the table", 20, () -> traces(robot, 3002));
        assertEquals("live 0", table(robot).getItems().get(1).summary().rootName());
        waitFor("the same trace selected again, two rows down", 10, () -> {
            TraceRow r = table(robot).getSelectionModel().getSelectedItem();
            return r != null && r.summary() != null && r.summary().traceId().hex().equals(selected);
        });
        assertEquals(7, table(robot).getSelectionModel().getSelectedIndex());
        waitFor("the status counts", 10, () -> robot.lookup("#status-counts").queryAs(Label.class).getText()
                .startsWith("3,002 traces"));
        waitFor("the strip's counts", 10, () -> "2".equals(robot.lookup("#live-traces").queryAs(Label.class)
                .getText()));

        // the Recommendations area: computed when shown, again after the next commit while shown
        robot.press(KeyCode.CONTROL).type(KeyCode.DIGIT7).release(KeyCode.CONTROL);
        waitFor("the recommendations", 20, () -> window.recommendations() != null
                && window.recommendations().viewModel().resultProperty().get() != null);
        assertEquals(1, recommended.get());
        assertTrue(robot.lookup("#live-panel").tryQuery().isPresent(), "the strip stays in every area");
        assertEquals("service answer-api", window.recommendations().viewModel().resultProperty().get().items()
                .get(0).subject());
        receivers.deliver(request("live-2.json"), 0);
        waitFor("recomputed after the commit", 20, () -> recommended.get() == 2);

        // switching workspaces stops the receiver before the old workspace closes
        robot.interact(() -> window.openWorkspace(dir.resolve("other.duckdb")));
        waitFor("the other workspace", 60, () -> window.workspace() != null
                && window.workspace().path().getFileName().toString().equals("other.duckdb"));
        waitFor("stopped", 20, () -> receivers.stops.get() == 1);
        assertNull(window.livePanel());
        assertFalse(item.isDisable(), "a receiver may be started on the new workspace");
    }
}
