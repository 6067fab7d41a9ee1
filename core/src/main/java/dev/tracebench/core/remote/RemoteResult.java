package dev.tracebench.core.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Dimension;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.GroupBy;
import dev.tracebench.core.analysis.StageStat;
import dev.tracebench.core.analysis.TraceAnalyzer;
import dev.tracebench.core.analysis.rootcause.RootCauseScorer;
import dev.tracebench.core.analysis.rootcause.RootCauseScorer.CountedProperty;
import dev.tracebench.core.analysis.rootcause.TraceSample;
import dev.tracebench.core.report.Durations;
import dev.tracebench.core.slo.Sli;
import dev.tracebench.core.slo.SliSeries;
import dev.tracebench.core.slo.Slo;
import dev.tracebench.core.slo.SloConfigException;
import dev.tracebench.core.slo.SloEngine;
import dev.tracebench.core.slo.SloFile;
import dev.tracebench.core.slo.SloParser;
import dev.tracebench.core.slo.SloProblem;
import dev.tracebench.core.slo.SloReport;
import dev.tracebench.core.slo.SloStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A result folder of the spark module's {@code LakeAnalysis} (docs/spark.md), read back as core's own records so the
 * writers and views that show a workspace's breakdown, findings and SLOs show it too: a read-only "remote result".
 * Nothing here needs the traces; what Spark does not compute (the per-operation lists of the breakdown, span
 * attributes and thresholds in root cause, SLOs with a filter) is not in it.
 *
 * @param dir        the folder
 * @param manifest   what the job recorded about the run
 * @param breakdown  per stage, overall and per group value ({@link Breakdown} as DuckDB computes it over all traces;
 *                   every group's {@code operations} is empty: Spark's output has no per-operation lists)
 * @param counts     per value of each trace dimension, the slow and other traces that have it
 * @param thresholds the slow threshold of each root operation, most traces first
 * @param series     the SLI series counted by the job, in the file's order
 */
