package dev.tracebench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.app.Launcher;
import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.query.WorkspaceStats;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.FileImportService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@link OutOfMemoryError} in {@code tracebench import} (a child JVM with a heap too small for a 15 MB value)
 * ends the import instead of hanging it: exit code 2, a message saying so, and the workspace as it was.
 */
class ImportOutOfMemoryTest {
    @TempDir
    Path dir;

    @Test
    void runningOutOfMemoryFailsTheImportWithExitCode2AndChangesNothing() throws Exception {
        Path ws = dir.resolve("ws.duckdb");
        Path small = dir.resolve("small.jsonl");
        Files.writeString(small, CliTest.otlp("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "POST /chat",
                1000, 2500, 0), StandardCharsets.UTF_8);
        WorkspaceStats before;
        try (Workspace w = Workspace.open(ws)) {
            ImportReport r = new FileImportService(() -> w).importFile(small, ProgressListener.NONE,
                    CancellationToken.none());
            assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
            before = w.traces().stats();
        }
        // one span with a 15 MB completion, under the readers' limit of 16 MB a value
        Path big = dir.resolve("big.jsonl");
        Files.writeString(big, CliTest.otlp("1af7651916cd43dd8448eb211c80319c", "c7ad6b7169203331", "chat", 1000, 10, 0)
                .replace("\"status\"", "\"attributes\":[{\"key\":\"gen_ai.completion\",\"value\":{\"stringValue\":\""
                        + "a long completion ".repeat((15 << 20) / 18) + "\"}}],\"status\""), StandardCharsets.UTF_8);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx32m", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + dir, "-Dtracebench.home=" + dir.resolve("home"),
                "-cp", System.getProperty("java.class.path"), Launcher.class.getName(),
                "import", "--workspace", ws.toString(), big.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        boolean ended = p.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        assertTrue(ended, "the import hung:\n" + out);
        assertEquals(TracebenchCli.UNUSABLE, p.exitValue(), out);
        assertTrue(out.contains(big + ": failed — "), out);
        assertTrue(out.contains("out of memory (Java heap space; this JVM may use at most "), out);
        assertTrue(out.contains("Give it more, e.g. TRACEBENCH_JVM_OPTS=-Xmx4g"), out);
        assertTrue(out.contains("nothing from this file was stored"), out);

        try (Workspace w = Workspace.open(ws)) {
            assertEquals(before, w.traces().stats());
            assertEquals(List.of(small.toString()), w.traces().imports().stream().map(i -> i.file()).toList());
        }
    }
}
