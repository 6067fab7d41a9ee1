package dev.tracebench.views.analysis;

import static dev.tracebench.views.testing.Fx.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Dimension;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.GroupBy;
import dev.tracebench.core.analysis.StageStat;
import dev.tracebench.core.analysis.Timeline;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.StageColors;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.testing.FakeAnalysisService;
import dev.tracebench.views.testing.FakeWorkspace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.jfree.chart.annotations.XYBoxAnnotation;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Latency area on the fake analysis service, driven as a user would (headless). */
@ExtendWith(ApplicationExtension.class)
class LatencyViewUiTest {
    private static final FakeWorkspace WS = FakeWorkspace.standard();
    private final FakeAnalysisService fake = new FakeAnalysisService(WS).explainDelay(400);
    private final Background background = new Background(2);
    private final List<TraceId> opened = new CopyOnWriteArrayList<>();
    private LatencyView view;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        view = new LatencyView(new LatencyViewModel(fake, background), new FindingsViewModel(fake, background),
                opened::add);
        Scene scene = new Scene(view, 1400, 900);
        scene.getStylesheets().add(Styles.stylesheet());
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void close(FxRobot robot) {
        fake.release();
        robot.interact(() -> robot.listWindows().stream().filter(w -> w != stage).toList()
                .forEach(w -> ((Stage) w).close()));
        background.close();
    }

    private LatencyViewModel vm() {
        return view.viewModel();
    }

    private void loaded() {
        waitFor("the analysis", () -> !vm().loadingProperty().get() && vm().countProperty().get() >= 0
                && vm().breakdownProperty().get() != null && vm().timelineProperty().get() != null);
    }

    /** The text of a stage row's cell (the i-th stage under the root, whatever is expanded above it). */
    private static String cellText(TreeTableView<BreakdownPane.Row> tree, int stage, int column) {
        TreeItem<BreakdownPane.Row> item = tree.getRoot().getChildren().get(stage);
        Object v = tree.getColumns().get(column).getCellData(item);
        return v instanceof Long l ? (column == 1 ? Format.count(l) : Charts.duration(l)) : String.valueOf(v);
    }

    @Test
    void theTableAndTheChartsShowTheServicesNumbersForTheSameCohort(FxRobot robot) {
        loaded();
        Breakdown expected = fake.breakdown(Cohort.all(), GroupBy.NONE);
        TreeTableView<BreakdownPane.Row> tree = view.breakdownPane().stageTable();
        assertEquals(expected.overall().stages().size(), tree.getRoot().getChildren().size());
        for (int i = 0; i < expected.overall().stages().size(); i++) {
            StageStat s = expected.overall().stages().get(i);
            assertEquals(StageColors.label(s.stage()), tree.getRoot().getChildren().get(i).getValue().label());
            assertEquals(Format.count(s.traces()), cellText(tree, i, 1));
            assertEquals(Charts.duration(s.p95Ns()), cellText(tree, i, 4));
        }
        // an operation under its stage
        TreeItem<BreakdownPane.Row> inference = tree.getRoot().getChildren().stream()
                .filter(x -> x.getValue().stat().stage().equals("inference")).findFirst().orElseThrow();
        assertTrue(inference.getChildren().stream().anyMatch(x -> x.getValue().label().equals("chat gpt-4o")));
        assertEquals("3,000 requests", robot.lookup("#cohort-count").queryAs(Label.class).getText());

        // the timeline: one stacked series per stage in the fixed order; the stack is the bucket's mean duration
        Timeline t = vm().timelineProperty().get();
        DefaultTableXYDataset stack = view.timelineChart().stageDataset();
        assertEquals(view.timelineChart().shownStages().stream().map(StageColors::label).toList(), seriesKeys(stack));
        assertEquals(t.stages().stream().filter(st -> t.buckets().stream().anyMatch(b -> b.meanByStage().getOrDefault(st, 0.0) > 0)).toList(), view.timelineChart().shownStages());
        Charts.Unit unit = view.timelineChart().unit();
        assertEquals(t.buckets().size(), stack.getItemCount(), "one stacked bar per bucket with requests");
        for (int i = 0; i < stack.getItemCount(); i++) {
            Timeline.Bucket b = view.timelineChart().stageBucket(i);
            assertEquals(Charts.ms(b.startNs() + t.bucketNs() / 2), stack.getXValue(0, i), 1e-6);
            double sum = 0;
            for (int s = 0; s < stack.getSeriesCount(); s++) {
                sum += stack.getYValue(s, i);
            }
            assertEquals(unit.of(b.meanNs()), sum, unit.of(b.meanNs()) * 0.01 + 1e-6, "bucket " + i);
        }
        // the p95 line: every bucket's p95 where it had enough requests, at the bucket's middle
        var line = view.timelineChart().lineDataset();
        int lined = 0;
        for (int i = 0; i < line.getItemCount(0); i++) {
            Timeline.Bucket b = view.timelineChart().bucketAt(i);
            if (b != null && b.traces() >= TimelineChart.MIN_TRACES_FOR_P95) {
                assertEquals(unit.of(b.p95Ns()), line.getYValue(0, i), 1e-9);
                lined++;
            } else {
                assertTrue(Double.isNaN(line.getYValue(0, i)), "a gap at " + i);
            }
        }
        assertTrue(lined > 60, "most buckets have a p95: " + lined);

        // the heatmap counts every request of the cohort; the histogram of the whole duration too
        double cells = 0;
        var heat = view.heatmapChart().dataset();
        for (int i = 0; i < heat.getItemCount(0); i++) {
            cells += heat.getZValue(0, i);
        }
        assertEquals(3000, cells);
        assertEquals(3000, histogramTotal() + vm().histogramProperty().get().zero());

        // selecting a stage row: the histogram shows that stage, and its p50/p95 are the table's
        robot.interact(() -> tree.getSelectionModel().select(inference));
        waitFor("the inference histogram", () -> vm().histogramProperty().get() != null
                && "inference".equals(vm().histogramProperty().get().stage()));
        StageStat inf = expected.overall().stages().stream().filter(s -> s.stage().equals("inference")).findFirst()
                .orElseThrow();
        assertEquals(inf.traces(), histogramTotal());
        assertEquals(inf.p95Ns(), view.histogramChart().shown().p95Ns());
        assertEquals("Inference time per request (critical path)", view.histogramChart().chart().getTitle()
                .getText());
    }

