package dev.tracebench.core.store;

import static dev.tracebench.core.testing.Spans.resource;
import static dev.tracebench.core.testing.Spans.scope;
import static dev.tracebench.core.testing.Spans.span;
import static dev.tracebench.core.testing.Spans.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.IngestBody;
import dev.tracebench.core.ingest.IngestOptions;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.WorkspaceStats;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure on any thread of an import (an {@link OutOfMemoryError} too) ends the import: nothing of the file is
 * stored, the report says why, no spill file is left, and the workspace takes the next import. Each test would hang
 * (and time out) if a thread of the import waited for ever.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IngestFailureTest {
    private static final IngestOptions ARROW = IngestOptions.DEFAULT;
    private static final IngestOptions ARROW_AT_END = IngestOptions.DEFAULT.withAnalysis(IngestOptions.Analysis.AT_END);
    private static final IngestOptions APPENDER = IngestOptions.DEFAULT.withRowPath(IngestOptions.RowPath.APPENDER);

    @TempDir
    Path dir;
    Workspace ws;
    WorkspaceStats before;
    final List<String> imported = new java.util.ArrayList<>();

    @BeforeEach
    void open() {
        ws = Workspace.open(dir.resolve("ws.duckdb"));
        ImportReport first = ws.ingest("first", -1, IngestTest.emit("svc", IngestTest.sampleTrace(trace(1))),
                ProgressListener.NONE, CancellationToken.none());
        assertEquals(ImportReport.Status.IMPORTED, first.status(), first.message());
        imported.add("first");
        before = ws.traces().stats();
    }

    @AfterEach
    void close() {
        ws.close();
    }

    /** 2,500 traces of 4 spans: 10 batches of the importer, several of the analysis at the end. */
    private static IngestBody traffic() {
        return s -> {
            long r = s.resource(resource("busy"));
            long sc = s.scope(scope("x"));
            for (int n = 0; n < 2_500; n++) {
                TraceId t = trace(10_000 + n);
                s.span(r, sc, span(t, 1, null, "root", 0, 100));
                s.span(r, sc, span(t, 2, 1L, "retrieve", 5, 30));
                s.span(r, sc, span(t, 3, 1L, "chat", 30, 95));
                s.span(r, sc, span(t, 4, 3L, "gateway", 31, 94));
            }
            return new SourceFacts("test", "sha", 1);
        };
    }

    /** A probe that throws {@code error} the {@code nth} time it is called at {@code where}. */
    private static IngestRun.Probe throwing(IngestRun.Part where, int nth, Supplier<Throwable> error) {
        AtomicInteger calls = new AtomicInteger();
        return part -> {
            if (part == where && calls.incrementAndGet() == nth) {
                Throwable t = error.get();
                if (t instanceof Error e) {
                    throw e;
                }
                throw (RuntimeException) t;
            }
        };
    }

    private ImportReport importFailing(IngestOptions options, IngestRun.Probe probe, IngestBody body) {
        return IngestRun.run(ws, "doomed", -1, body, options, IngestRun.Tuning.DEFAULT.withProbe(probe),
                ProgressListener.NONE, CancellationToken.none());
    }

    /** Nothing of the failed file is stored or left behind, and the workspace imports the next file. */
    private void assertNothingStored(ImportReport r, String expectedInMessage) throws IOException {
        assertEquals(ImportReport.Status.FAILED, r.status(), r.message());
        assertTrue(r.message().contains(expectedInMessage), r.message());
        assertTrue(r.message().endsWith("nothing from this file was stored"), r.message());
        assertEquals(before, ws.traces().stats());
        assertEquals(imported, ws.traces().imports().stream().map(i -> i.file()).sorted().toList());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().contains(".ingest-")).toList(),
                    "no spill file is left behind");
        }
        String name = "next " + imported.size();
        ImportReport next = ws.ingest(name, -1, IngestTest.emit("svc", IngestTest.sampleTrace(
                trace(2 + imported.size()))), ProgressListener.NONE, CancellationToken.none());
        assertEquals(ImportReport.Status.IMPORTED, next.status(), next.message());
        imported.add(name);
        java.util.Collections.sort(imported);
        before = ws.traces().stats();
    }

    private void assertEachKindOfFailureEndsTheImport(IngestOptions options, IngestRun.Part where, int nth)
            throws IOException {
        assertNothingStored(importFailing(options, throwing(where, nth,
                () -> new OutOfMemoryError("Java heap space")), traffic()), "out of memory (Java heap space;");
        assertNothingStored(importFailing(options, throwing(where, nth,
                () -> new IllegalStateException("injected at " + where)), traffic()), "injected at " + where);
        assertNothingStored(importFailing(options, throwing(where, nth,
                () -> new AssertionError("assertion at " + where)), traffic()), "AssertionError: assertion at " + where);
    }

    @Test
    void aFailureOnTheEncoderThreadEndsTheImport() throws IOException {
        assertEachKindOfFailureEndsTheImport(ARROW, IngestRun.Part.ENCODER, 3);
        assertEachKindOfFailureEndsTheImport(APPENDER, IngestRun.Part.ENCODER, 3);
    }

    @Test
    void aFailureOnTheStreamingAnalysisThreadEndsTheImport() throws IOException {
        assertEachKindOfFailureEndsTheImport(ARROW, IngestRun.Part.ANALYSIS, 3);
    }

    @Test
    void aFailureWhereDuckDbScansTheArrowStreamEndsTheImport() throws IOException {
        // with Arrow, the sink asks for batches on DuckDB's own thread, inside the INSERT statement
        assertEachKindOfFailureEndsTheImport(ARROW, IngestRun.Part.SCAN, 3);
        assertEachKindOfFailureEndsTheImport(APPENDER, IngestRun.Part.SCAN, 3);
    }

    @Test
    void aFailureOnTheWriterThreadAtTheEndOfTheFileEndsTheImport() throws IOException {
        assertEachKindOfFailureEndsTheImport(ARROW, IngestRun.Part.WRITER, 1);
        assertEachKindOfFailureEndsTheImport(APPENDER, IngestRun.Part.WRITER, 1);
    }

    @Test
    void aFailureOfTheAnalysisAtTheEndOfTheFileEndsTheImport() throws IOException {
        assertEachKindOfFailureEndsTheImport(ARROW_AT_END, IngestRun.Part.END_ANALYSIS, 2);
    }

    @Test
    void aFailureOnTheImportersThreadEndsTheImport() throws IOException {
        for (IngestOptions options : List.of(ARROW, APPENDER)) {
            for (Throwable error : List.of(new OutOfMemoryError("Java heap space"),
                    new StackOverflowError(), new IllegalStateException("the reader broke"))) {
                ImportReport r = importFailing(options, IngestRun.Probe.NONE, s -> {
                    traffic().run(new HalfSession(s, error));
                    return null;
                });
                String expected = error instanceof OutOfMemoryError ? "could not read the file: out of memory"
                        : error instanceof StackOverflowError ? "nested too deeply" : "the reader broke";
                assertNothingStored(r, expected);
            }
        }
    }

    /** Passes half the spans of a file on, then throws {@code error} as a reader would. */
    private static final class HalfSession implements dev.tracebench.core.ingest.IngestSession {
        private final dev.tracebench.core.ingest.IngestSession s;
        private final Throwable error;
        private int spans;

        HalfSession(dev.tracebench.core.ingest.IngestSession s, Throwable error) {
            this.s = s;
            this.error = error;
        }

        @Override
        public long resource(dev.tracebench.core.model.ResourceData resource) {
            return s.resource(resource);
        }

        @Override
        public long scope(dev.tracebench.core.model.ScopeData scope) {
            return s.scope(scope);
        }

        @Override
        public void span(long resourceId, long scopeId, dev.tracebench.core.model.SpanData span) {
            if (++spans == 5_000) {
                if (error instanceof Error e) {
                    throw e;
                }
                throw (RuntimeException) error;
            }
            s.span(resourceId, scopeId, span);
        }

        @Override
        public void reject(String location, String reason) {
            s.reject(location, reason);
        }

        @Override
        public void warn(String location, String reason) {
            s.warn(location, reason);
        }

        @Override
        public void bytesRead(long bytes) {
            s.bytesRead(bytes);
        }

        @Override
        public void checkCancelled() {
            s.checkCancelled();
        }
    }
}
