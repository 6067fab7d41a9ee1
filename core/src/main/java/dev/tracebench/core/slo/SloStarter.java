package dev.tracebench.core.slo;

import java.util.List;
import java.util.Locale;

/**
 * The starter SLO file written from what a workspace holds ({@code tracebench slo init}, and the GUI's "Create starter
 * file"): availability and latency per service, availability per model, cost and tokens per request, one SLO per
 * evaluator with results linked to traces.
 */
public final class SloStarter {
    /** Labels that mean a good answer, the first found is the starter's "good" label. */
    private static final List<String> GOOD_LABELS = List.of("grounded", "relevant", "safe", "non_toxic", "correct",
            "faithful", "pass", "passed", "ok", "valid");
    private static final int MAX_MODELS = 5;

    private SloStarter() {
    }

    /** The starter file's YAML (it parses: {@link SloParser#parse}). */
    public static String yaml(SloService.Inventory inv, String workspace) {
        StringBuilder y = new StringBuilder();
        y.append("# Starter SLOs for workspace ").append(workspace).append(", written by 'tracebench slo init'.\n")
                .append("# Objectives are common starting points, not your targets: edit them. Format: docs/slo.md\n")
                .append("# Check: tracebench slo check --config slo.yaml   CI: tracebench gate --config slo.yaml\n");
        if (!inv.models().isEmpty()) {
            y.append("# Models seen: ").append(String.join(", ", inv.models())).append('\n');
        }
        if (!inv.evaluators().isEmpty()) {
            y.append("# Evaluators seen: ").append(String.join(", ", inv.evaluators().stream()
                    .map(SloService.EvaluatorInfo::name).toList())).append('\n');
        }
        y.append("slos:\n");
        if (inv.services().isEmpty()) {
            y.append("  - name: availability            # the workspace holds no traces yet\n")
                    .append("    sli: availability\n    objective: 99.9%\n");
        }
        for (SloService.ServiceInfo s : inv.services()) {
            String filter = "    filter: \"service = " + sqlString(s.name()) + "\"\n";
            y.append("  - name: ").append(name(s.name())).append("-availability\n")
                    .append("    sli: availability        # a request is good when it did not fail (today: ")
                    .append(String.format(Locale.ROOT, "%,d of %,d failed", s.failed(), s.requests())).append(")\n")
                    .append("    objective: 99.9%\n    window: 30d\n").append(filter);
            y.append("  - name: ").append(name(s.name())).append("-latency\n")
                    .append("    sli: latency             # a request is good when it takes at most the threshold\n")
                    .append("    threshold: ").append(roundUpMs(s.p99Ns())).append("  # today's p99: ")
                    .append(Math.round(s.p99Ns() / 1e6)).append(" ms\n")
                    .append("    objective: 99%\n    window: 30d\n").append(filter);
        }
        for (String m : inv.models().subList(0, Math.min(MAX_MODELS, inv.models().size()))) {
            y.append("  - name: ").append(name(m)).append("-availability\n")
                    .append("    sli: availability\n    objective: 99.5%\n")
                    .append("    filter: \"model = ").append(sqlString(m)).append("\"\n");
        }
        if (!Double.isNaN(inv.costP99())) {
            y.append("  - name: cost-per-request\n    sli: cost                # USD per request\n")
                    .append("    threshold: $").append(roundUp(inv.costP99())).append("  # today's p99: $")
                    .append(String.format(Locale.ROOT, "%.4f", inv.costP99())).append('\n')
                    .append("    objective: 99%\n");
        }
        if (inv.tokensP99() > 0) {
            y.append("  - name: tokens-per-request\n    sli: tokens\n")
                    .append("    threshold: ").append(fmt(roundUp(inv.tokensP99()))).append("  # today's p99: ")
                    .append(inv.tokensP99()).append('\n').append("    objective: 99%\n");
        }
        for (SloService.EvaluatorInfo e : inv.evaluators()) {
            String good = e.labels().stream().filter(l -> GOOD_LABELS.contains(l.toLowerCase(Locale.ROOT)))
                    .findFirst().orElse(null);
            String how;
            if (good != null) {
                how = "    sli: eval\n    evaluator: " + yamlString(e.name()) + "\n    label: " + yamlString(good)
                        + "  # labels seen: " + String.join(", ", e.labels()) + "\n";
            } else if (e.verdicts()) {
                how = "    sli: eval\n    evaluator: " + yamlString(e.name()) + "\n    pass: true\n";
            } else if (e.scores()) {
                how = "    sli: metric              # a result is good when its score is at least the threshold\n"
                        + "    evaluator: " + yamlString(e.name()) + "\n    threshold: 0.5\n";
            } else {
                continue;
            }
            y.append("  - name: ").append(name(e.name())).append('\n').append(how).append("    objective: 95%\n");
        }
        y.append("# Alerts: by default the SRE Workbook's 14.4x over 1h/5m and 6x over 6h/30m (pages), 1x over 3d/6h ")
                .append("(ticket).\n")
                .append("# Notifications name environment variables, never the secret itself:\n")
                .append("# notifications:\n#   - {type: slack, url: \"${SLACK_WEBHOOK_URL}\"}\n")
                .append("#   - {type: pagerduty, routing_key: \"${PAGERDUTY_ROUTING_KEY}\", min_severity: page}\n");
        return y.toString();
    }

    /** An SLO name from a service, model or evaluator name: lower case, no spaces or slashes. */
    private static String name(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
    }

    private static String sqlString(String s) {
        return "'" + s.replace("'", "''").replace("\\", "\\\\").replace("\"", "\\\"") + "'";
    }

    private static String yamlString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A round threshold at or above a p99 duration: 1, 2 or 5 times a power of ten, in ms or s. */
    private static String roundUpMs(long ns) {
        double ms = roundUp(Math.max(1, ns / 1e6));
        return ms >= 1000 ? fmt(ms / 1000) + "s" : fmt(ms) + "ms";
    }

    /** The smallest of 1, 2, 5 × 10^k at or above v. */
    private static double roundUp(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v * (1 - 1e-12)) {
                return Double.parseDouble(String.format(Locale.ROOT, "%.10g", m * p));
            }
        }
        return 10 * p;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.valueOf(d);
    }
}
