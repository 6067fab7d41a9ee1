package dev.tracebench.core.store;

import static dev.tracebench.core.testing.Spans.resource;
import static dev.tracebench.core.testing.Spans.scope;
import static dev.tracebench.core.testing.Spans.span;
import static dev.tracebench.core.testing.Spans.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spill files left by killed imports go when their workspace is opened; those of live imports stay. */
class SpillFilesTest {
    @TempDir
    Path dir;

    private Path touch(String name) throws IOException {
        return Files.write(dir.resolve(name), new byte[] {1, 2, 3});
    }

    /** The id of a process that has ended. */
    private static long endedProcess() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void openingAWorkspaceRemovesTheSpillFilesOfEndedProcessesOnly() throws Exception {
        long ended = endedProcess();
        ProcessHandle parent = ProcessHandle.current().parent().orElseThrow(); // alive, and not this process
        long own = ProcessHandle.current().pid();
        Path stale = touch(".ws.duckdb.ingest-" + ended + "-1.arrows");
        Path older = touch(".ws.duckdb.ingest-4711.arrows"); // a version that did not name the process
        Path live = touch(".ws.duckdb.ingest-" + parent.pid() + "-2.arrows");
        Path mine = touch(".ws.duckdb.ingest-" + own + "-3.arrows");
        Path otherWorkspace = touch(".other.duckdb.ingest-" + ended + "-4.arrows");
        Path notASpillFile = touch(".ws.duckdb.ingest-" + ended + "-5.txt");
        // written before the process that now has that id started: the id was reused, the file is a leftover
        Optional<Instant> parentStarted = parent.info().startInstant();
        Path reused = touch(".ws.duckdb.ingest-" + parent.pid() + "-6.arrows");
        Files.setLastModifiedTime(reused, FileTime.from(parentStarted.orElse(Instant.now()).minusSeconds(3600)));

        try (Workspace ws = Workspace.open(dir.resolve("ws.duckdb"))) {
            assertFalse(Files.exists(stale), "a spill file of an ended process");
            assertFalse(Files.exists(older), "a spill file of an older version");
            assertTrue(Files.exists(live), "a spill file of a live process");
            assertTrue(Files.exists(mine), "this process's own");
            assertTrue(Files.exists(otherWorkspace), "another workspace's");
            assertTrue(Files.exists(notASpillFile));
            if (parentStarted.isPresent()) {
                assertFalse(Files.exists(reused), "a spill file older than the process that has its id now");
            }
        }
    }

    @Test
    void aRunningImportKeepsItsSpillFiles() throws Exception {
        Path file = dir.resolve("ws.duckdb");
        try (Workspace ws = Workspace.open(file)) {
            CountDownLatch halfway = new CountDownLatch(1);
            CountDownLatch checked = new CountDownLatch(1);
            CompletableFuture<ImportReport> running = CompletableFuture.supplyAsync(() -> ws.ingest("slow", -1, s -> {
                long r = s.resource(resource("svc"));
                long sc = s.scope(scope("x"));
                for (int i = 0; i < 60_000; i++) {
                    s.span(r, sc, span(trace(1_000 + i), 1, null, "root", 0, 1));
                    if (i == 50_000) {
                        halfway.countDown();
                        try {
                            checked.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
                return new SourceFacts("test", "sha", 1);
            }, ProgressListener.NONE, CancellationToken.none()));
            halfway.await();
            List<Path> spills = awaitSpillFiles();
            assertEquals(0, SpillFiles.removeStale(file), "what opening the workspace again would remove");
            for (Path p : spills) {
                assertTrue(Files.exists(p), p + " of the running import");
            }
            checked.countDown();
            ImportReport r = running.get();
            assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
            assertEquals(60_000, r.spansAdded());
        }
        assertEquals(List.of(), spillFiles(), "the import deletes its files when it ends");
    }

    private List<Path> spillFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".ws.duckdb.ingest-")).toList();
        }
    }

    /** The spill files of the running import, once its writer has taken the first rows (it does so promptly). */
    private List<Path> awaitSpillFiles() throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        List<Path> found = spillFiles();
        while (found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
            found = spillFiles();
        }
        assertFalse(found.isEmpty(), "the running import has spill files");
        String pid = String.valueOf(ProcessHandle.current().pid());
        for (Path p : found) {
            assertTrue(p.getFileName().toString().startsWith(".ws.duckdb.ingest-" + pid + "-"), p.toString());
        }
        return found;
    }
}
