package dev.tracebench.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.query.TraceFilter;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.samples.SampleFiles;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundled sample the default workspace opens on imports cleanly and means what it says. */
class SampleTracesImportTest extends ImporterTestBase {

    private ImportReport importSample() {
        return imports.importSource(SampleFiles.DEMO_TRACES, -1, () -> SampleFiles.open(SampleFiles.DEMO_TRACES),
                ProgressListener.NONE, CancellationToken.none());
    }

    @Test
    void theBundledSampleImportsWithoutProblems() {
        ImportReport r = importSample();
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("otlp-json+gzip", r.format());
        assertEquals(0, r.rejected());
        assertEquals(0, r.warnings());
        assertEquals(35194, r.spansAdded());
        assertEquals(3000, ws.traces().stats().traces());
        assertEquals(List.of("docs-search", "llm-gateway", "ops-agent", "support-assistant", "ticket-summarizer"),
                ws.traces().services());
        assertEquals(129, ws.traces().countTraces(TraceFilter.ALL.withErrorsOnly(true)));
        assertEquals(3000, count("SELECT count(*) FROM traces WHERE has_root AND orphan_count = 0"));
        assertTrue(count("SELECT count(*) FROM span_links") > 1000, "follow-up turns link to the previous turn");
        assertEquals(0, count("SELECT count(*) FROM spans WHERE attr(attributes, 'gen_ai.operation.name') = 'chat' "
                + "AND stage IS DISTINCT FROM 'inference'"));
        ImportReport again = importSample();
        assertEquals(0, again.spansAdded());
        assertEquals(35194, again.alreadyPresent());
    }
}
