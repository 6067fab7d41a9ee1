package dev.tracebench.core.notify;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where alerts are sent. The configuration names the environment variable that holds the secret (the webhook URL for
 * Slack and generic webhooks, the integration's routing key for PagerDuty), never the secret itself, so a
 * configuration file can be committed and shown.
 *
 * @param name    the target's name, used in messages (e.g. "oncall")
 * @param kind    slack, pagerduty or webhook
 * @param env     the environment variable holding the URL or routing key
 * @param options per-kind settings ({@link Kind#options}); unknown names are an error so a typo is not ignored
 */
public record Target(String name, Kind kind, String env, Map<String, String> options) {

    /** What a target is, and the options it takes. */
    public enum Kind {
        /** Slack incoming webhook; {@code env} holds the webhook URL. */
        SLACK(List.of()),
        /**
         * PagerDuty Events API v2; {@code env} holds the routing (integration) key. Options: {@code url} (another
         * endpoint, e.g. the EU one https://events.eu.pagerduty.com/v2/enqueue), {@code source}, {@code group} and
         * {@code class} (the PD-CEF fields of the event).
         */
        PAGERDUTY(List.of("url", "source", "group", "class")),
        /** Generic JSON webhook; {@code env} holds the URL. */
        WEBHOOK(List.of());

        private final List<String> options;

        Kind(List<String> options) {
            this.options = options;
        }

        /** The option names this kind takes. */
        public List<String> options() {
            return options;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind named {@code s} (case-insensitive). */
        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.label().equalsIgnoreCase(s == null ? "" : s.strip())) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown notification kind '" + s + "' (slack, pagerduty, webhook)");
        }
    }

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public Target {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a notification target needs a name");
        }
        if (kind == null) {
            throw new IllegalArgumentException("target '" + name + "' needs a kind (slack, pagerduty, webhook)");
        }
        // Not echoed: a value that is not a variable name may well be the URL or key pasted in by mistake.
        if (env == null || !ENV_NAME.matcher(env).matches()) {
            throw new IllegalArgumentException("target '" + name + "': env must name an environment variable (such as"
                    + " TB_SLACK_WEBHOOK) that holds the " + secretWhat(kind) + ", not the " + secretWhat(kind)
                    + " itself");
        }
        TreeMap<String, String> given = new TreeMap<>();
        if (options != null) {
            // an option left empty in a YAML file arrives as null: the same as not set
            options.forEach((k, v) -> {
                if (v != null) {
                    given.put(k, v);
                }
            });
        }
        options = Map.copyOf(given);
        for (String o : options.keySet()) {
            if (!kind.options().contains(o)) {
                throw new IllegalArgumentException("target '" + name + "': unknown option '" + o + "' for "
                        + kind.label() + (kind.options().isEmpty() ? " (it takes none)" : " (" + String.join(", ",
                                kind.options()) + ")"));
            }
        }
    }

    /** A target without options. */
    public static Target of(String name, Kind kind, String env) {
        return new Target(name, kind, env, Map.of());
    }

    /** The option's value, or {@code fallback} when it is not set. */
    public String option(String key, String fallback) {
        String v = options.get(key);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** What the environment variable holds: "webhook URL" or "routing key". */
    static String secretWhat(Kind kind) {
        return kind == Kind.PAGERDUTY ? "routing key" : "webhook URL";
    }

    /** How messages name this target: {@code 'oncall' (pagerduty, $TB_PD_KEY)}. */
    String describe() {
        return "'" + name + "' (" + kind.label() + ", $" + env + ")";
    }
}
