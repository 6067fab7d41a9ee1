package dev.tracebench.views.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.views.testing.FakeAnalysisService;
import dev.tracebench.views.testing.FakeWorkspace;
import dev.tracebench.views.testing.UiQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FindingsViewModelTest {
    private static final FakeWorkspace WS = FakeWorkspace.standard();
    private final FakeAnalysisService fake = new FakeAnalysisService(WS);
    private final UiQueue ui = new UiQueue(2);
    private final FindingsViewModel vm = new FindingsViewModel(fake, ui.background());

    @AfterEach
    void close() {
        ui.close();
    }

    @Test
    void explainListsTheFindingsOfTheCohort() {
        vm.explain(Cohort.slow(95));
        assertTrue(vm.explainingProperty().get());
        assertEquals(Cohort.slow(95), vm.runningProperty().get());
        ui.until("findings", () -> !vm.explainingProperty().get());
        List<Finding> expected = fake.explain(Cohort.slow(95), CheckSettings.DEFAULTS, CancellationToken.none());
        assertEquals(expected, vm.findings());
        assertEquals(Cohort.slow(95), vm.explainedProperty().get());
        assertTrue(vm.statusProperty().get().startsWith(expected.size() + " findings in "), vm.statusProperty().get());
        assertEquals("", vm.problemProperty().get());
    }

    @Test
    void cancellingStopsTheWorkAndDropsItsResult() {
        fake.explainDelay(10_000);
        vm.explain(Cohort.slow(95));
        vm.cancel();
        assertFalse(vm.explainingProperty().get());
        assertEquals("Cancelled.", vm.statusProperty().get());
        ui.settle(300); // the fake noticed the token and threw; nothing reaches the view model
        assertTrue(vm.findings().isEmpty());
        assertEquals("Cancelled.", vm.statusProperty().get());
        assertEquals("", vm.problemProperty().get());

        // a new explain supersedes a running one
        fake.explainDelay(200);
        vm.explain(Cohort.errors());
        fake.explainDelay(0);
        vm.explain(Cohort.slow(99));
        ui.until("the second", () -> !vm.explainingProperty().get());
        assertEquals(Cohort.slow(99), vm.explainedProperty().get());
        ui.settle(400);
        assertEquals(Cohort.slow(99), vm.explainedProperty().get(), "the superseded result was dropped");
    }

    @Test
    void aFailureIsAMessage() {
        fake.fail("explain");
        vm.explain(Cohort.all());
        ui.until("failure", () -> !vm.explainingProperty().get());
        assertEquals("Explain failed: explain failed: the database is on fire", vm.problemProperty().get());
    }

    @Test
    void newThresholdsRerunTheChecksAndFlagStaleFindings() {
        vm.runChecks();
        ui.until("checks", () -> vm.checksLoadedProperty().get() && !vm.checkingProperty().get());
        int before = vm.checks().size();
        assertEquals(fake.automatedChecks(CheckSettings.DEFAULTS, CancellationToken.none()).size(), before);
        vm.explain(Cohort.slow(95));
        ui.until("findings", () -> !vm.explainingProperty().get());
        CheckSettings strict = new CheckSettings(0.05, 0.10, 0.99, 5_000, 0.95, 2.0, 3.0, 8, 5.0);
        vm.settingsProperty().set(strict);
        assertTrue(vm.statusProperty().get().startsWith("The thresholds changed"));
        ui.until("checks again", () -> !vm.checkingProperty().get());
        assertEquals(fake.automatedChecks(strict, CancellationToken.none()).size(), vm.checks().size());
        assertTrue(vm.checks().size() < before, "a stricter dominance threshold finds less");
    }

    @Test
    void exportWritesMarkdown(@TempDir Path dir) throws Exception {
        vm.explain(Cohort.slow(95));
        ui.until("findings", () -> !vm.explainingProperty().get());
        Path file = dir.resolve("out/findings.md");
        vm.exportMarkdown(file);
        ui.until("export", () -> vm.exportStatusProperty().get().startsWith("Saved"));
        String md = Files.readString(file);
        assertTrue(md.startsWith("## Why are these requests slow? Findings for slow requests (≥ p95 of their "
                + "operation)\n"), md);
        assertTrue(md.contains(vm.findings().get(0).summary().replace("(", "(")));
        assertTrue(md.contains("Example traces: `" + vm.findings().get(0).exemplars().get(0).traceId().hex() + "`"));
        assertEquals("Saved " + vm.findings().size() + " findings to " + file, vm.exportStatusProperty().get());
    }
}
