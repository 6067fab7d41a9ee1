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
        // every trace's critical-path contributions add up to its duration exactly
        assertEquals(0, count("SELECT count(*) FROM traces WHERE prompt_ns + retrieval_ns + rerank_ns + inference_ns "
                + "+ tool_ns + agent_ns + chain_ns + guardrail_ns + postprocess_ns + other_ns + unattributed_ns "
                + "<> duration_ns"));
        assertEquals(0, count("SELECT count(*) FROM (SELECT t.trace_id FROM traces t JOIN trace_stages s USING "
                + "(trace_id) GROUP BY t.trace_id, t.duration_ns HAVING sum(s.path_ns) <> t.duration_ns)"));
        // model calls dominate LLM requests; every trace of the fleet has a root, so nothing is unattributed
        assertTrue(count("SELECT sum(inference_ns) * 100 / sum(duration_ns) FROM traces") > 50);
        assertEquals(0, count("SELECT sum(unattributed_ns) FROM traces"));
        assertEquals(3000, count("SELECT count(*) FROM traces WHERE route IS NOT NULL"));
        ImportReport again = importSample();
        assertEquals(0, again.spansAdded());
        assertEquals(35194, again.alreadyPresent());
    }
}
