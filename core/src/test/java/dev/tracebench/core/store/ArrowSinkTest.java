package dev.tracebench.core.store;

import static dev.tracebench.core.testing.Spans.scope;
import static dev.tracebench.core.testing.Spans.span;
import static dev.tracebench.core.testing.Spans.trace;
import static dev.tracebench.core.testing.Spans.withEventsAndLinks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.IngestBody;
import dev.tracebench.core.ingest.IngestOptions;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanLinkData;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.QueryResult;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Arrow path stores exactly what the row Appender stores, across batch boundaries, and cleans up after itself. */
class ArrowSinkTest {
    @TempDir
    Path dir;

    @Test
    void arrowRunsInTheTestJvm() {
        // the build passes --add-opens=java.base/java.nio=ALL-UNNAMED; without it imports would fall back silently
        assertTrue(ArrowSink.available(), () -> "Arrow is unavailable: " + ArrowSink.unavailableReason());
        assertEquals("Arrow batches", IngestRun.ingestPath());
    }

    /** Enough spans to cross several Arrow batches, events to cross spill batches, and every kind of value. */
    private static IngestBody richFile() {
        return s -> {
            long plain = s.resource(new ResourceData(List.of(Attribute.of("service.name", "rag-api"),
                    Attribute.of("host.cores", 8L)), null, 0));
            long other = s.resource(new ResourceData(List.of(Attribute.of("service.name", "Übersetzer ✓")), null, 2));
            long sc1 = s.scope(scope("manual"));
            long sc2 = s.scope(new ScopeData("openinference", "", List.of(Attribute.of("k", true)),
                    "https://opentelemetry.io/schemas/1.26.0", 1));
            for (int n = 0; n < 2_600; n++) {
                TraceId t = trace(50_000 + n);
                List<Attribute> llm = List.of(Attribute.of("gen_ai.operation.name", "chat"),
                        Attribute.of("gen_ai.provider.name", "openai"),
                        Attribute.of("gen_ai.request.model", n % 2 == 0 ? "gpt-4o" : "gpt-4o-mini"),
                        Attribute.of("gen_ai.usage.input_tokens", 100L + n),
                        Attribute.of("gen_ai.usage.output_tokens", 20L),
                        Attribute.of("gen_ai.usage.cache_read.input_tokens", (long) (n % 7)),
                        Attribute.of("gen_ai.response.finish_reasons", "stop"),
                        Attribute.of("note", "naïve 日本語 \uD83D\uDE00 \"quoted\" \\ back\nline \uD800 lone"),
                        Attribute.of("ratio", n / 3.0),
                        new Attribute("blob", new AttributeValue.Bytes(new byte[] {1, 2, (byte) n})),
                        new Attribute("list", new AttributeValue.Array(List.of(new AttributeValue.Int(n),
                                new AttributeValue.Str("x")))));
                SpanData root = span(t, 1, null, "POST /chat " + (n % 5), 0, 100);
                SpanData chat = withEventsAndLinks(span(t, 2, 1L, "chat", 10, 90,
                        n % 10 == 0 ? StatusCode.ERROR : StatusCode.OK, llm),
                        List.of(new SpanEventData(Spans0.T0 + 11, "gen_ai.content.prompt",
                                List.of(Attribute.of("i", (long) n)), 0),
                                new SpanEventData(Spans0.T0 + 12, "exception",
                                        List.of(Attribute.of("exception.message", "é " + n)), 1)),
                        n % 3 == 0 ? List.of(new SpanLinkData(trace(n), 7, "k=v", 1,
                                List.of(Attribute.of("link.n", (long) n)), 0)) : List.of());
                long res = n % 4 == 0 ? other : plain;
                s.span(res, n % 2 == 0 ? sc1 : sc2, root);
                s.span(res, sc1, chat);
                s.span(res, sc1, span(t, 3, 2L, "retrieve kb", 12, 40));
                s.span(res, sc2, span(t, 4, 2L, "rerank", 41, 50));
            }
            // the schema URL of a resource often only arrives after its spans
            s.resource(new ResourceData(List.of(Attribute.of("service.name", "rag-api"),
                    Attribute.of("host.cores", 8L)), "https://opentelemetry.io/schemas/1.30.0", 0));
            // a repeated span id: the first copy (with its events) must be the one kept
            s.span(plain, sc1, span(trace(50_000), 2, 1L, "repeat", 0, 1));
            return new SourceFacts("test", "sha", 1);
        };
    }

