package dev.tracebench.core.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.model.TraceId;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders findings as plain text (terminal), JSON (an object with a title and an array of findings) or Markdown (for
 * an incident document). The CLI's {@code explain} and the GUI's export use the same writer.
 */
public enum FindingsWriter {
    TEXT {
        @Override
        public void write(String title, List<Finding> findings, Writer out) throws IOException {
            out.write(title + "\n");
            if (findings.isEmpty()) {
                out.write("\nNo findings.\n");
                return;
            }
            int i = 1;
            for (Finding f : findings) {
                out.write("\n" + i++ + ". [" + f.severity().label().toUpperCase(Locale.ROOT) + "] " + f.summary()
                        + "\n");
                for (String line : wrap(f.explanation(), 100)) {
                    out.write("   " + line + "\n");
                }
                String ev = evidence(f);
                if (ev.isEmpty() && !f.evidence().facts().isEmpty()) {
                    StringBuilder facts = new StringBuilder();
                    new TreeMap<>(f.evidence().facts()).forEach((k, v) -> facts.append(facts.length() == 0 ? ""
                            : ", ").append(k).append(" = ").append(v));
                    ev = facts.toString();
                }
                if (!ev.isEmpty()) {
                    out.write("   evidence: " + ev + "\n");
                }
                if (!f.exemplars().isEmpty()) {
                    out.write("   example traces: " + ids(f.exemplars(), 3) + "\n");
                }
            }
        }
    },
    JSON {
        @Override
        public void write(String title, List<Finding> findings, Writer out) throws IOException {
            JsonGenerator g = new JsonFactory().createGenerator(out);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("title", title);
            g.writeArrayFieldStart("findings");
            for (Finding f : findings) {
                g.writeStartObject();
                g.writeStringField("severity", f.severity().label());
                g.writeStringField("check", f.check());
                g.writeStringField("summary", f.summary());
                g.writeStringField("explanation", f.explanation());
                Finding.Evidence e = f.evidence();
                g.writeObjectFieldStart("evidence");
                g.writeNumberField("cohort_traces", e.cohortTraces());
                g.writeNumberField("cohort_matching", e.cohortMatching());
                g.writeNumberField("rest_traces", e.restTraces());
                g.writeNumberField("rest_matching", e.restMatching());
                g.writeNumberField("score", round(e.score()));
                g.writeNumberField("confidence", round(e.confidence()));
                g.writeObjectFieldStart("facts");
                for (Map.Entry<String, String> x : new TreeMap<>(e.facts()).entrySet()) {
                    g.writeStringField(x.getKey(), x.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
                g.writeArrayFieldStart("exemplars");
                for (TraceId t : f.exemplars()) {
                    g.writeString(t.hex());
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.flush();
            out.write("\n");
        }
    },
    MARKDOWN {
        @Override
        public void write(String title, List<Finding> findings, Writer out) throws IOException {
            out.write("## " + md(title) + "\n\n");
            if (findings.isEmpty()) {
                out.write("No findings.\n");
                return;
            }
            for (Finding f : findings) {
                out.write("### " + emoji(f) + " " + md(f.summary()) + "\n\n");
                out.write("*" + f.severity().label() + " · " + f.check() + "*\n\n");
                out.write(md(f.explanation()) + "\n\n");
                if (!evidence(f).isEmpty()) {
                    out.write("- Evidence: " + md(evidence(f)) + "\n");
                }
                for (Map.Entry<String, String> x : new TreeMap<>(f.evidence().facts()).entrySet()) {
                    out.write("- " + md(x.getKey()) + ": `" + x.getValue().replace("`", "'") + "`\n");
                }
                if (!f.exemplars().isEmpty()) {
                    out.write("- Example traces: " + ids(f.exemplars(), 5).replaceAll("([0-9a-f]{32})", "`$1`")
                            + "\n");
                }
                out.write("\n");
            }
        }
    };

    /** Writes the findings under {@code title}. */
    public abstract void write(String title, List<Finding> findings, Writer out) throws IOException;

    /** "text", "json" or "markdown" (also "md"). */
    public static FindingsWriter of(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "text", "table" -> TEXT;
            case "json" -> JSON;
            case "markdown", "md" -> MARKDOWN;
            default -> throw new IllegalArgumentException("unknown format '" + name + "' (text, json, markdown)");
        };
    }

    static String evidence(Finding f) {
        Finding.Evidence e = f.evidence();
        StringBuilder sb = new StringBuilder();
        boolean cohort = f.check().equals("root-cause");
        if (e.cohortTraces() > 0) {
            sb.append(String.format(Locale.ROOT, "%,d of %,d", e.cohortMatching(), e.cohortTraces()))
                    .append(cohort ? " in the cohort ("
                    : " (").append(pct(e.cohortShare())).append(")");
            if (e.restTraces() > 0) {
                sb.append(" vs ").append(String.format(Locale.ROOT, "%,d of %,d", e.restMatching(), e.restTraces()))
                        .append(" others (").append(pct(e.restShare())).append(")");
            }
        }
        if (e.confidence() > 0) {
            sb.append(sb.length() == 0 ? "" : "; ").append("confidence ").append(String.format(Locale.ROOT, "%.4f",
                    e.confidence()));
        }
        return sb.toString();
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    private static double round(double d) {
        return Double.isFinite(d) ? Math.round(d * 1e6) / 1e6 : 0;
    }

    private static String ids(List<TraceId> ids, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(max, ids.size()); i++) {
            sb.append(i == 0 ? "" : ", ").append(ids.get(i).hex());
        }
        if (ids.size() > max) {
            sb.append(" (+").append(ids.size() - max).append(" more)");
        }
        return sb.toString();
    }

    private static String emoji(Finding f) {
        return switch (f.severity()) {
            case CRITICAL -> "🔴";
            case WARNING -> "🟠";
            case NOTICE -> "🟡";
            case INFO -> "🔵";
        };
    }

    /** Escapes the characters Markdown would take as formatting. */
    private static String md(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("#", "\\#")
                .replace("<", "&lt;").replace("|", "\\|");
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new java.util.ArrayList<>();
        for (String para : text.split("\n")) {
            StringBuilder line = new StringBuilder();
            for (String w : para.split(" ")) {
                if (line.length() > 0 && line.length() + 1 + w.length() > width) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                line.append(line.length() == 0 ? "" : " ").append(w);
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
