package dev.tracebench.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large values do not pile up in the heap: 128 MB of attribute values (16 spans of 8 MB) import in a child JVM whose
 * heap is 64 MB, because batches are cut by their text and only so much text is on its way to DuckDB at a time (the
 * import once put all 16 into one batch and ran out of memory).
 */
class LargeValuesMemoryTest {
    @TempDir
    Path dir;

    @Test
    void manyLargeValuesImportWithinASmallHeap() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                LargeValuesImportMain.class.getName(), dir.resolve("ws.duckdb").toString(), "16", "8")
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        boolean ended = p.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        assertTrue(ended, out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("large values: test, 16 spans read, 16 added"), out);
    }
}
