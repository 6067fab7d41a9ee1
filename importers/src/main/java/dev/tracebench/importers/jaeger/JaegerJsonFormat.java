package dev.tracebench.importers.jaeger;

import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.importers.TraceFormat;
import java.io.IOException;
import java.io.InputStream;

/** Jaeger JSON (placeholder: not implemented yet). */
public final class JaegerJsonFormat implements TraceFormat {
    @Override
    public String id() {
        return "jaeger-json";
    }

    @Override
    public String displayName() {
        return "Jaeger JSON";
    }

    @Override
    public int sniff(Head head) {
        return 0;
    }

    @Override
    public void read(InputStream content, IngestSession session, ReadContext context) throws IOException {
        throw new UnsupportedOperationException("Jaeger JSON is not implemented yet");
    }
}
