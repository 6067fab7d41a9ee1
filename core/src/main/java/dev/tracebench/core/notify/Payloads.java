package dev.tracebench.core.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.slo.SloAlert;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The JSON bodies sent for one alert (the latest of a group of {@code grouped} alerts of one incident). Each builder
 * follows the receiver's documented shape and limits, cited at the method.
 */
public final class Payloads {
    /** Version of the generic webhook object; raised when a field changes meaning or goes away (not when one is added). */
    public static final int WEBHOOK_VERSION = 1;
    /** PagerDuty's Events API v2 endpoint (US service region). */
    public static final String PAGERDUTY_URL = "https://events.pagerduty.com/v2/enqueue";

    static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter READABLE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Payloads() {
    }

    /**
     * A Slack incoming-webhook message with Block Kit blocks: a header, a section with the summary and the fields
     * (SLO, rule, burn rate, budget left, since, and when resolved), a context line, and {@code text} as the fallback
     * shown in notifications.
     * <ul>
     *   <li>Incoming webhooks take {@code text} and {@code blocks}; with blocks, {@code text} is the notification
     *       fallback: https://api.slack.com/messaging/webhooks</li>
     *   <li>Header: {@code plain_text}, at most 150 characters; section: {@code text} at most 3000 characters,
     *       at most 10 {@code fields} of at most 2000 characters each; context: at most 10 elements:
     *       https://docs.slack.dev/reference/block-kit/blocks/header-block and
     *       https://api.slack.com/reference/block-kit/blocks</li>
     *   <li>In mrkdwn, {@code & < >} are control characters and must be escaped:
     *       https://api.slack.com/reference/surfaces/formatting#escaping</li>
     * </ul>
     */
    public static ObjectNode slack(SloAlert a, int grouped) {
        boolean firing = a.firing();
        String head = (firing ? ":rotating_light: " : ":white_check_mark: ") + a.slo()
                + (firing ? " is burning its error budget" : " recovered") + " (" + a.rule() + ")";
        ObjectNode msg = JSON.createObjectNode();
        msg.put("text", (firing ? "[FIRING] " : "[RESOLVED] ") + a.slo() + " / " + a.rule() + ": " + a.summary());
        ArrayNode blocks = msg.putArray("blocks");

        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", cut(head, 150)).put("emoji", true);

        ObjectNode section = blocks.addObject().put("type", "section");
        section.putObject("text").put("type", "mrkdwn").put("text", cut(escape(a.summary()), 3000));
        ArrayNode fields = section.putArray("fields");
        field(fields, "SLO", a.slo());
        field(fields, "Rule", a.rule() + " (" + number(a.threshold()) + "× over " + window(a.longWindow()) + " and "
                + window(a.shortWindow()) + ")");
        field(fields, "Burn rate", number(a.burnRate()) + "×");
        field(fields, "Budget left", percent(a.budgetRemaining()));
        field(fields, "Since", READABLE.format(a.since()));
        if (!firing) {
            field(fields, "Resolved", READABLE.format(a.at()));
        }

        String context = "Tracebench SLO alert · " + a.severity().label() + " · incident `" + escape(a.incidentKey())
                + "`" + (grouped > 1 ? " · " + grouped + " alerts grouped" : "");
        blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", cut(context, 3000));
        return msg;
    }

    private static void field(ArrayNode fields, String name, String value) {
        fields.addObject().put("type", "mrkdwn").put("text", cut("*" + name + "*\n" + escape(value), 2000));
    }

