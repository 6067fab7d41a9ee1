package dev.tracebench.core.slo;

import dev.tracebench.core.analysis.Severity;
import java.util.List;

/**
 * Where alerts are sent. The file never holds the URL or key itself, only the name of the environment variable that
 * does: webhook URLs and routing keys are secrets.
 *
 * @param name        the target's name (for messages)
 * @param type        slack, pagerduty or webhook
 * @param secretEnv   the environment variable holding the webhook URL (slack, webhook) or routing key (pagerduty)
 * @param minSeverity the least severe alert sent (WARNING: tickets too; CRITICAL: pages only)
 * @param slos        the SLOs whose alerts go here; empty for all
 */
public record NotificationTarget(String name, String type, String secretEnv, Severity minSeverity,
        List<String> slos) {
    public static final List<String> TYPES = List.of("slack", "pagerduty", "webhook");

    public NotificationTarget {
        slos = List.copyOf(slos);
    }

    /** Whether this target gets an alert. */
    public boolean wants(SloAlert alert) {
        return alert.severity().compareTo(minSeverity) >= 0 && (slos.isEmpty() || slos.contains(alert.slo()));
    }

    /** The secret (URL or key) from the environment, or null when the variable is not set. Never print it. */
    public String secret(java.util.function.Function<String, String> env) {
        String v = env.apply(secretEnv);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
