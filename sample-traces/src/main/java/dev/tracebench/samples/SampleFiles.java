package dev.tracebench.samples;

import java.io.InputStream;
import java.util.List;

/** The sample files bundled in this module, for the app's default workspace and for tests. */
public final class SampleFiles {
    /** The small RAG-assistant sample the default workspace opens on (OTLP/JSON Lines, gzip). */
    public static final String RAG_ASSISTANT = "rag-assistant.otlp.jsonl.gz";

    private SampleFiles() {
    }

    /** Bundled sample names, in the order a new default workspace imports them. */
    public static List<String> defaultWorkspaceSamples() {
        return List.of(RAG_ASSISTANT);
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
