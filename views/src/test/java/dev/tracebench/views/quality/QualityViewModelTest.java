package dev.tracebench.views.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.eval.EvalExample;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.core.eval.MetricSummary;
import dev.tracebench.core.eval.QualityPoint;
import dev.tracebench.core.eval.RunComparison;
import dev.tracebench.views.testing.FakeEvalService;
import dev.tracebench.views.testing.FakeWorkspace;
import dev.tracebench.views.testing.UiQueue;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Quality area's state on the fake eval service, callbacks run on the test thread. Expected numbers come from the
 * fake's documented planting (which examples each run calls hallucinated), not from the fake's own summaries.
 */
class QualityViewModelTest {
    private static final FakeWorkspace WS = new FakeWorkspace(200, 7);
    private static final int N = FakeEvalService.EXAMPLES;
    private final UiQueue ui = new UiQueue(2);

    @AfterEach
    void close() {
        ui.close();
    }

    private static long count(java.util.function.IntPredicate p) {
        return IntStream.range(0, N).filter(p).count();
    }

    private QualityViewModel loaded(FakeEvalService service) {
        QualityViewModel vm = new QualityViewModel(service, ui.background());
        vm.load();
        ui.until("runs, cards and examples", () -> vm.runsLoadedProperty().get() && !vm.loadingProperty().get()
                && (vm.runs().isEmpty() || !vm.examples().isEmpty() && !vm.metrics().isEmpty()));
        return vm;
    }