public record RemoteResult(Path dir, Manifest manifest, Breakdown breakdown, List<CountedProperty> counts,
        List<Threshold> thresholds, List<Series> series) {
    public static final String MANIFEST = "_tracebench_spark.json";
    public static final String FORMAT = "tracebench-spark-result";
    /** The newest manifest version this Tracebench reads. */
    public static final int VERSION = 1;
    /** The objective of the SLOs shown when no SLO file is given. */
    public static final double DEFAULT_OBJECTIVE = 0.99;

    public RemoteResult {
        counts = List.copyOf(counts);
        thresholds = List.copyOf(thresholds);
        series = List.copyOf(series);
    }

    /** The run as the manifest records it; {@code tableRows}: the rows of each table file, by file name. */
    public record Manifest(int version, Instant createdAt, String sparkVersion, String lake, long traces,
            String groupBy, String cohort, String percentiles, long millis, Map<String, Long> tableRows) {
        public Manifest {
            tableRows = Map.copyOf(tableRows);
        }
    }

    /** A root operation's slow threshold (the p95 of its durations, or of all when it has fewer than 20). */
    public record Threshold(String rootName, long thresholdNs, long traces) {
    }

    /**
     * One SLI the job counted: {@code latency}, {@code cost} or {@code tokens} with its threshold in the SLI's unit
     * (nanoseconds, US dollars, tokens), {@code availability} (threshold 0), or {@code eval} with an evaluator and the
     * label that is good (threshold 0; evaluator and label null for the others).
     */
    public record Series(Sli sli, double threshold, String evaluator, String label, SliSeries series) {
        /**
         * How the job's {@code --slo} option names it: "latency:2000000000", "availability", "cost:0.05",
         * "tokens:4000", "eval:groundedness:grounded".
         */
        public String spec() {
            return spec(sli, threshold, evaluator, label);
        }

        static String spec(Sli sli, double threshold, String evaluator, String label) {
            return switch (sli) {
                case AVAILABILITY -> sli.id();
                case EVAL -> sli.id() + ":" + evaluator + ":" + label;
                default -> sli.id() + ":" + plain(threshold);
            };
        }

        /**
         * Whether this series counts {@code slo}'s events: the same SLI and threshold (as {@link #countedThreshold}),
         * evaluator and label without regard to case, as DuckDbSloService compares them.
         */
        boolean counts(Slo slo) {
            return sli == slo.sli() && threshold == countedThreshold(slo) && (sli != Sli.EVAL
                    || evaluator.equalsIgnoreCase(slo.evaluator()) && label.equalsIgnoreCase(slo.label()));
        }
    }

    /** The SLIs the job counts (without a filter; eval by label only). */
    private static final List<Sli> COUNTED = List.of(Sli.LATENCY, Sli.AVAILABILITY, Sli.COST, Sli.TOKENS, Sli.EVAL);

    /** A number as the job's options and the SLO files write it: 2000000000, 0.05 (no exponent, no trailing 0). */
    private static String plain(double d) {
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /** Whether {@code dir} looks like a Spark result (it has the manifest); {@link #open} checks the rest. */
    public static boolean isResult(Path dir) {
        return Files.isRegularFile(dir.resolve(MANIFEST));
    }

    /**
     * Reads a result folder. A folder without the manifest, a manifest of another format or a newer version, and a
     * missing or damaged table are refused with a {@link RemoteResultException} naming the file, line and reason.
     */
    public static RemoteResult open(Path dir) {
        Path m = dir.resolve(MANIFEST);
        if (!Files.isDirectory(dir)) {
            throw new RemoteResultException(dir, 0, "no such folder");
        }
        if (!Files.isRegularFile(m)) {
            throw new RemoteResultException(dir, 0, "not a Spark result folder: it has no " + MANIFEST + " (the spark "
                    + "module's LakeAnalysis writes one with --out DIR; docs/spark.md)");
        }
        Manifest manifest = manifest(m);
        List<String> breakdownColumns = new ArrayList<>(List.of("overall", "group_value", "traces", "duration_p50_ns",
                "duration_p95_ns", "duration_p99_ns", "duration_total_ns"));
        for (String st : TraceAnalyzer.STAGES) {
            for (String c : List.of("traces", "p50_ns", "p90_ns", "p95_ns", "p99_ns", "total_ns")) {
                breakdownColumns.add(st + "_" + c);
            }
        }
        Breakdown breakdown = breakdown(table(dir, manifest, "breakdown.csv", breakdownColumns, true), manifest, m);
        List<Threshold> thresholds = new ArrayList<>();
        for (ResultCsv.Row r : table(dir, manifest, "slow_thresholds.csv", List.of("root_name", "threshold_ns",
                "traces"), true).rows()) {
            thresholds.add(new Threshold(r.text("root_name"), r.nanos("threshold_ns"), r.count("traces")));
        }
        List<CountedProperty> counts = new ArrayList<>();
        for (ResultCsv.Row r : table(dir, manifest, "rootcause_counts.csv", List.of("dimension", "value",
                "cohort_matching", "cohort_traces", "rest_matching", "rest_traces"), true).rows()) {
            if (!TraceSample.DIMENSIONS.contains(r.text("dimension"))) {
                throw r.problem("unknown dimension '" + r.text("dimension") + "' (expected one of "
                        + TraceSample.DIMENSIONS + ")");
            }
            counts.add(new CountedProperty(r.text("dimension"), r.text("value"), r.count("cohort_matching"),
                    r.count("cohort_traces"), r.count("rest_matching"), r.count("rest_traces")));
        }
        ResultCsv sli = table(dir, manifest, "sli_series.csv", List.of("sli", "threshold_ns", "step_ns", "step_index",
                "total", "good"), false);
        return new RemoteResult(dir, manifest, breakdown, counts, thresholds, sli == null ? List.of() : series(sli));
    }

    // ------------------------------------------------------------------ reading

    private static Manifest manifest(Path m) {
        JsonNode j;
        try {
            j = new ObjectMapper().readTree(m.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RemoteResultException(m, 0, "not valid JSON (damaged): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RemoteResultException(m, 0, "cannot be read: " + e.getMessage());
        }
        if (j == null || !j.isObject()) {
            throw new RemoteResultException(m, 0, "not a JSON object (damaged)");
        }
        String format = j.path("format").asText("");
        if (!FORMAT.equals(format)) {
            throw new RemoteResultException(m, 0, "format '" + format + "', expected '" + FORMAT + "'");
        }
        if (!j.path("version").canConvertToInt()) {
            throw new RemoteResultException(m, 0, "no version number");
        }
        int version = j.path("version").asInt();
        if (version > VERSION) {
            throw new RemoteResultException(m, 0, "version " + version + " is newer than this Tracebench reads (up to "
                    + VERSION + "): open it with a newer Tracebench");
        }
        if (version < 1) {
            throw new RemoteResultException(m, 0, "version " + version + " is not a version of " + FORMAT);
        }
        Instant created;
        try {
            created = Instant.parse(j.path("created_at").asText(""));
        } catch (DateTimeParseException e) {
            throw new RemoteResultException(m, 0, "created_at is not an ISO-8601 time: '"
                    + j.path("created_at").asText("") + "'");
        }
        if (!j.path("traces").canConvertToLong() || !j.path("tables").isArray()) {
            throw new RemoteResultException(m, 0, "no trace count or no table list (damaged)");
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        for (JsonNode t : j.path("tables")) {
            rows.put(t.path("file").asText(), t.path("rows").asLong(-1));
        }
        return new Manifest(version, created, j.path("spark_version").asText(""), j.path("lake").asText(""),
                j.path("traces").asLong(), j.path("group_by").isTextual() ? j.path("group_by").asText() : null,
                j.path("cohort").asText("slow:p95"), j.path("percentiles").asText(""), j.path("millis").asLong(),
                rows);
    }

    /**
     * A table the manifest lists, with as many rows as it says (fewer: the file was cut short or replaced). A table
     * the manifest does not list is an error when {@code required}, else null.
     */
    private static ResultCsv table(Path dir, Manifest m, String file, List<String> columns, boolean required) {
        Long rows = m.tableRows().get(file);
        if (rows == null) {
            if (required) {
                throw new RemoteResultException(dir.resolve(MANIFEST), 0, "lists no table " + file);
            }
            return null;
        }
        ResultCsv csv = ResultCsv.read(dir.resolve(file), columns);
        if (csv.rows().size() != rows) {
            throw new RemoteResultException(dir.resolve(file), 0, csv.rows().size() + " rows, the manifest says "
                    + rows + " (the file is incomplete or from another run)");
        }
        return csv;
    }

    private static Breakdown breakdown(ResultCsv csv, Manifest m, Path manifestFile) {
        GroupBy groupBy = GroupBy.NONE;
        if (m.groupBy() != null) {
            groupBy = null;
            for (Dimension d : Dimension.values()) {
                if (m.groupBy().equals(d.column())) {
                    groupBy = GroupBy.of(d);
                }
            }
            if (groupBy == null) {
                throw new RemoteResultException(manifestFile, 0, "unknown group_by '" + m.groupBy() + "'");
            }
        }
        List<Breakdown.Group> groups = new ArrayList<>();
        Breakdown.Group overall = null;
        for (ResultCsv.Row r : csv.rows()) {
            boolean isOverall = switch (r.text("overall")) {
                case "true" -> true;
                case "false" -> false;
                default -> throw r.problem("column overall: not true or false: '" + r.text("overall") + "'");
            };
            long total = r.count("duration_total_ns");
            List<StageStat> stages = new ArrayList<>();
            for (String st : TraceAnalyzer.STAGES) {
                long n = r.count(st + "_traces");
                long sum = r.count(st + "_total_ns");
                stages.add(new StageStat(st, null, n, r.nanos(st + "_p50_ns"), r.nanos(st + "_p90_ns"),
                        r.nanos(st + "_p95_ns"), r.nanos(st + "_p99_ns"), n == 0 ? 0 : (double) sum / n, sum,
                        total == 0 ? 0 : (double) sum / total));
            }
            Breakdown.Group g = new Breakdown.Group(isOverall ? null : r.text("group_value"), r.count("traces"),
                    r.nanos("duration_p50_ns"), r.nanos("duration_p95_ns"), r.nanos("duration_p99_ns"), total, stages,
                    List.of());
            if (isOverall) {
                if (overall != null) {
                    throw r.problem("a second overall row");
                }
                overall = g;
            } else {
                groups.add(g);
            }
        }
        if (overall == null) {
            throw new RemoteResultException(csv.file(), 0, "no overall row");
        }
        // as DuckDbAnalysisService: the whole first, then the groups, largest first, beyond MAX_GROUPS folded
        groups.sort((x, y) -> x.traces() != y.traces() ? Long.compare(y.traces(), x.traces())
                : x.value().compareTo(y.value()));
        if (groups.size() > Breakdown.MAX_GROUPS) {
            List<Breakdown.Group> rest = groups.subList(Breakdown.MAX_GROUPS, groups.size());
            Breakdown.Group other = new Breakdown.Group(Breakdown.OTHER, rest.stream().mapToLong(
                    Breakdown.Group::traces).sum(), 0, 0, 0, rest.stream().mapToLong(Breakdown.Group::totalNs).sum(),
                    List.of(), List.of());
            groups = new ArrayList<>(groups.subList(0, Breakdown.MAX_GROUPS));
            groups.add(other);
        }
        groups.add(0, overall);
        return new Breakdown(Cohort.all(), groupBy, groups, m.millis());
    }

    /**
     * Per SLI the job counted, its buckets from the first step with events to the last (as DuckDbSloService). A
     * result written before the job counted cost, tokens and eval has no {@code threshold}, {@code evaluator} and
     * {@code label} columns: its thresholds are {@code threshold_ns}.
     */
    private static List<Series> series(ResultCsv csv) {
        Map<String, List<ResultCsv.Row>> bySli = new LinkedHashMap<>();
        Map<String, Series> named = new LinkedHashMap<>(); // the SLI and threshold of each key (series still empty)
        for (ResultCsv.Row r : csv.rows()) {
            Sli sli = COUNTED.stream().filter(x -> x.id().equals(r.text("sli"))).findFirst().orElseThrow(() ->
                    r.problem("unknown SLI '" + r.text("sli") + "' (latency, availability, cost, tokens or eval)"));
            double threshold = csv.hasColumn("threshold") ? r.number("threshold") : r.count("threshold_ns");
            if (sli == Sli.LATENCY && threshold != r.count("threshold_ns")) {
                throw r.problem("threshold " + r.text("threshold") + " differs from threshold_ns "
                        + r.text("threshold_ns"));
            }
            String evaluator = null;
            String label = null;
            if (sli == Sli.EVAL) {
                evaluator = csv.hasColumn("evaluator") ? r.text("evaluator") : "";
                label = csv.hasColumn("label") ? r.text("label") : "";
                if (evaluator.isEmpty() || label.isEmpty()) {
                    throw r.problem("an eval series without an evaluator or a label");
                }
            }
            String key = Series.spec(sli, threshold, evaluator, label);
            named.putIfAbsent(key, new Series(sli, threshold, evaluator, label, null));
            bySli.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<Series> out = new ArrayList<>();
        for (Map.Entry<String, List<ResultCsv.Row>> e : bySli.entrySet()) {
            List<ResultCsv.Row> rows = e.getValue();
            ResultCsv.Row first = rows.get(0);
            long stepNs = first.count("step_ns");
            if (stepNs <= 0 || stepNs % 60_000_000_000L != 0) {
                throw first.problem("step_ns " + stepNs + " is not a whole number of minutes");
            }
            TreeMap<Long, ResultCsv.Row> byStep = new TreeMap<>();
            for (ResultCsv.Row r : rows) {
                if (r.count("step_ns") != stepNs) {
                    throw r.problem("step_ns " + r.count("step_ns") + " differs from the series' " + stepNs);
                }
                if (byStep.put(r.count("step_index"), r) != null) {
                    throw r.problem("step " + r.count("step_index") + " appears twice");
                }
                if (r.count("good") < 0 || r.count("good") > r.count("total")) {
                    throw r.problem("good " + r.count("good") + " is not between 0 and total " + r.count("total"));
                }
            }
            long from = byStep.firstKey();
            long n = byStep.lastKey() - from + 1;
            if (n > 10_000_000) {
                throw first.problem("the series spans " + n + " steps (damaged step_index)");
            }
            long[] total = new long[(int) n];
            long[] good = new long[(int) n];
            byStep.forEach((i, r) -> {
                total[(int) (i - from)] = r.count("total");
                good[(int) (i - from)] = r.count("good");
            });
            Series s = named.get(e.getKey());
            out.add(new Series(s.sli(), s.threshold(), s.evaluator(), s.label(), new SliSeries(Instant.ofEpochSecond(0,
                    Math.multiplyExact(from, stepNs)), Duration.ofNanos(stepNs), total, good)));
        }
        return out;
    }

    // ------------------------------------------------------------------ what the writers and views take

    /** The explained cohort: the manifest's (slow:p95, the job's only one). */
    public Cohort cohort() {
        return Cohort.parse(manifest.cohort());
    }

    /**
     * Root cause over the job's counts: the dimension values that pass explain's bar under {@code settings}, in its
     * order, each phrased as explain phrases a dimension finding (at most {@link RootCauseScorer#MAX_FINDINGS}).
     */
    public List<Finding> findings(CheckSettings settings) {
        Cohort c = cohort();
        String thresholdText = thresholdText();
        return RootCauseScorer.rank(counts, settings).stream().limit(RootCauseScorer.MAX_FINDINGS)
                .map(p -> RootCauseScorer.finding(c, p, thresholdText)).toList();
    }

    /** "POST /v1/chat 3.65 s, GET /api/search 3.15 s": the thresholds of the three largest operations. */
    private String thresholdText() {
        StringBuilder sb = new StringBuilder();
        thresholds.stream().limit(3).forEach(t -> sb.append(sb.length() == 0 ? "" : ", ").append(t.rootName())
                .append(" ").append(Durations.format(t.thresholdNs())));
        return sb.length() == 0 ? null : sb.toString();
    }

    /** The findings' title, as explain's names its cohort. */
    public String findingsTitle() {
        return "Why are " + cohort().noun() + " different? (counted by Spark over " + lakeName() + "; trace "
                + "dimensions only)";
    }

    /** The lake's folder name. */
    public String lakeName() {
        String lake = manifest.lake();
        Path p = lake.isEmpty() ? dir : Path.of(lake);
        return p.getFileName() == null ? lake : p.getFileName().toString();
    }

    /**
     * One SLO per series the job counted, with {@link #DEFAULT_OBJECTIVE} and the default window: what is shown when
     * no SLO file is given (the file's name says so).
     */
    public SloFile defaultSlos() {
        StringBuilder yaml = new StringBuilder("slos:\n");
        for (Series s : series) {
            // eval: its evaluator and label, as YAML's double-quoted strings (JSON's)
            String evalFields = s.sli() != Sli.EVAL ? "" : "    evaluator: " + yamlString(s.evaluator())
                    + "\n    label: " + yamlString(s.label()) + "\n";
            // latency in milliseconds, the smallest unit an SLO file takes; the name unique: one per threshold
            String threshold = switch (s.sli()) {
                case LATENCY -> java.math.BigDecimal.valueOf(s.threshold()).movePointLeft(6).stripTrailingZeros()
                        .toPlainString() + "ms";
                case COST -> "$" + plain(s.threshold());
                case TOKENS -> plain(s.threshold());
                default -> null;
            };
            String name = s.sli() == Sli.EVAL ? s.spec().replace(':', '-') : s.sli().id()
                    + (threshold == null ? "" : "-" + threshold);
            yaml.append("  - name: ").append(yamlString(name)).append("\n    sli: ").append(s.sli().id()).append("\n")
                    .append(evalFields);
            if (threshold != null) {
                yaml.append("    threshold: ").append(threshold).append("\n");
            }
            yaml.append("    objective: ").append(Slo.percent(DEFAULT_OBJECTIVE)).append("\n");
        }
        String name = "default objective " + Slo.percent(DEFAULT_OBJECTIVE) + ", no SLO file given";
        return series.isEmpty() ? new SloFile(name, List.of(), List.of()) : SloParser.parse(yaml.toString(), name);
    }

    private static String yamlString(String s) {
        try {
            return new ObjectMapper().writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e); // a String always serialises
        }
    }

    /**
     * The SLOs of {@code file} evaluated over the job's series, by the SLO engine as {@code slo check} evaluates a
     * workspace's (at the end of the data). Each SLO needs a series the job counted: latency, cost or tokens with the
     * same threshold, availability, or eval with the same evaluator and label, without a filter or percentile; any
     * other is refused, by file, line and field, with the {@code --slo} option that would count it.
     */
    public SloReport sloReport(SloFile file) {
        List<SloProblem> problems = new ArrayList<>();
        List<SliSeries> found = new ArrayList<>();
        for (Slo s : file.slos()) {
            String field = "slos[" + s.index() + "]";
            String why = null;
            SliSeries match = null;
            if (!COUNTED.contains(s.sli())) {
                why = "a " + s.sli().id() + " SLI is not computed by the Spark job (latency, availability, cost, "
                        + "tokens and eval by label are)";
            } else if (s.filter() != null) {
                why = "an SLO with a filter is not computed by the Spark job";
            } else if (s.percentileSli()) {
                why = "a percentile latency SLO is not computed by the Spark job";
            } else if (s.sli() == Sli.EVAL && (s.label() == null || s.good() != null)) {
                why = "an eval SLO with pass or good is not computed by the Spark job (one with a label is)";
            } else {
                match = seriesFor(s);
                if (match == null) {
                    why = "the result has no series for it; run the job with --slo " + Series.spec(s.sli(),
                            countedThreshold(s), s.evaluator(), s.label()) + " (it has: "
                            + (series.isEmpty() ? "none" : String.join(", ", series.stream().map(Series::spec)
                            .toList())) + ")";
                }
            }
            if (why != null) {
                problems.add(new SloProblem(file.name(), s.line("sli"), field + ".sli", why));
            }
            found.add(match);
        }
        if (!problems.isEmpty()) {
            throw new SloConfigException(problems);
        }
        Instant end = null;
        for (SliSeries s : found) {
            if (!s.isEmpty() && (end == null || s.end().isAfter(end))) {
                end = s.end();
            }
        }
        List<SloReport.Result> results = new ArrayList<>();
        for (int i = 0; i < file.slos().size(); i++) {
            SloStatus st = SloEngine.evaluate(file.slos().get(i), found.get(i), end);
            results.add(new SloReport.Result(st, Duration.ZERO));
        }
        return new SloReport(file.name(), "Spark result " + dir.getFileName(), results);
    }

    /**
     * The series the job counted for {@code slo}: latency, cost or tokens with the same threshold, availability, or
     * eval with the same evaluator and label; null when it counted none (or the SLO has a filter or a percentile,
     * which the job does not count).
     */
    public SliSeries seriesFor(Slo slo) {
        if (!COUNTED.contains(slo.sli()) || slo.filter() != null || slo.percentileSli()) {
            return null;
        }
        return series.stream().filter(x -> x.counts(slo)).map(Series::series).findFirst().orElse(null);
    }

    /**
     * The threshold of the series that counts {@code slo} as DuckDbSloService does: whole nanoseconds and tokens (it
     * compares with the threshold cast to a whole number), US dollars as written, none for availability.
     */
    private static double countedThreshold(Slo slo) {
        return switch (slo.sli()) {
            case LATENCY -> Math.round(slo.threshold());
            case TOKENS -> (long) slo.threshold();
            case COST -> slo.threshold();
            default -> 0;
        };
    }

    private static final java.time.format.DateTimeFormatter WHEN = java.time.format.DateTimeFormatter.ofPattern(
            "yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(java.time.ZoneOffset.UTC);

    /** The manifest's facts, label and value, for a header: lake, traces, grouping, cohort, method, when. */
    public Map<String, String> facts() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("lake", manifest.lake());
        f.put("traces", String.format(Locale.ROOT, "%,d", manifest.traces()));
        f.put("group by", manifest.groupBy() == null ? "(none)" : breakdown.groupBy().label());
        f.put("cohort", manifest.cohort());
        f.put("percentiles", manifest.percentiles());
        f.put("computed", WHEN.format(manifest.createdAt()) + (manifest.sparkVersion().isEmpty() ? ""
                : " by Spark " + manifest.sparkVersion()) + String.format(Locale.ROOT, " in %.1f s",
                manifest.millis() / 1000.0));
        f.put("result", dir.toAbsolutePath().toString());
        return f;
    }
}
