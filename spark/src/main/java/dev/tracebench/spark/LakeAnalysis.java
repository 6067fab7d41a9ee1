package dev.tracebench.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The lake analyses on Apache Spark: over the {@code traces} table of a Tracebench trace lake (Hive-partitioned
 * Parquet, {@code LAKE/traces/date=.../service=.../*.parquet}) it computes what {@code tracebench breakdown} and root
 * cause compute over a workspace, and writes them as small CSV tables with a manifest ({@code docs/spark.md}):
 *
 * <ul>
 *   <li>{@code breakdown.csv}: per group (and overall), traces and the p50/p95/p99 of the duration, and per stage the
 *       traces where the stage is on the critical path with the p50/p90/p95/p99 and total of its time there;</li>
 *   <li>{@code slow_thresholds.csv}: the p95 duration per root operation that makes a trace slow;</li>
 *   <li>{@code rootcause_counts.csv}: per value of each trace dimension, how many slow traces and how many others have
 *       it, the counts core's root-cause rule ranks ({@code RootCauseScorer.rank});</li>
 *   <li>{@code sli_series.csv} (with {@code --slo}): per SLI, its valid and good events per step.</li>
 * </ul>
 *
 * <p>The definitions are core's (DuckDbAnalysisService, CohortSql): percentiles are linear interpolation between the
 * closest ranks (DuckDB's {@code quantile_cont}, Spark's exact {@code percentile}), a stage's percentiles are over
 * the traces where it took time, and a trace is slow at or above the p95 of its root operation (of all traces when
 * the operation has fewer than 20). {@code --approx N} uses {@code percentile_approx} with accuracy N instead (rank
 * error at most 1/N of the group's traces) for groups too large to sort.
 *
 * <p>Usage: {@code spark-submit --class dev.tracebench.spark.LakeAnalysis tracebench-spark.jar --lake DIR --out DIR
 * [--group-by service|root|route|model|model-version|prompt-version|tenant] [--approx N]
 * [--slo latency:NS|availability|cost:USD|tokens:N|eval:EVALUATOR:LABEL]...}.
 */
public final class LakeAnalysis {
    /** core's TraceAnalyzer.STAGES: the stages whose critical-path time traces has as {@code <stage>_ns}. */
    static final List<String> STAGES = List.of("prompt", "retrieval", "rerank", "inference", "tool", "agent", "chain",
            "guardrail", "postprocess", "other", "unattributed");
    /** core's TraceSample.DIMENSIONS: the trace facts root cause compares by value. */
    static final List<String> DIMENSIONS = List.of("model", "model_version", "route", "tenant", "prompt_version",
            "service_name", "root_name");
    /** The breakdown's group of the traces without a value (core's Breakdown.NONE). */
    static final String NONE = "(none)";
    /** core's CohortSql.MIN_TRACES_PER_OPERATION. */
    static final int MIN_TRACES_PER_OPERATION = 20;
    static final double SLOW_PERCENTILE = 0.95;
    static final String MANIFEST = "_tracebench_spark.json";
    static final String LAKE_MANIFEST = "_tracebench_lake.json";

    /**
     * What to compute: the lake, where to write, how to group ({@code null}: no grouping), exact or approximate, and
     * the SLIs whose series to count.
     */
    public record Options(Path lake, Path out, String groupBy, int approxAccuracy, List<SloSpec> slos) {
        public Options {
            slos = List.copyOf(slos);
        }

        static Options parse(String... args) {
            Path lake = null;
            Path out = null;
            String groupBy = null;
            int approx = 0;
            List<SloSpec> slos = new java.util.ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--lake" -> lake = Path.of(v);
                    case "--out" -> out = Path.of(v);
                    case "--group-by" -> groupBy = v;
                    case "--slo" -> slos.add(SloSpec.parse(v));
                    case "--approx" -> {
                        try {
                            approx = Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--approx needs a whole number (e.g. 10000), not " + v);
                        }
                        if (approx <= 0) {
                            throw new IllegalArgumentException("--approx needs a positive accuracy, not " + v);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a
                            + " (expected --lake, --out, --group-by, --approx, --slo)");
                }
            }
            if (lake == null || out == null) {
                throw new IllegalArgumentException("usage: LakeAnalysis --lake DIR --out DIR [--group-by DIMENSION] "
                        + "[--approx ACCURACY] [--slo latency:NS|availability|cost:USD|tokens:N|"
                        + "eval:EVALUATOR:LABEL]...");
            }
            return new Options(lake, out, groupBy, approx, slos);
        }
    }

    /**
     * An SLI to count per step, as core's DuckDbSloService counts it (without a filter). Over all traces:
     * {@code latency:NS} (good: duration at most NS nanoseconds), {@code availability} (good: the root span did not
     * fail), {@code cost:USD} (valid: the cost is known; good: at most USD), {@code tokens:N} (valid: the trace used
     * tokens; good: at most N). Over the eval results joined to the traces they judged: {@code eval:EVALUATOR:LABEL}
     * (valid: a result of EVALUATOR with a label; good: the label is LABEL; both without regard to case).
     * {@code threshold}: in the SLI's unit (nanoseconds, US dollars, tokens; 0 for availability and eval);
     * {@code evaluator} and {@code label}: null but for eval.
     */
    public record SloSpec(String sli, BigDecimal threshold, String evaluator, String label) {
        static SloSpec parse(String v) {
            if (v.equals("availability")) {
                return new SloSpec("availability", BigDecimal.ZERO, null, null);
            }
            int colon = v.indexOf(':');
            String sli = colon < 0 ? v : v.substring(0, colon);
            if (sli.equals("eval")) {
                // the evaluator up to the next colon, the label all the rest (a label may hold a colon)
                int second = v.indexOf(':', colon + 1);
                if (second > colon + 1 && second < v.length() - 1) {
                    return new SloSpec("eval", BigDecimal.ZERO, v.substring(colon + 1, second),
                            v.substring(second + 1));
                }
            } else if (colon > 0 && List.of("latency", "cost", "tokens").contains(sli)) {
                try {
                    BigDecimal t = new BigDecimal(v.substring(colon + 1)).stripTrailingZeros();
                    // latency and tokens count whole nanoseconds and tokens; cost is any positive amount
                    if (t.signum() > 0 && (sli.equals("cost") || t.scale() <= 0)) {
                        return new SloSpec(sli, t, null, null);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            throw new IllegalArgumentException("--slo takes latency:NANOSECONDS (e.g. latency:2000000000), "
                    + "availability, cost:USD (e.g. cost:0.05), tokens:N (e.g. tokens:4000) or eval:EVALUATOR:LABEL "
                    + "(e.g. eval:groundedness:grounded), not " + v);
        }

        /** The threshold as core's RemoteResult reads it back: a plain number. */
        String thresholdText() {
            return threshold.toPlainString();
        }

        boolean overEvalResults() {
            return sli.equals("eval");
        }

        /** The events' FROM clause (DuckDbSloService.events): traces t, or eval results e with the traces t judged. */
        String events() {
            return overEvalResults() ? "eval_results e JOIN trace_ids t ON t.trace_id = e.trace_id" : "traces t";
        }

        /** The events that are valid for this SLI (DuckDbSloService.valid). */
        String valid() {
            return switch (sli) {
                case "cost" -> "t.cost IS NOT NULL";
                case "tokens" -> "t.total_tokens > 0";
                case "eval" -> "lower(e.evaluator) = lower(" + quote(evaluator) + ") AND e.label IS NOT NULL";
                default -> "true";
            };
        }

        /** The valid events that are good (DuckDbSloService.good); cost compares as a double, as DuckDB's does. */
        String good() {
            return switch (sli) {
                case "latency" -> "t.duration_ns <= " + thresholdText();
                case "cost" -> "t.cost <= CAST('" + thresholdText() + "' AS DOUBLE)";
                case "tokens" -> "t.total_tokens <= " + thresholdText();
                case "eval" -> "lower(e.label) = lower(" + quote(label) + ")";
                default -> "NOT t.root_error";
            };
        }
    }

    /** A Spark SQL string literal (Spark reads backslash escapes in them), or NULL. */
    static String quote(String s) {
        return s == null ? "CAST(NULL AS STRING)" : "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** What a run wrote: rows per table, and how long each table took (milliseconds). */
    public record Result(Map<String, Long> rows, Map<String, Long> tookMillis, long traces, long millis) { }

    private final SparkSession spark;
    private final Options o;

    private LakeAnalysis(SparkSession spark, Options o) {
        this.spark = spark;
        this.o = o;
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        SparkSession spark = SparkSession.builder().appName("tracebench-lake-analysis").getOrCreate();
        try {
            Result r = run(spark, o);
            System.out.printf(Locale.ROOT, "%,d traces analysed in %.1f s; wrote %s to %s%n", r.traces(),
                    r.millis() / 1000.0, r.rows(), o.out());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        } finally {
            spark.stop();
        }
    }

    /** Runs the analyses on {@code spark} (the caller owns the session) and writes them into {@code o.out()}. */
    public static Result run(SparkSession spark, Options o) {
        return new LakeAnalysis(spark, o).run();
    }

    private Result run() {
        long t0 = System.nanoTime();
        Dataset<Row> traces = readTraces();
        String group = groupColumn();
        traces.createOrReplaceTempView("traces");
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("breakdown", breakdownSql(group));
        queries.put("slow_thresholds", "SELECT root_name, threshold_ns, traces FROM (" + thresholdsSql()
                + ") ORDER BY traces DESC, root_name");
        queries.put("rootcause_counts", rootCauseSql());
        if (!o.slos().isEmpty()) {
            if (o.slos().stream().anyMatch(SloSpec::overEvalResults)) {
                readEvalResults();
            }
            queries.put("sli_series", sliSeriesSql());
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, Long> took = new LinkedHashMap<>();
        try {
            Files.createDirectories(o.out());
            for (Map.Entry<String, String> q : queries.entrySet()) {
                long t = System.nanoTime();
                rows.put(q.getKey(), write(q.getKey() + ".csv", spark.sql(q.getValue())));
                took.put(q.getKey(), (System.nanoTime() - t) / 1_000_000);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the results into " + o.out() + ": " + e.getMessage(), e);
        }
        long traceCount = spark.sql("SELECT count(*) FROM traces").first().getLong(0);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        writeManifest(group, rows, took, traceCount, millis);
        return new Result(rows, took, traceCount, millis);
    }

    // ------------------------------------------------------------------ input

    private Dataset<Row> readTraces() {
        if (!Files.isRegularFile(o.lake().resolve(LAKE_MANIFEST))) {
            throw new IllegalArgumentException(o.lake() + " is not a Tracebench trace lake: it has no " + LAKE_MANIFEST
                    + " (write one with `tracebench export lake --out DIR`).");
        }
        Path dir = o.lake().resolve("traces");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("the lake " + o.lake() + " has no traces table (no folder " + dir + ")");
        }
        // service=404 is a service name, not a number; date stays text too (it is only a folder key here)
        spark.conf().set("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
        return spark.read().schema(TRACES_SCHEMA).option("basePath", dir.toString()).parquet(dir.toString());
    }

    /**
     * For eval SLIs: the lake's {@code eval_results} (the columns they read) as the view {@code eval_results}, and the
     * traces' ids and starts as {@code trace_ids}. The lake writes trace ids as OTLP's 32 hex digits in both tables
     * (docs/lake.md), so they join as text.
     */
    private void readEvalResults() {
        Path dir = o.lake().resolve("eval_results");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("the lake " + o.lake() + " has no eval_results table (no folder " + dir
                    + "): --slo eval:... counts eval results (import them, then `tracebench export lake`)");
        }
        spark.read().schema(EVAL_RESULTS_SCHEMA).parquet(dir.toString()).createOrReplaceTempView("eval_results");
        Path traces = o.lake().resolve("traces");
        spark.read().schema(TRACE_IDS_SCHEMA).option("basePath", traces.toString()).parquet(traces.toString())
                .createOrReplaceTempView("trace_ids");
    }

    /** The columns of {@code eval_results} the eval SLIs read. */
    static final StructType EVAL_RESULTS_SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("trace_id", DataTypes.StringType, true),
            DataTypes.createStructField("evaluator", DataTypes.StringType, false),
            DataTypes.createStructField("label", DataTypes.StringType, true)));

    /** A trace's id and start, for the eval results that judged it. */
    static final StructType TRACE_IDS_SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("trace_id", DataTypes.StringType, false),
            DataTypes.createStructField("start_ns", DataTypes.LongType, false)));

    /**
     * The columns of {@code traces} the analyses read, typed as the workspace's DDL (traces.sql) and DuckDB's Parquet
     * writer have them. Given, not inferred: Spark refuses to infer a schema with DuckDB's UUID columns (trace_id,
     * FIXED_LEN_BYTE_ARRAY(16) UUID: PARQUET_TYPE_ILLEGAL), and the analyses need no trace id.
     */
    static final StructType TRACES_SCHEMA;

    static {
        List<StructField> f = new java.util.ArrayList<>();
        f.add(DataTypes.createStructField("start_ns", DataTypes.LongType, false));
        f.add(DataTypes.createStructField("duration_ns", DataTypes.LongType, false));
        f.add(DataTypes.createStructField("root_error", DataTypes.BooleanType, false));
        f.add(DataTypes.createStructField("total_tokens", DataTypes.LongType, false));
        f.add(DataTypes.createStructField("cost", DataTypes.DoubleType, true));
        for (String d : DIMENSIONS) {
            f.add(DataTypes.createStructField(d, DataTypes.StringType, true));
        }
        for (String st : STAGES) {
            f.add(DataTypes.createStructField(st + "_ns", DataTypes.LongType, false));
        }
        f.add(DataTypes.createStructField("date", DataTypes.StringType, true));
        f.add(DataTypes.createStructField("service", DataTypes.StringType, true));
        TRACES_SCHEMA = DataTypes.createStructType(f);
    }

    /** The traces column a group-by name means (null: no grouping). */
    private String groupColumn() {
        if (o.groupBy() == null || o.groupBy().equals("none")) {
            return null;
        }
        String column = switch (o.groupBy()) {
            case "service" -> "service_name";
            case "root", "operation", "root-operation" -> "root_name";
            default -> o.groupBy().replace('-', '_');
        };
        if (!DIMENSIONS.contains(column)) {
            throw new IllegalArgumentException("cannot group by " + o.groupBy() + " (use service, root, route, model, "
                    + "model-version, prompt-version or tenant)");
        }
        return column;
    }

    // ------------------------------------------------------------------ SQL

    /** Percentiles of {@code expr} at {@code ps} (an array): exact, or approximate when asked. */
    private String quantiles(String expr, String ps) {
        return o.approxAccuracy() > 0 ? "percentile_approx(" + expr + ", " + ps + ", " + o.approxAccuracy() + ")"
                : "percentile(" + expr + ", " + ps + ")";
    }

    /**
     * As DuckDbAnalysisService.breakdown: the overall row (overall = true) and one per group. Each column's
     * percentiles are one aggregate (an array), taken apart outside it.
     */
    String breakdownSql(String group) {
        StringBuilder inner = new StringBuilder("SELECT " + (group == null ? "true" : "grouping(group_value) = 1")
                + " AS overall, " + (group == null ? "CAST(NULL AS STRING)" : "CASE WHEN grouping(group_value) = 0 THEN "
                + "coalesce(group_value, '" + NONE + "') END") + " AS group_value, count(*) AS traces, " + quantiles("duration_ns", "array(0.5, 0.95, 0.99)")
                + " AS duration_q, coalesce(sum(duration_ns), 0) AS duration_total_ns");
        StringBuilder outer = new StringBuilder("SELECT overall, group_value, traces");
        String[] ps = {"p50", "p95", "p99"};
        for (int i = 0; i < ps.length; i++) {
            outer.append(", duration_q[").append(i).append("] AS duration_").append(ps[i]).append("_ns");
        }
        outer.append(", duration_total_ns");
        String[] qs = {"p50", "p90", "p95", "p99"};
        for (String st : STAGES) {
            String col = st + "_ns";
            String onPath = "CASE WHEN " + col + " > 0 THEN " + col + " END";
            inner.append(", count(").append(onPath).append(") AS ").append(st).append("_traces, ")
                    .append(quantiles(onPath, "array(0.5, 0.9, 0.95, 0.99)")).append(" AS ").append(st).append("_q, ")
                    .append("coalesce(sum(").append(col).append("), 0) AS ").append(st).append("_total_ns");
            outer.append(", ").append(st).append("_traces");
            for (int i = 0; i < qs.length; i++) {
                outer.append(", ").append(st).append("_q[").append(i).append("] AS ").append(st).append("_")
                        .append(qs[i]).append("_ns");
            }
            outer.append(", ").append(st).append("_total_ns");
        }
        inner.append(" FROM (SELECT *, ").append(group == null ? "CAST(NULL AS STRING)" : "CAST(" + group
                + " AS STRING)").append(" AS group_value FROM traces)");
        if (group != null) {
            inner.append(" GROUP BY GROUPING SETS ((), (group_value))");
        }
        return outer.append(" FROM (").append(inner).append(") ORDER BY overall DESC, traces DESC, group_value")
                .toString();
    }

    /** As CohortSql.thresholds for slow:p95: {@code root_name, threshold_ns, traces}. */
    String thresholdsSql() {
        String q = quantiles("duration_ns", Double.toString(SLOW_PERCENTILE));
        return "SELECT root_name, CASE WHEN count(*) >= " + MIN_TRACES_PER_OPERATION + " THEN " + q + " ELSE (SELECT "
                + q + " FROM traces) END AS threshold_ns, count(*) AS traces FROM traces GROUP BY root_name";
    }

    /**
     * Per (dimension, value): the slow traces and the others that have it, with both sides' sizes; the cohort as
     * CohortSql's slow:p95 ({@code duration_ns >= threshold AND duration_ns > 0}).
     */
    String rootCauseSql() {
        StringBuilder stack = new StringBuilder("stack(" + DIMENSIONS.size());
        for (String d : DIMENSIONS) {
            stack.append(", '").append(d).append("', CAST(").append(d).append(" AS STRING)");
        }
        stack.append(") AS (dimension, value)");
        String marked = "SELECT t.*, (t.duration_ns >= thr.threshold_ns AND t.duration_ns > 0) AS slow FROM traces t "
                + "JOIN (" + thresholdsSql() + ") thr USING (root_name)";
        return "WITH m AS (" + marked + "), sides AS (SELECT count_if(slow) AS cohort_traces, count_if(NOT slow) AS "
                + "rest_traces FROM m) SELECT dimension, value, count_if(slow) AS cohort_matching, "
                + "first(cohort_traces) AS cohort_traces, count_if(NOT slow) AS rest_matching, first(rest_traces) AS "
                + "rest_traces FROM (SELECT slow, " + stack + " FROM m) CROSS JOIN sides WHERE value IS NOT NULL "
                + "GROUP BY dimension, value ORDER BY dimension, cohort_matching DESC, value";
    }

    /**
     * Per SLI, its valid and good events per step (steps counted since the epoch), as query/slo_series.sql: the step
     * is SliSeries.stepFor the span of the valid events' starts (a minute, longer beyond 100,000 steps).
     * {@code threshold_ns} is a latency's threshold (0 for the others, as before cost and tokens were counted);
     * {@code threshold} is every SLI's, in its unit; {@code evaluator} and {@code label} an eval SLI's.
     */
    String sliSeriesSql() {
        StringBuilder union = new StringBuilder();
        for (SloSpec slo : o.slos()) {
            String from = slo.events() + " WHERE " + slo.valid();
            // SliSeries.stepFor: minutes = max(1, ceil(whole minutes of the period / 100,000))
            String step = "(SELECT greatest(1, (((max(t.start_ns) - min(t.start_ns)) div 60000000000) + 99999) div "
                    + "100000) * 60000000000 AS step_ns FROM " + from + ")";
            union.append(union.length() == 0 ? "" : " UNION ALL ").append("SELECT ").append(quote(slo.sli()))
                    .append(" AS sli, ").append(slo.sli().equals("latency") ? slo.thresholdText() : "0")
                    .append(" AS threshold_ns, step_ns, t.start_ns div step_ns AS step_index, count(*) AS total, ")
                    .append("count_if(").append(slo.good()).append(") AS good, ").append(quote(slo.thresholdText()))
                    .append(" AS threshold, ").append(quote(slo.evaluator())).append(" AS evaluator, ")
                    .append(quote(slo.label())).append(" AS label FROM ").append(slo.events()).append(" CROSS JOIN ")
                    .append(step).append(" WHERE ").append(slo.valid()).append(" GROUP BY step_ns, step_index");
        }
        return "SELECT * FROM (" + union + ") ORDER BY sli, threshold_ns, threshold, evaluator, label, step_index";
    }

    // ------------------------------------------------------------------ output

    /** Writes a small result as one CSV file with a header (the driver collects it: it is a few hundred rows). */
    private long write(String name, Dataset<Row> result) throws IOException {
        List<Row> rows = result.collectAsList();
        StringBuilder csv = new StringBuilder(String.join(",", result.columns())).append('\n');
        for (Row r : rows) {
            for (int i = 0; i < r.size(); i++) {
                csv.append(i == 0 ? "" : ",").append(csvValue(r.get(i)));
            }
            csv.append('\n');
        }
        Path tmp = o.out().resolve("." + name + ".tmp");
        Files.writeString(tmp, csv, StandardCharsets.UTF_8);
        Files.move(tmp, o.out().resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return rows.size();
    }

    /** RFC 4180: quoted when it holds a comma, quote or line break; percentiles as plain decimals. */
    static String csvValue(Object v) {
        if (v == null) {
            return "";
        }
        String s = v instanceof Double d ? (d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue())
                : Double.toString(d)) : v.toString();
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    private void writeManifest(String group, Map<String, Long> rows, Map<String, Long> took, long traces,
            long millis) {
        StringBuilder tables = new StringBuilder();
        for (Map.Entry<String, Long> e : rows.entrySet()) {
            tables.append(tables.length() == 0 ? "" : ",\n").append("    {\"name\": ").append(json(e.getKey()))
                    .append(", \"file\": ").append(json(e.getKey() + ".csv")).append(", \"rows\": ")
                    .append(e.getValue()).append(", \"millis\": ").append(took.get(e.getKey())).append("}");
        }
        String doc = "{\n  \"format\": \"tracebench-spark-result\",\n  \"version\": 1,\n"
                + "  \"created_at\": " + json(Instant.now().toString()) + ",\n"
                + "  \"spark_version\": " + json(spark.version()) + ",\n"
                + "  \"lake\": " + json(o.lake().toAbsolutePath().toString()) + ",\n"
                + "  \"traces\": " + traces + ",\n"
                + "  \"group_by\": " + (group == null ? "null" : json(group)) + ",\n"
                + "  \"cohort\": \"slow:p95\",\n"
                + "  \"percentiles\": " + json(o.approxAccuracy() > 0 ? "percentile_approx, accuracy "
                        + o.approxAccuracy() : "exact (linear interpolation, as DuckDB quantile_cont)") + ",\n"
                + "  \"millis\": " + millis + ",\n"
                + "  \"tables\": [\n" + tables + "\n  ]\n}\n";
        try {
            Path tmp = o.out().resolve("." + MANIFEST + ".tmp");
            Files.writeString(tmp, doc, StandardCharsets.UTF_8);
            Files.move(tmp, o.out().resolve(MANIFEST), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + o.out().resolve(MANIFEST) + ": " + e.getMessage(), e);
        }
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
