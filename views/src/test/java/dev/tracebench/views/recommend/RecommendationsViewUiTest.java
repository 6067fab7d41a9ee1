package dev.tracebench.views.recommend;

import static dev.tracebench.views.testing.Fx.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.recommend.ModelWeight;
import dev.tracebench.core.recommend.RecommendOptions;
import dev.tracebench.core.recommend.Recommendation;
import dev.tracebench.core.recommend.RecommendationKind;
import dev.tracebench.core.recommend.RecommendationService;
import dev.tracebench.core.recommend.Recommendations;
import dev.tracebench.core.recommend.TracingOverhead;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.views.common.BackgroundTasks;
import dev.tracebench.views.common.Navigator;
import dev.tracebench.views.common.Styles;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.input.Clipboard;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The Recommendations area on a fake service with planted recommendations, weights and tracing costs: the list and
 * the selected one's evidence (secrets masked) and example traces (opened through the navigator), the weights as
 * bars with the change, the overhead totals worked out by hand, the empty state, Cancel, and reloads asked for while
 * one runs coalesced into one.
 */
@ExtendWith(ApplicationExtension.class)
class RecommendationsViewUiTest {
    private static final TraceId A = TraceId.fromHex("0af7651916cd43dd8448eb211c80319c");
    private static final TraceId B = TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736");
    private static final Instant FROM = Instant.parse("2026-11-20T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-23T00:00:00Z");

    static final Recommendations PLANTED = new Recommendations(FROM, TO, List.of(
            new Recommendation(RecommendationKind.TRAFFIC, Severity.CRITICAL, "model gpt-4o-mini-2025-01-20",
                    "Shift traffic away from gpt-4o-mini-2025-01-20: 4.1% errors vs 0.6%",
                    "Its error rate rose after the rollout; move 30 points of its share to the previous version and "
                            + "watch the error rate.",
                    List.of(new Recommendation.Fact("error rate", "4.1% (vs 0.6% on gpt-4o-mini-2024-07-18)"),
                            new Recommendation.Fact("api_key", "sk-live-0123456789abcdef")),
                    List.of(new Finding.Exemplar(A, 7), Finding.Exemplar.of(B))),
            new Recommendation(RecommendationKind.SAMPLING, Severity.INFO, "service retriever",
                    "Sample cache.lookup spans: 8,000 spans, 1.9 MiB, never on a critical path",
                    "They are always under a millisecond.", List.of(), List.of())),
            List.of(new ModelWeight("gpt-4o-mini-2025-01-20", 9_000, 0.041, 2_400_000_000L, 0.81, 0.5, 0.2,
                            "gpt-4o-mini"),
                    new ModelWeight("claude-3-haiku", 1_000, 0.01, 900_000_000L, Double.NaN, 1.0, 1.0, "claude"),
                    new ModelWeight("gpt-4o-mini-2024-07-18", 9_000, 0.006, 1_200_000_000L, 0.93, 0.5, 0.8,
                            "gpt-4o-mini")),
            new TracingOverhead(10_000, 5_000_000, List.of(
                    new TracingOverhead.Row("answer-api", "llm", "chat", 2_000, 3_000_000, 2_000_000, false,
                            "on the critical path"),
                    new TracingOverhead.Row("retriever", "retrieval", "cache.lookup", 8_000, 2_000_000, 500_000,
                            true, "always under 1 ms; never on a critical path"))));

    private final Fake service = new Fake();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private RecommendationsView view;

    /** Answers with what the test planted; {@link #gate} holds an answer back until opened or cancelled. */
    static final class Fake implements RecommendationService {
        volatile Recommendations answer = PLANTED;
        volatile CountDownLatch gate = new CountDownLatch(0);
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean sawCancel;

