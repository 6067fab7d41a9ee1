package dev.tracebench.samples;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Regenerates the checked-in demo data set (the traffic the default workspace opens on). From the repository root:
 * {@code ./tracebench generate --scenario demo ...} writes the same kind of data anywhere; this main writes exactly the
 * checked-in files, and a test checks the checked-in files are what it writes.
 */
public final class GenerateSamples {
    /** The demo: 3,000 requests over twelve hours with a slow shard early and a model rollout late. */
    public static final TrafficGenerator.Options DEMO = new TrafficGenerator.Options(Scenario.DEMO, 3000, 20261120L,
            Instant.parse("2026-11-20T06:00:00Z"), 12 * 3600, 25);

    private GenerateSamples() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "sample-traces/src/main/resources/dev/tracebench/samples/demo");
        TrafficGenerator.Summary s = TrafficGenerator.writeDirectory(DEMO, TrafficGenerator.Format.OTLP_JSON, true,
                dir);
        System.out.println(dir + ": " + s);
    }
}
