package dev.tracebench.core.store;

import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.store.IngestRows.EvalRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import dev.tracebench.core.json.JsonTree;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Eval runs and results into the workspace, inside an import's transaction (the writer thread's end of file), and
 * their links to traces ({@code query/eval_link.sql}).
 *
 * <p>Results go in with one {@code INSERT ... SELECT} that numbers them from {@code eval_result_id_seq}, reading them as
 * Arrow batches (where Arrow runs; else appended into a temporary table with DuckDB's row Appender): no statement per
 * row. The Appender crosses JNI for every value: it appended ~60-90k results/s here, where the whole import through
 * Arrow stores 100-150k/s (both on the shared, busy 2-core machine).
 */
final class EvalIngest {
    private EvalIngest() {
    }

    /** The eval results stored by one import: how many, in how many runs, how many linked to a stored trace. */
    record Stored(long runs, long results, long linked) {
        static final Stored NONE = new Stored(0, 0, 0);
    }

    /**
     * Parses a trace id as eval files write it: 32 or 16 hex digits (any case, optional 0x), or a UUID with dashes.
     * Null if it is none of these.
     */
    static TraceId parseTraceId(String s) {
        String t = s.strip();
        if (t.length() == 36 && t.charAt(8) == '-' && t.charAt(13) == '-' && t.charAt(18) == '-'
                && t.charAt(23) == '-') {
            t = t.replace("-", "");
        }
        return Ids.parseTraceId(t);
    }

    /** Parses a span id (16 hex digits, any case, optional 0x); null if it is not one. */
    static Long parseSpanId(String s) {
        return Ids.parseSpanId(s);
    }

    /**
     * Stores the runs and their results of import {@code importId}, then links what can be linked; returns the
     * counts. The caller's transaction is open on {@code c}. {@code arrow}: the rows go in as Arrow batches (the
     * import's spans did; it runs here), else through the Appender.
     */
    static Stored store(DuckDBConnection c, int importId, List<EvalRunData> runs, List<EvalRow> rows, boolean arrow)
            throws SQLException, java.io.IOException {
        if (runs.isEmpty()) {
            return Stored.NONE;
        }
        long[] runIds = new long[runs.size()];
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO eval_runs VALUES "
                + "(nextval('eval_run_id_seq'), ?, ?, ?, ?, ?, ?, ?) RETURNING run_id")) {
            for (int i = 0; i < runs.size(); i++) {
                EvalRunData r = runs.get(i);
                ps.setInt(1, importId);
                ps.setString(2, r.name());
                ps.setString(3, r.sourceFormat());
                ps.setString(4, r.file());
                ps.setTimestamp(5, r.created() == null ? null : Timestamp.from(r.created()));
                ps.setString(6, r.configJson());
                ps.setString(7, r.evaluatorVersion());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    runIds[i] = rs.getLong(1);
                }
            }
        }
        if (!rows.isEmpty()) {
            if (arrow) {
                try (BufferAllocator alloc = new RootAllocator(Long.MAX_VALUE)) {
                    ArrowSink.insert(c, alloc, new EvalReader(alloc, rows, runIds), insert(ArrowSink.VIEW));
                }
            } else {
                appendStaged(c, rows, runIds);
            }
            link(c, 0);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE trace_id IN "
                + "(SELECT trace_id FROM traces)) FROM eval_results WHERE run_id IN (SELECT run_id FROM eval_runs "
                + "WHERE import_id = ?)")) {
            ps.setInt(1, importId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Stored(runs.size(), rs.getLong(1), rs.getLong(2));
            }
        }
    }

    /**
     * The rows as the store hands them to DuckDB (Arrow batches or the Appender's staging table): the columns of
     * {@code eval_results} but the id and the link's kind, with the contexts as a JSON array and the time in
     * microseconds, which {@link #insert} converts.
     */
    static final Schema ROWS = new Schema(List.of(ArrowSink.int64("run_id"), ArrowSink.int32("seq"),
            ArrowSink.utf8("location"), ArrowSink.utf8("source_trace_id"), ArrowSink.utf8("source_span_id"),
            ArrowSink.utf8("response_id"), ArrowSink.utf8("example_id"), ArrowSink.uuid("trace_id"),
            ArrowSink.int64("span_id"), ArrowSink.utf8("evaluator"), ArrowSink.float64("score"),
            ArrowSink.utf8("label"), ArrowSink.bool("passed"), ArrowSink.float64("threshold"),
            ArrowSink.utf8("explanation"), ArrowSink.utf8("judge_model"), ArrowSink.float64("judge_cost"),
            ArrowSink.int64("judge_input_tokens"), ArrowSink.int64("judge_output_tokens"), ArrowSink.utf8("input"),
            ArrowSink.utf8("output"), ArrowSink.utf8("expected"), ArrowSink.utf8("contexts_json"),
            ArrowSink.int64("judged_us"), ArrowSink.utf8("metadata")));

    /** The one statement that moves the rows of {@code from} into {@code eval_results}, numbering them. */
    private static String insert(String from) {
        return "INSERT INTO eval_results BY NAME SELECT nextval('eval_result_id_seq') AS result_id, "
                + "CASE WHEN trace_id IS NOT NULL THEN 'trace_id' END AS linked_by, "
                + "* EXCLUDE (contexts_json, judged_us), from_json(contexts_json, '[\"VARCHAR\"]') AS contexts, "
                + "to_timestamp(0) + to_microseconds(judged_us) AS judged_at FROM " + from;
    }

    /** 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z in seconds since 1970. */
    private static final long FIRST_SECOND = -62_135_596_800L;
    private static final long END_SECOND = 253_402_300_800L;

    /** Whether a time fits the workspace: the years 1 to 9999. */
    static boolean storable(Instant t) {
        return t.getEpochSecond() >= FIRST_SECOND && t.getEpochSecond() < END_SECOND;
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    private static String contextsJson(EvalResultData d) {
        return d.contexts().isEmpty() ? null : JsonTree.write(d.contexts());
    }

    /** Rows per Arrow batch. */
    private static final int BATCH_ROWS = 8_192;

    /** The rows as Arrow batches, filled when DuckDB asks for them. */
    private static final class EvalReader extends ArrowReader {
        private final List<EvalRow> rows;
        private final long[] runIds;
        private final ArrowSink.Utf8Cache evaluators = new ArrowSink.Utf8Cache();
        private final ArrowSink.Utf8Cache labels = new ArrowSink.Utf8Cache();
        private final ArrowSink.Utf8Cache models = new ArrowSink.Utf8Cache();
        private int next;

        EvalReader(BufferAllocator alloc, List<EvalRow> rows, long[] runIds) {
            super(alloc);
            this.rows = rows;
            this.runIds = runIds;
        }

        @Override
        protected Schema readSchema() {
            return ROWS;
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        protected void closeReadSource() {
        }

        @Override
        public boolean loadNextBatch() throws java.io.IOException {
            if (next >= rows.size()) {
                return false;
            }
            VectorSchemaRoot root = getVectorSchemaRoot();
            FieldVector[] v = root.getFieldVectors().toArray(new FieldVector[0]);
            int n = Math.min(BATCH_ROWS, rows.size() - next);
            // fresh buffers each batch: DuckDB may still hold the previous batch's
            for (FieldVector f : v) {
                if (f instanceof BaseVariableWidthVector w) {
                    w.allocateNew(32L * n, n);
                } else {
                    f.setInitialCapacity(n);
                    f.allocateNew();
                }
            }
            for (int i = 0; i < n; i++) {
                EvalRow row = rows.get(next + i);
                EvalResultData d = row.data();
                ((BigIntVector) v[0]).set(i, runIds[row.run()]);
                ((IntVector) v[1]).set(i, row.seq());
                ArrowSink.setText((VarCharVector) v[2], i, d.location(), null);
                ArrowSink.setText((VarCharVector) v[3], i, d.traceId(), null);
                ArrowSink.setText((VarCharVector) v[4], i, d.spanId(), null);
                ArrowSink.setText((VarCharVector) v[5], i, d.responseId(), null);
                ArrowSink.setText((VarCharVector) v[6], i, d.exampleId(), null);
                if (row.trace() == null) {
                    ((FixedSizeBinaryVector) v[7]).setNull(i);
                } else {
                    ArrowSink.setUuid((FixedSizeBinaryVector) v[7], i, row.trace().hi(), row.trace().lo());
                }
                ArrowSink.setLong((BigIntVector) v[8], i, row.span());
                ArrowSink.setText((VarCharVector) v[9], i, d.evaluator(), evaluators);
                setDouble((Float8Vector) v[10], i, d.score());
                ArrowSink.setText((VarCharVector) v[11], i, d.label(), labels);
                if (d.passed() == null) {
                    ((BitVector) v[12]).setNull(i);
                } else {
                    ((BitVector) v[12]).set(i, d.passed() ? 1 : 0);
                }
                setDouble((Float8Vector) v[13], i, d.threshold());
                ArrowSink.setText((VarCharVector) v[14], i, d.explanation(), null);
                ArrowSink.setText((VarCharVector) v[15], i, d.judgeModel(), models);
                setDouble((Float8Vector) v[16], i, d.judgeCost());
                ArrowSink.setLong((BigIntVector) v[17], i, d.judgeInputTokens());
                ArrowSink.setLong((BigIntVector) v[18], i, d.judgeOutputTokens());
                ArrowSink.setText((VarCharVector) v[19], i, d.input(), null);
                ArrowSink.setText((VarCharVector) v[20], i, d.output(), null);
                ArrowSink.setText((VarCharVector) v[21], i, d.expected(), null);
                ArrowSink.setText((VarCharVector) v[22], i, contextsJson(d), null);
                ArrowSink.setLong((BigIntVector) v[23], i, d.timestamp() == null ? null : micros(d.timestamp()));
                ArrowSink.setText((VarCharVector) v[24], i, d.metadataJson(), null);
            }
            for (FieldVector f : v) {
                f.setValueCount(n);
            }
            root.setRowCount(n);
            next += n;
            return true;
        }

        private static void setDouble(Float8Vector v, int i, Double x) {
            if (x == null) {
                v.setNull(i);
            } else {
                v.set(i, x);
            }
        }
    }

    /** Where Arrow cannot run: the rows through DuckDB's Appender into a staging table, then the same insert. */
    private static void appendStaged(DuckDBConnection c, List<EvalRow> rows, long[] runIds) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP TABLE stg_eval_results AS SELECT * EXCLUDE (result_id, linked_by, "
                    + "contexts, judged_at, metadata), CAST(NULL AS VARCHAR) AS contexts_json, "
                    + "CAST(NULL AS BIGINT) AS judged_us, metadata FROM eval_results LIMIT 0");
        }
        try (DuckDBAppender a = c.createAppender("temp", "main", "stg_eval_results")) {
            for (EvalRow row : rows) {
                EvalResultData d = row.data();
                a.beginRow().append(runIds[row.run()]).append(row.seq()).append(d.location())
                        .append(d.traceId()).append(d.spanId()).append(d.responseId()).append(d.exampleId());
                if (row.trace() == null) {
                    a.appendNull();
                } else {
                    a.appendUUID(row.trace().hi(), row.trace().lo());
                }
                a.append(row.span()).append(d.evaluator()).append(d.score()).append(d.label()).append(d.passed())
                        .append(d.threshold()).append(d.explanation()).append(d.judgeModel()).append(d.judgeCost())
                        .append(d.judgeInputTokens()).append(d.judgeOutputTokens()).append(d.input())
                        .append(d.output()).append(d.expected()).append(contextsJson(d))
                        .append(d.timestamp() == null ? null : micros(d.timestamp())).append(d.metadataJson())
                        .endRow();
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute(insert("stg_eval_results"));
            s.execute("DROP TABLE stg_eval_results");
        }
    }

    /**
     * Links the results that name a span, a response or an example to their trace, searching the spans of import
     * {@code spansOf} (0: all spans). Does nothing, cheaply, when no result waits for a link.
     */
    static void link(Connection c, int spansOf) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(Query.EVAL_UNLINKED.sql())) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return;
            }
        }
        for (String sql : statements(Query.EVAL_LINK.sql())) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (sql.contains("$1")) {
                    ps.setInt(1, spansOf);
                }
                ps.execute();
            }
        }
    }

    /** The statements of a script, each ending with a semicolon at the end of a line. */
    private static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        for (String part : script.split(";[ \\t]*\\R")) {
            if (part.lines().anyMatch(l -> !l.isBlank() && !l.strip().startsWith("--"))) {
                out.add(part);
            }
        }
        return out;
    }
}
