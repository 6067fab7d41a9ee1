package dev.tracebench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench live} on a few thousand spans (its numbers are for a quiet machine, not for a test): the SDK clients'
 * acknowledged spans, the receiver's stored spans and the workspace's span count agree, the warm-up included and
 * outside the measured count, and the temporary workspace is removed.
 */
class LiveBenchTest {
    @TempDir
    Path dir;

    @Test
    void everySpanSentIsStoredWarmUpIncluded() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new LiveBench());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        // 2,100 and 1,100 spans: neither a whole number of 512-span batches, so the last batch of each round is short
        int code = cl.execute("--spans", "2100", "--warmup", "1100", "--clients", "2", "--dir", dir.toString());
        String text = out.toString();
        assertEquals(TracebenchCli.OK, code, text + err);
        assertTrue(text.contains("acknowledged 2,100 spans in "), text);
        Matcher committed = Pattern.compile("committed ([0-9,]+) spans in").matcher(text);
        assertTrue(committed.find(), text);
        assertEquals("2,100", committed.group(1), text);
        assertTrue(text.contains("client acknowledged 3,200, client gave up on 0"), text);
        assertTrue(text.contains("receiver stored 3,200, workspace holds 3,200: equal, no loss"), text);
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "the temporary workspace was not removed");
        }
    }
}
