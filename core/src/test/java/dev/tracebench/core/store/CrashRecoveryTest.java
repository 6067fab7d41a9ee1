package dev.tracebench.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** A process killed in the middle of an import leaves the workspace exactly as it was before that import. */
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
        // the child imports through Arrow as the app does (it needs java.nio opened for Arrow's memory module)
        Process p = new ProcessBuilder(java, "-Xmx256m", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"),
                CrashImportMain.class.getName(), file.toString()).redirectErrorStream(true).start();
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
        }
        try (Workspace ws = Workspace.open(file)) {
            assertEquals(before, ws.traces().stats());
            QueryResult crash = ws.console().run("SELECT count(*) FROM spans WHERE service_name = 'crash'", 1);
            assertEquals(0L, ((Number) crash.rows().get(0).get(0)).longValue());
            assertEquals(List.of("committed"), ws.traces().imports().stream().map(i -> i.file()).toList());
        }
    }
}
