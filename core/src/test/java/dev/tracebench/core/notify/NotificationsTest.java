package dev.tracebench.core.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracebench.core.slo.SloAlert;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class NotificationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Target> TARGETS = List.of(Target.of("team", Target.Kind.SLACK, "TB_SLACK"),
            Target.of("oncall", Target.Kind.PAGERDUTY, "TB_PD_KEY"), Target.of("ci", Target.Kind.WEBHOOK, "TB_HOOK"));

    @Test
    void renderShowsWhatWouldBeSentGroupedWithSecretsMasked() throws Exception {
        SloAlert a = Alerts.firing("answer-latency");
        List<Message> m = Notifications.render(List.of(a, a, a, Alerts.resolved(a, a.at().plusSeconds(900))), TARGETS);

        assertEquals(List.of("team trigger", "team resolve", "oncall trigger", "oncall resolve", "ci trigger",
                "ci resolve"), m.stream().map(x -> x.target() + " " + x.action().label()).toList());
        assertEquals("$TB_SLACK", m.get(0).endpoint());
        assertEquals(Payloads.PAGERDUTY_URL, m.get(2).endpoint());
        assertEquals("$TB_HOOK", m.get(4).endpoint());
        JsonNode trigger = JSON.readTree(m.get(2).json());
        assertEquals("[masked]", trigger.get("routing_key").asText());
        assertEquals(3, trigger.get("payload").get("custom_details").get("grouped_alerts").asInt());
        assertEquals(a.incidentKey(), JSON.readTree(m.get(3).json()).get("dedup_key").asText());
        assertTrue(m.get(0).json().contains("\n"), "indented for reading");
    }

    @Test
    void sendNamesEveryTargetWhoseVariableIsMissing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Notifications.send(List.of(Alerts.firing("a")), TARGETS, Map.of("TB_HOOK", "http://x.invalid/")::get));
        assertEquals("target 'team' (slack, $TB_SLACK): environment variable TB_SLACK is not set (it should hold the"
                + " webhook URL); target 'oncall' (pagerduty, $TB_PD_KEY): environment variable TB_PD_KEY is not set"
                + " (it should hold the routing key)", e.getMessage());
    }

    @Test
    void sendDeliversEndToEndWithTheRealClock() throws Exception {
        try (Receiver r = new Receiver(Receiver.Answer.of(202, "{\"status\":\"success\"}"), Clock.systemUTC())) {
            Target pd = new Target("oncall", Target.Kind.PAGERDUTY, "TB_PD_KEY", Map.of("url", r.url("/v2/enqueue")));
            Target hook = Target.of("ci", Target.Kind.WEBHOOK, "TB_HOOK");
            Map<String, String> env = Map.of("TB_PD_KEY", "k".repeat(32), "TB_HOOK", r.url("/hook"));
            SloAlert a = Alerts.firing("availability");

            List<Delivery> d = Notifications.send(List.of(a, Alerts.resolved(a, a.at().plusSeconds(60))),
                    List.of(pd, hook), env::get);

            assertEquals(4, d.size());
            assertTrue(d.stream().allMatch(Delivery::delivered), d.toString());
            assertEquals(List.of("/v2/enqueue", "/v2/enqueue", "/hook", "/hook"),
                    r.requests.stream().map(Receiver.Request::path).toList());
            assertEquals("resolved", JSON.readTree(r.requests.get(3).body()).get("status").asText());
        }
    }

    @Test
    void targetsAreValidated() {
        assertEquals(Target.Kind.PAGERDUTY, Target.Kind.parse(" PagerDuty "));
        assertEquals("unknown notification kind 'teams' (slack, pagerduty, webhook)",
                assertThrows(IllegalArgumentException.class, () -> Target.Kind.parse("teams")).getMessage());
        assertEquals("target 'team': unknown option 'chanel' for slack (it takes none)",
                assertThrows(IllegalArgumentException.class,
                        () -> new Target("team", Target.Kind.SLACK, "TB_SLACK", Map.of("chanel", "#x"))).getMessage());
        assertEquals("target 'oncall': unknown option 'sorce' for pagerduty (url, source, group, class)",
                assertThrows(IllegalArgumentException.class, () -> new Target("oncall", Target.Kind.PAGERDUTY,
                        "TB_PD_KEY", Map.of("sorce", "x"))).getMessage());
        assertEquals("answer-api", new Target("oncall", Target.Kind.PAGERDUTY, "TB_PD_KEY",
                Map.of("source", "answer-api")).option("source", "tracebench"));
        assertFalse(Target.of("t", Target.Kind.WEBHOOK, "_HOOK_1").toString().contains("http"));
        java.util.HashMap<String, String> blank = new java.util.HashMap<>();
        blank.put("group", null);
        assertEquals("slo", new Target("o", Target.Kind.PAGERDUTY, "K", blank).option("group", "slo"));
    }
}
