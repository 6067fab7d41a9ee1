package dev.tracebench.core.store;

import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.json.JsonTree;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.model.TraceId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * TEST ONLY: stores eval results straight into {@code eval_runs} / {@code eval_results}, linked by trace id, for the
 * quality-cohort tests, until the store's {@code IngestSession.evalRun/evalResult} and the evals.jsonl importer land
 * (at merge the acceptance test switches to importing evals.jsonl with the real importer). Reads the generator's
 * evals.jsonl shape: trace_id, span_id, evaluator, score, label, passed, threshold, explanation.
 */
public final class TestEvalRows {
    private TestEvalRows() {
    }

    /** The rows of a generator evals.jsonl file, as the ingest API's records. */
    public static List<EvalResultData> readJsonl(Path file) throws IOException {
        List<EvalResultData> out = new ArrayList<>();
        int line = 0;
        for (String text : Files.readAllLines(file)) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            Map<?, ?> m = (Map<?, ?>) JsonTree.parse(text);
            out.add(EvalResultData.builder((String) m.get("evaluator")).location("line " + line)
                    .traceId((String) m.get("trace_id")).spanId((String) m.get("span_id"))
                    .score(m.get("score") instanceof Number n ? n.doubleValue() : null)
                    .label((String) m.get("label")).passed((Boolean) m.get("passed"))
                    .threshold(m.get("threshold") instanceof Number n ? n.doubleValue() : null)
                    .explanation((String) m.get("explanation")).build());
        }
        return out;
    }

    /** Stores {@code results} as one run named {@code name}; returns the run id. */
    public static long store(Workspace ws, String name, List<EvalResultData> results) {
        long[] run = new long[1];
        ws.write(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT nextval('eval_run_id_seq')")) {
                rs.next();
                run[0] = rs.getLong(1);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO eval_runs (run_id, import_id, name, "
                    + "source_format, file, config) VALUES (?, 0, ?, 'test-rows', ?, '{}')")) {
                ps.setLong(1, run[0]);
                ps.setString(2, name);
                ps.setString(3, name);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO eval_results (result_id, run_id, seq, location, "
                    + "source_trace_id, source_span_id, trace_id, span_id, linked_by, evaluator, score, label, passed, "
                    + "threshold, explanation) VALUES (nextval('eval_result_id_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    + "?, ?, ?)")) {
                int seq = 0;
                for (EvalResultData r : results) {
                    TraceId id = r.traceId() == null ? null : TraceId.fromHex(r.traceId());
                    Long span = r.spanId() == null ? null : Ids.parseSpanId(r.spanId());
                    ps.setLong(1, run[0]);
                    ps.setInt(2, seq++);
                    ps.setString(3, r.location());
                    ps.setString(4, r.traceId());
                    ps.setString(5, r.spanId());
                    ps.setObject(6, id == null ? null : id.uuid());
                    setLong(ps, 7, span);
                    ps.setString(8, id == null ? null : "trace_id");
                    ps.setString(9, r.evaluator());
                    setDouble(ps, 10, r.score());
                    ps.setString(11, r.label());
                    if (r.passed() == null) {
                        ps.setNull(12, Types.BOOLEAN);
                    } else {
                        ps.setBoolean(12, r.passed());
                    }
                    setDouble(ps, 13, r.threshold());
                    ps.setString(14, r.explanation());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
        return run[0];
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws java.sql.SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    private static void setDouble(PreparedStatement ps, int i, Double v) throws java.sql.SQLException {
        if (v == null) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }
}
