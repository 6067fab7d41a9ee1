package dev.tracebench.core.store;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.TraceAnalyzer;
import dev.tracebench.core.analysis.rules.CacheRule;
import dev.tracebench.core.analysis.rules.CheckRules;
import dev.tracebench.core.analysis.rules.DominantStageRule;
import dev.tracebench.core.analysis.rules.ErrorHotspotRule;
import dev.tracebench.core.analysis.rules.LoopsRule;
import dev.tracebench.core.analysis.rules.PromptGrowthRule;
import dev.tracebench.core.analysis.rules.QueueingRule;
import dev.tracebench.core.analysis.rules.TokenOutlierRule;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.task.CancellationToken;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Runs the automated checks ({@link CheckRules}) over the whole workspace: for each rule, the SQL that gathers its
 * data (the longer queries are the {@code check_*.sql} resources), then the rule itself. Findings come most severe
 * first.
 */
final class AutomatedChecks {
    private final Workspace ws;
    private final CheckSettings settings;
    private final CancellationToken cancel;

    AutomatedChecks(Workspace ws, CheckSettings settings, CancellationToken cancel) {
        this.ws = ws;
        this.settings = settings;
        this.cancel = cancel;
    }

    List<Finding> run() {
        return ws.read(c -> {
            List<Finding> out = new ArrayList<>();
            long total = scalar(c, "SELECT count(*) FROM traces");
            if (total == 0) {
                return out;
            }
            out.addAll(CheckRules.DOMINANT_STAGE.evaluate(stageTotals(c), settings));
            cancel.throwIfCancelled();
            out.addAll(CheckRules.CACHE.evaluate(cacheStats(c), settings));
            cancel.throwIfCancelled();
            out.addAll(CheckRules.QUEUEING.evaluate(queueStats(c), settings));
            cancel.throwIfCancelled();
            out.addAll(CheckRules.ERROR_HOTSPOT.evaluate(modelCalls(c), settings));
            cancel.throwIfCancelled();
            out.addAll(CheckRules.LOOPS.evaluate(callStats(c, total), settings));
            cancel.throwIfCancelled();
            out.addAll(CheckRules.TOKEN_OUTLIERS.evaluate(tokenOutliers(c), settings));
            out.addAll(CheckRules.PROMPT_GROWTH.evaluate(promptTokens(c), settings));
            out.sort((a, b) -> b.severity().compareTo(a.severity()));
            return out;
        });
    }

    private static long scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Up to three traces of {@code fromWhere} (over {@code traces t}) with the largest {@code rank}, each with its
     * span that matches {@code span} and has the largest {@code spanRank} (0 when none does); looked up when asked
     * (on the connection of the running checks: the rules run inside the read).
     */
    private static Supplier<List<Finding.Exemplar>> exemplars(Connection c, String fromWhere, String rank,
            String span, String spanRank) {
        return () -> {
            try {
                return lookUp(c, fromWhere, rank, span, spanRank);
            } catch (SQLException e) {
                throw new WorkspaceException("could not read the example traces of a check: " + e.getMessage(), e);
            }
        };
    }

