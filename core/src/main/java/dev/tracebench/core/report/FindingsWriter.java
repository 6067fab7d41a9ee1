package dev.tracebench.core.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.model.Ids;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders findings as plain text (terminal), JSON (an object with a title and an array of findings) or Markdown (for
 * an incident document). The CLI's {@code explain} and the GUI's export use the same writer, and the GUI the same
 * evidence line ({@link #evidence}). Every text goes through {@link Secrets}: a finding never prints a credential,
 * whatever attribute it came from.
 */
public enum FindingsWriter {
    TEXT {
        @Override
        public void write(String title, List<Finding> findings, Writer out) throws IOException {
            out.write(mask(title) + "\n");
            if (findings.isEmpty()) {
                out.write("\nNo findings.\n");
                return;
            }
            int i = 1;
            for (Finding f : findings) {
                out.write("\n" + i++ + ". [" + f.severity().label().toUpperCase(Locale.ROOT) + "] " + mask(f.summary())
                        + "\n");
                for (String line : wrap(mask(f.explanation()), 100)) {
                    out.write("   " + line + "\n");
                }
                String ev = evidence(f);
                if (ev.isEmpty() && !f.evidence().facts().isEmpty()) {
                    StringBuilder facts = new StringBuilder();
                    facts(f).forEach((k, v) -> facts.append(facts.length() == 0 ? "" : ", ").append(k).append(" = ")
                            .append(v));
                    ev = facts.toString();
                }
                if (!ev.isEmpty()) {
                    out.write("   evidence: " + ev + "\n");
                }
                for (String s : f.supporting()) {
                    out.write("   also: " + mask(s) + "\n");
                }
                if (!f.exemplars().isEmpty()) {
                    out.write("   example traces: " + exemplars(f.exemplars(), 3, false) + "\n");
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
            g.writeStringField("title", mask(title));
            g.writeArrayFieldStart("findings");
            for (Finding f : findings) {
                g.writeStartObject();
                g.writeStringField("severity", f.severity().label());
                g.writeStringField("check", f.check());
                g.writeStringField("summary", mask(f.summary()));
                g.writeStringField("explanation", mask(f.explanation()));
                Finding.Evidence e = f.evidence();
                g.writeObjectFieldStart("evidence");
                g.writeNumberField("cohort_traces", e.cohortTraces());
                g.writeNumberField("cohort_matching", e.cohortMatching());
                g.writeNumberField("rest_traces", e.restTraces());
                g.writeNumberField("rest_matching", e.restMatching());
                g.writeNumberField("score", round(e.score()));
                g.writeNumberField("confidence", round(e.confidence()));
                if (e.compares()) {
                    if (Double.isInfinite(e.lift())) {
                        g.writeStringField("lift", "inf");
                    } else {
                        g.writeNumberField("lift", round(e.lift()));
                    }
                }
                if (e.cost() != null) {
                    g.writeObjectFieldStart("cost");
                    g.writeNumberField("added_ns", e.cost().addedNs());
                    g.writeStringField("stage", e.cost().stage());
                    if (!Double.isNaN(e.cost().excessShare())) {
                        g.writeNumberField("excess_share", round(e.cost().excessShare()));
                    }
                    g.writeEndObject();
                }
                g.writeObjectFieldStart("facts");
                for (Map.Entry<String, String> x : facts(f).entrySet()) {
                    g.writeStringField(x.getKey(), x.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
                g.writeArrayFieldStart("supporting");
                for (String s : f.supporting()) {
                    g.writeString(mask(s));
                }
                g.writeEndArray();
                g.writeArrayFieldStart("exemplars");
                for (Finding.Exemplar x : f.exemplars()) {
                    g.writeStartObject();
                    g.writeStringField("trace_id", x.traceId().hex());
                    if (x.spanId() != 0) {
                        g.writeStringField("span_id", Ids.spanHex(x.spanId()));
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                if (f.traces() != null) {
                    g.writeStringField("traces", mask(f.traces().label()));
                }
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
            out.write("## " + md(mask(title)) + "\n\n");
            if (findings.isEmpty()) {
                out.write("No findings.\n");
                return;
            }
            for (Finding f : findings) {
                out.write("### " + emoji(f) + " " + md(mask(f.summary())) + "\n\n");
                out.write("*" + f.severity().label() + " · " + (f.aboutCohort() ? "about this cohort"
                        : "check " + f.check() + " over the whole workspace") + "*\n\n");
                out.write(md(mask(f.explanation())) + "\n\n");
                if (!evidence(f).isEmpty()) {
                    out.write("- Evidence: " + md(evidence(f)) + "\n");
                }
                for (String s : f.supporting()) {
                    out.write("- Also: " + md(mask(s)) + "\n");
                }
                for (Map.Entry<String, String> x : facts(f).entrySet()) {
                    out.write("- " + md(x.getKey()) + ": `" + x.getValue().replace("`", "'") + "`\n");
                }
                if (!f.exemplars().isEmpty()) {
                    out.write("- Example traces: " + exemplars(f.exemplars(), 5, true) + "\n");
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

    /**
     * The evidence in one line: for a comparison, the counts on both sides, how many times as common the property is
     * in the cohort (the lift) and what it costs ("2,885 of 5,022 in the cohort (57.4%) vs 356 of 5,053 others
     * (7.0%); 8.2× as common; +2.3 s median, mostly retrieval; 41% of the excess time"); for a count, "108 of 3,379
     * (3.2%)". The confidence is not shown: every finding passed its threshold, and on thousands of traces it reads
     * 1.000 for anything visible.
     */
    public static String evidence(Finding f) {
        Finding.Evidence e = f.evidence();
        StringBuilder sb = new StringBuilder();
        if (e.cohortTraces() > 0) {
            sb.append(count(e.cohortMatching())).append(" of ").append(count(e.cohortTraces()))
                    .append(e.compares() ? " in the cohort (" : " (").append(pct(e.cohortShare())).append(")");
        }
        if (e.compares()) {
            sb.append(" vs ").append(count(e.restMatching())).append(" of ").append(count(e.restTraces()))
                    .append(" others (").append(pct(e.restShare())).append(")");
            double lift = e.lift();
            sb.append("; ").append(Double.isInfinite(lift) ? "only in the cohort" : String.format(Locale.ROOT,
                    lift >= 10 ? "%.0f× as common" : "%.1f× as common", lift));
        }
        Finding.Cost c = e.cost();
        if (c != null) {
            sb.append("; ").append(c.addedNs() >= 0 ? "+" : "−").append(Durations.format(Math.abs(c.addedNs())))
                    .append(" median").append(c.stage() == null ? "" : ", mostly " + c.stage());
            if (!Double.isNaN(c.excessShare())) {
                sb.append("; ").append(String.format(Locale.ROOT, "%.0f%%", c.excessShare() * 100))
                        .append(" of the cohort's excess time");
            }
        }
        return sb.toString();
    }

    /** {@code text} with anything shaped like a credential masked. */
    public static String mask(String text) {
        return Secrets.maskText(text);
    }

    /** The facts, sorted by name, values masked (by their attribute's key where they name one). */
    static Map<String, String> facts(Finding f) {
        Map<String, String> facts = f.evidence().facts();
        String attribute = facts.get("attribute");
        Map<String, String> out = new TreeMap<>();
        facts.forEach((k, v) -> out.put(k, k.equals("value") && attribute != null ? Secrets.maskAttribute(attribute,
                v) : mask(v)));
        return out;
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    private static double round(double d) {
        return Double.isFinite(d) ? Math.round(d * 1e6) / 1e6 : 0;
    }

    /** "hex (span hex), hex, ... (+2 more)", ids in backquotes for Markdown. */
    private static String exemplars(List<Finding.Exemplar> ids, int max, boolean markdown) {
        List<String> shown = new ArrayList<>();
        String q = markdown ? "`" : "";
        for (int i = 0; i < Math.min(max, ids.size()); i++) {
            Finding.Exemplar x = ids.get(i);
            shown.add(q + x.traceId().hex() + q + (x.spanId() == 0 ? "" : " (span " + q + Ids.spanHex(x.spanId()) + q
                    + ")"));
        }
        return String.join(", ", shown) + (ids.size() > max ? " (+" + (ids.size() - max) + " more)" : "");
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
        List<String> lines = new ArrayList<>();
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
