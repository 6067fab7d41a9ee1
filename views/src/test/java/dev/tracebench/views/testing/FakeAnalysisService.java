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
    public static final List<String> FILTER_COLUMNS = List.of("trace_id UUID", "service_name VARCHAR",
            "root_name VARCHAR", "route VARCHAR", "model VARCHAR", "model_version VARCHAR", "prompt_version VARCHAR",
            "tenant VARCHAR", "environment VARCHAR", "start_ns BIGINT", "duration_ns BIGINT", "duration_ms DOUBLE",
            "span_count INTEGER", "error_count INTEGER");
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
        return switch (c.kind()) {
            case ALL -> all;
            case ERRORS -> all.stream().filter(Trace::error).toList();
            case SLOW_THRESHOLD -> all.stream().filter(t -> t.durationNs() >= c.minDurationNs()).toList();
            case REGION -> all.stream().filter(t -> t.startNs() >= c.fromNs() && t.startNs() < c.toNs()
                    && t.durationNs() >= c.minDurationNs() && t.durationNs() < c.maxDurationNs()).toList();
            case SLOW_PERCENTILE -> {
                Map<String, List<Long>> byRoot = new HashMap<>();
                for (Trace t : all) {
                    byRoot.computeIfAbsent(t.root(), k -> new ArrayList<>()).add(t.durationNs());
                }
                Map<String, Long> threshold = new HashMap<>();
                byRoot.forEach((k, v) -> threshold.put(k, percentile(v, c.percentile())));
                yield all.stream().filter(t -> t.durationNs() >= threshold.get(t.root())).toList();
            }
            case FILTER -> all.stream().filter(filter(c.filter())).toList();
        };
    }

    private static Predicate<Trace> filter(String expression) {
        Predicate<Trace> p = t -> true;
        for (String clause : expression.split("(?i)\\s+AND\\s+")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "\\s*([a-z_]+)\\s*(=|!=|<>|>=|<=|>|<)\\s*('([^']*)'|[0-9.]+)\\s*").matcher(clause);
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
                    double v = switch (col) {
                        case "duration_ms" -> t.durationNs() / 1e6;
                        case "duration_ns" -> t.durationNs();
                        case "start_ns" -> t.startNs();
                        case "span_count" -> t.spans().size();
                        case "error_count" -> t.spans().stream().filter(FakeWorkspace.Span::error).count();
                        default -> Double.NaN;
                    };
                    cmp = Double.compare(v, Double.parseDouble(num));
                } else {
                    String v = col.equals("environment") ? t.environment() : t.dimension(col);
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

    /** Nearest-rank percentile. */
    public static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return 0;
        }
        long[] v = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(v);
        int i = (int) Math.ceil(p / 100.0 * v.length) - 1;
        return v[Math.max(0, Math.min(v.length - 1, i))];
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

    @Override
    public List<Finding> explain(Cohort cohort, CheckSettings settings, CancellationToken cancel) {
        enter("explain", cohort.kind());
        pause(cancel);
        List<Trace> in = select(cohort);
        Set<TraceId> ids = new java.util.HashSet<>();
        in.forEach(t -> ids.add(t.id()));
        List<Trace> rest = ws.traces().stream().filter(t -> !ids.contains(t.id())).toList();
        List<Finding> out = new ArrayList<>();
        if (in.isEmpty()) {
            return out;
        }
        // stages: a share of the cohort spent more than the others' p90 in the stage
        for (String stage : List.of("retrieval", "inference", "tool", "rerank", "guardrail")) {
            List<Long> restValues = rest.stream().map(t -> t.stageNs(stage)).toList();
            long thr = Math.max(1_000_000L, percentile(restValues, 90));
            out.add(candidate(cohort, in, rest, t -> t.stageNs(stage) > thr, "spent > " + Durations.format(thr)
                    + " in " + stage, Map.of("stage", stage, "threshold_ns", Long.toString(thr)), settings,
                    "The " + stage + " stage, read along each request's critical path, is longer than the other "
                    + "requests' 90th percentile in far more of the cohort. Look at the exemplars' " + stage
                    + " spans: what they wait on, which shard or index they hit."));
        }
        for (String col : List.of("tenant", "model_version", "prompt_version", "service_name")) {
            Map<String, Long> counts = new HashMap<>();
            for (Trace t : in) {
                counts.merge(t.dimension(col), 1L, Long::sum);
            }
            for (String v : counts.keySet()) {
                out.add(candidate(cohort, in, rest, t -> v.equals(t.dimension(col)), "have " + col + " = " + v,
                        Map.of("attribute", col, "value", v), settings, "Requests with " + col + " = " + v
                        + " are over-represented in the cohort. Compare an exemplar with a typical request of the "
                        + "same operation to see where the time goes."));
            }
        }
        out.removeIf(f -> f == null);
        out.sort(Comparator.comparingDouble((Finding f) -> f.evidence().score()).reversed());
        List<Finding> top = new ArrayList<>(out.subList(0, Math.min(6, out.size())));
        top.addAll(checks(in, settings, "of " + cohort.label()));
        return top;
    }

    private Finding candidate(Cohort cohort, List<Trace> in, List<Trace> rest, Predicate<Trace> p, String what,
            Map<String, String> facts, CheckSettings s, String explanation) {
        long a = in.stream().filter(p).count();
        long b = rest.stream().filter(p).count();
        double sa = (double) a / in.size();
        double sb = rest.isEmpty() ? 0 : (double) b / rest.size();
        if (sa < s.minSupport() || sa - sb < s.minDifference()) {
            return null;
        }
        double diff = sa - sb;
        Severity sev = diff > 0.5 ? Severity.CRITICAL : diff > 0.3 ? Severity.WARNING : diff > 0.15
                ? Severity.NOTICE : Severity.INFO;
        List<TraceId> ex = in.stream().filter(p).sorted(Comparator.comparingLong(Trace::durationNs).reversed())
                .limit(5).map(Trace::id).toList();
        String summary = String.format(Locale.ROOT, "%.0f%% of %s %s (vs %.0f%% of the others)", sa * 100,
                cohort.label(), what, sb * 100);
        return new Finding(sev, "root-cause", summary, explanation, new Finding.Evidence(in.size(), a, rest.size(), b,
                diff, 0.999, facts), ex);
    }

    @Override
    public List<Finding> automatedChecks(CheckSettings settings, CancellationToken cancel) {
        enter("automatedChecks", "");
        pause(cancel);
        return checks(ws.traces(), settings, "in the workspace");
    }

    private List<Finding> checks(List<Trace> traces, CheckSettings s, String where) {
        List<Finding> out = new ArrayList<>();
        Map<String, List<Trace>> bySvc = new LinkedHashMap<>();
        for (Trace t : traces) {
            bySvc.computeIfAbsent(t.service(), k -> new ArrayList<>()).add(t);
        }
        for (Map.Entry<String, List<Trace>> e : bySvc.entrySet()) {
            Breakdown.Group g = group(e.getKey(), e.getValue());
            for (StageStat st : g.stages()) {
                if (st.share() >= s.dominantStageShare()) {
                    out.add(new Finding(Severity.WARNING, "dominant-stage", String.format(Locale.ROOT,
                            "%s is %.0f%% of the critical-path time of %s %s", st.stage(), st.share() * 100,
                            e.getKey(), where), "One stage dominating a service's request time makes it the first "
                            + "place to look for savings (a faster model, caching, streaming).",
                            new Finding.Evidence(g.traces(), st.traces(), 0, 0, st.share(), 0,
                                    Map.of("stage", st.stage(), "service", e.getKey(), "share",
                                            String.format(Locale.ROOT, "%.3f", st.share()))),
                            e.getValue().stream().sorted(Comparator.comparingLong(Trace::durationNs).reversed())
                                    .limit(3).map(Trace::id).toList()));
                }
            }
        }
        List<Trace> loops = traces.stream().filter(t -> t.spans().stream().filter(x -> "inference".equals(x.stage())
                || "tool".equals(x.stage())).count() >= s.loopCalls()).toList();
        if (!loops.isEmpty()) {
            out.add(new Finding(Severity.NOTICE, "agent-loop", loops.size() + " requests " + where + " made at least "
                    + s.loopCalls() + " model or tool calls", "Agents that loop many times are slow and costly; "
                    + "check the exemplars' tool results and stopping conditions.", new Finding.Evidence(traces
                    .size(), loops.size(), 0, 0, loops.size() / (double) traces.size(), 0, Map.of("min_calls",
                    Integer.toString(s.loopCalls()))), loops.stream().limit(5).map(Trace::id).toList()));
        }
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
