package dev.tracebench.views.trace;

import static dev.tracebench.views.testing.Fx.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tracebench.core.normalize.SpanNormalizer;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.testing.FakeEvalService;
import dev.tracebench.views.testing.FakeTraceService;
import dev.tracebench.views.testing.FakeWorkspace;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The span details list the eval verdicts of the trace: the selected span's first, then the trace's. */
@ExtendWith(ApplicationExtension.class)
class SpanVerdictsUiTest {
    private static final FakeWorkspace WS = new FakeWorkspace(200, 7);
    /** Example 0: hallucinated in every run (0 is a multiple of 6, 5 and 4); relevance 0.5, then 0.4 in run 3. */
    private static final FakeWorkspace.Trace TRACE = WS.traces().get(0);
    private final Background background = new Background(2);
    private TraceView view;

    @Start
    void start(Stage stage) {
        view = new TraceView(new TraceViewModel(new FakeTraceService(WS), null, background, TRACE.id(),
                SpanNormalizer::new).withEvals(FakeEvalService.standard(WS)), id -> { });
        Scene scene = new Scene(view, 1280, 800);
        scene.getStylesheets().add(Styles.stylesheet());
        stage.setScene(scene);
        stage.show();
        view.viewModel().load();
    }

    @AfterEach
    void close() {
        background.close();
    }

    @Test
    void theSelectedSpansVerdictsComeFirstThenTheTraces(FxRobot robot) {
        TraceViewModel vm = view.viewModel();
        long first = TRACE.spans().get(0).spanId();
        waitFor("trace and verdicts", () -> vm.traceProperty().get() != null
                && vm.evalResultsProperty().get().size() == 7);
        robot.interact(() -> vm.selectSpan(first));
        @SuppressWarnings("unchecked")
        TableView<String[]> table = robot.lookup("#span-verdicts").queryAs(TableView.class);
        waitFor("the rows", () -> table.getItems().size() == 7);
        // run 3's safety verdict is on the first span; the other six are on the trace
        assertEquals(List.of("this span", "evaluators 06-03", "safety", "✓ safe", "1.00"),
                List.of(table.getItems().get(0)).subList(0, 5));
        for (int i = 1; i < 7; i++) {
            assertEquals("the trace", table.getItems().get(i)[0]);
        }
        // failing: groundedness in all three runs, relevance in run 3 (0.4 < 0.5)
        String title = robot.lookup(".tab").queryAll().stream().map(n -> ((javafx.scene.control.Labeled) n
                .lookup(".tab-label")).getText()).filter(t -> t.startsWith("Quality")).findFirst().orElseThrow();
        assertEquals("Quality (7, 4 failing)", title);
        // another span: run 3's safety verdict is then on "span …"
        long other = TRACE.spans().get(TRACE.spans().size() - 1).spanId();
        robot.interact(() -> vm.selectSpan(other));
        waitFor("re-sorted", () -> table.getItems().get(6)[0].startsWith("span "));
        assertFalse(table.getItems().stream().anyMatch(r -> r[0].equals("this span")));
    }
}
