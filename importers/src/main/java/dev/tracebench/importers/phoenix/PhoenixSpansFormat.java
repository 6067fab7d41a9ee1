package dev.tracebench.importers.phoenix;

import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.importers.TraceFormat;
import java.io.IOException;
import java.io.InputStream;

/** Phoenix span export (placeholder: not implemented yet). */
public final class PhoenixSpansFormat implements TraceFormat {
    @Override
    public String id() {
        return "phoenix-json";
    }

    @Override
    public String displayName() {
        return "Phoenix span export";
    }

    @Override
    public int sniff(Head head) {
        return 0;
    }

    @Override
    public void read(InputStream content, IngestSession session, ReadContext context) throws IOException {
        throw new UnsupportedOperationException("Phoenix span export is not implemented yet");
    }
}
