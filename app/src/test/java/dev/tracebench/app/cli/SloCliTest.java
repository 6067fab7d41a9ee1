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
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The SLO commands end to end on the generator's scenarios (12,000 requests over 10 hours each): exit codes,
 * values checked against SQL written here, the JUnit XML parsed as a CI system would, and the acceptance test: the
 * alerts fire inside the incident window the generator planted (from its affected-trace-ids.txt), and never on the
 * baseline.
 */
class SloCliTest {
    @TempDir
    static Path dir;
    static final Map<Scenario, Path> WS = new HashMap<>();
    static final Map<Scenario, Path> DATA = new HashMap<>();
    static final int TRACES = 12_000;

    /** The SLO file of the acceptance test: chat and search latency, grounded answers. */
    static final String SLOS = """
            slos:
              - name: chat-and-search-latency
                sli: latency
                threshold: 4s
                objective: 99%
                filter: "service IN ('support-assistant', 'docs-search')"
              - name: grounded-answers
                sli: eval
                evaluator: groundedness
                label: grounded
                objective: 99.5%
            """;

    String out;
    String err;

    @BeforeAll
    static void scenarios() throws Exception {
        for (Scenario s : List.of(Scenario.BASELINE, Scenario.SLOW_SHARD, Scenario.HALLUCINATION_SPIKE)) {
            Path data = dir.resolve(s.id());
            TrafficGenerator.writeDirectory(TrafficGenerator.Options.of(s, TRACES, 1), TrafficGenerator.Format
                    .OTLP_JSON, false, data);
            TrafficGenerator.Files f = TrafficGenerator.files(data, TrafficGenerator.Format.OTLP_JSON, false);
            Path ws = dir.resolve(s.id() + ".duckdb");
            SloCliTest t = new SloCliTest();
            assertEquals(0, t.run("import", "-w", ws.toString(), f.traces().toString(), f.evals().toString()), t.err);
            WS.put(s, ws);
            DATA.put(s, data);
        }
        Files.writeString(dir.resolve("slo.yaml"), SLOS);
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

    static QueryResult sql(Scenario s, String query) {
        try (Workspace w = Workspace.openReadOnly(WS.get(s))) {
            return w.console().run(query, 1_000_000);
        }
    }

    static long number(Scenario s, String query) {
        return ((Number) sql(s, query).rows().get(0).get(0)).longValue();
    }

    /** The planted incident: the first and last start of the traces the generator says it touched. */
    static Instant[] incident(Scenario s) throws Exception {
        Set<String> affected = new HashSet<>(Files.readAllLines(DATA.get(s).resolve("affected-trace-ids.txt")));
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (List<Object> row : sql(s, "SELECT trace_hex(trace_id), start_ns FROM traces").rows()) {
            if (affected.contains((String) row.get(0))) {
                long t = ((Number) row.get(1)).longValue();
                lo = Math.min(lo, t);
                hi = Math.max(hi, t);
            }
        }
        assertTrue(affected.size() > 100, "affected traces: " + affected.size());
        return new Instant[] {Instant.ofEpochSecond(0, lo), Instant.ofEpochSecond(0, hi)};
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> timeline(Scenario s, String slo) {
        assertEquals(0, run("slo", "timeline", "-w", WS.get(s).toString(), "--config", dir.resolve("slo.yaml")
                .toString(), "--slo", slo, "--format", "json"), err);
        return (List<Map<String, Object>>) JsonTree.parse(out);
    }

    /**
     * Every alert fires while its short window holds requests of the incident: between the incident's first request
     * and its last plus the short window (an alert that flapped can fire again on the incident's last minutes), and
     * at least one page fires.
     */
    void firesOnlyInside(Scenario s, String slo) throws Exception {
        Instant[] window = incident(s);
        List<Map<String, Object>> alerts = timeline(s, slo);
        List<Map<String, Object>> fired = alerts.stream().filter(a -> a.get("event").equals("fired")).toList();
        assertFalse(fired.isEmpty(), s.id() + ": no alert fired");
        assertTrue(fired.stream().anyMatch(a -> a.get("severity").equals("page")), fired.toString());
        for (Map<String, Object> a : fired) {
            Instant at = Instant.parse((String) a.get("at"));
            java.time.Duration shortWindow = java.time.Duration.parse((String) a.get("short_window"));
            assertTrue(!at.isBefore(window[0]) && !at.isAfter(window[1].plus(shortWindow).plusSeconds(60)), s.id()
                    + ": " + a
                    + " outside the incident " + window[0] + " to " + window[1]);
            assertTrue(((Number) a.get("burn_rate")).doubleValue() > ((Number) a.get("threshold")).doubleValue());
        }
        // each firing resolves within its short window (and a step) after the incident, or the data ends first
        for (Map<String, Object> a : alerts) {
            if (a.get("event").equals("resolved")) {
                Instant at = Instant.parse((String) a.get("at"));
                java.time.Duration shortWindow = java.time.Duration.parse((String) a.get("short_window"));
                assertFalse(at.isAfter(window[1].plus(shortWindow).plusSeconds(120)), a.toString());
            }
        }
    }

    /**
     * A percentile SLO (the minute's p95 of chat and search requests within 4 s in 90% of the minutes): the slow
     * shard's incident (half of the range) breaches it, the baseline holds it; the counts are the minutes and their
     * p95s as SQL written here computes them.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aP95SloBreachesOnTheSlowShardAndHoldsOnTheBaseline() throws Exception {
        Path file = dir.resolve("slo-p95.yaml");
        Files.writeString(file, """
                slos:
                  - name: chat-and-search-p95
                    sli: latency
                    percentile: p95
                    threshold: 4s
                    objective: 90%
                    filter: "service IN ('support-assistant', 'docs-search')"
                """);
        String minutes = "FROM (SELECT start_ns // 60000000000 AS m, quantile_cont(duration_ns, 0.95) AS p FROM traces "
                + "WHERE service_name IN ('support-assistant', 'docs-search') GROUP BY m)";
        for (Scenario s : List.of(Scenario.BASELINE, Scenario.SLOW_SHARD)) {
            boolean breach = s == Scenario.SLOW_SHARD;
            assertEquals(breach ? 1 : 0, run("slo", "check", "-w", WS.get(s).toString(), "--config", file.toString(),
                    "--format", "json"), s + ": " + out + err);
            Map<String, Object> slo = ((List<Map<String, Object>>) ((Map<String, Object>) JsonTree.parse(out))
                    .get("slos")).get(0);
            assertEquals("the minute's p95 ≤ 4s", slo.get("good_when"));
            assertEquals(breach ? "breached" : "met", slo.get("state"), s.id());
            long total = number(s, "SELECT count(*) " + minutes);
            long good = number(s, "SELECT count(*) FILTER (WHERE p <= 4000000000) " + minutes);
            assertEquals(total, ((Number) slo.get("total")).longValue(), s.id());
            assertEquals(good, ((Number) slo.get("good")).longValue(), s.id());
            // measured: 93.5% of the baseline's minutes are good, 72.5% of the slow shard's
            assertEquals(!breach, good >= 0.9 * total, s.id() + ": " + good + " of " + total);
        }
    }

    @Test
    void latencyAlertsFireInsideTheSlowShardIncident() throws Exception {
        firesOnlyInside(Scenario.SLOW_SHARD, "chat-and-search-latency");
    }

    @Test
    void groundednessAlertsFireInsideTheHallucinationSpike() throws Exception {
        firesOnlyInside(Scenario.HALLUCINATION_SPIKE, "grounded-answers");
    }

    @Test
    void theBaselineRaisesNoAlertAndPassesTheGate() {
        assertTrue(timeline(Scenario.BASELINE, "chat-and-search-latency").isEmpty(), out);
        assertTrue(timeline(Scenario.BASELINE, "grounded-answers").isEmpty(), out);
        assertEquals(0, run("gate", "-w", WS.get(Scenario.BASELINE).toString(), "--config",
                dir.resolve("slo.yaml").toString()), out + err);
        assertTrue(out.contains("all hold"), out);
    }

    @Test
    @SuppressWarnings("unchecked")
    void checkReportsTheNumbersTheTracesHold() {
        Scenario s = Scenario.HALLUCINATION_SPIKE;
        assertEquals(1, run("slo", "check", "-w", WS.get(s).toString(), "--config", dir.resolve("slo.yaml")
                .toString(), "--format", "json"), err);
        Map<String, Object> report = (Map<String, Object>) JsonTree.parse(out);
        assertEquals(Boolean.TRUE, report.get("failing"));
        List<Map<String, Object>> slos = (List<Map<String, Object>>) report.get("slos");
        Map<String, Object> lat = slos.get(0);
        // the whole 10 h is inside the 30-day window
        long total = number(s, "SELECT count(*) FROM traces WHERE service_name IN ('support-assistant', "
                + "'docs-search')");
        long good = number(s, "SELECT count(*) FROM traces WHERE service_name IN ('support-assistant', "
                + "'docs-search') AND duration_ns <= 4000000000");
        assertEquals(total, ((Number) lat.get("total")).longValue());
        assertEquals(good, ((Number) lat.get("good")).longValue());
        assertEquals((total - good) / (total * 0.01), ((Number) lat.get("budget_consumed")).doubleValue(), 1e-9);
        Map<String, Object> g = slos.get(1);
        long results = number(s, "SELECT count(*) FROM eval_results WHERE evaluator = 'groundedness' AND trace_id "
                + "IS NOT NULL");
        long grounded = number(s, "SELECT count(*) FROM eval_results WHERE evaluator = 'groundedness' AND label = "
                + "'grounded' AND trace_id IS NOT NULL");
        assertEquals(results, ((Number) g.get("total")).longValue());
        assertEquals(grounded, ((Number) g.get("good")).longValue());
        assertEquals(grounded / (double) results, ((Number) g.get("sli_value")).doubleValue(), 1e-12);
        assertEquals("breached", g.get("state"), g.toString());
    }

    @Test
    void theGateIsGreenBeforeTheIncidentAndRedAfter() throws Exception {
        Scenario s = Scenario.HALLUCINATION_SPIKE;
        Instant start = incident(s)[0];
        String ws = WS.get(s).toString();
        String cfg = dir.resolve("slo.yaml").toString();
        assertEquals(0, run("gate", "-w", ws, "--config", cfg, "--at", start.minusSeconds(3600).toString()),
                out + err);
        assertEquals(1, run("gate", "-w", ws, "--config", cfg, "--format", "markdown"), out + err);
        assertTrue(out.contains("| grounded-answers | breached |"), out);
    }

    @Test
    @SuppressWarnings("unchecked")
    void checkNotifiesTheFiringAlertsToAWebhookNamedByItsEnvironmentVariable() throws Exception {
        Scenario s = Scenario.HALLUCINATION_SPIKE;
        Map<String, Object> page = timeline(s, "grounded-answers").stream()
                .filter(a -> a.get("event").equals("fired") && a.get("severity").equals("page")).findFirst()
                .orElseThrow();
        String at = (String) page.get("at");
        Path cfg = dir.resolve("slo-notify.yaml");
        Files.writeString(cfg, SLOS + """
                notifications:
                  - {name: hooks, type: webhook, url: "${TB_TEST_ALERT_HOOK}"}
                """);
        List<String> bodies = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/secret-hook-path", x -> {
            bodies.add(new String(x.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/secret-hook-path";
        java.util.function.Function<String, String> saved = SloCheckCommand.environment;
        try {
            SloCheckCommand.environment = Map.of("TB_TEST_ALERT_HOOK", url)::get;
            // a dry run lists the message with the variable's name and sends nothing
            assertEquals(1, run("slo", "check", "-w", WS.get(s).toString(), "--config", cfg.toString(), "--at", at,
                    "--notify", "--dry-run"), err);
            assertTrue(err.contains("notify hooks (dry run): trigger") && err.contains("$TB_TEST_ALERT_HOOK"), err);
            assertEquals(List.of(), bodies);
            assertEquals(1, run("slo", "check", "-w", WS.get(s).toString(), "--config", cfg.toString(), "--at", at,
                    "--notify"), err);
        } finally {
            SloCheckCommand.environment = saved;
            server.stop(0);
        }
        assertEquals(1, bodies.size(), "one incident is one message: " + bodies);
        Map<String, Object> body = (Map<String, Object>) JsonTree.parse(bodies.get(0));
        assertEquals("grounded-answers", body.get("slo"));
        assertEquals("firing", body.get("status"));
        assertTrue(err.contains("delivered (HTTP 200)"), err);
        assertFalse((out + err).contains("secret-hook-path"), "the URL is a secret: " + out + err);
    }

    @Test
    void junitXmlHasOneTestCasePerSloAndAFailurePerFailingOne() throws Exception {
        assertEquals(1, run("gate", "-w", WS.get(Scenario.HALLUCINATION_SPIKE).toString(), "--config",
                dir.resolve("slo.yaml").toString(), "--format", "junit"), err);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(
                out.getBytes(StandardCharsets.UTF_8)));
        Element root = doc.getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        NodeList suites = root.getElementsByTagName("testsuite");
        assertEquals(1, suites.getLength());
        Element suite = (Element) suites.item(0);
        assertEquals("slo.yaml", suite.getAttribute("name"));
        assertEquals("2", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        assertEquals("0", suite.getAttribute("errors"));
        assertTrue(Double.parseDouble(suite.getAttribute("time")) >= 0);
        NodeList cases = suite.getElementsByTagName("testcase");
        assertEquals(2, cases.getLength());
        Element latency = (Element) cases.item(0);
        Element grounded = (Element) cases.item(1);
        assertEquals("chat-and-search-latency", latency.getAttribute("name"));
        assertEquals("slo.slo", latency.getAttribute("classname"));
        assertEquals(0, latency.getElementsByTagName("failure").getLength());
        assertEquals("grounded-answers", grounded.getAttribute("name"));
        Element failure = (Element) grounded.getElementsByTagName("failure").item(0);
        assertEquals("breached", failure.getAttribute("type"));
        assertTrue(failure.getAttribute("message").startsWith("grounded-answers breached: SLI "), failure
                .getAttribute("message"));
        assertTrue(failure.getTextContent().contains("burn rate page-fast"), failure.getTextContent());
    }

    @Test
    void aBadFileIsExitCodeTwoWithEveryProblemByLineAndField() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                slos:
                  - name: a
                    sli: availability
                    objective: 99,9%
                  - name: b
                    sli: latency
                    threshold: 2s
                    objective: 99%
                    filter: "servce = 'x'"
                  - name: c
                    sli: eval
                    evaluator: groundedness
                    label: great
                    objective: 99%
                """);
        String ws = WS.get(Scenario.BASELINE).toString();
        assertEquals(2, run("slo", "check", "-w", ws, "--config", bad.toString()), out);
        assertTrue(err.contains("error: bad.yaml line 4, slos[0].objective: '99,9%' is not a percentage"), err);
        assertEquals("", out);
        // fixed, the store finds the next problems: an unknown column, a label groundedness never gives
        Files.writeString(bad, Files.readString(bad).replace("99,9%", "99.9%"));
        assertEquals(2, run("gate", "-w", ws, "--config", bad.toString()), out);
        assertTrue(err.contains("error: bad.yaml line 9, slos[1].filter: "), err);
        assertTrue(err.contains("servce"), err);
        assertTrue(err.contains("error: bad.yaml line 13, slos[2].label: No groundedness result is labelled 'great'; "
                + "its labels are grounded."), err);
        assertEquals(2, run("gate", "-w", ws, "--config", dir.resolve("missing.yaml").toString()), out);
        assertTrue(err.contains("missing.yaml: no such file"), err);
        assertEquals(2, run("gate", "-w", ws, "--config", bad.toString(), "--format", "xml"), out);
    }

    @Test
    void initWritesAStarterFromTheWorkspaceThatChecks() throws Exception {
        Path file = dir.resolve("starter.yaml");
        String ws = WS.get(Scenario.HALLUCINATION_SPIKE).toString();
        assertEquals(0, run("slo", "init", "-w", ws, "--out", file.toString()), err);
        String yaml = Files.readString(file);
        for (String service : List.of("support-assistant", "docs-search", "ops-agent", "ticket-summarizer")) {
            assertTrue(yaml.contains("- name: " + service + "-availability"), yaml);
            assertTrue(yaml.contains("filter: \"service = '" + service + "'\""), yaml);
        }
        assertTrue(yaml.contains("evaluator: \"groundedness\"\n    label: \"grounded\""), yaml);
        assertTrue(yaml.contains("sli: cost"), yaml);
        assertTrue(yaml.contains("# Models seen: gpt-4o-mini"), yaml);
        int code = run("slo", "check", "-w", ws, "--config", file.toString());
        assertTrue(code == 0 || code == 1, err);
        assertEquals(2, run("slo", "init", "-w", ws, "--out", file.toString()));
        assertTrue(err.contains("exists; pass --force"), err);
    }

    @Test
    void benchSloRunsEverySloOfItsFileOnAGivenWorkspace() {
        // a smoke test, not timed: every built-in bench SLO computes on the scenario's workspace
        assertEquals(0, run("bench", "slo", "--workspace", WS.get(Scenario.HALLUCINATION_SPIKE).toString(), "--runs",
                "1"), err);
        for (String slo : List.of("latency-all", "latency-chat", "availability", "cost", "tokens", "grounded",
                "relevance", "grounded-initech")) {
            assertTrue(out.contains("\n" + slo + " "), slo + " in\n" + out);
        }
        assertTrue(out.contains("12,000 traces"), out);
        assertTrue(out.contains("slowest SLO: "), out);
        assertEquals(0, run("bench", "slo", "--workspace", WS.get(Scenario.HALLUCINATION_SPIKE).toString(), "--runs",
                "1", "--config", dir.resolve("slo.yaml").toString()), err);
        assertTrue(out.contains("\ngrounded-answers "), out);
    }
}
