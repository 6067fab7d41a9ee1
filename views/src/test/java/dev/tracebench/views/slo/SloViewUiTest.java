package dev.tracebench.views.slo;

import static dev.tracebench.views.testing.Fx.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.slo.SliSeries;
import dev.tracebench.core.slo.Slo;
import dev.tracebench.core.slo.SloAlert;
import dev.tracebench.core.slo.SloEngine;
import dev.tracebench.core.slo.SloFile;
import dev.tracebench.core.slo.SloParser;
import dev.tracebench.core.slo.SloService;
import dev.tracebench.core.slo.SloStarter;
import dev.tracebench.core.slo.SloStatus;
import dev.tracebench.views.common.BackgroundTasks;
import dev.tracebench.views.common.Navigator;
import dev.tracebench.views.common.Styles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The SLOs area on a fake SLO service whose series are planted by hand (three days of one-minute steps, ten requests
 * a step): the cards show what {@link SloEngine} computes on the same series, a bad file's problems name their line
 * and field, the alert timeline is the engine's, drill-down asks for the incident's bad events, the editor saves, a
 * missing file gets the starter, and an alert that begins firing after a reload is announced once.
 */
@ExtendWith(ApplicationExtension.class)
class SloViewUiTest {
    private static final Instant ORIGIN = Instant.parse("2026-11-20T00:00:00Z");
    private static final int STEPS = 3 * 24 * 60;
    private static final int PER_STEP = 10;
    private static final String YAML = """
            slos:
              - name: answer-latency
                sli: latency
                threshold: 2s
                objective: 99%
              - name: availability
                sli: availability
                objective: 99%
              - name: model-availability
                sli: availability
                objective: 99.9%
                filter: "model = 'gpt-4o'"
            """;

    @TempDir
    Path dir;
    private final FakeSlos service = new FakeSlos();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private SloView view;
    private Path file;

    private final Navigator navigator = new Navigator() {
        @Override
        public void openTrace(TraceId traceId, long spanId) {
            calls.add("open " + traceId.hex());
        }

        @Override
        public void showTraces(Cohort cohort, String label) {
            calls.add("show " + cohort.filter() + " | " + label);
        }

        @Override
        public void explain(String cohort) {
            calls.add("explain " + cohort);
        }
    };

    /** The SLO service's port, with the series of each SLO planted by name. */
    static final class FakeSlos implements SloService {
        final Map<String, SliSeries> series = new ConcurrentHashMap<>();

        @Override
        public List<FieldProblem> check(Slo slo) {
            return "nope".equals(slo.evaluator()) ? List.of(new FieldProblem("evaluator",
                    "unknown evaluator 'nope'; the workspace holds groundedness.")) : List.of();
        }

        @Override
        public SliSeries series(Slo slo) {
            return series.getOrDefault(slo.name(), planted(0, 0, 0)); // all good unless planted
        }

        @Override
        public Inventory inventory() {
            return new Inventory(List.of(new ServiceInfo("answer-api", 43_200, 30, 1_700_000_000L)),
                    List.of("gpt-4o"), Double.NaN, 0, List.of());
        }
    }

    /** Ten requests a step, {@code bad} of them bad in the steps [from, to) (minutes since the origin). */
    static SliSeries planted(int from, int to, int bad) {
        long[] total = new long[STEPS];
        long[] good = new long[STEPS];
        for (int i = 0; i < STEPS; i++) {
            total[i] = PER_STEP;
            good[i] = i >= from && i < to ? PER_STEP - bad : PER_STEP;
        }
        return new SliSeries(ORIGIN, Duration.ofMinutes(1), total, good);
    }

    @Start
    void start(Stage stage) throws IOException {
        // latency: all good. availability: the last 30 minutes fail (300 of 43,200: 99.3%, burning fast).
        // model-availability: 10:00-12:00 of the first day fail (1,200: 97.2%, breached; paged, then resolved).
        service.series.put("answer-latency", planted(0, 0, 0));
        service.series.put("availability", planted(STEPS - 30, STEPS, PER_STEP));
        service.series.put("model-availability", planted(600, 720, PER_STEP));
        file = dir.resolve("slo.yaml");
        view = new SloView(new SloViewModel(service, new BackgroundTasks(), file, "test.duckdb"), navigator);
        Scene scene = new Scene(view, 1280, 800);
        scene.getStylesheets().add(Styles.stylesheet());
        stage.setScene(scene);
        stage.show();
    }

