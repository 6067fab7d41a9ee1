package dev.tracebench.core.store;

import static dev.tracebench.core.testing.Spans.resource;
import static dev.tracebench.core.testing.Spans.scope;
import static dev.tracebench.core.testing.Spans.span;
import static dev.tracebench.core.testing.Spans.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.IngestBody;
import dev.tracebench.core.ingest.IngestOptions;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.QueryResult;
import dev.tracebench.core.query.WorkspaceStats;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces analysed while their spans stream in give exactly the rows of the analysis that reads them back at the end,
 * whatever the order of the spans in the file, and across imports.
 */
class StreamingAnalysisTest {
    private static final List<String> TABLES = List.of(
            "SELECT * FROM traces ORDER BY trace_id",
            "SELECT * FROM trace_stages ORDER BY trace_id, stage, operation, path_ns");

    @TempDir
    Path dir;

    /** The streaming analysis's limits for the imports of a test (tests lower them to force its rarer paths). */
    private IngestRun.Tuning tuning = IngestRun.Tuning.DEFAULT;

    private static IngestRun.Tuning limits(int maxOpenSpans, int maxReopened) {
        return new IngestRun.Tuning(maxOpenSpans, maxReopened, IngestRun.Probe.NONE);
    }

    /** The six spans of trace {@code n}: a request that retrieves, calls a model twice (one retry) and formats. */
    private static List<SpanData> request(int n) {
        TraceId t = trace(n);
        double slow = n % 5 == 0 ? 900 : 0;
        List<Attribute> chat = List.of(Attribute.of("gen_ai.operation.name", "chat"),
                Attribute.of("gen_ai.request.model", n % 3 == 0 ? "gpt-4o" : "claude-sonnet-4"),
                Attribute.of("gen_ai.usage.input_tokens", 300L + n), Attribute.of("gen_ai.usage.output_tokens", 40L));
        return List.of(
                span(t, 1, null, "POST /answer", 0, 1400 + slow, StatusCode.OK, List.of(
                        Attribute.of("http.route", "/answer"), Attribute.of("app.tenant.id", "t" + n % 4))),
                span(t, 2, 1L, "retrieve", 10, 300 + slow, StatusCode.OK, List.of(
                        Attribute.of("gen_ai.operation.name", "embeddings"))),
                span(t, 3, 2L, "vector search", 20, 290 + slow, StatusCode.OK, List.of(
                        Attribute.of("db.system.name", "qdrant"), Attribute.of("db.collection.name", "kb"))),
                span(t, 4, 1L, "chat", 310 + slow, 700 + slow, n % 7 == 0 ? StatusCode.ERROR : StatusCode.OK, chat),
                span(t, 5, 1L, "chat", 710 + slow, 1300 + slow, StatusCode.OK, List.of(
                        Attribute.of("gen_ai.operation.name", "chat"), Attribute.of("app.attempt", 2L))),
                span(t, 6, 1L, "format", 1300 + slow, 1390 + slow));
    }

    /** Traces {@code from} to {@code to - 1}, the spans {@code first..last} (1-based) of each, in the given order. */
    private static IngestBody file(int from, int to, int first, int last, boolean interleaved) {
        return s -> {
            long res = s.resource(resource("rag-api"));
            long sc = s.scope(scope("manual"));
            if (interleaved) {
                for (int k = first - 1; k < last; k++) {
                    for (int n = from; n < to; n++) {
                        s.span(res, sc, request(n).get(k));
                    }
                }
            } else {
                for (int n = from; n < to; n++) {
                    for (SpanData d : request(n).subList(first - 1, last)) {
                        s.span(res, sc, d);
                    }
                }
            }
            return new SourceFacts("test", "sha-" + from + "-" + to + "-" + first + "-" + interleaved, 1);
        };
    }

    private ImportReport ingest(Workspace ws, String name, IngestBody body, IngestOptions.Analysis analysis) {
        ImportReport r = IngestRun.run(ws, name, -1, body, IngestOptions.DEFAULT.withAnalysis(analysis), tuning,
                ProgressListener.NONE, CancellationToken.none());
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        return r;
    }

    /** Imports {@code bodies} into a workspace analysing as spans stream and one analysing at the end; compares. */
    private List<ImportReport> importBothWaysAndCompare(String name, IngestBody... bodies) {
        List<ImportReport> streamed = new ArrayList<>();
        try (Workspace a = Workspace.open(dir.resolve(name + "-streamed.duckdb"));
                Workspace b = Workspace.open(dir.resolve(name + "-at-end.duckdb"))) {
            for (int i = 0; i < bodies.length; i++) {
                streamed.add(ingest(a, name + i, bodies[i], IngestOptions.Analysis.STREAMING));
                ImportReport atEnd = ingest(b, name + i, bodies[i], IngestOptions.Analysis.AT_END);
                assertFalse(atEnd.timingsMs().containsKey("traces analysed again"), "the at-end path ran");
            }
            for (String sql : TABLES) {
                List<String> rows = rows(a, sql);
                assertEquals(rows(b, sql), rows, sql);
                assertTrue(rows.size() >= 300, sql);
            }
        }
        return streamed;
    }

