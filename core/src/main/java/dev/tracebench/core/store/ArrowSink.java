package dev.tracebench.core.store;

import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanLinkData;
import dev.tracebench.core.normalize.LlmFields;
import dev.tracebench.core.normalize.SpanDims;
import dev.tracebench.core.store.IngestRows.BatchSource;
import dev.tracebench.core.store.IngestRows.ResourceRow;
import dev.tracebench.core.store.IngestRows.ScopeRow;
import dev.tracebench.core.store.IngestRows.StagedSpan;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.c.jni.JniLoader;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;

/**
 * Rows into DuckDB as Arrow columnar batches through the Arrow C data interface: the fast path of every import.
 *
 * <p>Spans go in with one {@code INSERT INTO spans ... SELECT} for the whole file, reading an Arrow stream whose
 * batches are filled on demand from the encoder's queue (so DuckDB's thread that scans the stream does the filling).
 * One statement matters: an {@code INSERT} per batch of 8k spans measured 1.7x slower, because every statement starts
 * new row groups. Measured on this machine with a million real spans: the row Appender stores ~176k spans/s,
 * this path ~270k/s, because the Appender crosses JNI once per string value while Arrow hands DuckDB whole columns.
 *
 * <p>Events, links, resources and scopes cannot share that statement, and one connection runs one statement at a time;
 * they are written to Arrow IPC files beside the workspace while the spans stream in, and each is loaded with one
 * more statement at the end. Everything runs inside the import's transaction, so the file is still all or nothing.
 */
final class ArrowSink implements IngestRows.RowSink {
    static {
        // Arrow checks every buffer access (bounds and reference count) unless told not to; the writers here size their
        // vectors before filling them (fixed-width vectors hold a whole batch, text goes through setSafe), and the
        // checks cost ~3% of an import. Must be set before Arrow's BoundsChecking class loads; a user setting wins.
        if (System.getProperty("arrow.enable_unsafe_memory_access") == null) {
            System.setProperty("arrow.enable_unsafe_memory_access", "true");
        }
    }

    /** Spans per Arrow batch: 8k measured faster than 64k (the batch stays in the CPU caches). */
    static final int BATCH_SPANS = 8_192;
    private static final int SIDE_BATCH_ROWS = 4_096;
    /**
     * Attribute JSON after which a batch (of spans, or of a spill file) ends early: 8k spans of generated LLM traffic
     * hold about 6 MB, so this only cuts batches of large values, whose memory it bounds (and Arrow's 32-bit offsets
     * within a batch).
     */
    static final long BATCH_BYTES = 32L << 20;
    static final String VIEW = "tb_ingest_rows";
    private static final Map<String, String> JSON = extension("arrow.json");
    private static final Map<String, String> UUID = extension("arrow.uuid");

    static final Schema SPANS = new Schema(List.of(
            uuid("trace_id"), int64("span_id"), int64("parent_span_id"), utf8("name"), int8("kind"),
            int64("start_ns"), int64("end_ns"), int8("status_code"), utf8("status_message"), utf8("trace_state"),
            int32("flags"), utf8("service_name"), int64("resource_id"), int64("scope_id"), json("attributes"),
            int32("dropped_attributes_count"), int32("dropped_events_count"), int32("dropped_links_count"),
            int32("event_count"), int32("link_count"), utf8("stage"), utf8("operation"), utf8("provider"),
            utf8("request_model"), utf8("response_model"), int64("input_tokens"), int64("output_tokens"),
            int64("cached_tokens"), int64("reasoning_tokens"), float64("cost"), utf8("cost_source"),
            utf8("finish_reason"), bool("cache_hit"), int64("ttft_ns"), utf8("norm_sources"), int32("norm_conflicts"),
            utf8("route"), utf8("tenant"), utf8("prompt_version"), int32("attempt"), int32("doc_count"),
            int32("import_id"), int64("span_seq")));
    static final Schema EVENTS = new Schema(List.of(
            uuid("trace_id"), int64("span_id"), int32("seq"), int64("time_ns"), utf8("name"), json("attributes"),
            int32("dropped_attributes_count"), int32("import_id"), int64("span_seq")));
    static final Schema LINKS = new Schema(List.of(
            uuid("trace_id"), int64("span_id"), int32("seq"), uuid("linked_trace_id"), int64("linked_span_id"),
            utf8("trace_state"), int32("flags"), json("attributes"), int32("dropped_attributes_count"),
            int32("import_id"), int64("span_seq")));
    static final Schema RESOURCES = new Schema(List.of(
            int64("resource_id"), utf8("service_name"), json("attributes"), utf8("schema_url"),
            int32("dropped_attributes_count")));
    static final Schema SCOPES = new Schema(List.of(
            int64("scope_id"), utf8("name"), utf8("version"), json("attributes"), utf8("schema_url"),
            int32("dropped_attributes_count")));

