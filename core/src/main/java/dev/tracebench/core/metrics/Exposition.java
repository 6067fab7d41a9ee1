package dev.tracebench.core.metrics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Metric families written in the Prometheus text format (0.0.4) or in OpenMetrics 1.0.0. Written by hand rather than
 * with the Prometheus client's exposition library: what we write is a few counters, gauges and summaries built from
 * one query, and the library's snapshot model would add two jars to core for the escaping below. Names are ours and
 * fixed; label values (service, route, model, SLO and evaluator names) come from the data and are escaped.
 */
final class Exposition {
    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    enum Type {
        COUNTER, GAUGE, SUMMARY
    }

    /** One sample: the family's name plus {@code suffix} ("", "_total", "_sum", "_count"), labels as name, value. */
    record Sample(String suffix, List<String> labels, double value) {
    }

    /** A metric family. {@code name} is without "_total" for a counter (the text format adds it to the family). */
    static final class Family {
        final String name;
        final Type type;
        final String help;
        final List<Sample> samples = new ArrayList<>();

        Family(String name, Type type, String help) {
            this.name = name;
            this.type = type;
            this.help = help;
        }

        /** Adds a sample; {@code labels} alternate names and values. */
        Family add(double value, String... labels) {
            samples.add(new Sample(type == Type.COUNTER ? "_total" : "", List.of(labels), value));
            return this;
        }

        Family add(String suffix, double value, List<String> labels) {
            samples.add(new Sample(suffix, List.copyOf(labels), value));
            return this;
        }
    }

    private Exposition() {
    }

    /** True when the Accept header asks for OpenMetrics. */
    static boolean wantsOpenMetrics(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text");
    }

    /** The families (those without samples left out) in the chosen format. */
    static MetricsEndpoint.Exposition write(List<Family> families, boolean openMetrics) {
        StringBuilder sb = new StringBuilder(8192);
        for (Family f : families) {
            if (f.samples.isEmpty()) {
                continue;
            }
            // OpenMetrics names a counter's family without "_total"; the text format names it as its samples
            String family = f.type == Type.COUNTER && !openMetrics ? f.name + "_total" : f.name;
            sb.append("# HELP ").append(family).append(' ').append(escapeHelp(f.help, openMetrics)).append('\n');
            sb.append("# TYPE ").append(family).append(' ').append(f.type.name().toLowerCase(Locale.ROOT))
                    .append('\n');
            for (Sample s : f.samples) {
                sb.append(f.name).append(s.suffix());
                List<String> l = s.labels();
                if (!l.isEmpty()) {
                    sb.append('{');
                    for (int i = 0; i < l.size(); i += 2) {
                        sb.append(i == 0 ? "" : ",").append(l.get(i)).append("=\"").append(escapeLabel(l.get(i + 1)))
                                .append('"');
                    }
                    sb.append('}');
                }
                sb.append(' ').append(number(s.value())).append('\n');
            }
        }
        if (openMetrics) {
            sb.append("# EOF\n");
        }
        return new MetricsEndpoint.Exposition(openMetrics ? OPENMETRICS : TEXT,
                sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String escapeLabel(String v) {
        StringBuilder sb = new StringBuilder(v.length() + 8);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** HELP text: backslash and newline escaped, and in OpenMetrics the double quote too. */
    private static String escapeHelp(String v, boolean openMetrics) {
        String s = v.replace("\\", "\\\\").replace("\n", "\\n");
        return openMetrics ? s.replace("\"", "\\\"") : s;
    }

    /** Whole numbers without a fraction, others as Java writes doubles (exponent in lower case), NaN and ±Inf. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v).replace('E', 'e');
    }
}
