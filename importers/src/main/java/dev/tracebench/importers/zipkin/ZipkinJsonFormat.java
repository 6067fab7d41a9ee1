package dev.tracebench.importers.zipkin;

import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.importers.TraceFormat;
import java.io.IOException;
import java.io.InputStream;

/** Zipkin v2 JSON (placeholder: not implemented yet). */
public final class ZipkinJsonFormat implements TraceFormat {
    @Override
    public String id() {
        return "zipkin-json";
    }

    @Override
    public String displayName() {
        return "Zipkin v2 JSON";
    }

    @Override
    public int sniff(Head head) {
        return 0;
    }

    @Override
    public void read(InputStream content, IngestSession session, ReadContext context) throws IOException {
        throw new UnsupportedOperationException("Zipkin v2 JSON is not implemented yet");
    }
}