    private static volatile String unavailable;
    private static volatile boolean probed;

    private final Path spillDir;
    private final String spillPrefix;

    /** Spill files go to {@code spillDir}, named {@code <spillPrefix>-*.arrows}. */
    ArrowSink(Path spillDir, String spillPrefix) {
        this.spillDir = spillDir;
        this.spillPrefix = spillPrefix;
    }

    /**
     * Whether Arrow works in this JVM: its JNI library loads and its memory module can read direct buffers (which
     * needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED}). Checked once.
     */
    static boolean available() {
        if (!probed) {
            synchronized (ArrowSink.class) {
                if (!probed) {
                    try {
                        JniLoader.get().ensureLoaded();
                        try (BufferAllocator a = new RootAllocator(1 << 20); ArrowArrayStream s =
                                ArrowArrayStream.allocateNew(a)) {
                            a.buffer(64).close();
                        }
                    } catch (Throwable t) {
                        unavailable = t.getClass().getSimpleName() + ": " + t.getMessage();
                    }
                    probed = true;
                }
            }
        }
        return unavailable == null;
    }

    /** Why {@link #available()} is false, or null. */
    static String unavailableReason() {
        available();
        return unavailable;
    }

    @Override
    public long write(DuckDBConnection c, int importId, BatchSource source) throws SQLException, IOException {
        try (BufferAllocator alloc = new RootAllocator(Long.MAX_VALUE);
                Spill events = new Spill(EVENTS, alloc, spillDir, spillPrefix);
                Spill links = new Spill(LINKS, alloc, spillDir, spillPrefix);
                Spill resources = new Spill(RESOURCES, alloc, spillDir, spillPrefix);
                Spill scopes = new Spill(SCOPES, alloc, spillDir, spillPrefix)) {
            SpanReader reader = new SpanReader(alloc, source, importId, events, links, resources, scopes);
            try {
                insert(c, alloc, reader, "INSERT INTO spans BY NAME SELECT * FROM " + VIEW);
            } catch (SQLException e) {
                if (reader.failure != null) {
                    throw rethrow(reader.failure);
                }
                throw e;
            }
            if (reader.failure != null) {
                throw rethrow(reader.failure);
            }
            if (resources.finish()) {
                insert(c, alloc, resources.reader(), "INSERT INTO resources SELECT resource_id, "
                        + "any_value(service_name), any_value(attributes), max(schema_url), "
                        + "any_value(dropped_attributes_count) FROM " + VIEW + " GROUP BY resource_id "
                        + "ON CONFLICT (resource_id) DO UPDATE "
                        + "SET schema_url = coalesce(resources.schema_url, excluded.schema_url)");
            }
            if (scopes.finish()) {
                insert(c, alloc, scopes.reader(), "INSERT INTO scopes SELECT scope_id, any_value(name), "
                        + "any_value(version), any_value(attributes), max(schema_url), "
                        + "any_value(dropped_attributes_count) FROM " + VIEW + " GROUP BY scope_id "
                        + "ON CONFLICT (scope_id) DO UPDATE "
                        + "SET schema_url = coalesce(scopes.schema_url, excluded.schema_url)");
            }
            if (events.finish()) {
                insert(c, alloc, events.reader(), "INSERT INTO span_events BY NAME SELECT * FROM " + VIEW);
            }
            if (links.finish()) {
                insert(c, alloc, links.reader(), "INSERT INTO span_links BY NAME SELECT * FROM " + VIEW);
            }
            return reader.spans;
        }
    }

