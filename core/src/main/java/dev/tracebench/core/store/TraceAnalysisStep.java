package dev.tracebench.core.store;

import dev.tracebench.core.analysis.SpanFacts;
import dev.tracebench.core.analysis.TraceAnalyzer;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;

/**
 * The last step of an import, inside its transaction: for every trace the file touched, reads all its spans (those of
 * earlier imports too), runs {@link TraceAnalyzer} and replaces the trace's rows in {@code traces} and
 * {@code trace_stages}. Spans are read sorted by trace, so one trace is in memory at a time.
 *
 * <p>With Arrow, spans come back as Arrow batches and the results go to Arrow IPC spill files loaded with one INSERT
 * each (the read is still open while results are produced, and one connection runs one statement at a time); without
 * Arrow, through JDBC and the row Appender.
 */
final class TraceAnalysisStep {
    private static final String COLUMNS = "SELECT trace_id, span_id, parent_span_id, name, service_name, start_ns, "
            + "end_ns, status_code, stage, request_model, response_model, input_tokens, output_tokens, cost, cache_hit, "
            + "ttft_ns, route, tenant, prompt_version, attempt, doc_count FROM spans ";

    /**
     * The spans of the touched traces, sorted by trace. When no touched trace existed before this import (the usual
     * case), they are exactly this import's rows, which zone maps on import_id find without scanning the others.
     */
    private static String spans(Connection c, int importId, boolean onlyListed) throws SQLException {
        if (onlyListed) {
            return COLUMNS + "WHERE trace_id IN (SELECT trace_id FROM stg_import_traces) ORDER BY trace_id";
        }
        boolean known;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM traces "
                + "WHERE trace_id IN (SELECT trace_id FROM stg_import_traces))")) {
            rs.next();
            known = rs.getBoolean(1);
        }
        return COLUMNS + (known ? "WHERE trace_id IN (SELECT trace_id FROM stg_import_traces)"
                : "WHERE import_id = " + importId) + " ORDER BY trace_id";
    }

    static final Schema TRACES = new Schema(List.of(
            ArrowSink.uuid("trace_id"), ArrowSink.int64("root_span_id"), ArrowSink.utf8("root_name"),
            ArrowSink.utf8("service_name"), ArrowSink.int64("start_ns"), ArrowSink.int64("end_ns"),
            ArrowSink.int64("duration_ns"), ArrowSink.int32("span_count"), ArrowSink.int32("error_count"),
            ArrowSink.int32("service_count"), ArrowSink.int32("orphan_count"), ArrowSink.bool("has_root"),
            ArrowSink.int64("input_tokens"), ArrowSink.int64("output_tokens"), ArrowSink.int64("total_tokens"),
            ArrowSink.float64("cost"), ArrowSink.int32("skew_count"), ArrowSink.utf8("route"), ArrowSink.utf8("model"),
            ArrowSink.utf8("model_version"), ArrowSink.utf8("prompt_version"), ArrowSink.utf8("tenant"),
            ArrowSink.int32("llm_calls"), ArrowSink.int32("tool_calls"), ArrowSink.int32("retries"),
            ArrowSink.int32("docs"), ArrowSink.int32("cache_hits"), ArrowSink.int32("cache_misses"),
            ArrowSink.int64("queue_ns"), ArrowSink.int64("ttft_ns"),
            ArrowSink.int64("prompt_ns"), ArrowSink.int64("retrieval_ns"), ArrowSink.int64("rerank_ns"),
            ArrowSink.int64("inference_ns"), ArrowSink.int64("tool_ns"), ArrowSink.int64("agent_ns"),
            ArrowSink.int64("chain_ns"), ArrowSink.int64("guardrail_ns"), ArrowSink.int64("postprocess_ns"),
            ArrowSink.int64("other_ns"), ArrowSink.int64("unattributed_ns"), ArrowSink.bool("root_error")));
    static final Schema STAGES = new Schema(List.of(
            ArrowSink.uuid("trace_id"), ArrowSink.utf8("stage"), ArrowSink.utf8("operation"),
            ArrowSink.int64("path_ns"), ArrowSink.int64("self_ns"), ArrowSink.int32("spans")));

    private TraceAnalysisStep() {
    }



    /**
     * Told how many traces are analysed so far (every few thousand, from the reading thread); may throw
     * {@link dev.tracebench.core.task.CancelledException} to stop the import.
     */
    interface Progress {
        Progress NONE = (done, total) -> { };

        void analysed(long done, long total);
    }

    /** Destination of the results. */
    interface Out extends AutoCloseable {
        void trace(long hi, long lo, TraceAnalyzer.TraceRow t) throws IOException, SQLException;

        void stage(long hi, long lo, TraceAnalyzer.StageRow r) throws IOException, SQLException;

        /** After the read is closed: loads what was written. */
        void load() throws IOException, SQLException;

        @Override
        void close() throws IOException, SQLException;
    }

    /**
     * Replaces the analysis rows of the traces in {@code stg_import_traces}; returns how many traces it analysed.
     * {@code spillDir}/{@code prefix} name the spill files (Arrow only).
     */
    static long run(DuckDBConnection c, int importId, boolean arrow, Path spillDir, String prefix, Progress progress)
            throws SQLException, IOException {
        return run(c, importId, false, arrow, spillDir, prefix, progress);
    }

    /**
     * As {@link #run(DuckDBConnection, int, boolean, Path, String, Progress)}; {@code onlyListed} says that
     * {@code stg_import_traces} lists only some of the import's traces (the others were analysed as they streamed in).
     */
    static long run(DuckDBConnection c, int importId, boolean onlyListed, boolean arrow, Path spillDir, String prefix,
            Progress progress) throws SQLException, IOException {
        String spans = spans(c, importId, onlyListed);
        long total;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM stg_import_traces")) {
            rs.next();
            total = rs.getLong(1);
        }
        progress.analysed(0, total);
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM traces WHERE trace_id IN (SELECT trace_id FROM stg_import_traces)");
            s.execute("DELETE FROM trace_stages WHERE trace_id IN (SELECT trace_id FROM stg_import_traces)");
        }
        if (arrow) {
            try (BufferAllocator alloc = new RootAllocator(Long.MAX_VALUE);
                    ArrowOut out = new ArrowOut(c, alloc, spillDir, prefix)) {
                long n;
                long t0 = System.nanoTime();
                long t1;
                // (arrow_lossless_conversion is set when the workspace is opened: the configuration is locked)
                try (Statement s = c.createStatement()) {
                    try (ResultSet rs = s.executeQuery(spans)) {
                        t1 = System.nanoTime();
                        n = readArrow((DuckDBResultSet) rs, alloc, out, progress, total);
                    }
                }
                long t2 = System.nanoTime();
                out.load();
                long t3 = System.nanoTime();
                if (Boolean.getBoolean("tracebench.debug.analysis")) {
                    System.err.printf("analysis of %,d traces: query %d ms, read and analyse %d ms, load %d ms%n",
                            n, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
                }
                return n;
            }
        }
        try (AppenderOut out = new AppenderOut(c)) {
            long n;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(spans)) {
                n = readJdbc(rs, out, progress, total);
            }
            out.load();
            return n;
        }
    }

    // ------------------------------------------------------------------ reading

    /** Groups consecutive rows of one trace and hands each group to {@code sink}. */
    private static final class Grouper {
        private final TraceSink sink;
        private final Progress progress;
        private final long total;
        private List<SpanFacts> spans = new ArrayList<>();
        private long hi;
        private long lo;
        private boolean any;
        private long traces;

        Grouper(TraceSink sink, Progress progress, long total) {
            this.sink = sink;
            this.progress = progress;
            this.total = total;
        }

        void add(long h, long l, SpanFacts f) throws IOException, SQLException {
            if (any && (h != hi || l != lo)) {
                flush();
            }
            hi = h;
            lo = l;
            any = true;
            spans.add(f);
        }

        void flush() throws IOException, SQLException {
            if (spans.isEmpty()) {
                return;
            }
            sink.accept(hi, lo, spans);
            spans = new ArrayList<>();
            traces++;
            if ((traces & 4095) == 0) {
                progress.analysed(traces, total);
            }
        }
    }

    /** Receives one trace's spans; may keep the list. */
    private interface TraceSink {
        void accept(long hi, long lo, List<SpanFacts> spans) throws IOException, SQLException;
    }

    /** Analyses a trace and writes its rows, on the calling thread. */
    static void analyse(long hi, long lo, List<SpanFacts> spans, Out out) throws IOException, SQLException {
        TraceAnalyzer.Result r = TraceAnalyzer.analyze(spans, false);
        out.trace(hi, lo, r.trace());
        for (TraceAnalyzer.StageRow row : r.stages()) {
            out.stage(hi, lo, row);
        }
    }

    /**
     * Analyses and writes traces on a second thread while the calling thread reads and groups the spans (the two
     * halves cost about the same). The output is touched by the worker only; it writes spill files, not the
     * connection.
     */
    private static final class ParallelAnalysis implements TraceSink, AutoCloseable {
        private static final int BATCH = 256;
        private static final Object[] END = new Object[0];
        private final java.util.concurrent.BlockingQueue<Object[]> queue =
                new java.util.concurrent.ArrayBlockingQueue<>(8);
        private final Thread worker;
        private volatile Throwable failure;
        private Object[] batch = new Object[BATCH * 3];
        private int size;

        ParallelAnalysis(Out out) {
            worker = new Thread(() -> {
                try {
                    while (true) {
                        Object[] b = queue.take();
                        if (b == END) {
                            return;
                        }
                        for (int i = 0; i < b.length && b[i] != null; i += 3) {
                            @SuppressWarnings("unchecked")
                            List<SpanFacts> spans = (List<SpanFacts>) b[i + 2];
                            analyse((Long) b[i], (Long) b[i + 1], spans, out);
                        }
                    }
                } catch (Throwable t) {
                    failure = t;
                    queue.clear();
                }
            }, "tracebench-analysis");
            worker.setDaemon(true);
            worker.start();
        }

        @Override
        public void accept(long hi, long lo, List<SpanFacts> spans) throws IOException {
            batch[size++] = hi;
            batch[size++] = lo;
            batch[size++] = spans;
            if (size == batch.length) {
                put(batch);
                batch = new Object[BATCH * 3];
                size = 0;
            }
        }

        private void put(Object[] b) throws IOException {
            try {
                while (!queue.offer(b, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    check();
                }
                check();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("analysis interrupted");
            }
        }

        private void check() throws IOException {
            Throwable t = failure;
            if (t == null && !worker.isAlive() && !queue.isEmpty()) {
                t = new IllegalStateException("the analysis thread stopped");
            }
            if (t instanceof IOException e) {
                throw e;
            } else if (t instanceof RuntimeException e) {
                throw e;
            } else if (t instanceof Error e) {
                throw e;
            } else if (t != null) {
                throw new IOException("analysis failed: " + t, t);
            }
        }

        /** Hands over the last batch and waits until every trace is written. */
        void finish() throws IOException {
            if (size > 0) {
                put(batch);
                size = 0;
            }
            put(END);
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("analysis interrupted");
            }
            check();
        }

        @Override
        public void close() {
            if (worker.isAlive()) {
                worker.interrupt();
                try {
                    worker.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static long readArrow(DuckDBResultSet rs, BufferAllocator alloc, Out out, Progress progress, long total)
            throws SQLException, IOException {
        try (ParallelAnalysis p = new ParallelAnalysis(out)) {
            long n = readArrow(rs, alloc, new Grouper(p, progress, total));
            p.finish();
            return n;
        }
    }

    private static long readArrow(DuckDBResultSet rs, BufferAllocator alloc, Grouper g) throws SQLException,
            IOException {
        // the text columns repeat a few values: decode each distinct value once
        TextColumn[] texts = new TextColumn[21];
        for (int k : new int[] {3, 4, 8, 9, 10, 16, 17, 18}) {
            texts[k] = new TextColumn();
        }
        try (ArrowReader reader = (ArrowReader) rs.arrowExportStream(alloc, 8_192)) {
            while (reader.loadNextBatch()) {
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                FieldVector[] v = root.getFieldVectors().toArray(new FieldVector[0]);
                FixedSizeBinaryVector trace = (FixedSizeBinaryVector) v[0];
                for (int i = 0, n = root.getRowCount(); i < n; i++) {
                    long h = Long.reverseBytes(trace.getDataBuffer().getLong(16L * i));
                    long l = Long.reverseBytes(trace.getDataBuffer().getLong(16L * i + 8));
                    g.add(h, l, new SpanFacts(((BigIntVector) v[1]).get(i), longOrNull(v[2], i),
                            texts[3].get(v[3], i), texts[4].get(v[4], i), ((BigIntVector) v[5]).get(i),
                            ((BigIntVector) v[6]).get(i), ((TinyIntVector) v[7]).get(i), texts[8].get(v[8], i),
                            texts[9].get(v[9], i), texts[10].get(v[10], i), longOrNull(v[11], i),
                            longOrNull(v[12], i), v[13].isNull(i) ? null : ((Float8Vector) v[13]).get(i),
                            boolOrNull(v[14], i), longOrNull(v[15], i), texts[16].get(v[16], i),
                            texts[17].get(v[17], i), texts[18].get(v[18], i), intOrNull(v[19], i),
                            intOrNull(v[20], i)));
                }
            }
        }
        g.flush();
        return g.traces;
    }

    /** Decodes a VARCHAR column's values, reusing the String of a value seen before (a small direct-mapped cache). */
    private static final class TextColumn {
        private final String[] strings = new String[1024];
        private final byte[][] keys = new byte[1024][];
        private byte[] scratch = new byte[256];

        String get(FieldVector vector, int i) {
            if (vector.isNull(i)) {
                return null;
            }
            VarCharVector v = (VarCharVector) vector;
            int start = v.getStartOffset(i);
            int len = v.getEndOffset(i) - start;
            if (len > 200) {
                return new String(v.get(i), java.nio.charset.StandardCharsets.UTF_8);
            }
            if (scratch.length < len) {
                scratch = new byte[len * 2];
            }
            v.getDataBuffer().getBytes(start, scratch, 0, len);
            int h = len;
            for (int k = 0; k < len; k++) {
                h = 31 * h + scratch[k];
            }
            int slot = (h ^ (h >>> 16)) & 1023;
            byte[] known = keys[slot];
            if (known != null && java.util.Arrays.equals(known, 0, known.length, scratch, 0, len)) {
                return strings[slot];
            }
            String s = new String(scratch, 0, len, java.nio.charset.StandardCharsets.UTF_8);
            keys[slot] = java.util.Arrays.copyOf(scratch, len);
            strings[slot] = s;
            return s;
        }
    }

    private static Long longOrNull(FieldVector v, int i) {
        return v.isNull(i) ? null : ((BigIntVector) v).get(i);
    }

    private static Boolean boolOrNull(FieldVector v, int i) {
        if (v.isNull(i)) {
            return null;
        }
        // DuckDB exports BOOLEAN as an Arrow boolean, or as an 8-bit integer with lossless conversion on
        return v instanceof BitVector b ? b.get(i) != 0 : ((Number) v.getObject(i)).intValue() != 0;
    }

    private static Integer intOrNull(FieldVector v, int i) {
        return v.isNull(i) ? null : ((IntVector) v).get(i);
    }

    private static String text(FieldVector v, int i) {
        if (v.isNull(i)) {
            return null;
        }
        return new String(((VarCharVector) v).get(i), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static long readJdbc(ResultSet rs, Out out, Progress progress, long total) throws SQLException,
            IOException {
        // one thread: the appender writes through the connection the read is on
        Grouper g = new Grouper((hi, lo, spans) -> analyse(hi, lo, spans, out), progress, total);
        while (rs.next()) {
            UUID t = (UUID) rs.getObject(1);
            g.add(t.getMostSignificantBits(), t.getLeastSignificantBits(), new SpanFacts(rs.getLong(2),
                    (Long) rs.getObject(3), rs.getString(4), rs.getString(5), rs.getLong(6), rs.getLong(7),
                    rs.getInt(8), rs.getString(9), rs.getString(10), rs.getString(11), (Long) rs.getObject(12),
                    (Long) rs.getObject(13), (Double) rs.getObject(14), (Boolean) rs.getObject(15),
                    (Long) rs.getObject(16), rs.getString(17), rs.getString(18), rs.getString(19),
                    (Integer) rs.getObject(20), (Integer) rs.getObject(21)));
        }
        g.flush();
        return g.traces;
    }

    // ------------------------------------------------------------------ writing

    static final class ArrowOut implements Out {
        private final DuckDBConnection c;
        private final BufferAllocator alloc;
        private final ArrowSink.Spill traces;
        private final ArrowSink.Spill stages;
        private final ArrowSink.Utf8Cache[] texts = new ArrowSink.Utf8Cache[8];

        ArrowOut(DuckDBConnection c, BufferAllocator alloc, Path dir, String prefix) {
            this.c = c;
            this.alloc = alloc;
            traces = new ArrowSink.Spill(TRACES, alloc, dir, prefix);
            stages = new ArrowSink.Spill(STAGES, alloc, dir, prefix);
            for (int i = 0; i < texts.length; i++) {
                texts[i] = new ArrowSink.Utf8Cache();
            }
        }

        @Override
        public void trace(long hi, long lo, TraceAnalyzer.TraceRow t) throws IOException {
            int i = traces.next();
            FieldVector[] v = traces.vectors();
            ArrowSink.setUuid((FixedSizeBinaryVector) v[0], i, hi, lo);
            ((BigIntVector) v[1]).set(i, t.rootSpanId());
            ArrowSink.setText((VarCharVector) v[2], i, t.rootName(), texts[0]);
            ArrowSink.setText((VarCharVector) v[3], i, t.serviceName(), texts[1]);
            ((BigIntVector) v[4]).set(i, t.startNs());
            ((BigIntVector) v[5]).set(i, t.endNs());
            ((BigIntVector) v[6]).set(i, t.durationNs());
            ((IntVector) v[7]).set(i, t.spanCount());
            ((IntVector) v[8]).set(i, t.errorCount());
            ((IntVector) v[9]).set(i, t.serviceCount());
            ((IntVector) v[10]).set(i, t.orphanCount());
            ((BitVector) v[11]).set(i, t.hasRoot() ? 1 : 0);
            ((BigIntVector) v[12]).set(i, t.inputTokens());
            ((BigIntVector) v[13]).set(i, t.outputTokens());
            ((BigIntVector) v[14]).set(i, t.inputTokens() + t.outputTokens());
            if (t.cost() == null) {
                ((Float8Vector) v[15]).setNull(i);
            } else {
                ((Float8Vector) v[15]).set(i, t.cost());
            }
            ((IntVector) v[16]).set(i, t.skewCount());
            ArrowSink.setText((VarCharVector) v[17], i, t.route(), texts[2]);
            ArrowSink.setText((VarCharVector) v[18], i, t.model(), texts[3]);
            ArrowSink.setText((VarCharVector) v[19], i, t.modelVersion(), texts[4]);
            ArrowSink.setText((VarCharVector) v[20], i, t.promptVersion(), texts[5]);
            ArrowSink.setText((VarCharVector) v[21], i, t.tenant(), texts[6]);
            ((IntVector) v[22]).set(i, t.llmCalls());
            ((IntVector) v[23]).set(i, t.toolCalls());
            ((IntVector) v[24]).set(i, t.retries());
            ArrowSink.setInt((IntVector) v[25], i, t.docs());
            ((IntVector) v[26]).set(i, t.cacheHits());
            ((IntVector) v[27]).set(i, t.cacheMisses());
            ((BigIntVector) v[28]).set(i, t.queueNs());
            ArrowSink.setLong((BigIntVector) v[29], i, t.ttftNs());
            for (int k = 0; k < t.stageNs().length; k++) {
                ((BigIntVector) v[30 + k]).set(i, t.stageNs()[k]);
            }
            ((BitVector) v[30 + t.stageNs().length]).set(i, t.rootError() ? 1 : 0);
            traces.done();
        }

        @Override
        public void stage(long hi, long lo, TraceAnalyzer.StageRow r) throws IOException {
            int i = stages.next();
            FieldVector[] v = stages.vectors();
            ArrowSink.setUuid((FixedSizeBinaryVector) v[0], i, hi, lo);
            ArrowSink.setText((VarCharVector) v[1], i, r.stage(), null);
            ArrowSink.setText((VarCharVector) v[2], i, r.operation(), texts[7]);
            ((BigIntVector) v[3]).set(i, r.pathNs());
            ((BigIntVector) v[4]).set(i, r.selfNs());
            ((IntVector) v[5]).set(i, r.spans());
            stages.done();
        }

        @Override
        public void load() throws IOException, SQLException {
            if (traces.finish()) {
                ArrowSink.insert(c, alloc, traces.reader(), "INSERT INTO traces BY NAME SELECT * FROM "
                        + ArrowSink.VIEW);
            }
            if (stages.finish()) {
                ArrowSink.insert(c, alloc, stages.reader(), "INSERT INTO trace_stages BY NAME SELECT * FROM "
                        + ArrowSink.VIEW);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                traces.close();
            } finally {
                stages.close();
            }
        }
    }

    /**
     * Without Arrow: rows are appended as they are produced (JDBC results are materialised before they are read, so
     * the connection is free to append).
     */
    private static final class AppenderOut implements Out {
        private final DuckDBAppender traces;
        private final DuckDBAppender stages;

        AppenderOut(DuckDBConnection c) throws SQLException {
            traces = c.createAppender("main", "traces");
            stages = c.createAppender("main", "trace_stages");
        }

        @Override
        public void trace(long hi, long lo, TraceAnalyzer.TraceRow t) throws SQLException {
            DuckDBAppender a = traces;
            a.beginRow().appendUUID(hi, lo).append(t.rootSpanId()).append(t.rootName())
                    .append(t.serviceName()).append(t.startNs()).append(t.endNs()).append(t.durationNs())
                    .append(t.spanCount()).append(t.errorCount()).append(t.serviceCount())
                    .append(t.orphanCount()).append(t.hasRoot()).append(t.inputTokens())
                    .append(t.outputTokens()).append(t.inputTokens() + t.outputTokens()).append(t.cost())
                    .append(t.skewCount()).append(t.route()).append(t.model()).append(t.modelVersion())
                    .append(t.promptVersion()).append(t.tenant()).append(t.llmCalls()).append(t.toolCalls())
                    .append(t.retries()).append(t.docs()).append(t.cacheHits()).append(t.cacheMisses())
                    .append(t.queueNs()).append(t.ttftNs());
            for (long ns : t.stageNs()) {
                a.append(ns);
            }
            a.append(t.rootError());
            a.endRow();
        }

        @Override
        public void stage(long hi, long lo, TraceAnalyzer.StageRow r) throws SQLException {
            stages.beginRow().appendUUID(hi, lo).append(r.stage()).append(r.operation())
                    .append(r.pathNs()).append(r.selfNs()).append(r.spans()).endRow();
        }

        @Override
        public void load() throws SQLException {
            traces.flush();
            stages.flush();
        }

        @Override
        public void close() throws SQLException {
            try {
                traces.close();
            } finally {
                stages.close();
            }
        }
    }
}
