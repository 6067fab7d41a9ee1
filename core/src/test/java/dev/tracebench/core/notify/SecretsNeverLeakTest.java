package dev.tracebench.core.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failing deliveries (receivers that echo the request back, keep failing, or are not there) leave no webhook URL or
 * routing key in any log record, delivery error or exception message.
 */
class SecretsNeverLeakTest {
    private static final String TOKEN = "HookT0kenSecretValue24ch";
    private static final String KEY = "R0utingKeySecret0123456789abcdef";

    private final FakeTime time = new FakeTime(Instant.parse("2026-11-03T10:00:00Z"));
    private final List<LogRecord> records = new ArrayList<>();
    private final Logger logger = Logger.getLogger("dev.tracebench.core.notify");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level saved;
    private final List<Receiver> receivers = new ArrayList<>();

    @BeforeEach
    void listen() {
        saved = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(capture);
    }

    @AfterEach
    void stop() {
        logger.removeHandler(capture);
        logger.setLevel(saved);
        receivers.forEach(Receiver::close);
    }

    /**
     * What a careless receiver does: puts the request's path and body into its error, after {@code pad} characters
     * (so a secret can straddle the point where an error text is cut).
     */
    private Receiver echoing(int status, int pad) throws IOException {
        Receiver r = new Receiver(new Receiver.Answer(status, Map.of(),
                q -> ".".repeat(pad) + "rejected " + q.path() + " with " + q.body() + " (token " + TOKEN + ")"), time);
        receivers.add(r);
        return r;
    }

    @Test
    void failingDeliveriesNeverShowTheUrlOrKey() throws Exception {
        Receiver slack = echoing(400, 0);
        // "HTTP 503: " + 244 + "rejected /v2/enqueue with {"routing_key":"" puts the key across character 300
        Receiver pd = echoing(503, 244);
        Receiver gone = echoing(500, 0);
        String slackUrl = slack.url("/services/T0SECRET1/B0SECRET2/" + TOKEN);
        String goneUrl = gone.url("/hooks/" + TOKEN + "?token=" + TOKEN);
        gone.close();
        List<Target> targets = List.of(Target.of("team", Target.Kind.SLACK, "TB_SLACK"),
                new Target("oncall", Target.Kind.PAGERDUTY, "TB_PD_KEY", Map.of("url", pd.url("/v2/enqueue"))),
                Target.of("ci", Target.Kind.WEBHOOK, "TB_HOOK"));
        Map<String, String> env = Map.of("TB_SLACK", slackUrl, "TB_PD_KEY", KEY, "TB_HOOK", goneUrl);
        AlertNotifier n = new AlertNotifier(targets, env::get,
                NotifySettings.DEFAULTS.withRetries(3, Duration.ofSeconds(1), Duration.ofSeconds(4)), time, time);

        List<Delivery> d = n.send(List.of(Alerts.firing("availability")));

        assertEquals(3, d.size());
        assertTrue(d.stream().noneMatch(Delivery::delivered));
        assertTrue(pd.requests.get(0).body().contains(KEY), "the key was sent, where it belongs");
        String pdSaid = "HTTP 503: " + ".".repeat(244) + "rejected /v2/enqueue with {\"routing_key\":\"";
        assertTrue(pdSaid.length() < 300 && pdSaid.length() + KEY.length() > 300);
        // masked first, then cut: the cut falls inside "[masked]", and no piece of the key is left
        assertTrue(d.get(1).error().startsWith(pdSaid + "[ma…"), d.get(1).error());
        assertFalse(d.get(1).error().contains(KEY.substring(0, 4)), d.get(1).error());
        List<String> texts = new ArrayList<>();
        d.forEach(x -> {
            texts.add(x.error());
            texts.add(x.toString());
        });
        for (LogRecord r : records) {
            texts.add(new java.util.logging.SimpleFormatter().format(r));
            if (r.getThrown() != null) {
                texts.add(r.getThrown().toString());
            }
        }
        assertFalse(records.isEmpty());
        assertTrue(records.stream().anyMatch(r -> r.getLevel() == Level.WARNING
                && r.getMessage().contains("'oncall' (pagerduty, $TB_PD_KEY)")), "failures name target and variable");
        assertTrue(d.get(0).error().startsWith("HTTP 400: rejected /services/[masked]/[masked]/[masked] with "),
                d.get(0).error());
        for (String t : texts) {
            assertNoSecret(t, slackUrl, goneUrl);
        }
    }

    @Test
    void configurationErrorsNameTheVariableNotTheValue() {
        String url = "https://hooks.slack.com/services/T0SECRET1/B0SECRET2/" + TOKEN;
        IllegalArgumentException pasted = assertThrows(IllegalArgumentException.class,
                () -> Target.of("team", Target.Kind.SLACK, url));
        assertNoSecret(pasted.getMessage(), url);
        assertTrue(pasted.getMessage().contains("'team'"), pasted.getMessage());

        IllegalArgumentException notUrl = assertThrows(IllegalArgumentException.class,
                () -> new AlertNotifier(List.of(Target.of("team", Target.Kind.SLACK, "TB_SLACK")),
                        Map.of("TB_SLACK", "hooks.slack.com/" + TOKEN)::get, NotifySettings.DEFAULTS, time, time));
        assertEquals("target 'team' (slack, $TB_SLACK): $TB_SLACK does not hold an http(s) URL", notUrl.getMessage());
    }

    private static void assertNoSecret(String text, String... urls) {
        if (text == null) {
            return;
        }
        assertFalse(text.contains(KEY), text);
        assertFalse(text.contains(TOKEN), text);
        assertFalse(text.contains("T0SECRET1") || text.contains("B0SECRET2"), text);
        for (String u : urls) {
            assertFalse(text.contains(u), text);
        }
    }
}