    private long histogramTotal() {
        var d = view.histogramChart().dataset();
        long n = 0;
        for (int i = 0; i < d.getItemCount(0); i++) {
            n += Math.round(d.getYValue(0, i));
        }
        return n;
    }

    private static List<String> seriesKeys(DefaultTableXYDataset d) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < d.getSeriesCount(); i++) {
            out.add(String.valueOf(d.getSeriesKey(i)));
        }
        return out;
    }

    @Test
    void switchingTheCohortAndGroupingReloadsTheTableAndCharts(FxRobot robot) {
        loaded();
        robot.clickOn("#cohort-errors");
        waitFor("the errors cohort", () -> vm().cohortProperty().get().equals(Cohort.errors())
                && !vm().loadingProperty().get() && vm().countProperty().get() >= 0);
        long errors = fake.select(Cohort.errors()).size();
        assertEquals(Format.count(errors) + " of 3,000 requests (" + String.format(java.util.Locale.ROOT, "%.1f%%",
                100.0 * errors / 3000) + ")", robot.lookup("#cohort-count").queryAs(Label.class).getText());
        assertEquals(errors, vm().breakdownProperty().get().overall().traces());
        assertEquals(Cohort.errors(), vm().timelineProperty().get().cohort());
        assertEquals(Cohort.errors(), vm().heatmapProperty().get().cohort());
        // failed requests (the root failed) are some of the traces with an error (in the fake's traffic, all)
        robot.clickOn("#cohort-failed");
        waitFor("the failed cohort", () -> vm().cohortProperty().get().equals(Cohort.failed())
                && !vm().loadingProperty().get());
        long failed = fake.select(Cohort.failed()).size();
        assertTrue(failed > 0 && failed <= errors, failed + " failed of " + errors + " with errors");
        assertEquals(failed, vm().breakdownProperty().get().overall().traces());

        // slow ≥ p99, picked from the percentile choice
        robot.interact(() -> robot.lookup("#cohort-percentile").queryAs(javafx.scene.control.ChoiceBox.class)
                .setValue(99.0));
        waitFor("p99", () -> vm().cohortProperty().get().equals(Cohort.slow(99)) && !vm().loadingProperty().get());
        assertTrue(robot.lookup("#cohort-slow").queryAs(ToggleButton.class).isSelected());
        assertEquals(fake.select(Cohort.slow(99)).size(), vm().countProperty().get());

        // slower than, typed
        TextField threshold = robot.lookup("#cohort-threshold").queryAs(TextField.class);
        robot.interact(() -> threshold.setText("5s"));
        robot.clickOn(threshold).type(KeyCode.ENTER);
        waitFor("≥ 5 s", () -> vm().cohortProperty().get().equals(Cohort.slowerThan(5_000_000_000L))
                && !vm().loadingProperty().get());
        assertEquals(fake.select(Cohort.slowerThan(5_000_000_000L)).size(),
                vm().breakdownProperty().get().overall().traces());

        // group by service: one row per service, and picking one shows its stages
        @SuppressWarnings("unchecked")
        ComboBox<Dimension> groupBy = robot.lookup("#group-by").queryAs(ComboBox.class);
        robot.interact(() -> groupBy.setValue(Dimension.SERVICE));
        waitFor("groups", () -> view.breakdownPane().groupTable().getItems().size() > 1
                && !vm().breakdownLoadingProperty().get());
        List<Breakdown.Group> groups = fake.breakdown(Cohort.slowerThan(5_000_000_000L), GroupBy.of(Dimension.SERVICE))
                .groups();
        assertEquals(groups, view.breakdownPane().groupTable().getItems());
        robot.interact(() -> view.breakdownPane().groupTable().getSelectionModel().select(1));
        // its operations load when it is picked, and appear under their stages
        Breakdown.Group full = fake.fullBreakdown(Cohort.slowerThan(5_000_000_000L), GroupBy.of(Dimension.SERVICE))
                .groups().get(1);
        waitFor("the group's operations", () -> !vm().groupProperty().get().operations().isEmpty()
                && !vm().breakdownLoadingProperty().get());
        assertEquals(full, vm().groupProperty().get());
        assertEquals(full, view.breakdownPane().groupTable().getSelectionModel().getSelectedItem());
        TreeTableView<BreakdownPane.Row> tree = view.breakdownPane().stageTable();
        assertEquals(full.stages().size(), tree.getRoot().getChildren().size());
        assertEquals(full.operations().size(), tree.getRoot().getChildren().stream()
                .mapToInt(x -> x.getChildren().size()).sum());
    }

    @Test
    void brushingTheHeatmapMakesTheSelectionTheCohort(FxRobot robot) {
        loaded();
        HeatmapChart heat = view.heatmapChart();
        java.awt.geom.Rectangle2D area = heat.dataArea();
        // drag with the mouse over the middle of the plot
        Point2D from = heat.localToScreen(area.getMinX() + area.getWidth() * 0.5, area.getMinY() + area.getHeight()
                * 0.2);
        Point2D to = heat.localToScreen(area.getMinX() + area.getWidth() * 0.7, area.getMinY() + area.getHeight()
                * 0.6);
        robot.moveTo(from, org.testfx.robot.Motion.DIRECT).press(MouseButton.PRIMARY)
                .moveTo(to, org.testfx.robot.Motion.DIRECT).release(MouseButton.PRIMARY);
        waitFor("the region", () -> vm().cohortProperty().get().kind() == Cohort.Kind.REGION
                && !vm().loadingProperty().get() && vm().countProperty().get() >= 0);
        Cohort region = vm().cohortProperty().get();
        assertTrue(region.toNs() > region.fromNs() && region.maxDurationNs() > region.minDurationNs());
        long n = fake.select(region).size();
        assertTrue(n > 0, "the rectangle holds requests");
        assertEquals(n, vm().countProperty().get());
        assertEquals(n, vm().breakdownProperty().get().overall().traces());
        assertEquals(Cohort.all(), vm().heatmapProperty().get().cohort(), "the heatmap still shows everything");
        assertTrue(robot.lookup("#cohort-region").queryAs(ToggleButton.class).isSelected());
        assertEquals(1, heat.plot().getAnnotations().size());
        XYBoxAnnotation box = (XYBoxAnnotation) heat.plot().getAnnotations().get(0);
        assertTrue(box != null);

        // the same programmatically: a click on a busy cell selects that cell
        robot.interact(() -> heat.brushFraction(0.6, 0.45, 0.6, 0.45));
        WaitForAsyncUtils.waitForFxEvents();

        robot.clickOn("#cohort-region-clear");
        waitFor("back to all", () -> vm().cohortProperty().get().equals(Cohort.all()) && !vm().loadingProperty()
                .get());
        assertTrue(heat.plot().getAnnotations().isEmpty());
        assertTrue(robot.lookup("#cohort-region").queryAs(ToggleButton.class).isDisabled());
    }

    @Test
    void aBadFilterIsAMessageNotACrash(FxRobot robot) {
        loaded();
        robot.interact(() -> robot.lookup("#cohort-filter").queryAs(TextField.class).setText("no_such_column = 1"));
        robot.clickOn("#cohort-filter").type(KeyCode.ENTER);
        waitFor("the failure", () -> !vm().problemProperty().get().isEmpty() && !vm().loadingProperty().get());
        Label banner = robot.lookup("#latency-problem").queryAs(Label.class);
        assertTrue(banner.isVisible());
        assertEquals("The filter cannot be used: Binder Error: Referenced column \"no_such_column\" not found in "
                + "FROM clause!", banner.getText());
        TextField filter = robot.lookup("#cohort-filter").queryAs(TextField.class);
        robot.interact(() -> filter.setText("service_name = 'docs-search'"));
        robot.clickOn(filter).type(KeyCode.ENTER);
        waitFor("the filter", () -> vm().problemProperty().get().isEmpty() && !vm().loadingProperty().get()
                && vm().countProperty().get() >= 0);
        assertFalse(banner.isVisible());
        assertEquals(709, vm().countProperty().get());
        assertTrue(robot.lookup("#cohort-filter-button").queryAs(ToggleButton.class).isSelected());
    }

    @Test
    void explainListsTheFindingsAndEnterOpensTheFirstExample(FxRobot robot) {
        loaded();
        robot.interact(() -> vm().kindProperty().set(Cohort.Kind.SLOW_PERCENTILE));
        loaded();
        FindingsViewModel f = view.findingsViewModel();
        robot.clickOn("#explain-button");
        assertTrue(f.explainingProperty().get(), "explain runs in the background");
        assertEquals(1, robot.lookup("#latency-tabs").queryAs(TabPane.class).getSelectionModel().getSelectedIndex());
        assertTrue(robot.lookup("#findings-cancel").queryAs(Button.class).isVisible());
        waitFor("the findings", () -> !f.explainingProperty().get() && !f.findings().isEmpty());
        List<Finding> expected = fake.explain(Cohort.slow(95), CheckSettings.DEFAULTS,
                dev.tracebench.core.task.CancellationToken.none());
        assertEquals(expected.stream().map(Finding::summary).toList(), f.findings().stream().map(Finding::summary)
                .toList());
        assertEquals("Why are slow requests (≥ p95 of their operation) slow?",
                robot.lookup("#findings-title").queryAs(Label.class).getText());
        FindingList list = view.findingList();
        assertEquals(0, list.getSelectionModel().getSelectedIndex());
        assertTrue(robot.lookup(".tb-finding-summary").queryAllAs(Label.class).stream()
                .anyMatch(l -> l.getText().equals(expected.get(0).summary())));

        // Space shows the explanation, Enter opens the first example trace
        robot.interact(list::requestFocus);
        robot.type(KeyCode.SPACE);
        assertTrue(list.isExpanded(f.findings().get(0)));
        assertTrue(robot.lookup(".tb-finding-explanation").queryAllAs(Label.class).stream()
                .anyMatch(l -> l.getText().equals(expected.get(0).explanation()) && l.isVisible()));
        robot.type(KeyCode.ENTER);
        assertEquals(List.of(expected.get(0).exemplars().get(0).traceId()), opened);
        // clicking an example of another finding opens it
        javafx.scene.control.Hyperlink link = robot.lookup(".tb-exemplar").queryAllAs(
                javafx.scene.control.Hyperlink.class).stream().filter(h -> h.getUserData().equals(expected.get(1)
                .exemplars().get(0))).findFirst().orElseThrow();
        robot.clickOn(link);
        assertEquals(expected.get(1).exemplars().get(0).traceId(), opened.get(1));
    }

    @Test
    void explainCanBeCancelled(FxRobot robot) {
        loaded();
        assertEquals(Cohort.all(), vm().cohortProperty().get());
        fake.explainDelay(20_000);
        robot.clickOn("#explain-button");
        FindingsViewModel f = view.findingsViewModel();
        assertTrue(f.explainingProperty().get());
        // on "all requests", the question is about the slow ones
        assertEquals(Cohort.slow(95), vm().cohortProperty().get());
        assertTrue(robot.lookup("#cohort-slow").queryAs(ToggleButton.class).isSelected());
        robot.clickOn("#findings-cancel");
        assertFalse(f.explainingProperty().get());
        assertEquals("Cancelled.", f.statusProperty().get());
        assertTrue(f.findings().isEmpty());
        assertFalse(robot.lookup("#findings-cancel").queryAs(Button.class).isVisible());
    }

    @Test
    void theChecksRunForTheWholeWorkspaceAndTheThresholdsAreEditable(FxRobot robot) {
        loaded();
        fake.explainDelay(0);
        robot.clickOn("#tab-checks .tab-label");
        FindingsViewModel f = view.findingsViewModel();
        waitFor("the checks", () -> f.checksLoadedProperty().get());
        assertEquals(fake.automatedChecks(CheckSettings.DEFAULTS, dev.tracebench.core.task.CancellationToken.none())
                .size(), f.checks().size());

        robot.clickOn("#tab-findings .tab-label");
        robot.clickOn("#findings-thresholds");
        TextField loops = robot.lookup("#threshold-loopCalls").queryAs(TextField.class);
        assertEquals("8", loops.getText());
        assertEquals("99", robot.lookup("#threshold-minConfidence").queryAs(TextField.class).getText());
        robot.interact(() -> loops.setText("x"));
        Button ok = (Button) robot.lookup(".dialog-pane").queryAs(DialogPane.class).lookupButton(
                javafx.scene.control.ButtonType.OK);
        assertTrue(ok.isDisabled());
        assertTrue(robot.lookup("#thresholds-status").queryAs(Label.class).getText().contains("whole number"));
        robot.interact(() -> loops.setText("3"));
        robot.interact(() -> robot.lookup("#threshold-minSupport").queryAs(TextField.class).setText("20"));
        robot.clickOn(ok);
        assertEquals(3, f.settingsProperty().get().loopCalls());
        assertEquals(0.2, f.settingsProperty().get().minSupport(), 1e-9);
        waitFor("the checks again", () -> !f.checkingProperty().get());
        assertEquals(fake.automatedChecks(f.settingsProperty().get(), dev.tracebench.core.task.CancellationToken
                .none()).size(), f.checks().size());

        // Escape closes the dialog and changes nothing
        robot.clickOn("#findings-thresholds");
        robot.interact(() -> robot.lookup("#threshold-loopCalls").queryAs(TextField.class).setText("50"));
        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup(".dialog-pane").tryQuery().isEmpty());
        assertEquals(3, f.settingsProperty().get().loopCalls());
    }

    private static long heatmapCells(HeatmapChart h) {
        var d = h.dataset();
        long n = 0;
        for (int i = 0; d.getSeriesCount() > 0 && i < d.getItemCount(0); i++) {
            n += Math.round(d.getZValue(0, i));
        }
        return n;
    }

    @Test
    void refreshAfterTheWorkspaceGrewShowsTheNewCountsInTheHeaderAndTheHeatmap(FxRobot robot) {
        loaded();
        robot.clickOn("#cohort-slow");
        waitFor("slow requests", () -> vm().cohortProperty().get().equals(Cohort.slow(95))
                && !vm().loadingProperty().get() && vm().countProperty().get() >= 0);
        long before = fake.select(Cohort.slow(95)).size();
        assertEquals(before, heatmapCells(view.heatmapChart()));
        // an import doubled the workspace
        fake.workspace(new FakeWorkspace(6000, 7));
        long after = fake.select(Cohort.slow(95)).size();
        assertTrue(after > before * 3 / 2, before + " -> " + after);
        robot.clickOn("#latency-refresh");
        waitFor("the new counts", () -> !vm().loadingProperty().get() && vm().countProperty().get() == after
                && vm().totalProperty().get() == 6000);
        assertEquals(Format.count(after) + " of 6,000 requests (" + String.format(java.util.Locale.ROOT, "%.1f%%",
                100.0 * after / 6000) + ")", robot.lookup("#cohort-count").queryAs(Label.class).getText());
        assertEquals(after, heatmapCells(view.heatmapChart()), "the heatmap counts the new traffic");
        assertEquals(after, vm().breakdownProperty().get().overall().traces());
        assertEquals(after, histogramTotal() + vm().histogramProperty().get().zero());
    }

    @Test
    void pickingAGroupShowsItsChartsUntilTheWholeCohortIsPickedAgain(FxRobot robot) {
        loaded();
        Label chip = robot.lookup("#chart-group").queryAs(Label.class);
        assertFalse(chip.getParent().isVisible());
        @SuppressWarnings("unchecked")
        ComboBox<Dimension> groupBy = robot.lookup("#group-by").queryAs(ComboBox.class);
        robot.interact(() -> groupBy.setValue(Dimension.SERVICE));
        waitFor("groups", () -> view.breakdownPane().groupTable().getItems().size() > 1
                && !vm().loadingProperty().get());
        Breakdown.Group docs = vm().breakdownProperty().get().group("docs-search").orElseThrow();
        int row = view.breakdownPane().groupTable().getItems().indexOf(docs);
        robot.clickOn(robot.lookup("#group-table .table-row-cell").nth(row).queryAs(javafx.scene.Node.class));
        waitFor("the group's charts", () -> !vm().loadingProperty().get() && vm().heatmapProperty().get() != null
                && vm().heatmapProperty().get().cohort().narrowing().size() == 1);
        assertTrue(chip.getParent().isVisible());
        assertEquals("Charts of group: service docs-search", chip.getText());
        assertEquals(docs.traces(), heatmapCells(view.heatmapChart()));
        assertEquals(docs.traces(), histogramTotal());
        assertEquals(docs.p95Ns(), view.histogramChart().shown().p95Ns(), "the histogram agrees with the row");
        assertEquals(docs.traces(), view.timelineChart().shown().buckets().stream()
                .mapToLong(Timeline.Bucket::traces).sum());
        assertEquals("3,000 requests", robot.lookup("#cohort-count").queryAs(Label.class).getText(),
                "the cohort itself did not change");

        robot.clickOn("#chart-group-clear");
        waitFor("the whole cohort's charts", () -> !vm().loadingProperty().get()
                && vm().chartCohortProperty().get().equals(Cohort.all()) && heatmapCells(view.heatmapChart()) == 3000);
        assertFalse(chip.getParent().isVisible());
        assertEquals(0, view.breakdownPane().groupTable().getSelectionModel().getSelectedIndex());
    }

    @Test
    void checkedServicesNarrowTheCohort(FxRobot robot) {
        loaded();
        @SuppressWarnings("unchecked")
        org.controlsfx.control.CheckComboBox<String> services = robot.lookup("#pick-services")
                .queryAs(org.controlsfx.control.CheckComboBox.class);
        waitFor("the services", () -> services.getItems().size() == 4);
        assertEquals("All services", services.getTitle());
        robot.interact(() -> services.getCheckModel().check("docs-search"));
        waitFor("docs-search only", () -> !vm().loadingProperty().get() && vm().countProperty().get() == 709);
        assertEquals("docs-search", services.getTitle());
        assertEquals("709 of 3,000 requests (23.6%)", robot.lookup("#cohort-count").queryAs(Label.class).getText());
        assertEquals(709, heatmapCells(view.heatmapChart()));
        // and from the model's side: the checks follow
        robot.interact(() -> vm().chosenServices().setAll("docs-search", "ops-agent"));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of("docs-search", "ops-agent"), List.copyOf(services.getCheckModel().getCheckedItems()));
        assertEquals("2 services", services.getTitle());
        robot.interact(() -> services.getCheckModel().clearChecks());
        waitFor("all again", () -> !vm().loadingProperty().get() && vm().countProperty().get() == 3000);
        assertEquals(Cohort.all(), vm().cohortProperty().get());
    }

    @Test
    void chartsSaveAsPngAndSvgAndTheStageTableAsCsv(FxRobot robot, @org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        loaded();
        HeatmapChart heat = view.heatmapChart();
        java.nio.file.Path png = dir.resolve("heatmap.png");
        java.nio.file.Path svg = dir.resolve("heatmap.svg");
        java.nio.file.Path csv = dir.resolve("stages.csv");
        List<java.util.concurrent.CompletableFuture<java.nio.file.Path>> saves = new CopyOnWriteArrayList<>();
        robot.interact(() -> {
            saves.add(view.exports().savePng(heat, png));
            saves.add(view.exports().saveSvg(heat, svg));
        });
        for (var f : saves) {
            f.get(20, java.util.concurrent.TimeUnit.SECONDS);
        }
        robot.interact(() -> saves.add(view.exports().saveCsv(view.breakdownPane().stageCsv(), csv)));
        saves.get(2).get(20, java.util.concurrent.TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(Math.round(heat.getWidth()) * Exports.PNG_SCALE, image.getWidth());
        assertEquals(Math.round(heat.getHeight()) * Exports.PNG_SCALE, image.getHeight());
        String svgText = java.nio.file.Files.readString(svg);
        assertTrue(svgText.startsWith("<svg") || svgText.contains("<svg "), svgText.substring(0, 80));
        assertTrue(svgText.contains("Latency heatmap"), "the title is text in the SVG");
        List<String> lines = java.nio.file.Files.readAllLines(csv);
        assertEquals("stage,operation,traces,p50,p90,p95,p99,mean,share", lines.get(0));
        StageStat first = fake.breakdown(Cohort.all(), GroupBy.NONE).overall().stages().get(0);
        assertTrue(lines.get(1).startsWith(first.stage() + ",," + first.traces() + ","), lines.get(1));
        long rows = fake.fullBreakdown(Cohort.all(), GroupBy.NONE).overall().stages().stream()
                .filter(x -> x.traces() > 0).count() + fake.breakdown(Cohort.all(), GroupBy.NONE).overall()
                .operations().size();
        assertEquals(rows, lines.size() - 1, "every stage and every operation, folded or not");
        assertEquals("Saved stages.csv (" + java.nio.file.Files.size(csv) + " bytes)",
                robot.lookup("#latency-export-status").queryAs(Label.class).getText());
        try (var files = java.nio.file.Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary files left behind");
        }

        // the chart's context menu
        java.awt.geom.Rectangle2D area = heat.dataArea();
        robot.rightClickOn(heat.localToScreen(area.getCenterX(), area.getCenterY()));
        waitFor("the menu", () -> robot.lookup(".context-menu").tryQuery().isPresent());
        List<String> items = robot.lookup(".context-menu .menu-item .label").queryAllAs(Label.class).stream()
                .map(Label::getText).toList();
        assertTrue(items.containsAll(List.of("Save as PNG…", "Save as SVG…", "Copy")), items.toString());
        robot.type(KeyCode.ESCAPE);

        // a cell of the stage table copies as it reads
        TreeTableView<BreakdownPane.Row> tree = view.breakdownPane().stageTable();
        javafx.scene.Node p95Cell = robot.lookup("#breakdown-tree .tree-table-row-cell").nth(0).lookup(
                ".tree-table-cell").nth(4).query();
        robot.rightClickOn(p95Cell);
        waitFor("the table menu", () -> robot.lookup("Copy cell").tryQuery().isPresent());
        robot.clickOn("Copy cell");
        String copied = WaitForAsyncUtils.asyncFx(() -> javafx.scene.input.Clipboard.getSystemClipboard()
                .getString()).get();
        assertEquals(Charts.duration(first.p95Ns()), copied);
        assertEquals(cellText(tree, 0, 4), copied);
    }

    @Test
    void aQualityCohortFromTheQualityAreaIsTheFilterAndIsExplained(FxRobot robot) {
        loaded();
        robot.interact(() -> view.explain("eval:groundedness=hallucinated"));
        waitFor("the explain", () -> !fake.explained().isEmpty());
        // read as the command line reads it: the cohorts' own parser decides what eval: means
        assertEquals(Cohort.parse("eval:groundedness=hallucinated"), fake.explained().get(0));
        assertEquals(Cohort.Kind.FILTER, vm().kindProperty().get());
        assertEquals("eval:groundedness=hallucinated", robot.lookup("#cohort-filter").queryAs(TextField.class)
                .getText());
        assertTrue(robot.lookup("#cohort-filter-button").queryAs(ToggleButton.class).isSelected());
    }

    @Test
    void showTracesSendsTheChartedRequestsToTheNavigator(FxRobot robot) {
        List<Object[]> shown = new CopyOnWriteArrayList<>();
        robot.interact(() -> view.setNavigator(new dev.tracebench.views.common.Navigator() {
            @Override
            public void openTrace(TraceId traceId, long spanId) {
                opened.add(traceId);
            }

            @Override
            public void showTraces(Cohort cohort, String label) {
                shown.add(new Object[] {cohort, label});
            }

            @Override
            public void explain(String cohort) {
                throw new AssertionError("not asked for");
            }
        }));
        loaded();
        robot.interact(() -> vm().chosenServices().setAll("support-assistant"));
        waitFor("narrowed", () -> !vm().loadingProperty().get() && vm().countProperty().get() > 0
                && !vm().cohortProperty().get().narrowing().isEmpty());
        robot.clickOn("#show-traces");
        assertEquals(1, shown.size());
        Cohort expected = Cohort.all().within(GroupBy.of(Dimension.SERVICE), List.of("support-assistant"));
        assertEquals(expected, shown.get(0)[0]);
        assertEquals("all requests with service support-assistant", shown.get(0)[1]);

        // a heatmap selection: from its context menu
        HeatmapChart heat = view.heatmapChart();
        robot.interact(() -> heat.brushFraction(0.3, 0.2, 0.6, 0.6));
        waitFor("the region", () -> vm().cohortProperty().get().kind() == Cohort.Kind.REGION
                && !vm().loadingProperty().get());
        java.awt.geom.Rectangle2D area = heat.dataArea();
        robot.rightClickOn(heat.localToScreen(area.getMinX() + 10, area.getMinY() + 10));
        robot.clickOn("Show traces in the selection");
        assertEquals(2, shown.size());
        Cohort region = (Cohort) shown.get(1)[0];
        assertEquals(vm().cohortProperty().get(), region);
        assertEquals(Cohort.Kind.REGION, region.kind());
        assertEquals(expected.narrowing(), region.narrowing());
        assertTrue(((String) shown.get(1)[1]).startsWith("requests started "), (String) shown.get(1)[1]);
        assertTrue(((String) shown.get(1)[1]).endsWith(" with service support-assistant"));

        // Escape forgets the selection
        robot.interact(() -> view.breakdownPane().stageTable().requestFocus());
        robot.type(KeyCode.ESCAPE);
        waitFor("the selection forgotten", () -> vm().regionProperty().get() == null
                && vm().cohortProperty().get().kind() == Cohort.Kind.ALL);
    }

    @Test
    void thePickersAreReachedWithTabAndEnterRunsTheFilter(FxRobot robot) {
        loaded();
        robot.interact(() -> robot.lookup("#cohort-all").query().requestFocus());
        List<String> reached = new ArrayList<>();
        for (int i = 0; i < 30 && !reached.contains("pick-models"); i++) {
            robot.type(KeyCode.TAB);
            javafx.scene.Node f = stage.getScene().getFocusOwner();
            while (f != null && f.getId() == null) {
                f = f.getParent();
            }
            reached.add(f == null ? "?" : f.getId());
        }
        // the cohort toggles are one stop (arrow keys move between them, as in any toggle group)
        assertTrue(reached.containsAll(List.of("cohort-percentile", "cohort-threshold", "cohort-filter", "group-by",
                "pick-services", "pick-models")), reached.toString());
        robot.interact(() -> robot.lookup("#cohort-all").query().requestFocus());
        List<String> arrowed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            robot.type(KeyCode.RIGHT);
            arrowed.add(stage.getScene().getFocusOwner().getId());
        }
        assertEquals(List.of("cohort-slow", "cohort-slower", "cohort-failed", "cohort-errors", "cohort-filter-button"),
                arrowed);
        // Space on a cohort toggle picks it
        robot.interact(() -> robot.lookup("#cohort-errors").query().requestFocus());
        robot.type(KeyCode.SPACE);
        waitFor("errors", () -> vm().cohortProperty().get().equals(Cohort.errors()) && !vm().loadingProperty()
                .get());
        // Enter in the filter runs it
        TextField filter = robot.lookup("#cohort-filter").queryAs(TextField.class);
        robot.interact(() -> {
            filter.setText("tenant = 'acme'");
            filter.requestFocus();
        });
        robot.type(KeyCode.ENTER);
        waitFor("the filter", () -> vm().cohortProperty().get().equals(Cohort.filter("tenant = 'acme'"))
                && !vm().loadingProperty().get() && vm().countProperty().get() >= 0);
        assertEquals(fake.select(Cohort.filter("tenant = 'acme'")).size(), vm().countProperty().get());
    }

    @Test
    void theHistogramLeavesRoomForItsLabelsAndTheTimelineHasGapsWhereNoRequestStarted(FxRobot robot) {
        loaded();
        var h = view.histogramChart();
        long tallest = vm().histogramProperty().get().bins().stream().mapToLong(b -> b.traces()).max().orElse(0);
        assertEquals(tallest * HistogramChart.HEADROOM, h.plot().getRangeAxis().getUpperBound(), 1e-9);
        assertEquals(2, h.plot().getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND).size());

        // a small cohort (the 8 slowest requests): most buckets have none
        long eighth = WS.traces().stream().map(FakeWorkspace.Trace::durationNs).sorted(java.util.Comparator
                .reverseOrder()).skip(7).findFirst().orElseThrow();
        robot.interact(() -> vm().thresholdProperty().set(eighth / 1_000_000 + "ms"));
        robot.interact(() -> vm().kindProperty().set(Cohort.Kind.SLOW_THRESHOLD));
        waitFor("the slowest requests", () -> !vm().loadingProperty().get() && vm().timelineProperty().get() != null
                && vm().timelineProperty().get().cohort().kind() == Cohort.Kind.SLOW_THRESHOLD);
        Timeline t = vm().timelineProperty().get();
        TimelineChart chart = view.timelineChart();
        assertEquals(t.buckets().size(), chart.stageDataset().getItemCount(), "a bar only where requests started");
        int empty = 0;
        for (int i = 0; i < chart.lineItems(); i++) {
            if (chart.bucketAt(i) == null) {
                empty++;
                assertTrue(Double.isNaN(chart.lineDataset().getYValue(0, i)), "the p95 line breaks at " + i);
            }
        }
        assertTrue(empty > 0, "some buckets are empty: " + t.buckets().size() + " of " + chart.lineItems());
        double top = chart.plot().getRangeAxis().getUpperBound();
        for (Timeline.Bucket b : t.buckets()) {
            assertTrue(chart.unit().of(b.meanNs()) <= top);
            if (b.traces() >= TimelineChart.MIN_TRACES_FOR_P95) {
                assertTrue(chart.unit().of(b.p95Ns()) <= top, "the p95 line stays in the plot");
            }
        }
    }
}
