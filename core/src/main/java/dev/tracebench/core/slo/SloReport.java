package dev.tracebench.core.slo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The SLOs of one file evaluated over one workspace, written as text, JSON, Markdown or JUnit XML (what CI systems
 * display: one test case per SLO, a failure for a breached or too-fast-burning SLO, skipped without data).
 *
 * @param file      the SLO file's name
 * @param workspace the workspace's name
 * @param results   one per SLO, in file order
 */
public record SloReport(String file, String workspace, List<Result> results) {
    public SloReport {
        results = List.copyOf(results);
    }

    /** One SLO's status and how long computing it took. */
    public record Result(SloStatus status, Duration took) {
    }

    /** True when any SLO is breached or burning too fast: the gate fails. */
    public boolean failing() {
        return results.stream().anyMatch(r -> r.status().failing());
    }

    public enum Format {
        TEXT, JSON, MARKDOWN, JUNIT;

        public static Format of(String name) {
            return switch (name.strip().toLowerCase(Locale.ROOT)) {
                case "text" -> TEXT;
                case "json" -> JSON;
                case "markdown", "md" -> MARKDOWN;
                case "junit", "junit-xml" -> JUNIT;
                default -> throw new IllegalArgumentException("unknown format '" + name
                        + "' (text, json, markdown or junit)");
            };
        }
    }

    public void write(Format format, Writer out) throws IOException {
        switch (format) {
            case TEXT -> text(out);
            case JSON -> json(out);
            case MARKDOWN -> markdown(out);
            case JUNIT -> junit(out);
            default -> throw new IllegalStateException(format.name());
        }
        out.flush();
    }

    // ------------------------------------------------------------------ text

    private void text(Writer out) throws IOException {
        long failing = results.stream().filter(r -> r.status().failing()).count();
        out.write("SLOs of " + file + " over " + workspace + ": " + (failing == 0 ? "all hold"
                : failing + " of " + results.size() + " failing") + "\n");
        for (Result r : results) {
            SloStatus s = r.status();
            Slo slo = s.slo();
            out.write("\n" + slo.name() + "  " + s.state() + "  (" + slo.sli().id() + ": " + slo.goodText()
                    + (slo.filter() == null ? "" : "; filter " + slo.filter()) + ")\n");
            out.write("  " + compliance(s) + "\n");
            if (s.total() > 0) {
                out.write("  error budget (" + Slo.percent(slo.errorBudget()) + " of events): " + pct(s.budgetConsumed())
                        + " consumed, " + pct(s.budgetRemaining()) + " left\n");
            }
            for (SloStatus.RuleState rs : s.rules()) {
                AlertRule rule = rs.rule();
                out.write(String.format(Locale.ROOT, "  burn rate %-10s %6.2f× over %s, %6.2f× over %s (alert above "
                        + "%s×)%s%n", rule.name(), rs.longBurnRate(), SloEngine.window(rule.longWindow()),
                        rs.shortBurnRate(), SloEngine.window(rule.shortWindow()), num(rule.burnRate()),
                        rs.firing() ? "  FIRING" : ""));
            }
            for (SloAlert a : s.firing()) {
                out.write("  firing since " + time(a.since()) + ": " + a.summary() + "\n");
            }
            long fired = s.timeline().stream().filter(SloAlert::firing).count();
            out.write("  alerts over the imported period: " + fired + " fired (slo timeline lists them)\n");
        }
    }

    private static String compliance(SloStatus s) {
        Slo slo = s.slo();
        if (s.total() == 0) {
            return "no events in the " + slo.window().label() + " window ending " + time(s.at()) + "; objective "
                    + slo.objectiveText();
        }
        return String.format(Locale.ROOT, "SLI %s (%,d good of %,d) over the %s window %s to %s; objective %s",
                pct4(s.sli()), s.good(), s.total(), slo.window().label(), time(s.windowStart()), time(s.at()),
                slo.objectiveText());
    }

    // ------------------------------------------------------------------ JSON

