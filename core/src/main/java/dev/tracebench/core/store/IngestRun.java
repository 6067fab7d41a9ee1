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
import dev.tracebench.core.analysis.SpanFacts;
import dev.tracebench.core.analysis.TraceAnalyzer;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.TraceId;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * One import of one source: the {@link IngestSession} an importer writes into, and the threads that turn what it
 * hands over into rows of the workspace.
 *
 * <p>Threads share the work so that both cores stay busy (measured on the 2-core machine: parsing, and normalising
 * plus encoding, each cost about as much as DuckDB's inserts): the importer's thread parses; an encoder thread
 * normalises spans and encodes attributes as JSON; the writer thread owns the import's dedicated connection and hands
 * the rows to DuckDB ({@link ArrowSink}, or {@link AppenderSink} for small files); with Arrow an analysis thread
 * computes the critical paths as the spans stream past ({@link StreamingTraceAnalysis}). Bounded queues between them
 * keep the heap flat for any file size.
 *
 * <p>The whole source is one transaction. Rows go straight into {@code spans}, {@code span_events} and
 * {@code span_links}: appending into an in-memory staging table and moving batches with {@code INSERT ... SELECT}
 * measured 1.8x slower with DuckDB 2.0 and ZSTD strings. At the end of the file, span ids repeated within the file or
 * already stored by an earlier import are removed ({@code import_repeats.sql}), the traces' rows in {@code traces} and
 * {@code trace_stages} are loaded or computed again ({@link TraceAnalysisStep}), the {@code imports} row is written
 * and the transaction commits. Any error or a cancel rolls it all back; a crash leaves it uncommitted.
 *
 * <p>Failures: anything thrown on any thread of the import (an {@link OutOfMemoryError} too) ends it. The thread
 * records the first failure and raises {@link #aborting}; every wait of every thread (queues, the memory budget, the
 * analysis) looks at it at least every 100 ms, so all of them stop, the writer rolls back, and the import is reported
 * as failed, saying why.
 *
 * <p>Memory: batches are handed over by count and by the text of their attributes ({@link #BATCH_TEXT}), and at most
 * {@link #IN_FLIGHT_KB} KB of attribute text is on its way between the importer and DuckDB, whatever the sizes of the
 * values. A span with large values is measured before it is encoded, refused past {@link #MAX_ATTRIBUTES_BYTES}, and
 * otherwise encoded into an array of exactly its size; its decoded values are let go as soon as they are encoded.
 */
final class IngestRun implements IngestSession {
    /** Spans handed from one thread to the next at a time. */
    static final int BATCH_SPANS = 1_024;
    /** Characters of attribute text after which a batch is handed over before it holds {@link #BATCH_SPANS} spans. */
    static final long BATCH_TEXT = 4L << 20;
    /**
     * Characters (in thousands) of attribute text that may be between the importer and DuckDB at a time: one batch
     * of generated LLM traffic holds about 1.5 MB, so this only holds back files of large values.
     */
    private static final int IN_FLIGHT_KB = 32 << 10;
    /** Attribute text from which a span's JSON is measured first and encoded at its exact size. */
    static final long LARGE_TEXT = 1L << 20;
    /**
     * The most bytes the attributes of one span (or of one of its events or links) may take as JSON; a span over it
     * is refused with a problem. Four values at the importers' limit of 16 MB a value fit.
     */
    static final long MAX_ATTRIBUTES_BYTES = 64L << 20;
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
    private final Tuning tuning;

    // importer-thread state
    private final Map<Long, String> serviceByResource = new HashMap<>();
    private final Map<Long, String> scopeNames = new HashMap<>();
    private final Set<Long> schemaUrlSent = new HashSet<>();
    private static final long SCOPE_SALT = 0x5C09E5C09E5C09EL;
    private List<Object> batch = new ArrayList<>(BATCH_SPANS);
    private int batchSpans;
    private long batchText;
    private long seq;
    private long spansRead;
    private long rejected;
    private long warnings;
    private final List<Problem> problems = new ArrayList<>();
    /** Eval runs and results of the source, held until the end of the file (stored with it by the writer). */
    private final List<dev.tracebench.core.eval.EvalRunData> evalRuns = new ArrayList<>();
    private final List<IngestRows.EvalRow> evalRows = new ArrayList<>();
    /** Results of each run so far (their {@code seq}), by the key {@link #evalRun} returned. */
    private int[] evalRunSizes = new int[4];
    private long lastProgressNanos;
    private long lastBytes;
    private final Bloom seen;
    /** span_seq of a possibly repeated span id (a Bloom filter hit) to where it is in the file. */
    private final Map<Long, String> repeatLocations = new HashMap<>();
    private long readerWaitNs;
    private long readerCpuNs;
    private final Path spillDir;
    private final String spillPrefix;
    private final IngestRows.RowSink sink;
    private final boolean streamAnalysis;
    private long lastResourceId;
    private String lastService;
    private long lastScopeId;
    private String lastScopeName;

    // hand-over between the threads
    private final BlockingQueue<Object> toEncoder = new ArrayBlockingQueue<>(QUEUE_BATCHES);
    private final BlockingQueue<Object> toWriter = new ArrayBlockingQueue<>(QUEUE_BATCHES);
    private final BlockingQueue<Object> toAnalysis = new ArrayBlockingQueue<>(QUEUE_BATCHES);
    /** Attribute text (thousands of characters) on its way to DuckDB: taken by the importer, given back by consumers. */
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT_KB);
    /** The critical-path analysis while the spans stream in (Arrow path), or null: analysed at the end. */
    private StreamingTraceAnalysis stream;
    private Thread analysisThread;
    /** Set when the import must stop: by the importer's thread when it fails or is cancelled, or by {@link #fail}. */
    private volatile boolean aborting;
    /** The first failure of a thread of the import. */
    private volatile Throwable failure;

    /** Spans the encoder refused (too large), with their problems; reported by the writer at the end of the file. */
    private final List<Problem> refusedSpans = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Parent cycles found by the analysis, by trace (a trace analysed again replaces or removes its entry). */
    private final Map<TraceId, List<TraceAnalyzer.Cycle>> cycles = new java.util.concurrent.ConcurrentHashMap<>();
    /** Traces with parent cycles remembered at most (each becomes a warning; the rest are not reported). */
    private static final int MAX_CYCLE_TRACES = MAX_PROBLEMS;

    /**
     * Package-private settings of one import beyond its {@link IngestOptions}: the limits of the streaming analysis
     * (tests lower them to force its rarer paths) and a probe called on every thread of the pipeline (tests make it
     * throw to check that a failure anywhere ends the import cleanly).
     */
    record Tuning(int maxOpenSpans, int maxReopened, Probe probe) {
        static final Tuning DEFAULT = new Tuning(StreamingTraceAnalysis.MAX_OPEN_SPANS,
                StreamingTraceAnalysis.MAX_REOPENED, Probe.NONE);

        Tuning withProbe(Probe p) {
            return new Tuning(maxOpenSpans, maxReopened, p);
        }
    }

    /** The threads (and parts of threads) of an import's pipeline, as {@link Probe} names them. */
    enum Part {
        /** The encoder thread, for each batch. */
        ENCODER,
        /** The streaming analysis thread, for each batch. */
        ANALYSIS,
        /** Whatever thread the sink asks for rows on, for each batch: DuckDB's Arrow scan thread, or the writer. */
        SCAN,
        /** The writer thread, at the end of the file (repeats, analysis, imports row, commit). */
        WRITER,
        /** The thread analysing the traces read back at the end of the file (Arrow path), for each batch. */
        END_ANALYSIS
    }

    /** Called at the points {@link Part} names. */
    @FunctionalInterface
    interface Probe {
        Probe NONE = part -> { };

        void at(Part part);
    }

    private IngestRun(Workspace workspace, String sourceName, long totalBytes, IngestOptions options,
            Tuning tuning, ProgressListener progress, CancellationToken cancel) {
        this.sourceName = sourceName;
        this.totalBytes = totalBytes;
        this.options = options;
        this.tuning = tuning;
        this.progress = progress;
        this.cancel = cancel;
        // about one span per 300 bytes of input; 10 bits a span gives few false hits (they only cost memory here)
        long expected = Math.max(1_000_000, totalBytes / 300);
        this.seen = new Bloom(Math.min(128L << 20, expected * 10));
        this.spillDir = workspace.path().getParent();
        this.spillPrefix = SpillFiles.prefix(workspace.path());
        this.sink = sinkFor(options.rowPath(), totalBytes, spillDir, spillPrefix);
        this.streamAnalysis = sink instanceof ArrowSink && options.analysis() == IngestOptions.Analysis.STREAMING;
    }

    /** Runs {@code body} as one import into {@code workspace}; never throws: the report says what happened. */
    static ImportReport run(Workspace workspace, String sourceName, long totalBytes, IngestBody body,
            IngestOptions options, ProgressListener progress, CancellationToken cancel) {
        return run(workspace, sourceName, totalBytes, body, options, Tuning.DEFAULT, progress, cancel);
    }

    /** {@link #run} with package-private {@link Tuning}. */
    static ImportReport run(Workspace workspace, String sourceName, long totalBytes, IngestBody body,
            IngestOptions options, Tuning tuning, ProgressListener progress, CancellationToken cancel) {
        long t0 = System.nanoTime();
        try {
            IngestRun run = new IngestRun(workspace, sourceName, totalBytes, options, tuning, progress, cancel);
            return workspace.withIngestConnection(c -> run.execute(c, body, t0));
        } catch (WorkspaceException e) {
            return ImportReport.notImported(sourceName, ImportReport.Status.FAILED, e.getMessage(), millisSince(t0));
        } catch (Throwable e) {
            // not from a thread of the pipeline (those are caught where they run): setting up or closing
            return ImportReport.notImported(sourceName, ImportReport.Status.FAILED, "the import failed: "
                    + describe(e) + "; nothing from this file was stored", millisSince(t0));
        }
    }

    /**
     * Files smaller than this go through the row Appender: each Arrow statement costs a few milliseconds to set up
     * (measured: a one-span import took 17 ms to store through Arrow, 4 ms through the Appender), which only pays off
     * from some thousands of spans.
     */
    static final long SMALL_FILE_BYTES = 2L << 20;

    /**
     * How rows get into DuckDB: Arrow batches where Arrow works and the file is not small (size unknown counts as
     * large) or {@link IngestOptions.RowPath#ARROW} says so, else the row Appender.
     */
    private static IngestRows.RowSink sinkFor(IngestOptions.RowPath path, long totalBytes, Path spillDir,
            String spillPrefix) {
        boolean small = totalBytes >= 0 && totalBytes < SMALL_FILE_BYTES;
        boolean arrow = switch (path) {
            case AUTO -> !small;
            case ARROW -> true;
            case APPENDER -> false;
        };
        return arrow && ArrowSink.available() ? new ArrowSink(spillDir, spillPrefix) : new AppenderSink();
    }

    /** Which way rows get into DuckDB here, for benchmarks and diagnostics. */
    static String ingestPath() {
        return ArrowSink.available() ? "Arrow batches" : "row Appender (Arrow unavailable: "
                + ArrowSink.unavailableReason() + ")";
    }

    private ImportReport execute(Connection c, IngestBody body, long t0) throws SQLException {
        if (!streamAnalysis) {
            return executeThreads(c, body, t0);
        }
        try (StreamingTraceAnalysis s = new StreamingTraceAnalysis((DuckDBConnection) c,
                totalBytes < 0 ? 1_000_000 : totalBytes / 300, spillDir, spillPrefix, tuning.maxOpenSpans(),
                tuning.maxReopened(), this::cyclesFound)) {
            stream = s;
            return executeThreads(c, body, t0);
        } catch (java.io.IOException e) {
            // closing the spill files failed after the import ended; what was reported stands
            throw new SQLException("could not remove the analysis spill files: " + e.getMessage(), e);
        }
    }

    private ImportReport executeThreads(Connection c, IngestBody body, long t0) {
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
                    Map.copyOf(repeatLocations), List.copyOf(evalRuns), evalRows));
        } catch (Throwable e) {
            // whatever stopped the importer (an error of its own, a cancel, or the failure of another thread that
            // checkCancelled passed on): stop the other threads, which roll back, and say why
            abort(encoderThread, writerThread, analysisThread);
            return notStored(e, t0);
        }
        join(encoderThread);
        join(writerThread);
        if (analysisThread != null) {
            join(analysisThread);
        }
        if (failure != null || writer.finished == null) {
            return notStored(null, t0);
        }
        Finish f = writer.finished;
        Map<String, Long> timings = new LinkedHashMap<>();
        timings.put("reader waiting", readerWaitNs / 1_000_000);
        timings.put("encoder waiting", encoder.idleNs / 1_000_000);
        timings.put("writer waiting", writer.idleNs / 1_000_000);
        timings.put("appending", writer.appendNs / 1_000_000);
        timings.put("repeats", writer.repeatsNs / 1_000_000);
        timings.put("analysis", writer.analysisNs / 1_000_000);
        timings.put("eval results", writer.evalNs / 1_000_000);
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
                f.rejected, f.warnings, f.problems, millisSince(t0), "", timings, writer.evals.results(),
                writer.evals.runs(), writer.evals.linked());
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

    /**
     * The report of an import that stored nothing: {@code importer} is what the importer's thread threw (null if it
     * finished); a failure of another thread comes first, as the importer's exception is then only its echo.
     */
    private ImportReport notStored(Throwable importer, long t0) {
        Throwable cause = failure != null ? failure : importer;
        String message;
        ImportReport.Status status = ImportReport.Status.FAILED;
        if (cause == null || cause instanceof CancelledException) {
            if (cancel.isCancelled()) {
                status = ImportReport.Status.CANCELLED;
                message = "cancelled by the user";
            } else {
                message = "the import stopped: a thread of it ended unexpectedly";
            }
        } else if (cause == importer && importer instanceof UnusableInputException) {
            return ImportReport.notImported(sourceName, ImportReport.Status.UNUSABLE, importer.getMessage(),
                    millisSince(t0));
        } else if (cause == importer) {
            message = "could not read the file: " + describe(cause);
        } else {
            message = "storing failed: " + describe(cause);
        }
        return ImportReport.notImported(sourceName, status, message + "; nothing from this file was stored",
                millisSince(t0));
    }

    /** What went wrong, for a person: the message, the kind of error where it says more, and what to do for memory. */
    static String describe(Throwable e) {
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof VirtualMachineError) {
                return describe(c); // running out of memory on a reader's worker thread, passed on wrapped
            }
        }
        String m = e.getMessage();
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + (m == null ? "Java heap space" : m) + "; this JVM may use at most "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MB of heap). Give it more, e.g. "
                    + "TRACEBENCH_JVM_OPTS=-Xmx4g, or split the file";
        }
        if (e instanceof StackOverflowError) {
            return "a value is nested too deeply to read (stack overflow)";
        }
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return e instanceof Error ? e.getClass().getSimpleName() + ": " + m : m;
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /**
     * Stops the other threads (each notices {@link #aborting} within 100 ms wherever it waits) and waits for them; the
     * writer rolls the transaction back.
     */
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

    /** Waits for a thread of this import; they all end once the file is done or {@link #aborting} is set. */
    private static void join(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                // the threads must end before the connection is closed: wait on, and pass the interrupt on after
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records the first failure of a thread and stops the import. Allocates nothing: safe when memory ran out. */
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
        long text = textLength(span);
        batch.add(new RawSpan(s, resourceId, scopeId, service, lastScopeName, span, text));
        batchText += text;
        if (++batchSpans >= BATCH_SPANS || batchText >= BATCH_TEXT) {
            flushBatch();
        }
    }

    /** Characters of attribute text of a span, its events and links ({@link AttributeJson#textLength}). */
    private static long textLength(SpanData span) {
        long n = AttributeJson.textLength(span.attributes());
        for (int i = 0, size = span.events().size(); i < size; i++) {
            n += AttributeJson.textLength(span.events().get(i).attributes());
        }
        for (int i = 0, size = span.links().size(); i < size; i++) {
            n += AttributeJson.textLength(span.links().get(i).attributes());
        }
        return n;
    }

    @Override
    public int evalRun(dev.tracebench.core.eval.EvalRunData run) {
        evalRuns.add(java.util.Objects.requireNonNull(run, "run"));
        if (evalRuns.size() > evalRunSizes.length) {
            evalRunSizes = java.util.Arrays.copyOf(evalRunSizes, evalRunSizes.length * 2);
        }
        return evalRuns.size() - 1;
    }

    /**
     * Keeps the result with the ids it names parsed. A malformed trace or span id is a warning naming where the
     * result is; the result is kept without that link.
     */
    @Override
    public void evalResult(int run, dev.tracebench.core.eval.EvalResultData result) {
        if (run < 0 || run >= evalRuns.size()) {
            throw new IllegalArgumentException("eval result for run " + run + ", which evalRun did not return");
        }
        String where = result.location() != null ? result.location() : "eval result " + (evalRows.size() + 1);
        TraceId trace = null;
        if (result.traceId() != null && !result.traceId().isBlank()) {
            trace = EvalIngest.parseTraceId(result.traceId());
            if (trace == null) {
                warn(where, "trace id " + quoted(result.traceId()) + " is not 32 or 16 hex digits; the result is "
                        + "kept, not linked by it");
            }
        }
        Long span = null;
        if (result.spanId() != null && !result.spanId().isBlank()) {
            span = EvalIngest.parseSpanId(result.spanId());
            if (span == null) {
                warn(where, "span id " + quoted(result.spanId()) + " is not 16 hex digits; the result is kept, not "
                        + "linked by it");
            }
        }
        if (result.timestamp() != null && !EvalIngest.storable(result.timestamp())) {
            warn(where, "the time " + result.timestamp() + " is out of range; the result is kept without it");
            result = withoutTimestamp(result);
        }
        evalRows.add(new IngestRows.EvalRow(run, evalRunSizes[run]++, trace, span, result));
        if ((evalRows.size() & 4095) == 0) {
            checkCancelled();
            progress.progress(lastBytes, totalBytes, String.format("%,d eval results", evalRows.size()));
        }
    }

    private static dev.tracebench.core.eval.EvalResultData withoutTimestamp(dev.tracebench.core.eval.EvalResultData d) {
        return new dev.tracebench.core.eval.EvalResultData(d.location(), d.traceId(), d.spanId(), d.responseId(),
                d.exampleId(), d.evaluator(), d.score(), d.label(), d.passed(), d.threshold(), d.explanation(),
                d.judgeModel(), d.judgeCost(), d.judgeInputTokens(), d.judgeOutputTokens(), d.input(), d.output(),
                d.expected(), d.contexts(), null, d.metadataJson());
    }

    /** An id as the source wrote it, masked and shortened for a message. */
    private static String quoted(String id) {
        String t = dev.tracebench.core.report.Secrets.maskText(id);
        return "\"" + (t.length() > 60 ? t.substring(0, 60) + "…" : t) + "\"";
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
        if (aborting) {
            throw new CancelledException();
        }
    }

    private void flushBatch() {
        if (batch.isEmpty()) {
            return;
        }
        Batch full = new Batch(batch, (int) Math.min(IN_FLIGHT_KB, batchText >> 10), 1);
        batch = new ArrayList<>(BATCH_SPANS);
        batchSpans = 0;
        batchText = 0;
        try {
            // room in the memory budget first (a batch larger than the whole budget waits until it is all free)
            if (!inFlight.tryAcquire(full.permits)) {
                long w0 = System.nanoTime();
                while (!inFlight.tryAcquire(full.permits, 100, TimeUnit.MILLISECONDS)) {
                    checkCancelled();
                }
                readerWaitNs += System.nanoTime() - w0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException();
        }
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
            Instant finishedAt, Map<Long, String> repeatLocations, List<dev.tracebench.core.eval.EvalRunData> evalRuns,
            List<IngestRows.EvalRow> evalRows) {
    }

    /**
     * Rows handed from one thread to the next (spans, resources and scopes in file order), holding {@code permits} of
     * the memory budget until each of its {@code holders} (the writer, and the streaming analysis if any) is done.
     */
    private final class Batch {
        final List<Object> rows;
        final int permits;
        private final java.util.concurrent.atomic.AtomicInteger holders;

        Batch(List<Object> rows, int permits, int holders) {
            this.rows = rows;
            this.permits = permits;
            this.holders = new java.util.concurrent.atomic.AtomicInteger(holders);
        }

        /** Done with the rows: the last holder gives their memory back to the budget. */
        void release() {
            if (holders.decrementAndGet() == 0) {
                inFlight.release(permits);
            }
        }
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
        private final Utf8Buffer counter = Utf8Buffer.counting();
        /** Repeated keys dropped by the last {@link #json}. */
        private int duplicates;
        private volatile long cpuNs;

        @Override
        public void run() {
            long cpu0 = cpuNow();
            boolean ended = false;
            try {
                runLoop();
                ended = true;
            } catch (Throwable t) {
                fail(t);
            } finally {
                if (!ended) {
                    aborting = true; // even if recording the failure failed
                }
                cpuNs = cpuNow() - cpu0;
            }
        }

        private void runLoop() throws InterruptedException {
            while (true) {
                Object msg = next(toEncoder);
                if (msg == null) {
                    return;
                }
                if (msg instanceof Batch b) {
                    tuning.probe().at(Part.ENCODER);
                    msg = encode(b);
                }
                if (stream != null && !offer(toAnalysis, msg)) {
                    return;
                }
                if (!offer(toWriter, msg) || msg instanceof Finish) {
                    return;
                }
            }
        }

        private Batch encode(Batch raw) {
            List<Object> out = new ArrayList<>(raw.rows.size());
            for (Object o : raw.rows) {
                if (o instanceof RawSpan r) {
                    StagedSpan st = encode(r);
                    if (st != null) {
                        out.add(st);
                    }
                } else {
                    out.add(o);
                }
            }
            return new Batch(out, raw.permits, stream != null ? 2 : 1);
        }

        /** The span ready to store, or null if it was refused (too large). */
        private StagedSpan encode(RawSpan r) {
            SpanData span = r.span();
            LlmFields llm = normalizer.normalize(span, r.service(), r.scope());
            boolean large = r.text() >= LARGE_TEXT;
            byte[] attrs;
            byte[][] eventAttrs = new byte[span.events().size()][];
            byte[][] linkAttrs = new byte[span.links().size()][];
            try {
                attrs = json(span.attributes(), large, "its attributes");
                if (duplicates > 0) {
                    // counted here, reported with the file's other warnings by the writer
                    repeatedKeys.add(span.source());
                }
                for (int i = 0; i < eventAttrs.length; i++) {
                    SpanEventData e = span.events().get(i);
                    eventAttrs[i] = json(e.attributes(), large, large ? "the attributes of its event " + i + " ("
                            + e.name() + ")" : null);
                }
                for (int i = 0; i < linkAttrs.length; i++) {
                    linkAttrs[i] = json(span.links().get(i).attributes(), large, large ? "the attributes of its link "
                            + i : null);
                }
            } catch (TooLarge e) {
                refusedSpans.add(new Problem(Problem.Severity.REJECTED, span.source() == null
                        ? "span #" + (r.seq() + 1) + " of the file" : span.source(), "span " + Ids.spanHex(span.spanId())
                        + " (" + span.name() + ") of trace " + span.traceId().hex() + ": " + e.getMessage()
                        + "; the span was not stored"));
                return null;
            }
            SpanDims dims = SpanDims.of(span.attributes(), span.kind() == dev.tracebench.core.model.SpanKind.SERVER
                    || span.parentSpanId() == null);
            // a large span's decoded values are not needed any more (the JSON has them): let them go now
            return new StagedSpan(r.seq(), r.resourceId(), r.scopeId(), r.service(),
                    large ? IngestRows.withoutAttributes(span) : span, attrs, llm, dims, eventAttrs, linkAttrs);
        }

        /**
         * The attributes as UTF-8 JSON. Small ones through the reused scratch buffer; {@code large} ones (a span with
         * at least {@link #LARGE_TEXT} characters of text) are measured first, without holding them, refused past
         * {@link #MAX_ATTRIBUTES_BYTES} ({@code whose} says what they belong to), and written straight into an array of
         * their size.
         */
        private byte[] json(List<Attribute> attributes, boolean large, String whose) {
            if (!large) {
                byte[] b = AttributeJson.encodeUtf8(attributes, scratch);
                duplicates = scratch.duplicateKeys();
                return b;
            }
            AttributeJson.encodeUtf8Into(attributes, counter);
            long size = counter.total();
            if (size > MAX_ATTRIBUTES_BYTES) {
                throw new TooLarge(whose, size, attributes);
            }
            Utf8Buffer exact = Utf8Buffer.exactly((int) size);
            AttributeJson.encodeUtf8Into(attributes, exact);
            duplicates = exact.duplicateKeys();
            return exact.takeExact();
        }
    }

    /** A span's attributes too large to store, with what to tell the user. */
    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge(String whose, long bytes, List<Attribute> attributes) {
            super(whose + " take " + megabytes(bytes) + " as JSON, more than the " + megabytes(MAX_ATTRIBUTES_BYTES)
                    + " one span may hold" + largest(attributes), null, false, false);
        }

        private static String largest(List<Attribute> attributes) {
            Attribute top = null;
            long topLength = -1;
            for (Attribute a : attributes) {
                long n = AttributeJson.textLength(List.of(a));
                if (n > topLength) {
                    top = a;
                    topLength = n;
                }
            }
            return top == null ? "" : " (the largest value, " + top.key() + ": " + megabytes(topLength)
                    + " of text)";
        }

        private static String megabytes(long n) {
            return String.format(java.util.Locale.ROOT, "%.1f MB", n / 1048576.0);
        }
    }

    // ------------------------------------------------------------------ analysis thread

    /** Feeds the encoded spans to {@link #stream}, in file order, until the end of the file. */
    private final class Analyst extends Stage implements Runnable {
        private volatile long cpuNs;

        @Override
        public void run() {
            long cpu0 = cpuNow();
            boolean ended = false;
            try {
                while (true) {
                    Object msg = next(toAnalysis);
                    if (msg == null) {
                        ended = true;
                        return;
                    }
                    if (msg instanceof Finish) {
                        stream.finishInput();
                        ended = true;
                        return;
                    }
                    tuning.probe().at(Part.ANALYSIS);
                    Batch b = (Batch) msg;
                    stream.accept(b.rows);
                    b.release();
                }
            } catch (Throwable t) {
                fail(t);
            } finally {
                if (!ended) {
                    aborting = true;
                }
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
        private volatile Finish finished;
        private Finish endOfFile;
        /** The batch the sink is filling from. */
        private Batch held;
        private final List<Problem> repeatProblems = new ArrayList<>();
        private long appendNs;
        private long repeatsNs;
        private long analysisNs;
        private long reanalysed;
        private long commitNs;
        private long evalNs;
        private EvalIngest.Stored evals = EvalIngest.Stored.NONE;
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
                if (finished == null) {
                    aborting = true; // even if recording the failure failed
                }
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

        /**
         * The next batch for the sink (called by the sink, possibly on a DuckDB thread); null at the end. The sink is
         * done with the batch it had before.
         */
        private List<?> nextBatch() {
            if (held != null) {
                held.release();
                held = null;
            }
            tuning.probe().at(Part.SCAN);
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
            held = (Batch) msg;
            return held.rows;
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

        /**
         * A warning for each parent cycle the analysis found that holds a span of this file: cycles among the spans
         * of earlier imports were reported by those (a file imported again brings none).
         */
        private List<Problem> cycleWarnings() throws SQLException {
            if (cycles.isEmpty()) {
                return List.of();
            }
            List<TraceId> traces = new ArrayList<>(cycles.keySet());
            java.util.Collections.sort(traces);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE OR REPLACE TEMP TABLE stg_cycle_spans (trace_id UUID, cycle INTEGER, span_id BIGINT)");
            }
            try (DuckDBAppender a = c.createAppender("temp", "main", "stg_cycle_spans")) {
                for (TraceId t : traces) {
                    List<TraceAnalyzer.Cycle> found = cycles.get(t);
                    for (int k = 0; k < found.size(); k++) {
                        for (SpanFacts span : found.get(k).spans()) {
                            a.beginRow().appendUUID(t.hi(), t.lo()).append(k).append(span.spanId()).endRow();
                        }
                    }
                }
            }
            Set<String> ours = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT trace_id, cycle FROM stg_cycle_spans "
                    + "JOIN spans USING (trace_id, span_id) WHERE spans.import_id = ?")) {
                ps.setInt(1, importId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ours.add(TraceId.of((java.util.UUID) rs.getObject(1)).hex() + "/" + rs.getInt(2));
                    }
                }
            }
            List<Problem> out = new ArrayList<>();
            for (TraceId t : traces) {
                List<TraceAnalyzer.Cycle> found = cycles.get(t);
                for (int k = 0; k < found.size(); k++) {
                    if (ours.contains(t.hex() + "/" + k)) {
                        out.add(new Problem(Problem.Severity.WARNING, "trace " + t.hex(), describe(found.get(k))));
                    }
                }
            }
            return out;
        }

        /** Waits until the analysis thread has analysed every trace of the file. */
        private void awaitAnalysis() {
            try {
                while (analysisThread.isAlive()) {
                    analysisThread.join(100);
                    checkCancelled();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException();
            }
            checkCancelled();
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
            tuning.probe().at(Part.WRITER);
            long r0 = System.nanoTime();
            removeRepeats(f.repeatLocations);
            long r1 = System.nanoTime();
            repeatsNs = r1 - r0;
            TraceAnalysisStep.Progress analysing = (done, total) -> {
                checkCancelled();
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
                checkCancelled();
                progress.progress(totalBytes, totalBytes, String.format("%,d spans; analysing the traces",
                        f.spansRead));
                reanalysed = TraceAnalysisStep.run(c, importId, false, sink instanceof ArrowSink, spillDir,
                        spillPrefix, analysing, tuning.probe(), IngestRun.this::cyclesFound);
            } else {
                listTracesToAnalyseAgain();
                stream.load();
                checkCancelled();
                if (reanalysed > 0) {
                    TraceAnalysisStep.run(c, importId, true, true, spillDir, spillPrefix, analysing, tuning.probe(),
                            IngestRun.this::cyclesFound);
                }
            }
            checkCancelled();
            analysisNs = System.nanoTime() - r1;
            List<Problem> all = new ArrayList<>(f.problems);
            long refused;
            synchronized (refusedSpans) {
                refused = refusedSpans.size();
                for (Problem p : refusedSpans) {
                    if (all.size() < MAX_PROBLEMS) {
                        all.add(p);
                    }
                }
            }
            List<Problem> cycleWarnings = cycleWarnings();
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
            for (Problem p : cycleWarnings) {
                if (all.size() < MAX_PROBLEMS) {
                    all.add(p);
                }
            }
            long e0 = System.nanoTime();
            evals = EvalIngest.store(c, importId, f.evalRuns, f.evalRows, sink instanceof ArrowSink);
            if (added > 0 && f.evalRows.isEmpty()) {
                // results stored earlier that name a span, response or example of this file's traces (a file with
                // results of its own had every result linked against every span by the store above)
                EvalIngest.link(c, importId);
            }
            evalNs = System.nanoTime() - e0;
            checkCancelled();
            long warningsTotal = f.warnings + duplicates + keyWarnings + cycleWarnings.size();
            long rejectedTotal = f.rejected + refused;
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
                ps.setLong(10, rejectedTotal);
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
            finished = new Finish(f.facts, all, rejectedTotal, warningsTotal, f.spansRead, f.finishedAt, Map.of(),
                    List.of(), List.of());
        }
    }

    // ------------------------------------------------------------------ parent cycles

    /** From the analysis (on whichever thread analyses): the parent cycles of a trace it analysed, usually none. */
    private void cyclesFound(long hi, long lo, List<TraceAnalyzer.Cycle> found) {
        if (found.isEmpty() && cycles.isEmpty()) {
            return;
        }
        TraceId id = new TraceId(hi, lo);
        if (found.isEmpty()) {
            cycles.remove(id); // analysed again without the span that closed the loop (a removed repeat)
        } else if (cycles.size() < MAX_CYCLE_TRACES || cycles.containsKey(id)) {
            cycles.put(id, found);
        }
    }

    /** "parent cycle: span 00..01 (a) → parent 00..02 (b) → parent 00..01 (a); ..." */
    static String describe(TraceAnalyzer.Cycle cycle) {
        List<SpanFacts> spans = cycle.spans();
        String first = label(spans.get(0));
        if (spans.size() == 1) {
            return "span " + first + " is its own parent; the trace is analysed as if it had no parent";
        }
        StringBuilder sb = new StringBuilder("parent cycle: span ").append(first);
        int shown = Math.min(spans.size(), 8);
        for (int i = 1; i < shown; i++) {
            sb.append(" → parent ").append(label(spans.get(i)));
        }
        if (shown < spans.size()) {
            sb.append(" → … (").append(spans.size()).append(" spans in all)");
        }
        return sb.append(" → parent ").append(first).append("; the trace is analysed as if span ")
                .append(Ids.spanHex(spans.get(0).spanId())).append(" had no parent").toString();
    }

    private static String label(SpanFacts span) {
        return Ids.spanHex(span.spanId()) + " (" + span.name() + ")";
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
