package dev.tracebench.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.Problem;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 7: a file that is recognised but yields no span is a problem (a rejection saying what the format
 * expected, so the command line exits 1 and the GUI's report shows it), not a silent success.
 */
class NoSpansTest extends ImporterTestBase {

    private static void assertNoSpans(ImportReport r, String format) {
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(0, r.spansRead());
        assertEquals(1, r.rejected(), r.problems().toString());
        Problem p = r.problems().get(r.problems().size() - 1);
        assertEquals(Problem.Severity.REJECTED, p.severity());
        assertEquals("file", p.location());
        assertTrue(p.reason().startsWith("no spans were read: the file was recognised as " + format
                + " but holds no spans (expected: "), p.reason());
    }

    @Test
    void emptyExportsOfEveryKind() throws Exception {
        assertNoSpans(importText("empty-otlp.json", "{\"resourceSpans\":[]}"), "OTLP/JSON");
        assertNoSpans(importText("empty-object.json", "{}"), "OTLP/JSON");
        assertNoSpans(importText("empty-jaeger.json", "{\"data\":[{\"traceID\":\"1\",\"spans\":[],\"processes\":{}}]}"),
                "Jaeger JSON");
        ImportReport proto = importBytes("empty.pb", new byte[] {0x0A, 2, 0x12, 0});
        assertNoSpans(proto, "OTLP protobuf");
        assertTrue(proto.problems().get(0).reason().endsWith("(expected: an ExportTraceServiceRequest (resource_spans, "
                + "scope_spans, spans), alone or each message after its 4-byte length)"), proto.problems().toString());
        // it is recorded like any import, with its problem
        assertEquals(4, ws.traces().stats().imports());
        assertEquals(4, count("SELECT count(*) FROM import_problems WHERE location = 'file'"));
    }

    @Test
    void aFileWhoseRecordsWereAllRejectedSaysSoOnce() throws Exception {
        ImportReport r = importText("bad.json", "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"x\"}]}]}]}");
        assertEquals(1, r.rejected(), r.problems().toString());
        assertEquals("traceId 'x' is not 32 hex digits", r.problems().get(0).reason());
    }
}