    private static RuntimeException rethrow(Throwable t) throws SQLException, IOException {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof SQLException s) {
            throw s;
        }
        if (t instanceof IOException io) {
            throw io;
        }
        throw new IllegalStateException(t);
    }

    /** Runs {@code sql} over the rows of {@code reader}, exposed to DuckDB as the view {@value #VIEW}. */
    static void insert(DuckDBConnection c, BufferAllocator alloc, ArrowReader reader, String sql)
            throws SQLException {
        try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(alloc)) {
            Data.exportArrayStream(alloc, reader, stream);
            c.registerArrowStream(VIEW, stream);
            try (Statement s = c.createStatement()) {
                s.execute(sql);
                s.execute("DROP VIEW IF EXISTS " + VIEW);
            }
        }
    }

    // ------------------------------------------------------------------ spans

    /** The stream DuckDB scans: each batch is filled from the encoder's queue when DuckDB asks for it. */
    private static final class SpanReader extends ArrowReader {
        private final BatchSource source;
        private final int importId;
        private final Spill events;
        private final Spill links;
        private final Spill resources;
        private final Spill scopes;
        private final Utf8Cache names = new Utf8Cache();
        private final Utf8Cache services = new Utf8Cache();
        private final Utf8Cache[] dimText = {new Utf8Cache(), new Utf8Cache(), new Utf8Cache()};
        private final Utf8Cache[] llmText = {new Utf8Cache(), new Utf8Cache(), new Utf8Cache(), new Utf8Cache(),
            new Utf8Cache(), new Utf8Cache(), new Utf8Cache(), new Utf8Cache()};
        private boolean ended;
        private long spans;
        /** Attribute bytes in the batch being filled. */
        private long bytes;
        private volatile Throwable failure;
        private FieldVector[] v;

        SpanReader(BufferAllocator alloc, BatchSource source, int importId, Spill events, Spill links,
                Spill resources, Spill scopes) {
            super(alloc);
            this.source = source;
            this.importId = importId;
            this.events = events;
            this.links = links;
            this.resources = resources;
            this.scopes = scopes;
        }

        @Override
        protected Schema readSchema() {
            return SPANS;
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        protected void closeReadSource() {
        }

        @Override
        public boolean loadNextBatch() throws IOException {
            try {
                return fill();
            } catch (Throwable t) {
                // DuckDB only sees the message; keep the exception so the import reports what really happened
                if (failure == null) {
                    failure = t;
                }
                if (t instanceof IOException io) {
                    throw io;
                }
                throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
            }
        }

        private boolean fill() throws IOException {
            if (ended) {
                return false;
            }
            VectorSchemaRoot root = getVectorSchemaRoot();
            if (v == null) {
                v = root.getFieldVectors().toArray(new FieldVector[0]);
            }
            int capacity = BATCH_SPANS + IngestRun.BATCH_SPANS;
            // fresh buffers each batch: DuckDB may still hold the previous batch's (it releases them when done)
            for (FieldVector f : v) {
                if (f instanceof BaseVariableWidthVector w) {
                    w.allocateNew(f.getName().equals("attributes") ? 512L * capacity : 24L * capacity, capacity);
                } else {
                    f.setInitialCapacity(capacity);
                    f.allocateNew();
                }
            }
            int n = 0;
            bytes = 0;
            while (n < BATCH_SPANS && bytes < BATCH_BYTES) {
                List<?> batch = source.next();
                if (batch == null) {
                    ended = true;
                    break;
                }
                for (Object o : batch) {
                    if (o instanceof StagedSpan s) {
                        row(n++, s);
                    } else if (o instanceof ResourceRow r) {
                        resources.resource(r);
                    } else if (o instanceof ScopeRow r) {
                        scopes.scope(r);
                    }
                }
            }
            for (FieldVector f : v) {
                f.setValueCount(n);
            }
            root.setRowCount(n);
            spans += n;
            return n > 0 || !ended;
        }

        private void row(int i, StagedSpan st) throws IOException {
            SpanData s = st.span();
            LlmFields llm = st.llm();
            setUuid((FixedSizeBinaryVector) v[0], i, s.traceId().hi(), s.traceId().lo());
            ((BigIntVector) v[1]).set(i, s.spanId());
            setLong((BigIntVector) v[2], i, s.parentSpanId());
            setText((VarCharVector) v[3], i, s.name(), names);
            ((TinyIntVector) v[4]).set(i, s.kind().code());
            ((BigIntVector) v[5]).set(i, s.startNs());
            ((BigIntVector) v[6]).set(i, s.endNs());
            ((TinyIntVector) v[7]).set(i, s.status().code());
            setText((VarCharVector) v[8], i, s.statusMessage(), null);
            setText((VarCharVector) v[9], i, s.traceState(), null);
            ((IntVector) v[10]).set(i, s.flags());
            setText((VarCharVector) v[11], i, st.service(), services);
            ((BigIntVector) v[12]).set(i, st.resourceId());
            ((BigIntVector) v[13]).set(i, st.scopeId());
            bytes += st.attrs().length;
            setLarge((VarCharVector) v[14], i, st.attrs());
            ((IntVector) v[15]).set(i, s.droppedAttributesCount());
            ((IntVector) v[16]).set(i, s.droppedEventsCount());
            ((IntVector) v[17]).set(i, s.droppedLinksCount());
            ((IntVector) v[18]).set(i, s.events().size());
            ((IntVector) v[19]).set(i, s.links().size());
            setText((VarCharVector) v[20], i, llm.stage(), llmText[0]);
            setText((VarCharVector) v[21], i, llm.operation(), llmText[1]);
            setText((VarCharVector) v[22], i, llm.provider(), llmText[2]);
            setText((VarCharVector) v[23], i, llm.requestModel(), llmText[3]);
            setText((VarCharVector) v[24], i, llm.responseModel(), llmText[4]);
            setLong((BigIntVector) v[25], i, llm.inputTokens());
            setLong((BigIntVector) v[26], i, llm.outputTokens());
            setLong((BigIntVector) v[27], i, llm.cachedTokens());
            setLong((BigIntVector) v[28], i, llm.reasoningTokens());
            if (llm.cost() == null) {
                ((Float8Vector) v[29]).setNull(i);
            } else {
                ((Float8Vector) v[29]).set(i, llm.cost());
            }
            setText((VarCharVector) v[30], i, llm.costSource(), llmText[5]);
            setText((VarCharVector) v[31], i, llm.finishReason(), llmText[6]);
            if (llm.cacheHit() == null) {
                ((BitVector) v[32]).setNull(i);
            } else {
                ((BitVector) v[32]).set(i, llm.cacheHit() ? 1 : 0);
            }
            setLong((BigIntVector) v[33], i, llm.ttftNs());
            setText((VarCharVector) v[34], i, llm.sources(), llmText[7]);
            ((IntVector) v[35]).set(i, llm.conflicts());
            SpanDims d = st.dims();
            setText((VarCharVector) v[36], i, d.route(), dimText[0]);
            setText((VarCharVector) v[37], i, d.tenant(), dimText[1]);
            setText((VarCharVector) v[38], i, d.promptVersion(), dimText[2]);
            setInt((IntVector) v[39], i, d.attempt());
            setInt((IntVector) v[40], i, d.docCount());
            ((IntVector) v[41]).set(i, importId);
            ((BigIntVector) v[42]).set(i, st.seq());
            List<SpanEventData> evs = s.events();
            for (int k = 0; k < evs.size(); k++) {
                events.event(s, k, evs.get(k), st.eventAttrs()[k], importId, st.seq());
            }
            List<SpanLinkData> ls = s.links();
            for (int k = 0; k < ls.size(); k++) {
                links.link(s, k, ls.get(k), st.linkAttrs()[k], importId, st.seq());
            }
        }
    }

    // ------------------------------------------------------------------ events, links, resources, scopes

    /** Rows of one side table, written to an Arrow IPC file while the spans stream in, and read back at the end. */
    static final class Spill implements AutoCloseable {
        private final Schema schema;
        private final BufferAllocator alloc;
        private final Path spillDir;
        private final String spillPrefix;
        private VectorSchemaRoot root;
        private FieldVector[] v;
        private Path file;
        private FileChannel channel;
        private ArrowStreamWriter writer;
        private int n;
        private long rows;
        /** Attribute bytes in the batch being filled. */
        private long bytes;
        private final Utf8Cache texts = new Utf8Cache();

        Spill(Schema schema, BufferAllocator alloc, Path spillDir, String spillPrefix) {
            this.schema = schema;
            this.alloc = alloc;
            this.spillDir = spillDir;
            this.spillPrefix = spillPrefix;
        }

        /** The vectors of the row being filled (valid after {@link #next}). */
        FieldVector[] vectors() {
            return v;
        }

        /** Starts a row; returns its index in the current batch. */
        int next() throws IOException {
            if (root == null) {
                file = SpillFiles.create(spillDir, spillPrefix);
                channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                root = VectorSchemaRoot.create(schema, alloc);
                v = root.getFieldVectors().toArray(new FieldVector[0]);
                for (FieldVector f : v) {
                    f.setInitialCapacity(SIDE_BATCH_ROWS);
                    f.allocateNew();
                }
                writer = new ArrowStreamWriter(root, null, channel);
                writer.start();
            }
            return n;
        }

        /** Ends the row started by {@link #next}. */
        void done() throws IOException {
            rows++;
            if (++n == SIDE_BATCH_ROWS || bytes >= BATCH_BYTES) {
                flush();
            }
        }

        private void flush() throws IOException {
            for (FieldVector f : v) {
                f.setValueCount(n);
            }
            root.setRowCount(n);
            writer.writeBatch();
            for (FieldVector f : v) {
                f.reset();
            }
            n = 0;
            bytes = 0;
        }

        void event(SpanData s, int seq, SpanEventData e, byte[] attrs, int importId, long spanSeq)
                throws IOException {
            int i = next();
            setUuid((FixedSizeBinaryVector) v[0], i, s.traceId().hi(), s.traceId().lo());
            ((BigIntVector) v[1]).set(i, s.spanId());
            ((IntVector) v[2]).set(i, seq);
            ((BigIntVector) v[3]).set(i, e.timeNs());
            setText((VarCharVector) v[4], i, e.name(), texts);
            setLarge((VarCharVector) v[5], i, attrs);
            bytes += attrs.length;
            ((IntVector) v[6]).set(i, e.droppedAttributesCount());
            ((IntVector) v[7]).set(i, importId);
            ((BigIntVector) v[8]).set(i, spanSeq);
            done();
        }

        void link(SpanData s, int seq, SpanLinkData l, byte[] attrs, int importId, long spanSeq) throws IOException {
            int i = next();
            setUuid((FixedSizeBinaryVector) v[0], i, s.traceId().hi(), s.traceId().lo());
            ((BigIntVector) v[1]).set(i, s.spanId());
            ((IntVector) v[2]).set(i, seq);
            setUuid((FixedSizeBinaryVector) v[3], i, l.traceId().hi(), l.traceId().lo());
            ((BigIntVector) v[4]).set(i, l.spanId());
            setText((VarCharVector) v[5], i, l.traceState(), null);
            ((IntVector) v[6]).set(i, l.flags());
            setLarge((VarCharVector) v[7], i, attrs);
            bytes += attrs.length;
            ((IntVector) v[8]).set(i, l.droppedAttributesCount());
            ((IntVector) v[9]).set(i, importId);
            ((BigIntVector) v[10]).set(i, spanSeq);
            done();
        }

        void resource(ResourceRow r) throws IOException {
            int i = next();
            ((BigIntVector) v[0]).set(i, r.id());
            setText((VarCharVector) v[1], i, r.service(), null);
            setText((VarCharVector) v[2], i, r.json(), null);
            setText((VarCharVector) v[3], i, r.schemaUrl(), null);
            ((IntVector) v[4]).set(i, r.dropped());
            done();
        }

        void scope(ScopeRow r) throws IOException {
            int i = next();
            ((BigIntVector) v[0]).set(i, r.id());
            setText((VarCharVector) v[1], i, r.name(), null);
            setText((VarCharVector) v[2], i, r.version(), null);
            setText((VarCharVector) v[3], i, r.json(), null);
            setText((VarCharVector) v[4], i, r.schemaUrl(), null);
            ((IntVector) v[5]).set(i, r.dropped());
            done();
        }

        /** Writes what is left and closes the file; false if there were no rows at all. */
        boolean finish() throws IOException {
            if (root == null) {
                return false;
            }
            if (n > 0) {
                flush();
            }
            writer.end();
            writer.close();
            channel.close();
            writer = null;
            channel = null;
            return rows > 0;
        }

        ArrowReader reader() throws IOException {
            return new ArrowStreamReader(FileChannel.open(file, StandardOpenOption.READ), alloc);
        }

        @Override
        public void close() throws IOException {
            List<Throwable> problems = new ArrayList<>();
            for (AutoCloseable c : new AutoCloseable[] {writer, channel, root}) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (Exception e) {
                    problems.add(e);
                }
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
            if (!problems.isEmpty()) {
                throw new IOException("could not close a spill file: " + problems.get(0).getMessage(),
                        problems.get(0));
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * The UTF-8 bytes of the strings recently seen in a column: text columns repeat a few values (names, services,
     * models, stages), mostly as the same String instances. A small direct-mapped table on the strings' hash codes
     * (which a String caches); a colliding value replaces the older one.
     */
    static final class Utf8Cache {
        private final String[] strings = new String[64];
        private final byte[][] bytes = new byte[64][];

        byte[] of(String s) {
            int h = s.hashCode();
            int slot = (h ^ (h >>> 7)) & 63;
            String known = strings[slot];
            if (known == s || (known != null && known.equals(s))) {
                return bytes[slot];
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            strings[slot] = s;
            bytes[slot] = b;
            return b;
        }
    }

    /**
     * Sets a value that may be large: the vector's data buffer grows once to the size it needs (rounded up to a power
     * of two) instead of doubling step by step, each step a copy.
     */
    static void setLarge(VarCharVector v, int i, byte[] value) {
        if (value.length > 1 << 20) {
            long needed = (long) v.getStartOffset(i) + value.length;
            if (needed > v.getDataBuffer().capacity()) {
                v.reallocDataBuffer(needed);
            }
        }
        v.setSafe(i, value);
    }

    static void setText(VarCharVector v, int i, String s, Utf8Cache cache) {
        if (s == null) {
            v.setNull(i);
        } else {
            v.setSafe(i, cache == null ? s.getBytes(StandardCharsets.UTF_8) : cache.of(s));
        }
    }

    static void setInt(IntVector v, int i, Integer x) {
        if (x == null) {
            v.setNull(i);
        } else {
            v.set(i, x);
        }
    }

    static void setLong(BigIntVector v, int i, Long x) {
        if (x == null) {
            v.setNull(i);
        } else {
            v.set(i, x);
        }
    }

    /** A UUID as arrow.uuid stores it: 16 bytes, big-endian. */
    static void setUuid(FixedSizeBinaryVector v, int i, long hi, long lo) {
        ArrowBuf data = v.getDataBuffer();
        long at = 16L * i;
        data.setLong(at, Long.reverseBytes(hi));
        data.setLong(at + 8, Long.reverseBytes(lo));
        BitVectorHelper.setBit(v.getValidityBuffer(), i);
    }

    private static Map<String, String> extension(String name) {
        return Map.of("ARROW:extension:name", name, "ARROW:extension:metadata", "");
    }

    static Field uuid(String name) {
        return new Field(name, new FieldType(true, new ArrowType.FixedSizeBinary(16), null, UUID), null);
    }

    static Field json(String name) {
        return new Field(name, new FieldType(true, ArrowType.Utf8.INSTANCE, null, JSON), null);
    }

    static Field utf8(String name) {
        return Field.nullable(name, ArrowType.Utf8.INSTANCE);
    }

    static Field int8(String name) {
        return Field.nullable(name, new ArrowType.Int(8, true));
    }

    static Field int32(String name) {
        return Field.nullable(name, new ArrowType.Int(32, true));
    }

    static Field int64(String name) {
        return Field.nullable(name, new ArrowType.Int(64, true));
    }

    static Field float64(String name) {
        return Field.nullable(name, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE));
    }

    static Field bool(String name) {
        return Field.nullable(name, ArrowType.Bool.INSTANCE);
    }
}
