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
        return imports.importSource(SampleFiles.RAG_ASSISTANT, -1, () -> SampleFiles.open(SampleFiles.RAG_ASSISTANT),
                ProgressListener.NONE, CancellationToken.none());
    }

    @Test
    void theBundledSampleImportsWithoutProblems() {
        ImportReport r = importSample();
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("otlp-json+gzip", r.format());
        assertEquals(0, r.rejected());
        assertEquals(0, r.warnings());
        assertEquals(4263, r.spansAdded());
        assertEquals(400, ws.traces().stats().traces());
        assertEquals(List.of("llm-gateway", "rag-api", "retrieval-svc"), ws.traces().services());
        assertEquals(23, ws.traces().countTraces(TraceFilter.ALL.withErrorsOnly(true)));
        assertEquals(400, count("SELECT count(*) FROM traces WHERE has_root AND orphan_count = 0"));
        assertTrue(count("SELECT count(*) FROM span_links") > 50, "follow-up turns link to the previous turn");
        assertEquals(count("SELECT count(*) FROM spans WHERE name LIKE 'chat %'"),
                count("SELECT count(*) FROM spans WHERE stage = 'inference'"));
        ImportReport again = importSample();
        assertEquals(0, again.spansAdded());
        assertEquals(4263, again.alreadyPresent());
    }
}
