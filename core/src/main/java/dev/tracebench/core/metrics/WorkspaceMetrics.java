package dev.tracebench.core.metrics;

import dev.tracebench.core.metrics.Exposition.Family;
import dev.tracebench.core.metrics.Exposition.Type;
import dev.tracebench.core.query.QueryRefusedException;
import dev.tracebench.core.slo.SliSeries;
import dev.tracebench.core.slo.Slo;
import dev.tracebench.core.slo.SloConfigException;
import dev.tracebench.core.slo.SloEngine;
import dev.tracebench.core.slo.SloFile;
import dev.tracebench.core.slo.SloParser;
import dev.tracebench.core.slo.SloStatus;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.store.WorkspaceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code /metrics} computed from a workspace at each scrape (docs/metrics.md lists every metric).
 *
 * <p>Counters ({@code _total}, a summary's {@code _sum} and {@code _count}) count every request stored up to the
 * scrape's moment, so while traces arrive live they only grow and PromQL's {@code rate()} works on them. Everything
 * over a window (rates, ratios, quantiles) is a gauge computed over the window ending at that moment: a workbench is
 * not a long-lived process whose counters a scraper could difference, and a one-off scrape of old, imported data
 * (anchored at its newest request) has no earlier scrape to difference against at all.
 */
public final class WorkspaceMetrics {
    private static final List<String> QUANTILE_TEXT = MetricsService.QUANTILES.stream()
            .map(Exposition::number).toList();
    /** The burn-rate windows exposed per SLO (the fast page's short and long window). */
    private static final List<Duration> BURN_WINDOWS = List.of(Duration.ofMinutes(5), Duration.ofHours(1));

    private WorkspaceMetrics() {
    }

    /**
     * The endpoint the receiver's HTTP port serves: each scrape reads the workspace {@code workspace} supplies then
     * (null while none is open: only the window's own gauges), with the moment from {@code clock}. A failing query
     * throws {@link WorkspaceException}; the server answers it with an error status.
     */
    public static MetricsEndpoint endpoint(Supplier<Workspace> workspace, Clock clock, MetricsOptions options) {
        SloCache slos = new SloCache();
        return accept -> scrape(workspace.get(), clock, options, Exposition.wantsOpenMetrics(accept), slos);
    }

    /** One scrape of {@code ws} (may be null), in OpenMetrics or the Prometheus text format. */
    public static MetricsEndpoint.Exposition scrape(Workspace ws, Clock clock, MetricsOptions options,
            boolean openMetrics) {
        return scrape(ws, clock, options, openMetrics, new SloCache());
    }

    private static MetricsEndpoint.Exposition scrape(Workspace ws, Clock clock, MetricsOptions options,
            boolean openMetrics, SloCache sloCache) {
        long t0 = System.nanoTime();
        Instant newest = ws == null ? null : ws.metrics().newest().orElse(null);
        Instant end = switch (options.anchor()) {
            case NOW -> clock.instant();
            case LATEST -> newest != null ? newest : clock.instant();
            case FIXED -> options.at();
        };
        List<Family> families = new ArrayList<>();
        if (ws != null) {
            requests(ws.metrics().counts(end, options.window()), options.window(), families);
            if (options.sloFile() != null && Files.exists(options.sloFile())) {
                families.addAll(sloCache.get(ws, options.sloFile(), end));
            }
        }
        families.add(new Family("tracebench_window_seconds", Type.GAUGE,
                "Length of the window the rates, ratios and quantiles cover.")
                .add(options.window().toNanos() / 1e9));
        families.add(new Family("tracebench_window_end_timestamp_seconds", Type.GAUGE,
                "End of the window (Unix time): now, the newest request (--at latest) or a fixed moment.")
                .add(seconds(end)));
        if (newest != null) {
            families.add(new Family("tracebench_newest_request_timestamp_seconds", Type.GAUGE,
                    "Start of the newest request in the workspace (Unix time).").add(seconds(newest)));
        }
        families.add(new Family("tracebench_scrape_duration_seconds", Type.GAUGE,
                "Time this scrape took to compute.").add((System.nanoTime() - t0) / 1e9));
        return Exposition.write(families, openMetrics);
    }

    private static void requests(MetricsService.Counts counts, Duration window, List<Family> out) {
        double windowSeconds = window.toNanos() / 1e9;
        Family requests = new Family("tracebench_requests", Type.COUNTER,
                "Requests (traces) that started up to the window's end, per service, route and model.");
        Family errors = new Family("tracebench_request_errors", Type.COUNTER,
                "Requests whose root span failed (status ERROR).");
        Family rate = new Family("tracebench_requests_per_second", Type.GAUGE,
                "Requests per second over the window.");
        Family errorRatio = new Family("tracebench_request_error_ratio", Type.GAUGE,
                "Share of the window's requests that failed (series only where the window has requests).");
        Family duration = new Family("tracebench_request_duration_seconds", Type.SUMMARY,
                "Request latency (root span duration): quantiles over the window, sum and count over all requests.");
        Family queue = new Family("tracebench_queue_duration_seconds", Type.SUMMARY,
                "Time requests spent queued (critical-path time in spans named like queue, e.g. gateway.queue), of "
                        + "requests that queued: quantiles over the window, sum and count over all of them.");
        Family cache = new Family("tracebench_cache_lookups", Type.COUNTER,
                "Cache lookups the requests' spans report, by result (hit or miss).");
        Family hitRatio = new Family("tracebench_cache_hit_ratio", Type.GAUGE,
                "Share of the window's cache lookups that hit.");
        Family tokens = new Family("tracebench_tokens", Type.COUNTER,
                "Model tokens of the requests, by type (input or output).");
        Family cost = new Family("tracebench_cost_usd", Type.COUNTER,
                "Model cost of the requests in US dollars (reported, or computed from the price table).");
        for (MetricsService.Group g : counts.groups()) {
            String[] l = {"service", g.service(), "route", g.route(), "model", g.model()};
            requests.add(g.requests(), l);
            errors.add(g.errors(), l);
            rate.add(g.windowRequests() / windowSeconds, l);
            if (g.windowRequests() > 0) {
                errorRatio.add(g.windowErrors() / (double) g.windowRequests(), l);
            }
            summary(duration, l, g.durationQuantiles(), g.durationSeconds(), g.requests());
            if (g.queued() > 0) {
                summary(queue, l, g.queueQuantiles(), g.queueSeconds(), g.queued());
            }
            if (g.cacheHits() + g.cacheMisses() > 0) {
                cache.add(g.cacheHits(), with(l, "result", "hit"));
                cache.add(g.cacheMisses(), with(l, "result", "miss"));
            }
            long lookups = g.windowCacheHits() + g.windowCacheMisses();
            if (lookups > 0) {
                hitRatio.add(g.windowCacheHits() / (double) lookups, l);
            }
            if (g.inputTokens() + g.outputTokens() > 0) {
                tokens.add(g.inputTokens(), with(l, "type", "input"));
                tokens.add(g.outputTokens(), with(l, "type", "output"));
            }
            if (!Double.isNaN(g.cost())) {
                cost.add(g.cost(), l);
            }
        }
        Family verdicts = new Family("tracebench_eval_verdicts", Type.COUNTER,
                "Eval verdicts on the requests, per evaluator, by verdict (pass or fail).");
        Family passRatio = new Family("tracebench_eval_pass_ratio", Type.GAUGE,
                "Share of the verdicts on the window's requests that passed, per evaluator.");
        for (MetricsService.Evaluator e : counts.evaluators()) {
            verdicts.add(e.passed(), "evaluator", e.name(), "verdict", "pass");
            verdicts.add(e.failed(), "evaluator", e.name(), "verdict", "fail");
            long judged = e.windowPassed() + e.windowFailed();
            if (judged > 0) {
                passRatio.add(e.windowPassed() / (double) judged, "evaluator", e.name());
            }
        }
        out.addAll(List.of(requests, errors, rate, errorRatio, duration, queue, cache, hitRatio, tokens, cost,
                verdicts, passRatio));
    }

    private static void summary(Family f, String[] labels, double[] quantiles, double sum, long count) {
        for (int i = 0; i < quantiles.length; i++) {
            f.add("", quantiles[i], List.of(with(labels, "quantile", QUANTILE_TEXT.get(i))));
        }
        f.add("_sum", sum, List.of(labels));
        f.add("_count", count, List.of(labels));
    }

    private static String[] with(String[] labels, String name, String value) {
        String[] out = java.util.Arrays.copyOf(labels, labels.length + 2);
        out[labels.length] = name;
        out[labels.length + 1] = value;
        return out;
    }

    /**
     * The SLO families of the last scrape while the workspace, the SLO file and the minute holding the window's end
     * stay the same. SLOs are computed in whole minutes, and computing them means one aggregation over all their
     * events per SLO (on 70,000 requests here a file of 18 SLOs took a scrape from a median of ~0.1 s to ~0.9 s): a
     * scraper polling every 15 s pays that once a minute, not at every scrape.
     */
    private static final class SloCache {
        private List<Object> key;
        private List<Family> families;

        synchronized List<Family> get(Workspace ws, Path file, Instant end) {
            List<Object> k;
            try {
                k = List.of(ws, file, Files.getLastModifiedTime(file), Files.size(file),
                        Math.floorDiv(end.getEpochSecond(), 60));
            } catch (IOException e) {
                k = null;
            }
            if (k == null || !k.equals(key)) {
                families = new ArrayList<>();
                slos(ws, file, end, families);
                key = k;
            }
            return families;
        }
    }

    /**
     * Each SLO of the file evaluated at the end of the minute holding {@code end} (the SLO engine's step), with its
     * burn rate over the last 5 minutes and hour of whole steps (a step is a minute unless the SLO's events span over
     * ~69 days: {@link SliSeries#stepFor}). A file that does not parse, or an SLO whose SQL fails, is counted in
     * {@code tracebench_slo_config_problems} (run {@code tracebench slo check} to see why).
     */
    private static void slos(Workspace ws, Path sloFile, Instant end, List<Family> out) {
        Family problems = new Family("tracebench_slo_config_problems", Type.GAUGE,
                "Problems in the SLO file (or SLOs that failed to compute); tracebench slo check says which.");
        Family objective = new Family("tracebench_slo_objective_ratio", Type.GAUGE,
                "The SLO's objective: the share of events that must be good.");
        Family sli = new Family("tracebench_slo_sli_ratio", Type.GAUGE,
                "Share of the SLO's events over its own window (e.g. 30 days) that were good.");
        Family remaining = new Family("tracebench_slo_error_budget_remaining_ratio", Type.GAUGE,
                "Share of the SLO's error budget left over its window (negative when overspent).");
        Family burn = new Family("tracebench_slo_burn_rate", Type.GAUGE,
                "Error-budget burn rate over the window (1 spends the budget exactly over the SLO window).");
        Family firing = new Family("tracebench_slo_alert_firing", Type.GAUGE,
                "1 while the SLO's multiwindow burn-rate alert fires, else 0.");
        SloFile file;
        try {
            file = SloParser.load(sloFile);
        } catch (SloConfigException e) {
            out.add(problems.add(e.problems().size()));
            return;
        }
        int failed = 0;
        for (Slo slo : file.slos()) {
            SliSeries s;
            try {
                s = ws.slos().series(slo);
            } catch (WorkspaceException | QueryRefusedException e) {
                failed++;
                continue;
            }
            long stepNs = s.step().toNanos();
            long k = Math.floorDiv(Duration.between(s.origin(), end).toNanos(), stepNs); // the step holding end
            SloStatus st = SloEngine.evaluate(slo, s, s.origin().plus(s.step().multipliedBy(k + 1)));
            objective.add(slo.objective(), "slo", slo.name());
            sli.add(st.sli(), "slo", slo.name());
            remaining.add(st.budgetRemaining(), "slo", slo.name());
            for (Duration w : BURN_WINDOWS) {
                long n = Math.max(1, w.toNanos() / stepNs);
                long total = 0;
                long good = 0;
                for (long i = Math.max(0, k - n + 1); i <= Math.min(k, s.buckets() - 1L); i++) {
                    total += s.total()[(int) i];
                    good += s.good()[(int) i];
                }
                burn.add(SloEngine.burnRate(total - good, total, slo.objective()), "slo", slo.name(), "window",
                        MetricsOptions.windowLabel(w));
            }
            for (SloStatus.RuleState r : st.rules()) {
                firing.add(r.firing() ? 1 : 0, "slo", slo.name(), "alert", r.rule().name(), "severity",
                        r.rule().kind());
            }
        }
        problems.add(failed);
        out.addAll(List.of(problems, objective, sli, remaining, burn, firing));
    }

    private static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }
}
