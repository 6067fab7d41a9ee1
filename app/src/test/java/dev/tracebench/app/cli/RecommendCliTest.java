package dev.tracebench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import dev.tracebench.core.json.JsonTree;
import dev.tracebench.core.query.QueryResult;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.samples.Scenario;
import dev.tracebench.samples.TrafficGenerator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * {@code tracebench recommend} end to end on the generator's scenarios (6,000 requests each): the model rollout shifts
 * weight away from the planted version, the cache regression fires the cache finding, the hallucination spike fires
 * the retraining trigger (file and webhook), the baseline fires none of them; the numbers are checked against SQL
 * written here.
 */
class RecommendCliTest {
    @TempDir
    static Path dir;
    static final Map<Scenario, Path> WS = new HashMap<>();
    static final Map<Scenario, Path> DATA = new HashMap<>();
    static final int TRACES = 6_000;
    static final String NEW = "gpt-4o-mini-2025-01-20";

    String out;
    String err;

    @BeforeAll
    static void scenarios() throws Exception {
        for (Scenario s : List.of(Scenario.BASELINE, Scenario.MODEL_ROLLOUT, Scenario.CACHE_REGRESSION,
                Scenario.HALLUCINATION_SPIKE)) {
            Path data = dir.resolve(s.id());
            TrafficGenerator.writeDirectory(TrafficGenerator.Options.of(s, TRACES, 1),
                    TrafficGenerator.Format.OTLP_JSON, false, data);
            TrafficGenerator.Files f = TrafficGenerator.files(data, TrafficGenerator.Format.OTLP_JSON, false);
            Path ws = dir.resolve(s.id() + ".duckdb");
            RecommendCliTest t = new RecommendCliTest();
            assertEquals(0, t.run("import", "-w", ws.toString(), f.traces().toString(), f.evals().toString()), t.err);
            WS.put(s, ws);
            DATA.put(s, data);
        }
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

    static List<Object> row(Scenario s, String query) {
        try (Workspace w = Workspace.openReadOnly(WS.get(s))) {
            QueryResult r = w.console().run(query, 10);
            return r.rows().get(0);
        }
    }

    static long number(Object o) {
        return ((Number) o).longValue();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> json(Scenario s, String... more) {
        List<String> args = new ArrayList<>(List.of("recommend", "-w", WS.get(s).toString(), "--format", "json"));
        args.addAll(List.of(more));
        assertEquals(0, run(args.toArray(String[]::new)), err);
        return (Map<String, Object>) JsonTree.parse(out);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(Map<String, Object> doc, String kind) {
        return ((List<Map<String, Object>>) doc.get("recommendations")).stream()
                .filter(r -> r.get("kind").equals(kind)).toList();
    }

    static Set<String> affected(Scenario s) throws Exception {
        return new HashSet<>(Files.readAllLines(DATA.get(s).resolve("affected-trace-ids.txt")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theModelRolloutShiftsWeightAwayFromThePlantedVersion() throws Exception {
        Path router = dir.resolve("router.yaml");
        Map<String, Object> doc = json(Scenario.MODEL_ROLLOUT, "--router-config", router.toString());
        List<Map<String, Object>> weights = ((List<Map<String, Object>>) doc.get("weights")).stream()
                .filter(w -> w.get("group").equals("gpt-4o-mini")).toList();
        assertEquals(2, weights.size(), doc.get("weights").toString());
        Map<String, Object> neu = weights.stream().filter(w -> w.get("model").equals(NEW)).findFirst().orElseThrow();
        Map<String, Object> old = weights.stream().filter(w -> !w.get("model").equals(NEW)).findFirst().orElseThrow();
        assertEquals("gpt-4o-mini-2024-07-18", old.get("model"));
        // the new version's calls are the gateway's provider calls the gateway routed to it (it says so even on a
        // failure, when no response model is recorded)
        List<Object> calls = row(Scenario.MODEL_ROLLOUT, "SELECT count(*), count(*) FILTER (WHERE s.status_code = 2), "
                + "CAST(quantile_cont(s.end_ns - s.start_ns, 0.95) AS BIGINT) FROM spans s JOIN spans p "
                + "ON p.trace_id = s.trace_id AND p.span_id = s.parent_span_id WHERE s.service_name = 'llm-gateway' "
                + "AND s.name = 'openai.chat.completions.create' AND p.attributes->>'$.\"app.gateway.model\"' = '"
                + NEW + "'");
        assertEquals(number(calls.get(0)), number(neu.get("requests")));
        assertEquals(number(calls.get(1)) / (double) number(calls.get(0)), ((Number) neu.get("error_rate"))
                .doubleValue(), 1e-12);
        assertEquals(number(calls.get(2)), number(neu.get("p95_ns")));
        double neuShare = ((Number) neu.get("current_share")).doubleValue();
        double neuWeight = ((Number) neu.get("weight")).doubleValue();
        double oldWeight = ((Number) old.get("weight")).doubleValue();
        assertTrue(neuShare > 0.2 && neuShare < 0.5, "the generator routes 35% of gpt-4o-mini gateway calls: "
                + neuShare);
        assertTrue(neuWeight < neuShare / 4, "weight " + neuWeight + " vs share " + neuShare);
        assertEquals(1, neuWeight + oldWeight, 1e-9);
        List<Map<String, Object>> traffic = items(doc, "traffic");
        assertEquals(1, traffic.size(), traffic.toString());
        assertEquals("model " + NEW, traffic.get(0).get("subject"));
        Set<String> affected = affected(Scenario.MODEL_ROLLOUT);
        List<Map<String, Object>> exemplars = (List<Map<String, Object>>) traffic.get(0).get("exemplars");
        assertFalse(exemplars.isEmpty());
        for (Map<String, Object> e : exemplars) {
            assertTrue(affected.contains((String) e.get("trace_id")), e.toString());
        }
        // the router config, parsed back: one deployment per version under the group's name, the same weights
        Map<String, Object> cfg = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(router));
        Map<String, Double> routed = new HashMap<>();
        for (Map<String, Object> m : (List<Map<String, Object>>) cfg.get("model_list")) {
            Map<String, Object> p = (Map<String, Object>) m.get("litellm_params");
            if (m.get("model_name").equals("gpt-4o-mini")) {
                routed.put((String) p.get("model"), ((Number) p.get("weight")).doubleValue());
            }
        }
        assertEquals(Set.of("openai/" + NEW, "openai/gpt-4o-mini-2024-07-18"), routed.keySet());
        assertEquals(neuWeight, routed.get("openai/" + NEW), 0.0005);
        assertEquals(oldWeight, routed.get("openai/gpt-4o-mini-2024-07-18"), 0.0005);
        assertTrue(err.contains("Wrote the router config"), err);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCacheRegressionFiresTheCacheFindingWithItsNumbers() throws Exception {
        Map<String, Object> doc = json(Scenario.CACHE_REGRESSION);
        List<Map<String, Object>> cache = items(doc, "cache");
        Map<String, Object> emb = cache.stream().filter(r -> r.get("subject").equals(
                "cache embedding-cache of support-assistant")).findFirst().orElseThrow(() -> new AssertionError(doc));
        List<Object> n = row(Scenario.CACHE_REGRESSION, "WITH w AS (SELECT min(start_ns) + (max(start_ns) - "
                + "min(start_ns)) // 2 AS mid FROM traces) SELECT count(*) FILTER (WHERE start_ns < mid), "
                + "count(*) FILTER (WHERE start_ns < mid AND cache_hit), count(*) FILTER (WHERE start_ns >= mid), "
                + "count(*) FILTER (WHERE start_ns >= mid AND cache_hit) FROM spans, w WHERE name = "
                + "'embeddings text-embedding-3-small' AND service_name = 'support-assistant'");
        Map<String, String> facts = new HashMap<>();
        for (Map<String, Object> f : (List<Map<String, Object>>) emb.get("evidence")) {
            facts.put((String) f.get("name"), (String) f.get("value"));
        }
        assertEquals(rate(number(n.get(1)), number(n.get(0))) + " of " + String.format(Locale.ROOT, "%,d",
                number(n.get(0))) + " lookups", facts.get("hit rate, first half"));
        assertEquals(rate(number(n.get(3)), number(n.get(2))) + " of " + String.format(Locale.ROOT, "%,d",
                number(n.get(2))) + " lookups", facts.get("hit rate, second half"));
        assertTrue(facts.keySet().stream().anyMatch(k -> k.equals("misses most: service.version = 2.15.0")),
                facts.toString());
        Set<String> affected = affected(Scenario.CACHE_REGRESSION);
        for (Map<String, Object> e : (List<Map<String, Object>>) emb.get("exemplars")) {
            assertTrue(affected.contains((String) e.get("trace_id")), e.toString());
        }
        assertTrue(items(doc, "traffic").isEmpty(), doc.toString());
    }

    /** The share as the rules write it ("36%", "2.8%"). */
    static String rate(long x, long n) {
        double r = x / (double) n;
        return r < 0.1 ? String.format(Locale.ROOT, "%.1f%%", r * 100) : String.format(Locale.ROOT, "%.0f%%", r * 100);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theBaselineFiresNoTrafficCacheOrRetrainingAndYamlMatchesJson() {
        Map<String, Object> doc = json(Scenario.BASELINE);
        for (String kind : List.of("traffic", "cache", "retrain", "scale-up")) {
            assertTrue(items(doc, kind).isEmpty(), kind + ": " + doc.get("recommendations"));
        }
        assertTrue(((List<Object>) doc.get("weights")).isEmpty(), "one gpt-4o-mini version: nothing to weigh");
        Map<String, Object> overhead = (Map<String, Object>) doc.get("overhead");
        assertEquals(number(row(Scenario.BASELINE, "SELECT count(*) FROM spans").get(0)), number(overhead.get(
                "spans")));
        assertEquals(0, run("recommend", "-w", WS.get(Scenario.BASELINE).toString(), "--format", "yaml"), err);
        Object yaml = new Load(LoadSettings.builder().build()).loadFromString(out);
        assertEquals(JsonTree.parse(dev.tracebench.core.recommend.RecommendationsWriter.json(
                (Map<String, Object>) yaml)), doc);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theHallucinationSpikeWritesTheTriggerAndPostsItToTheWebhook() throws Exception {
        Path trigger = dir.resolve("trigger.json");
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/secret-retrain-hook", x -> {
            bodies.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            x.sendResponseHeaders(202, -1);
            x.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/secret-retrain-hook";
        Function<String, String> saved = RecommendCommand.environment;
        try {
            RecommendCommand.environment = Map.of("TB_TEST_RETRAIN_HOOK", url)::get;
            assertEquals(0, run("recommend", "-w", WS.get(Scenario.HALLUCINATION_SPIKE).toString(), "--trigger-file",
                    trigger.toString(), "--trigger-webhook-env", "TB_TEST_RETRAIN_HOOK"), err);
        } finally {
            RecommendCommand.environment = saved;
            server.stop(0);
        }
        Map<String, Object> file = (Map<String, Object>) JsonTree.parse(Files.readString(trigger));
        assertEquals(true, file.get("triggered"));
        List<Map<String, Object>> reasons = (List<Map<String, Object>>) file.get("reasons");
        assertEquals(1, reasons.size(), reasons.toString());
        assertEquals("evaluator groundedness", reasons.get(0).get("subject"));
        assertEquals(1, bodies.size());
        assertEquals(file, JsonTree.parse(bodies.get(0)));
        assertTrue(err.contains("Posted the retraining trigger to $TB_TEST_RETRAIN_HOOK (HTTP 202)"), err);
        assertFalse((out + err).contains("secret-retrain-hook"), "the URL is a secret: " + out + err);
        assertTrue(out.contains("[WARNING] retrain · evaluator groundedness"), out);
        // the baseline's quality holds: the file says so, and nothing is posted
        assertEquals(0, run("recommend", "-w", WS.get(Scenario.BASELINE).toString(), "--trigger-file",
                trigger.toString()), err);
        assertEquals(false, ((Map<String, Object>) JsonTree.parse(Files.readString(trigger))).get("triggered"));
        // an unset variable is refused before anything is computed
        assertEquals(2, run("recommend", "-w", WS.get(Scenario.BASELINE).toString(), "--trigger-webhook-env",
                "TB_TEST_UNSET_VARIABLE_4711"), err);
        assertTrue(err.contains("TB_TEST_UNSET_VARIABLE_4711 is not set"), err);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLatencySloDrivesTheScaleUpSignalWithItsBurnRate() throws Exception {
        Path slo = dir.resolve("tight.yaml");
        Files.writeString(slo, """
                slos:
                  - name: chat-latency
                    sli: latency
                    threshold: 1s
                    objective: 99%
                    filter: "service = 'support-assistant'"
                """);
        Map<String, Object> doc = json(Scenario.BASELINE, "--slo", slo.toString());
        List<Map<String, Object>> up = items(doc, "scale-up");
        assertEquals(1, up.size(), doc.get("recommendations").toString());
        List<Object> n = row(Scenario.BASELINE, "WITH w AS (SELECT max(start_ns) - (max(start_ns) - min(start_ns)) // 4 "
                + "AS q FROM traces) SELECT count(*), count(*) FILTER (WHERE duration_ns > 1000000000) FROM traces, w "
                + "WHERE start_ns >= q AND service_name = 'support-assistant'");
        double burn = number(n.get(1)) / (double) number(n.get(0)) / 0.01;
        Map<String, String> facts = new HashMap<>();
        for (Map<String, Object> f : (List<Map<String, Object>>) up.get(0).get("evidence")) {
            facts.put((String) f.get("name"), (String) f.get("value"));
        }
        assertEquals(String.format(Locale.ROOT, "%.1f×", burn), facts.get("burn rate"));
        assertEquals("SLO chat-latency: 99% of requests ≤ 1s", facts.get("objective"));
        Path loose = dir.resolve("loose.yaml");
        Files.writeString(loose, """
                slos:
                  - name: chat-latency
                    sli: latency
                    threshold: 60s
                    objective: 99%
                """);
        assertTrue(items(json(Scenario.BASELINE, "--slo", loose.toString()), "scale-up").isEmpty());
        // a broken file is refused with its problem, by line
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                slos:
                  - name: x
                    sli: latency
                    threshold: 1s
                    objective: 99%
                    filter: "no_such_column = 1"
                """);
        assertEquals(2, run("recommend", "-w", WS.get(Scenario.BASELINE).toString(), "--slo", bad.toString()));
        assertTrue(err.contains("bad.yaml") && err.contains("filter"), err);
    }

    @Test
    void aBadFormatIsRefused() {
        assertEquals(2, run("recommend", "-w", WS.get(Scenario.BASELINE).toString(), "--format", "xml"));
        assertTrue(err.contains("--format: unknown format 'xml'"), err);
    }
}
