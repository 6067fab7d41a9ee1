package dev.tracebench.core.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Every ingest test again, through the row Appender that imports fall back to where Arrow cannot run. */
class AppenderIngestTest extends IngestTest {
    @BeforeEach
    void useAppender() {
        IngestRun.forceAppender = true;
    }

    @AfterEach
    void useDefault() {
        IngestRun.forceAppender = false;
    }
}