    private SloViewModel vm() {
        return view.viewModel();
    }

    private void load(FxRobot robot, String yaml) throws IOException {
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        robot.interact(() -> {
            vm().results().clear();
            vm().reload();
        });
        waitFor("the SLOs computed", () -> !vm().loadingProperty().get() && (!vm().results().isEmpty()
                || !vm().problems().isEmpty()));
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    /** Each SLO evaluated by the engine alone, on the planted series, at the end of the data. */
    private List<SloStatus> expected() {
        SloFile f = SloParser.parse(YAML, "slo.yaml");
        Instant end = ORIGIN.plus(Duration.ofMinutes(STEPS));
        List<SloStatus> out = new ArrayList<>();
        for (Slo s : f.slos()) {
            out.add(SloEngine.evaluate(s, service.series.get(s.name()), end));
        }
        return out;
    }

    @Test
    void theCardsShowWhatTheEngineComputesOnTheSameSeries(FxRobot robot) throws IOException {
        load(robot, YAML);
        assertEquals(3, view.cards().getChildren().size());
        List<SloStatus> want = expected();
        assertEquals(List.of(SloStatus.State.MET, SloStatus.State.BURNING, SloStatus.State.BREACHED),
                want.stream().map(SloStatus::state).toList(), "the planted series give each state once");
        assertEquals(List.of("OK", "BURNING", "BREACHED"), List.of(text(robot, "#slo-state-answer-latency"),
                text(robot, "#slo-state-availability"), text(robot, "#slo-state-model-availability")));
        for (SloStatus st : want) {
            String name = st.slo().name();
            assertEquals("SLI " + SloCard.sliText(st), text(robot, "#slo-sli-" + name));
            assertEquals(SloCard.countsText(st), text(robot, "#slo-counts-" + name));
            assertEquals(SloCard.budgetText(st), text(robot, "#slo-budget-" + name));
        }
        // hand-worked: 300 bad of 43,200 against a 1% budget of 432: 69% spent, 31% left; 1,200 bad against
        // 0.1% of 43,200 = 43.2: 27.78 budgets spent
        assertEquals("SLI 99.31%", text(robot, "#slo-sli-availability"));
        assertEquals("42,900 of 43,200 good", text(robot, "#slo-counts-availability"));
        assertEquals("budget left 31%", text(robot, "#slo-budget-availability"));
        assertEquals("SLI 97.22%", text(robot, "#slo-sli-model-availability"));
        assertEquals("budget left -2678%", text(robot, "#slo-budget-model-availability"));
        assertEquals("3 SLOs · 1 breached · 1 burning", text(robot, "#slo-message"));
    }

    @Test
    void theTimelineIsTheEnginesAndABadPeriodDrillsDownToItsBadEvents(FxRobot robot) throws IOException {
        load(robot, YAML);
        robot.clickOn("#slo-card-model-availability");
        waitFor("its timeline", () -> !view.timeline().getItems().isEmpty()
                && view.timeline().getItems().get(0).slo().name().equals("model-availability"));
        List<SloAlert> engine = expected().get(2).timeline();
        List<SloAlert> fired = engine.stream().filter(SloAlert::firing).toList();
        assertEquals(fired.size(), view.timeline().getItems().size(), "one row per firing");
        assertTrue(fired.size() >= 2, "both pages fire on two hours of failures: " + engine);
        for (int i = 0; i < fired.size(); i++) {
            SloViewModel.Incident row = view.timeline().getItems().get(i);
            SloAlert f = fired.get(i);
            assertEquals(f, row.fired());
            SloAlert resolved = engine.stream().filter(a -> !a.firing() && a.rule().equals(f.rule())
                    && a.since().equals(f.since())).findFirst().orElseThrow();
            assertEquals(resolved, row.resolved());
            assertEquals(resolved.at().toString(), row.to().toString());
        }
        // the failures began at 10:00 and ended at 12:00: the fast page fires and resolves inside that, shortly
        SloViewModel.Incident first = view.timeline().getItems().get(0);
        assertEquals("page-fast", first.fired().rule());
        assertTrue(!first.fired().at().isBefore(ORIGIN.plus(Duration.ofHours(10)))
                && first.fired().at().isBefore(ORIGIN.plus(Duration.ofMinutes(610))), first.fired().at().toString());
        assertTrue(!first.resolved().at().isBefore(ORIGIN.plus(Duration.ofHours(12)))
                && first.resolved().at().isBefore(ORIGIN.plus(Duration.ofMinutes(730))));

        robot.interact(() -> view.timeline().getSelectionModel().select(0));
        robot.clickOn("#slo-drill-traces");
        robot.clickOn("#slo-drill-why");
        long from = first.fired().at().minus(Duration.ofHours(1)).getEpochSecond() * 1_000_000_000L;
        long to = first.resolved().at().getEpochSecond() * 1_000_000_000L;
        String cohort = "t.start_ns >= " + from + " AND t.start_ns < " + to + " AND t.root_error AND t.trace_id IN "
                + "(SELECT trace_id FROM (SELECT *, service_name AS service FROM traces) f WHERE model = 'gpt-4o')";
        assertEquals(2, calls.size(), calls.toString());
        assertTrue(calls.get(0).startsWith("show " + cohort + " | bad events of model-availability, "), calls.get(0));
        assertEquals("explain " + cohort, calls.get(1));
    }

    @Test
    void aBadFilesProblemsNameTheirLineAndField(FxRobot robot) throws IOException {
        load(robot, "slos:\n  - name: a\n    sli: availability\n    objective: 99,9%\n");
        waitFor("the problem", () -> !view.problemList().getItems().isEmpty());
        assertEquals(4, view.problemList().getItems().get(0).line());
        assertEquals("slos[0].objective", view.problemList().getItems().get(0).field());
        assertTrue(view.problemList().isVisible());
        assertTrue(view.cards().getChildren().isEmpty());
        // a problem only the workspace can see, on the line of its field
        load(robot, "slos:\n  - name: ok\n    sli: availability\n    objective: 99%\n  - name: g\n    sli: eval\n"
                + "    evaluator: nope\n    pass: true\n    objective: 95%\n");
        waitFor("the store's problem", () -> !view.problemList().getItems().isEmpty());
        assertEquals(1, view.problemList().getItems().size());
        assertEquals(7, view.problemList().getItems().get(0).line());
        assertEquals("slos[1].evaluator", view.problemList().getItems().get(0).field());
        assertEquals("1 problem in slo.yaml: fix them in the editor.", text(robot, "#slo-message"));
    }

    @Test
    void aMissingFileGetsTheStarterAndTheEditorSaves(FxRobot robot) throws IOException {
        robot.interact(() -> vm().reload());
        waitFor("the missing file", () -> vm().fileMissingProperty().get());
        robot.clickOn("#slo-create-starter");
        waitFor("the starter computed", () -> !vm().results().isEmpty());
        assertEquals(SloStarter.yaml(service.inventory(), "test.duckdb"), Files.readString(file));
        assertEquals(List.of("answer-api-availability", "answer-api-latency", "gpt-4o-availability"),
                vm().results().stream().map(r -> r.slo().name()).toList());

        robot.clickOn("Editor");
        robot.interact(() -> view.editor().setText(YAML));
        robot.clickOn("#slo-editor").press(javafx.scene.input.KeyCode.CONTROL).press(javafx.scene.input.KeyCode.S)
                .release(javafx.scene.input.KeyCode.S).release(javafx.scene.input.KeyCode.CONTROL);
        waitFor("the saved file computed", () -> vm().results().size() == 3
                && vm().results().get(0).slo().name().equals("answer-latency"));
        assertEquals(YAML, Files.readString(file));
        assertEquals(List.of(), Files.list(dir).filter(p -> !p.equals(file)).toList(), "no temporary file left");
    }

    @Test
    void anAlertThatBeginsFiringAfterAReloadIsAnnouncedOnce(FxRobot robot) throws IOException {
        List<SloAlert> announced = new CopyOnWriteArrayList<>();
        vm().setOnNewAlerts(announced::addAll);
        service.series.put("availability", planted(0, 0, 0));
        load(robot, YAML);
        assertTrue(announced.isEmpty(), "the first load announces nothing: " + announced);
        service.series.put("availability", planted(STEPS - 30, STEPS, PER_STEP)); // an import brought failures
        load(robot, YAML);
        // 30 minutes of failures: 50× over the hour and 8.3× over six hours, both pages fire
        assertEquals(List.of("availability/page-fast", "availability/page-slow"), announced.stream()
                .map(a -> a.slo() + "/" + a.rule())
                .toList());
        load(robot, YAML);
        assertEquals(2, announced.size(), "still firing: not announced again");
        assertFalse(vm().results().isEmpty());
    }
}
