package dev.tracebench.views.trace;

import static dev.tracebench.views.testing.Fx.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.CriticalPath;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.normalize.SpanNormalizer;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.testing.FakeAnalysisService;
import dev.tracebench.views.testing.FakeTraceService;
import dev.tracebench.views.testing.FakeWorkspace;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The critical path in the trace view: loaded alongside the trace, drawn, toggled, and in the span details. */
@ExtendWith(ApplicationExtension.class)
class CriticalPathUiTest {
    private static final FakeWorkspace WS = FakeWorkspace.standard();
    /** An agent trace with two tool calls in parallel: the shorter one is off the critical path. */
    private static final FakeWorkspace.Trace TRACE = WS.traces().get(20);
    private final FakeAnalysisService analysis = new FakeAnalysisService(WS);
    private final Background background = new Background(2);
    private final List<TraceId> compared = new CopyOnWriteArrayList<>();
    private TraceView view;

    @Start
    void start(Stage stage) {
        view = new TraceView(new TraceViewModel(new FakeTraceService(WS), analysis, background, TRACE.id(),
                SpanNormalizer::new), compared::add);
        Scene scene = new Scene(view, 1300, 800);
        scene.getStylesheets().add(Styles.stylesheet());
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void close() {
        background.close();
    }

    private long visible(FxRobot robot, String styleClass) {
        return robot.lookup("#waterfall").queryAs(TreeTableView.class).lookupAll("." + styleClass).stream()
                .filter(Node::isVisible).count();
    }

    @Test
    void thePathIsDrawnToggledAndExplainedInTheDetails(FxRobot robot) {
        TraceViewModel vm = view.viewModel();
        waitFor("trace and path", () -> vm.waterfallProperty().get() != null && vm.pathProperty().get() != null);
        CriticalPath path = TRACE.path();
        assertEquals(path, vm.pathProperty().get().path());
        ToggleButton toggle = robot.lookup("#critical-path-toggle").queryAs(ToggleButton.class);
        assertFalse(toggle.isDisabled());
        assertTrue(toggle.isSelected(), "shown by default");
        // every span on the path is outlined, the one off it is not; segments carry bands
        long onPath = TRACE.spans().stream().filter(s -> path.onPath(s.spanId())).count();
        assertEquals(TRACE.spans().size() - 1, onPath);
        assertEquals(onPath, visible(robot, "tb-path-span"));
        assertTrue(visible(robot, "tb-path-segment") >= onPath);
        assertTrue(robot.lookup("#critical-path-text").queryAs(Label.class).getText()
                .startsWith("Critical path through " + onPath + " spans: "));

        robot.clickOn(toggle);
        assertFalse(vm.showCriticalPathProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, visible(robot, "tb-path-span"));
        assertEquals(0, visible(robot, "tb-path-segment"));
        robot.clickOn(toggle);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(onPath, visible(robot, "tb-path-span"));

        // the details of a model call: its self time, its time on the path and its stage
        @SuppressWarnings("unchecked")
        TreeTableView<WaterfallModel.Node> waterfall = robot.lookup("#waterfall").queryAs(TreeTableView.class);
        TreeItem<WaterfallModel.Node> chat = waterfall.getRoot().getChildren().get(0).getChildren().get(0);
        robot.interact(() -> waterfall.getSelectionModel().select(chat));
        long id = chat.getValue().span().spanId();
        assertEquals("inference", robot.lookup("#span-stage").queryAs(Label.class).getText());
        assertTrue(robot.lookup("#span-self-time").queryAs(Label.class).getText().startsWith(Format.duration(
                path.selfNs().get(id))));
        assertTrue(robot.lookup("#span-critical-path").queryAs(Label.class).getText().startsWith(Format.duration(
                path.pathNs().get(id)) + "  ("));
        // the root: its own time on the path, and with its children all the path
        TreeItem<WaterfallModel.Node> root = waterfall.getRoot().getChildren().get(0);
        robot.interact(() -> waterfall.getSelectionModel().select(root));
        long rootOwn = path.pathNs().getOrDefault(root.getValue().span().spanId(), 0L);
        long all = path.pathNs().values().stream().mapToLong(Long::longValue).sum();
        assertTrue(all > rootOwn);
        assertEquals(Format.duration(rootOwn) + " own, " + Format.duration(all) + " with its children"
                + SpanDetailsView.percentOf(all, path.traceDurationNs()),
                robot.lookup("#span-critical-path").queryAs(Label.class).getText());
        // the span off the path says so
        TreeItem<WaterfallModel.Node> off = waterfall.getRoot().getChildren().get(0).getChildren().stream()
                .filter(x -> !path.onPath(x.getValue().span().spanId())).findFirst().orElseThrow();
        robot.interact(() -> waterfall.getSelectionModel().select(off));
        assertEquals("not on the critical path", robot.lookup("#span-critical-path").queryAs(Label.class).getText());

        robot.clickOn("#compare-typical");
        assertEquals(List.of(TRACE.id()), compared);
    }

    @Test
    void withoutACriticalPathTheTraceStillShows(FxRobot robot) {
        analysis.fail("criticalPath");
        TraceViewModel vm = new TraceViewModel(new FakeTraceService(WS), analysis, background, TRACE.id(),
                SpanNormalizer::new);
        robot.interact(() -> robot.lookup("#trace-view").queryAs(TraceView.class).getScene().setRoot(
                new TraceView(vm)));
        waitFor("the failure", () -> !vm.pathProblemProperty().get().isEmpty());
        waitFor("the trace", () -> vm.waterfallProperty().get() != null);
        assertEquals("Critical path unavailable: criticalPath failed: the database is on fire",
                robot.lookup("#critical-path-text").queryAs(Label.class).getText());
        assertTrue(robot.lookup("#critical-path-toggle").queryAs(ToggleButton.class).isDisabled());
        assertEquals(TRACE.spans().size(), robot.lookup("#waterfall").queryAs(TreeTableView.class)
                .getExpandedItemCount());
        assertTrue(robot.lookup("#span-critical-path").tryQuery().isEmpty());
    }
}
