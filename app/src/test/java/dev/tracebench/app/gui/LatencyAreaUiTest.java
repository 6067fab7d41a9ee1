package dev.tracebench.app.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.GroupBy;
import dev.tracebench.core.analysis.Heatmap;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.TraceSummary;
import dev.tracebench.samples.Scenario;
import dev.tracebench.samples.TrafficGenerator;
import dev.tracebench.views.analysis.LatencyView;
import dev.tracebench.views.analysis.LatencyViewModel;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.compare.CompareView;
import dev.tracebench.views.trace.TraceView;
import dev.tracebench.views.traces.TraceRow;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TabPane;
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

/** The Latency area, trace comparison and the critical path in the real main window on the sample workspace. */
@ExtendWith(ApplicationExtension.class)
class LatencyAreaUiTest {
    @TempDir
    static Path dir;
    private static int run;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        AppHome home = new AppHome(dir.resolve("home-" + (++run)));
        window = new MainWindow(stage, new WorkspaceOpener(home));
        window.show();
        window.openWorkspace(home.defaultWorkspace());
    }

    @AfterEach
    void shutdown(FxRobot robot) {
        robot.interact(() -> window.shutdown());
    }

    private static void waitFor(String what, BooleanSupplier condition) {
        waitFor(what, 30, condition);
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
    private TableView<TraceRow> traceTable(FxRobot robot) {
        return robot.lookup("#trace-table").queryAs(TableView.class);
    }

    @Test
    void explainOpensAnExampleTraceWithItsCriticalPath(FxRobot robot) {
        waitFor("the workspace", () -> window.workspace() != null && robot.lookup("#trace-table").tryQuery()
                .isPresent());
        robot.type(KeyCode.DIGIT3, 1).press(KeyCode.CONTROL).type(KeyCode.DIGIT3).release(KeyCode.CONTROL);
        waitFor("the Latency area", () -> window.latency() != null && robot.lookup("#latency-view").tryQuery()
                .isPresent());
        assertTrue(robot.lookup("#nav-latency").queryAs(ToggleButton.class).isSelected());
        LatencyView latency = window.latency();
        waitFor("the breakdown", () -> latency.viewModel().breakdownProperty().get() != null
                && !latency.viewModel().loadingProperty().get());
        assertEquals(3000, latency.viewModel().countProperty().get());
        assertEquals(window.workspace().analysis().breakdown(Cohort.all(), GroupBy.NONE).overall(),
                latency.viewModel().breakdownProperty().get().overall());
        assertEquals("", latency.viewModel().problemProperty().get());

        robot.clickOn("#cohort-slow");
        waitFor("slow requests", () -> latency.viewModel().cohortProperty().get().equals(Cohort.slow(95))
                && !latency.viewModel().loadingProperty().get());
        assertEquals(window.workspace().analysis().count(Cohort.slow(95)), latency.viewModel().countProperty().get());

        robot.clickOn("#explain-button");
        waitFor("the findings", () -> !latency.findingsViewModel().explainingProperty().get()
                && !latency.findingsViewModel().findings().isEmpty());
        Finding first = latency.findingsViewModel().findings().get(0);
        assertFalse(first.exemplars().isEmpty());
        TraceId example = first.exemplars().get(0).traceId();
        Hyperlink link = robot.lookup(".tb-exemplar").queryAllAs(Hyperlink.class).stream()
                .filter(h -> first.exemplars().get(0).equals(h.getUserData())).findFirst().orElseThrow();
        robot.clickOn(link);
        waitFor("the trace tab", () -> robot.lookup("#nav-traces").queryAs(ToggleButton.class).isSelected()
                && window.traceTabs().getSelectionModel().getSelectedItem().getContent() instanceof TraceView);
        TraceView trace = (TraceView) window.traceTabs().getSelectionModel().getSelectedItem().getContent();
        assertEquals(example, trace.viewModel().traceId());
        // it opens on the span the finding is about
        long span = first.exemplars().get(0).spanId();
        assertTrue(span != 0, "the top finding of the sample names a span: " + first.summary());
        waitFor("the finding's span selected", () -> trace.viewModel().selectedProperty().get() != null
                && trace.viewModel().selectedProperty().get().spanId() == span);
        waitFor("its critical path", () -> trace.viewModel().pathProperty().get() != null);
        assertTrue(trace.viewModel().showCriticalPathProperty().get());
        assertEquals(window.workspace().analysis().criticalPath(example).orElseThrow(),
                trace.viewModel().pathProperty().get().path());
        waitFor("the tab title", () -> !window.traceTabs().getSelectionModel().getSelectedItem().getText()
                .startsWith("trace ·"));

        // back to the findings: Enter on the second finding opens its first example
        robot.press(KeyCode.CONTROL).type(KeyCode.DIGIT3).release(KeyCode.CONTROL);
        @SuppressWarnings("unchecked")
        ListView<Finding> list = robot.lookup("#findings-list").queryAs(ListView.class);
        Finding second = latency.findingsViewModel().findings().stream().skip(1)
                .filter(f -> !f.exemplars().isEmpty() && !f.exemplars().get(0).traceId().equals(example)).findFirst()
                .orElseThrow();
        robot.interact(() -> {
            list.requestFocus();
            list.getSelectionModel().select(second);
        });
        robot.type(KeyCode.ENTER);
        waitFor("the second trace", () -> window.traceTabs().getSelectionModel().getSelectedItem().getContent()
                instanceof TraceView t && t.viewModel().traceId().equals(second.exemplars().get(0).traceId()));
    }

    @Test
    void twoSelectedTracesCompareInATab(FxRobot robot) {
        waitFor("traces", () -> robot.lookup("#trace-table").tryQuery().isPresent()
                && traceTable(robot).getItems().size() == 3000 && traceTable(robot).getItems().get(1).summary()
                != null);
        TableView<TraceRow> table = traceTable(robot);
        robot.interact(() -> {
            table.requestFocus();
            table.getSelectionModel().selectIndices(0, 1);
        });
        TraceSummary s0 = table.getItems().get(0).summary();
        TraceSummary s1 = table.getItems().get(1).summary();
        robot.press(KeyCode.CONTROL).type(KeyCode.D).release(KeyCode.CONTROL);
        waitFor("the compare tab", () -> window.traceTabs().getSelectionModel().getSelectedItem().getContent()
                instanceof CompareView c && c.viewModel().comparisonProperty().get() != null);
        CompareView view = (CompareView) window.traceTabs().getSelectionModel().getSelectedItem().getContent();
        TraceSummary shorter = s0.durationNs() <= s1.durationNs() ? s0 : s1;
        TraceSummary longer = shorter == s0 ? s1 : s0;
        assertEquals(shorter.traceId(), view.viewModel().aProperty().get());
        assertEquals(longer.traceId(), view.viewModel().bProperty().get());
        var expected = window.workspace().analysis().compare(shorter.traceId(), longer.traceId()).orElseThrow();
        assertEquals(expected, view.viewModel().comparisonProperty().get());
        assertNotNull(robot.lookup("#compare-verdict").queryAs(Label.class).getText());
        @SuppressWarnings("unchecked")
        TableView<Object> stages = robot.lookup("#compare-stages").queryAs(TableView.class);
        assertEquals(expected.stages().size(), stages.getItems().size());

        // and from a trace tab: compare with a typical trace of its operation
        robot.interact(() -> window.traceTabs().getSelectionModel().select(0));
        robot.interact(() -> {
            table.getSelectionModel().clearAndSelect(0);
            table.requestFocus();
        });
        robot.type(KeyCode.ENTER);
        waitFor("the trace", () -> window.traceTabs().getSelectionModel().getSelectedItem().getContent()
                instanceof TraceView t && t.viewModel().waterfallProperty().get() != null);
        robot.clickOn("#compare-typical");
        waitFor("the typical comparison", () -> window.traceTabs().getSelectionModel().getSelectedItem()
                .getContent() instanceof CompareView c && c.viewModel().comparisonProperty().get() != null
                && c.viewModel().isTypical());
        CompareView typical = (CompareView) window.traceTabs().getSelectionModel().getSelectedItem().getContent();
        assertEquals(s0.traceId(), typical.viewModel().bProperty().get());
        assertEquals(window.workspace().analysis().typicalPeer(s0.traceId()).orElseThrow(),
                typical.viewModel().aProperty().get());
        assertEquals(4, window.traceTabs().getTabs().size());
        robot.press(KeyCode.CONTROL).type(KeyCode.W).release(KeyCode.CONTROL);
        assertEquals(3, window.traceTabs().getTabs().size());
        assertTrue(robot.lookup("#latency-tabs").tryQuery().isEmpty(), "the Latency area was never opened");
        assertEquals(0, robot.lookup(".tab-pane").queryAllAs(TabPane.class).stream()
                .filter(t -> "latency-tabs".equals(t.getId())).count());
    }

    @Test
    void anImportRefreshesTheHeaderCountsAndTheHeatmap(FxRobot robot) throws Exception {
        // (seeding the sample workspace and importing take long on a busy machine)
        waitFor("the workspace", 120, () -> window.workspace() != null && robot.lookup("#trace-table").tryQuery()
                .isPresent());
        robot.press(KeyCode.CONTROL).type(KeyCode.DIGIT3).release(KeyCode.CONTROL);
        waitFor("the Latency area", () -> window.latency() != null);
        LatencyView latency = window.latency();
        robot.clickOn("#cohort-slow");
        waitFor("slow requests", () -> latency.viewModel().cohortProperty().get().equals(Cohort.slow(95))
                && !latency.viewModel().loadingProperty().get() && latency.viewModel().countProperty().get() >= 0);
        assertEquals(3000, latency.viewModel().totalProperty().get());

        // another day of traffic (300 requests) imported while the area shows the slow ones
        Path out = dir.resolve("more-" + run);
        TrafficGenerator.Summary more = TrafficGenerator.writeDirectory(TrafficGenerator.Options.of(
                Scenario.of("baseline"), 300, 11), TrafficGenerator.Format.OTLP_JSON, false, out);
        assertEquals(300, more.traces());
        robot.interact(() -> window.importFiles(List.of(TrafficGenerator.files(out, TrafficGenerator.Format.OTLP_JSON,
                false).traces())));
        waitFor("the import and the refresh", 120, () -> !window.importRunner().isRunning()
                && latency.viewModel().totalProperty().get() == 3300 && !latency.viewModel().loadingProperty().get()
                && latency.viewModel().countProperty().get() >= 0);
        long slow = window.workspace().analysis().count(Cohort.slow(95));
        assertEquals(slow, latency.viewModel().countProperty().get());
        assertEquals(Format.count(slow) + " of 3,300 requests (" + String.format(java.util.Locale.ROOT, "%.1f%%",
                100.0 * slow / 3300) + ")", robot.lookup("#cohort-count").queryAs(Label.class).getText());
        // the heatmap counts the slow requests of all 3,300, as a new query of the workspace does
        Heatmap h = latency.viewModel().heatmapProperty().get();
        long cells = 0;
        for (long[] col : h.counts()) {
            for (long c : col) {
                cells += c;
            }
        }
        assertEquals(slow, cells);
        assertEquals(window.workspace().analysis().heatmap(Cohort.slow(95), LatencyViewModel.HEATMAP_TIME_BUCKETS,
                LatencyViewModel.HEATMAP_DURATION_BUCKETS).maxCount(), h.maxCount());
        assertEquals(slow, latency.viewModel().breakdownProperty().get().overall().traces());
    }
}
