package dev.tracebench.core.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (0.0.4) and of OpenMetrics 1.0.0, written for tests from
 * the two specifications (https://prometheus.io/docs/instrumenting/exposition_formats/ and
 * https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md), independently of the code
 * that writes them. It refuses: a bad metric or label name, a label value with an unknown escape or an unescaped
 * quote, a duplicate label, a sample before its family's TYPE or outside its family, a family that appears twice
 * (interleaved), a duplicate series, a bad number, a negative or NaN counter, a summary sample that is not a
 * quantile, _sum or _count, a quantile out of [0, 1]; and in OpenMetrics a missing or early "# EOF", blank lines, other
 * comments and a counter family named with "_total".
 */
public final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?|NaN|[+-]Inf");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "summary", "histogram", "untyped", "unknown");

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public final Map<String, String> types = new LinkedHashMap<>();
    public final Map<String, String> help = new HashMap<>();
    public final List<Sample> samples = new ArrayList<>();

    private PrometheusText() {
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} naming the line and the rule it breaks. */
    public static PrometheusText parse(String text, boolean openMetrics) {
        PrometheusText p = new PrometheusText();
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition does not end with a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        String current = null;
        Set<String> done = new HashSet<>();
        Set<String> series = new HashSet<>();
        boolean eof = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String at = "line " + (i + 1) + " '" + line + "': ";
            if (eof) {
                throw new IllegalArgumentException(at + "after # EOF");
            }
            if (line.isEmpty()) {
                if (openMetrics) {
                    throw new IllegalArgumentException(at + "blank line");
                }
                continue;
            }
            if (line.startsWith("#")) {
                if (openMetrics && line.equals("# EOF")) {
                    eof = true;
                    continue;
                }
                String[] parts = line.split(" ", 4);
                boolean meta = parts.length >= 3 && parts[0].equals("#") && (parts[1].equals("HELP")
                        || parts[1].equals("TYPE") || openMetrics && parts[1].equals("UNIT"));
                if (!meta) {
                    if (openMetrics) {
                        throw new IllegalArgumentException(at + "not a HELP, TYPE, UNIT or EOF line");
                    }
                    continue; // a comment
                }
                String name = parts[2];
                need(NAME.matcher(name).matches(), at + "bad metric name");
                if (!name.equals(current)) {
                    need(!done.contains(name), at + "family " + name + " appears twice");
                    if (current != null) {
                        done.add(current);
                    }
                    current = name;
                }
                String rest = parts.length == 4 ? parts[3] : "";
                if (parts[1].equals("TYPE")) {
                    need(!p.types.containsKey(name), at + "second TYPE for " + name);
                    need(TYPES.contains(rest) && (openMetrics ? !rest.equals("untyped") : !rest.equals("unknown")),
                            at + "unknown type " + rest);
                    need(!(openMetrics && rest.equals("counter") && name.endsWith("_total")),
                            at + "an OpenMetrics counter family is named without _total");
                    need(p.samples.stream().noneMatch(s -> p.family(s.name(), openMetrics).equals(name)),
                            at + "TYPE after samples");
                    p.types.put(name, rest);
                } else if (parts[1].equals("HELP")) {
                    need(!p.help.containsKey(name), at + "second HELP for " + name);
                    p.help.put(name, unescape(rest, openMetrics ? "\\\"n" : "\\n", at));
                }
                continue;
            }
            Sample s = p.sample(line, at);
            String family = p.family(s.name(), openMetrics);
            need(family.equals(current), at + "sample outside its family (" + current + ") or before its TYPE");
            String type = p.types.get(family);
            need(type != null, at + "sample without a TYPE");
            if (type.equals("counter")) {
                need(!Double.isNaN(s.value()) && s.value() >= 0, at + "a counter must be a number >= 0");
            }
            if (type.equals("summary") && s.name().equals(family)) {
                String q = s.labels().get("quantile");
                need(q != null && NUMBER.matcher(q).matches() && Double.parseDouble(q) >= 0
                        && Double.parseDouble(q) <= 1, at + "a summary sample needs a quantile in [0, 1]");
            }
            need(series.add(s.name() + new TreeMap<>(s.labels())), at + "duplicate series");
            p.samples.add(s);
        }
        need(!openMetrics || eof, "no # EOF at the end");
        return p;
    }

    /** The family a sample name belongs to, given the TYPEs seen. */
    private String family(String name, boolean openMetrics) {
        for (String suffix : List.of("_total", "_sum", "_count", "_created")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String t = types.get(base);
                boolean ok = suffix.equals("_total") ? openMetrics && "counter".equals(t)
                        : "summary".equals(t) || "histogram".equals(t);
                if (ok) {
                    return base;
                }
            }
        }
        return name;
    }

    private Sample sample(String line, String at) {
        Matcher m = NAME.matcher(line);
        need(m.lookingAt(), at + "bad metric name");
        String name = m.group();
        int i = m.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                if (!labels.isEmpty()) {
                    need(line.charAt(i) == ',', at + "labels not separated by a comma");
                    i++;
                }
                Matcher l = LABEL.matcher(line).region(i, line.length());
                need(l.lookingAt(), at + "bad label name");
                String ln = l.group();
                need(!ln.startsWith("__"), at + "reserved label name " + ln);
                i = l.end();
                need(line.startsWith("=\"", i), at + "label " + ln + " without =\"");
                i += 2;
                StringBuilder raw = new StringBuilder();
                while (true) {
                    need(i < line.length(), at + "unterminated label value");
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    raw.append(c);
                    if (c == '\\') {
                        need(i < line.length(), at + "unterminated escape");
                        raw.append(line.charAt(i++));
                    }
                }
                need(labels.put(ln, unescape(raw.toString(), "\\\"n", at)) == null, at + "duplicate label " + ln);
                need(i < line.length(), at + "unterminated labels");
            }
            i++;
        }
        need(i < line.length() && line.charAt(i) == ' ', at + "no single space before the value");
        String[] rest = line.substring(i + 1).split(" ", -1);
        need(rest.length == 1 || rest.length == 2, at + "extra text after the value");
        need(NUMBER.matcher(rest[0]).matches(), at + "bad value " + rest[0]);
        double v = rest[0].endsWith("Inf") ? (rest[0].startsWith("-") ? Double.NEGATIVE_INFINITY
                : Double.POSITIVE_INFINITY) : Double.parseDouble(rest[0]);
        return new Sample(name, labels, v);
    }

    /** Resolves backslash escapes, allowing only {@code allowed} after a backslash. */
    private static String unescape(String s, String allowed, String at) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && allowed.indexOf('"') >= 0) {
                throw new IllegalArgumentException(at + "unescaped quote");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            need(i + 1 < s.length() && allowed.indexOf(s.charAt(i + 1)) >= 0, at + "bad escape");
            char e = s.charAt(++i);
            sb.append(e == 'n' ? '\n' : e);
        }
        return sb.toString();
    }

    private static void need(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The value of the one sample with this name and exactly these labels (name, value pairs); null if none. */
    public Double value(String name, String... labels) {
        Map<String, String> want = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            want.put(labels[i], labels[i + 1]);
        }
        for (Sample s : samples) {
            if (s.name().equals(name) && s.labels().equals(want)) {
                return s.value();
            }
        }
        return null;
    }

    /** The samples of one name. */
    public List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }
}
