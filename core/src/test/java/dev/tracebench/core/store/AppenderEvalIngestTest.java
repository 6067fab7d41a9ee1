package dev.tracebench.core.store;

import dev.tracebench.core.ingest.IngestOptions;

/** Every eval ingest test again, with the spans through the row Appender (small files, or no Arrow). */
class AppenderEvalIngestTest extends EvalIngestTest {
    @Override
    IngestOptions options() {
        return IngestOptions.DEFAULT.withRowPath(IngestOptions.RowPath.APPENDER);
    }
}
