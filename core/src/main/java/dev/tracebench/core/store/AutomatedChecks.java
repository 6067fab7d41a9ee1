package dev.tracebench.core.store;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.analysis.TraceAnalyzer;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.report.Durations;
import dev.tracebench.core.task.CancellationToken;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Always-on checks over the whole workspace, in the spirit of JDK Mission Control's automated analysis: each looks
 * for one known kind of trouble and reports it as a {@link Finding} with its evidence. Thresholds are in
 * {@link CheckSettings}; a check that finds nothing wrong reports nothing (or an info line when it has a useful
 * number).
 *
 * <ul>
 *   <li>{@code dominant-stage}: a stage takes ≥ {@code dominantStageShare} of all critical-path time (a model call
 *       dominating an LLM application is expected and only informative; anything else is a warning).</li>
 *   <li>{@code cache}: requests that miss a cache are slower, and the hit rate of the last quarter of the time range is
 *       below half that of the first quarter (a cache that stopped working).</li>
 *   <li>{@code queueing}: queue time at the busiest times (top quarter of requests per minute) is
 *       ≥ {@code queueGrowthRatio} times that at the quietest.</li>
 *   <li>{@code error-hotspot}: a model (as requested: a failed call often names no served version) that fails on
 *       at least 2% of its calls and ≥ {@code errorHotspotShare} times as often as the others (notice), or whose
 *       failure rate rose threefold from the first third of the time range to the last (warning); critical from 10%.
 *       </li>
 *   <li>{@code loops}: requests that make ≥ {@code loopCalls} model or tool calls, or retry.</li>
 *   <li>{@code token-outliers}: requests sending more than {@code outlierFactor} times the median input tokens of their
 *       operation (notice); a prompt version whose median input is 1.5 times the others' (warning), twice
 *       (critical: input tokens are most of a call's cost).</li>
 * </ul>
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
            dominantStage(c, out);
            cancel.throwIfCancelled();
            cache(c, out);
            cancel.throwIfCancelled();
            queueing(c, out);
            cancel.throwIfCancelled();
            errorHotspots(c, out);
            cancel.throwIfCancelled();
            loops(c, total, out);
            cancel.throwIfCancelled();
            tokens(c, out);
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

    private static List<TraceId> ids(Connection c, String sql) throws SQLException {
        List<TraceId> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(TraceId.of((UUID) rs.getObject(1)));
            }
        }
        return out;
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    private void dominantStage(Connection c, List<Finding> out) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT sum(duration_ns)");
        for (String st : TraceAnalyzer.STAGES) {
            sql.append(", sum(").append(DuckDbAnalysisService.column(st)).append(")");
        }
        sql.append(" FROM traces");
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
            rs.next();
            double total = rs.getDouble(1);
            if (total <= 0) {
                return;
            }
            for (int i = 0; i < TraceAnalyzer.STAGES.size(); i++) {
                String stage = TraceAnalyzer.STAGES.get(i);
                double share = rs.getDouble(2 + i) / total;
                if (share >= settings.dominantStageShare()) {
                    boolean expected = stage.equals("inference");
                    out.add(new Finding(expected ? Severity.INFO : Severity.WARNING, "dominant-stage",
                            Character.toUpperCase(stage.charAt(0)) + stage.substring(1) + " takes " + pct(share)
                                    + " of all request time on the critical path.",
                            expected ? "Model calls dominating an LLM application is normal; faster or smaller models, "
                                    + "shorter outputs or streaming are where time can be won."
                                    : "One stage that is not the model call holds most requests up: the breakdown by "
                                    + "operation shows which of its spans.",
                            new Finding.Evidence(0, 0, 0, 0, share, 0, Map.of("stage", stage, "share", pct(share),
                                    "threshold", pct(settings.dominantStageShare()))), List.of()));
                }
            }
        }
    }

    private void cache(Connection c, List<Finding> out) throws SQLException {
        String sql = Query.CHECK_CACHE.sql();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            long hits = rs.getLong(1);
            long n = rs.getLong(2);
            if (n < 50) {
                return;
            }
            double medHit = rs.getDouble(3);
            double medMiss = rs.getDouble(4);
            double early = rs.getDouble(5);
            double late = rs.getDouble(6);
            boolean regressed = rs.getLong(7) >= 20 && rs.getLong(8) >= 20 && early > 0.05 && late < early / 2;
            boolean slower = medHit > 0 && medMiss >= 1.5 * medHit;
            if (!regressed && !slower) {
                return;
            }
            String summary = regressed
                    ? "The cache hit rate fell from " + pct(early) + " in the first quarter of the time range to "
                            + pct(late) + " in the last, and requests that miss take " + Durations.format((long) medMiss)
                            + " (median) against " + Durations.format((long) medHit) + " for hits."
                    : "Requests that miss the cache take " + Durations.format((long) medMiss) + " (median) against "
                            + Durations.format((long) medHit) + " for hits; " + pct((double) hits / n)
                            + " of cached lookups hit.";
            if (regressed) {
                String culprit = cacheCulprit(c);
                if (culprit != null) {
                    summary += " " + culprit;
                }
            }
            out.add(new Finding(regressed ? Severity.WARNING : Severity.INFO, "cache", summary,
                    regressed ? "A cache that stopped hitting turns cheap requests into full ones: look for a deploy, "
                            + "a key change or an eviction around when the rate dropped (the timeline shows when)."
                            : "Cache misses correlate with latency, as expected; the hit rate is stable.",
                    new Finding.Evidence(0, 0, 0, 0, early - late, 0, Map.of("hit_rate_first_quarter", pct(early),
                            "hit_rate_last_quarter", pct(late), "median_hit", Durations.format((long) medHit),
                            "median_miss", Durations.format((long) medMiss))),
                    ids(c, "SELECT trace_id FROM traces WHERE cache_misses > 0 AND cache_hits = 0 ORDER BY start_ns DESC "
                            + "LIMIT 3")));
        }
    }

    /**
     * The service version (resource attribute service.version) whose requests hit the cache least, when it is far
     * below the other versions of the same service: "It coincides with support-assistant 2.15.0 (hit rate 4% against
     * 49%)." Null if no version stands out.
     */
    private static String cacheCulprit(Connection c) throws SQLException {
        String sql = Query.CHECK_CACHE_CULPRIT.sql();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                return null;
            }
            double rate = rs.getDouble(3);
            double others = rs.getDouble(4);
            if (rs.wasNull() || others <= 0 || rate > others / 2) {
                return null;
            }
            return "It coincides with " + rs.getString(1) + " " + rs.getString(2) + " (cache hit rate " + pct(rate)
                    + " against " + pct(others) + " for its other versions).";
        }
    }

    private void queueing(Connection c, List<Finding> out) throws SQLException {
        String sql = Query.CHECK_QUEUEING.sql();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            double busy = rs.getDouble(1);
            double quiet = rs.getDouble(2);
            if (rs.getLong(3) < 8 || quiet <= 0) {
                return;
            }
            double ratio = busy / quiet;
            if (ratio >= settings.queueGrowthRatio()) {
                out.add(new Finding(Severity.WARNING, "queueing", "Queue time grows with load: at the busiest minutes "
                        + "the p95 queue wait is " + Durations.format((long) busy) + ", " + String.format(Locale.ROOT,
                        "%.1f", ratio) + " times the " + Durations.format((long) quiet) + " of the quietest.",
                        "Requests wait for a worker or a rate limit before the model call starts; capacity or "
                                + "concurrency limits are reached at peak load.",
                        new Finding.Evidence(0, 0, 0, 0, ratio, 0, Map.of("busy_p95", Durations.format((long) busy),
                                "quiet_p95", Durations.format((long) quiet))),
                        ids(c, "SELECT trace_id FROM traces ORDER BY queue_ns DESC LIMIT 3")));
            }
        }
    }

    private void errorHotspots(Connection c, List<Finding> out) throws SQLException {
        // by the model asked for (a failed call often names no served version); also whether its rate rose over time
        String sql = Query.CHECK_ERROR_HOTSPOTS.sql();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                String model = rs.getString(1);
                long n = rs.getLong(2);
                long f = rs.getLong(3);
                double rate = (double) f / n;
                double others = rs.getDouble(4);
                long en = rs.getLong(5);
                long ef = rs.getLong(6);
                long ln = rs.getLong(7);
                long lf = rs.getLong(8);
                double early = en == 0 ? 0 : (double) ef / en;
                double late = ln == 0 ? 0 : (double) lf / ln;
                // a rise that chance does not explain (two-proportion z test, as in root cause)
                boolean rose = late >= 0.03 && late >= 3 * Math.max(early, 0.005)
                        && dev.tracebench.core.analysis.Proportions.confidence(lf, ln, ef, en) >= 0.999;
                if (rate < 0.02 || (rate < settings.errorHotspotShare() * Math.max(others, 0.001) && !rose)) {
                    continue;
                }
                // a model that always fails more than the others is worth knowing; one that started failing is news
                Severity sev = rate >= 0.10 ? Severity.CRITICAL : rose ? Severity.WARNING : Severity.NOTICE;
                String summary = "Calls to model " + model + " fail " + pct(rate) + " of the time ("
                        + String.format(Locale.ROOT, "%,d of %,d", f, n) + "), against " + String.format(Locale.ROOT, "%.1f%%", others * 100) + " for the other models"
                        + (rose ? "; the rate rose from " + pct(early) + " in the first third of the time range to "
                        + pct(late) + " in the last." : ".");
                out.add(new Finding(sev, "error-hotspot", summary,
                        "Failures concentrate on one model: a bad rollout, a quota or an outage of that deployment. "
                                + "Check the error messages of its spans and whether clients retried.",
                        new Finding.Evidence(n, f, 0, 0, rate, 0, Map.of("model", model, "failure_rate", pct(rate),
                                "first_third", pct(early), "last_third", pct(late))),
                        ids(c, "SELECT DISTINCT trace_id FROM spans WHERE stage = 'inference' AND status_code = 2 "
                                + "AND request_model = " + DuckDbAnalysisService.quote(model) + " LIMIT 3")));
            }
        }
    }

    private void loops(Connection c, long total, List<Finding> out) throws SQLException {
        long loops = scalar(c, "SELECT count(*) FROM traces WHERE llm_calls + tool_calls >= " + settings.loopCalls());
        long retried = scalar(c, "SELECT count(*) FROM traces WHERE retries > 0");
        if (loops > 0) {
            out.add(new Finding(loops * 100 >= total ? Severity.WARNING : Severity.NOTICE, "loops",
                    String.format(Locale.ROOT, "%,d %s %d or more model and tool calls.", loops,
                            loops == 1 ? "request made" : "requests made", settings.loopCalls()),
                    "Agent or tool loops multiply latency and cost; check whether a stop condition is missing.",
                    new Finding.Evidence(total, loops, 0, 0, (double) loops / total, 0, Map.of("threshold",
                            Integer.toString(settings.loopCalls()))),
                    ids(c, "SELECT trace_id FROM traces WHERE llm_calls + tool_calls >= " + settings.loopCalls()
                            + " ORDER BY llm_calls + tool_calls DESC LIMIT 3")));
        }
        if (retried * 20 >= total) {
            out.add(new Finding(Severity.NOTICE, "loops", pct((double) retried / total) + " of requests retried a "
                    + "call.", "Retries hide failures from users but add their latency; see which calls failed first.",
                    new Finding.Evidence(total, retried, 0, 0, (double) retried / total, 0, Map.of()),
                    ids(c, "SELECT trace_id FROM traces WHERE retries > 0 ORDER BY duration_ns DESC LIMIT 3")));
        }
    }

    private void tokens(Connection c, List<Finding> out) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Query.CHECK_TOKEN_OUTLIERS.sql())) {
            ps.setDouble(1, settings.outlierFactor());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long n = rs.getLong(1);
                long outliers = rs.getLong(2);
                if (outliers > 0) {
                    out.add(new Finding(Severity.NOTICE, "token-outliers", outliers + " requests sent more than "
                            + settings.outlierFactor() + " times the median input tokens of their operation.",
                            "Very long prompts cost more and are slower; look for runaway context or history.",
                            new Finding.Evidence(n, outliers, 0, 0, (double) outliers / Math.max(1, n), 0, Map.of()),
                            ids(c, "SELECT trace_id FROM traces ORDER BY input_tokens DESC LIMIT 3")));
                }
            }
        }
        String prompts = Query.CHECK_PROMPT_TOKENS.sql();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(prompts)) {
            while (rs.next()) {
                double med = rs.getDouble(2);
                double others = rs.getDouble(3);
                if (others > 0 && med >= 1.5 * others) {
                    String v = rs.getString(1);
                    // input tokens are most of the cost of a call: twice the tokens is twice the bill
                    out.add(new Finding(med >= 2 * others ? Severity.CRITICAL : Severity.WARNING, "token-outliers",
                            "Prompt version " + v + " sends "
                            + String.format(Locale.ROOT, "%.1f", med / others) + " times the input tokens of the other "
                            + "versions (median " + (long) med + " against " + (long) others + ").",
                            "Input tokens drive cost and latency; a template change that grew the prompt (longer "
                                    + "instructions, more examples, more context) shows up here.",
                            new Finding.Evidence(rs.getLong(4), 0, 0, 0, med / others, 0, Map.of("prompt_version", v)),
                            ids(c, "SELECT trace_id FROM traces WHERE prompt_version = " + DuckDbAnalysisService.quote(v)
                                    + " ORDER BY input_tokens DESC LIMIT 3")));
                }
            }
        }
    }
}
