package dev.tracebench.importers.langfuse;

import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.importers.TraceFormat;
import java.io.IOException;
import java.io.InputStream;

/** Langfuse trace export (placeholder: not implemented yet). */
public final class LangfuseTraceFormat implements TraceFormat {
    @Override
    public String id() {
        return "langfuse-json";
    }

    @Override
    public String displayName() {
        return "Langfuse trace export";
    }

    @Override
    public int sniff(Head head) {
        return 0;
    }

    @Override
    public void read(InputStream content, IngestSession session, ReadContext context) throws IOException {
        throw new UnsupportedOperationException("Langfuse trace export is not implemented yet");
    }
}