    private void json(Writer out) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("file", file);
            g.writeStringField("workspace", workspace);
            g.writeBooleanField("failing", failing());
            g.writeArrayFieldStart("slos");
            for (Result r : results) {
                SloStatus s = r.status();
                Slo slo = s.slo();
                g.writeStartObject();
                g.writeStringField("name", slo.name());
                g.writeStringField("sli", slo.sli().id());
                g.writeStringField("good_when", slo.goodText());
                if (slo.filter() != null) {
                    g.writeStringField("filter", slo.filter());
                }
                g.writeNumberField("objective", slo.objective());
                g.writeStringField("window", slo.window().text());
                g.writeStringField("state", s.state().name().toLowerCase(Locale.ROOT));
                g.writeStringField("window_start", s.windowStart().toString());
                g.writeStringField("at", s.at().toString());
                g.writeNumberField("total", s.total());
                g.writeNumberField("good", s.good());
                g.writeNumberField("bad", s.bad());
                number(g, "sli_value", s.sli());
                g.writeNumberField("budget_consumed", s.budgetConsumed());
                g.writeNumberField("budget_remaining", s.budgetRemaining());
                g.writeArrayFieldStart("burn_rates");
                for (SloStatus.RuleState rs : s.rules()) {
                    g.writeStartObject();
                    g.writeStringField("rule", rs.rule().name());
                    g.writeStringField("severity", rs.rule().kind());
                    g.writeNumberField("threshold", rs.rule().burnRate());
                    g.writeStringField("long_window", rs.rule().longWindow().toString());
                    g.writeNumberField("long", rs.longBurnRate());
                    g.writeStringField("short_window", rs.rule().shortWindow().toString());
                    g.writeNumberField("short", rs.shortBurnRate());
                    g.writeBooleanField("firing", rs.firing());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeArrayFieldStart("firing");
                for (SloAlert a : s.firing()) {
                    alert(g, a);
                }
                g.writeEndArray();
                g.writeNumberField("alerts_fired", s.timeline().stream().filter(SloAlert::firing).count());
                g.writeNumberField("took_ms", r.took().toMillis());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.write("\n");
    }

    /** One alert as a JSON object (the timeline's and the report's). */
    public static void alert(JsonGenerator g, SloAlert a) throws IOException {
        g.writeStartObject();
        g.writeStringField("slo", a.slo());
        g.writeStringField("rule", a.rule());
        g.writeStringField("severity", a.severity() == dev.tracebench.core.analysis.Severity.CRITICAL ? "page"
                : "ticket");
        g.writeStringField("event", a.firing() ? "fired" : "resolved");
        g.writeStringField("at", a.at().toString());
        g.writeStringField("since", a.since().toString());
        g.writeNumberField("burn_rate", a.burnRate());
        g.writeNumberField("threshold", a.threshold());
        g.writeStringField("long_window", a.longWindow().toString());
        g.writeStringField("short_window", a.shortWindow().toString());
        g.writeNumberField("budget_remaining", a.budgetRemaining());
        g.writeStringField("summary", a.summary());
        g.writeStringField("incident_key", a.incidentKey());
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isNaN(v)) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, v);
        }
    }

    // ------------------------------------------------------------------ Markdown

    private void markdown(Writer out) throws IOException {
        out.write("## SLOs of " + md(file) + "\n\n");
        out.write("| SLO | state | SLI | objective | window | budget left | burn rate (fastest rule) | firing |\n");
        out.write("|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            SloStatus s = r.status();
            Slo slo = s.slo();
            SloStatus.RuleState fast = s.rules().isEmpty() ? null : s.rules().get(0);
            out.write("| " + md(slo.name()) + " | " + s.state().name().toLowerCase(Locale.ROOT) + " | "
                    + (s.total() == 0 ? "–" : pct4(s.sli()) + " (" + String.format(Locale.ROOT, "%,d", s.good())
                            + "/" + String.format(Locale.ROOT, "%,d", s.total()) + ")")
                    + " | " + slo.objectiveText() + " | " + slo.window().text() + " | "
                    + (s.total() == 0 ? "–" : pct(s.budgetRemaining())) + " | "
                    + (fast == null ? "–" : String.format(Locale.ROOT, "%.2f× (%s)", fast.longBurnRate(),
                            SloEngine.window(fast.rule().longWindow())))
                    + " | " + md(String.join(", ", s.firing().stream().map(SloAlert::rule).toList())) + " |\n");
        }
        out.write("\n");
        for (Result r : results) {
            for (SloAlert a : r.status().firing()) {
                out.write("- **" + md(a.slo()) + "** " + md(a.rule()) + " since " + time(a.since()) + ": "
                        + md(a.summary()) + "\n");
            }
        }
    }

    private static String md(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    // ------------------------------------------------------------------ JUnit XML

    /**
     * The JUnit XML that CI systems read (Jenkins, GitLab, GitHub test reporters): {@code testsuites > testsuite >
     * testcase}, with {@code failure} for a failing SLO and {@code skipped} for one without data.
     */
    private void junit(Writer out) throws IOException {
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            long failures = results.stream().filter(r -> r.status().failing()).count();
            long skipped = results.stream().filter(r -> r.status().state() == SloStatus.State.NO_DATA).count();
            String time = seconds(results.stream().map(Result::took).reduce(Duration.ZERO, Duration::plus));
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", "tracebench slo");
            x.writeAttribute("tests", Integer.toString(results.size()));
            x.writeAttribute("failures", Long.toString(failures));
            x.writeAttribute("errors", "0");
            x.writeAttribute("time", time);
            x.writeCharacters("\n  ");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", file);
            x.writeAttribute("tests", Integer.toString(results.size()));
            x.writeAttribute("failures", Long.toString(failures));
            x.writeAttribute("errors", "0");
            x.writeAttribute("skipped", Long.toString(skipped));
            x.writeAttribute("time", time);
            for (Result r : results) {
                SloStatus s = r.status();
                x.writeCharacters("\n    ");
                x.writeStartElement("testcase");
                x.writeAttribute("classname", "slo." + file.replaceAll("\\.ya?ml$", ""));
                x.writeAttribute("name", s.slo().name());
                x.writeAttribute("time", seconds(r.took()));
                if (s.failing()) {
                    x.writeCharacters("\n      ");
                    x.writeStartElement("failure");
                    x.writeAttribute("type", s.state().name().toLowerCase(Locale.ROOT));
                    x.writeAttribute("message", failureMessage(s));
                    x.writeCharacters(details(s));
                    x.writeEndElement();
                    x.writeCharacters("\n    ");
                } else if (s.state() == SloStatus.State.NO_DATA) {
                    x.writeCharacters("\n      ");
                    x.writeEmptyElement("skipped");
                    x.writeAttribute("message", compliance(s));
                    x.writeCharacters("\n    ");
                } else {
                    x.writeCharacters("\n      ");
                    x.writeStartElement("system-out");
                    x.writeCharacters(details(s));
                    x.writeEndElement();
                    x.writeCharacters("\n    ");
                }
                x.writeEndElement();
            }
            x.writeCharacters("\n  ");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.flush();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write JUnit XML: " + e.getMessage(), e);
        }
    }

    private static String failureMessage(SloStatus s) {
        Slo slo = s.slo();
        if (s.state() == SloStatus.State.BREACHED) {
            return String.format(Locale.ROOT, "%s breached: SLI %s below the objective %s over the %s window (%s of "
                    + "the error budget consumed)", slo.name(), pct4(s.sli()), slo.objectiveText(),
                    slo.window().label(), pct(s.budgetConsumed()));
        }
        List<String> why = new ArrayList<>();
        for (SloAlert a : s.firing()) {
            why.add(a.summary());
        }
        return String.join("; ", why);
    }

    private static String details(SloStatus s) {
        StringBuilder sb = new StringBuilder(compliance(s));
        if (s.total() > 0) {
            sb.append("\nerror budget: ").append(pct(s.budgetConsumed())).append(" consumed, ")
                    .append(pct(s.budgetRemaining())).append(" left");
        }
        for (SloStatus.RuleState rs : s.rules()) {
            sb.append(String.format(Locale.ROOT, "%nburn rate %s: %.2f× over %s, %.2f× over %s (alert above %s×)%s",
                    rs.rule().name(), rs.longBurnRate(), SloEngine.window(rs.rule().longWindow()), rs.shortBurnRate(),
                    SloEngine.window(rs.rule().shortWindow()), num(rs.rule().burnRate()), rs.firing() ? ", firing"
                            : ""));
        }
        return sb.toString();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
    }

    // ------------------------------------------------------------------ the timeline

    /** The alert timeline of every SLO, time order: text (one line per change), json or csv. */
    public static void writeTimeline(List<SloAlert> alerts, String format, Writer out) throws IOException {
        List<SloAlert> sorted = new ArrayList<>(alerts);
        sorted.sort(java.util.Comparator.comparing(SloAlert::at).thenComparing(SloAlert::slo)
                .thenComparing(SloAlert::rule));
        switch (format.strip().toLowerCase(Locale.ROOT)) {
            case "text" -> {
                if (sorted.isEmpty()) {
                    out.write("no alert fired over the imported period\n");
                }
                for (SloAlert a : sorted) {
                    out.write(String.format(Locale.ROOT, "%s  %-8s  %-6s  %s%n", time(a.at()), a.firing() ? "FIRED"
                            : "RESOLVED", a.severity() == dev.tracebench.core.analysis.Severity.CRITICAL ? "page"
                            : "ticket", a.summary()));
                }
            }
            case "json" -> {
                try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
                    g.useDefaultPrettyPrinter();
                    g.writeStartArray();
                    for (SloAlert a : sorted) {
                        alert(g, a);
                    }
                    g.writeEndArray();
                }
                out.write("\n");
            }
            case "csv" -> {
                out.write("at,event,slo,rule,severity,since,burn_rate,threshold,long_window,short_window,"
                        + "budget_remaining,summary\n");
                for (SloAlert a : sorted) {
                    out.write(String.join(",", a.at().toString(), a.firing() ? "fired" : "resolved", csv(a.slo()),
                            csv(a.rule()), a.severity() == dev.tracebench.core.analysis.Severity.CRITICAL ? "page"
                                    : "ticket", a.since().toString(), num4(a.burnRate()), num(a.threshold()),
                            a.longWindow().toString(), a.shortWindow().toString(), num4(a.budgetRemaining()),
                            csv(a.summary())) + "\n");
                }
            }
            default -> throw new IllegalArgumentException("unknown format '" + format + "' (text, json or csv)");
        }
        out.flush();
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    // ------------------------------------------------------------------ numbers

    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    private static String pct4(double share) {
        return String.format(Locale.ROOT, "%.3f%%", share * 100);
    }

    private static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static String num4(double d) {
        return String.format(Locale.ROOT, "%.4f", d);
    }
}