        @Override
        public Recommendations recommend(RecommendOptions options, CancellationToken cancel) {
            calls.incrementAndGet();
            try {
                while (!gate.await(10, TimeUnit.MILLISECONDS)) {
                    if (cancel.isCancelled()) {
                        sawCancel = true;
                        cancel.throwIfCancelled();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return answer;
        }
    }

    private final Navigator navigator = new Navigator() {
        @Override
        public void openTrace(TraceId traceId, long spanId) {
            calls.add("open " + traceId.hex() + " " + spanId);
        }

        @Override
        public void showTraces(Cohort cohort, String label) {
        }

        @Override
        public void explain(String cohort) {
        }
    };

    @Start
    void start(Stage stage) {
        view = new RecommendationsView(new RecommendationsViewModel(service, new BackgroundTasks(),
                RecommendOptions::defaults), navigator, new BackgroundTasks());
        Scene scene = new Scene(view, 1280, 800);
        scene.getStylesheets().add(Styles.stylesheet());
        stage.setScene(scene);
        stage.show();
    }

    private void load(FxRobot robot) {
        int before = service.calls.get();
        robot.interact(view::refresh);
        waitFor("computed", () -> service.calls.get() > before && !view.viewModel().loadingProperty().get());
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    /** What the cell of {@code column} in row {@code row} shows (text, or its graphic's label). */
    private static String cell(FxRobot robot, TableView<?> table, String column, int row) {
        for (Node n : robot.from(table).lookup(".table-cell").queryAll()) {
            TableCell<?, ?> c = (TableCell<?, ?>) n;
            if (c.getIndex() == row && c.getTableColumn() != null && column.equals(c.getTableColumn().getText())
                    && !c.isEmpty()) {
                if (c.getText() != null) {
                    return c.getText();
                }
                return robot.from(c).lookup(".label").queryAs(Label.class).getText();
            }
        }
        throw new AssertionError("no cell " + column + " in row " + row);
    }

    @Test
    void theListShowsEachRecommendationAndTheSelectedOnesEvidenceAndTraces(FxRobot robot) {
        load(robot);
        assertEquals("2 recommendations (1 critical) over "
                + RecommendationsViewModel.describe(PLANTED).substring("2 recommendations (1 critical) over ".length()),
                text(robot, "#rec-message"));
        assertEquals(List.of("Recommendations (2)", "Traffic weights (3)", "Tracing overhead"),
                view.tabs().getTabs().stream().map(t -> t.getText()).toList());
        TableView<Recommendation> items = view.items();
        assertEquals(2, items.getItems().size());
        assertEquals("● critical", cell(robot, items, "Severity", 0));
        assertEquals("traffic", cell(robot, items, "Kind", 0));
        assertEquals("model gpt-4o-mini-2025-01-20", cell(robot, items, "Subject", 0));
        assertEquals("sampling", cell(robot, items, "Kind", 1));
        assertEquals(PLANTED.items().get(0), items.getSelectionModel().getSelectedItem(), "the first is selected");
        assertEquals("Shift traffic away from gpt-4o-mini-2025-01-20: 4.1% errors vs 0.6%",
                text(robot, "#rec-detail-summary"));
        assertTrue(text(robot, "#rec-detail-explanation").startsWith("Its error rate rose after the rollout"));
        List<String> evidence = robot.from(robot.lookup("#rec-detail-evidence").queryParent()).lookup(".label")
                .queryAllAs(Label.class).stream().map(Label::getText).toList();
        assertEquals(List.of("error rate", "4.1% (vs 0.6% on gpt-4o-mini-2024-07-18)", "api_key", "[masked]"),
                evidence);
        List<Hyperlink> links = List.copyOf(robot.from(robot.lookup("#rec-detail-exemplars").queryParent())
                .lookup(".hyperlink").queryAllAs(Hyperlink.class));
        assertEquals(List.of(A.hex(), B.hex()), links.stream().map(Hyperlink::getText).toList());
        robot.clickOn(links.get(0));
        robot.clickOn(links.get(1));
        assertEquals(List.of("open " + A.hex() + " 7", "open " + B.hex() + " 0"), calls);

        // a refresh keeps the reader on the recommendation they selected
        robot.interact(() -> items.getSelectionModel().select(1));
        load(robot);
        assertEquals("service retriever", items.getSelectionModel().getSelectedItem().subject());
        assertFalse(robot.lookup("#rec-detail-evidence").tryQuery().isPresent(), "it has no evidence");
    }

    @Test
    void theWeightsShowTheCurrentAndRecommendedSharesAsBarsByGroup(FxRobot robot) {
        load(robot);
        robot.interact(() -> view.tabs().getSelectionModel().select(1));
        TableView<ModelWeight> w = view.weights();
        // by group, then the larger recommended weight first
        assertEquals(List.of("claude-3-haiku", "gpt-4o-mini-2024-07-18", "gpt-4o-mini-2025-01-20"),
                w.getItems().stream().map(ModelWeight::model).toList());
        assertEquals("50.0%", cell(robot, w, "Current share", 1));
        assertEquals("80.0%", cell(robot, w, "Recommended weight", 1));
        assertEquals("+30.0 pts", cell(robot, w, "Change", 1));
        assertEquals("-30.0 pts", cell(robot, w, "Change", 2));
        assertEquals("=", cell(robot, w, "Change", 0));
        assertEquals("4.1%", cell(robot, w, "Error rate", 2));
        assertEquals("81.0%", cell(robot, w, "Pass rate", 2));
        assertEquals("—", cell(robot, w, "Pass rate", 0), "no judged answers");
        assertEquals("9,000", cell(robot, w, "Requests", 1));
        assertEquals(dev.tracebench.views.common.Format.duration(2_400_000_000L), cell(robot, w, "p95", 2));
    }

    @Test
    void theOverheadShowsEachRowAndTheTotalsWithTheSamplingCandidates(FxRobot robot) {
        load(robot);
        robot.interact(() -> view.tabs().getSelectionModel().select(2));
        // 5,000,000 B = 4.77 MiB; attributes 2,500,000 B = 2.38 MiB; candidates 2,000,000 B = 1.91 MiB, 40% of all
        assertEquals("Total: 10,000 spans · 4.8 MiB (attributes 2.4 MiB). Sampling candidates: 8,000 spans · "
                + "1.9 MiB (40.0% of the bytes).", view.overheadTotals().getText());
        TableView<TracingOverhead.Row> o = view.overhead();
        assertEquals(2, o.getItems().size());
        assertEquals("cache.lookup", cell(robot, o, "Operation", 1));
        assertEquals("yes", cell(robot, o, "Sampling candidate", 1));
        assertEquals("—", cell(robot, o, "Sampling candidate", 0));
        assertEquals("2.9 MiB", cell(robot, o, "Bytes", 0));
        assertEquals("488.3 KiB", cell(robot, o, "Attribute bytes", 1));
    }

    @Test
    void anEmptyWorkspaceGetsAnExplanationOfWhatIsNeeded(FxRobot robot) {
        service.answer = new Recommendations(FROM, TO, List.of(), List.of(), new TracingOverhead(0, 0, List.of()));
        load(robot);
        assertTrue(view.emptyState().isVisible());
        assertFalse(view.tabs().isVisible());
        assertEquals(RecommendationsView.EMPTY_TEXT, ((Label) view.emptyState()).getText());
        assertEquals("0 recommendations over " + RecommendationsViewModel.describe(service.answer)
                .substring("0 recommendations over ".length()), text(robot, "#rec-message"));
        service.answer = PLANTED;
        load(robot);
        assertFalse(view.emptyState().isVisible());
        assertTrue(view.tabs().isVisible());
    }

    @Test
    void cancelStopsTheComputationAndReloadsAskedForMeanwhileRunOnce(FxRobot robot) {
        service.gate = new CountDownLatch(1);
        robot.interact(view::refresh);
        waitFor("running", () -> service.calls.get() == 1 && view.viewModel().loadingProperty().get());
        robot.clickOn("#rec-cancel");
        waitFor("cancelled", () -> service.sawCancel);
        assertFalse(view.viewModel().loadingProperty().get());
        assertEquals("Cancelled.", text(robot, "#rec-message"));

        CountDownLatch gate = new CountDownLatch(1);
        service.gate = gate;
        robot.interact(view::refresh);
        waitFor("running again", () -> service.calls.get() == 2);
        // three changes while it runs (live traces): one more computation afterwards, not three
        robot.interact(() -> {
            view.refresh();
            view.refresh();
            view.refresh();
        });
        gate.countDown();
        waitFor("the queued one ran", () -> service.calls.get() == 3 && !view.viewModel().loadingProperty().get());
        waitFor("settled", () -> view.viewModel().resultProperty().get() != null);
        assertEquals(3, service.calls.get());
        assertEquals(2, view.items().getItems().size());
    }

    @Test
    void copyRouterConfigIsOfferedOnlyWithAWriter(FxRobot robot) {
        load(robot);
        Button copy = robot.lookup("#rec-copy-router").queryButton();
        assertFalse(copy.isVisible(), "no router config writer in this build");
        robot.interact(() -> {
            view.viewModel().setRouterConfig(r -> "model_list:\n  - model_name: gpt-4o-mini\n    weight: "
                    + r.weights().get(2).weight() + "\n");
        });
        load(robot);
        assertTrue(copy.isVisible());
        robot.clickOn(copy);
        String[] clip = new String[1];
        robot.interact(() -> clip[0] = Clipboard.getSystemClipboard().getString());
        assertEquals("model_list:\n  - model_name: gpt-4o-mini\n    weight: 0.8\n", clip[0]);
    }
}
