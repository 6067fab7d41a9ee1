package dev.tracebench.core.ingest;

import java.io.IOException;

/** The importer's part of an import: reads the source into the session and says what it read. */
@FunctionalInterface
public interface IngestBody {
    SourceFacts run(IngestSession session) throws IOException;
}
