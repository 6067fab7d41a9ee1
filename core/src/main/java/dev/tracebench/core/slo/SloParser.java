package dev.tracebench.core.slo;

import dev.tracebench.core.analysis.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads an SLO file (format: docs/slo.md). The YAML is read as a node tree so every problem names its line; all
 * problems of all SLOs are collected before failing ({@link SloConfigException}). The SQL in {@code filter} and
 * {@code good} is checked later, by the store that runs it ({@link SloService#check}).
 */
public final class SloParser {
    private static final Set<String> TOP = Set.of("slos", "notifications");
    private static final Set<String> SLO_FIELDS = Set.of("name", "description", "sli", "threshold", "percentile", "objective",
            "window", "filter", "evaluator", "good", "label", "pass", "alerts");
    private static final Set<String> ALERT_FIELDS = Set.of("name", "severity", "burn_rate", "long_window",
            "short_window");
    private static final Set<String> TARGET_FIELDS = Set.of("name", "type", "url", "routing_key", "min_severity",
            "slos");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h|d)");
    private static final Pattern PERCENTILE = Pattern.compile("[pP]?(\\d+(?:\\.\\d+)?)");
    private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%");
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|env:([A-Za-z_][A-Za-z0-9_]*)");

    private final String file;
    private final List<SloProblem> problems = new ArrayList<>();

    private SloParser(String file) {
        this.file = file;
    }

    /** Reads and checks an SLO file. */
    public static SloFile load(Path path) {
        String name = path.getFileName().toString();
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new SloConfigException(List.of(new SloProblem(name, 0, "", "cannot read " + path + ": "
                    + e.getMessage())));
        }
    }

    /** Reads and checks the text of an SLO file; {@code name} names it in messages. */
    public static SloFile parse(String yaml, String name) {
        return new SloParser(name).read(yaml);
    }

    private SloFile read(String yaml) {
        Node root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(file).build()).composeString(yaml).orElse(null);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw fail(line, "", "not valid YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            throw fail(0, "", "not valid YAML: " + firstLine(e.getMessage()));
        }
        if (!(root instanceof MappingNode top)) {
            throw fail(root == null ? 0 : line(root), "", "expected a top-level 'slos:' list (see docs/slo.md)");
        }
        Map<String, NodeTuple> fields = fields(top, "", TOP);
        List<Slo> slos = new ArrayList<>();
        NodeTuple slosNode = fields.get("slos");
        if (slosNode == null) {
            problem(line(top), "slos", "missing: the file lists its SLOs under 'slos:'");
        } else if (!(slosNode.getValueNode() instanceof SequenceNode list) || list.getValue().isEmpty()) {
            problem(line(slosNode.getKeyNode()), "slos", "must be a list of SLOs (each starting with '- name:')");
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.getValue().size(); i++) {
                Slo s = slo(list.getValue().get(i), i, names);
                if (s != null) {
                    slos.add(s);
                }
            }
        }
        List<NotificationTarget> targets = new ArrayList<>();
        NodeTuple nt = fields.get("notifications");
        if (nt != null) {
            if (!(nt.getValueNode() instanceof SequenceNode list)) {
                problem(line(nt.getKeyNode()), "notifications", "must be a list of targets (each starting with "
                        + "'- type:')");
            } else {
                Set<String> sloNames = new HashSet<>(slos.stream().map(Slo::name).toList());
                for (int i = 0; i < list.getValue().size(); i++) {
                    NotificationTarget t = target(list.getValue().get(i), i, sloNames);
                    if (t != null) {
                        targets.add(t);
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new SloConfigException(problems);
        }
        return new SloFile(file, slos, targets);
    }

    // ------------------------------------------------------------------ one SLO

    /** One SLO, or null when it has problems (reported); {@code names}: the names of the SLOs before it. */
    private Slo slo(Node node, int i, Set<String> names) {
        String at = "slos[" + i + "]";
        if (!(node instanceof MappingNode m)) {
            problem(line(node), at, "must be a map (name:, sli:, objective:, ...)");
            return null;
        }
        int before = problems.size();
        Map<String, NodeTuple> f = fields(m, at, SLO_FIELDS);
        Map<String, Integer> lines = new LinkedHashMap<>();
        lines.put("", line(m));
        f.forEach((k, v) -> lines.put(k, line(v.getKeyNode())));

        String name = text(f, "name", at);
        if (name == null) {
            problem(line(m), at + ".name", "missing: every SLO needs a name");
        } else if (name.isBlank() || name.contains("/")) {
            problem(lines.get("name"), at + ".name", "'" + name + "' is not a name (not empty, no '/')");
        }
        boolean repeated = name != null && !names.add(name);
        String sliText = text(f, "sli", at);
        Sli sli = sliText == null ? null : Sli.of(sliText);
        if (sliText == null) {
            problem(line(m), at + ".sli", "missing: say what is measured (" + Sli.names() + ")");
        } else if (sli == null) {
            problem(lines.get("sli"), at + ".sli", "'" + sliText + "' is not an SLI (" + Sli.names() + ")");
        }
        double objective = objective(f, at, line(m));
        SloWindow window = window(f, at);
        String filter = text(f, "filter", at);
        if (filter != null && filter.isBlank()) {
            problem(lines.get("filter"), at + ".filter", "is empty: leave it out to measure every request");
        }
        double threshold = Double.NaN;
        double percentile = percentile(f, sli, at);
        String evaluator = text(f, "evaluator", at);
        String good = text(f, "good", at);
        String label = text(f, "label", at);
        boolean pass = false;
        if (f.containsKey("pass")) {
            String p = text(f, "pass", at);
            if (!"true".equalsIgnoreCase(p)) {
                problem(lines.get("pass"), at + ".pass", "must be true (a result is good when it passed); to count "
                        + "failures as good write good: \"NOT passed\"");
            }
            pass = true;
        }
        if (sli != null) {
            threshold = threshold(f, sli, at, line(m));
            boolean evalSli = !sli.overTraces();
            if (evalSli && evaluator == null && sli != Sli.RELEVANCE) {
                problem(line(m), at + ".evaluator", "missing: a " + sli.id() + " SLI names the evaluator whose "
                        + "results it counts, e.g. evaluator: groundedness");
            }
            if (sli == Sli.RELEVANCE && evaluator == null) {
                evaluator = "relevance";
            }
            if (!evalSli && evaluator != null) {
                problem(lines.get("evaluator"), at + ".evaluator", "only eval, relevance and metric SLIs read eval "
                        + "results; a " + sli.id() + " SLI counts requests");
            }
            int ways = (good != null ? 1 : 0) + (label != null ? 1 : 0) + (pass ? 1 : 0);
            if (sli == Sli.EVAL && ways != 1) {
                problem(line(m), at + (ways == 0 ? ".good" : ""), ways == 0
                        ? "missing: say which results are good, with good: \"label = 'grounded'\" (an expression over "
                                + "the eval_results columns), label: grounded, or pass: true"
                        : "give one of good, label and pass, not " + ways);
            } else if (sli != Sli.EVAL && ways > 0) {
                String which = good != null ? "good" : label != null ? "label" : "pass";
                problem(lines.get(which), at + "." + which, "only eval SLIs take " + which + "; a " + sli.id()
                        + " SLI's good events are " + (sli.overTraces() ? "set by its threshold" : "scores at or "
                        + "above its threshold"));
            }
        }
        for (String[] kv : new String[][] {{"good", good}, {"label", label}, {"evaluator", evaluator}}) {
            if (kv[1] != null && kv[1].isBlank()) {
                problem(lines.get(kv[0]), at + "." + kv[0], "is empty");
            }
        }
        List<AlertRule> alerts = alerts(f, at);
        if (repeated) {
            problem(lines.get("name"), at + ".name", "'" + name + "' is the name of an earlier SLO; names must be "
                    + "unique");
        }
        if (problems.size() > before) {
            return null;
        }
        return new Slo(name, i, sli, threshold, percentile, objective, window, filter, evaluator, good, label, pass, alerts, lines);
    }

    private double objective(Map<String, NodeTuple> f, String at, int entryLine) {
        String field = at + ".objective";
        NodeTuple t = f.get("objective");
        if (t == null) {
            problem(entryLine, field, "missing: the share of good events to meet, e.g. 99.9%");
            return Double.NaN;
        }
        String v = scalar(t, field);
        if (v == null) {
            return Double.NaN;
        }
        Matcher pm = PERCENT.matcher(v.strip());
        double o = Double.NaN;
        if (pm.matches()) {
            o = Double.parseDouble(pm.group(1)) / 100;
        } else {
            try {
                double d = Double.parseDouble(v.strip());
                if (d < 1) {
                    o = d; // 0.99
                }
            } catch (NumberFormatException ignored) {
                // not a number: reported below
            }
        }
        if (Double.isNaN(o)) {
            problem(line(t.getKeyNode()), field, "'" + v + "' is not a percentage (write 99.9% or 0.999)");
        } else if (o <= 0 || o >= 1) {
            problem(line(t.getKeyNode()), field, "'" + v + "' must be above 0% and below 100% (100% leaves no error "
                    + "budget)");
        }
        return o;
    }

    /** The percentile of a latency SLO ("p95", "95", "p99.9"), NaN when not given (or not valid: reported). */
    private double percentile(Map<String, NodeTuple> f, Sli sli, String at) {
        String field = at + ".percentile";
        NodeTuple t = f.get("percentile");
        if (t == null) {
            return Double.NaN;
        }
        int line = line(t.getKeyNode());
        if (sli != null && sli != Sli.LATENCY) {
            problem(line, field, "only a latency SLI takes a percentile, not " + sli.id());
            return Double.NaN;
        }
        String v = scalar(t, field);
        if (v == null) {
            return Double.NaN;
        }
        Matcher m = PERCENTILE.matcher(v.strip());
        double p = m.matches() ? Double.parseDouble(m.group(1)) : Double.NaN;
        if (!(p > 0 && p < 100)) {
            problem(line, field, "'" + v + "' is not a percentile (above 0 and below 100: p95, 99, p99.9)");
            return Double.NaN;
        }
        return p;
    }

    private SloWindow window(Map<String, NodeTuple> f, String at) {
        NodeTuple t = f.get("window");
        if (t == null) {
            return SloWindow.THIRTY_DAYS;
        }
        String v = scalar(t, at + ".window");
        if (v == null) {
            return SloWindow.THIRTY_DAYS;
        }
        String s = v.strip().toLowerCase(Locale.ROOT);
        if (s.equals("calendar-month") || s.equals("month")) {
            return SloWindow.CALENDAR_MONTH;
        }
        Matcher dm = Pattern.compile("(\\d+)\\s*([dh])").matcher(s);
        if (dm.matches() && Long.parseLong(dm.group(1)) > 0) {
            long n = Long.parseLong(dm.group(1));
            return new SloWindow(dm.group(2).equals("d") ? Duration.ofDays(n) : Duration.ofHours(n));
        }
        problem(line(t.getKeyNode()), at + ".window", "'" + v + "' is not a window (a rolling number of days or "
                + "hours, e.g. 30d, 7d, 24h, or calendar-month)");
        return SloWindow.THIRTY_DAYS;
    }

    private double threshold(Map<String, NodeTuple> f, Sli sli, String at, int entryLine) {
        String field = at + ".threshold";
        NodeTuple t = f.get("threshold");
        boolean needs = switch (sli) {
            case LATENCY, COST, TOKENS, RELEVANCE, METRIC -> true;
            default -> false;
        };
        if (t == null) {
            if (needs) {
                problem(entryLine, field, "missing: a " + sli.id() + " SLI needs a threshold (" + example(sli) + ")");
            }
            return Double.NaN;
        }
        int line = line(t.getKeyNode());
        if (!needs) {
            problem(line, field, "a " + sli.id() + " SLI takes no threshold");
            return Double.NaN;
        }
        String v = scalar(t, field);
        if (v == null) {
            return Double.NaN;
        }
        String s = v.strip();
        double d = switch (sli) {
            case LATENCY -> {
                Duration dur = duration(s);
                yield dur == null ? Double.NaN : dur.toNanos();
            }
            case COST -> number(s.startsWith("$") ? s.substring(1).strip() : s.replaceFirst("(?i)\\s*usd$", ""));
            default -> number(s);
        };
        if (!Double.isFinite(d) || d < 0 || sli != Sli.RELEVANCE && sli != Sli.METRIC && d == 0) {
            problem(line, field, "'" + v + "' is not a " + sli.id() + " threshold (" + example(sli) + ")");
        }
        return d;
    }

    private static String example(Sli sli) {
        return switch (sli) {
            case LATENCY -> "a duration with its unit: 500ms, 2s, 1.5s, 1m";
            case COST -> "US dollars per request: $0.01";
            case TOKENS -> "tokens per request: 4000";
            default -> "the least good score: 0.8";
        };
    }

    private List<AlertRule> alerts(Map<String, NodeTuple> f, String at) {
        NodeTuple t = f.get("alerts");
        if (t == null) {
            return AlertRule.DEFAULTS;
        }
        if (!(t.getValueNode() instanceof SequenceNode list)) {
            problem(line(t.getKeyNode()), at + ".alerts", "must be a list of alert rules (name, severity, burn_rate, "
                    + "long_window, short_window), or left out for the SRE Workbook's three");
            return List.of();
        }
        List<AlertRule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int j = 0; j < list.getValue().size(); j++) {
            String ra = at + ".alerts[" + j + "]";
            Node n = list.getValue().get(j);
            if (!(n instanceof MappingNode m)) {
                problem(line(n), ra, "must be a map (name, severity, burn_rate, long_window, short_window)");
                continue;
            }
            Map<String, NodeTuple> af = fields(m, ra, ALERT_FIELDS);
            String name = text(af, "name", ra);
            if (name == null || name.isBlank() || name.contains("/")) {
                problem(line(m), ra + ".name", name == null ? "missing" : "'" + name + "' is not a name");
            } else if (!names.add(name)) {
                problem(line(m), ra + ".name", "'" + name + "' names an earlier rule of this SLO");
            }
            String sev = text(af, "severity", ra);
            Severity severity = sev == null ? Severity.CRITICAL : severity(sev);
            if (severity == null) {
                problem(line(af.get("severity").getKeyNode()), ra + ".severity", "'" + sev + "' is not page or ticket");
            }
            String br = text(af, "burn_rate", ra);
            double rate = br == null ? Double.NaN : number(br.strip().replaceFirst("[x×]$", ""));
            if (!(rate > 0)) {
                problem(br == null ? line(m) : line(af.get("burn_rate").getKeyNode()), ra + ".burn_rate",
                        br == null ? "missing, e.g. 14.4" : "'" + br + "' is not a positive number");
            }
            Duration lw = window(af, "long_window", ra, line(m));
            Duration sw = window(af, "short_window", ra, line(m));
            if (lw != null && sw != null && sw.compareTo(lw) >= 0) {
                problem(line(af.get("short_window").getKeyNode()), ra + ".short_window", "must be shorter than the "
                        + "long window (the workbook uses 1/12 of it)");
            }
            if (name != null && severity != null && rate > 0 && lw != null && sw != null) {
                rules.add(new AlertRule(name, severity, rate, lw, sw));
            }
        }
        return rules;
    }

    private Duration window(Map<String, NodeTuple> af, String key, String at, int entryLine) {
        String v = text(af, key, at);
        if (v == null) {
            problem(entryLine, at + "." + key, "missing, e.g. " + (key.startsWith("long") ? "1h" : "5m"));
            return null;
        }
        Duration d = duration(v.strip());
        if (d == null || d.isZero() || d.toMillis() % 60_000 != 0) {
            problem(line(af.get(key).getKeyNode()), at + "." + key, "'" + v + "' is not a whole number of minutes, "
                    + "hours or days (5m, 1h, 3d)");
            return null;
        }
        return d;
    }

    private static Severity severity(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "page", "critical" -> Severity.CRITICAL;
            case "ticket", "warning" -> Severity.WARNING;
            default -> null;
        };
    }

    // ------------------------------------------------------------------ notification targets

    private NotificationTarget target(Node node, int i, Set<String> sloNames) {
        String at = "notifications[" + i + "]";
        if (!(node instanceof MappingNode m)) {
            problem(line(node), at, "must be a map (type:, url: or routing_key:, ...)");
            return null;
        }
        int before = problems.size();
        Map<String, NodeTuple> f = fields(m, at, TARGET_FIELDS);
        String type = text(f, "type", at);
        if (type == null || !NotificationTarget.TYPES.contains(type.strip().toLowerCase(Locale.ROOT))) {
            problem(type == null ? line(m) : line(f.get("type").getKeyNode()), at + ".type", (type == null ? "missing"
                    : "'" + type + "' is not a target type") + " (" + String.join(", ", NotificationTarget.TYPES)
                    + ")");
            return null;
        }
        type = type.strip().toLowerCase(Locale.ROOT);
        String key = type.equals("pagerduty") ? "routing_key" : "url";
        String other = key.equals("url") ? "routing_key" : "url";
        if (f.containsKey(other)) {
            problem(line(f.get(other).getKeyNode()), at + "." + other, "a " + type + " target takes " + key + ", not "
                    + other);
        }
        String env = null;
        NodeTuple secret = f.get(key);
        String example = type.equals("pagerduty") ? "PAGERDUTY_ROUTING_KEY" : type.equals("slack")
                ? "SLACK_WEBHOOK_URL" : "ALERT_WEBHOOK_URL";
        if (secret == null) {
            problem(line(m), at + "." + key, "missing: name the environment variable holding the "
                    + (key.equals("url") ? "webhook URL" : "routing key") + ", e.g. " + key + ": ${" + example + "}");
        } else {
            String v = scalar(secret, at + "." + key);
            Matcher em = v == null ? null : ENV_REF.matcher(v.strip());
            if (em != null && em.matches()) {
                env = em.group(1) != null ? em.group(1) : em.group(2);
            } else if (v != null) {
                // the value is not repeated: it may be the secret itself
                problem(line(secret.getKeyNode()), at + "." + key, "holds a literal " + (v.contains("://") ? "URL"
                        : "value") + "; " + (key.equals("url") ? "webhook URLs" : "routing keys") + " are secrets and "
                        + "never go in the file: write " + key + ": ${" + example + "} and set " + example
                        + " in the environment");
            }
        }
        String ms = text(f, "min_severity", at);
        Severity min = ms == null ? Severity.WARNING : severity(ms);
        if (min == null) {
            problem(line(f.get("min_severity").getKeyNode()), at + ".min_severity", "'" + ms + "' is not page or "
                    + "ticket");
        }
        List<String> slos = new ArrayList<>();
        NodeTuple st = f.get("slos");
        if (st != null) {
            if (!(st.getValueNode() instanceof SequenceNode sl)) {
                problem(line(st.getKeyNode()), at + ".slos", "must be a list of SLO names");
            } else {
                for (Node n : sl.getValue()) {
                    String s = n instanceof ScalarNode sn ? sn.getValue() : null;
                    if (s == null || !sloNames.contains(s)) {
                        problem(line(n), at + ".slos", (s == null ? "not a name" : "'" + s + "' is not an SLO of "
                                + "this file"));
                    } else {
                        slos.add(s);
                    }
                }
            }
        }
        String name = text(f, "name", at);
        if (problems.size() > before) {
            return null;
        }
        return new NotificationTarget(name == null ? type + "-" + (i + 1) : name, type, env, min, slos);
    }

    // ------------------------------------------------------------------ node helpers

    /** The fields of a map by key, reporting unknown keys (with the known ones) and repeated keys. */
    private Map<String, NodeTuple> fields(MappingNode m, String at, Set<String> known) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
            String path = at.isEmpty() ? String.valueOf(key) : at + "." + key;
            if (key == null || !known.contains(key)) {
                problem(line(t.getKeyNode()), path, "unknown field (" + String.join(", ", known.stream().sorted()
                        .toList()) + ")");
            } else if (out.put(key, t) != null) {
                problem(line(t.getKeyNode()), path, "given twice");
            }
        }
        return out;
    }

    /** A field's text, or null when absent (reports a value that is a list or map). */
    private String text(Map<String, NodeTuple> f, String key, String at) {
        NodeTuple t = f.get(key);
        return t == null ? null : scalar(t, at + "." + key);
    }

    private String scalar(NodeTuple t, String field) {
        if (t.getValueNode() instanceof ScalarNode s) {
            return s.getValue();
        }
        problem(line(t.getKeyNode()), field, "must be a single value, not a list or map");
        return null;
    }

    private void problem(int line, String field, String message) {
        problems.add(new SloProblem(file, line, field, message));
    }

    private SloConfigException fail(int line, String field, String message) {
        problem(line, field, message);
        return new SloConfigException(problems);
    }

    private static int line(Node n) {
        return n.getStartMark().map(mk -> mk.getLine() + 1).orElse(0);
    }

    /** "2s", "500ms", "1.5s", "2m", "1h", "3d" as a duration, or null. */
    static Duration duration(String s) {
        Matcher dm = DURATION.matcher(s.toLowerCase(Locale.ROOT));
        if (!dm.matches()) {
            return null;
        }
        double n = Double.parseDouble(dm.group(1));
        double nanos = n * switch (dm.group(2)) {
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m", "min" -> 60e9;
            case "h" -> 3600e9;
            default -> 86_400e9;
        };
        return Duration.ofNanos(Math.round(nanos));
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String firstLine(String s) {
        String m = String.valueOf(s);
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
