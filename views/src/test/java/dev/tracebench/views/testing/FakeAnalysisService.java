package dev.tracebench.views.testing;

import dev.tracebench.core.analysis.AnalysisService;
import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Comparison;
import dev.tracebench.core.analysis.CriticalPath;
import dev.tracebench.core.analysis.Dimension;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.GroupBy;
import dev.tracebench.core.analysis.Heatmap;
import dev.tracebench.core.analysis.Histogram;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.analysis.StageStat;
import dev.tracebench.core.analysis.Timeline;
import dev.tracebench.core.analysis.TraceAnalyzer;
import dev.tracebench.core.analysis.rootcause.RootCauseScorer;
import dev.tracebench.core.analysis.rootcause.SpanRow;
import dev.tracebench.core.analysis.rootcause.TraceSample;
import dev.tracebench.core.analysis.rules.CheckRules;
import dev.tracebench.core.analysis.rules.DominantStageRule;
import dev.tracebench.core.analysis.rules.LoopsRule;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.TraceSummary;
import dev.tracebench.core.report.Durations;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.CancelledException;
import dev.tracebench.views.testing.FakeWorkspace.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An {@link AnalysisService} over a {@link FakeWorkspace}: every answer is computed from the synthetic traces (so the
 * breakdown, the charts' data and the counts agree), with knobs for tests: a delay per call, calls held until
 * released, methods that fail, and a record of the calls made.
 */
public final class FakeAnalysisService implements AnalysisService {
    /** The columns of the real {@code traces} table (DESCRIBE traces), as the real service lists them. */
    public static final List<String> FILTER_COLUMNS = List.of("trace_id UUID", "root_span_id BIGINT",
            "root_name VARCHAR", "service_name VARCHAR", "start_ns BIGINT", "end_ns BIGINT", "duration_ns BIGINT",
            "span_count INTEGER", "error_count INTEGER", "service_count INTEGER", "orphan_count INTEGER",
            "has_root BOOLEAN", "input_tokens BIGINT", "output_tokens BIGINT", "total_tokens BIGINT", "cost DOUBLE",
            "skew_count INTEGER", "route VARCHAR", "model VARCHAR", "model_version VARCHAR", "prompt_version VARCHAR",
            "tenant VARCHAR", "llm_calls INTEGER", "tool_calls INTEGER", "retries INTEGER", "docs INTEGER",
            "cache_hits INTEGER", "cache_misses INTEGER", "queue_ns BIGINT", "ttft_ns BIGINT", "prompt_ns BIGINT",
            "retrieval_ns BIGINT", "rerank_ns BIGINT", "inference_ns BIGINT", "tool_ns BIGINT", "agent_ns BIGINT",
            "chain_ns BIGINT", "guardrail_ns BIGINT", "postprocess_ns BIGINT", "other_ns BIGINT",
            "unattributed_ns BIGINT", "root_error BOOLEAN");
    public static final List<String> ATTRIBUTE_KEYS = List.of("tenant.id", "gen_ai.request.model",
            "app.prompt.version", "deployment.environment", "http.route", "user.tier");

    private volatile FakeWorkspace ws;
    private volatile long delayMillis;
    private volatile long explainDelayMillis;
    private volatile CountDownLatch hold;
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<String> log = new CopyOnWriteArrayList<>();

    public FakeAnalysisService(FakeWorkspace ws) {
        this.ws = ws;
    }

    public FakeWorkspace workspace() {
        return ws;
    }

    /** Changes the workspace under the service (as an import does); answers from now on are about {@code w}. */
    public void workspace(FakeWorkspace w) {
        ws = w;
    }

    /** Every call sleeps this long first (simulating a slow database). */
    public FakeAnalysisService delay(long millis) {
        delayMillis = millis;
        return this;
    }

    /** explain() and automatedChecks() take this long (checking the cancellation token as they go). */
    public FakeAnalysisService explainDelay(long millis) {
        explainDelayMillis = millis;
        return this;
    }

    /** Calls block from now on until {@link #release()}. */
    public void hold() {
        hold = new CountDownLatch(1);
    }

    public void release() {
        CountDownLatch h = hold;
        hold = null;
        if (h != null) {
            h.countDown();
        }
    }

    /** Makes a method (by name) throw. */
    public void fail(String method) {
        failing.add(method);
    }

    public void heal() {
        failing.clear();
    }

    public int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    /** "method(argument summary)" of every call, in order. */
    public List<String> log() {
        return log;
    }

    private void enter(String method, Object arg) {
        calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
        log.add(method + "(" + arg + ")");
        CountDownLatch h = hold;
        try {
            if (h != null) {
                h.await(30, TimeUnit.SECONDS);
            }
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failing.contains(method)) {
            throw new IllegalStateException(method + " failed: the database is on fire");
        }
    }

    // ------------------------------------------------------------------ cohorts

    public List<Trace> select(Cohort c) {
        List<Trace> out = selectKind(c);
        for (Cohort.Within w : c.narrowing()) {
            out = out.stream().filter(t -> w.values().contains(groupKey(t, w.by())) != w.exclude()).toList();
        }
        return out;
    }

    /** The group a trace falls in, as the real service groups: its value, or {@link Breakdown#NONE}. */
    public static String groupKey(Trace t, GroupBy by) {
        String v = t.dimension(by.dimension() == Dimension.ATTRIBUTE ? by.attributeKey() : by.dimension().column());
        return v == null ? Breakdown.NONE : v;
    }

    private List<Trace> selectKind(Cohort c) {
        List<Trace> all = ws.traces();
        List<Trace> out = switch (c.kind()) {
            case ALL -> all;
            case ERRORS -> all.stream().filter(t -> errors(t) > 0).toList();
            case FAILED -> all.stream().filter(t -> t.spans().stream().anyMatch(x -> x.parentId() == null
                    && x.error())).toList();
            case SLOW_THRESHOLD -> all.stream().filter(t -> t.durationNs() >= c.minDurationNs()).toList();
            case REGION -> all.stream().filter(t -> t.startNs() >= c.fromNs() && t.startNs() < c.toNs()
                    && t.durationNs() >= c.minDurationNs() && t.durationNs() < c.maxDurationNs()).toList();
            case SLOW_PERCENTILE -> {
                // as the real service: per root operation, over all traces for operations with fewer than 20
                Map<String, List<Long>> byRoot = new HashMap<>();
                for (Trace t : all) {
                    byRoot.computeIfAbsent(t.root(), k -> new ArrayList<>()).add(t.durationNs());
                }
                double overall = quantile(all.stream().map(Trace::durationNs).toList(), c.percentile());
                Map<String, Double> threshold = new HashMap<>();
                byRoot.forEach((k, v) -> threshold.put(k, v.size() >= MIN_TRACES_PER_OPERATION
                        ? quantile(v, c.percentile()) : overall));
                yield all.stream().filter(t -> t.durationNs() > 0 && t.durationNs() >= threshold.get(t.root()))
                        .toList();
            }
            case FILTER -> all;
            // the fake workspace has no eval results (the real service refuses such a cohort the same way)
            case QUALITY -> throw new dev.tracebench.core.query.QueryRefusedException(
                    "The workspace holds no eval results");
        };
        return c.filter() == null ? out : out.stream().filter(filter(c.filter())).toList();
    }

    /** As CohortSql: below this many traces an operation's percentile is taken over all traces. */
    static final int MIN_TRACES_PER_OPERATION = 20;

    /**
     * The filters the fake understands: {@code column op value} clauses joined by AND, over the columns of
     * {@code traces} it can compute (with or without a {@code t.} prefix). Anything else is refused the way DuckDB
     * refuses it (unknown column: a Binder Error), or as unsupported by the fake.
     */
    private static Predicate<Trace> filter(String expression) {
        Predicate<Trace> p = t -> true;
        for (String clause : expression.replaceAll("^\\(+|\\)+$", "").split("(?i)\\)?\\s+AND\\s+\\(?")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "\\s*(?:t\\.)?([a-z_]+)\\s*(=|!=|<>|>=|<=|>|<)\\s*('([^']*)'|[0-9.]+)\\s*").matcher(clause);
            if (!m.matches()) {
                throw new IllegalArgumentException("Parser Error: syntax error at or near \"" + clause.strip() + "\"");
            }
            String col = m.group(1);
            String op = m.group(2);
            String str = m.group(4);
            String num = str == null ? m.group(3) : null;
            boolean known = FILTER_COLUMNS.stream().anyMatch(x -> x.startsWith(col + " "));
            if (!known) {
                throw new IllegalArgumentException("Binder Error: Referenced column \"" + col
                        + "\" not found in FROM clause!");
            }
            Predicate<Trace> q = t -> {
                int cmp;
                if (num != null) {
                    cmp = Double.compare(number(t, col), Double.parseDouble(num));
                } else {
                    String v = t.dimension(col);
                    cmp = v == null ? -1 : v.compareTo(str);
                }
                return switch (op) {
                    case "=" -> cmp == 0;
                    case "!=", "<>" -> cmp != 0;
                    case ">" -> cmp > 0;
                    case ">=" -> cmp >= 0;
                    case "<" -> cmp < 0;
                    default -> cmp <= 0;
                };
            };
            p = p.and(q);
        }
        return p;
    }

    /** A numeric column of {@code traces} for a fake trace. */
    private static double number(Trace t, String col) {
        if (col.endsWith("_ns") && !col.equals("start_ns") && !col.equals("duration_ns") && !col.equals("end_ns")
                && !col.equals("queue_ns") && !col.equals("ttft_ns")) {
            return t.stageNs(col.substring(0, col.length() - 3));
        }
        return switch (col) {
            case "duration_ns" -> t.durationNs();
            case "start_ns" -> t.startNs();
            case "end_ns" -> t.startNs() + t.durationNs();
            case "span_count" -> t.spans().size();
            case "error_count" -> errors(t);
            case "llm_calls" -> calls(t, "inference");
            case "tool_calls" -> calls(t, "tool");
            default -> throw new IllegalArgumentException("the fake analysis service cannot filter by " + col);
        };
    }

    static int errors(Trace t) {
        return (int) t.spans().stream().filter(FakeWorkspace.Span::error).count();
    }

    static int calls(Trace t, String stage) {
        return (int) t.spans().stream().filter(x -> stage.equals(x.stage())).count();
    }

    /** The {@code p}-th percentile with linear interpolation between ranks, as DuckDB's quantile_cont. */
    public static double quantile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return 0;
        }
        long[] v = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(v);
        double pos = p / 100.0 * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(v.length - 1, lo + 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }

    /** {@link #quantile} rounded, as the real service reads its results. */
    public static long percentile(List<Long> values, double p) {
        return Math.round(quantile(values, p));
    }

    // ------------------------------------------------------------------ breakdowns

    @Override
    public Breakdown breakdown(Cohort cohort, GroupBy groupBy) {
        enter("breakdown", cohort.kind() + "," + groupBy.label());
        long t0 = System.nanoTime();
        List<Trace> traces = select(cohort);
        List<Breakdown.Group> groups = new ArrayList<>();
        groups.add(group(null, traces));
        if (groupBy.dimension() != Dimension.NONE) {
            Map<String, List<Trace>> by = new LinkedHashMap<>();
            for (Trace t : traces) {
                by.computeIfAbsent(groupKey(t, groupBy), k -> new ArrayList<>()).add(t);
            }
            List<Map.Entry<String, List<Trace>>> entries = new ArrayList<>(by.entrySet());
            entries.sort((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()));
            List<Trace> other = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                if (i < Breakdown.MAX_GROUPS) {
                    groups.add(group(entries.get(i).getKey(), entries.get(i).getValue()));
                } else {
                    other.addAll(entries.get(i).getValue());
                }
            }
            if (!other.isEmpty()) {
                groups.add(group("(other)", other));
            }
        }
        // like the real service: only the whole cohort comes with its operations
        List<Breakdown.Group> lazy = new ArrayList<>();
        for (Breakdown.Group g : groups) {
            lazy.add(g.value() == null ? g : new Breakdown.Group(g.value(), g.traces(), g.p50Ns(), g.p95Ns(),
                    g.p99Ns(), g.totalNs(), g.stages(), List.of()));
        }
        return new Breakdown(cohort, groupBy, lazy, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Every group with its operations, as {@link #operations} gives them one group at a time. */
    public Breakdown fullBreakdown(Cohort cohort, GroupBy groupBy) {
        Breakdown b = breakdown(cohort, groupBy);
        for (Breakdown.Group g : b.groups()) {
            if (g.value() != null && !g.value().equals(Breakdown.OTHER)) {
                b = b.withOperations(g.value(), operationsOf(cohort, groupBy, g.value()));
            }
        }
        return b;
    }

    @Override
    public List<StageStat> operations(Cohort cohort, GroupBy groupBy, String value) {
        enter("operations", cohort.kind() + "," + groupBy.label() + "," + value);
        return operationsOf(cohort, groupBy, value);
    }

    private List<StageStat> operationsOf(Cohort cohort, GroupBy groupBy, String value) {
        List<Trace> traces = select(cohort);
        if (groupBy.dimension() != Dimension.NONE && value != null) {
            traces = traces.stream().filter(t -> value.equals(groupKey(t, groupBy))).toList();
        }
        return group(value, traces).operations();
    }

    private static Breakdown.Group group(String value, List<Trace> traces) {
        List<Long> durations = traces.stream().map(Trace::durationNs).toList();
        long total = durations.stream().mapToLong(Long::longValue).sum();
        Set<String> stages = new LinkedHashSet<>();
        Set<String> ops = new LinkedHashSet<>();
        for (Trace t : traces) {
            stages.addAll(t.path().byStage().keySet());
            ops.addAll(t.byOperation().keySet());
        }
        List<StageStat> stageStats = new ArrayList<>();
        for (String s : dev.tracebench.views.common.StageColors.sorted(stages)) {
            stageStats.add(stat(s, null, traces.stream().map(t -> t.stageNs(s)).toList(), total));
        }
        List<StageStat> opStats = new ArrayList<>();
        for (String key : ops) {
            String[] k = key.split("\\|", 2);
            opStats.add(stat(k[0], k[1], traces.stream().map(t -> t.byOperation().getOrDefault(key, 0L)).toList(),
                    total));
        }
        opStats.sort(Comparator.comparingLong(StageStat::totalNs).reversed());
        return new Breakdown.Group(value, traces.size(), percentile(durations, 50), percentile(durations, 95),
                percentile(durations, 99), total, stageStats, opStats);
    }

    /** As the real service: percentiles and mean over the traces with the stage on their critical path. */
    private static StageStat stat(String stage, String op, List<Long> values, long groupTotal) {
        List<Long> with = values.stream().filter(v -> v > 0).toList();
        long sum = with.stream().mapToLong(Long::longValue).sum();
        return new StageStat(stage, op, with.size(), percentile(with, 50), percentile(with, 90), percentile(with, 95),
                percentile(with, 99), with.isEmpty() ? 0 : (double) sum / with.size(), sum,
                groupTotal == 0 ? 0 : (double) sum / groupTotal);
    }

    @Override
    public Timeline timeline(Cohort cohort, int buckets) {
        enter("timeline", cohort.kind());
        List<Trace> traces = select(cohort);
        long from = ws.firstStartNs();
        long to = ws.lastEndNs();
        long bucketNs = Math.max(1, (to - from + buckets - 1) / buckets);
        List<List<Trace>> per = new ArrayList<>();
        for (int i = 0; i < buckets; i++) {
            per.add(new ArrayList<>());
        }
        Set<String> stages = new LinkedHashSet<>();
        for (Trace t : traces) {
            per.get((int) Math.min(buckets - 1, (t.startNs() - from) / bucketNs)).add(t);
            stages.addAll(t.path().byStage().keySet());
        }
        List<String> order = dev.tracebench.views.common.StageColors.sorted(stages);
        List<Timeline.Bucket> out = new ArrayList<>();
        for (int i = 0; i < buckets; i++) {
            List<Trace> b = per.get(i);
            if (b.isEmpty()) {
                continue;
            }
            List<Long> d = b.stream().map(Trace::durationNs).toList();
            Map<String, Double> means = new LinkedHashMap<>();
            for (String s : order) {
                means.put(s, b.stream().mapToLong(t -> t.stageNs(s)).sum() / (double) b.size());
            }
            out.add(new Timeline.Bucket(from + i * bucketNs, b.size(), percentile(d, 50), percentile(d, 95),
                    d.stream().mapToLong(Long::longValue).sum() / b.size(), means));
        }
        return new Timeline(cohort, bucketNs, out, order);
    }

    @Override
    public Heatmap heatmap(Cohort cohort, int timeBuckets, int durationBuckets) {
        enter("heatmap", cohort.kind());
        List<Trace> traces = select(cohort);
        long from = ws.firstStartNs();
        long to = ws.lastEndNs();
        long minD = ws.traces().stream().mapToLong(Trace::durationNs).min().orElse(1);
        long maxD = ws.traces().stream().mapToLong(Trace::durationNs).max().orElse(2) + 1;
        long[][] counts = new long[timeBuckets][durationBuckets];
        long max = 0;
        double lo = Math.log(minD);
        double hi = Math.log(maxD);
        for (Trace t : traces) {
            int ti = (int) Math.min(timeBuckets - 1, (t.startNs() - from) * (double) timeBuckets / (to - from));
            int di = (int) Math.min(durationBuckets - 1, Math.max(0, (Math.log(t.durationNs()) - lo) / (hi - lo)
                    * durationBuckets));
            max = Math.max(max, ++counts[ti][di]);
        }
        return new Heatmap(cohort, from, to, timeBuckets, minD, maxD, durationBuckets, counts, max);
    }

    @Override
    public Histogram histogram(Cohort cohort, String stage, int bins) {
        enter("histogram", cohort.kind() + "," + stage);
        List<Long> values = select(cohort).stream().map(t -> stage == null ? t.durationNs() : t.stageNs(stage))
                .toList();
        long zero = values.stream().filter(v -> v <= 0).count();
        List<Long> positive = values.stream().filter(v -> v > 0).toList();
        List<Histogram.Bin> out = new ArrayList<>();
        if (!positive.isEmpty()) {
            long min = Collections.min(positive);
            long max = Collections.max(positive) + 1;
            double lo = Math.log(min);
            double hi = Math.log(max);
            long[] counts = new long[bins];
            for (long v : positive) {
                counts[(int) Math.min(bins - 1, (Math.log(v) - lo) / (hi - lo) * bins)]++;
            }
            for (int i = 0; i < bins; i++) {
                out.add(new Histogram.Bin(Math.round(Math.exp(lo + (hi - lo) * i / bins)),
                        Math.round(Math.exp(lo + (hi - lo) * (i + 1) / bins)), counts[i]));
            }
        }
        return new Histogram(cohort, stage, out, zero, percentile(positive, 50), percentile(positive, 95));
    }

    @Override
    public long count(Cohort cohort) {
        enter("count", cohort.kind());
        return select(cohort).size();
    }

    // ------------------------------------------------------------------ findings

    /**
     * As the real service: the root-cause scorer over the cohort and the other traces (all of them: no sampling),
     * then the automated checks of at least notice severity.
     */
    @Override
    public List<Finding> explain(Cohort cohort, CheckSettings settings, CancellationToken cancel) {
        enter("explain", cohort.kind());
        pause(cancel);
        List<Trace> in = select(cohort);
        Set<TraceId> ids = new java.util.HashSet<>();
        in.forEach(t -> ids.add(t.id()));
        List<Trace> rest = ws.traces().stream().filter(t -> !ids.contains(t.id())).toList();
        TraceSample sample = new TraceSample(in.size(), rest.size(), in.size(), rest.size());
        int i = 0;
        for (List<Trace> side : List.of(in, rest)) {
            for (Trace t : side) {
                sample.trace(i, t.id(), t.durationNs(), stageVector(t), dimensions(t), facts(t));
                sample.spans(i++, rows(t));
            }
        }
        List<Finding> out = new ArrayList<>(RootCauseScorer.explain(cohort, sample, settings, traces -> {
            Map<TraceId, List<SpanRow>> rows = new HashMap<>();
            traces.forEach(id -> rows.put(id, rows(ws.trace(id))));
            return rows;
        }, cancel));
        for (Finding f : checks(settings)) {
            if (f.severity().compareTo(Severity.NOTICE) >= 0) {
                out.add(f);
            }
        }
        return out;
    }

    private static long[] stageVector(Trace t) {
        long[] v = new long[TraceAnalyzer.STAGES.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = t.stageNs(TraceAnalyzer.STAGES.get(k));
        }
        return v;
    }

    private static String[] dimensions(Trace t) {
        String[] d = new String[TraceSample.DIMENSIONS.size()];
        for (int k = 0; k < d.length; k++) {
            String v = t.dimension(TraceSample.DIMENSIONS.get(k));
            d[k] = "(none)".equals(v) ? null : v;
        }
        return d;
    }

    private static double[] facts(Trace t) {
        double[] f = new double[TraceSample.FACTS.size()];
        Arrays.fill(f, Double.NaN);
        f[TraceSample.FACTS.indexOf("llm_calls")] = calls(t, "inference");
        f[TraceSample.FACTS.indexOf("tool_calls")] = calls(t, "tool");
        f[TraceSample.FACTS.indexOf("error_count")] = errors(t);
        return f;
    }

    /**
     * A fake trace's spans as root cause reads them, with the attributes an instrumentation would have written: the
     * model asked for and served on model calls, the tenant on the root, the environment on the resource.
     */
    static List<SpanRow> rows(Trace t) {
        List<SpanRow> out = new ArrayList<>();
        boolean model = !"(none)".equals(t.model());
        for (FakeWorkspace.Span x : t.spans()) {
            List<Attribute> attrs = new ArrayList<>();
            boolean call = "inference".equals(x.stage()) && model;
            if (call) {
                attrs.add(Attribute.of("gen_ai.request.model", t.model()));
                attrs.add(Attribute.of("gen_ai.response.model", t.modelVersion()));
            }
            if (x.parentId() == null) {
                attrs.add(Attribute.of("app.tenant.id", t.tenant()));
                attrs.add(Attribute.of("http.route", t.route()));
            }
            out.add(new SpanRow(x.spanId(), x.parentId(), x.name(), x.stage(), x.service().hashCode(), attrs,
                    List.of(Attribute.of("deployment.environment", t.environment())), call ? t.model() : null,
                    call ? t.modelVersion() : null, null, null, x.error(), x.endNs() - x.startNs()));
        }
        return out;
    }

    @Override
    public List<Finding> automatedChecks(CheckSettings settings, CancellationToken cancel) {
        enter("automatedChecks", "");
        pause(cancel);
        return checks(settings);
    }

    /** The real rules over what the fake traces say (stage times, calls; they report no caches or queues). */
    private List<Finding> checks(CheckSettings settings) {
        List<Trace> all = ws.traces();
        Map<String, Long> stages = new LinkedHashMap<>();
        for (String st : TraceAnalyzer.STAGES) {
            stages.put(st, all.stream().mapToLong(t -> t.stageNs(st)).sum());
        }
        List<Finding> out = new ArrayList<>(CheckRules.DOMINANT_STAGE.evaluate(new DominantStageRule.StageTotals(
                all.stream().mapToLong(Trace::durationNs).sum(), stages), settings));
        java.util.TreeMap<Integer, Long> byCalls = new java.util.TreeMap<>();
        for (Trace t : all) {
            byCalls.merge(calls(t, "inference") + calls(t, "tool"), 1L, Long::sum);
        }
        List<LoopsRule.Counted> most = all.stream().sorted(Comparator.comparingInt((Trace t) -> -(calls(t,
                "inference") + calls(t, "tool")))).limit(3).map(t -> new LoopsRule.Counted(Finding.Exemplar.of(t.id()),
                calls(t, "inference") + calls(t, "tool"))).toList();
        out.addAll(CheckRules.LOOPS.evaluate(new LoopsRule.CallStats(all.size(), byCalls, most, 0, List::of),
                settings));
        out.sort(Comparator.comparing(Finding::severity).reversed());
        return out;
    }

    private void pause(CancellationToken cancel) {
        long until = System.currentTimeMillis() + explainDelayMillis;
        while (System.currentTimeMillis() < until) {
            cancel.throwIfCancelled();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException();
            }
        }
        cancel.throwIfCancelled();
    }

    // ------------------------------------------------------------------ single traces

    public static TraceSummary summary(Trace t) {
        int errors = (int) t.spans().stream().filter(FakeWorkspace.Span::error).count();
        int services = (int) t.spans().stream().map(FakeWorkspace.Span::service).distinct().count();
        return new TraceSummary(t.id(), t.path().rootSpanId(), t.root(), t.service(), t.startNs(), t.durationNs(),
                t.spans().size(), errors, services, 0, true, 1200, 300, 1500);
    }

    @Override
    public Optional<Comparison> compare(TraceId a, TraceId b) {
        enter("compare", a.hex().substring(0, 8) + "," + b.hex().substring(0, 8));
        Trace ta = ws.trace(a);
        Trace tb = ws.trace(b);
        if (ta == null || tb == null) {
            return Optional.empty();
        }
        List<Comparison.Delta> stages = new ArrayList<>();
        Set<String> st = new LinkedHashSet<>(ta.path().byStage().keySet());
        st.addAll(tb.path().byStage().keySet());
        for (String s : st) {
            stages.add(new Comparison.Delta(s, null, ta.stageNs(s), tb.stageNs(s), spansIn(ta, s, null),
                    spansIn(tb, s, null)));
        }
        List<Comparison.Delta> ops = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>(ta.byOperation().keySet());
        keys.addAll(tb.byOperation().keySet());
        for (String k : keys) {
            String[] p = k.split("\\|", 2);
            ops.add(new Comparison.Delta(p[0], p[1], ta.byOperation().getOrDefault(k, 0L), tb.byOperation()
                    .getOrDefault(k, 0L), spansIn(ta, p[0], p[1]), spansIn(tb, p[0], p[1])));
        }
        Comparator<Comparison.Delta> byAbs = Comparator.comparingLong(d -> -Math.abs(d.deltaNs()));
        stages.sort(byAbs);
        ops.sort(byAbs);
        return Optional.of(new Comparison(summary(ta), summary(tb), stages, ops));
    }

    private static int spansIn(Trace t, String stage, String op) {
        return (int) t.spans().stream().filter(s -> stage.equals(t.path().stageOf().get(s.spanId()))
                && (op == null || op.equals(s.name()))).count();
    }

    @Override
    public Optional<TraceId> typicalPeer(TraceId slow) {
        enter("typicalPeer", slow.hex().substring(0, 8));
        Trace t = ws.trace(slow);
        if (t == null) {
            return Optional.empty();
        }
        List<Trace> same = ws.traces().stream().filter(x -> x.root().equals(t.root()) && !x.id().equals(slow)
                && !x.error()).toList();
        long median = percentile(same.stream().map(Trace::durationNs).toList(), 50);
        return same.stream().min(Comparator.comparingLong(x -> Math.abs(x.durationNs() - median))).map(Trace::id);
    }

    @Override
    public Optional<CriticalPath> criticalPath(TraceId traceId) {
        enter("criticalPath", traceId.hex().substring(0, 8));
        Trace t = ws.trace(traceId);
        return t == null ? Optional.empty() : Optional.of(t.path());
    }

    @Override
    public List<String> dimensionValues(GroupBy groupBy, int limit) {
        enter("dimensionValues", groupBy.label());
        String col = groupBy.dimension() == Dimension.ATTRIBUTE ? groupBy.attributeKey()
                : groupBy.dimension().column();
        Map<String, Long> counts = new HashMap<>();
        for (Trace t : ws.traces()) {
            counts.merge(String.valueOf(t.dimension(col)), 1L, Long::sum);
        }
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(limit).map(Map.Entry::getKey).toList();
    }

    @Override
    public List<String> filterColumns() {
        enter("filterColumns", "");
        return FILTER_COLUMNS;
    }

    @Override
    public List<String> attributeKeys(int limit) {
        enter("attributeKeys", limit);
        return ATTRIBUTE_KEYS.subList(0, Math.min(limit, ATTRIBUTE_KEYS.size()));
    }
}
