package dev.tracebench.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.query.QueryResult;
import dev.tracebench.core.query.WorkspaceStats;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed in the middle of an import leaves the workspace exactly as it was before that import, and the spill
 * files it left are removed when the workspace is opened again.
 */
class CrashRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void killingTheProcessMidImportLosesOnlyThatImport() throws Exception {
        Path file = dir.resolve("ws.duckdb");
        WorkspaceStats before;
        try (Workspace ws = Workspace.open(file)) {
            ws.ingest("committed", -1, IngestTest.emit("svc", IngestTest.sampleTrace(
                    dev.tracebench.core.testing.Spans.trace(1))), ProgressListener.NONE, CancellationToken.none());
            before = ws.traces().stats();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the child imports through Arrow as the app does (it needs java.nio opened for Arrow's memory module); its
        // temporary files (DuckDB's native library, extracted per process and left behind by a kill) go to dir
        Process p = new ProcessBuilder(java, "-Xmx256m", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                CrashImportMain.class.getName(), file.toString()).redirectErrorStream(true).start();
        List<Path> spills;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            boolean moving = false;
            while ((line = out.readLine()) != null) {
                if (line.contains("MOVING")) {
                    moving = true;
                    break;
                }
            }
            assertTrue(moving, "the child import never got going");
            Thread.sleep(300);
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            spills = spillFiles(".ws.duckdb.ingest-" + p.pid() + "-");
            assertFalse(spills.isEmpty(), "the killed import left its spill files");
        }
        try (Workspace ws = Workspace.open(file)) {
            assertEquals(List.of(), spillFiles(".ws.duckdb.ingest-"), "opening the workspace removed them");
            assertEquals(before, ws.traces().stats());
            QueryResult crash = ws.console().run("SELECT count(*) FROM spans WHERE service_name = 'crash'", 1);
            assertEquals(0L, ((Number) crash.rows().get(0).get(0)).longValue());
            assertEquals(List.of("committed"), ws.traces().imports().stream().map(i -> i.file()).toList());
        }
    }

    private List<Path> spillFiles(String prefix) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
        }
    }
}
