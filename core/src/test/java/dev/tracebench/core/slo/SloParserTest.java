package dev.tracebench.core.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Severity;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SloParserTest {
    /** The issue's example, as written there. */
    static final String ISSUE_EXAMPLE = """
            slos:
              - name: answer-latency
                sli: latency          # a request is good when faster than threshold
                threshold: 2s
                objective: 99%
                window: 30d           # rolling; or "calendar-month"
                filter: "service = 'answer-api'"   # optional, an expression over the traces columns
              - name: availability
                sli: availability     # a request is good when it did not fail
                objective: 99.9%
              - name: grounded-answers
                sli: eval
                evaluator: groundedness
                good: "label = 'grounded'"
                objective: 98%
            """;

    @Test
    void theIssuesExampleReads() {
        SloFile f = SloParser.parse(ISSUE_EXAMPLE, "slo.yaml");
        assertEquals(3, f.slos().size());
        Slo lat = f.slos().get(0);
        assertEquals("answer-latency", lat.name());
        assertEquals(Sli.LATENCY, lat.sli());
        assertEquals(2e9, lat.threshold());
        assertEquals(0.99, lat.objective(), 1e-12);
        assertEquals(Duration.ofDays(30), lat.window().rolling());
        assertEquals("service = 'answer-api'", lat.filter());
        assertEquals(AlertRule.DEFAULTS, lat.alerts());
        assertEquals(7, lat.line("filter"));
        Slo av = f.slos().get(1);
        assertEquals(Sli.AVAILABILITY, av.sli());
        assertEquals(0.999, av.objective(), 1e-12);
        assertEquals(SloWindow.THIRTY_DAYS, av.window());
        assertNull(av.filter());
        Slo g = f.slos().get(2);
        assertEquals(Sli.EVAL, g.sli());
        assertEquals("groundedness", g.evaluator());
        assertEquals("label = 'grounded'", g.good());
        assertEquals(0.98, g.objective(), 1e-12);
        assertTrue(f.notifications().isEmpty());
    }

    @Test
    void unitsObjectivesAndWindows() {
        SloFile f = SloParser.parse("""
                slos:
                  - {name: a, sli: latency, threshold: 450ms, objective: 0.99, window: 7d}
                  - {name: b, sli: latency, threshold: 1.5s, objective: "99.95%", window: calendar-month}
                  - {name: c, sli: cost, threshold: "$0.01", objective: 99%}
                  - {name: d, sli: tokens, threshold: 4000, objective: 95%, window: 24h}
                  - {name: e, sli: relevance, threshold: 0.8, objective: 90%}
                  - {name: f, sli: metric, evaluator: faithfulness, threshold: 0.7, objective: 90%}
                  - {name: g, sli: eval, evaluator: groundedness, label: grounded, objective: 98%}
                  - {name: h, sli: eval, evaluator: format, pass: true, objective: 99%}
                """, "slo.yaml");
        List<Slo> s = f.slos();
        assertEquals(450e6, s.get(0).threshold());
        assertEquals(0.99, s.get(0).objective(), 1e-12);
        assertEquals(Duration.ofDays(7), s.get(0).window().rolling());
        assertEquals(1.5e9, s.get(1).threshold());
        assertEquals(0.9995, s.get(1).objective(), 1e-12);
        assertTrue(s.get(1).window().calendarMonth());
        assertEquals(0.01, s.get(2).threshold(), 1e-12);
        assertEquals(4000, s.get(3).threshold());
        assertEquals(Duration.ofHours(24), s.get(3).window().rolling());
        assertEquals("relevance", s.get(4).evaluator());
        assertEquals(0.8, s.get(4).threshold());
        assertEquals("faithfulness", s.get(5).evaluator());
        assertEquals("grounded", s.get(6).label());
        assertTrue(s.get(7).pass());
        assertEquals("$0.01", s.get(2).thresholdText());
        assertEquals("450ms", s.get(0).thresholdText());
        assertEquals("99.95%", s.get(1).objectiveText());
    }

    @Test
    void aBadObjectiveIsNamedByFileLineAndField() {
        String yaml = """
                slos:
                  - name: a
                    sli: availability
                    objective: 99%
                  - name: b
                    sli: availability
                    objective: 99,9%
                """;
        SloConfigException e = assertThrows(SloConfigException.class, () -> SloParser.parse(yaml, "slo.yaml"));
        assertEquals("slo.yaml line 7, slos[1].objective: '99,9%' is not a percentage (write 99.9% or 0.999)",
                e.getMessage());
    }

    @Test
    void oneBadSloDoesNotHideTheOthersErrors() {
        String yaml = """
                slos:
                  - name: a
                    sli: latency
                    objective: 99%
                  - name: b
                    sli: latncy
                    objective: 99.9%
                  - name: c
                    sli: availability
                    objective: 100%
                    window: fortnight
                  - name: a
                    sli: availability
                    objective: 99%
                    threshold: 2s
                """;
        SloConfigException e = assertThrows(SloConfigException.class, () -> SloParser.parse(yaml, "slo.yaml"));
        List<String> msgs = e.problems().stream().map(SloProblem::toString).toList();
        assertEquals(List.of(
                "slo.yaml line 2, slos[0].threshold: missing: a latency SLI needs a threshold (a duration with its "
                        + "unit: 500ms, 2s, 1.5s, 1m)",
                "slo.yaml line 6, slos[1].sli: 'latncy' is not an SLI (latency|availability|eval|relevance|cost|"
                        + "tokens|metric)",
                "slo.yaml line 10, slos[2].objective: '100%' must be above 0% and below 100% (100% leaves no error "
                        + "budget)",
                "slo.yaml line 11, slos[2].window: 'fortnight' is not a window (a rolling number of days or hours, "
                        + "e.g. 30d, 7d, 24h, or calendar-month)",
                "slo.yaml line 15, slos[3].threshold: a availability SLI takes no threshold",
                "slo.yaml line 12, slos[3].name: 'a' is the name of an earlier SLO; names must be unique"), msgs);
    }

    @Test
    void unitsAreRequiredAndUnknownFieldsNamed() {
        SloConfigException e = assertThrows(SloConfigException.class, () -> SloParser.parse("""
                slos:
                  - name: a
                    sli: latency
                    threshold: 2000
                    objectve: 99%
                """, "x.yaml"));
        List<String> msgs = e.problems().stream().map(SloProblem::toString).toList();
        assertTrue(msgs.contains("x.yaml line 5, slos[0].objectve: unknown field (alerts, description, evaluator, "
                + "filter, good, label, name, objective, pass, percentile, sli, threshold, window)"), msgs.toString());
        assertTrue(msgs.contains("x.yaml line 4, slos[0].threshold: '2000' is not a latency threshold (a duration "
                + "with its unit: 500ms, 2s, 1.5s, 1m)"), msgs.toString());
        assertTrue(msgs.contains("x.yaml line 2, slos[0].objective: missing: the share of good events to meet, e.g. "
                + "99.9%"), msgs.toString());
    }

    @Test
    void evalSlisSayWhatIsGood() {
        SloConfigException e = assertThrows(SloConfigException.class, () -> SloParser.parse("""
                slos:
                  - {name: a, sli: eval, objective: 99%}
                  - {name: b, sli: eval, evaluator: groundedness, label: grounded, pass: true, objective: 99%}
                  - {name: c, sli: latency, threshold: 1s, label: fast, objective: 99%}
                """, "slo.yaml"));
        List<String> msgs = e.problems().stream().map(SloProblem::toString).toList();
        assertEquals(4, msgs.size(), msgs.toString());
        assertTrue(msgs.get(0).startsWith("slo.yaml line 2, slos[0].evaluator: missing"), msgs.get(0));
        assertTrue(msgs.get(1).startsWith("slo.yaml line 2, slos[0].good: missing: say which results are good"));
        assertEquals("slo.yaml line 3, slos[1]: give one of good, label and pass, not 2", msgs.get(2));
        assertTrue(msgs.get(3).startsWith("slo.yaml line 4, slos[2].label: only eval SLIs take label"), msgs.get(3));
    }

    @Test
    void emptyNamesAndInfiniteThresholdsAreRefused() {
        SloConfigException e = assertThrows(SloConfigException.class, () -> SloParser.parse("""
                slos:
                  - {name: a, sli: eval, evaluator: "", label: " ", objective: 99%}
                  - {name: b, sli: metric, evaluator: m, threshold: Infinity, objective: 99%}
                """, "slo.yaml"));
        assertEquals(List.of("slo.yaml line 2, slos[0].label: is empty", "slo.yaml line 2, slos[0].evaluator: is empty",
                "slo.yaml line 3, slos[1].threshold: 'Infinity' is not a metric threshold (the least good score: 0.8)"),
                e.problems().stream().map(SloProblem::toString).toList());
    }

    @Test
    void customAlertRules() {
        SloFile f = SloParser.parse("""
                slos:
                  - name: a
                    sli: availability
                    objective: 99.9%
                    alerts:
                      - {name: fast, severity: page, burn_rate: 14.4, long_window: 1h, short_window: 5m}
                      - {name: slow, severity: ticket, burn_rate: 2x, long_window: 1d, short_window: 2h}
                """, "slo.yaml");
        assertEquals(List.of(new AlertRule("fast", Severity.CRITICAL, 14.4, Duration.ofHours(1),
                Duration.ofMinutes(5)), new AlertRule("slow", Severity.WARNING, 2, Duration.ofDays(1),
                Duration.ofHours(2))), f.slos().get(0).alerts());
        SloConfigException e = assertThrows(SloConfigException.class, () -> SloParser.parse("""
                slos:
                  - name: a
                    sli: availability
                    objective: 99.9%
                    alerts:
                      - {name: fast, severity: pager, burn_rate: 0, long_window: 5m, short_window: 1h}
                """, "slo.yaml"));
        List<String> msgs = e.problems().stream().map(SloProblem::toString).toList();
        assertEquals(List.of("slo.yaml line 6, slos[0].alerts[0].severity: 'pager' is not page or ticket",
                "slo.yaml line 6, slos[0].alerts[0].burn_rate: '0' is not a positive number",
                "slo.yaml line 6, slos[0].alerts[0].short_window: must be shorter than the long window (the workbook "
                        + "uses 1/12 of it)"), msgs);
    }

    @Test
    void notificationTargetsNameEnvironmentVariablesNeverSecrets() {
        SloFile f = SloParser.parse("""
                slos:
                  - {name: a, sli: availability, objective: 99.9%}
                notifications:
                  - {name: team, type: slack, url: "${SLACK_WEBHOOK_URL}"}
                  - {type: pagerduty, routing_key: "env:PD_KEY", min_severity: page, slos: [a]}
                  - {type: webhook, url: "${HOOK}"}
                """, "slo.yaml");
        List<NotificationTarget> t = f.notifications();
        assertEquals(new NotificationTarget("team", "slack", "SLACK_WEBHOOK_URL", Severity.WARNING, List.of()),
                t.get(0));
        assertEquals(new NotificationTarget("pagerduty-2", "pagerduty", "PD_KEY", Severity.CRITICAL, List.of("a")),
                t.get(1));
        assertEquals("HOOK", t.get(2).secretEnv());
        assertEquals("https://x", t.get(2).secret(k -> k.equals("HOOK") ? " https://x " : null));

        String url = "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX";
        String key = "R0123456789ABCDEF0123456789ABCDE";
        SloConfigException e = assertThrows(SloConfigException.class, () -> SloParser.parse("""
                slos:
                  - {name: a, sli: availability, objective: 99.9%}
                notifications:
                  - {type: slack, url: "URL"}
                  - {type: pagerduty, routing_key: KEY}
                  - {type: email, url: "${X}"}
                """.replace("URL", url).replace("KEY", key), "slo.yaml"));
        List<String> msgs = e.problems().stream().map(SloProblem::toString).toList();
        assertEquals(List.of("slo.yaml line 4, notifications[0].url: holds a literal URL; webhook URLs are secrets "
                + "and never go in the file: write url: ${SLACK_WEBHOOK_URL} and set SLACK_WEBHOOK_URL in the "
                + "environment", "slo.yaml line 5, notifications[1].routing_key: holds a literal value; routing keys "
                + "are secrets and never go in the file: write routing_key: ${PAGERDUTY_ROUTING_KEY} and set "
                + "PAGERDUTY_ROUTING_KEY in the environment", "slo.yaml line 6, notifications[2].type: 'email' is "
                + "not a target type (slack, pagerduty, webhook)"), msgs);
        assertFalse(e.getMessage().contains(url) || e.getMessage().contains(key) || e.getMessage().contains("T000"));
    }

    @Test
    void notYamlOrNoSlos() {
        SloConfigException bad = assertThrows(SloConfigException.class, () -> SloParser.parse("slos:\n  - name: [a\n",
                "slo.yaml"));
        assertTrue(bad.getMessage().startsWith("slo.yaml line 3: not valid YAML"), bad.getMessage());
        SloConfigException none = assertThrows(SloConfigException.class, () -> SloParser.parse("slo: []\n",
                "slo.yaml"));
        assertEquals(List.of("slo.yaml line 1, slo: unknown field (notifications, slos)",
                "slo.yaml line 1, slos: missing: the file lists its SLOs under 'slos:'"),
                none.problems().stream().map(SloProblem::toString).toList());
    }
    @Test
    void aPercentileLatencySloReadsItsPercentile() {
        List<Slo> s = SloParser.parse("""
                slos:
                  - {name: a, sli: latency, percentile: p95, threshold: 500ms, objective: 99%}
                  - {name: b, sli: latency, percentile: 99.9, threshold: 2s, objective: 99%}
                  - {name: c, sli: latency, percentile: P99.9, threshold: 2s, objective: 99%}
                  - {name: d, sli: latency, threshold: 2s, objective: 99%}
                """, "slo.yaml").slos();
        assertEquals(95, s.get(0).percentile());
        assertTrue(s.get(0).percentileSli());
        assertEquals("the minute's p95 ≤ 500ms", s.get(0).goodText());
        assertEquals(99.9, s.get(1).percentile());
        assertEquals("p99.9", s.get(1).percentileText());
        assertEquals(99.9, s.get(2).percentile());
        assertFalse(s.get(3).percentileSli());
        assertEquals("duration ≤ 2s", s.get(3).goodText());
    }

    @Test
    void aBadPercentileOrOneOnAnotherSliIsNamedByLineAndField() {
        SloConfigException e = assertThrows(SloConfigException.class, () -> SloParser.parse("""
                slos:
                  - {name: a, sli: latency, percentile: p100, threshold: 500ms, objective: 99%}
                  - {name: b, sli: latency, percentile: 0, threshold: 500ms, objective: 99%}
                  - {name: c, sli: latency, percentile: median, threshold: 500ms, objective: 99%}
                  - name: d
                    sli: availability
                    percentile: p95
                    objective: 99%
                  - {name: e, sli: latency, percentile: p95, objective: 99%}
                """, "slo.yaml"));
        assertEquals(List.of(
                "slo.yaml line 2, slos[0].percentile: 'p100' is not a percentile (above 0 and below 100: p95, 99, "
                        + "p99.9)",
                "slo.yaml line 3, slos[1].percentile: '0' is not a percentile (above 0 and below 100: p95, 99, p99.9)",
                "slo.yaml line 4, slos[2].percentile: 'median' is not a percentile (above 0 and below 100: p95, 99, "
                        + "p99.9)",
                "slo.yaml line 7, slos[3].percentile: only a latency SLI takes a percentile, not availability",
                "slo.yaml line 9, slos[4].threshold: missing: a latency SLI needs a threshold (a duration with its "
                        + "unit: 500ms, 2s, 1.5s, 1m)"),
                e.problems().stream().map(SloProblem::toString).toList());
    }
}
