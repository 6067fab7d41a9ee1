package dev.tracebench.views.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.dataset.DatasetDiff;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetVersion;
import dev.tracebench.core.dataset.Split;
import dev.tracebench.views.testing.FakeDatasetService;
import dev.tracebench.views.testing.UiQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Datasets area's state on an in-memory dataset service, callbacks run on the test thread: drafts with undo and
 * redo, saving as a new version, drafts kept across dataset switches, the filter's counts on 10,000 examples
 * (expected counts computed from the generator's rules), diff and restore.
 */
class DatasetsViewModelTest {
    private final UiQueue ui = new UiQueue(2);
    private final FakeDatasetService service = new FakeDatasetService();

    @AfterEach
    void close() {
        ui.close();
    }

    private DatasetsViewModel loaded() {
        DatasetsViewModel vm = new DatasetsViewModel(service, ui.background());
        vm.load();
        ui.until("the first dataset's examples", () -> vm.listedProperty().get() && !vm.loadingProperty().get()
                && !vm.examples().isEmpty());
        return vm;
    }

    private static DatasetExample byId(List<DatasetExample> list, String id) {
        return list.stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void undoAndRedoRestoreTheExactValuesAndSaveMakesTheNextVersionWithTheEdits() {
        service.save("golden", "first", FakeDatasetService.generated(20));
        DatasetsViewModel vm = loaded();
        DatasetExample before = byId(vm.examples(), "ex-0003");
        DatasetExample edited = before.withExpectedOutput("Refunds take 5 days").withTags(List.of("refund", "new"));
        vm.edit(edited, "edit ex-0003");
        DatasetExample twice = edited.withSplit(Split.DEV);
        vm.edit(twice, "edit ex-0003 split");
        assertTrue(vm.dirtyProperty().get());
        assertEquals(twice, byId(vm.examples(), "ex-0003"));

        vm.undo();
        assertEquals(edited, byId(vm.examples(), "ex-0003"));
        vm.undo();
        assertEquals(before, byId(vm.examples(), "ex-0003"));
        assertFalse(vm.dirtyProperty().get(), "back at the loaded state: nothing unsaved");
        assertEquals(FakeDatasetService.generated(20), List.copyOf(vm.examples()));
        vm.redo();
        vm.redo();
        assertEquals(twice, byId(vm.examples(), "ex-0003"));
        assertFalse(vm.canRedoProperty().get());

        AtomicReference<DatasetVersion> saved = new AtomicReference<>();
        vm.save("fixed ex-0003", saved::set);
        ui.until("saved", () -> saved.get() != null);
        assertEquals(2, saved.get().version());
        assertFalse(vm.dirtyProperty().get());
        vm.load(); // what the shell does after a save: the saved draft keeps its history
        ui.settle(200);
        assertTrue(vm.canUndoProperty().get());
        service.save("golden", "elsewhere", FakeDatasetService.generated(5)); // the CLI saves a version
        vm.load();
        ui.until("version 3 read", () -> vm.examples().size() == 5);
        assertFalse(vm.canUndoProperty().get());
        List<DatasetExample> v2 = service.examples("golden", 2);
        assertEquals(twice, byId(v2, "ex-0003"));
        assertEquals("fixed ex-0003", service.versions("golden").get(1).message());
        // the other nineteen examples are as they were
        List<DatasetExample> others = new ArrayList<>(v2);
        others.remove(twice);
        List<DatasetExample> expected = new ArrayList<>(FakeDatasetService.generated(20));
        expected.remove(before);
        assertEquals(expected, others);
        assertEquals(FakeDatasetService.generated(20), service.examples("golden", 1), "version 1 is unchanged");
    }

    @Test
    void switchingDatasetsKeepsTheUnsavedChangesOfEach() {
        service.save("a", "first", FakeDatasetService.generated(5));
        service.save("b", "first", FakeDatasetService.generated(8));
        DatasetsViewModel vm = loaded();
        assertEquals("a", vm.selectedProperty().get());
        vm.remove(Set.of("ex-0001", "ex-0002"));
        assertEquals(3, vm.examples().size());
        vm.selectedProperty().set("b");
        ui.until("b's examples", () -> vm.examples().size() == 8);
        assertFalse(vm.dirtyProperty().get());
        assertTrue(vm.isDirty("a"));
        assertEquals(List.of("a"), vm.unsaved(), "what the shell asks about before dropping");
        vm.selectedProperty().set("a");
        ui.until("a again", () -> vm.examples().size() == 3);
        assertTrue(vm.dirtyProperty().get());
        vm.undo();
        assertEquals(FakeDatasetService.generated(5), List.copyOf(vm.examples()));
        // a reload (a workspace change) keeps the draft with unsaved changes
        vm.redo();
        vm.load();
        ui.settle(200);
        assertEquals(3, vm.examples().size());
        assertEquals(1, service.versions("a").size(), "nothing saved without asking");
    }

    @Test
    void theFilterCountsMatchTheGeneratorsRulesOnTenThousandExamples() {
        int n = 10_000;
        service.save("big", "first", FakeDatasetService.generated(n));
        DatasetsViewModel vm = loaded();
        assertEquals(n, vm.shown().size());

        long start = System.nanoTime();
        vm.filter("refunds", Set.of(), null);
        long refunds = IntStream.rangeClosed(1, n).filter(i -> i % 2 == 0).count();
        assertEquals(refunds, vm.shown().size());
        vm.filter("", Set.of("edge"), Split.TEST);
        assertEquals(IntStream.rangeClosed(1, n).filter(i -> i % 5 == 0 && i % 3 == 0).count(), vm.shown().size());
        vm.filter("question 12", Set.of(), null); // 12, 120–129, 1200–1299
        assertEquals(1 + 10 + 100, vm.shown().size());
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals((1 + 10 + 100) + " of 10,000 examples", vm.countProperty().get());
        System.out.println("filtering 10,000 examples three times: " + ms + " ms");
        vm.filter("", Set.of(), null);
        assertEquals(n, vm.shown().size());

        // the diff of two 10,000-example versions: every 10th expected output changed
        List<DatasetExample> next = new ArrayList<>(service.examples("big", 1));
        for (int i = 0; i < n; i += 10) {
            next.set(i, next.get(i).withExpectedOutput("changed " + i));
        }
        service.save("big", "second", next);
        vm.load();
        ui.until("two versions", () -> vm.versions().size() == 2);
        start = System.nanoTime();
        vm.diff(1, 2);
        ui.until("the diff", () -> vm.diffProperty().get() != null);
        System.out.println("diffing two versions of 10,000 examples: " + (System.nanoTime() - start) / 1_000_000
                + " ms");
        assertEquals(n / 10, vm.diffProperty().get().changed().size());
    }

    @Test
    void theDiffOfTwoVersionsShowsThePlantedChangesAndRestoreSavesTheOldOneAsNewest() {
        List<DatasetExample> v1 = FakeDatasetService.generated(10);
        List<DatasetExample> v2 = new ArrayList<>(v1);
        v2.set(4, v1.get(4).withExpectedOutput("A better answer"));
        v2.remove(7);
        v2.add(DatasetExample.of("ex-0099", "A new question", "A new answer"));
        service.save("golden", "first", v1);
        service.save("golden", "second", v2);
        DatasetsViewModel vm = loaded();
        ui.until("versions", () -> vm.versions().size() == 2);
        vm.diff(1, 2);
        ui.until("the diff", () -> vm.diffProperty().get() != null);
        DatasetDiff d = vm.diffProperty().get();
        assertEquals(List.of("ex-0099"), d.added().stream().map(DatasetExample::id).toList());
        assertEquals(List.of("ex-0008"), d.removed().stream().map(DatasetExample::id).toList());
        assertEquals(1, d.changed().size());
        DatasetDiff.FieldChange f = d.changed().get(0).fields().get(0);
        assertEquals(List.of("ex-0005", "expected output", "Answer 5", "A better answer"),
                List.of(d.changed().get(0).id(), f.field(), f.before(), f.after()));
        assertEquals("Version 1 → 2: 1 added, 1 removed, 1 changed", vm.diffStatusProperty().get());

        AtomicReference<DatasetVersion> restored = new AtomicReference<>();
        vm.restore(1, restored::set);
        ui.until("restored", () -> restored.get() != null);
        assertEquals(3, restored.get().version());
        assertEquals(v1, service.examples("golden", 3));
        assertEquals(v2, service.examples("golden", 2), "no version is overwritten");
        vm.load();
        ui.until("version 3 shown", () -> vm.versions().size() == 3 && vm.examples().size() == 10);
    }

    @Test
    void importingIntoAnExistingDatasetAppendsAndRenumbersTheIdsItAlreadyUses() {
        service.save("golden", "first", FakeDatasetService.generated(3));
        dev.tracebench.core.dataset.DatasetFile file = new dev.tracebench.core.dataset.DatasetFile("csv", List.of(
                DatasetExample.of("ex-0002", "Imported question", "Imported answer"),
                DatasetExample.of("q-7", "Another", "Yes")), List.of("goldens.csv line 4: no input; skipped"));
        DatasetVersion v = ImportDatasetDialog.append(service, "golden", file, java.nio.file.Path.of("goldens.csv"));
        assertEquals(2, v.version());
        assertEquals(List.of("ex-0001", "ex-0002", "ex-0003", "q-7", "ex-0004"), service.examples("golden", 2)
                .stream().map(DatasetExample::id).toList());
        assertEquals("Imported question", service.examples("golden", 2).get(4).input());
        assertEquals("Imported goldens.csv (csv, 2 examples)", v.message());
        assertEquals("; 1 record skipped or changed: goldens.csv line 4: no input; skipped",
                ImportDatasetDialog.problems(file.problems()));
        DatasetVersion created = ImportDatasetDialog.append(service, "new-one", file, java.nio.file.Path.of("g.csv"));
        assertEquals(1, created.version());
        assertEquals(List.of("ex-0002", "q-7"), service.examples("new-one", 1).stream().map(DatasetExample::id)
                .toList());
    }

    @Test
    void addedExamplesGetFreshIdsAndRemovalIsUndoable() {
        assertEquals(List.of("ex-0011", "ex-0012"), DatasetsViewModel.freshIds(FakeDatasetService.generated(10), 2));
        assertEquals(List.of("ex-0001"), DatasetsViewModel.freshIds(List.of(DatasetExample.of("q1", "", "")), 1));
        service.save("golden", "first", FakeDatasetService.generated(3));
        DatasetsViewModel vm = loaded();
        DatasetExample added = vm.addExample();
        assertEquals("ex-0004", added.id());
        assertEquals(4, vm.examples().size());
        vm.remove(Set.of("ex-0001", "ex-0004"));
        assertEquals(List.of("ex-0002", "ex-0003"), vm.examples().stream().map(DatasetExample::id).toList());
        assertEquals("remove 2 examples", vm.undoTextProperty().get());
        vm.undo();
        assertEquals(List.of("ex-0001", "ex-0002", "ex-0003", "ex-0004"),
                vm.examples().stream().map(DatasetExample::id).toList());
    }
}
