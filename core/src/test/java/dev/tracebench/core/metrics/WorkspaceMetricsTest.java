package dev.tracebench.core.metrics;

import static dev.tracebench.core.testing.Spans.T0;
import static dev.tracebench.core.testing.Spans.resource;
import static dev.tracebench.core.testing.Spans.scope;
import static dev.tracebench.core.testing.Spans.span;
import static dev.tracebench.core.testing.Spans.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.core.testing.PrometheusText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /metrics over hand-made traffic: 200 requests 10 s apart. Every 4th request is a batch job (root "nightly-run", no
 * route), the others POST /answer on service api. Each calls gpt-4o; every 5th is served by the slow new version
 * gpt-4o-2025-new (+2 s). Every 7th fails. Even requests queue 10..14 ms in gateway.queue before the call; api calls
 * report a cache hit on every 3rd request, a miss otherwise. Groundedness fails on every 4th request. The expected
 * numbers are computed from that plan here, not read from the workspace.
 */
class WorkspaceMetricsTest {
    @TempDir
    static Path dir;
    static Workspace ws;
    static final int N = 200;
    /** The scrape's end: the start of request 150. The 5-minute window holds requests 121..150. */
    static final Instant END = Instant.ofEpochSecond(0, T0 + 150 * 10_000_000_000L);

    static String service(int n) {
        return n % 4 == 3 ? "batch" : "api";
    }

    static String route(int n) {
        return service(n).equals("api") ? "/answer" : "nightly-run";
    }

    static String model(int n) {
        return n % 5 == 0 ? "gpt-4o-2025-new" : "gpt-4o-2024-08-06";
    }

    static double durationMs(int n) {
        return 100 + (n % 10) * 50 + (n % 5 == 0 ? 2000 : 0);
    }

    static boolean failed(int n) {
        return n % 7 == 0;
    }

    static double queueMs(int n) {
        return n % 2 == 0 ? 10 + n % 5 : 0;
    }

    static Boolean cacheHit(int n) {
        return service(n).equals("api") ? n % 3 == 0 : null;
    }

    static boolean grounded(int n) {
        return n % 4 != 0;
    }

    @BeforeAll
    static void workspace() {
        ws = Workspace.open(dir.resolve("metrics.duckdb"));
        ImportReport r = ws.ingest("traffic", -1, s -> {
            long sc = s.scope(scope("test"));
            long api = s.resource(resource("api"));
            long batch = s.resource(resource("batch"));
            for (int n = 0; n < N; n++) {
                double t0 = n * 10_000.0;
                double end = t0 + durationMs(n);
                var t = trace(n);
                long res = service(n).equals("api") ? api : batch;
                List<Attribute> rootAttrs = service(n).equals("api") ? List.of(Attribute.of("http.route", "/answer"))
                        : List.of();
                s.span(res, sc, span(t, 1, null, service(n).equals("api") ? "POST /answer" : "nightly-run", t0, end,
                        failed(n) ? StatusCode.ERROR : StatusCode.OK, rootAttrs));
                double callStart = t0 + 1;
                if (queueMs(n) > 0) {
                    s.span(res, sc, span(t, 3, 1L, "gateway.queue", t0 + 1, t0 + 1 + queueMs(n)));
                    callStart = t0 + 1 + queueMs(n);
                }
                List<Attribute> call = new ArrayList<>(List.of(Attribute.of("gen_ai.operation.name", "chat"),
                        Attribute.of("gen_ai.request.model", "gpt-4o"), Attribute.of("gen_ai.response.model", model(n)),
                        Attribute.of("gen_ai.usage.input_tokens", 100L + n), Attribute.of("gen_ai.usage.output_tokens",
                                50L), Attribute.of("gen_ai.usage.cost", 0.001 * n)));
                if (cacheHit(n) != null) {
                    call.add(Attribute.of("app.cache.hit", cacheHit(n)));
                }
                s.span(res, sc, span(t, 2, 1L, "chat gpt-4o", callStart, end - 1, StatusCode.OK, call));
            }
            return new SourceFacts("test", "metrics", 1);
        }, ProgressListener.NONE, CancellationToken.none());
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        List<EvalResultData> results = new ArrayList<>();
        for (int n = 0; n < N; n++) {
            results.add(EvalResultData.builder("groundedness").traceId(trace(n).hex())
                    .score(grounded(n) ? 0.9 : 0.2).threshold(0.5).build());
        }
        results.add(EvalResultData.builder("groundedness").exampleId("unlinked").passed(false).build());
        ws.evals().store(new EvalRunData("online", "test-rows", "", null, "{}", null), results, ProgressListener.NONE,
                CancellationToken.none());
    }

