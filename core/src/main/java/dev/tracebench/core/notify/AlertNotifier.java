package dev.tracebench.core.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracebench.core.report.Secrets;
import dev.tracebench.core.slo.SloAlert;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Sends alerts to targets, one message per incident, not one per alert.
 *
 * <ul>
 *   <li><b>Grouping.</b> Alerts are keyed by {@link SloAlert#incidentKey()}. The first alert of an incident waits
 *       {@link NotifySettings#groupWait()}; the alerts of that incident arriving meanwhile join it, and one message
 *       goes out for all of them (the latest numbers, and how many alerts it stands for). An incident a target was
 *       already told is firing is not sent again; its resolve is sent once. A trigger that could not be delivered
 *       is tried again with the incident's next firing alert.</li>
 *   <li><b>Retries.</b> On 429 (waiting its {@code Retry-After}), 5xx and connection errors, with exponential backoff
 *       and jitter; never on other 4xx, which a retry cannot fix (PagerDuty's retry table:
 *       https://developer.pagerduty.com/docs/events-api-v2/overview/#response-codes--retry-logic).</li>
 *   <li><b>Rate limit.</b> A token bucket per target; a message over the rate waits for its token, none is dropped.</li>
 *   <li><b>Secrets.</b> URLs and routing keys are read from the environment once, here, and appear only in the
 *       requests. Log records, {@link Delivery} errors and exceptions name the target and its variable; whatever a
 *       receiver or the HTTP stack says is masked before it is kept.</li>
 * </ul>
 *
 * Methods block while they send (retries and the rate limit wait through the injected {@link Sleeper}): call them
 * from a background thread, never the FX thread. They are synchronized, so alerts may be submitted from any thread.
 */
public final class AlertNotifier {
    private static final System.Logger LOG = System.getLogger(AlertNotifier.class.getName());

    private final List<Endpoint> endpoints;
    private final Transport transport;
    private final NotifySettings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<String, Group> pending = new LinkedHashMap<>();

    /**
     * A notifier for {@code targets}, reading their URLs and keys from {@code env} (e.g. {@code System::getenv}).
     *
     * @throws IllegalArgumentException naming every target whose variable is unset or does not hold a usable value
     */
    public AlertNotifier(List<Target> targets, Function<String, String> env, NotifySettings settings, Clock clock,
            Sleeper sleeper) {
        this(resolve(targets, env, settings), Transport.http(settings.timeout()), settings, clock, sleeper);
    }

    private AlertNotifier(List<Endpoint> endpoints, Transport transport, NotifySettings settings, Clock clock,
            Sleeper sleeper) {
        this.endpoints = endpoints;
        this.transport = transport;
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * A notifier that sends nothing: each message it would send is added to {@code sink} with its secrets masked.
     * Needs no environment.
     */
    static AlertNotifier dryRun(List<Target> targets, NotifySettings settings, List<Message> sink) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Target t : targets) {
            String url = t.kind() == Target.Kind.PAGERDUTY ? t.option("url", Payloads.PAGERDUTY_URL) : "$" + t.env();
            endpoints.add(new Endpoint(t, url, Secrets.MASK, null, settings));
        }
        Transport recorder = m -> {
            sink.add(m);
            return new Transport.Response(m.kind() == Target.Kind.PAGERDUTY ? 202 : 200, null, "");
        };
        return new AlertNotifier(endpoints, recorder, settings, Clock.systemUTC(), d -> { });
    }

    /** Adds an alert to its incident's group; it is sent by {@link #flushDue()} or {@link #flush()}. */
    public synchronized void submit(SloAlert alert) {
        Group g = pending.computeIfAbsent(alert.incidentKey(),
                k -> new Group(clock.instant().plus(settings.groupWait())));
        if (alert.firing()) {
            g.firing = alert;
            g.count++;
        } else {
            g.resolve = alert;
        }
    }

    /** Sends the groups whose wait is over. */
    public synchronized List<Delivery> flushDue() {
        Instant now = clock.instant();
        return flushWhere(g -> !g.due.isAfter(now));
    }

    /** Sends every waiting group now (the end of a batch, or shutting down). */
    public synchronized List<Delivery> flush() {
        return flushWhere(g -> true);
    }

    /** Submits {@code alerts} and sends them at once: what a command-line run does. */
    public synchronized List<Delivery> send(List<SloAlert> alerts) {
        alerts.forEach(this::submit);
        return flush();
    }

    /**
     * Posts one JSON document that is not an alert (a retraining trigger) to the generic webhook targets, with the
     * same retries, rate limit and redaction as alerts; other kinds of targets are skipped.
     */
    public synchronized List<Delivery> post(String key, ObjectNode body) {
        List<Delivery> out = new ArrayList<>();
        for (Endpoint e : endpoints) {
            if (e.target.kind() == Target.Kind.WEBHOOK) {
                out.add(post(e, new Message(e.target.name(), e.target.kind(), Action.TRIGGER, key, 1, e.url, body)));
            }
        }
        return out;
    }

    /** When the next waiting group is due, if any: when to call {@link #flushDue()} next. */
    public synchronized Optional<Instant> nextDue() {
        return pending.values().stream().map(g -> g.due).min(Instant::compareTo);
    }

    /**
     * Acknowledges a firing incident on the PagerDuty targets that were told of it (someone is working on it; PagerDuty
     * stops notifying). Slack and generic webhooks have no acknowledgement.
     */
    public synchronized List<Delivery> acknowledge(String incidentKey) {
        List<Delivery> out = new ArrayList<>();
        for (Endpoint e : endpoints) {
            SloAlert open = e.open.get(incidentKey);
            if (e.target.kind() == Target.Kind.PAGERDUTY && open != null) {
                out.add(deliver(e, Action.ACKNOWLEDGE, open, 1));
            }
        }
        return out;
    }

    private List<Delivery> flushWhere(Predicate<Group> ready) {
        List<Delivery> out = new ArrayList<>();
        var it = pending.entrySet().iterator();
        while (it.hasNext()) {
            var entry = it.next();
            Group g = entry.getValue();
            if (!ready.test(g)) {
                continue;
            }
            it.remove();
            String key = entry.getKey();
            for (Endpoint e : endpoints) {
                if (g.firing != null && !e.open.containsKey(key) && !e.resolved.contains(key)) {
                    Delivery d = deliver(e, Action.TRIGGER, g.firing, g.count);
                    if (d.delivered()) {
                        e.open.put(key, g.firing);
                    }
                    out.add(d);
                }
                if (g.resolve != null && !e.resolved.contains(key)) {
                    Delivery d = deliver(e, Action.RESOLVE, g.resolve, 1);
                    if (d.delivered()) {
                        e.open.remove(key);
                        e.resolved.add(key);
                    }
                    out.add(d);
                }
            }
        }
        return out;
    }

    private Delivery deliver(Endpoint e, Action action, SloAlert alert, int count) {
        ObjectNode body = switch (e.target.kind()) {
            case SLACK -> Payloads.slack(alert, count);
            case PAGERDUTY -> Payloads.pagerDuty(e.routingKey, action, alert, count, e.target);
            case WEBHOOK -> Payloads.webhook(alert, count);
        };
        Message m = new Message(e.target.name(), e.target.kind(), action, alert.incidentKey(), count, e.url, body);
        return post(e, m);
    }

    /** Posts with retries; every text kept from a failure goes through {@link Endpoint#redact}. */
    private Delivery post(Endpoint e, Message m) {
        String what = m.action().label() + " of " + m.incidentKey() + " to target " + e.target.describe();
        int status = 0;
        String error;
        for (int attempt = 1; ; attempt++) {
            Duration retryAfter = null;
            boolean retry;
            try {
                pause(e.bucket.acquire(clock.instant()));
                Transport.Response r = transport.post(m);
                status = r.status();
                if (status / 100 == 2) {
                    LOG.log(Level.DEBUG, () -> "sent " + what + " (HTTP " + r.status() + ")");
                    return new Delivery(m.target(), m.kind(), m.action(), m.incidentKey(), m.alerts(), true, attempt,
                            status, null);
                }
                retry = status == 429 || status / 100 == 5;
                error = "HTTP " + status + receiverSaid(r.body());
                if (retry) {
                    // sent with 429, and with 503 by some (RFC 9110 §10.2.3)
                    retryAfter = retryAfter(r.retryAfter(), clock.instant());
                }
            } catch (IOException ex) {
                status = 0;
                retry = true;
                error = "no response (" + ex.getClass().getSimpleName()
                        + (ex.getMessage() == null ? "" : ": " + ex.getMessage()) + ")";
            } catch (IllegalArgumentException ex) {
                // the request could not be built; its message may hold the URL, hence redacted below
                retry = false;
                error = "bad request (" + ex.getMessage() + ")";
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return failed(m, what, attempt, status, "interrupted");
            }
            // redacted before it is cut: a cut could leave part of a secret that no longer matches
            error = Payloads.cut(e.redact(error), 300);
            if (!retry) {
                return failed(m, what, attempt, status, error + " (not retried: sending it again would not help)");
            }
            if (attempt >= settings.maxAttempts()) {
                return failed(m, what, attempt, status, error + " (gave up after " + attempt + " attempts)");
            }
            if (retryAfter != null && retryAfter.compareTo(settings.maxRetryAfter()) > 0) {
                return failed(m, what, attempt, status, error + " (asked to retry after " + retryAfter.toSeconds()
                        + " s, longer than the " + settings.maxRetryAfter().toSeconds() + " s we wait)");
            }
            Duration wait = retryAfter != null ? retryAfter : backoff(attempt);
            String reason = error;
            int next = attempt + 1;
            LOG.log(Level.DEBUG, () -> what + ": " + reason + "; attempt " + next + " of " + settings.maxAttempts()
                    + " in " + wait.toMillis() + " ms");
            try {
                pause(wait);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return failed(m, what, attempt, status, error + "; interrupted while waiting to retry");
            }
        }
    }

    private Delivery failed(Message m, String what, int attempts, int status, String error) {
        LOG.log(Level.WARNING, () -> "could not send " + what + ": " + error);
        return new Delivery(m.target(), m.kind(), m.action(), m.incidentKey(), m.alerts(), false, attempts, status,
                error);
    }

    private void pause(Duration d) throws InterruptedException {
        if (!d.isZero() && !d.isNegative()) {
            sleeper.sleep(d);
        }
    }

    /** The wait before retry {@code attempt}: initial × 2^(attempt−1), at most the maximum, jittered to 50–100%. */
    Duration backoff(int attempt) {
        double full = Math.min(settings.maxBackoff().toNanos(),
                settings.initialBackoff().toNanos() * Math.pow(2, attempt - 1));
        return Duration.ofNanos((long) (full * (0.5 + 0.5 * ThreadLocalRandom.current().nextDouble())));
    }

    /**
     * A {@code Retry-After} value: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable,
     * and the backoff applies.
     */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.strip();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(h)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** The receiver's answer on one line (Slack says why: "invalid_payload", "channel_is_archived"). */
    private static String receiverSaid(String body) {
        return body == null || body.isBlank() ? "" : ": " + body.strip().replaceAll("\\s+", " ");
    }

    private static List<Endpoint> resolve(List<Target> targets, Function<String, String> env, NotifySettings s) {
        List<Endpoint> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Target t : targets) {
            if (!names.add(t.name())) {
                problems.add("two targets are named '" + t.name() + "'");
                continue;
            }
            String value = env.apply(t.env());
            if (value == null || value.isBlank()) {
                problems.add("target " + t.describe() + ": environment variable " + t.env() + " is not set (it should"
                        + " hold the " + Target.secretWhat(t.kind()) + ")");
                continue;
            }
            String secret = value.strip();
            String url = t.kind() == Target.Kind.PAGERDUTY ? t.option("url", Payloads.PAGERDUTY_URL) : secret;
            if (!isHttpUrl(url)) {
                problems.add("target " + t.describe() + ": " + (t.kind() == Target.Kind.PAGERDUTY
                        ? "option url is not an http(s) URL" : "$" + t.env() + " does not hold an http(s) URL"));
                continue;
            }
            out.add(new Endpoint(t, url, t.kind() == Target.Kind.PAGERDUTY ? secret : null, secret, s));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return out;
    }

    private static boolean isHttpUrl(String s) {
        try {
            URI u = new URI(s);
            return ("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme()))
                    && u.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** A target with its secret and what the notifier keeps for it. */
    private static final class Endpoint {
        final Target target;
        final String url;
        final String routingKey;
        /** The secret value (URL or key) to scrub from any text kept; null in a dry run. */
        private final String secret;
        final TokenBucket bucket;
        /** Incidents this target was told are firing, with the alert that told it. */
        final Map<String, SloAlert> open = new HashMap<>();
        /** Incidents whose resolve this target got. */
        final Set<String> resolved = new HashSet<>();

        Endpoint(Target target, String url, String routingKey, String secret, NotifySettings s) {
            this.target = target;
            this.url = url;
            this.routingKey = routingKey;
            this.secret = secret;
            this.bucket = new TokenBucket(s.perSecond(), s.burst());
        }

        /**
         * {@code text} without the secret: the value itself, then each token-like part of its URL path and query
         * (a Slack webhook URL's secret is its last three path segments; receivers and HTTP stacks may echo any of
         * them), then anything secret-shaped. Plain words such as {@code services} stay readable.
         */
        String redact(String text) {
            String out = text;
            if (secret != null) {
                out = out.replace(secret, Secrets.MASK);
                for (String part : tokenParts(secret)) {
                    out = out.replace(part, Secrets.MASK);
                }
            }
            return Secrets.maskText(out);
        }
    }

    /** The parts of a URL's path and query that look like tokens (6+ characters, not a plain lowercase word). */
    private static List<String> tokenParts(String secret) {
        URI u;
        try {
            u = new URI(secret);
        } catch (URISyntaxException notAUrl) {
            return List.of();
        }
        String tail = (u.getRawPath() == null ? "" : u.getRawPath()) + "?" + (u.getRawQuery() == null ? ""
                : u.getRawQuery());
        List<String> out = new ArrayList<>();
        for (String part : tail.split("[/?&=]")) {
            if (part.length() >= 6 && !part.matches("[a-z-]+")) {
                out.add(part);
            }
        }
        return out;
    }

    /** The alerts of one incident waiting to be sent. */
    private static final class Group {
        final Instant due;
        SloAlert firing;
        int count;
        SloAlert resolve;

        Group(Instant due) {
            this.due = due;
        }
    }
}
