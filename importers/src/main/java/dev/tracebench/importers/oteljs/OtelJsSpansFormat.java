package dev.tracebench.importers.oteljs;

import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.importers.TraceFormat;
import java.io.IOException;
import java.io.InputStream;

/** OpenTelemetry JS span dump (placeholder: not implemented yet). */
public final class OtelJsSpansFormat implements TraceFormat {
    @Override
    public String id() {
        return "oteljs-json";
    }

    @Override
    public String displayName() {
        return "OpenTelemetry JS span dump";
    }

    @Override
    public int sniff(Head head) {
        return 0;
    }

    @Override
    public void read(InputStream content, IngestSession session, ReadContext context) throws IOException {
        throw new UnsupportedOperationException("OpenTelemetry JS span dump is not implemented yet");
    }
}
