package dev.tracebench.views.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Dimension;
import dev.tracebench.core.analysis.GroupBy;
import dev.tracebench.core.analysis.StageStat;
import dev.tracebench.views.testing.FakeAnalysisService;
import dev.tracebench.views.testing.FakeWorkspace;
import dev.tracebench.views.testing.UiQueue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LatencyViewModelTest {
    private static final FakeWorkspace WS = FakeWorkspace.standard();
    private final FakeAnalysisService fake = new FakeAnalysisService(WS);
    private UiQueue ui;

    @AfterEach
    void close() {
        fake.release();
        if (ui != null) {
            ui.close();
        }
    }

    private LatencyViewModel started(int threads) {
        ui = new UiQueue(threads);
        LatencyViewModel vm = new LatencyViewModel(fake, ui.background());
        vm.start();
        idle(vm);
        return vm;
    }

    private void idle(LatencyViewModel vm) {
        ui.until("loads to finish", () -> !vm.loadingProperty().get() && vm.countProperty().get() >= 0
                && vm.totalProperty().get() >= 0);
    }

    @Test
    void startLoadsEverythingForAllRequests() {
        LatencyViewModel vm = started(2);
        assertEquals(3000, vm.totalProperty().get());
        assertEquals(3000, vm.countProperty().get());
        Breakdown b = vm.breakdownProperty().get();
        assertEquals(Cohort.all(), b.cohort());
        assertEquals(fake.breakdown(Cohort.all(), GroupBy.NONE).overall(), b.overall());
        assertEquals(b.overall(), vm.groupProperty().get());
        assertEquals(Cohort.all(), vm.timelineProperty().get().cohort());
        assertEquals(Cohort.all(), vm.heatmapProperty().get().cohort());
        assertNull(vm.histogramProperty().get().stage());
        assertEquals(FakeAnalysisService.FILTER_COLUMNS, vm.filterColumns());
        assertEquals(FakeAnalysisService.ATTRIBUTE_KEYS, vm.attributeKeys());
        assertEquals("", vm.problemProperty().get());
    }

    @Test
    void changingTheCohortReloadsEveryResultForIt() {
        LatencyViewModel vm = started(2);
        vm.percentileProperty().set(99);
        vm.kindProperty().set(Cohort.Kind.SLOW_PERCENTILE);
        idle(vm);
        Cohort slow = Cohort.slow(99);
        assertEquals(slow, vm.cohortProperty().get());
        assertEquals(fake.select(slow).size(), vm.countProperty().get());
        assertEquals(slow, vm.breakdownProperty().get().cohort());
        assertEquals(fake.select(slow).size(), vm.breakdownProperty().get().overall().traces());
        assertEquals(slow, vm.timelineProperty().get().cohort());
        assertEquals(slow, vm.heatmapProperty().get().cohort());
        assertEquals(slow, vm.histogramProperty().get().cohort());

        vm.thresholdProperty().set("5s");
        vm.kindProperty().set(Cohort.Kind.SLOW_THRESHOLD);
        idle(vm);
        assertEquals(Cohort.slowerThan(5_000_000_000L), vm.cohortProperty().get());
        assertEquals(fake.select(Cohort.slowerThan(5_000_000_000L)).size(), vm.countProperty().get());
    }

    @Test
    void unusableInputsSayWhyAndKeepTheLastResults() {
        LatencyViewModel vm = started(2);
        int before = fake.calls("breakdown");
        vm.thresholdProperty().set("fast");
        vm.kindProperty().set(Cohort.Kind.SLOW_THRESHOLD);
        assertTrue(vm.inputProblemProperty().get().contains("not a duration"), vm.inputProblemProperty().get());
        assertEquals(Cohort.all(), vm.cohortProperty().get());
        vm.kindProperty().set(Cohort.Kind.FILTER);
        assertTrue(vm.inputProblemProperty().get().startsWith("Type a filter expression"));
        vm.kindProperty().set(Cohort.Kind.REGION);
        assertTrue(vm.inputProblemProperty().get().contains("heatmap"));
        assertEquals(before, fake.calls("breakdown"), "nothing was queried");
        vm.filterProperty().set("service_name = 'docs-search'");
        vm.kindProperty().set(Cohort.Kind.FILTER);
        idle(vm);
        assertEquals("", vm.inputProblemProperty().get());
        assertEquals(709, vm.countProperty().get());
    }

    @Test
    void supersededResultsAreDroppedAndQueuedWorkNeverRuns() {
        LatencyViewModel vm = started(1);
        List<Breakdown> seen = new ArrayList<>();
        vm.breakdownProperty().addListener((o, a, b) -> seen.add(b));
        int breakdowns = fake.calls("breakdown");
        fake.hold(); // the single background thread blocks in the first call
        vm.kindProperty().set(Cohort.Kind.SLOW_PERCENTILE);
        vm.kindProperty().set(Cohort.Kind.ERRORS);
        assertTrue(vm.loadingProperty().get());
        fake.release();
        idle(vm);
        assertEquals(Cohort.errors(), vm.breakdownProperty().get().cohort());
        assertEquals(List.of(Cohort.errors()), seen.stream().map(Breakdown::cohort).toList(),
                "the slow cohort's breakdown never reached the view");
        // the slow cohort's breakdown was queued behind the held count, superseded, and never ran
        assertEquals(breakdowns + 1, fake.calls("breakdown"), fake.log().toString());
        assertEquals(fake.select(Cohort.errors()).size(), vm.countProperty().get());
    }

    @Test
    void aFailedQueryIsAMessageAndTheOthersStillLoad() {
        fake.fail("breakdown");
        LatencyViewModel vm = started(2);
        assertTrue(vm.problemProperty().get().startsWith("Breakdown failed: breakdown failed: the database is on"),
                vm.problemProperty().get());
        assertNull(vm.breakdownProperty().get());
        assertNotNull(vm.timelineProperty().get());
        assertEquals(3000, vm.countProperty().get());
        fake.heal();
        vm.refresh();
        idle(vm);
        assertEquals("", vm.problemProperty().get());
        assertNotNull(vm.breakdownProperty().get());

        // a bad filter fails every query the same way: said once
        vm.filterProperty().set("no_such_column = 1");
        vm.kindProperty().set(Cohort.Kind.FILTER);
        ui.until("the failure", () -> !vm.loadingProperty().get());
        assertEquals("The filter cannot be used: Binder Error: Referenced column \"no_such_column\" not found in FROM "
                + "clause!", vm.problemProperty().get());
    }

    @Test
    void groupingReloadsOnlyTheBreakdown() {
        LatencyViewModel vm = started(2);
        int timelines = fake.calls("timeline");
        int heatmaps = fake.calls("heatmap");
        vm.dimensionProperty().set(Dimension.SERVICE);
        ui.until("grouped", () -> vm.breakdownProperty().get().groups().size() > 1);
        Breakdown b = vm.breakdownProperty().get();
        assertEquals(GroupBy.of(Dimension.SERVICE), b.groupBy());
        assertEquals(List.of("support-assistant", "docs-search", "ops-agent", "ticket-summarizer"),
                b.groups().stream().skip(1).map(Breakdown.Group::value).toList());
        assertEquals(timelines, fake.calls("timeline"));
        assertEquals(heatmaps, fake.calls("heatmap"));
        assertTrue(b.groups().get(2).operations().isEmpty(), "a group's operations come when it is shown");
        int opsCalls = fake.calls("operations");
        // the picked group's operations load (once) and land in the breakdown and the shown group
        vm.groupProperty().set(b.groups().get(2));
        ui.until("docs-search operations", () -> !vm.groupProperty().get().operations().isEmpty());
        List<StageStat> expected = fake.fullBreakdown(Cohort.all(), GroupBy.of(Dimension.SERVICE))
                .group("docs-search").orElseThrow().operations();
        assertEquals(expected, vm.groupProperty().get().operations());
        assertEquals(expected, vm.breakdownProperty().get().group("docs-search").orElseThrow().operations());
        assertEquals(opsCalls + 1, fake.calls("operations"));
        vm.groupProperty().set(vm.breakdownProperty().get().overall());
        vm.groupProperty().set(vm.breakdownProperty().get().group("docs-search").orElseThrow());
        idle(vm);
        assertEquals(opsCalls + 1, fake.calls("operations"), "not loaded twice");
        // the picked group survives a cohort change
        vm.kindProperty().set(Cohort.Kind.ERRORS);
        idle(vm);
        assertEquals("docs-search", vm.groupProperty().get().value());
        assertEquals(Cohort.errors(), vm.breakdownProperty().get().cohort());
        ui.until("its operations for the new cohort", () -> !vm.groupProperty().get().operations().isEmpty());
        assertEquals(fake.fullBreakdown(Cohort.errors(), GroupBy.of(Dimension.SERVICE)).group("docs-search")
                .orElseThrow().operations(), vm.groupProperty().get().operations());

        vm.dimensionProperty().set(Dimension.ATTRIBUTE);
        assertTrue(vm.inputProblemProperty().get().contains("attribute key"));
        vm.attributeKeyProperty().set("tenant.id");
        assertTrue(vm.applyGrouping());
        ui.until("by tenant", () -> vm.breakdownProperty().get().groupBy().equals(GroupBy.attribute("tenant.id")));
        assertEquals("acme", vm.breakdownProperty().get().groups().get(1).value());
    }

    @Test
    void aGroupLeftBeforeItsOperationsArrivedLoadsThemWhenPickedAgain() {
        LatencyViewModel vm = started(1);
        vm.dimensionProperty().set(Dimension.SERVICE);
        ui.until("grouped", () -> vm.breakdownProperty().get().groups().size() > 1 && !vm.loadingProperty().get());
        Breakdown b = vm.breakdownProperty().get();
        fake.hold(); // the single background thread blocks in the first operations call
        vm.groupProperty().set(b.group("docs-search").orElseThrow());
        vm.groupProperty().set(b.group("ops-agent").orElseThrow());
        fake.release();
        ui.until("ops-agent operations", () -> !vm.groupProperty().get().operations().isEmpty()
                && !vm.loadingProperty().get());
        assertEquals("ops-agent", vm.groupProperty().get().value());
        assertTrue(vm.breakdownProperty().get().group("docs-search").orElseThrow().operations().isEmpty(),
                "docs-search's result came after it was left and was dropped");
        vm.groupProperty().set(vm.breakdownProperty().get().group("docs-search").orElseThrow());
        ui.until("docs-search operations", () -> !vm.groupProperty().get().operations().isEmpty());
        assertEquals(fake.fullBreakdown(Cohort.all(), GroupBy.of(Dimension.SERVICE)).group("docs-search")
                .orElseThrow().operations(), vm.groupProperty().get().operations());
        assertFalse(vm.breakdownProperty().get().group("ops-agent").orElseThrow().operations().isEmpty(),
                "ops-agent keeps its operations");
    }

    @Test
    void brushingTheHeatmapMakesARegionCohortWithoutReloadingTheHeatmap() {
        LatencyViewModel vm = started(2);
        int heatmaps = fake.calls("heatmap");
        long from = FakeWorkspace.T0 + 13 * 3_600_000_000_000L;
        long to = FakeWorkspace.T0 + 16 * 3_600_000_000_000L;
        vm.brush(from, to, 1_000_000_000L, 4_000_000_000L);
        idle(vm);
        Cohort region = Cohort.region(from, to, 1_000_000_000L, 4_000_000_000L);
        assertEquals(Cohort.Kind.REGION, vm.kindProperty().get());
        assertEquals(region, vm.cohortProperty().get());
        assertEquals(fake.select(region).size(), vm.countProperty().get());
        assertEquals(region, vm.breakdownProperty().get().cohort());
        assertEquals(Cohort.all(), vm.heatmapProperty().get().cohort(), "the heatmap keeps showing every request");
        assertEquals(heatmaps, fake.calls("heatmap"));
        vm.clearRegion();
        idle(vm);
        assertEquals(Cohort.Kind.ALL, vm.kindProperty().get());
        assertNull(vm.regionProperty().get());
    }

    private static long cells(dev.tracebench.core.analysis.Heatmap h) {
        long n = 0;
        for (long[] col : h.counts()) {
            for (long c : col) {
                n += c;
            }
        }
        return n;
    }

    private static long traces(dev.tracebench.core.analysis.Timeline t) {
        return t.buckets().stream().mapToLong(b -> b.traces()).sum();
    }

    private static long traces(dev.tracebench.core.analysis.Histogram h) {
        return h.zero() + h.bins().stream().mapToLong(b -> b.traces()).sum();
    }

    @Test
    void refreshAfterTheWorkspaceChangedReloadsEveryResult() {
        LatencyViewModel vm = started(2);
        vm.dimensionProperty().set(Dimension.SERVICE);
        idle(vm);
        assertEquals(3000, cells(vm.heatmapProperty().get()));
        // an import doubles the workspace (a different day of traffic, seed 7)
        FakeWorkspace bigger = new FakeWorkspace(6000, 7);
        fake.workspace(bigger);
        int heatmaps = fake.calls("heatmap");
        vm.refresh();
        idle(vm);
        assertEquals(6000, vm.totalProperty().get());
        assertEquals(6000, vm.countProperty().get());
        assertEquals(heatmaps + 1, fake.calls("heatmap"), "the heatmap reloads although its cohort is the same");
        assertEquals(6000, cells(vm.heatmapProperty().get()));
        assertEquals(6000, traces(vm.timelineProperty().get()));
        assertEquals(6000, traces(vm.histogramProperty().get()));
        Breakdown b = vm.breakdownProperty().get();
        assertEquals(6000, b.overall().traces());
        long docs = bigger.traces().stream().filter(t -> t.service().equals("docs-search")).count();
        assertEquals(docs, b.group("docs-search").orElseThrow().traces());
        assertEquals(List.of("support-assistant", "docs-search", "ops-agent", "ticket-summarizer"), vm.services());

        // a cohort other than all: "n of total" and its percentile thresholds come from the new traffic
        vm.kindProperty().set(Cohort.Kind.SLOW_PERCENTILE);
        idle(vm);
        fake.workspace(WS);
        vm.refresh();
        idle(vm);
        assertEquals(3000, vm.totalProperty().get());
        assertEquals(fake.select(Cohort.slow(95)).size(), vm.countProperty().get());
        assertEquals(vm.countProperty().get(), cells(vm.heatmapProperty().get()));
    }

    @Test
    void pickingAGroupNarrowsTheChartsToItAndTheWholeCohortComesBack() {
        LatencyViewModel vm = started(2);
        vm.dimensionProperty().set(Dimension.SERVICE);
        ui.until("grouped", () -> vm.breakdownProperty().get().groups().size() > 1 && !vm.loadingProperty().get());
        assertEquals(Cohort.all(), vm.chartCohortProperty().get());
        assertNull(vm.chartGroupLabel());
        int breakdowns = fake.calls("breakdown");
        int counts = fake.calls("count");
        Breakdown.Group docs = vm.breakdownProperty().get().group("docs-search").orElseThrow();
        vm.groupProperty().set(docs);
        idle(vm);
        Cohort docsOnly = Cohort.all().within(GroupBy.of(Dimension.SERVICE), List.of("docs-search"));
        assertEquals(docsOnly, vm.chartCohortProperty().get());
        assertEquals("service docs-search", vm.chartGroupLabel());
        assertEquals(Cohort.all(), vm.cohortProperty().get(), "the cohort (and its count) stay");
        assertEquals(3000, vm.countProperty().get());
        assertEquals(breakdowns, fake.calls("breakdown"));
        assertEquals(counts + 1, fake.calls("count"), "one count, for the group's timeline buckets");
        long n = WS.traces().stream().filter(t -> t.service().equals("docs-search")).count();
        assertEquals(n, docs.traces());
        assertEquals(docsOnly, vm.timelineProperty().get().cohort());
        assertEquals(n, traces(vm.timelineProperty().get()));
        assertEquals(docsOnly, vm.heatmapProperty().get().cohort());
        assertEquals(n, cells(vm.heatmapProperty().get()));
        assertEquals(n, traces(vm.histogramProperty().get()));
        assertEquals(docs.p50Ns(), vm.histogramProperty().get().p50Ns(), "the histogram agrees with the group row");
        assertEquals(docs.p95Ns(), vm.histogramProperty().get().p95Ns());

        // another cohort: the group stays picked and the charts show the group within it
        vm.kindProperty().set(Cohort.Kind.ERRORS);
        idle(vm);
        Cohort docsErrors = Cohort.errors().within(GroupBy.of(Dimension.SERVICE), List.of("docs-search"));
        assertEquals(docsErrors, vm.chartCohortProperty().get());
        assertEquals(fake.select(docsErrors).size(), traces(vm.histogramProperty().get()));
        assertEquals(docsErrors, vm.heatmapProperty().get().cohort());

        // the whole cohort again
        vm.groupProperty().set(vm.breakdownProperty().get().overall());
        idle(vm);
        assertEquals(Cohort.errors(), vm.chartCohortProperty().get());
        assertEquals(Cohort.errors(), vm.timelineProperty().get().cohort());
        assertEquals(fake.select(Cohort.errors()).size(), traces(vm.histogramProperty().get()));
    }

    @Test
    void theOtherGroupChartsTheValuesBeyondTheNamedGroups() {
        GroupBy tenant = GroupBy.of(Dimension.TENANT);
        List<Breakdown.Group> groups = new ArrayList<>();
        for (String v : new String[] {null, "acme", "globex", Breakdown.NONE, Breakdown.OTHER}) {
            groups.add(new Breakdown.Group(v, 1, 0, 0, 0, 0, List.of(), List.of()));
        }
        Breakdown b = new Breakdown(Cohort.slow(95), tenant, groups, 0);
        assertEquals(Cohort.slow(95).excluding(tenant, List.of("acme", "globex", Breakdown.NONE)),
                LatencyViewModel.chartCohortFor(Cohort.slow(95), b, groups.get(4)));
        assertEquals(Cohort.slow(95).within(tenant, List.of("globex")),
                LatencyViewModel.chartCohortFor(Cohort.slow(95), b, groups.get(2)));
        assertEquals(Cohort.slow(95), LatencyViewModel.chartCohortFor(Cohort.slow(95), b, groups.get(0)));
    }

    @Test
    void choosingServicesAndModelsNarrowsTheCohort() {
        LatencyViewModel vm = started(2);
        assertEquals(fake.dimensionValues(LatencyViewModel.SERVICE, 200), vm.services());
        assertEquals(fake.dimensionValues(LatencyViewModel.MODEL, 200), vm.models());
        vm.chosenServices().setAll("docs-search", "ops-agent");
        idle(vm);
        long n = WS.traces().stream().filter(t -> t.service().equals("docs-search") || t.service().equals("ops-agent"))
                .count();
        assertEquals(Cohort.all().within(LatencyViewModel.SERVICE, List.of("docs-search", "ops-agent")),
                vm.cohortProperty().get());
        assertEquals(n, vm.countProperty().get());
        assertEquals(n, vm.breakdownProperty().get().overall().traces());
        assertEquals(n, cells(vm.heatmapProperty().get()));
        vm.chosenModels().add("gpt-4o-mini");
        vm.kindProperty().set(Cohort.Kind.ERRORS);
        idle(vm);
        long agentErrors = WS.traces().stream().filter(t -> t.service().equals("ops-agent") && t.error()).count();
        assertTrue(agentErrors > 0);
        assertEquals(agentErrors, vm.countProperty().get(), "errors of the two services with model gpt-4o-mini");
        assertEquals("traces with an error with service docs-search or ops-agent and model gpt-4o-mini",
                vm.cohortProperty().get().label());
        vm.chosenServices().clear();
        vm.chosenModels().clear();
        idle(vm);
        assertEquals(Cohort.errors(), vm.cohortProperty().get());
    }

    @Test
    void theHistogramFollowsTheSelectedStageAndAgreesWithTheTable() {
        LatencyViewModel vm = started(2);
        vm.stageProperty().set("retrieval");
        ui.until("retrieval histogram", () -> "retrieval".equals(vm.histogramProperty().get().stage()));
        StageStat retrieval = vm.breakdownProperty().get().overall().stages().stream()
                .filter(s -> s.stage().equals("retrieval")).findFirst().orElseThrow();
        var h = vm.histogramProperty().get();
        assertEquals(retrieval.p50Ns(), h.p50Ns());
        assertEquals(retrieval.p95Ns(), h.p95Ns());
        assertEquals(retrieval.traces(), h.bins().stream().mapToLong(b -> b.traces()).sum());
        assertEquals(3000 - retrieval.traces(), h.zero());
        assertFalse(vm.loadingProperty().get());
    }
}
