package dev.tracebench.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.dataset.ChatMessage;
import dev.tracebench.core.dataset.Dataset;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetService;
import dev.tracebench.core.dataset.DatasetVersion;
import dev.tracebench.core.dataset.Provenance;
import dev.tracebench.core.dataset.Split;
import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DuckDB dataset store on real workspaces: every field round trips, versions share unchanged examples. */
class DatasetServiceTest {
    @TempDir
    Path dir;

    /** An example with every field set, metadata in an order that is not alphabetical. */
    static DatasetExample full(String id) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("zeta", "last letter, first key");
        meta.put("alpha", "{\"nested\": [1, 2]}");
        meta.put("model", "gpt-4o");
        return new DatasetExample(id, "How do I rotate an API key?\nAsk \"politely\" ✓",
                List.of(new ChatMessage("system", "You answer from the docs."),
                        new ChatMessage("user", "example question", "example_user"),
                        new ChatMessage("user", "How do I rotate an API key?")),
                List.of("Keys are rotated under Settings > API.", "", "Old keys stop working after 24 hours."),
                "Rotate it under Settings > API; the old key works for 24 more hours.", "Use the CLI.", meta,
                List.of("security", "keys", "edge-case"), Split.DEV, "hard", "checked against kb-014",
                new Provenance("default.duckdb", "4d8f44678d87ffd67a7ce152ce2f0123", 0x1234_5678_9abc_def0L,
                        Instant.parse("2026-11-20T08:00:00.123456Z"), "cohort eval:groundedness=hallucinated"));
    }

    @Test
    void everyFieldRoundTripsInOrder() {
        try (Workspace ws = Workspace.open(dir.resolve("w.duckdb"))) {
            DatasetService ds = ws.datasets();
            List<DatasetExample> examples = List.of(full("ex-1"), DatasetExample.of("ex-2", "plain", ""),
                    full("ex-3").withSplit(Split.TEST).withTags(List.of()));
            DatasetVersion v = ds.save("golden", "first cut", examples);
            assertEquals(new DatasetVersion("golden", 1, v.created(), "first cut", 3), v);
            List<DatasetExample> back = ds.examples("golden", 1);
            assertEquals(examples, back);
            // record equality compares maps regardless of order: the order is checked on its own
            assertEquals(List.of("zeta", "alpha", "model"), List.copyOf(back.get(0).metadata().keySet()));
            assertEquals(List.of("security", "keys", "edge-case"), back.get(0).tags());
            assertEquals(Instant.parse("2026-11-20T08:00:00.123456Z"), back.get(0).provenance().addedAt());
            assertEquals(0x1234_5678_9abc_def0L, back.get(0).provenance().spanId());
            assertEquals("example_user", back.get(0).messages().get(1).name());
            assertEquals(Provenance.NONE, back.get(1).provenance());
            assertEquals(examples, ds.examples("golden", 0), "0 is the latest version");
        }
        // and after the workspace is closed and opened read-only
        try (Workspace ws = Workspace.openReadOnly(dir.resolve("w.duckdb"))) {
            assertEquals(full("ex-1"), ws.datasets().examples("golden", 1).get(0));
        }
    }

    @Test
    void aNewVersionStoresOnlyTheExamplesThatChanged() {
        try (Workspace ws = Workspace.open(dir.resolve("w.duckdb"))) {
            DatasetService ds = ws.datasets();
            List<DatasetExample> v1 = List.of(full("a"), full("b"), full("c"));
            ds.save("golden", "v1", v1);
            List<DatasetExample> v2 = List.of(full("a"), full("b").withExpectedOutput("corrected"), full("d"));
            ds.save("golden", "v2", v2);
            assertEquals(v1, ds.examples("golden", 1), "version 1 is unchanged");
            assertEquals(v2, ds.examples("golden", 2));
            // a, b, c of v1; b's new content and d of v2
            assertEquals(5L, count(ws, "SELECT count(*) FROM dataset_example_revisions"));
            assertEquals(6L, count(ws, "SELECT count(*) FROM dataset_version_examples"));

            List<DatasetVersion> versions = ds.versions("golden");
            assertEquals(List.of(1, 2), versions.stream().map(DatasetVersion::version).toList());
            assertEquals(List.of("v1", "v2"), versions.stream().map(DatasetVersion::message).toList());
            Dataset d = ds.dataset("golden").orElseThrow();
            assertEquals(2, d.latestVersion());
            assertEquals(3, d.exampleCount());
            assertEquals(versions.get(1).created(), d.updated());
            assertEquals(versions.get(0).created(), d.created());
            assertEquals(0L, d.acceptedRun());
            assertEquals("", d.description());
        }
    }

    @Test
    void restoreSavesTheOldExamplesAsANewVersionWithoutCopyingThem() {
        try (Workspace ws = Workspace.open(dir.resolve("w.duckdb"))) {
            DatasetService ds = ws.datasets();
            List<DatasetExample> v1 = List.of(full("a"), full("b"));
            ds.save("golden", "v1", v1);
            ds.save("golden", "v2", List.of(full("a")));
            DatasetVersion r = ds.restore("golden", 1);
            assertEquals(3, r.version());
            assertEquals("Restored version 1", r.message());
            assertEquals(2, r.exampleCount());
            assertEquals(v1, ds.examples("golden", 3));
            assertEquals(List.of(full("a")), ds.examples("golden", 2), "versions are never overwritten");
            assertEquals(2L, count(ws, "SELECT count(*) FROM dataset_example_revisions"));
            // saving the same content again adds no revision either
            ds.save("golden", "again", v1);
            assertEquals(2L, count(ws, "SELECT count(*) FROM dataset_example_revisions"));
            assertEquals(4, ds.dataset("golden").orElseThrow().latestVersion());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ds.restore("golden", 9));
            assertEquals("dataset 'golden' has no version 9 (it has versions 1 to 4)", e.getMessage());
        }
    }

    @Test
    void datasetsAreListedByNameAndDescribedDeletedAndAccepted() {
        try (Workspace ws = Workspace.open(dir.resolve("w.duckdb"))) {
            DatasetService ds = ws.datasets();
            ds.save("zebra", "", List.of(full("z")));
            ds.save("apple", "", List.of(full("a"), full("b")));
            ds.save("apple", "", List.of(full("a")));
            assertEquals(List.of("apple", "zebra"), ds.datasets().stream().map(Dataset::name).toList());
            ds.describe("apple", "the apples");
            assertEquals("the apples", ds.dataset("apple").orElseThrow().description());

            long run = storeRun(ws);
            ds.accept("apple", run);
            assertEquals(run, ds.dataset("apple").orElseThrow().acceptedRun());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ds.accept("apple", 999));
            assertEquals("no eval run 999", e.getMessage());
            assertEquals(run, ds.dataset("apple").orElseThrow().acceptedRun());

            ds.delete("apple");
            assertEquals(List.of("zebra"), ds.datasets().stream().map(Dataset::name).toList());
            assertEquals(List.of(), ds.versions("apple"));
            assertEquals(1L, count(ws, "SELECT count(*) FROM dataset_example_revisions"));
            assertEquals(1L, count(ws, "SELECT count(*) FROM dataset_version_examples"));
            e = assertThrows(IllegalArgumentException.class, () -> ds.examples("apple", 0));
            assertEquals("no dataset 'apple' (datasets: zebra)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> ds.delete("apple"));
            assertEquals("no dataset 'apple' (datasets: zebra)", e.getMessage());
            // the name can be used again, from version 1
            assertEquals(1, ds.save("apple", "new", List.of(full("n"))).version());
            assertEquals(List.of(full("n")), ds.examples("apple", 1));
        }
    }

    @Test
    void aRefusedSaveLeavesTheVersionsAsTheyWere() {
        try (Workspace ws = Workspace.open(dir.resolve("w.duckdb"))) {
            DatasetService ds = ws.datasets();
            List<DatasetExample> v1 = List.of(full("a"), full("b"));
            ds.save("golden", "v1", v1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ds.save("golden", "dup",
                    List.of(full("a"), full("b"), DatasetExample.of("c", "q", ""), DatasetExample.of("b", "q2", ""))));
            assertEquals("example id 'b' appears more than once (examples 2 and 4); ids must be unique within a "
                    + "dataset", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> ds.save("  ", "blank", v1));
            assertEquals("a dataset needs a name", e.getMessage());
            assertEquals(1, ds.versions("golden").size());
            assertEquals(v1, ds.examples("golden", 0));
            assertEquals(2L, count(ws, "SELECT count(*) FROM dataset_example_revisions"));
            assertEquals(1L, count(ws, "SELECT count(*) FROM datasets"));
        }
    }

    @Test
    void aFailureInsideTheTransactionStoresNothing() {
        try (Workspace ws = Workspace.open(dir.resolve("w.duckdb"))) {
            DatasetService ds = ws.datasets();
            List<DatasetExample> v1 = List.of(full("a"));
            ds.save("golden", "v1", v1);
            // a planted unique message: the version row, written last, fails after the examples were written
            ws.write(c -> c.createStatement().execute("INSERT INTO dataset_versions VALUES (99, 1, now(), 'v2', 0)"));
            ws.write(c -> c.createStatement().execute("CREATE UNIQUE INDEX planted ON dataset_versions (message)"));
            assertThrows(WorkspaceException.class, () -> ds.save("golden", "v2", List.of(full("a"), full("new"))));
            assertEquals(1L, count(ws, "SELECT count(*) FROM dataset_example_revisions"));
            assertEquals(1L, count(ws, "SELECT count(*) FROM dataset_version_examples"));
            assertEquals(v1, ds.examples("golden", 1));
            assertEquals(1, ds.versions("golden").size());
        }
    }

    @Test
    void aReadOnlyWorkspaceRefusesWritesSayingSo() {
        Path file = dir.resolve("w.duckdb");
        try (Workspace ws = Workspace.open(file)) {
            ws.datasets().save("golden", "v1", List.of(full("a")));
        }
        try (Workspace ws = Workspace.openReadOnly(file)) {
            DatasetService ds = ws.datasets();
            WorkspaceException e = assertThrows(WorkspaceException.class, () -> ds.save("golden", "v2",
                    List.of(full("b"))));
            assertEquals("Cannot save dataset 'golden': workspace " + file.toAbsolutePath().normalize()
                    + " is open read-only.", e.getMessage());
            assertThrows(WorkspaceException.class, () -> ds.delete("golden"));
            assertThrows(WorkspaceException.class, () -> ds.restore("golden", 1));
            assertEquals(1, ds.versions("golden").size());
        }
    }

    @Test
    void unknownDatasetsAndVersionsAreNamed() {
        try (Workspace ws = Workspace.open(dir.resolve("w.duckdb"))) {
            DatasetService ds = ws.datasets();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ds.examples("x", 0));
            assertEquals("no dataset 'x' (the workspace has no datasets)", e.getMessage());
            ds.save("golden", "", List.of(full("a")));
            e = assertThrows(IllegalArgumentException.class, () -> ds.examples("golden", 2));
            assertEquals("dataset 'golden' has no version 2 (it has version 1)", e.getMessage());
            assertTrue(ds.dataset("Golden").isEmpty(), "names are case-sensitive");
        }
    }

    @Test
    void tenThousandExamplesRoundTrip() {
        try (Workspace ws = Workspace.open(dir.resolve("w.duckdb"))) {
            List<DatasetExample> many = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                many.add(i % 10 == 0 ? full("ex-" + i) : DatasetExample.of("ex-" + i, "question " + i, "answer " + i)
                        .withTags(List.of("t" + i % 7)));
            }
            ws.datasets().save("big", "10k", many);
            assertEquals(many, ws.datasets().examples("big", 0));
            List<DatasetExample> changed = new ArrayList<>(many.subList(1, many.size()));
            changed.set(5, changed.get(5).withNotes("edited"));
            ws.datasets().save("big", "edit", changed);
            assertEquals(10_001L, count(ws, "SELECT count(*) FROM dataset_example_revisions"));
            assertEquals(changed, ws.datasets().examples("big", 2));
        }
    }

    static long count(Workspace ws, String sql) {
        return ((Number) ws.console().run(sql, 1).rows().get(0).get(0)).longValue();
    }

    static long storeRun(Workspace ws) {
        ws.ingest("run.jsonl", -1, s -> {
            int run = s.evalRun(new EvalRunData("baseline", "jsonl", "run.jsonl", null, null, null));
            s.evalResult(run, EvalResultData.builder("golden").exampleId("a").score(1.0).build());
            return new SourceFacts("jsonl", "sha", 1);
        }, ProgressListener.NONE, CancellationToken.none());
        return ws.evals().runs().get(0).id();
    }
}
