package dev.tracebench.views.datasets;

import static dev.tracebench.views.testing.Fx.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.EvalCondition;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetVersion;
import dev.tracebench.core.dataset.Provenance;
import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.EvalService;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.Navigator;
import dev.tracebench.views.testing.FakeDatasetService;
import dev.tracebench.views.testing.FakeEvalInputs;
import dev.tracebench.views.testing.FakeTraceService;
import dev.tracebench.views.testing.FakeWorkspace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The review queue driven by the keyboard (headless): A accepts, S skips, E edits the expected output and Ctrl+Enter
 * accepts from the field, Enter accepts, B goes back; the bulk tag and the target dataset; saving appends the
 * accepted examples as the next version with their provenance and the model, stage and failure of their trace.
 * Expectations are built from the fake workspace's traces, not from the queue.
 */
@ExtendWith(ApplicationExtension.class)
class ReviewQueueUiTest {
    private static final FakeWorkspace WS = new FakeWorkspace(20, 7);
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final String LABEL = "answers labelled hallucinated by groundedness";
    private final FakeDatasetService datasets = new FakeDatasetService();
    private final Background background = new Background(2);
    private final List<TraceEvalInput> inputs = new ArrayList<>();
    private final List<String> opened = new CopyOnWriteArrayList<>();
    private final AtomicReference<DatasetVersion> saved = new AtomicReference<>();
    private ReviewQueueDialog dialog;

    private record TraceEvalInput(FakeWorkspace.Trace trace, EvalService.TraceEvalInput input) {
    }

    @Start
    void start(Stage stage) {
        datasets.save("golden", "first", FakeDatasetService.generated(2));
        for (int i = 0; i < 4; i++) {
            FakeWorkspace.Trace t = WS.traces().get(i);
            long span = t.spans().stream().filter(s -> "inference".equals(s.stage())).findFirst().orElseThrow()
                    .spanId();
            inputs.add(new TraceEvalInput(t, new EvalService.TraceEvalInput(t.id(), span, new EvalInput(
                    "Question " + i, List.of("Passage " + i + "a", "Passage " + i + "b"), "Answer " + i, ""))));
        }
        Cohort cohort = Cohort.quality(EvalCondition.label("groundedness", "hallucinated"));
        ReviewQueueViewModel vm = new ReviewQueueViewModel(new FakeEvalInputs(inputs.stream().map(TraceEvalInput::input)
                .toList()), datasets, new FakeTraceService(WS), background, cohort, LABEL, "work.duckdb", () -> NOW);
        Navigator navigator = new Navigator() {
            @Override
            public void openTrace(TraceId traceId, long spanId) {
                opened.add(traceId.hex() + " " + spanId);
            }

            @Override
            public void showTraces(Cohort c, String label) {
            }

            @Override
            public void explain(String c) {
            }
        };
        dialog = new ReviewQueueDialog(stage, vm, navigator, saved::set);
        dialog.show();
        vm.load(100);
    }

    @AfterEach
    void close() {
        background.close();
    }

    @Test
    void keysAcceptSkipAndEditAndSavingAppendsTheAcceptedExamplesWithProvenance(FxRobot robot) {
        ReviewQueueViewModel vm = dialog.viewModel();
        waitFor("the candidates", () -> vm.currentProperty().get() != null && vm.currentProperty().get()
                .context() != null);
        assertEquals("golden", vm.targetProperty().get());
        assertEquals("Answer 0", dialog.expectedField().getText(), "the expected output starts from the answer");

        robot.clickOn("#review-bulk-tags").write("halluc");
        robot.type(KeyCode.ESCAPE); // leaves the field: keys drive the queue again
        robot.type(KeyCode.A); // accept 0
        waitFor("candidate 1", () -> vm.indexProperty().get() == 1);
        robot.type(KeyCode.S); // skip 1
        waitFor("candidate 2", () -> vm.indexProperty().get() == 2);
        robot.type(KeyCode.E); // edit 2: the field is focused, its text selected
        robot.write("Edited answer two");
        robot.press(KeyCode.CONTROL).type(KeyCode.ENTER).release(KeyCode.CONTROL); // accept 2 from the field
        waitFor("candidate 3", () -> vm.indexProperty().get() == 3);
        robot.type(KeyCode.B); // back to 2: still accepted, with the edit
        waitFor("candidate 2 again", () -> vm.indexProperty().get() == 2);
        assertEquals("Edited answer two", dialog.expectedField().getText());
        robot.type(KeyCode.RIGHT);
        waitFor("candidate 3 again", () -> vm.indexProperty().get() == 3);
        robot.type(KeyCode.ENTER); // accept 3
        waitFor("three accepted", () -> vm.accepted() == 3);
        assertEquals("4 of 4 · 3 accepted · 1 skipped", vm.statusProperty().get());

        robot.clickOn("#review-open-trace");
        FakeWorkspace.Trace t3 = inputs.get(3).trace();
        assertEquals(List.of(t3.id().hex() + " " + inputs.get(3).input().spanId()), opened);

        robot.clickOn("#review-save");
        waitFor("saved", () -> saved.get() != null);
        assertEquals(2, saved.get().version());
        List<DatasetExample> v2 = datasets.examples("golden", 2);
        assertEquals(5, v2.size());
        assertEquals(FakeDatasetService.generated(2), v2.subList(0, 2), "the examples already there are kept");
        List<DatasetExample> added = v2.subList(2, 5);
        assertEquals(List.of("ex-0003", "ex-0004", "ex-0005"), added.stream().map(DatasetExample::id).toList());
        assertEquals(List.of("Answer 0", "Edited answer two", "Answer 3"),
                added.stream().map(DatasetExample::expectedOutput).toList());
        assertEquals(List.of("Answer 0", "Answer 2", "Answer 3"),
                added.stream().map(DatasetExample::actualOutput).toList(), "the model's answer is kept beside it");
        int[] from = {0, 2, 3};
        for (int k = 0; k < 3; k++) {
            DatasetExample e = added.get(k);
            TraceEvalInput in = inputs.get(from[k]);
            assertEquals("Question " + from[k], e.input());
            assertEquals(List.of("Passage " + from[k] + "a", "Passage " + from[k] + "b"), e.context());
            assertEquals(new Provenance("work.duckdb", in.trace().id().hex(), in.input().spanId(), NOW, LABEL),
                    e.provenance());
            assertEquals(List.of("halluc"), e.tags());
            String model = in.trace().modelVersion() == null || in.trace().modelVersion().isEmpty()
                    ? in.trace().model() : in.trace().modelVersion();
            assertEquals(Map.of("model", model, "stage", "inference", "failure", "hallucinated"), e.metadata());
        }
        assertTrue(datasets.versions("golden").get(1).message().contains("3 examples accepted"));
    }
}
