package dev.tracebench.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Generation streams: 100,000 traces (about a million spans) fit in a 40 MB heap. */
class BoundedMemoryTest {
    @Test
    void aMillionSpansGenerateInAFortyMegabyteHeap() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx40m", "-cp", System.getProperty("java.class.path"),
                GenerateToNull.class.getName(), "100000").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        long spans = Long.parseLong(out.trim().replaceAll("(?s).*spans=(\\d+).*", "$1"));
        assertTrue(spans > 900_000, out);
    }
}