    private static List<Finding.Exemplar> lookUp(Connection c, String fromWhere, String rank, String span,
            String spanRank) throws SQLException {
        String sql = "WITH top AS (SELECT t.trace_id, " + rank + " AS k FROM " + fromWhere + " ORDER BY k DESC, "
                + "t.trace_id LIMIT 3), pick AS (SELECT s.trace_id, arg_max(s.span_id, " + spanRank + ") AS span_id "
                + "FROM spans s JOIN top USING (trace_id) WHERE " + span + " GROUP BY s.trace_id) "
                + "SELECT top.trace_id, pick.span_id FROM top LEFT JOIN pick USING (trace_id) ORDER BY top.k DESC, "
                + "top.trace_id";
        List<Finding.Exemplar> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(new Finding.Exemplar(TraceId.of((UUID) rs.getObject(1)), rs.getLong(2)));
            }
        }
        return out;
    }

    private DominantStageRule.StageTotals stageTotals(Connection c) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT sum(duration_ns)");
        for (String st : TraceAnalyzer.STAGES) {
            sql.append(", sum(").append(DuckDbAnalysisService.column(st)).append(")");
        }
        sql.append(" FROM traces");
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
            rs.next();
            Map<String, Long> stages = new LinkedHashMap<>();
            for (int i = 0; i < TraceAnalyzer.STAGES.size(); i++) {
                stages.put(TraceAnalyzer.STAGES.get(i), rs.getLong(2 + i));
            }
            return new DominantStageRule.StageTotals(rs.getLong(1), stages);
        }
    }

    private CacheRule.CacheStats cacheStats(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(Query.CHECK_CACHE.sql())) {
            rs.next();
            long hits = rs.getLong(1);
            long n = rs.getLong(2);
            if (n < 1) {
                return new CacheRule.CacheStats(0, 0, 0, 0, 0, 0, 0, 0, () -> null, List::of);
            }
            return new CacheRule.CacheStats(hits, n, rs.getDouble(3), rs.getDouble(4), rs.getDouble(5),
                    rs.getDouble(6), rs.getLong(7), rs.getLong(8), () -> leastHits(c), exemplars(c,
                    "traces t WHERE t.cache_misses > 0 AND t.cache_hits = 0", "t.start_ns", "s.cache_hit = false",
                    "s.end_ns - s.start_ns"));
        }
    }

    /** The service version whose requests hit the cache least, with its service's other versions' rate. */
    private static CacheRule.VersionRate leastHits(Connection c) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(Query.CHECK_CACHE_CULPRIT.sql())) {
            if (!rs.next()) {
                return null;
            }
            double others = rs.getDouble(4);
            return rs.wasNull() ? null : new CacheRule.VersionRate(rs.getString(1), rs.getString(2), rs.getDouble(3),
                    others);
        } catch (SQLException e) {
            throw new WorkspaceException("could not read the cache hit rates by version: " + e.getMessage(), e);
        }
    }

    private QueueingRule.QueueStats queueStats(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(Query.CHECK_QUEUEING.sql())) {
            rs.next();
            return new QueueingRule.QueueStats(rs.getDouble(1), rs.getDouble(2), rs.getLong(3), exemplars(c,
                    "traces t WHERE t.queue_ns > 0", "t.queue_ns", "lower(s.name) LIKE '%queue%'",
                    "s.end_ns - s.start_ns"));
        }
    }

    private static List<ErrorHotspotRule.ModelCalls> modelCalls(Connection c) throws SQLException {
        List<ErrorHotspotRule.ModelCalls> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(Query.CHECK_ERROR_HOTSPOTS.sql())) {
            while (rs.next()) {
                String model = rs.getString(1);
                out.add(new ErrorHotspotRule.ModelCalls(model, rs.getLong(2), rs.getLong(3), rs.getDouble(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), exemplars(c, "traces t WHERE "
                        + "t.trace_id IN (SELECT trace_id FROM spans WHERE stage = 'inference' AND status_code = 2 AND "
                        + "request_model = " + DuckDbAnalysisService.quote(model) + ")", "t.start_ns",
                        "s.stage = 'inference' AND s.status_code = 2 AND s.request_model = "
                        + DuckDbAnalysisService.quote(model), "s.start_ns")));
            }
        }
        return out;
    }

    private LoopsRule.CallStats callStats(Connection c, long total) throws SQLException {
        TreeMap<Integer, Long> byCalls = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT llm_calls + tool_calls, "
                + "count(*) FROM traces GROUP BY 1")) {
            while (rs.next()) {
                byCalls.put(rs.getInt(1), rs.getLong(2));
            }
        }
        List<LoopsRule.Counted> most = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT trace_id, llm_calls + tool_calls "
                + "AS n FROM traces ORDER BY n DESC, trace_id LIMIT 3")) {
            while (rs.next()) {
                most.add(new LoopsRule.Counted(Finding.Exemplar.of(TraceId.of((UUID) rs.getObject(1))),
                        rs.getInt(2)));
            }
        }
        return new LoopsRule.CallStats(total, byCalls, most, scalar(c, "SELECT count(*) FROM traces WHERE retries > 0"),
                exemplars(c, "traces t WHERE t.retries > 0", "t.duration_ns", "s.attempt > 1",
                        "s.end_ns - s.start_ns"));
    }

    private TokenOutlierRule.Outliers tokenOutliers(Connection c) throws SQLException {
        double factor = settings.outlierFactor();
        try (PreparedStatement ps = c.prepareStatement(Query.CHECK_TOKEN_OUTLIERS.sql())) {
            ps.setDouble(1, factor);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                // (the factor is a number from the settings, not text)
                return new TokenOutlierRule.Outliers(rs.getLong(1), rs.getLong(2), factor, exemplars(c,
                        "traces t JOIN (SELECT root_name, median(input_tokens) AS med FROM traces WHERE input_tokens > 0 "
                        + "GROUP BY root_name) m USING (root_name) WHERE t.input_tokens > " + String.format(Locale.ROOT,
                        "%.6f", factor) + " * m.med", "t.input_tokens / m.med", "s.input_tokens IS NOT NULL",
                        "s.input_tokens"));
            }
        }
    }

    private static List<PromptGrowthRule.PromptTokens> promptTokens(Connection c) throws SQLException {
        List<PromptGrowthRule.PromptTokens> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(Query.CHECK_PROMPT_TOKENS.sql())) {
            while (rs.next()) {
                String v = rs.getString(1);
                double med = rs.getDouble(2);
                double others = rs.getDouble(3);
                out.add(new PromptGrowthRule.PromptTokens(v, med, others, rs.getLong(4), exemplars(c,
                        "traces t WHERE t.prompt_version = " + DuckDbAnalysisService.quote(v), "t.input_tokens",
                        "s.input_tokens IS NOT NULL", "s.input_tokens")));
            }
        }
        return out;
    }
}
