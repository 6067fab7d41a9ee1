package dev.tracebench.core.recommend;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.rules.Words;
import dev.tracebench.core.report.Durations;
import dev.tracebench.core.report.Secrets;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Writes {@link Recommendations} as text (like the findings of {@code explain}), JSON or YAML (the same tree: every
 * recommendation, the weights and the overhead rows), a LiteLLM router config of the weights, and the retraining
 * trigger document. Texts go through {@link Secrets#maskText}: evidence quotes attribute values.
 */
public final class RecommendationsWriter {
    /** Overhead rows the text lists (the JSON and YAML list all). */
    static final int TEXT_ROWS = 12;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private RecommendationsWriter() {
    }

    public enum Format {
        TEXT, JSON, YAML;

        public static Format of(String s) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(s.strip())) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown format '" + s + "' (text, json, yaml)");
        }
    }

    public static void write(Recommendations r, Format format, String title, Writer out) throws IOException {
        switch (format) {
            case TEXT -> text(r, title, out);
            case JSON -> {
                JSON.writeValue(out, tree(r));
                out.write('\n');
            }
            case YAML -> out.write(yaml().dumpToString(tree(r)));
        }
        out.flush();
    }

    private static Dump yaml() {
        return new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setWidth(120).build());
    }

    // ------------------------------------------------------------------ text

    private static void text(Recommendations r, String title, Writer out) throws IOException {
        StringBuilder sb = new StringBuilder(title).append('\n');
        if (r.from() != null) {
            sb.append("Window: ").append(r.from()).append(" to ").append(r.to()).append('\n');
        }
        sb.append('\n');
        if (r.items().isEmpty()) {
            sb.append("No recommendations.\n");
        }
        int n = 0;
        for (Recommendation rec : r.items()) {
            sb.append(++n).append(". [").append(rec.severity().name()).append("] ").append(rec.kind().id())
                    .append(" · ").append(mask(rec.subject())).append('\n');
            sb.append("   ").append(mask(rec.summary())).append('\n');
            for (Recommendation.Fact f : rec.evidence()) {
                sb.append("   - ").append(mask(f.name())).append(": ").append(mask(f.value())).append('\n');
            }
            sb.append("   ").append(mask(rec.explanation())).append('\n');
            if (!rec.exemplars().isEmpty()) {
                sb.append("   example traces: ");
                for (int i = 0; i < rec.exemplars().size(); i++) {
                    Finding.Exemplar e = rec.exemplars().get(i);
                    sb.append(i == 0 ? "" : ", ").append(e.traceId().hex());
                    if (e.spanId() != 0) {
                        sb.append(" (span ").append(String.format("%016x", e.spanId())).append(')');
                    }
                }
                sb.append('\n');
            }
            sb.append('\n');
        }
        if (!r.weights().isEmpty()) {
            sb.append("Traffic weights\n");
            sb.append(String.format(Locale.ROOT, "  %-20s %-28s %8s %7s %9s %6s %6s %7s%n", "group", "model", "calls",
                    "errors", "p95", "pass", "now", "weight"));
            for (ModelWeight w : r.weights()) {
                sb.append(String.format(Locale.ROOT, "  %-20s %-28s %8s %7s %9s %6s %6s %7s%n", w.group(), w.model(),
                        Words.count(w.requests()), Words.rate(w.errorRate()), Durations.format(w.p95Ns()),
                        Double.isNaN(w.passRate()) ? "-" : Words.rate(w.passRate()), Words.pct(w.currentShare()),
                        Words.pct(w.weight())));
            }
            for (ModelWeight w : r.weights()) {
                sb.append("  ").append(TrafficRule.why(w)).append('\n');
            }
            sb.append('\n');
        }
        TracingOverhead o = r.overhead();
        sb.append("Tracing overhead: ").append(Words.count(o.spans())).append(" spans, ")
                .append(SamplingRule.bytes(o.bytes())).append(" (estimated OTLP size)\n");
        if (!o.rows().isEmpty()) {
            sb.append(String.format(Locale.ROOT, "  %-18s %-11s %-34s %8s %9s %9s  %s%n", "service", "stage",
                    "operation", "spans", "bytes", "attrs", "sampling"));
            for (TracingOverhead.Row row : o.rows().subList(0, Math.min(TEXT_ROWS, o.rows().size()))) {
                sb.append(String.format(Locale.ROOT, "  %-18s %-11s %-34s %8s %9s %9s  %s%n", row.service(),
                        row.stage(), cut(mask(row.operation()), 34), Words.count(row.spans()),
                        SamplingRule.bytes(row.bytes()), SamplingRule.bytes(row.attributeBytes()),
                        (row.samplingCandidate() ? "candidate: " : "keep: ") + row.reason()));
            }
            if (o.rows().size() > TEXT_ROWS) {
                sb.append("  (").append(o.rows().size() - TEXT_ROWS).append(" more; --format json lists all)\n");
            }
        }
        out.write(sb.toString());
    }

    private static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    private static String mask(String s) {
        return s == null ? null : Secrets.maskText(s);
    }

    // ------------------------------------------------------------------ JSON and YAML

    /** The document JSON and YAML write: plain maps, lists, strings and numbers (NaN as null). */
    static Map<String, Object> tree(Recommendations r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("from", r.from() == null ? null : r.from().toString());
        root.put("to", r.to() == null ? null : r.to().toString());
        List<Object> items = new ArrayList<>();
        for (Recommendation rec : r.items()) {
            items.add(recommendation(rec));
        }
        root.put("recommendations", items);
        List<Object> weights = new ArrayList<>();
        for (ModelWeight w : r.weights()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("group", w.group());
            m.put("model", w.model());
            m.put("provider", w.provider());
            m.put("requests", w.requests());
            m.put("error_rate", w.errorRate());
            m.put("p95_ns", w.p95Ns());
            m.put("pass_rate", Double.isNaN(w.passRate()) ? null : w.passRate());
            m.put("current_share", w.currentShare());
            m.put("weight", w.weight());
            m.put("why", TrafficRule.why(w));
            weights.add(m);
        }
        root.put("weights", weights);
        Map<String, Object> overhead = new LinkedHashMap<>();
        overhead.put("spans", r.overhead().spans());
        overhead.put("bytes", r.overhead().bytes());
        List<Object> rows = new ArrayList<>();
        for (TracingOverhead.Row row : r.overhead().rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("service", row.service());
            m.put("stage", row.stage());
            m.put("operation", mask(row.operation()));
            m.put("spans", row.spans());
            m.put("bytes", row.bytes());
            m.put("attribute_bytes", row.attributeBytes());
            m.put("sampling_candidate", row.samplingCandidate());
            m.put("reason", row.reason());
            rows.add(m);
        }
        overhead.put("rows", rows);
        root.put("overhead", overhead);
        return root;
    }

    static Map<String, Object> recommendation(Recommendation rec) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", rec.kind().id());
        m.put("severity", rec.severity().label());
        m.put("subject", mask(rec.subject()));
        m.put("summary", mask(rec.summary()));
        m.put("explanation", mask(rec.explanation()));
        List<Object> facts = new ArrayList<>();
        for (Recommendation.Fact f : rec.evidence()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("name", mask(f.name()));
            fm.put("value", mask(f.value()));
            facts.add(fm);
        }
        m.put("evidence", facts);
        List<Object> ex = new ArrayList<>();
        for (Finding.Exemplar e : rec.exemplars()) {
            Map<String, Object> em = new LinkedHashMap<>();
            em.put("trace_id", e.traceId().hex());
            em.put("span_id", e.spanId() == 0 ? null : String.format("%016x", e.spanId()));
            ex.add(em);
        }
        m.put("exemplars", ex);
        return m;
    }

    // ------------------------------------------------------------------ router config and trigger

    /**
     * The weights as a LiteLLM router config: one {@code model_list} entry per version, {@code model_name} the group
     * (what callers ask for), {@code litellm_params.model} the version with its provider as LiteLLM names it
     * ({@code openai/gpt-4o-mini-2025-01-20}), {@code litellm_params.weight} the weight (LiteLLM's simple-shuffle
     * strategy picks a deployment with probability weight / sum of the group's weights). Credentials are left out:
     * merge the weights into the deployment entries that hold them.
     */
    public static String routerConfig(List<ModelWeight> weights) {
        List<Object> list = new ArrayList<>();
        for (ModelWeight w : weights) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("model", w.provider() == null ? w.model() : litellmProvider(w.provider()) + "/" + w.model());
            params.put("weight", Math.round(w.weight() * 1000) / 1000.0);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("model_name", w.group());
            entry.put("litellm_params", params);
            list.add(entry);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model_list", list);
        root.put("router_settings", Map.of("routing_strategy", "simple-shuffle"));
        return "# Traffic weights recommended by Tracebench (tracebench recommend); LiteLLM router config.\n"
                + yaml().dumpToString(root);
    }

    /** LiteLLM's provider prefix for an OpenTelemetry {@code gen_ai.provider.name}. */
    static String litellmProvider(String otel) {
        return switch (otel) {
            case "gcp.vertex_ai" -> "vertex_ai";
            case "gcp.gemini" -> "gemini";
            case "aws.bedrock" -> "bedrock";
            case "azure.ai.openai" -> "azure";
            default -> otel;
        };
    }

    /**
     * The retraining / prompt-update trigger document: what fired (the {@code retrain} recommendations, with their
     * evidence and exemplars), the window, and when it was written.
     */
    public static Map<String, Object> trigger(Recommendations r, String workspace, Instant now) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("type", "tracebench.retrain");
        root.put("version", 1);
        root.put("created_at", now.toString());
        root.put("workspace", workspace);
        Map<String, Object> window = new LinkedHashMap<>();
        window.put("from", r.from() == null ? null : r.from().toString());
        window.put("to", r.to() == null ? null : r.to().toString());
        root.put("window", window);
        List<Object> reasons = new ArrayList<>();
        for (Recommendation rec : r.items()) {
            if (rec.kind() == RecommendationKind.RETRAIN) {
                reasons.add(recommendation(rec));
            }
        }
        root.put("triggered", !reasons.isEmpty());
        root.put("reasons", reasons);
        return root;
    }

    public static String json(Map<String, Object> document) {
        try {
            return JSON.writeValueAsString(document) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("maps of strings and numbers always serialise", e);
        }
    }
}
