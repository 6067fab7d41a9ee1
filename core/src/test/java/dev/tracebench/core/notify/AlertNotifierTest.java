package dev.tracebench.core.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracebench.core.slo.SloAlert;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Delivery against local receivers: payloads and headers as they arrive, grouping, retries, the rate limit. */
class AlertNotifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "R3a1Rout1ngKey0123456789abcdef01";

    private final FakeTime time = new FakeTime(Instant.parse("2026-11-03T10:00:00Z"));
    private final List<Receiver> receivers = new ArrayList<>();

    @AfterEach
    void stop() {
        receivers.forEach(Receiver::close);
    }

    private Receiver receiver(int status, String body) throws IOException {
        Receiver r = new Receiver(Receiver.Answer.of(status, body), time);
        receivers.add(r);
        return r;
    }

    private static NotifySettings settings() {
        return NotifySettings.DEFAULTS.withRate(1000, 1000);
    }

    private AlertNotifier pagerDuty(Receiver r, NotifySettings s) {
        Target t = new Target("oncall", Target.Kind.PAGERDUTY, "TB_PD_KEY", Map.of("url", r.url("/v2/enqueue")));
        return new AlertNotifier(List.of(t), Map.of("TB_PD_KEY", KEY)::get, s, time, time);
    }

    private static JsonNode body(Receiver.Request r) throws IOException {
        return JSON.readTree(r.body());
    }

    @Test
    void slackGetsTheBlockKitMessageAsJsonOnTheWebhookUrl() throws Exception {
        Receiver r = receiver(200, "ok");
        String url = r.url("/services/T0001/B0001/XyZ5ecretT0ken");
        AlertNotifier n = new AlertNotifier(List.of(Target.of("team", Target.Kind.SLACK, "TB_SLACK")),
                Map.of("TB_SLACK", url)::get, settings(), time, time);

        List<Delivery> d = n.send(List.of(Alerts.firing("answer-latency")));

        assertEquals(1, d.size());
        assertTrue(d.get(0).delivered());
        assertEquals(200, d.get(0).status());
        Receiver.Request req = r.requests.get(0);
        assertEquals("POST", req.method());
        assertEquals("/services/T0001/B0001/XyZ5ecretT0ken", req.path());
        assertEquals("application/json", req.header("Content-Type"));
        JsonNode m = body(req);
        assertEquals(List.of("header", "section", "context"),
                List.of(m.get("blocks").get(0).get("type").asText(), m.get("blocks").get(1).get("type").asText(),
                        m.get("blocks").get(2).get("type").asText()));
        assertEquals("*Burn rate*\n16.2×", m.get("blocks").get(1).get("fields").get(2).get("text").asText());
        assertTrue(m.get("text").asText().startsWith("[FIRING] answer-latency"));
    }

    @Test
    void fiftyFiringAlertsOfOneIncidentAreOneTriggerAndItsResolveOneResolveWithTheSameDedupKey() throws Exception {
        Receiver r = receiver(202, "{\"status\":\"success\",\"message\":\"Event processed\"}");
        AlertNotifier n = pagerDuty(r, settings().withGroupWait(Duration.ofSeconds(30)));
        SloAlert last = null;
        for (int i = 0; i < 50; i++) {
            // the replay emits the incident's state each minute while it burns; only the first waits to be sent
            last = Alerts.firing("answer-latency", Alerts.SINCE, Alerts.SINCE.plusSeconds(60L * i), 15 + i * 0.1,
                    0.7 - i * 0.001);
            n.submit(last);
            if (i == 0) {
                assertEquals(List.of(), n.flushDue(), "the group waits 30 s for more alerts");
                time.advance(Duration.ofSeconds(10));
            }
        }
        assertEquals(0, r.requests.size());
        assertEquals(Instant.parse("2026-11-03T10:00:30Z"), n.nextDue().orElseThrow());
        time.advance(Duration.ofSeconds(20));
        List<Delivery> sent = n.flushDue();

        assertEquals(1, sent.size());
        assertEquals(1, r.requests.size());
        Receiver.Request req = r.requests.get(0);
        assertEquals("/v2/enqueue", req.path());
        assertEquals("application/json", req.header("Content-Type"));
        assertEquals("application/json", req.header("Accept"));
        assertNull(req.header("Authorization"), "the Events API authenticates by routing_key in the body");
        JsonNode trigger = body(req);
        assertEquals(KEY, trigger.get("routing_key").asText());
        assertEquals("trigger", trigger.get("event_action").asText());
        String dedup = "tracebench/answer-latency/page-fast/" + Alerts.SINCE.getEpochSecond();
        assertEquals(dedup, trigger.get("dedup_key").asText());
        assertEquals(50, trigger.get("payload").get("custom_details").get("grouped_alerts").asInt());
        assertEquals(last.burnRate(), trigger.get("payload").get("custom_details").get("burn_rate").asDouble(), 1e-9,
                "the message carries the latest numbers");

        // it keeps firing: nothing more is sent
        for (int i = 50; i < 60; i++) {
            n.submit(Alerts.firing("answer-latency", Alerts.SINCE, Alerts.SINCE.plusSeconds(60L * i), 14.5, 0.6));
        }
        assertEquals(List.of(), n.flush());
        assertEquals(1, r.requests.size());

        // it resolves: one resolve, same dedup_key; a repeated resolve is not sent again
        SloAlert resolved = Alerts.resolved(last, Alerts.SINCE.plusSeconds(3600));
        n.submit(resolved);
        n.submit(resolved);
        assertEquals(1, n.flush().size());
        n.submit(resolved);
        assertEquals(List.of(), n.flush());
        assertEquals(2, r.requests.size());
        JsonNode resolve = body(r.requests.get(1));
        assertEquals("resolve", resolve.get("event_action").asText());
        assertEquals(dedup, resolve.get("dedup_key").asText());
        assertEquals(KEY, resolve.get("routing_key").asText());
    }

    @Test
    void separateIncidentsAreSeparatePagesAndARefiringIsANewIncident() throws Exception {
        Receiver r = receiver(202, "{}");
        AlertNotifier n = pagerDuty(r, settings());
        SloAlert first = Alerts.firing("answer-latency");
        SloAlert other = Alerts.firing("availability");
        SloAlert again = Alerts.firing("answer-latency", Alerts.SINCE.plusSeconds(7200), Alerts.SINCE.plusSeconds(7200),
                20, 0.5);
        List<Delivery> d = n.send(List.of(first, other, Alerts.resolved(first, Alerts.SINCE.plusSeconds(600)), again));

        // one message per incident, in the order the incidents began; the resolve joins its incident
        assertEquals(List.of("trigger " + first.incidentKey(), "resolve " + first.incidentKey(),
                "trigger " + other.incidentKey(), "trigger " + again.incidentKey()),
                d.stream().map(x -> x.action().label() + " " + x.incidentKey()).toList());
        assertEquals(4, r.requests.size());
    }

    @Test
    void retriesTwo503sWithJitteredExponentialBackoffThenDelivers() throws Exception {
        Receiver r = receiver(202, "{}").then(Receiver.Answer.of(503, "busy"), Receiver.Answer.of(503, "busy"));
        AlertNotifier n = pagerDuty(r, settings().withRetries(5, Duration.ofSeconds(1), Duration.ofSeconds(60)));

        Delivery d = n.send(List.of(Alerts.firing("availability"))).get(0);

        assertTrue(d.delivered());
        assertEquals(3, d.attempts());
        assertEquals(202, d.status());
        assertEquals(3, r.requests.size());
        assertEquals(r.requests.get(0).body(), r.requests.get(2).body(), "the same event is retried");
        assertEquals(2, time.sleeps.size());
        assertBetween(Duration.ofMillis(500), Duration.ofSeconds(1), time.sleeps.get(0));
        assertBetween(Duration.ofSeconds(1), Duration.ofSeconds(2), time.sleeps.get(1));
    }

    @Test
    void a429WaitsItsRetryAfterSecondsOrDate() throws Exception {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(time.instant().plusSeconds(42).atOffset(ZoneOffset.UTC));
        Receiver r = receiver(202, "{}").then(
                new Receiver.Answer(429, Map.of("Retry-After", "7"), q -> "slow down"),
                new Receiver.Answer(429, Map.of("Retry-After", date), q -> "slow down"));
        AlertNotifier n = pagerDuty(r, settings());

        Delivery d = n.send(List.of(Alerts.firing("availability"))).get(0);

        assertTrue(d.delivered());
        assertEquals(3, d.attempts());
        assertEquals(List.of(Duration.ofSeconds(7), Duration.ofSeconds(42 - 7)), time.sleeps);
    }

    @Test
    void a429AskingForMoreThanTheLongestWaitGivesUp() throws Exception {
        Receiver r = receiver(202, "{}").then(new Receiver.Answer(429, Map.of("Retry-After", "3600"), q -> ""));
        Delivery d = pagerDuty(r, settings()).send(List.of(Alerts.firing("availability"))).get(0);

        assertFalse(d.delivered());
        assertEquals(1, r.requests.size());
        assertEquals(List.of(), time.sleeps);
        assertTrue(d.error().contains("asked to retry after 3600 s"), d.error());
    }

    @Test
    void a400IsNotRetried() throws Exception {
        Receiver r = receiver(400, "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\"}");
        Delivery d = pagerDuty(r, settings()).send(List.of(Alerts.firing("availability"))).get(0);

        assertFalse(d.delivered());
        assertEquals(1, d.attempts());
        assertEquals(400, d.status());
        assertEquals(1, r.requests.size());
        assertEquals(List.of(), time.sleeps);
        assertTrue(d.error().startsWith("HTTP 400: {\"status\":\"invalid event\""), d.error());
    }

    @Test
    void connectionErrorsAreRetriedUntilTheLastAttempt() throws Exception {
        Receiver r = receiver(202, "{}");
        String url = r.url("/hook");
        r.close();
        AlertNotifier n = new AlertNotifier(List.of(Target.of("ci", Target.Kind.WEBHOOK, "TB_HOOK")),
                Map.of("TB_HOOK", url)::get, settings().withRetries(4, Duration.ofSeconds(2), Duration.ofSeconds(5)),
                time, time);

        Delivery d = n.send(List.of(Alerts.firing("availability"))).get(0);

        assertFalse(d.delivered());
        assertEquals(4, d.attempts());
        assertEquals(0, d.status());
        assertEquals(3, time.sleeps.size());
        assertBetween(Duration.ofSeconds(1), Duration.ofSeconds(2), time.sleeps.get(0));
        assertBetween(Duration.ofSeconds(2), Duration.ofSeconds(4), time.sleeps.get(1));
        assertBetween(Duration.ofMillis(2500), Duration.ofSeconds(5), time.sleeps.get(2)); // capped at 5 s
        assertTrue(d.error().contains("gave up after 4 attempts"), d.error());
    }

    @Test
    void aTriggerThatFailedIsSentWithTheIncidentsNextFiringAlert() throws Exception {
        Receiver r = receiver(202, "{}").then(Receiver.Answer.of(403, "forbidden"));
        AlertNotifier n = pagerDuty(r, settings());
        SloAlert a = Alerts.firing("availability");

        assertFalse(n.send(List.of(a)).get(0).delivered());
        List<Delivery> again = n.send(List.of(a));

        assertEquals(1, again.size());
        assertTrue(again.get(0).delivered());
        assertEquals(2, r.requests.size());
        assertEquals(List.of(), n.send(List.of(a)), "now it is firing: not sent again");
    }

    @Test
    void theRateLimitSpacesMessagesToATarget() throws Exception {
        Receiver r = receiver(200, "ok");
        AlertNotifier n = new AlertNotifier(List.of(Target.of("team", Target.Kind.SLACK, "TB_SLACK")),
                Map.of("TB_SLACK", r.url("/services/T/B/x"))::get, NotifySettings.DEFAULTS.withRate(0.5, 2), time,
                time);
        List<SloAlert> five = new ArrayList<>();
        for (String slo : List.of("a", "b", "c", "d", "e")) {
            five.add(Alerts.firing(slo));
        }

        List<Delivery> d = n.send(five);

        assertTrue(d.stream().allMatch(Delivery::delivered));
        // a burst of two, then one every 2 s (0.5 per second)
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2)), time.sleeps);
        List<Instant> at = r.requests.stream().map(Receiver.Request::at).toList();
        assertEquals(at.get(0), at.get(1));
        for (int i = 2; i < at.size(); i++) {
            assertEquals(Duration.ofSeconds(2), Duration.between(at.get(i - 1), at.get(i)));
        }
    }

    @Test
    void eachTargetHasItsOwnRateAndGetsEveryMessage() throws Exception {
        Receiver slack = receiver(200, "ok");
        Receiver hook = receiver(204, "");
        AlertNotifier n = new AlertNotifier(List.of(Target.of("team", Target.Kind.SLACK, "TB_SLACK"),
                Target.of("ci", Target.Kind.WEBHOOK, "TB_HOOK")),
                Map.of("TB_SLACK", slack.url("/services/T/B/x"), "TB_HOOK", hook.url("/in"))::get,
                NotifySettings.DEFAULTS.withRate(1, 1), time, time);

        List<Delivery> d = n.send(List.of(Alerts.firing("a"), Alerts.firing("b")));

        assertEquals(4, d.size());
        assertTrue(d.stream().allMatch(Delivery::delivered));
        assertEquals(List.of(Duration.ofSeconds(1)), time.sleeps, "the webhook's token was there after Slack's wait");
        JsonNode w = body(hook.requests.get(0));
        assertEquals(1, w.get("version").asInt());
        assertEquals("firing", w.get("status").asText());
        assertEquals("a", w.get("slo").asText());
        assertEquals("application/json", hook.requests.get(0).header("Content-Type"));
    }

    @Test
    void acknowledgeGoesToPagerDutyForAnOpenIncidentOnly() throws Exception {
        Receiver r = receiver(202, "{}");
        AlertNotifier n = pagerDuty(r, settings());
        SloAlert a = Alerts.firing("availability");
        assertEquals(List.of(), n.acknowledge(a.incidentKey()), "not firing yet");
        n.send(List.of(a));

        List<Delivery> ack = n.acknowledge(a.incidentKey());

        assertEquals(1, ack.size());
        JsonNode ev = body(r.requests.get(1));
        assertEquals("acknowledge", ev.get("event_action").asText());
        assertEquals(a.incidentKey(), ev.get("dedup_key").asText());
    }

    private static void assertBetween(Duration lo, Duration hi, Duration actual) {
        assertTrue(actual.compareTo(lo) >= 0 && actual.compareTo(hi) <= 0, actual + " not in [" + lo + ", " + hi + "]");
    }
}
