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
    private final List<Finding.Exemplar> opened = new CopyOnWriteArrayList<>();
    private LatencyView view;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        view = new LatencyView(new LatencyViewModel(fake, background), new FindingsViewModel(fake, background),
                (id, span) -> opened.add(new Finding.Exemplar(id, span)), null);
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
        return v instanceof Long l ? (column == 1 ? Format.count(l) : BreakdownPane.duration(l)) : String.valueOf(v);
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
            assertEquals(BreakdownPane.duration(s.p95Ns()), cellText(tree, i, 4));
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
        int checked = 0;
        for (int i = 0; i < stack.getItemCount(); i++) {
            Timeline.Bucket b = view.timelineChart().bucketAt(i);
            if (b == null) {
                continue;
            }
            double sum = 0;
            for (int s = 0; s < stack.getSeriesCount(); s++) {
                sum += stack.getYValue(s, i);
            }
            assertEquals(unit.of(b.meanNs()), sum, unit.of(b.meanNs()) * 0.01 + 1e-6, "bucket " + i);
            checked++;
        }
        assertEquals(t.buckets().size(), checked);
        assertEquals(unit.of(t.buckets().get(10).p95Ns()), view.timelineChart().lineDataset().getYValue(0, 10),
                1e-9);

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
        assertEquals(List.of(expected.get(0).exemplars().get(0)), opened);
        // clicking an example of another finding opens it
        javafx.scene.control.Hyperlink link = robot.lookup(".tb-exemplar").queryAllAs(
                javafx.scene.control.Hyperlink.class).stream().filter(h -> h.getUserData().equals(expected.get(1)
                .exemplars().get(0))).findFirst().orElseThrow();
        robot.clickOn(link);
        assertEquals(expected.get(1).exemplars().get(0), opened.get(1));
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
}
