package dev.tracebench.core.store;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.IngestBody;
import dev.tracebench.core.ingest.IngestOptions;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.ingest.UnusableInputException;
import dev.tracebench.core.json.AttributeJson;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanLinkData;
import dev.tracebench.core.normalize.LlmFields;
import dev.tracebench.core.normalize.SpanNormalizer;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.CancelledException;
import dev.tracebench.core.task.ProgressListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * One import of one source: the {@link IngestSession} an importer writes into, and the writer thread that stages and
 * stores what it hands over.
 *
 * <p>Two threads share the work, as in the measured pipeline (ingest-measurements.md 6b/6c): the importer's thread
 * parses, encodes attributes and normalises; the writer thread owns the import's dedicated connection, appends rows
 * into TEMP staging tables and moves them into the workspace every {@link #STAGE_ROWS} spans. A bounded queue
 * between them keeps memory flat for any file size. The whole source is one transaction: committed after the
 * rollups and the {@code imports} row are written, rolled back on any error or cancel.
 */
final class IngestRun implements IngestSession {
    /** Spans handed to the writer at a time. */
    private static final int BATCH_SPANS = 2_048;
    /** Batches that may wait for the writer: bounds the heap used by an import (~16k spans in flight). */
    private static final int QUEUE_BATCHES = 8;
    /** Staged spans moved into the workspace at a time; large moves amortise the anti-join and INSERT overhead. */
    static final int STAGE_ROWS = 100_000;
    /** The stage size in use (tests lower it to exercise several moves per file). */
    static volatile int stageRows = STAGE_ROWS;
    /** Problems kept with full detail per import (all are counted). */
    static final int MAX_PROBLEMS = 1_000;

    private final Workspace workspace;
    private final String sourceName;
    private final long totalBytes;
    private final ProgressListener progress;
    private final CancellationToken cancel;
    private final SpanNormalizer normalizer;
    private final Map<Long, String> scopeNames = new HashMap<>();

    // importer-thread state
    private final Map<Long, String> serviceByResource = new HashMap<>();
    private final Map<Long, Boolean> knownScopes = new HashMap<>();
    /** Ids (scopes xor {@link #SCOPE_SALT}) whose schema URL was already handed to the writer. */
    private final java.util.Set<Long> schemaUrlSent = new java.util.HashSet<>();
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

    // hand-over to the writer thread
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
    private volatile Throwable writerFailure;

    private IngestRun(Workspace workspace, String sourceName, long totalBytes, IngestOptions options,
            ProgressListener progress, CancellationToken cancel) {
        this.workspace = workspace;
        this.normalizer = options.newNormalizer();
        this.sourceName = sourceName;
        this.totalBytes = totalBytes;
        this.progress = progress;
        this.cancel = cancel;
    }

    /** Runs {@code body} as one import into {@code workspace}; never throws for bad input or cancellation. */
    static ImportReport run(Workspace workspace, String sourceName, long totalBytes, IngestBody body,
            IngestOptions options, ProgressListener progress, CancellationToken cancel) {
        long t0 = System.nanoTime();
        IngestRun run = new IngestRun(workspace, sourceName, totalBytes, options, progress, cancel);
        try {
            return workspace.withIngestConnection(c -> run.execute(c, body, t0));
        } catch (WorkspaceException e) {
            return ImportReport.notImported(sourceName, ImportReport.Status.FAILED, e.getMessage(), millisSince(t0));
        }
    }

    private ImportReport execute(Connection c, IngestBody body, long t0) throws SQLException {
        Writer writer = new Writer((DuckDBConnection) c);
        Thread thread = new Thread(writer, "tracebench-ingest-writer");
        thread.setDaemon(true);
        thread.start();
        SourceFacts facts;
        try {
            facts = body.run(this);
            flushBatch();
            put(new Finish(facts, List.copyOf(problems), rejected, warnings, spansRead, Instant.now()));
        } catch (CancelledException e) {
            abort(thread);
            return ImportReport.notImported(sourceName, ImportReport.Status.CANCELLED,
                    "cancelled by the user; nothing from this file was stored", millisSince(t0));
        } catch (UnusableInputException e) {
            abort(thread);
            return ImportReport.notImported(sourceName, ImportReport.Status.UNUSABLE, e.getMessage(), millisSince(t0));
        } catch (WriterFailed e) {
            abort(thread);
            return failed(e.getCause(), t0);
        } catch (IOException | RuntimeException e) {
            abort(thread);
            return ImportReport.notImported(sourceName, ImportReport.Status.FAILED,
                    "could not read the file: " + messageOf(e) + "; nothing from this file was stored",
                    millisSince(t0));
        }
        join(thread);
        if (writerFailure != null) {
            return failed(writerFailure, t0);
        }
        Finish f = writer.finished;
        return new ImportReport(sourceName, ImportReport.Status.IMPORTED, f.facts.format(), writer.importId,
                f.facts.sha256(), f.facts.bytes(), f.spansRead, writer.added, writer.duplicates, writer.alreadyPresent,
                f.rejected, f.warnings, f.problems, millisSince(t0), "");
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

    private void abort(Thread thread) {
        queue.clear();
        try {
            // the writer may be blocked on a full queue no longer: clear() made room
            queue.put(Abort.INSTANCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        join(thread);
    }

    private void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException();
        }
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
            enqueue(new ResourceRow(id, service, json, resource.schemaUrl(), resource.droppedAttributesCount()));
        } else if (resource.schemaUrl() != null && schemaUrlSent.add(id)) {
            // the schema URL of a ResourceSpans usually comes after its spans: record it once it is known
            enqueue(new ResourceRow(id, known, json, resource.schemaUrl(), resource.droppedAttributesCount()));
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
        boolean isNew = knownScopes.putIfAbsent(id, Boolean.TRUE) == null;
        scopeNames.putIfAbsent(id, scope.name());
        boolean newUrl = scope.schemaUrl() != null && schemaUrlSent.add(id ^ SCOPE_SALT);
        if (isNew || newUrl) {
            enqueue(new ScopeRow(id, scope.name(), scope.version(), json, scope.schemaUrl(),
                    scope.droppedAttributesCount()));
        }
        return id;
    }

    @Override
    public void span(long resourceId, long scopeId, SpanData span) {
        String service = serviceByResource.get(resourceId);
        if (service == null) {
            throw new IllegalArgumentException("span refers to an unregistered resource id " + resourceId);
        }
        if (AttributeJson.duplicateKeys(span.attributes()) > 0) {
            warn(span.source(), "an attribute key is repeated on span " + span.name() + "; the first value is kept");
        }
        LlmFields llm = normalizer.normalize(span, service, scopeNames.get(scopeId));
        String attrs = AttributeJson.encode(span.attributes());
        List<String> eventAttrs = new ArrayList<>(span.events().size());
        for (SpanEventData e : span.events()) {
            eventAttrs.add(AttributeJson.encode(e.attributes()));
        }
        List<String> linkAttrs = new ArrayList<>(span.links().size());
        for (SpanLinkData l : span.links()) {
            linkAttrs.add(AttributeJson.encode(l.attributes()));
        }
        spansRead++;
        batch.add(new StagedSpan(seq++, resourceId, scopeId, service, span, attrs, llm, eventAttrs, linkAttrs));
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
        if (writerFailure != null) {
            throw new WriterFailed(writerFailure);
        }
    }

    private void enqueue(Object row) {
        batch.add(row);
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
            while (!queue.offer(msg, 100, TimeUnit.MILLISECONDS)) {
                checkCancelled();
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

    private record StagedSpan(long seq, long resourceId, long scopeId, String service, SpanData span, String attrs,
            LlmFields llm, List<String> eventAttrs, List<String> linkAttrs) {
    }

    private record ResourceRow(long id, String service, String json, String schemaUrl, int dropped) {
    }

    private record ScopeRow(long id, String name, String version, String json, String schemaUrl, int dropped) {
    }

    private record Finish(SourceFacts facts, List<Problem> problems, long rejected, long warnings, long spansRead,
            Instant finishedAt) {
    }

    private enum Abort {
        INSTANCE
    }

    /** Thrown on the importer thread when the writer thread has failed. */
    private static final class WriterFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WriterFailed(Throwable cause) {
            super(cause);
        }
    }

    // ------------------------------------------------------------------ writer thread

    private final class Writer implements Runnable {
        private final DuckDBConnection c;
        private final Instant startedAt = Instant.now();
        private int importId;
        private long staged;
        private long added;
        private long duplicates;
        private long alreadyPresent;
        private Finish finished;
        private DuckDBAppender spans;
        private DuckDBAppender events;
        private DuckDBAppender links;
        private final List<Problem> repeatProblems = new ArrayList<>();

        Writer(DuckDBConnection c) {
            this.c = c;
        }

        @Override
        public void run() {
            try {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    // the first statement opens the transaction, so the appenders below write inside it
                    try (ResultSet rs = s.executeQuery("SELECT nextval('import_id_seq')")) {
                        rs.next();
                        importId = rs.getInt(1);
                    }
                    s.execute(Query.STAGE_TABLES.sql());
                }
                spans = c.createAppender("temp", "main", "stg_spans");
                events = c.createAppender("temp", "main", "stg_events");
                links = c.createAppender("temp", "main", "stg_links");
                while (true) {
                    Object msg = queue.take();
                    if (msg instanceof List<?> list) {
                        for (Object o : list) {
                            write(o);
                        }
                    } else if (msg instanceof Finish f) {
                        finish(f);
                        return;
                    } else if (msg == Abort.INSTANCE) {
                        rollback();
                        return;
                    }
                }
            } catch (Throwable t) {
                writerFailure = t;
                rollback();
                queue.clear();
            }
        }

        private void rollback() {
            try {
                closeAppenders();
                c.rollback();
            } catch (SQLException e) {
                // the connection is closed right after; DuckDB discards the transaction with it
            }
        }

        private void closeAppenders() throws SQLException {
            for (DuckDBAppender a : new DuckDBAppender[] {spans, events, links}) {
                if (a != null && !a.isClosed()) {
                    a.close();
                }
            }
        }

        private void write(Object o) throws SQLException {
            if (o instanceof StagedSpan s) {
                appendSpan(s);
            } else if (o instanceof ResourceRow r) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO resources VALUES (?, ?, ?, ?, ?) ON CONFLICT (resource_id) DO UPDATE "
                                + "SET schema_url = coalesce(resources.schema_url, excluded.schema_url)")) {
                    ps.setLong(1, r.id);
                    ps.setString(2, r.service);
                    ps.setString(3, r.json);
                    ps.setString(4, r.schemaUrl);
                    ps.setInt(5, r.dropped);
                    ps.execute();
                }
            } else if (o instanceof ScopeRow r) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO scopes VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope_id) DO UPDATE "
                                + "SET schema_url = coalesce(scopes.schema_url, excluded.schema_url)")) {
                    ps.setLong(1, r.id);
                    ps.setString(2, r.name);
                    ps.setString(3, r.version);
                    ps.setString(4, r.json);
                    ps.setString(5, r.schemaUrl);
                    ps.setInt(6, r.dropped);
                    ps.execute();
                }
            }
        }

        private void appendSpan(StagedSpan st) throws SQLException {
            SpanData s = st.span;
            LlmFields llm = st.llm;
            spans.beginRow()
                    .append(st.seq)
                    .append(s.source())
                    .appendUUID(s.traceId().hi(), s.traceId().lo())
                    .append(s.spanId())
                    .append(s.parentSpanId())
                    .append(s.name())
                    .append((byte) s.kind().code())
                    .append(s.startNs())
                    .append(s.endNs())
                    .append((byte) s.status().code())
                    .append(s.statusMessage())
                    .append(s.traceState())
                    .append(s.flags())
                    .append(st.service)
                    .append(st.resourceId)
                    .append(st.scopeId)
                    .append(st.attrs)
                    .append(s.droppedAttributesCount())
                    .append(s.droppedEventsCount())
                    .append(s.droppedLinksCount())
                    .append(s.events().size())
                    .append(s.links().size())
                    .append(llm.stage())
                    .append(llm.operation())
                    .append(llm.provider())
                    .append(llm.requestModel())
                    .append(llm.responseModel())
                    .append(llm.inputTokens())
                    .append(llm.outputTokens())
                    .append(llm.cachedTokens())
                    .append(llm.reasoningTokens())
                    .append(llm.cost())
                    .append(llm.costSource())
                    .append(llm.finishReason())
                    .append(llm.cacheHit())
                    .append(llm.ttftNs())
                    .append(llm.sources())
                    .append(llm.conflicts())
                    .endRow();
            List<SpanEventData> evs = s.events();
            for (int i = 0; i < evs.size(); i++) {
                SpanEventData e = evs.get(i);
                events.beginRow().append(st.seq).append(i).append(e.timeNs()).append(e.name())
                        .append(st.eventAttrs.get(i)).append(e.droppedAttributesCount()).endRow();
            }
            List<SpanLinkData> ls = s.links();
            for (int i = 0; i < ls.size(); i++) {
                SpanLinkData l = ls.get(i);
                links.beginRow().append(st.seq).append(i).appendUUID(l.traceId().hi(), l.traceId().lo())
                        .append(l.spanId()).append(l.traceState()).append(l.flags()).append(st.linkAttrs.get(i))
                        .append(l.droppedAttributesCount()).endRow();
            }
            if (++staged >= stageRows) {
                moveStage();
            }
        }

        /** Moves the staged rows into the workspace tables (new spans only) and empties the stage. */
        private void moveStage() throws SQLException {
            spans.flush();
            events.flush();
            links.flush();
            if (staged == 0) {
                return;
            }
            long moved;
            try (Statement s = c.createStatement()) {
                s.execute(Query.MOVE_STAGE_NEW.sql());
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM stg_new")) {
                    rs.next();
                    moved = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(Query.MOVE_STAGE_SPANS.sql())) {
                ps.setInt(1, importId);
                ps.execute();
            }
            try (Statement s = c.createStatement()) {
                s.execute(Query.MOVE_STAGE_EVENTS.sql());
                s.execute(Query.MOVE_STAGE_LINKS.sql());
                s.execute("INSERT INTO stg_import_traces SELECT DISTINCT s.trace_id FROM stg_spans s "
                        + "SEMI JOIN stg_new n ON s.seq = n.seq "
                        + "ANTI JOIN stg_import_traces t ON t.trace_id = s.trace_id");
            }
            added += moved;
            if (moved < staged) {
                classifyRepeats();
            }
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM stg_spans; DELETE FROM stg_events; DELETE FROM stg_links;");
            }
            staged = 0;
        }

        private void classifyRepeats() throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(Query.STAGE_REPEATS.sql())) {
                ps.setInt(1, importId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        boolean inFile = "file".equals(rs.getString(4));
                        if (inFile) {
                            duplicates++;
                            if (repeatProblems.size() < 100) {
                                repeatProblems.add(new Problem(Problem.Severity.WARNING, rs.getString(1),
                                        "span id " + rs.getString(3) + " of trace " + rs.getString(2)
                                                + " appears again in this file; the first occurrence is kept"));
                            }
                        } else {
                            alreadyPresent++;
                        }
                    }
                }
            }
        }

        private void finish(Finish f) throws SQLException {
            moveStage();
            closeAppenders();
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM traces WHERE trace_id IN (SELECT trace_id FROM stg_import_traces)");
                s.execute(Query.ROLLUP_TRACES.sql());
            }
            List<Problem> all = new ArrayList<>(f.problems);
            for (Problem p : repeatProblems) {
                if (all.size() < MAX_PROBLEMS) {
                    all.add(p);
                }
            }
            long warningsTotal = f.warnings + duplicates;
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
            c.commit();
            finished = new Finish(f.facts, all, f.rejected, warningsTotal, f.spansRead, f.finishedAt);
        }
    }
}
