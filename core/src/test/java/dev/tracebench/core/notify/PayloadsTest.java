package dev.tracebench.core.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.slo.SloAlert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PayloadsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-11-03T10:05:00Z");

    /** Parses what would go on the wire, so the assertions see the JSON text, not the builder's tree. */
    private static JsonNode wire(Object tree) throws Exception {
        return JSON.readTree(tree.toString());
    }

    private static List<String> texts(JsonNode fields) {
        List<String> out = new ArrayList<>();
        fields.forEach(f -> out.add(f.get("text").asText()));
        return out;
    }

    @Test
    void slackFiringMessageHasHeaderFieldsContextAndFallback() throws Exception {
        SloAlert a = Alerts.firing("answer-latency", Alerts.SINCE, AT, 16.24, 0.712);
        JsonNode m = wire(Payloads.slack(a, 50));

        assertEquals("[FIRING] answer-latency / page-fast: " + a.summary(), m.get("text").asText());
        JsonNode blocks = m.get("blocks");
        assertEquals(3, blocks.size());
        assertEquals("header", blocks.get(0).get("type").asText());
        assertEquals("plain_text", blocks.get(0).get("text").get("type").asText());
        assertEquals(":rotating_light: answer-latency is burning its error budget (page-fast)",
                blocks.get(0).get("text").get("text").asText());

        JsonNode section = blocks.get(1);
        assertEquals("section", section.get("type").asText());
        assertEquals("mrkdwn", section.get("text").get("type").asText());
        assertEquals(a.summary(), section.get("text").get("text").asText());
        section.get("fields").forEach(f -> assertEquals("mrkdwn", f.get("type").asText()));
        assertEquals(List.of("*SLO*\nanswer-latency", "*Rule*\npage-fast (14.4× over 1h and 5m)",
                "*Burn rate*\n16.2×", "*Budget left*\n71.2%", "*Since*\n2026-11-03 09:55 UTC"),
                texts(section.get("fields")));

        JsonNode context = blocks.get(2);
        assertEquals("context", context.get("type").asText());
        assertEquals(1, context.get("elements").size());
        assertEquals("Tracebench SLO alert · critical · incident `tracebench/answer-latency/page-fast/"
                + Alerts.SINCE.getEpochSecond() + "` · 50 alerts grouped",
                context.get("elements").get(0).get("text").asText());
    }

    @Test
    void slackResolvedMessageSaysWhenAndHasNoGroupCountForOneAlert() throws Exception {
        SloAlert fired = Alerts.firing("availability");
        JsonNode m = wire(Payloads.slack(Alerts.resolved(fired, AT), 1));

        assertTrue(m.get("text").asText().startsWith("[RESOLVED] availability / page-fast: "));
        assertEquals(":white_check_mark: availability recovered (page-fast)",
                m.get("blocks").get(0).get("text").get("text").asText());
        List<String> fields = texts(m.get("blocks").get(1).get("fields"));
        assertEquals(6, fields.size());
        assertEquals("*Budget left*\n64.0%", fields.get(3));
        assertEquals("*Resolved*\n2026-11-03 10:05 UTC", fields.get(5));
        assertFalse(m.get("blocks").get(2).get("elements").get(0).get("text").asText().contains("grouped"));
    }

    @Test
    void slackEscapesMrkdwnControlCharactersAndKeepsToTheBlockLimits() throws Exception {
        String name = "p95<2s & \"fast\">" + "x".repeat(300);
        JsonNode m = wire(Payloads.slack(Alerts.firing(name), 1));

        String header = m.get("blocks").get(0).get("text").get("text").asText();
        assertEquals(150, header.length());
        assertTrue(header.endsWith("…"));
        String sloField = m.get("blocks").get(1).get("fields").get(0).get("text").asText();
        assertTrue(sloField.startsWith("*SLO*\np95&lt;2s &amp; \"fast\"&gt;xxx"), sloField);
        assertTrue(sloField.length() <= 2000);
        // the header is plain_text: not escaped
        assertTrue(header.contains("p95<2s & \"fast\">"));
    }

    @Test
    void pagerDutyTriggerCarriesTheDocumentedFields() throws Exception {
        SloAlert a = Alerts.firing("answer-latency", Alerts.SINCE, AT, 16.24, 0.712);
        Target t = new Target("oncall", Target.Kind.PAGERDUTY, "TB_PD_KEY", Map.of("source", "answer-api.prod"));
        JsonNode ev = wire(Payloads.pagerDuty("R0UTINGKEY0000000000000000000000", Action.TRIGGER, a, 3, t));

        assertEquals("R0UTINGKEY0000000000000000000000", ev.get("routing_key").asText());
        assertEquals("trigger", ev.get("event_action").asText());
        assertEquals("tracebench/answer-latency/page-fast/" + Alerts.SINCE.getEpochSecond(),
                ev.get("dedup_key").asText());
        JsonNode p = ev.get("payload");
        assertEquals(a.summary(), p.get("summary").asText());
        assertEquals("answer-api.prod", p.get("source").asText());
        assertEquals("critical", p.get("severity").asText());
        assertEquals("2026-11-03T10:05:00Z", p.get("timestamp").asText());
        assertEquals(AT, Instant.parse(p.get("timestamp").asText()));
        assertEquals("answer-latency", p.get("component").asText());
        assertEquals("slo", p.get("group").asText());
        assertEquals("slo-burn-rate", p.get("class").asText());
        JsonNode d = p.get("custom_details");
        assertEquals(16.24, d.get("burn_rate").asDouble(), 1e-12);
        assertEquals(14.4, d.get("threshold").asDouble(), 1e-12);
        assertEquals(0.712, d.get("budget_remaining").asDouble(), 1e-12);
        assertEquals("PT1H", d.get("long_window").asText());
        assertEquals("PT5M", d.get("short_window").asText());
        assertEquals(3, d.get("grouped_alerts").asInt());
        assertEquals("2026-11-03T09:55:00Z", d.get("since").asText());
    }

    @Test
    void pagerDutyResolveAndAcknowledgeAreTheBareDocumentedEvents() throws Exception {
        SloAlert fired = Alerts.firing("availability");
        Target t = Target.of("oncall", Target.Kind.PAGERDUTY, "TB_PD_KEY");
        JsonNode trigger = wire(Payloads.pagerDuty("k", Action.TRIGGER, fired, 1, t));
        for (Action action : List.of(Action.RESOLVE, Action.ACKNOWLEDGE)) {
            JsonNode ev = wire(Payloads.pagerDuty("k", action, Alerts.resolved(fired, AT), 1, t));
            List<String> names = new ArrayList<>();
            ev.fieldNames().forEachRemaining(names::add);
            assertEquals(List.of("routing_key", "event_action", "dedup_key"), names);
            assertEquals(action.label(), ev.get("event_action").asText());
            assertEquals(trigger.get("dedup_key"), ev.get("dedup_key"), "trigger and " + action + " share the key");
        }
    }

    @Test
    void pagerDutySummaryIsCutAt1024AndSeveritiesMapToPdCef() throws Exception {
        SloAlert a = new SloAlert("s", "ticket-slow", Severity.WARNING, true, AT, AT, 1.2, 1, Duration.ofDays(3),
                Duration.ofHours(6), 0.5, "y".repeat(5000));
        JsonNode p = wire(Payloads.pagerDuty("k", Action.TRIGGER, a, 1, Target.of("o", Target.Kind.PAGERDUTY, "K")))
                .get("payload");
        assertEquals(1024, p.get("summary").asText().length());
        assertEquals("warning", p.get("severity").asText());
        assertEquals("info", Payloads.pagerDutySeverity(Severity.NOTICE));
        assertEquals("info", Payloads.pagerDutySeverity(Severity.INFO));
    }

    @Test
    void overlongIncidentKeysStayDistinctWithin255Characters() {
        String slo = "s".repeat(300);
        SloAlert one = Alerts.firing(slo, Alerts.SINCE, Alerts.SINCE, 20, 0.5);
        SloAlert two = Alerts.firing(slo, Alerts.SINCE.plusSeconds(3600), Alerts.SINCE.plusSeconds(3600), 20, 0.5);
        String k1 = Payloads.dedupKey(one.incidentKey());
        String k2 = Payloads.dedupKey(two.incidentKey());
        assertEquals(255, k1.length());
        assertEquals(255, k2.length());
        assertFalse(k1.equals(k2));
        assertEquals(k1, Payloads.dedupKey(Alerts.resolved(one, AT).incidentKey()), "its resolve shares it");
        assertEquals(one.incidentKey().substring(0, 246), k1.substring(0, 246));
    }

    @Test
    void webhookObjectIsVersionedAndHasNoNaN() throws Exception {
        SloAlert a = new SloAlert("cost", "ticket-slow", Severity.WARNING, true, AT, Alerts.SINCE, Double.NaN, 1,
                Duration.ofDays(3), Duration.ofHours(6), -0.25, "cost per request has no data");
        JsonNode o = wire(Payloads.webhook(a, 2));
        assertEquals(1, o.get("version").asInt());
        assertEquals("slo.alert", o.get("type").asText());
        assertEquals("firing", o.get("status").asText());
        assertEquals("warning", o.get("severity").asText());
        assertEquals(a.incidentKey(), o.get("incident_key").asText());
        assertTrue(o.get("burn_rate").isNull());
        assertEquals(-0.25, o.get("budget_remaining").asDouble(), 1e-12);
        assertEquals("PT72H", o.get("long_window").asText());
        assertEquals("PT6H", o.get("short_window").asText());
        assertEquals(2, o.get("grouped_alerts").asInt());
        assertEquals("resolved", wire(Payloads.webhook(Alerts.resolved(a, AT), 1)).get("status").asText());
    }

    @Test
    void windowsReadTheWaySreTextsWriteThem() {
        assertEquals("5m", Payloads.window(Duration.ofMinutes(5)));
        assertEquals("1h", Payloads.window(Duration.ofHours(1)));
        assertEquals("3d", Payloads.window(Duration.ofDays(3)));
        assertEquals("90s", Payloads.window(Duration.ofSeconds(90)));
    }
}