    private List<String> rows(Workspace ws, String sql) {
        QueryResult r = ws.console().run(sql, 1_000_000);
        List<String> out = new ArrayList<>();
        for (List<Object> row : r.rows()) {
            out.add(row.toString());
        }
        return out;
    }

    @Test
    void arrowAndAppenderStoreTheSameRows() throws java.io.IOException {
        ImportReport arrow;
        ImportReport appender;
        try (Workspace a = Workspace.open(dir.resolve("arrow.duckdb"));
                Workspace b = Workspace.open(dir.resolve("appender.duckdb"))) {
            arrow = a.ingest("rich", -1, richFile(), ProgressListener.NONE, CancellationToken.none());
            appender = b.ingest("rich", -1, richFile(), IngestOptions.DEFAULT.withRowPath(
                    IngestOptions.RowPath.APPENDER), ProgressListener.NONE, CancellationToken.none());
            assertTrue(arrow.timingsMs().containsKey("cpu analysis"), "Arrow, analysed as the spans streamed in");
            assertTrue(!appender.timingsMs().containsKey("cpu analysis"), "the row Appender, analysed at the end");
            assertEquals(ImportReport.Status.IMPORTED, arrow.status(), arrow.message());
            assertEquals(10_400, arrow.spansAdded());
            assertEquals(1, arrow.duplicates());
            assertEquals(appender.spansAdded(), arrow.spansAdded());
            for (String sql : List.of(
                    "SELECT * EXCLUDE (import_id) FROM spans ORDER BY trace_id, span_id",
                    "SELECT * EXCLUDE (import_id) FROM span_events ORDER BY trace_id, span_id, seq",
                    "SELECT * EXCLUDE (import_id) FROM span_links ORDER BY trace_id, span_id, seq",
                    "SELECT * FROM resources ORDER BY resource_id",
                    "SELECT * FROM scopes ORDER BY scope_id",
                    "SELECT * FROM traces ORDER BY trace_id",
                    // analysed on two threads with Arrow, on one with the Appender
                    "SELECT * FROM trace_stages ORDER BY trace_id, stage, operation, path_ns")) {
                List<String> fromArrow = rows(a, sql);
                assertEquals(rows(b, sql), fromArrow, sql);
                assertTrue(!fromArrow.isEmpty(), sql);
            }
            assertTrue(Long.parseLong(rows(a, "SELECT count(*) FROM traces").get(0).replaceAll("[\\[\\]]", ""))
                    > 256, "more traces than one batch of the analysis thread");
            assertEquals(List.of("[5200]"), rows(a, "SELECT count(*) FROM span_events"));
            assertEquals(List.of("[867]"), rows(a, "SELECT count(*) FROM span_links"));
            assertEquals(List.of("[https://opentelemetry.io/schemas/1.30.0]"),
                    rows(a, "SELECT schema_url FROM resources WHERE service_name = 'rag-api'"));
            assertEquals(List.of("[2]"), rows(a, "SELECT count(*) FROM span_events WHERE span_id = 2 AND "
                    + "trace_id = (SELECT trace_id FROM spans WHERE name = 'POST /chat 0' ORDER BY start_ns LIMIT 1)"));
            assertEquals(List.of("[naïve 日本語 \uD83D\uDE00 \"quoted\" \\ back\nline \uFFFD lone]"),
                    rows(a, "SELECT DISTINCT attributes->>'note' FROM spans WHERE attributes->>'note' IS NOT NULL"));
            assertEquals(List.of("[Übersetzer ✓]"), rows(a, "SELECT DISTINCT service_name FROM spans "
                    + "WHERE service_name <> 'rag-api'"));
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().contains(".ingest-")).toList(),
                    "spill files are deleted after the import");
        }
    }

    /** Holder for the test epoch (keeps the static imports above short). */
    private static final class Spans0 {
        static final long T0 = dev.tracebench.core.testing.Spans.T0;
    }
}
