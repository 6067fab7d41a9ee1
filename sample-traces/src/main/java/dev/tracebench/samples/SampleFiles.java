package dev.tracebench.samples;

import java.io.InputStream;
import java.util.List;

/** The sample files bundled in this module, for the app's default workspace and for tests. */
public final class SampleFiles {
    /** The demo traffic the default workspace opens on (OTLP/JSON Lines, gzip); see sample-traces/README.md. */
    public static final String DEMO_TRACES = "demo/traces.otlp.jsonl.gz";
    /** Its evaluation rows (JSON Lines). */
    public static final String DEMO_EVALS = "demo/evals.jsonl";
    /** What the demo traffic exhibits. */
    public static final String DEMO_TRUTH = "demo/truth.json";

    private SampleFiles() {
    }

    /**
     * Bundled sample names, in the order a new default workspace imports them: the traces, then their eval results
     * (so the Quality area and quality cohorts have something to show from the first start).
     */
    public static List<String> defaultWorkspaceSamples() {
        return List.of(DEMO_TRACES, DEMO_EVALS);
    }

    /** Opens a bundled sample; the caller closes it. */
    public static InputStream open(String name) {
        InputStream in = SampleFiles.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalArgumentException("no bundled sample named " + name);
        }
        return in;
    }
}