    /**
     * A PagerDuty Events API v2 alert event, {@code POST https://events.pagerduty.com/v2/enqueue}
     * (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/, PagerDuty/developer-docs
     * docs/events-API-v2/02-Trigger-Events.md): {@code routing_key}, {@code event_action}
     * (trigger/acknowledge/resolve), {@code dedup_key} (at most 255 characters; the incident key, so the trigger and
     * the resolve of one incident share it) and, for a trigger, {@code payload} with the PD-CEF fields
     * {@code summary} (at most 1024 characters), {@code source}, {@code severity} (critical, error, warning, info),
     * {@code timestamp} (ISO 8601), {@code component}, {@code group}, {@code class} and {@code custom_details}.
     * Acknowledge and resolve events carry only the routing key, the action and the dedup key, as the documented
     * examples do.
     */
    public static ObjectNode pagerDuty(String routingKey, Action action, SloAlert a, int grouped, Target target) {
        ObjectNode ev = JSON.createObjectNode();
        ev.put("routing_key", routingKey);
        ev.put("event_action", action.label());
        ev.put("dedup_key", dedupKey(a.incidentKey()));
        if (action != Action.TRIGGER) {
            return ev;
        }
        ObjectNode p = ev.putObject("payload");
        p.put("summary", cut(a.summary(), 1024));
        p.put("source", target.option("source", "tracebench"));
        p.put("severity", pagerDutySeverity(a.severity()));
        p.put("timestamp", a.at().toString());
        p.put("component", a.slo());
        p.put("group", target.option("group", "slo"));
        p.put("class", target.option("class", "slo-burn-rate"));
        ObjectNode d = p.putObject("custom_details");
        details(d, a, grouped);
        ev.put("client", "Tracebench");
        return ev;
    }

    /**
     * The incident key as a {@code dedup_key} (at most 255 characters). A longer key (a very long SLO name) keeps its
     * start and ends in a hash of the whole, so two incidents that differ only at the end (their start time) still
     * get different keys.
     */
    static String dedupKey(String incidentKey) {
        if (incidentKey.length() <= 255) {
            return incidentKey;
        }
        return incidentKey.substring(0, 246) + "#" + String.format(Locale.ROOT, "%08x", incidentKey.hashCode());
    }

    /** PD-CEF severities are critical, error, warning and info; a page is critical, a ticket a warning. */
    static String pagerDutySeverity(Severity s) {
        return switch (s) {
            case CRITICAL -> "critical";
            case WARNING -> "warning";
            case NOTICE, INFO -> "info";
        };
    }

    /**
     * The generic webhook's JSON object, one per message (documented in docs/notifications.md): {@code version},
     * {@code type} ("slo.alert"), {@code status} (firing, resolved), {@code incident_key} and the alert's numbers.
     */
    public static ObjectNode webhook(SloAlert a, int grouped) {
        ObjectNode o = JSON.createObjectNode();
        o.put("version", WEBHOOK_VERSION);
        o.put("type", "slo.alert");
        o.put("status", a.firing() ? "firing" : "resolved");
        o.put("incident_key", a.incidentKey());
        o.put("severity", a.severity().label());
        details(o, a, grouped);
        return o;
    }

    /** The alert's fields under the names both PagerDuty's custom_details and the generic webhook use. */
    private static void details(ObjectNode o, SloAlert a, int grouped) {
        o.put("slo", a.slo());
        o.put("rule", a.rule());
        o.put("summary", a.summary());
        finite(o, "burn_rate", a.burnRate());
        finite(o, "threshold", a.threshold());
        o.put("long_window", a.longWindow().toString());
        o.put("short_window", a.shortWindow().toString());
        finite(o, "budget_remaining", a.budgetRemaining());
        o.put("since", a.since().toString());
        o.put("at", a.at().toString());
        o.put("grouped_alerts", grouped);
    }

    /** JSON has no NaN or infinity: a burn rate over an empty window is null. */
    private static void finite(ObjectNode o, String name, double v) {
        if (Double.isFinite(v)) {
            o.put(name, v);
        } else {
            o.putNull(name);
        }
    }

    static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "n/a";
    }

    static String percent(double share) {
        return Double.isFinite(share) ? String.format(Locale.ROOT, "%.1f%%", share * 100) : "n/a";
    }

    /** A rule window the way SRE texts write them: 5m, 1h, 3d. */
    static String window(Duration d) {
        long s = d.toSeconds();
        if (s > 0 && s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s > 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s > 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** At most {@code max} characters, an ellipsis marking a cut. */
    static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
