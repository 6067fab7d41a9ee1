package dev.tracebench.views.compare;

import static dev.tracebench.views.testing.Fx.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Comparison;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.testing.FakeAnalysisService;
import dev.tracebench.views.testing.FakeTraceService;
import dev.tracebench.views.testing.FakeWorkspace;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** A slow trace compared with a typical one of its operation. */
@ExtendWith(ApplicationExtension.class)
class CompareViewUiTest {
    private static final FakeWorkspace WS = FakeWorkspace.standard();
    /** A chat request that hit the slow vector-search shard. */
    private static final FakeWorkspace.Trace SLOW = WS.traces().stream().filter(t -> t.root().equals("POST /chat")
            && t.stageNs("retrieval") > 1_500_000_000L && !t.error()).findFirst().orElseThrow();
    private final FakeAnalysisService analysis = new FakeAnalysisService(WS);
    private final Background background = new Background(2);
    private final List<TraceId> opened = new CopyOnWriteArrayList<>();
    private CompareView view;

    @Start
    void start(Stage stage) {
        view = new CompareView(CompareViewModel.withTypical(analysis, new FakeTraceService(WS), background,
                SLOW.id()), opened::add);
        Scene scene = new Scene(view, 1300, 850);
        scene.getStylesheets().add(Styles.stylesheet());
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void close() {
        background.close();
    }

    @Test
    void showsBothTracesOnOneScaleAndTheDeltasLargestFirst(FxRobot robot) {
        CompareViewModel vm = view.viewModel();
        waitFor("the comparison", () -> vm.comparisonProperty().get() != null && vm.pathAProperty().get() != null
                && vm.pathBProperty().get() != null && vm.traceAProperty().get() != null
                && vm.traceBProperty().get() != null);
        TraceId typical = analysis.typicalPeer(SLOW.id()).orElseThrow();
        assertEquals(typical, vm.aProperty().get());
        assertEquals(SLOW.id(), vm.bProperty().get());
        Comparison c = analysis.compare(typical, SLOW.id()).orElseThrow();
        assertEquals(Format.duration(c.a().durationNs()), robot.lookup("#compare-duration-a").queryAs(Label.class)
                .getText());
        assertEquals(Format.duration(c.b().durationNs()), robot.lookup("#compare-duration-b").queryAs(Label.class)
                .getText());

        // deltas, largest first, retrieval (the slow shard) on top
        List<Comparison.Delta> stages = view.stageTable().getItems();
        assertEquals(c.stages().stream().sorted(Comparator.comparingLong(d -> -Math.abs(d.deltaNs()))).toList(),
                stages);
        assertEquals("retrieval", stages.get(0).stage());
        assertTrue(stages.get(0).deltaNs() > 1_000_000_000L);
        assertEquals("vector_search", view.operationTable().getItems().get(0).operation());
        assertTrue(robot.lookup("#compare-stages .tb-delta-slower").queryAllAs(Label.class).stream()
                .anyMatch(l -> l.getText().equals(CompareView.signed(stages.get(0).deltaNs()))));
        assertTrue(robot.lookup("#compare-verdict").queryAs(Label.class).getText().startsWith("B took "
                + Format.duration(c.b().durationNs() - c.a().durationNs()) + " longer (+"));
        assertTrue(robot.lookup("#compare-verdict").queryAs(Label.class).getText().contains("mostly in retrieval"));

        // one time scale: the longer trace fills it; the bars are the critical paths by stage
        assertEquals(Math.max(WS.trace(typical).durationNs(), SLOW.durationNs()), view.scaleNs(), 1);
        assertEquals(SLOW.path().byStage().values().stream().mapToLong(Long::longValue).sum(),
                view.barB().stages().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(WS.trace(typical).path().byStage().get("retrieval"), view.barA().stages().get("retrieval"));

        robot.clickOn("#compare-open-b");
        assertEquals(List.of(SLOW.id()), opened);
    }
}
