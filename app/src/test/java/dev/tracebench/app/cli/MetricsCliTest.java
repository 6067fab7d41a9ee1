package dev.tracebench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import dev.tracebench.core.testing.PrometheusText;
import dev.tracebench.samples.Scenario;
import dev.tracebench.samples.TrafficGenerator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracebench metrics} on the generator's model-rollout scenario: from 40% of the range, 35% of gpt-4o-mini calls
 * are served by gpt-4o-mini-2025-01-20, which is slower. Its p95 latency stands out in the scrape; before the rollout
 * it has no series at all.
 */
class MetricsCliTest {
    static final String NEW = "gpt-4o-mini-2025-01-20";
    static final String OLD = "gpt-4o-mini-2024-07-18";

    @TempDir
    static Path dir;
    static Path ws;
    static TrafficGenerator.Summary truth;

    String out;
    String err;

    @BeforeAll
    static void rollout() throws Exception {
        Path data = dir.resolve("data");
        truth = TrafficGenerator.writeDirectory(TrafficGenerator.Options.of(Scenario.MODEL_ROLLOUT, 6000, 1),
                TrafficGenerator.Format.OTLP_JSON, false, data);
        ws = dir.resolve("rollout.duckdb");
        MetricsCliTest t = new MetricsCliTest();
        assertEquals(0, t.run("import", "-w", ws.toString(), TrafficGenerator.files(data, TrafficGenerator.Format
                .OTLP_JSON, false).traces().toString()), t.err);
    }

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = TracebenchCli.run(new WorkspaceOpener(new AppHome(dir.resolve("home"))), new PrintWriter(o),
                new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    PrometheusText metrics(boolean openMetrics, String... args) {
        List<String> a = new java.util.ArrayList<>(List.of("metrics", "-w", ws.toString()));
        a.addAll(List.of(args));
        if (openMetrics) {
            a.add("--openmetrics");
        }
        assertEquals(0, run(a.toArray(String[]::new)), err);
        return PrometheusText.parse(out, openMetrics);
    }

    static Double p95(PrometheusText p, String service, String route, String model) {
        return p.value("tracebench_request_duration_seconds", "service", service, "route", route, "model", model,
                "quantile", "0.95");
    }

    @Test
    void theRolledOutVersionsP95StandsOut() {
        PrometheusText p = metrics(true, "--at", "latest", "--window", "1h");
        for (String[] app : List.of(new String[] {"support-assistant", "/v1/chat"},
                new String[] {"docs-search", "/api/search"})) {
            Double slow = p95(p, app[0], app[1], NEW);
            Double usual = p95(p, app[0], app[1], OLD);
            assertNotNull(slow, app[0] + " has no series for " + NEW + ":\n" + out);
            assertTrue(slow > 1.4 * usual, app[0] + ": p95 " + slow + " s on " + NEW + " vs " + usual + " s on " + OLD);
        }
        // every request and every failed one (root span ERROR) is counted once, as the generator says it made them
        assertEquals(truth.traces(), p.named("tracebench_requests_total").stream().mapToDouble(s -> s.value()).sum());
        assertEquals(truth.errorTraces(), p.named("tracebench_request_errors_total").stream()
                .mapToDouble(s -> s.value()).sum());
        assertTrue(p.named("tracebench_queue_duration_seconds").size() > 0, "gateway.queue time is exposed");
        assertTrue(p.named("tracebench_cache_hit_ratio").size() > 0, "cache hit rates are exposed");
    }

    @Test
    void beforeTheRolloutTheNewVersionHasNoSeries() {
        Instant first = Instant.ofEpochSecond(0, truth.firstStartNs());
        Instant last = Instant.ofEpochSecond(0, truth.lastStartNs());
        Instant before = first.plus(java.time.Duration.between(first, last).multipliedBy(3).dividedBy(10));
        PrometheusText p = metrics(false, "--at", before.toString(), "--window", "1h");
        assertTrue(p.samples.stream().noneMatch(s -> NEW.equals(s.labels().get("model"))), out);
        assertNotNull(p95(p, "support-assistant", "/v1/chat", OLD), out);
    }

    @Test
    void sloBurnRatesAndBadArguments() throws Exception {
        Path slo = dir.resolve("slo.yaml");
        Files.writeString(slo, "slos:\n  - name: chat-latency\n    sli: latency\n    threshold: 3s\n"
                + "    objective: 99%\n    filter: \"service = 'support-assistant'\"\n");
        PrometheusText p = metrics(false, "--at", "latest", "--slo", slo.toString());
        assertNotNull(p.value("tracebench_slo_burn_rate", "slo", "chat-latency", "window", "5m"), out);
        assertNotNull(p.value("tracebench_slo_burn_rate", "slo", "chat-latency", "window", "1h"), out);
        assertEquals(2, run("metrics", "-w", ws.toString(), "--window", "5 parsecs"));
        assertTrue(err.contains("not a window"), err);
        assertEquals(2, run("metrics", "-w", ws.toString(), "--slo", dir.resolve("none.yaml").toString()));
        assertTrue(err.contains("no such file"), err);
        Files.writeString(slo, "slos:\n  - name: x\n    sli: latency\n    threshold: 1s\n    objective: 99%\n"
                + "    filter: \"no_such_column = 1\"\n");
        assertEquals(2, run("metrics", "-w", ws.toString(), "--slo", slo.toString()));
        assertTrue(err.contains("slos[0].filter"), err);
    }
}