    private static MetricSummary metric(QualityViewModel vm, String name) {
        return vm.metrics().stream().filter(m -> m.evaluator().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theNewestRunIsShownWithItsMetricsAndItsFailingExamplesFirst() {
        QualityViewModel vm = loaded(FakeEvalService.standard(WS));
        assertEquals(List.of(3L, 2L, 1L), vm.runs().stream().map(EvalRun::id).toList());
        assertEquals(3L, vm.selectedProperty().get().id());
        // run 3: hallucinated when i % 4 == 0, plus two grounded unlinked goldens
        long hallucinated = count(i -> i % 4 == 0);
        MetricSummary g = metric(vm, "groundedness");
        assertEquals(N + 2, g.count());
        assertEquals(hallucinated, g.failed());
        assertEquals((double) (N + 2 - hallucinated) / (N + 2), g.passRate(), 1e-12);
        assertEquals(List.of("groundedness", "relevance", "safety"), vm.metrics().stream()
                .map(MetricSummary::evaluator).toList());
        assertEquals(N + 2, vm.examples().size());
        // failing first: every example with a failing verdict comes before every one without
        int firstClean = indexOf(vm.examples(), false);
        assertTrue(firstClean > 0);
        assertTrue(vm.examples().subList(firstClean, vm.examples().size()).stream().noneMatch(QualityViewModelTest::fails));
        assertEquals(N + 2 + " examples, failing first", vm.statusProperty().get());
        assertFalse(vm.loadingProperty().get());
    }

    private static boolean fails(EvalExample e) {
        return e.verdicts().stream().anyMatch(r -> Boolean.FALSE.equals(r.verdict()));
    }

    private static int indexOf(List<EvalExample> list, boolean failing) {
        for (int i = 0; i < list.size(); i++) {
            if (fails(list.get(i)) == failing) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aMetricListsOnlyItsExamplesAndAnotherRunShowsEveryExampleAgain() {
        FakeEvalService service = FakeEvalService.standard(WS);
        QualityViewModel vm = loaded(service);
        vm.metricProperty().set("safety");
        ui.until("safety's examples", () -> !vm.loadingProperty().get() && vm.examples().size() == N);
        assertTrue(service.log().contains("examples 3 safety"));
        vm.selectedProperty().set(vm.runs().get(2));
        ui.until("run 1", () -> !vm.loadingProperty().get() && metric(vm, "groundedness").count() == N);
        assertNull(vm.metricProperty().get(), "another run: every metric again");
        assertEquals(count(i -> i % 6 == 0), metric(vm, "groundedness").failed());
        assertEquals(N, vm.examples().size());
        assertEquals(1, service.log().stream().filter(l -> l.equals("examples 1 null")).count(),
                "one query for the new run's examples");
    }

    @Test
    void examplesArriveAPageAtATime() {
        int n = QualityViewModel.PAGE + 30;
        FakeEvalService service = FakeEvalService.standard(WS, n);
        QualityViewModel vm = loaded(service);
        assertEquals(QualityViewModel.PAGE, vm.examples().size());
        assertTrue(vm.moreProperty().get());
        assertEquals("The first " + QualityViewModel.PAGE + " examples, failing first", vm.statusProperty().get());
        List<EvalExample> firstPage = List.copyOf(vm.examples());
        vm.loadMore();
        ui.until("the second page", () -> !vm.loadingProperty().get() && vm.examples().size() > QualityViewModel.PAGE);
        // run 3: n judged traces and two goldens, in the service's order, none twice
        assertEquals(n + 2, vm.examples().size());
        assertEquals(firstPage, vm.examples().subList(0, QualityViewModel.PAGE));
        assertEquals(n + 2, vm.examples().stream().map(EvalExample::key).distinct().count());
        assertFalse(vm.moreProperty().get());
        assertEquals(n + 2 + " examples, failing first", vm.statusProperty().get());
        assertTrue(service.log().contains("examples 3 null"));
    }

    @Test
    void aRefreshKeepsTheChosenRunAndMetricAndSelectsAStoredRunOnceListed() {
        FakeEvalService service = FakeEvalService.standard(WS);
        QualityViewModel vm = loaded(service);
        vm.selectedProperty().set(vm.runs().get(1));
        vm.metricProperty().set("relevance");
        ui.until("run 2's relevance", () -> !vm.loadingProperty().get() && vm.examples().size() == N);
        vm.load();
        ui.until("reloaded", () -> !vm.loadingProperty().get());
        assertEquals(2L, vm.selectedProperty().get().id());
        assertEquals("relevance", vm.metricProperty().get());
        vm.selectWhenListed(1);
        vm.load();
        ui.until("run 1 selected", () -> !vm.loadingProperty().get() && vm.selectedProperty().get().id() == 1);
    }

    @Test
    void comparingRunsFindsTheRegressionsAndFixesOfEachMetric() {
        QualityViewModel vm = loaded(FakeEvalService.standard(WS));
        // defaults: the second newest against the newest
        assertEquals(2L, vm.compareAProperty().get().id());
        assertEquals(3L, vm.compareBProperty().get().id());
        vm.compare();
        assertTrue(vm.comparingProperty().get());
        ui.until("the comparison", () -> vm.comparisonProperty().get() != null);
        RunComparison c = vm.comparisonProperty().get();
        // groundedness: hallucinated every 5th in run 2, every 4th in run 3; relevance drops 0.1 below 0.5 when
        // i % 10 < 2
        long groundRegressed = count(i -> i % 4 == 0 && i % 5 != 0);
        long groundFixed = count(i -> i % 5 == 0 && i % 4 != 0);
        long relRegressed = count(i -> i % 10 < 2);
        assertEquals(groundRegressed + relRegressed, c.regressed().size());
        assertEquals(groundFixed, c.fixed().size());
        RunComparison.MetricDelta g = c.metrics().stream().filter(d -> d.evaluator().equals("groundedness"))
                .findFirst().orElseThrow();
        double meanA = (count(i -> i % 5 == 0) * 0.2 + count(i -> i % 5 != 0) * 0.95) / N;
        double meanB = (count(i -> i % 4 == 0) * 0.2 + count(i -> i % 4 != 0) * 0.95) / N;
        assertEquals(meanB - meanA, g.delta(), 1e-9);
        assertEquals(groundRegressed + relRegressed + " regressed, " + groundFixed + " fixed",
                vm.compareStatusProperty().get());
        // choosing another run drops the comparison: it no longer describes the choice
        vm.compareAProperty().set(vm.runs().get(2));
        assertNull(vm.comparisonProperty().get());
    }

    @Test
    void aRunIsNotComparedWithItself() {
        FakeEvalService service = FakeEvalService.standard(WS);
        QualityViewModel vm = loaded(service);
        vm.compareAProperty().set(vm.runs().get(0));
        vm.compare();
        assertEquals("Choose two different runs.", vm.compareStatusProperty().get());
        assertTrue(service.log().stream().noneMatch(l -> l.startsWith("compare")));
    }

    @Test
    void qualityOverTimeCountsEveryLinkedResultOfTheMetric() {
        QualityViewModel vm = loaded(FakeEvalService.standard(WS));
        assertEquals(List.of("groundedness", "relevance", "safety"), vm.evaluators());
        // the first metric to begin with
        assertEquals("groundedness", vm.timeMetricProperty().get());
        assertEquals("groundedness", vm.timePoints().get(0).evaluator());
        // three runs judged the same 40 linked traces; the goldens link to none
        assertEquals(3L * N, vm.timePoints().stream().mapToLong(QualityPoint::count).sum());
        long failed = count(i -> i % 6 == 0) + count(i -> i % 5 == 0) + count(i -> i % 4 == 0);
        assertEquals(3.0 * N - failed, passed(vm), 1e-9);

        vm.timeMetricProperty().set("relevance");
        ui.until("relevance", () -> !vm.loadingProperty().get() && "relevance".equals(vm.timePoints().get(0)
                .evaluator()));
        // relevance fails only in run 3, where it is 0.1 lower: below 0.5 when i % 10 < 2
        assertEquals(3.0 * N - count(i -> i % 10 < 2), passed(vm), 1e-9);
        vm.load();
        ui.until("reloaded", () -> !vm.loadingProperty().get());
        assertEquals("relevance", vm.timeMetricProperty().get(), "a refresh keeps the chosen metric");
    }

    private static double passed(QualityViewModel vm) {
        return vm.timePoints().stream().mapToDouble(p -> p.passRate() * p.count()).sum();
    }

    @Test
    void cancelStopsTheLoadAndDropsWhatArrivesLater() {
        FakeEvalService service = FakeEvalService.standard(WS).hold();
        QualityViewModel vm = new QualityViewModel(service, ui.background());
        vm.load();
        assertTrue(vm.loadingProperty().get());
        vm.cancel();
        assertFalse(vm.loadingProperty().get());
        assertEquals("Cancelled.", vm.statusProperty().get());
        service.release();
        ui.settle(200);
        assertTrue(vm.runs().isEmpty(), "the cancelled listing is dropped");
        assertFalse(vm.runsLoadedProperty().get());
    }

    @Test
    void anEmptyWorkspaceHasNoRunsAndAFailureSaysWhy() {
        QualityViewModel vm = loaded(new FakeEvalService(WS));
        assertTrue(vm.runs().isEmpty());
        assertNull(vm.selectedProperty().get());
        assertTrue(vm.metrics().isEmpty());

        QualityViewModel broken = new QualityViewModel(new FakeEvalService(WS).failWith("the workspace is closed"),
                ui.background());
        broken.load();
        ui.until("the failure", () -> !broken.problemProperty().get().isEmpty());
        assertEquals("Quality could not be loaded: the workspace is closed", broken.problemProperty().get());
        assertFalse(broken.loadingProperty().get());
    }
}