    @AfterAll
    static void close() {
        ws.close();
    }

    static PrometheusText scrape(MetricsOptions o, boolean openMetrics) {
        MetricsEndpoint.Exposition e = WorkspaceMetrics.endpoint(() -> ws, Clock.fixed(END, ZoneOffset.UTC), o)
                .scrape(openMetrics ? "application/openmetrics-text;version=1.0.0,text/plain;q=0.5" : "*/*");
        assertEquals(openMetrics ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8", e.contentType());
        return PrometheusText.parse(new String(e.body(), StandardCharsets.UTF_8), openMetrics);
    }

    static boolean upToEnd(int n) {
        return n <= 150;
    }

    static boolean inWindow(int n) {
        return n > 120 && n <= 150;
    }

    /** The plan's requests of one (service, route, model) meeting {@code when}. */
    static List<Integer> group(String service, String model, IntPredicate when) {
        List<Integer> out = new ArrayList<>();
        for (int n = 0; n < N; n++) {
            if (service(n).equals(service) && model(n).equals(model) && when.test(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** Linear interpolation between the closest ranks (what DuckDB's quantile_cont and numpy's default do). */
    static double quantile(List<Double> values, double q) {
        List<Double> v = values.stream().sorted().toList();
        double pos = q * (v.size() - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, v.size() - 1);
        return v.get(lo) + (v.get(hi) - v.get(lo)) * (pos - lo);
    }

    @Test
    void requestMetricsPerServiceRouteAndModelMatchThePlan() {
        for (boolean om : new boolean[] {false, true}) {
            PrometheusText p = scrape(MetricsOptions.DEFAULT.withAt(END.toString()), om);
            int series = 0;
            for (String svc : List.of("api", "batch")) {
                for (String model : List.of("gpt-4o-2025-new", "gpt-4o-2024-08-06")) {
                    List<Integer> all = group(svc, model, WorkspaceMetricsTest::upToEnd);
                    List<Integer> win = group(svc, model, WorkspaceMetricsTest::inWindow);
                    String route = route(all.get(0));
                    String[] l = {"service", svc, "route", route, "model", model};
                    String what = svc + "/" + model + (om ? " (OpenMetrics)" : "");
                    series++;
                    assertEquals(all.size(), p.value("tracebench_requests_total", l), what);
                    assertEquals(all.stream().filter(WorkspaceMetricsTest::failed).count(),
                            p.value("tracebench_request_errors_total", l), what);
                    assertEquals(win.size() / 300.0, p.value("tracebench_requests_per_second", l), 1e-12, what);
                    assertEquals(win.stream().filter(WorkspaceMetricsTest::failed).count() / (double) win.size(),
                            p.value("tracebench_request_error_ratio", l), 1e-12, what);
                    List<Double> durations = win.stream().map(n -> durationMs(n) / 1000).toList();
                    for (double q : List.of(0.5, 0.95, 0.99)) {
                        assertEquals(quantile(durations, q), p.value("tracebench_request_duration_seconds",
                                with(l, "quantile", Exposition.number(q))), 1e-9, what + " q" + q);
                    }
                    assertEquals(all.stream().mapToDouble(n -> durationMs(n) / 1000).sum(),
                            p.value("tracebench_request_duration_seconds_sum", l), 1e-9, what);
                    assertEquals(all.size(), p.value("tracebench_request_duration_seconds_count", l), what);
                    List<Integer> queued = all.stream().filter(n -> queueMs(n) > 0).toList();
                    if (queued.isEmpty()) {
                        // batch jobs on the new version are odd-numbered: none queued, no queue series
                        assertNull(p.value("tracebench_queue_duration_seconds_count", l), what);
                    } else {
                        assertEquals(queued.size(), p.value("tracebench_queue_duration_seconds_count", l), what);
                        assertEquals(queued.stream().mapToDouble(n -> queueMs(n) / 1000).sum(),
                                p.value("tracebench_queue_duration_seconds_sum", l), 1e-9, what);
                        List<Double> winQueue = win.stream().filter(n -> queueMs(n) > 0).map(n -> queueMs(n) / 1000)
                                .toList();
                        assertEquals(quantile(winQueue, 0.95), p.value("tracebench_queue_duration_seconds",
                                with(l, "quantile", "0.95")), 1e-9, what);
                    }
                    assertEquals(all.stream().mapToLong(n -> 100L + n).sum(), p.value("tracebench_tokens_total",
                            with(l, "type", "input")), what);
                    assertEquals(50.0 * all.size(), p.value("tracebench_tokens_total", with(l, "type", "output")),
                            what);
                    assertEquals(all.stream().mapToDouble(n -> 0.001 * n).sum(), p.value("tracebench_cost_usd_total",
                            l), 1e-9, what);
                    if (svc.equals("api")) {
                        long hits = all.stream().filter(WorkspaceMetricsTest::cacheHit).count();
                        assertEquals(hits, p.value("tracebench_cache_lookups_total", with(l, "result", "hit")), what);
                        assertEquals(all.size() - hits, p.value("tracebench_cache_lookups_total",
                                with(l, "result", "miss")), what);
                        assertEquals(win.stream().filter(WorkspaceMetricsTest::cacheHit).count() / (double) win.size(),
                                p.value("tracebench_cache_hit_ratio", l), 1e-12, what);
                    } else {
                        assertNull(p.value("tracebench_cache_hit_ratio", l), "batch reports no cache: " + what);
                    }
                }
            }
            // nothing else: four series of requests, none for requests after the end
            assertEquals(series, p.named("tracebench_requests_total").size());
            List<Integer> judged = new ArrayList<>();
            for (int n = 0; n <= 150; n++) {
                judged.add(n);
            }
            long passed = judged.stream().filter(WorkspaceMetricsTest::grounded).count();
            assertEquals(passed, p.value("tracebench_eval_verdicts_total", "evaluator", "groundedness", "verdict",
                    "pass"));
            assertEquals(judged.size() - passed, p.value("tracebench_eval_verdicts_total", "evaluator",
                    "groundedness", "verdict", "fail"), "the unlinked result is not a request's");
            long winPassed = judged.stream().filter(WorkspaceMetricsTest::inWindow)
                    .filter(WorkspaceMetricsTest::grounded).count();
            assertEquals(winPassed / 30.0, p.value("tracebench_eval_pass_ratio", "evaluator", "groundedness"),
                    1e-12);
            assertEquals(300.0, p.value("tracebench_window_seconds"));
            assertEquals(END.getEpochSecond(), p.value("tracebench_window_end_timestamp_seconds"), 1e-3);
            assertEquals(T0 / 1e9 + 1990, p.value("tracebench_newest_request_timestamp_seconds"), 1e-3);
            assertEquals("summary", p.types.get("tracebench_request_duration_seconds"));
            assertEquals("counter", p.types.get(om ? "tracebench_requests" : "tracebench_requests_total"));
        }
    }

    @Test
    void latestAnchorsTheWindowAtTheNewestRequest() {
        // the clock is far past the data: "now" sees an empty window, "latest" the last 5 minutes of requests
        PrometheusText now = scrape(MetricsOptions.DEFAULT.withAt("2030-01-01T00:00:00Z"), false);
        assertEquals(0.0, now.value("tracebench_requests_per_second", "service", "api", "route", "/answer", "model",
                "gpt-4o-2024-08-06"));
        assertTrue(now.named("tracebench_request_error_ratio").isEmpty());
        assertTrue(Double.isNaN(now.value("tracebench_request_duration_seconds", "service", "api", "route",
                "/answer", "model", "gpt-4o-2024-08-06", "quantile", "0.95")));
        PrometheusText latest = scrape(MetricsOptions.DEFAULT.withAt("latest").withWindow(Duration.ofMinutes(10)),
                false);
        // requests 140..199 started in the 10 minutes up to request 199; 60 requests, 9 of them batch jobs on the
        // new version: (143, 163, ...) are batch when n % 4 == 3 and new when n % 5 == 0
        long expected = group("batch", "gpt-4o-2025-new", n -> n > 139).size();
        assertEquals(expected / 600.0, latest.value("tracebench_requests_per_second", "service", "batch", "route",
                "nightly-run", "model", "gpt-4o-2025-new"), 1e-12);
        assertEquals(N, latest.named("tracebench_requests_total").stream().mapToDouble(s -> s.value()).sum());
    }

    @Test
    void sloBurnRatesOverFiveMinutesAndAnHour() throws Exception {
        Path slo = dir.resolve("slo.yaml");
        Files.writeString(slo, """
                slos:
                  - name: api-latency
                    sli: latency
                    threshold: 1s
                    objective: 99%
                    filter: "service = 'api'"
                  - name: "availability \\"all\\""
                    sli: availability
                    objective: 99.9%
                  - name: nobody
                    sli: availability
                    objective: 99%
                    filter: "service = 'nobody'"
                """);
        PrometheusText p = scrape(MetricsOptions.DEFAULT.withAt(END.toString()).withSloFile(slo), true);
        long minute = 60_000_000_000L;
        long kEnd = Math.floorDiv(T0 + 150 * 10_000_000_000L, minute);
        for (int minutes : new int[] {5, 60}) {
            long bad = 0;
            long total = 0;
            long badAll = 0;
            long totalAll = 0;
            for (int n = 0; n < N; n++) {
                long k = Math.floorDiv(T0 + n * 10_000_000_000L, minute);
                if (k > kEnd - minutes && k <= kEnd) {
                    if (service(n).equals("api")) {
                        total++;
                        bad += durationMs(n) > 1000 ? 1 : 0;
                    }
                    totalAll++;
                    badAll += failed(n) ? 1 : 0;
                }
            }
            String w = minutes == 5 ? "5m" : "1h";
            assertEquals(bad / (double) total / 0.01, p.value("tracebench_slo_burn_rate", "slo", "api-latency",
                    "window", w), 1e-9, w);
            assertEquals(badAll / (double) totalAll / 0.001, p.value("tracebench_slo_burn_rate", "slo",
                    "availability \"all\"", "window", w), 1e-6, w);
        }
        // the 30-day window holds every request up to the end of the minute holding END
        long total = 0;
        long bad = 0;
        for (int n = 0; n < N; n++) {
            if (Math.floorDiv(T0 + n * 10_000_000_000L, minute) <= kEnd && service(n).equals("api")) {
                total++;
                bad += durationMs(n) > 1000 ? 1 : 0;
            }
        }
        assertEquals(1 - bad / (double) total / 0.01, p.value("tracebench_slo_error_budget_remaining_ratio", "slo",
                "api-latency"), 1e-9);
        assertEquals(0.99, p.value("tracebench_slo_objective_ratio", "slo", "api-latency"), 1e-12);
        assertEquals(0.0, p.value("tracebench_slo_config_problems"));
        // an SLO without events burns nothing and has no SLI
        assertEquals(0.0, p.value("tracebench_slo_burn_rate", "slo", "nobody", "window", "1h"));
        assertTrue(Double.isNaN(p.value("tracebench_slo_sli_ratio", "slo", "nobody")));
        // 25 minutes of data never cover a rule's long window (1 h and more): nothing fires
        assertEquals(9, p.named("tracebench_slo_alert_firing").size());
        assertTrue(p.named("tracebench_slo_alert_firing").stream().allMatch(s -> s.value() == 0));

        Files.writeString(slo, "slos:\n  - name: x\n    sli: latency\n");
        PrometheusText bad2 = scrape(MetricsOptions.DEFAULT.withAt(END.toString()).withSloFile(slo), false);
        assertTrue(bad2.value("tracebench_slo_config_problems") > 0);
        assertTrue(bad2.named("tracebench_slo_burn_rate").isEmpty());
        assertTrue(bad2.value("tracebench_requests_total", "service", "api", "route", "/answer", "model",
                "gpt-4o-2024-08-06") > 0, "the rest is still served");
    }

    @Test
    void anEndpointReusesSloFiguresWithinTheMinuteAndRereadsAChangedFile() throws Exception {
        Path other = dir.resolve("live.duckdb");
        Path slo = dir.resolve("live-slo.yaml");
        Files.writeString(slo, "slos:\n  - {name: av, sli: availability, objective: 99%}\n");
        try (Workspace live = Workspace.open(other)) {
            MetricsEndpoint e = WorkspaceMetrics.endpoint(() -> live, Clock.fixed(END, ZoneOffset.UTC),
                    MetricsOptions.DEFAULT.withSloFile(slo));
            // request 150 (started at END) succeeds; then request 149 arrives, failed, within the same minute
            store(live, 150, StatusCode.OK);
            PrometheusText first = PrometheusText.parse(new String(e.scrape(null).body(), StandardCharsets.UTF_8),
                    false);
            assertEquals(0.0, first.value("tracebench_slo_burn_rate", "slo", "av", "window", "5m"));
            store(live, 149, StatusCode.ERROR);
            PrometheusText second = PrometheusText.parse(new String(e.scrape(null).body(), StandardCharsets.UTF_8),
                    false);
            assertEquals(1.0, second.value("tracebench_request_errors_total", "service", "api", "route", "/answer",
                    "model", ""), "request metrics are computed at every scrape");
            assertEquals(0.0, second.value("tracebench_slo_burn_rate", "slo", "av", "window", "5m"),
                    "SLO figures are those of the minute's first scrape");
            Files.writeString(slo, "slos:\n  - {name: av2, sli: availability, objective: 90%}\n");
            PrometheusText third = PrometheusText.parse(new String(e.scrape(null).body(), StandardCharsets.UTF_8),
                    false);
            // one of two requests failed: (1/2) / (1 - 0.9)
            assertEquals(5.0, third.value("tracebench_slo_burn_rate", "slo", "av2", "window", "5m"), 1e-9);
            assertNull(third.value("tracebench_slo_burn_rate", "slo", "av", "window", "5m"));
        }
    }

    private static void store(Workspace w, int n, StatusCode status) {
        ImportReport r = w.ingest("request " + n, -1, s -> {
            s.span(s.resource(resource("api")), s.scope(scope("test")), span(trace(n), 1, null, "POST /answer",
                    n * 10_000.0, n * 10_000.0 + 100, status, List.of(Attribute.of("http.route", "/answer"))));
            return new SourceFacts("test", "metrics", 1);
        }, ProgressListener.NONE, CancellationToken.none());
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
    }

    @Test
    void labelValuesAreEscapedAndTheParserRefusesBadText() {
        String text = new String(Exposition.write(List.of(new Exposition.Family("x_ratio", Exposition.Type.GAUGE,
                "a \\ help\nline").add(0.5, "route", "/a\"b\\c\nd")), false).body(), StandardCharsets.UTF_8);
        assertEquals("# HELP x_ratio a \\\\ help\\nline\n# TYPE x_ratio gauge\n"
                + "x_ratio{route=\"/a\\\"b\\\\c\\nd\"} 0.5\n", text);
        assertEquals("/a\"b\\c\nd", PrometheusText.parse(text, false).samples.get(0).labels().get("route"));
        // the parser is strict: each of these breaks one rule
        for (String bad : List.of("x 1", "# TYPE x gauge\nx{a=\"1\"} 1\nx{a=\"1\"} 2",
                "# TYPE x gauge\nx{a=\"\\t\"} 1", "# TYPE x gauge\nx{a=\"1\",a=\"2\"} 1", "# TYPE x gauge\n2x 1",
                "# TYPE x gauge\nx 1.2.3", "# TYPE x counter\nx -1", "# TYPE x gauge\n# TYPE y gauge\ny 1\nx 1",
                "# TYPE x summary\nx 1")) {
            assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(bad + "\n", false), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("# TYPE x gauge\nx 1\n", true),
                "no # EOF");
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(
                "# TYPE x_total counter\nx_total 1\n# EOF\n", true), "OpenMetrics counter family named _total");
    }

    @Test
    void optionsRefuseBadWindowsAndMoments() {
        assertEquals(Duration.ofMinutes(5), MetricsOptions.parseWindow("5m"));
        assertEquals(Duration.ofHours(1), MetricsOptions.parseWindow("1h"));
        assertThrows(IllegalArgumentException.class, () -> MetricsOptions.parseWindow("0m"));
        assertThrows(IllegalArgumentException.class, () -> MetricsOptions.parseWindow("5 parsecs"));
        assertThrows(IllegalArgumentException.class, () -> MetricsOptions.DEFAULT.withAt("yesterday"));
        assertEquals(Instant.parse("2026-11-20T14:00:00Z"), MetricsOptions.DEFAULT.withAt("2026-11-20T14:00:00")
                .at());
    }

    static String[] with(String[] labels, String name, String value) {
        String[] out = java.util.Arrays.copyOf(labels, labels.length + 2);
        out[labels.length] = name;
        out[labels.length + 1] = value;
        return out;
    }
}
