package dev.tracebench.samples;

import java.io.OutputStream;
import java.io.Writer;
import java.time.Instant;

/** Run in a child JVM with a small heap by {@link BoundedMemoryTest}: generates a lot of traffic to nowhere. */
public final class GenerateToNull {
    private GenerateToNull() {
    }

    public static void main(String[] args) throws Exception {
        int traces = Integer.parseInt(args[0]);
        TrafficGenerator.Options o = new TrafficGenerator.Options(Scenario.SLOW_SHARD, traces, 3,
                Instant.parse("2026-11-20T00:00:00Z"), 86_400, 25);
        TrafficGenerator.Summary s = new TrafficGenerator(o).write(new OtlpJsonWriter(OutputStream.nullOutputStream()),
                Writer.nullWriter(), Writer.nullWriter());
        System.out.println("spans=" + s.spans());
    }
}
