package dev.tracebench.core.store;

import dev.tracebench.core.ingest.IngestOptions;

/** Every ingest test again, through the row Appender that imports fall back to where Arrow cannot run. */
class AppenderIngestTest extends IngestTest {
    @Override
    IngestOptions options() {
        return IngestOptions.DEFAULT.withRowPath(IngestOptions.RowPath.APPENDER);
    }
}
