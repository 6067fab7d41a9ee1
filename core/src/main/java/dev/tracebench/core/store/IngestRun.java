package dev.tracebench.core.store;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.IngestBody;
import dev.tracebench.core.ingest.IngestOptions;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.ingest.UnusableInputException;
import dev.tracebench.core.json.AttributeJson;
import dev.tracebench.core.json.Utf8Buffer;
import dev.tracebench.core.store.IngestRows.RawSpan;
import dev.tracebench.core.store.IngestRows.ResourceRow;
import dev.tracebench.core.store.IngestRows.ScopeRow;
import dev.tracebench.core.store.IngestRows.StagedSpan;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.normalize.LlmFields;
import dev.tracebench.core.normalize.SpanDims;
import dev.tracebench.core.normalize.SpanNormalizer;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.CancelledException;
import dev.tracebench.core.task.ProgressListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * One import of one source: the {@link IngestSession} an importer writes into, and the threads that turn what it
 * hands over into rows of the workspace.
 *
 * <p>Three threads share the work so that both cores stay busy (measured on the 2-core machine: parsing, and
 * normalising plus encoding, each cost about as much as DuckDB's appends): the importer's thread parses; an encoder
 * thread normalises spans and encodes attributes as JSON; the writer thread owns the import's dedicated connection and
 * appends the rows straight into the workspace tables through DuckDB Appenders. Bounded queues between them keep the
 * heap flat for any file size.
 *
 * <p>The whole source is one transaction. Rows are appended directly into {@code spans}, {@code span_events} and
 * {@code span_links}: appending into an in-memory staging table and moving batches with {@code INSERT ... SELECT}
 * measured 1.8x slower with DuckDB 2.0 and ZSTD strings. At the end of the file, span ids repeated within the file or
 * already stored by an earlier import are removed ({@code import_repeats.sql}), the per-trace rollups of the touched
 * traces are rebuilt, the {@code imports} row is written and the transaction commits. Any error or a cancel rolls it
 * all back; a crash leaves it uncommitted.
 */
final class IngestRun implements IngestSession {
    /** Spans handed from one thread to the next at a time. */
    static final int BATCH_SPANS = 1_024;
    /** Batches that may wait in each queue: bounds the heap used by an import. */
    private static final int QUEUE_BATCHES = 6;
    /** Problems kept with full detail per import (all are counted). */
    static final int MAX_PROBLEMS = 1_000;
    /** Locations of possibly repeated span ids remembered for the report. */
    private static final int MAX_REPEAT_LOCATIONS = 200_000;

    private final String sourceName;
    private final long totalBytes;
    private final ProgressListener progress;
    private final CancellationToken cancel;
    private final IngestOptions options;

    // importer-thread state
    private final Map<Long, String> serviceByResource = new HashMap<>();
    private final Map<Long, String> scopeNames = new HashMap<>();
    private final Set<Long> schemaUrlSent = new HashSet<>();
    private static final long SCOPE_SALT = 0x5C09E5C09E5C09EL;
    private List<Object> batch = new ArrayList<>(BATCH_SPANS);
    private int batchSpans;
    private long seq;
    private long spansRead;
    private long rejected;
    private long warnings;
    private final List<Problem> problems = new ArrayList<>();
    private long lastProgressNanos;
    private long lastBytes;
    private final Bloom seen;
    /** span_seq of a possibly repeated span id (a Bloom filter hit) to where it is in the file. */
    private final Map<Long, String> repeatLocations = new HashMap<>();
    private long readerWaitNs;
    private long readerCpuNs;
    private Path spillDir;
    private String spillPrefix;
    private boolean useArrowForAnalysis;
    private long lastResourceId;
    private String lastService;
    private long lastScopeId;
    private String lastScopeName;

    // hand-over between the threads
    private final BlockingQueue<Object> toEncoder = new ArrayBlockingQueue<>(QUEUE_BATCHES);
    private final BlockingQueue<Object> toWriter = new ArrayBlockingQueue<>(QUEUE_BATCHES);
    private final BlockingQueue<Object> toAnalysis = new ArrayBlockingQueue<>(QUEUE_BATCHES);
    /** The critical-path analysis while the spans stream in (Arrow path), or null: analysed at the end. */
    private StreamingTraceAnalysis stream;
    private Thread analysisThread;
    private volatile boolean aborting;
    private volatile Throwable failure;

    private IngestRun(String sourceName, long totalBytes, IngestOptions options, ProgressListener progress,
            CancellationToken cancel) {
        this.sourceName = sourceName;
        this.totalBytes = totalBytes;
        this.options = options;
        this.progress = progress;
        this.cancel = cancel;
        // about one span per 300 bytes of input; 10 bits a span gives few false hits (they only cost memory here)
        long expected = Math.max(1_000_000, totalBytes / 300);
        this.seen = new Bloom(Math.min(128L << 20, expected * 10));
    }

    /** Runs {@code body} as one import into {@code workspace}; never throws for bad input or cancellation. */
    static ImportReport run(Workspace workspace, String sourceName, long totalBytes, IngestBody body,
            IngestOptions options, ProgressListener progress, CancellationToken cancel) {
        long t0 = System.nanoTime();
        IngestRun run = new IngestRun(sourceName, totalBytes, options, progress, cancel);
        IngestRows.RowSink sink = sinkFor(workspace.path(), totalBytes);
        run.spillDir = workspace.path().getParent();
        run.spillPrefix = spillPrefix(workspace.path());
        run.useArrowForAnalysis = sink instanceof ArrowSink;
        run.streamAnalysis = run.useArrowForAnalysis && streamingAnalysis
                && !"at-end".equals(System.getProperty("tracebench.analysis"));
        try {
            return workspace.withIngestConnection(c -> run.execute(c, sink, body, t0));
        } catch (WorkspaceException e) {
            return ImportReport.notImported(sourceName, ImportReport.Status.FAILED, e.getMessage(), millisSince(t0));
        }
    }

    /**
     * Whether traces are analysed while their spans stream in (with Arrow), rather than read back at the end; tests
     * turn it off here, and {@code -Dtracebench.analysis=at-end} does too (checked at each import: comparisons of the
     * two paths).
     */
    static volatile boolean streamingAnalysis = true;
    private boolean streamAnalysis;

    /** Forces the row Appender instead of Arrow (tests of the fallback; {@code -Dtracebench.ingest=appender}). */
    static volatile boolean forceAppender = "appender".equals(System.getProperty("tracebench.ingest"));

    /**
     * Files smaller than this go through the row Appender: each Arrow statement costs a few milliseconds to set up
     * (measured: a one-span import took 17 ms to store through Arrow, 4 ms through the Appender), which only pays off
     * from some thousands of spans.
     */
    static final long SMALL_FILE_BYTES = 2L << 20;

    /**
     * How rows get into DuckDB: Arrow batches where Arrow works and the file is not small (size unknown counts as
     * large), else the row Appender. {@code -Dtracebench.ingest=arrow} takes small files through Arrow too (tests that
     * run the real corpora, all small, through the Arrow path).
     */
    static IngestRows.RowSink sinkFor(Path workspaceFile, long totalBytes) {
        boolean small = totalBytes >= 0 && totalBytes < SMALL_FILE_BYTES
                && !"arrow".equals(System.getProperty("tracebench.ingest"));
        if (!forceAppender && !small && ArrowSink.available()) {
            return new ArrowSink(workspaceFile.getParent(), spillPrefix(workspaceFile));
        }
        return new AppenderSink();
    }

    /** Spill files of an import into {@code workspaceFile} are named {@code <prefix>-*.arrows} beside it. */
    static String spillPrefix(Path workspaceFile) {
        return "." + workspaceFile.getFileName() + ".ingest";
    }

    /** Which way rows get into DuckDB here, for benchmarks and diagnostics. */
    static String ingestPath() {
        if (forceAppender) {
            return "row Appender (forced)";
        }
        return ArrowSink.available() ? "Arrow batches" : "row Appender (Arrow unavailable: "
                + ArrowSink.unavailableReason() + ")";
    }

    private ImportReport execute(Connection c, IngestRows.RowSink sink, IngestBody body, long t0)
            throws SQLException {
        if (!streamAnalysis) {
            return executeThreads(c, sink, body, t0);
        }
        try (StreamingTraceAnalysis s = new StreamingTraceAnalysis((DuckDBConnection) c,
                totalBytes < 0 ? 1_000_000 : totalBytes / 300, spillDir, spillPrefix)) {
            stream = s;
            return executeThreads(c, sink, body, t0);
        } catch (java.io.IOException e) {
            // closing the spill files failed after the import ended; what was reported stands
            throw new SQLException("could not remove the analysis spill files: " + e.getMessage(), e);
        }
    }

    private ImportReport executeThreads(Connection c, IngestRows.RowSink sink, IngestBody body, long t0)
            throws SQLException {
        Analyst analyst = stream == null ? null : new Analyst();
        analysisThread = analyst == null ? null : thread(analyst, "tracebench-ingest-analysis");
        Writer writer = new Writer((DuckDBConnection) c, sink);
        Thread writerThread = thread(writer, "tracebench-ingest-writer");
        Encoder encoder = new Encoder();
        Thread encoderThread = thread(encoder, "tracebench-ingest-encoder");
        SourceFacts facts;
        long cpu0 = cpuNow();
        try {
            facts = body.run(this);
            readerCpuNs = cpuNow() - cpu0;
            flushBatch();
            put(new Finish(facts, List.copyOf(problems), rejected, warnings, spansRead, Instant.now(),
                    Map.copyOf(repeatLocations)));
        } catch (CancelledException e) {
            abort(encoderThread, writerThread, analysisThread);
            return failure != null ? failed(failure, t0) : ImportReport.notImported(sourceName,
                    ImportReport.Status.CANCELLED, "cancelled by the user; nothing from this file was stored",
                    millisSince(t0));
        } catch (UnusableInputException e) {
            abort(encoderThread, writerThread, analysisThread);
            return ImportReport.notImported(sourceName, ImportReport.Status.UNUSABLE, e.getMessage(), millisSince(t0));
        } catch (IOException | RuntimeException e) {
            abort(encoderThread, writerThread, analysisThread);
            if (failure != null) {
                return failed(failure, t0);
            }
            return ImportReport.notImported(sourceName, ImportReport.Status.FAILED,
                    "could not read the file: " + messageOf(e) + "; nothing from this file was stored",
                    millisSince(t0));
        }
        join(encoderThread);
        join(writerThread);
        if (analysisThread != null) {
            join(analysisThread);
        }
        if (failure instanceof CancelledException) {
            // cancelled while the writer finished the file (removing repeats, analysing): rolled back
            return ImportReport.notImported(sourceName, ImportReport.Status.CANCELLED,
                    "cancelled by the user; nothing from this file was stored", millisSince(t0));
        }
        if (failure != null || writer.finished == null) {
            return failed(failure == null ? new IllegalStateException("the import stopped") : failure, t0);
        }
        Finish f = writer.finished;
        Map<String, Long> timings = new LinkedHashMap<>();
        timings.put("reader waiting", readerWaitNs / 1_000_000);
        timings.put("encoder waiting", encoder.idleNs / 1_000_000);
        timings.put("writer waiting", writer.idleNs / 1_000_000);
        timings.put("appending", writer.appendNs / 1_000_000);
        timings.put("repeats", writer.repeatsNs / 1_000_000);
        timings.put("analysis", writer.rollupNs / 1_000_000);
        timings.put("commit", writer.commitNs / 1_000_000);
        timings.put("cpu reader", readerCpuNs / 1_000_000);
        timings.put("cpu encoder", encoder.cpuNs / 1_000_000);
        timings.put("cpu writer", writer.cpuNs / 1_000_000);
        if (analyst != null) {
            timings.put("analysis waiting", analyst.idleNs / 1_000_000);
            timings.put("cpu analysis", analyst.cpuNs / 1_000_000);
            timings.put("traces analysed again", writer.reanalysed);
            if (stream.gaveUp()) {
                timings.put("analysed at the end: spans too spread out", 1L);
            }
        }
        return new ImportReport(sourceName, ImportReport.Status.IMPORTED, f.facts.format(), writer.importId,
                f.facts.sha256(), f.facts.bytes(), f.spansRead, writer.added, writer.duplicates, writer.alreadyPresent,
                f.rejected, f.warnings, f.problems, millisSince(t0), "", timings);
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** CPU time of the calling thread, or 0 where the JVM cannot tell. */
    private static long cpuNow() {
        try {
            return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
        } catch (UnsupportedOperationException e) {
            return 0;
        }
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private ImportReport failed(Throwable cause, long t0) {
        return ImportReport.notImported(sourceName, ImportReport.Status.FAILED,
                "storing failed: " + messageOf(cause) + "; nothing from this file was stored", millisSince(t0));
    }

    private static String messageOf(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /** Stops the other threads; the writer rolls the transaction back. */
    private void abort(Thread... threads) {
        aborting = true;
        toEncoder.clear();
        toWriter.clear();
        toAnalysis.clear();
        for (Thread t : threads) {
            if (t != null) {
                join(t);
            }
        }
    }

    private void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException();
        }
    }

    private void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        aborting = true;
    }

    // ------------------------------------------------------------------ IngestSession (importer thread)

    @Override
    public long resource(ResourceData resource) {
        String json = AttributeJson.encode(resource.attributes());
        long id = contentId("resource", json, resource.droppedAttributesCount());
        String known = serviceByResource.get(id);
        if (known == null) {
            String service = resource.serviceName();
            serviceByResource.put(id, service);
            batch.add(new ResourceRow(id, service, json, resource.schemaUrl(), resource.droppedAttributesCount()));
        } else if (resource.schemaUrl() != null && schemaUrlSent.add(id)) {
            // the schema URL of a ResourceSpans usually comes after its spans: record it once it is known
            batch.add(new ResourceRow(id, known, json, resource.schemaUrl(), resource.droppedAttributesCount()));
        }
        if (resource.schemaUrl() != null) {
            schemaUrlSent.add(id);
        }
        return id;
    }

    @Override
    public long scope(ScopeData scope) {
        String json = AttributeJson.encode(scope.attributes());
        long id = contentId("scope", scope.name() + '\u0000' + scope.version() + '\u0000' + json,
                scope.droppedAttributesCount());
        boolean isNew = scopeNames.putIfAbsent(id, scope.name()) == null;
        boolean newUrl = scope.schemaUrl() != null && schemaUrlSent.add(id ^ SCOPE_SALT);
        if (isNew || newUrl) {
            batch.add(new ScopeRow(id, scope.name(), scope.version(), json, scope.schemaUrl(),
                    scope.droppedAttributesCount()));
        }
        return id;
    }

    @Override
    public void span(long resourceId, long scopeId, SpanData span) {
        // consecutive spans nearly always share their resource and scope: skip the map lookups then
        if (resourceId != lastResourceId || lastService == null) {
            lastService = serviceByResource.get(resourceId);
            lastResourceId = resourceId;
            if (lastService == null) {
                throw new IllegalArgumentException("span refers to an unregistered resource id " + resourceId);
            }
        }
        if (scopeId != lastScopeId || lastScopeName == null) {
            lastScopeName = scopeNames.get(scopeId);
            lastScopeId = scopeId;
        }
        String service = lastService;
        long s = seq++;
        long h1 = span.traceId().hi() * 0x9E3779B97F4A7C15L ^ span.traceId().lo();
        long h2 = span.spanId() * 0xC2B2AE3D27D4EB4FL ^ h1;
        if (!seen.addAndCheck(h1, h2) && repeatLocations.size() < MAX_REPEAT_LOCATIONS) {
            repeatLocations.put(s, span.source());
        }
        spansRead++;
        batch.add(new RawSpan(s, resourceId, scopeId, service, lastScopeName, span));
        if (++batchSpans >= BATCH_SPANS) {
            flushBatch();
        }
    }

    @Override
    public void reject(String location, String reason) {
        rejected++;
        keep(new Problem(Problem.Severity.REJECTED, location, reason));
    }

    @Override
    public void warn(String location, String reason) {
        warnings++;
        keep(new Problem(Problem.Severity.WARNING, location, reason));
    }

    private void keep(Problem p) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(p);
        }
    }

    @Override
    public void bytesRead(long bytes) {
        lastBytes = bytes;
        long now = System.nanoTime();
        if (now - lastProgressNanos > 50_000_000L) {
            lastProgressNanos = now;
            progress.progress(bytes, totalBytes, String.format("%,d spans", spansRead));
        }
    }

    @Override
    public void checkCancelled() {
        cancel.throwIfCancelled();
        if (failure != null) {
            throw new CancelledException();
        }
    }

    private void flushBatch() {
        if (batch.isEmpty()) {
            return;
        }
        List<Object> full = batch;
        batch = new ArrayList<>(BATCH_SPANS);
        batchSpans = 0;
        put(full);
        progress.progress(lastBytes, totalBytes, String.format("%,d spans", spansRead));
    }

    private void put(Object msg) {
        try {
            if (!toEncoder.offer(msg)) {
                long w0 = System.nanoTime();
                while (!toEncoder.offer(msg, 100, TimeUnit.MILLISECONDS)) {
                    checkCancelled();
                }
                readerWaitNs += System.nanoTime() - w0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException();
        }
        checkCancelled();
    }

    /** A 64-bit content id: SHA-256 over kind, canonical attribute JSON and dropped count, truncated. */
    static long contentId(String kind, String json, int dropped) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(kind.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(json.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(Integer.toString(dropped).getBytes(StandardCharsets.UTF_8));
            byte[] d = md.digest();
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xFF);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ messages

    private record Finish(SourceFacts facts, List<Problem> problems, long rejected, long warnings, long spansRead,
            Instant finishedAt, Map<Long, String> repeatLocations) {
    }

    /** Takes the next message, giving up when the import is being aborted. */
    private Object take(BlockingQueue<Object> q) throws InterruptedException {
        while (true) {
            Object msg = q.poll(100, TimeUnit.MILLISECONDS);
            if (msg != null || aborting) {
                return aborting ? null : msg;
            }
        }
    }

    private boolean offer(BlockingQueue<Object> q, Object msg) throws InterruptedException {
        while (!q.offer(msg, 100, TimeUnit.MILLISECONDS)) {
            if (aborting) {
                return false;
            }
        }
        return true;
    }

    /** A thread of the pipeline: takes messages from a queue and counts the time it waited for them. */
    private abstract class Stage {
        /** Nanoseconds spent waiting for messages (diagnostics; the writer's may be counted on two DuckDB threads). */
        long idleNs;

        /** The next message of {@code q}; null when the import is being aborted. */
        Object next(BlockingQueue<Object> q) throws InterruptedException {
            Object msg = q.poll();
            if (msg == null) {
                long w0 = System.nanoTime();
                msg = take(q);
                idleNs += System.nanoTime() - w0;
            }
            return msg;
        }
    }

    // ------------------------------------------------------------------ encoder thread

    /** Normalises spans and encodes their attributes as JSON; passes everything else through in order. */
    private final class Encoder extends Stage implements Runnable {
        private final SpanNormalizer normalizer = options.newNormalizer();
        private final Utf8Buffer scratch = new Utf8Buffer(4096);
        private volatile long cpuNs;

        @Override
        public void run() {
            long cpu0 = cpuNow();
            try {
                runLoop();
            } finally {
                cpuNs = cpuNow() - cpu0;
            }
        }

        private void runLoop() {
            try {
                while (true) {
                    Object msg = next(toEncoder);
                    if (msg == null) {
                        return;
                    }
                    if (msg instanceof List<?> list) {
                        List<Object> out = new ArrayList<>(list.size());
                        for (Object o : list) {
                            out.add(o instanceof RawSpan r ? encode(r) : o);
                        }
                        msg = out;
                    }
                    if (stream != null && !offer(toAnalysis, msg)) {
                        return;
                    }
                    if (!offer(toWriter, msg) || msg instanceof Finish) {
                        return;
                    }
                }
            } catch (Throwable t) {
                fail(t);
            }
        }

        private StagedSpan encode(RawSpan r) {
            SpanData span = r.span();
            LlmFields llm = normalizer.normalize(span, r.service(), r.scope());
            byte[] attrs = AttributeJson.encodeUtf8(span.attributes(), scratch);
            if (scratch.duplicateKeys() > 0) {
                // counted here, reported with the file's other warnings by the writer
                repeatedKeys.add(span.source());
            }
            byte[][] eventAttrs = new byte[span.events().size()][];
            for (int i = 0; i < eventAttrs.length; i++) {
                eventAttrs[i] = AttributeJson.encodeUtf8(span.events().get(i).attributes(), scratch);
            }
            byte[][] linkAttrs = new byte[span.links().size()][];
            for (int i = 0; i < linkAttrs.length; i++) {
                linkAttrs[i] = AttributeJson.encodeUtf8(span.links().get(i).attributes(), scratch);
            }
            SpanDims dims = SpanDims.of(span.attributes(), span.kind() == dev.tracebench.core.model.SpanKind.SERVER
                    || span.parentSpanId() == null);
            return new StagedSpan(r.seq(), r.resourceId(), r.scopeId(), r.service(), span, attrs, llm, dims,
                    eventAttrs, linkAttrs);
        }
    }

    // ------------------------------------------------------------------ analysis thread

    /** Feeds the encoded spans to {@link #stream}, in file order, until the end of the file. */
    private final class Analyst extends Stage implements Runnable {
        private volatile long cpuNs;

        @Override
        public void run() {
            long cpu0 = cpuNow();
            try {
                while (true) {
                    Object msg = next(toAnalysis);
                    if (msg == null) {
                        return;
                    }
                    if (msg instanceof Finish) {
                        stream.finishInput();
                        return;
                    }
                    stream.accept((List<?>) msg);
                }
            } catch (Throwable t) {
                fail(t);
            } finally {
                cpuNs = cpuNow() - cpu0;
            }
        }
    }

    /** Where spans with a repeated attribute key are (found by the encoder, reported at the end). */
    private final List<String> repeatedKeys = java.util.Collections.synchronizedList(new ArrayList<>());

    // ------------------------------------------------------------------ writer thread

    private final class Writer extends Stage implements Runnable {
        private final DuckDBConnection c;
        private final IngestRows.RowSink sink;
        private final Instant startedAt = Instant.now();
        private int importId;
        private long added;
        private long duplicates;
        private long alreadyPresent;
        private Finish finished;
        private Finish endOfFile;
        private final List<Problem> repeatProblems = new ArrayList<>();
        private long appendNs;
        private long repeatsNs;
        private long rollupNs;
        private long reanalysed;
        private long commitNs;
        private volatile long cpuNs;

        Writer(DuckDBConnection c, IngestRows.RowSink sink) {
            this.c = c;
            this.sink = sink;
        }

        @Override
        public void run() {
            long cpu0 = cpuNow();
            try {
                runLoop();
            } finally {
                cpuNs = cpuNow() - cpu0;
            }
        }

        private void runLoop() {
            try {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT nextval('import_id_seq')")) {
                    // the first statement opens the transaction: everything below writes inside it
                    rs.next();
                    importId = rs.getInt(1);
                }
                long a0 = System.nanoTime();
                added = sink.write(c, importId, this::nextBatch);
                appendNs = System.nanoTime() - a0 - idleNs;
                if (endOfFile == null) {
                    throw new IllegalStateException("the rows ended before the end of the file");
                }
                finish(endOfFile);
            } catch (Throwable t) {
                if (!aborting) {
                    fail(t);
                }
                rollback();
            }
        }

        /** The next batch for the sink (called by the sink, possibly on a DuckDB thread); null at the end. */
        private List<?> nextBatch() {
            Object msg;
            try {
                msg = next(toWriter);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException();
            }
            if (msg == null) {
                throw new CancelledException();
            }
            if (msg instanceof Finish f) {
                endOfFile = f;
                return null;
            }
            return (List<?>) msg;
        }

        private void rollback() {
            try {
                c.rollback();
            } catch (SQLException e) {
                // the connection is closed right after; DuckDB discards the transaction with it
            }
        }

        /** Removes the span ids this file repeats or the workspace already held, with their events and links. */
        private void removeRepeats(Map<Long, String> locations) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(Query.IMPORT_REPEATS.sql())) {
                ps.setInt(1, importId);
                ps.setInt(2, importId);
                ps.execute();
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT kind, count(*) FROM import_repeats GROUP BY kind")) {
                while (rs.next()) {
                    if ("file".equals(rs.getString(1))) {
                        duplicates = rs.getLong(2);
                    } else {
                        alreadyPresent = rs.getLong(2);
                    }
                }
            }
            if (duplicates + alreadyPresent == 0) {
                return;
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT trace_id, span_id, span_seq FROM import_repeats WHERE kind = 'file' ORDER BY span_seq "
                            + "LIMIT 100")) {
                while (rs.next()) {
                    String trace = dev.tracebench.core.model.TraceId.of((java.util.UUID) rs.getObject(1)).hex();
                    String span = Ids.spanHex(rs.getLong(2));
                    String where = locations.getOrDefault(rs.getLong(3), "span #" + (rs.getLong(3) + 1)
                            + " of the file");
                    repeatProblems.add(new Problem(Problem.Severity.WARNING, where, "span id " + span + " of trace "
                            + trace + " appears again in this file; the first occurrence is kept"));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM spans WHERE import_id = ? AND span_seq IN "
                    + "(SELECT span_seq FROM import_repeats)")) {
                ps.setInt(1, importId);
                ps.execute();
            }
            for (String table : new String[] {"span_events", "span_links"}) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE import_id = ? AND "
                        + "span_seq IN (SELECT span_seq FROM import_repeats)")) {
                    ps.setInt(1, importId);
                    ps.execute();
                }
            }
            added -= duplicates + alreadyPresent;
        }

        /** Waits until the analysis thread has analysed every trace of the file. */
        private void awaitAnalysis() {
            try {
                while (analysisThread.isAlive()) {
                    analysisThread.join(100);
                    cancel.throwIfCancelled();
                    if (aborting) {
                        throw new CancelledException();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException();
            }
            if (failure != null) {
                throw new CancelledException();
            }
        }

        /**
         * Puts into {@code stg_import_traces} the traces the streaming analysis could not see whole: those an earlier
         * import has spans of, those with a span removed as a repeat, and those whose spans came too far apart.
         */
        private void listTracesToAnalyseAgain() throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE OR REPLACE TEMP TABLE stg_reopened (trace_id UUID)");
            }
            if (!stream.reopened().isEmpty()) {
                try (DuckDBAppender a = c.createAppender("temp", "main", "stg_reopened")) {
                    for (dev.tracebench.core.model.TraceId t : stream.reopened()) {
                        a.beginRow().appendUUID(t.hi(), t.lo()).endRow();
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("CREATE OR REPLACE TEMP TABLE stg_import_traces AS "
                    + "SELECT trace_id FROM import_repeats UNION SELECT trace_id FROM stg_reopened UNION "
                    + "SELECT trace_id FROM spans WHERE import_id = ? AND trace_id IN (SELECT trace_id FROM traces)")) {
                ps.setInt(1, importId);
                ps.execute();
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT count(*) FROM stg_import_traces")) {
                rs.next();
                reanalysed = rs.getLong(1);
            }
        }

        private void finish(Finish f) throws SQLException, IOException {
            long r0 = System.nanoTime();
            removeRepeats(f.repeatLocations);
            long r1 = System.nanoTime();
            repeatsNs = r1 - r0;
            TraceAnalysisStep.Progress analysing = (done, total) -> {
                cancel.throwIfCancelled();
                progress.progress(done, total, String.format("%,d spans; critical paths of %,d of %,d traces",
                        f.spansRead, done, total));
            };
            if (stream != null) {
                progress.progress(totalBytes, totalBytes, String.format("%,d spans; storing the analysis",
                        f.spansRead));
                awaitAnalysis();
            }
            if (stream == null || stream.gaveUp()) {
                // every trace of the file from the workspace: the Appender path, or a file whose traces were too
                // spread out to be analysed as they streamed
                try (PreparedStatement ps = c.prepareStatement("CREATE OR REPLACE TEMP TABLE stg_import_traces AS "
                        + "SELECT DISTINCT trace_id FROM spans WHERE import_id = ?")) {
                    ps.setInt(1, importId);
                    ps.execute();
                }
                cancel.throwIfCancelled();
                progress.progress(totalBytes, totalBytes, String.format("%,d spans; analysing the traces",
                        f.spansRead));
                reanalysed = TraceAnalysisStep.run(c, importId, useArrowForAnalysis, spillDir, spillPrefix,
                        analysing);
            } else {
                listTracesToAnalyseAgain();
                stream.load();
                cancel.throwIfCancelled();
                if (reanalysed > 0) {
                    TraceAnalysisStep.run(c, importId, true, true, spillDir, spillPrefix, analysing);
                }
            }
            cancel.throwIfCancelled();
            rollupNs = System.nanoTime() - r1;
            List<Problem> all = new ArrayList<>(f.problems);
            long keyWarnings = 0;
            synchronized (repeatedKeys) {
                keyWarnings = repeatedKeys.size();
                for (String where : repeatedKeys) {
                    if (all.size() < MAX_PROBLEMS) {
                        all.add(new Problem(Problem.Severity.WARNING, where,
                                "an attribute key is repeated; the first value is kept"));
                    }
                }
            }
            for (Problem p : repeatProblems) {
                if (all.size() < MAX_PROBLEMS) {
                    all.add(p);
                }
            }
            long warningsTotal = f.warnings + duplicates + keyWarnings;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setInt(1, importId);
                ps.setString(2, sourceName);
                ps.setString(3, f.facts.format());
                ps.setString(4, f.facts.sha256());
                ps.setLong(5, f.facts.bytes());
                ps.setLong(6, f.spansRead);
                ps.setLong(7, added);
                ps.setLong(8, duplicates);
                ps.setLong(9, alreadyPresent);
                ps.setLong(10, f.rejected);
                ps.setLong(11, warningsTotal);
                ps.setTimestamp(12, Timestamp.from(startedAt));
                ps.setLong(13, java.time.Duration.between(startedAt, f.finishedAt).toMillis());
                ps.execute();
            }
            try (DuckDBAppender a = c.createAppender("main", "import_problems")) {
                int i = 0;
                for (Problem p : all) {
                    a.beginRow().append(importId).append(i++).append(p.severity().label()).append(p.location())
                            .append(p.reason()).endRow();
                }
            }
            long c0 = System.nanoTime();
            c.commit();
            commitNs = System.nanoTime() - c0;
            finished = new Finish(f.facts, all, f.rejected, warningsTotal, f.spansRead, f.finishedAt, Map.of());
        }
    }

    // ------------------------------------------------------------------ duplicate detection

    /**
     * A Bloom filter of the (trace id, span id) pairs seen in this file. A hit means "maybe repeated": its location is
     * remembered so that the report can say where a repeat is; the decision itself is made in SQL at the end.
     */
    static final class Bloom {
        private final long[] bits;
        private final long mask;

        Bloom(long wantedBits) {
            long n = Long.highestOneBit(Math.max(64, wantedBits));
            bits = new long[(int) (n >>> 6)];
            mask = n - 1;
        }

        /** Adds the 128-bit key (a, b). */
        void add(long a, long b) {
            addAndCheck(a * 0x9E3779B97F4A7C15L ^ b, b * 0xC2B2AE3D27D4EB4FL ^ a);
        }

        /** Whether the 128-bit key (a, b) may have been added (false: certainly not). */
        boolean mightContain(long a, long b) {
            long h1 = a * 0x9E3779B97F4A7C15L ^ b;
            long h2 = b * 0xC2B2AE3D27D4EB4FL ^ a;
            long h = h1;
            for (int i = 0; i < 5; i++) {
                h = Long.rotateLeft(h * 0x9E3779B97F4A7C15L + h2, 31) ^ (h >>> 29);
                long bit = h & mask;
                if ((bits[(int) (bit >>> 6)] & (1L << (bit & 63))) == 0) {
                    return false;
                }
            }
            return true;
        }

        /** Adds the key; returns true if it was certainly new. */
        boolean addAndCheck(long h1, long h2) {
            boolean fresh = false;
            long h = h1;
            for (int i = 0; i < 5; i++) {
                h = Long.rotateLeft(h * 0x9E3779B97F4A7C15L + h2, 31) ^ (h >>> 29);
                long bit = h & mask;
                int word = (int) (bit >>> 6);
                long m = 1L << (bit & 63);
                if ((bits[word] & m) == 0) {
                    fresh = true;
                    bits[word] |= m;
                }
            }
            return fresh;
        }
    }
}
