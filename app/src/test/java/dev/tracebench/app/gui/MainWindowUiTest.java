package dev.tracebench.app.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceSummary;
import dev.tracebench.views.trace.AttributeRow;
import dev.tracebench.views.trace.TraceView;
import dev.tracebench.views.trace.WaterfallModel;
import dev.tracebench.views.traces.TraceRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableView;
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

/** Headless (Monocle) smoke tests of the real main window on a real workspace. */
@ExtendWith(ApplicationExtension.class)
class MainWindowUiTest {
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
        waitFor(what, condition, () -> "");
    }

    private static void waitFor(String what, BooleanSupplier condition, java.util.function.Supplier<String> shown) {
        waitFor(what, 60, condition, shown); // 60 s: seeding the default workspace (traces, evals, golden set) cold
    }

    private static void waitFor(String what, int seconds, BooleanSupplier condition,
            java.util.function.Supplier<String> shown) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> condition.getAsBoolean());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + " " + shown.get(), e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    @SuppressWarnings("unchecked")
    private TableView<TraceRow> traceTable(FxRobot robot) {
        return robot.lookup("#trace-table").queryAs(TableView.class);
    }

    private void waitForTraces(FxRobot robot, int n) {
        // the first wait includes creating the default workspace from the bundled sample, in a cold JVM: over 30 s
        // when the machine is busy
        waitFor(n + " traces in the table", 90, () -> {
            TableView<TraceRow> t = robot.lookup("#trace-table").tryQueryAs(TableView.class)
                    .orElse(null);
            return t != null && t.getItems().size() == n && t.getItems().get(0).summary() != null;
        }, () -> "");
    }

    @Test
    void opensTheDefaultWorkspaceOnTheSampleTraces(FxRobot robot) {
        waitForTraces(robot, 3000);
        waitFor("status counts", () -> robot.lookup("#status-counts").queryAs(Label.class).getText()
                .startsWith("3,000 traces"));
        assertEquals("3,000 traces · 35,194 spans · 5 services",
                robot.lookup("#status-counts").queryAs(Label.class).getText());
        assertEquals("3,000 traces", robot.lookup("#trace-count").queryAs(Label.class).getText());
        TableView<TraceRow> table = traceTable(robot);
        // newest first by default
        long first = table.getItems().get(0).summary().startNs();
        long second = table.getItems().get(1).summary().startNs();
        assertTrue(first >= second);

        // sorting by duration is done by the database: the first click puts the longest trace first
        robot.clickOn("Duration");
        waitFor("descending", () -> traceTable(robot).getSortOrder().get(0).getSortType()
                == javafx.scene.control.TableColumn.SortType.DESCENDING);
        assertEquals("Duration", traceTable(robot).getSortOrder().get(0).getText());
        waitFor("sorted by duration", () -> {
            TableView<TraceRow> t = traceTable(robot);
            return t.getItems().size() == 3000 && t.getItems().get(0).summary() != null
                    && t.getItems().get(0).summary().durationNs() >= 30_000_000_000L;
        });

        // errors only
        robot.clickOn("#trace-errors-only");
        waitFor("errors filter", () -> robot.lookup("#trace-count").queryAs(Label.class).getText()
                .equals("129 traces of 3,000"));
        TableView<TraceRow> errors = traceTable(robot);
        waitFor("error rows", () -> errors.getItems().get(0).summary() != null);
        assertTrue(errors.getItems().get(0).summary().errorCount() > 0);
    }

    @Test
    void importsAFileAndFindsItsTrace(FxRobot robot) throws Exception {
        waitForTraces(robot, 3000);
        Path file = dir.resolve("new-" + run + ".jsonl");
        Files.writeString(file, "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                + "\"value\":{\"stringValue\":\"imported-svc\"}}]},\"scopeSpans\":[{\"spans\":["
                + "{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"b7ad6b7169203331\",\"name\":"
                + "\"checkout\",\"startTimeUnixNano\":\"1000000\",\"endTimeUnixNano\":\"9000000\"},"
                + "{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"c7ad6b7169203331\",\"parentSpanId\":"
                + "\"b7ad6b7169203331\",\"name\":\"charge card\",\"startTimeUnixNano\":\"2000000\","
                + "\"endTimeUnixNano\":\"5000000\"}]}]}]}\n");
        robot.interact(() -> window.importFiles(List.of(file)));
        waitFor("import to finish", () -> !window.importRunner().isRunning());
        waitForTraces(robot, 3001);
        waitFor("status counts", () -> robot.lookup("#status-counts").queryAs(Label.class).getText()
                .startsWith("3,001 traces"));
        assertTrue(robot.lookup("#status-message").queryAs(Label.class).getText()
                .contains("Imported 1 of 1 file: 2 spans added"));

        robot.clickOn("#trace-search").write("charge card").type(KeyCode.ENTER);
        waitFor("search", () -> robot.lookup("#trace-count").queryAs(Label.class).getText()
                .equals("1 traces of 3,001"));
        TableView<TraceRow> table = traceTable(robot);
        waitFor("row", () -> table.getItems().get(0).summary() != null);
        TraceSummary s = table.getItems().get(0).summary();
        assertEquals("checkout", s.rootName());
        assertEquals("imported-svc", s.serviceName());

        robot.clickOn("#nav-imports");
        // the default workspace's two samples (traces, their evals) and this file
        waitFor("import history", () -> robot.lookup("#import-table").queryAs(TableView.class).getItems().size()
                == 3);
    }

    private static Path oneTraceFile(String name, String traceId) throws java.io.IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                + "\"value\":{\"stringValue\":\"second-svc\"}}]},\"scopeSpans\":[{\"spans\":["
                + "{\"traceId\":\"" + traceId + "\",\"spanId\":\"b7ad6b7169203331\",\"name\":"
                + "\"refund\",\"startTimeUnixNano\":\"1000000\",\"endTimeUnixNano\":\"9000000\"}]}]}]}\n");
        return file;
    }

    @Test
    void anImportRefreshesEveryOpenView(FxRobot robot) throws Exception {
        waitForTraces(robot, 3000);
        // a trace tab, the import history and the Latency area are open before the import
        TableView<TraceRow> table = traceTable(robot);
        robot.interact(() -> table.getSelectionModel().select(0));
        TraceSummary first = table.getItems().get(0).summary();
        robot.interact(() -> window.openTrace(first.traceId(), first.rootSpanId()));
        waitFor("trace tab", () -> window.traceTabs().getTabs().size() == 2);
        robot.clickOn("#nav-imports");
        waitFor("import history", () -> window.importHistory().importCount() == 2); // the samples: traces, evals
        robot.clickOn("#nav-latency");
        waitFor("latency counts", () -> window.latency().viewModel().totalProperty().get() == 3000
                && window.latency().viewModel().countProperty().get() == 3000);

        Path file = oneTraceFile("second-" + run + ".jsonl", "1af7651916cd43dd8448eb211c80319c");
        robot.interact(() -> window.importFiles(List.of(file)));
        waitFor("import to finish", () -> !window.importRunner().isRunning());

        // without any click: every view shows the new count
        waitFor("latency total", () -> window.latency().viewModel().totalProperty().get() == 3001);
        waitFor("latency cohort count", () -> window.latency().viewModel().countProperty().get() == 3001);
        waitFor("heatmap", () -> window.latency().viewModel().heatmapProperty().get() != null
                && java.util.Arrays.stream(window.latency().viewModel().heatmapProperty().get().counts())
                        .flatMapToLong(java.util.Arrays::stream).sum() == 3001);
        waitFor("import history", () -> window.importHistory().importCount() == 3);
        waitFor("status counts", () -> robot.lookup("#status-counts").queryAs(Label.class).getText()
                .startsWith("3,001 traces"));
        robot.clickOn("#nav-traces");
        robot.interact(() -> window.traceTabs().getSelectionModel().select(0));
        waitFor("trace list", () -> robot.lookup("#trace-count").queryAs(Label.class).getText()
                .equals("3,001 traces"));
        // the open trace reloaded and kept the span it was opened on
        TraceView view = (TraceView) window.traceTabs().getTabs().get(1).getContent();
        waitFor("trace reloaded", () -> view.viewModel().selectedProperty().get() != null
                && view.viewModel().selectedProperty().get().spanId() == first.rootSpanId());
    }

    @Test
    void showTracesListsACohortWithARemovableChip(FxRobot robot) {
        waitForTraces(robot, 3000);
        robot.interact(() -> window.showTraces(dev.tracebench.core.analysis.Cohort.errors(), "traces with an error"));
        waitFor("cohort", () -> robot.lookup("#trace-count").queryAs(Label.class).getText()
                .equals("129 traces of 3,000"));
        assertEquals("traces with an error", robot.lookup("#trace-cohort-label").queryAs(Label.class).getText());
        robot.interact(() -> window.showTraces(dev.tracebench.core.analysis.Cohort.failed(), "failed requests"));
        waitFor("failed", () -> robot.lookup("#trace-count").queryAs(Label.class).getText()
                .equals("42 traces of 3,000"));
        assertTrue(robot.lookup("#trace-cohort-chip").query().isVisible());
        robot.clickOn("#trace-cohort-remove");
        waitFor("all again", () -> robot.lookup("#trace-count").queryAs(Label.class).getText()
                .equals("3,000 traces"));
        assertFalse(robot.lookup("#trace-cohort-chip").query().isVisible());
    }

    @Test
    void searchesByAttributeAndSaysWhenNothingMatches(FxRobot robot) {
        waitForTraces(robot, 3000);
        long expected = window.workspace().traces().countTraces(dev.tracebench.core.query.TraceFilter.ALL
                .withText("gen_ai.request.model=gpt-4o-mini"));
        assertTrue(expected > 0 && expected < 3000, "the sample calls gpt-4o-mini in some requests: " + expected);
        TextField search = robot.lookup("#trace-search").queryAs(TextField.class);
        robot.interact(() -> {
            search.setText("gen_ai.request.model=gpt-4o-mini");
            search.fireEvent(new javafx.event.ActionEvent());
        });
        waitFor("attribute search", () -> robot.lookup("#trace-count").queryAs(Label.class).getText()
                .equals(dev.tracebench.views.common.Format.count(expected) + " traces of 3,000"),
                () -> robot.lookup("#trace-count").queryAs(Label.class).getText());
        robot.interact(() -> {
            search.setText("zzz-nothing");
            search.fireEvent(new javafx.event.ActionEvent());
        });
        waitFor("no match", () -> robot.lookup("#trace-count").queryAs(Label.class).getText()
                .equals("0 traces of 3,000"));
        assertTrue(robot.lookup("#trace-empty-text").queryAs(Label.class).getText()
                .startsWith("No traces match the search and filters"));
        robot.clickOn("#trace-clear-filters");
        waitFor("cleared", () -> robot.lookup("#trace-count").queryAs(Label.class).getText().equals("3,000 traces"));
        assertEquals("", robot.lookup("#trace-search").queryAs(TextField.class).getText());
    }

    @Test
    void importsAFolderAndReportsWhatItSkippedAndAFileWithoutSpans(FxRobot robot) throws Exception {
        waitForTraces(robot, 3000);
        Path folder = Files.createDirectories(dir.resolve("folder-" + run + "/nested"));
        Files.writeString(folder.resolve("one.json"), "{\"resourceSpans\":[{\"resource\":{},\"scopeSpans\":[{"
                + "\"spans\":[{\"traceId\":\"1af7651916cd43dd8448eb211c80319c\",\"spanId\":\"b7ad6b7169203331\","
                + "\"name\":\"from a folder\",\"startTimeUnixNano\":\"1000000\",\"endTimeUnixNano\":\"9000000\"}]}]}"
                + "]}");
        Files.writeString(folder.getParent().resolve("empty.json"), "{\"resourceSpans\":[]}");
        Files.writeString(folder.getParent().resolve("notes.txt"), "not traces");
        robot.interact(() -> window.importFiles(List.of(folder.getParent())));
        waitFor("import to finish", () -> !window.importRunner().isRunning());
        waitForTraces(robot, 3001);
        assertTrue(robot.lookup("#status-message").queryAs(Label.class).getText()
                .contains("Imported 2 of 2 files: 1 spans added; 1 skipped (not trace or eval files)"));
        waitFor("the report", () -> robot.lookup("#import-report-text").tryQuery().isPresent());
        javafx.scene.control.TextArea report = robot.lookup("#import-report-text")
                .queryAs(javafx.scene.control.TextArea.class);
        String text = report.getText();
        assertTrue(text.contains("rejected at file: no spans were read: the file was recognised as OTLP/JSON but "
                + "holds no spans"), text);
        assertTrue(text.contains("1 file(s) skipped:\n  " + folder.getParent().resolve("notes.txt")
                + ": not a trace or eval file: it is neither JSON nor OTLP protobuf"), text);
        String shots = System.getProperty("tracebench.screenshots");
        if (shots != null) {
            org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
            javafx.scene.image.Image img = robot.capture(report.getScene().getRoot()).getImage();
            org.testfx.service.support.CaptureSupport capture = org.testfx.api.FxService.serviceContext()
                    .getCaptureSupport();
            capture.saveImage(img, Path.of(shots, "import-folder-report.png"));
        }
        robot.interact(() -> ((javafx.stage.Stage) report.getScene().getWindow()).close());
    }

    @Test
    void opensATraceWithItsWaterfallAndSpanDetails(FxRobot robot) {
        waitForTraces(robot, 3000);
        TableView<TraceRow> table = traceTable(robot);
        robot.interact(() -> {
            table.requestFocus();
            table.getSelectionModel().select(0);
        });
        TraceSummary summary = table.getItems().get(0).summary();
        robot.type(KeyCode.ENTER);
        waitFor("trace view", () -> robot.lookup("#waterfall").tryQuery().isPresent()
                && robot.lookup("#waterfall").queryAs(TreeTableView.class).getRoot() != null);
        @SuppressWarnings("unchecked")
        TreeTableView<WaterfallModel.Node> waterfall = robot.lookup("#waterfall").queryAs(TreeTableView.class);
        assertEquals(summary.spanCount(), waterfall.getExpandedItemCount(), "every span is a row");
        TreeItem<WaterfallModel.Node> root = waterfall.getRoot().getChildren().get(0);
        assertEquals(summary.rootName(), root.getValue().span().name());
        assertEquals(0, root.getValue().depth());
        assertTrue(root.getChildren().stream().allMatch(c -> c.getValue().span().parentSpanId()
                == root.getValue().span().spanId()));

        // pick the model call and read its attributes
        int chatRow = -1;
        for (int i = 0; i < waterfall.getExpandedItemCount(); i++) {
            if (waterfall.getTreeItem(i).getValue().span().name().startsWith("chat ")) {
                chatRow = i;
                break;
            }
        }
        assertTrue(chatRow > 0, "the sample's requests call a model");
        int row = chatRow;
        robot.interact(() -> waterfall.getSelectionModel().select(row));
        TraceView view = robot.lookup("#trace-view").queryAs(TraceView.class);
        SpanDetail chat = view.viewModel().selectedProperty().get();
        assertTrue(chat.name().startsWith("chat "));
        @SuppressWarnings("unchecked")
        TableView<AttributeRow> attrs = robot.lookup("#attribute-table").queryAs(TableView.class);
        assertEquals(chat.attributes().size(), attrs.getItems().size());
        assertTrue(attrs.getItems().stream().anyMatch(a -> a.key().startsWith("gen_ai.usage.")
                && a.type().equals("int")));
        // where the call's time went: the gateway's queue span, the provider call, the first token
        dev.tracebench.core.analysis.ModelCallTiming timing = dev.tracebench.core.analysis.ModelCallTiming.of(
                view.viewModel().traceProperty().get(), chat).orElseThrow();
        assertTrue(timing.queueNs() > 0 && timing.generationNs() > 0 && timing.ttftNs() != null, timing.toString());
        assertEquals(timing.durationNs(), timing.queueNs() + timing.generationNs() + timing.overheadNs());
        String timingText = robot.lookup("#span-model-timing").queryAs(javafx.scene.control.Label.class).getText();
        assertTrue(timingText.startsWith("queue " + dev.tracebench.views.common.Format.duration(timing.queueNs())
                + " · generation " + dev.tracebench.views.common.Format.duration(timing.generationNs())), timingText);
        assertTrue(timingText.endsWith("first token after " + dev.tracebench.views.common.Format.duration(
                timing.ttftNs())), timingText);
        // what the model was asked and answered, whatever convention the app used
        dev.tracebench.core.normalize.LlmContent content = view.viewModel().content(chat.spanId());
        assertTrue(content.question() != null && content.answer() != null, content.toString());
        javafx.scene.layout.VBox box = robot.lookup("#content-box").queryAs(javafx.scene.layout.VBox.class);
        assertTrue(box.getChildren().size() >= 2, "the Content tab shows the messages");
        assertTrue(box.lookupAll(".text-area").stream().anyMatch(n -> content.answer().equals(
                ((javafx.scene.control.TextArea) n).getText())), "the answer is shown");
        robot.clickOn("#attribute-search").write("usage");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(attrs.getItems().size() >= 2 && attrs.getItems().stream()
                .allMatch(a -> a.key().contains("usage") || a.fullValue().contains("usage")), attrs.getItems()
                .toString());

        // zoom to the span with Z, back with Escape
        robot.interact(waterfall::requestFocus);
        robot.type(KeyCode.Z);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(view.viewModel().isZoomed());
        assertTrue(view.viewModel().windowStartProperty().get() <= chat.startNs());
        assertTrue(view.viewModel().windowEndProperty().get() >= chat.endNs());
        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(view.viewModel().isZoomed());
        TextField id = robot.lookup("#trace-id-field").queryAs(TextField.class);
        assertEquals(summary.traceId().hex(), id.getText());
    }
}