    private static List<String> rows(Workspace ws, String sql) {
        QueryResult r = ws.console().run(sql, 1_000_000);
        List<String> out = new ArrayList<>();
        for (List<Object> row : r.rows()) {
            out.add(row.toString());
        }
        return out;
    }

    private static long analysedAgain(ImportReport r) {
        Long n = r.timingsMs().get("traces analysed again");
        assertTrue(n != null, "the streaming path ran: " + r.timingsMs());
        return n;
    }

    @Test
    void tracesWhoseSpansComeTogetherAreAnalysedOnceWhileStreaming() {
        // 300 traces of 6 spans: many evictions, each of whole traces
        tuning = limits(100, StreamingTraceAnalysis.MAX_REOPENED);
        ImportReport r = importBothWaysAndCompare("together", file(0, 300, 1, 6, false)).get(0);
        assertEquals(0, analysedAgain(r));
        assertEquals(1_800, r.spansAdded());
    }

    @Test
    void tracesWhoseSpansAreSpreadOverTheFileAreAnalysedAgainFromTheWorkspace() {
        // one span of every trace, then the second of every trace, ...: each trace is let go before it is complete
        tuning = limits(100, StreamingTraceAnalysis.MAX_REOPENED);
        ImportReport r = importBothWaysAndCompare("spread", file(0, 300, 1, 6, true)).get(0);
        assertTrue(analysedAgain(r) >= 250, r.timingsMs().toString());
    }

    @Test
    void aFileWhoseTracesAreAllSpreadOutIsAnalysedAtTheEndWithinBoundedMemory() {
        tuning = limits(100, 50); // 300 traces come back: it gives up instead of remembering them
        ImportReport r = importBothWaysAndCompare("gave-up", file(0, 300, 1, 6, true)).get(0);
        assertEquals(1L, r.timingsMs().get("analysed at the end: spans too spread out"), r.timingsMs().toString());
        assertEquals(300, analysedAgain(r));
    }

    @Test
    void tracesAnEarlierImportHadSpansOfAreAnalysedWhole() {
        // the first file has the first three spans of traces 0..199, the second the last three of 100..199 and whole
        // traces 200..299: traces 100..199 get their rows from the spans of both files
        List<ImportReport> r = importBothWaysAndCompare("known", file(0, 200, 1, 3, false),
                (IngestBody) s -> {
                    file(100, 200, 4, 6, false).run(s);
                    return file(200, 300, 1, 6, false).run(s);
                });
        assertEquals(0, analysedAgain(r.get(0)));
        assertEquals(100, analysedAgain(r.get(1)));
        try (Workspace a = Workspace.open(dir.resolve("known-streamed.duckdb"))) {
            assertEquals(List.of("[100]"), rows(a, "SELECT count(*) FROM traces WHERE span_count = 6 AND "
                    + "trace_id IN (SELECT trace_id FROM spans WHERE import_id = (SELECT min(import_id) FROM imports))"));
            assertEquals(List.of("[300]"), rows(a, "SELECT count(DISTINCT trace_id) FROM traces"));
        }
    }

    @Test
    void reimportingAFileChangesNoAnalysisRow() {
        List<ImportReport> r = importBothWaysAndCompare("again", file(0, 300, 1, 6, false),
                file(0, 300, 1, 6, false));
        assertEquals(0, r.get(1).spansAdded());
        assertEquals(300, analysedAgain(r.get(1)));
    }

    @Test
    void cancellingWhileTheAnalysisIsStoredLeavesNothing() throws IOException {
        try (Workspace ws = Workspace.open(dir.resolve("cancel.duckdb"))) {
            ingest(ws, "first", file(0, 10, 1, 6, false), IngestOptions.Analysis.STREAMING);
            WorkspaceStats before = ws.traces().stats();
            CancellationToken cancel = new CancellationToken();
            List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
            ImportReport r = ws.ingest("second", -1, file(10, 2_000, 1, 6, false), (done, total, message) -> {
                messages.add(message);
                if (message.endsWith("storing the analysis")) {
                    cancel.cancel();
                }
            }, cancel);
            assertTrue(messages.contains("11,940 spans; storing the analysis"), messages.toString());
            assertEquals(ImportReport.Status.CANCELLED, r.status(), r.message());
            assertEquals(before, ws.traces().stats());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().contains(".ingest-")).toList(),
                    "no spill file is left behind");
        }
    }
}
