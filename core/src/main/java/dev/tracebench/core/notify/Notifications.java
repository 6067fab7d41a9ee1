package dev.tracebench.core.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracebench.core.slo.SloAlert;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The entry points for the command line: send a batch of alerts, or show what would be sent. */
public final class Notifications {
    private Notifications() {
    }

    /**
     * Sends {@code alerts} to {@code targets} (grouped by incident, retried, rate limited: {@link AlertNotifier}),
     * reading URLs and keys from {@code env} (e.g. {@code System::getenv}).
     *
     * @return one delivery per message sent, delivered or not
     * @throws IllegalArgumentException naming every target whose environment variable is unset or unusable
     */
    public static List<Delivery> send(List<SloAlert> alerts, List<Target> targets, Function<String, String> env) {
        return send(alerts, targets, env, NotifySettings.DEFAULTS);
    }

    public static List<Delivery> send(List<SloAlert> alerts, List<Target> targets, Function<String, String> env,
            NotifySettings settings) {
        return new AlertNotifier(targets, env, settings, Clock.systemUTC(), Sleeper.SYSTEM).send(alerts);
    }

    /**
     * Posts one JSON document (not an alert: e.g. a retraining trigger) to the webhook URL held by the environment
     * variable {@code envVar}, with the retries of alerts; the URL appears only in the request.
     *
     * @throws IllegalArgumentException when the variable is unset or does not hold an http(s) URL
     */
    public static Delivery post(String envVar, String key, ObjectNode body, Function<String, String> env) {
        Target t = Target.of("webhook", Target.Kind.WEBHOOK, envVar);
        return new AlertNotifier(List.of(t), env, NotifySettings.DEFAULTS, Clock.systemUTC(), Sleeper.SYSTEM)
                .post(key, body).get(0);
    }

    /**
     * The messages {@link #send} would send for {@code alerts}, grouped the same way, with secrets masked (endpoint
     * {@code $ENV_VAR}, routing key {@code [masked]}); for {@code --dry-run}. Needs no environment and sends nothing.
     */
    public static List<Message> render(List<SloAlert> alerts, List<Target> targets) {
        List<Message> out = new ArrayList<>();
        AlertNotifier.dryRun(targets, NotifySettings.DEFAULTS, out).send(alerts);
        return out;
    }
}
