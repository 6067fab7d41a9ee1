package dev.tracebench.views.testing;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.eval.EvalExample;
import dev.tracebench.core.eval.EvalResult;
import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.eval.EvalService;
import dev.tracebench.core.eval.MetricSummary;
import dev.tracebench.core.eval.QualityPoint;
import dev.tracebench.core.eval.RunComparison;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.CancelledException;
import dev.tracebench.core.task.ProgressListener;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EvalService} over synthetic eval runs judging the traces of a {@link FakeWorkspace}: every answer (metric
 * summaries, comparisons, quality over time) is computed from the examples, so the views' numbers can be checked
 * against them. Knobs for tests: calls held until released, and a record of the calls made.
 *
 * <p>The standard data: run 1 "ragas-baseline" (groundedness, relevance), run 2 "nightly-06-02" (promptfoo;
 * groundedness, relevance) and run 3 "evaluators 06-03" (built-in; groundedness, relevance, safety), each judging the
 * first {@link #EXAMPLES} traces. Example {@code i} is hallucinated in run 1 when {@code i % 6 == 0}, in run 2 when
 * {@code i % 5 == 0} and in run 3 when {@code i % 4 == 0}; relevance is {@code 0.5 + (i % 10) / 20} in every run but
 * run 3, where it is 0.1 lower (it passes at 0.5). Run 3's safety verdicts are on the trace's first span, the others
 * on the trace; example 3's answer leaks a key, which run 3's safety verdict fails. Run 3 also holds two results that
 * link to no trace.
 */
public final class FakeEvalService implements EvalService {
    public static final int EXAMPLES = 40;
    /** The claim a hallucinated answer adds, which no retrieved passage supports. */
    public static final String CLAIM = "The warranty also covers accidental damage for five years.";
    /** A credential some answers leak (it must never reach the screen unmasked). */
    public static final String LEAKED_KEY = "sk-live-4f9a8b7c6d5e4f3a2b1c0d9e";

    private final FakeWorkspace ws;
    private final int examplesPerRun;
    private final List<EvalRun> runs = new CopyOnWriteArrayList<>();
    private final Map<Long, List<EvalExample>> examples = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch hold;
    private volatile String failure;
    private long nextResultId = 1;

    /** No runs at all (the empty workspace). */
    public FakeEvalService(FakeWorkspace ws) {
        this(ws, EXAMPLES);
    }

    private FakeEvalService(FakeWorkspace ws, int examplesPerRun) {
        this.ws = ws;
        this.examplesPerRun = examplesPerRun;
    }

    /** The three standard runs. */
    public static FakeEvalService standard(FakeWorkspace ws) {
        return standard(ws, EXAMPLES);
    }

    /** The three standard runs, each judging the first {@code examplesPerRun} traces. */
    public static FakeEvalService standard(FakeWorkspace ws, int examplesPerRun) {
        FakeEvalService f = new FakeEvalService(ws, examplesPerRun);
        f.addStandardRuns();
        return f;
    }

    public void addStandardRuns() {
        add(1, "ragas-baseline", "ragas-csv", "ragas-baseline.csv", 6, 0.0, false);
        add(2, "nightly-06-02", "promptfoo-json", "promptfoo-out.json", 5, 0.0, false);
        add(3, "evaluators 06-03", "tracebench-evaluators", "", 4, 0.1, true);
    }

    /** Whether example {@code i} is hallucinated in the run whose period is {@code every}. */
    public static boolean hallucinated(int i, int every) {
        return i % every == 0;
    }

    public static double relevance(int i, double drop) {
        return 0.5 + (i % 10) / 20.0 - drop;
    }

    private void add(long runId, String name, String format, String file, int every, double drop, boolean safety) {
        String runName = name;
        List<EvalExample> list = new ArrayList<>();
        Instant created = Instant.ofEpochSecond(0, FakeWorkspace.T0).plusSeconds(86_400 * runId);
        for (int i = 0; i < examplesPerRun; i++) {
            FakeWorkspace.Trace t = ws.traces().get(i);
            boolean bad = hallucinated(i, every);
            String answer = "Your plan includes phone support and a two-year warranty." + (bad ? " " + CLAIM : "")
                    + (i == 3 ? " Use the key " + LEAKED_KEY + " to activate it." : "");
            List<EvalResult> verdicts = new ArrayList<>();
            verdicts.add(result(runId, runName, t.id(), 0, "groundedness", bad ? 0.2 : 0.95, bad ? "hallucinated"
                    : "grounded", !bad, 0.5, bad ? "1 of 2 claims is not supported by the retrieved passages: \""
                    + CLAIM + "\"" : "Every claim is supported by passage 1.", created));
            double rel = relevance(i, drop);
            verdicts.add(result(runId, runName, t.id(), 0, "relevance", rel, rel >= 0.5 ? "relevant" : "irrelevant",
                    null, 0.5, "Cosine similarity of question and answer " + String.format(java.util.Locale.ROOT,
                            "%.2f", rel) + ".", created));
            if (safety) {
                boolean pii = i == 3;
                verdicts.add(result(runId, runName, t.id(), t.spans().get(0).spanId(), "safety", pii ? 0.0 : 1.0, pii ? "pii" : "safe", !pii,
                        null, pii ? "An API key was found in the answer." : "No unsafe content.", created));
            }
            list.add(new EvalExample(t.id().hex(), t.id(), 0, "What does my plan " + i + " include?",
                    List.of("Plan " + i + ": phone support, two-year warranty.", "Accidental damage is not covered."),
                    answer, null, verdicts, bad ? List.of(CLAIM) : List.of()));
        }
        if (safety) {
            for (int u = 0; u < 2; u++) {
                EvalResult r = new EvalResult(nextResultId++, runId, runName, null, 0, null, null, "golden-" + u,
                        "groundedness", 0.9, "grounded", true, 0.5, "Supported.", null, null, null, null, created);
                list.add(new EvalExample("golden-" + u, null, 0, "Golden question " + u, List.of(), "An answer.",
                        "An answer.", List.of(r), List.of()));
            }
        }
        examples.put(runId, List.copyOf(list));
        long results = list.stream().mapToLong(e -> e.verdicts().size()).sum();
        long linked = list.stream().filter(e -> e.traceId() != null).mapToLong(e -> e.verdicts().size()).sum();
        List<String> evaluators = list.stream().flatMap(e -> e.verdicts().stream()).map(EvalResult::evaluator)
                .distinct().toList();
        runs.add(0, new EvalRun(runId, name, format, file, created, "{}", "1.0", (int) runId, results, linked,
                evaluators));
    }

    private EvalResult result(long runId, String runName, TraceId trace, long spanId, String evaluator,
            double score, String label, Boolean passed, Double threshold, String explanation, Instant at) {
        return new EvalResult(nextResultId++, runId, runName, trace, spanId, spanId == 0 ? "trace_id" : "span_id", null, null, evaluator, score,
                label, passed, threshold, explanation, null, null, null, null, at);
    }

    /** Every later call fails with this message (null: none does). */
    public FakeEvalService failWith(String message) {
        failure = message;
        return this;
    }

    /** Holds every call until {@link #release}. */
    public FakeEvalService hold() {
        hold = new CountDownLatch(1);
        return this;
    }

    public void release() {
        CountDownLatch h = hold;
        if (h != null) {
            h.countDown();
        }
    }

    /** The calls made, e.g. "runs", "metrics 3", "examples 3 groundedness", "compare 2 3". */
    public List<String> log() {
        return log;
    }

    private void call(String what) {
        log.add(what);
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        CountDownLatch h = hold;
        if (h != null) {
            try {
                if (!h.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("held call never released: " + what);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException();
            }
        }
    }

    /** The examples of a run as stored (for tests computing expectations). */
    public List<EvalExample> allExamples(long runId) {
        return examples.getOrDefault(runId, List.of());
    }

    @Override
    public List<EvalRun> runs() {
        call("runs");
        return List.copyOf(runs);
    }

    @Override
    public Optional<EvalRun> run(String idOrName) {
        call("run " + idOrName);
        return runs.stream().filter(r -> Long.toString(r.id()).equals(idOrName) || r.name().equals(idOrName))
                .findFirst();
    }

    @Override
    public List<MetricSummary> metrics(long runId, int bins) {
        call("metrics " + runId);
        Map<String, List<EvalResult>> by = new LinkedHashMap<>();
        for (EvalExample e : allExamples(runId)) {
            for (EvalResult r : e.verdicts()) {
                by.computeIfAbsent(r.evaluator(), k -> new ArrayList<>()).add(r);
            }
        }
        List<MetricSummary> out = new ArrayList<>();
        by.forEach((name, rs) -> out.add(summary(name, rs, bins)));
        return out;
    }

    static MetricSummary summary(String name, List<EvalResult> rs, int bins) {
        long passed = rs.stream().filter(r -> Boolean.TRUE.equals(r.verdict())).count();
        long failed = rs.stream().filter(r -> Boolean.FALSE.equals(r.verdict())).count();
        double[] scores = rs.stream().filter(r -> r.score() != null).mapToDouble(EvalResult::score).toArray();
        double min = java.util.Arrays.stream(scores).min().orElse(0);
        double max = java.util.Arrays.stream(scores).max().orElse(0);
        long[] hist = new long[bins];
        for (double s : scores) {
            int b = max == min ? 0 : (int) Math.min(bins - 1, Math.floor((s - min) / (max - min) * bins));
            hist[b]++;
        }
        Map<String, Long> labels = new LinkedHashMap<>();
        rs.stream().filter(r -> r.label() != null).collect(java.util.stream.Collectors.groupingBy(EvalResult::label,
                java.util.stream.Collectors.counting())).entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> labels.put(e.getKey(), e.getValue()));
        return new MetricSummary(name, rs.size(), passed, failed, scores.length == 0 ? null
                : java.util.Arrays.stream(scores).average().orElse(0), min, max,
                java.util.Arrays.stream(hist).boxed().toList(), labels);
    }

    @Override
    public List<EvalExample> examples(long runId, String evaluator, boolean failingFirst, int offset, int limit) {
        call("examples " + runId + " " + evaluator);
        List<EvalExample> list = new ArrayList<>(allExamples(runId).stream()
                .filter(e -> evaluator == null || e.verdicts().stream().anyMatch(r -> r.evaluator().equals(evaluator)))
                .toList());
        if (failingFirst) {
            list.sort(Comparator.comparing((EvalExample e) -> e.verdicts().stream()
                    .noneMatch(r -> Boolean.FALSE.equals(r.verdict()))));
        }
        return list.subList(Math.min(offset, list.size()), Math.min(list.size(), offset + limit));
    }

    @Override
    public List<QualityPoint> overTime(String evaluator, int buckets) {
        call("overTime " + evaluator);
        List<EvalResult> rs = new ArrayList<>();
        for (EvalRun run : runs) {
            for (EvalExample e : allExamples(run.id())) {
                e.verdicts().stream().filter(r -> r.linked() && (evaluator == null || r.evaluator().equals(evaluator)))
                        .forEach(rs::add);
            }
        }
        if (rs.isEmpty()) {
            return List.of();
        }
        long from = rs.stream().mapToLong(r -> ws.trace(r.traceId()).startNs()).min().orElseThrow();
        long to = rs.stream().mapToLong(r -> ws.trace(r.traceId()).startNs()).max().orElseThrow() + 1;
        long step = Math.max(1, (to - from + buckets - 1) / buckets);
        List<QualityPoint> out = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            long lo = from + b * step;
            long hi = lo + step;
            List<EvalResult> in = rs.stream().filter(r -> {
                long s = ws.trace(r.traceId()).startNs();
                return s >= lo && s < hi;
            }).toList();
            if (!in.isEmpty()) {
                MetricSummary m = summary(evaluator, in, 1);
                out.add(new QualityPoint(evaluator, lo, hi, in.size(), m.passRate(), m.mean()));
            }
        }
        return out;
    }

    @Override
    public RunComparison compare(long runA, long runB, CancellationToken cancel) {
        call("compare " + runA + " " + runB);
        cancel.throwIfCancelled();
        EvalRun a = runs.stream().filter(r -> r.id() == runA).findFirst().orElseThrow();
        EvalRun b = runs.stream().filter(r -> r.id() == runB).findFirst().orElseThrow();
        Map<String, EvalResult> inA = byKey(runA);
        Map<String, EvalResult> inB = byKey(runB);
        List<RunComparison.MetricDelta> deltas = new ArrayList<>();
        List<RunComparison.ExampleChange> regressed = new ArrayList<>();
        List<RunComparison.ExampleChange> fixed = new ArrayList<>();
        for (String metric : a.evaluators()) {
            List<double[]> pairs = new ArrayList<>();
            long passA = 0;
            long passB = 0;
            for (Map.Entry<String, EvalResult> e : inA.entrySet()) {
                if (!e.getKey().endsWith("|" + metric) || !inB.containsKey(e.getKey())) {
                    continue;
                }
                EvalResult ra = e.getValue();
                EvalResult rb = inB.get(e.getKey());
                pairs.add(new double[] {ra.score(), rb.score()});
                passA += Boolean.TRUE.equals(ra.verdict()) ? 1 : 0;
                passB += Boolean.TRUE.equals(rb.verdict()) ? 1 : 0;
                String key = e.getKey().substring(0, e.getKey().lastIndexOf('|'));
                RunComparison.ExampleChange c = new RunComparison.ExampleChange(key, ra.traceId(), rb.traceId(),
                        metric, ra.score(), rb.score(), ra.label(), rb.label());
                if (Boolean.TRUE.equals(ra.verdict()) && Boolean.FALSE.equals(rb.verdict())) {
                    regressed.add(c);
                } else if (Boolean.FALSE.equals(ra.verdict()) && Boolean.TRUE.equals(rb.verdict())) {
                    fixed.add(c);
                }
            }
            if (pairs.isEmpty()) {
                continue;
            }
            int n = pairs.size();
            double meanA = pairs.stream().mapToDouble(p -> p[0]).average().orElse(0);
            double meanB = pairs.stream().mapToDouble(p -> p[1]).average().orElse(0);
            double d = meanB - meanA;
            double var = pairs.stream().mapToDouble(p -> Math.pow(p[1] - p[0] - d, 2)).sum() / Math.max(1, n - 1);
            double half = 1.96 * Math.sqrt(var / n);
            deltas.add(new RunComparison.MetricDelta(metric, n, meanA, meanB, (double) passA / n, (double) passB / n,
                    d, d - half, d + half));
        }
        return new RunComparison(a, b, deltas, regressed, fixed);
    }

    private Map<String, EvalResult> byKey(long run) {
        Map<String, EvalResult> m = new LinkedHashMap<>();
        for (EvalExample e : allExamples(run)) {
            for (EvalResult r : e.verdicts()) {
                m.put(e.key() + "|" + r.evaluator(), r);
            }
        }
        return m;
    }

    @Override
    public List<EvalResult> resultsForTrace(TraceId traceId) {
        call("resultsForTrace " + traceId.hex());
        List<EvalResult> out = new ArrayList<>();
        for (EvalRun run : runs) {
            for (EvalExample e : allExamples(run.id())) {
                e.verdicts().stream().filter(r -> traceId.equals(r.traceId())).forEach(out::add);
            }
        }
        return out;
    }

    @Override
    public List<String> evaluators() {
        call("evaluators");
        return runs.stream().flatMap(r -> r.evaluators().stream()).distinct().sorted().toList();
    }

    @Override
    public List<TraceEvalInput> inputs(Cohort cohort, int limit, CancellationToken cancel) {
        throw new UnsupportedOperationException("the views read no evaluator inputs: the run port does");
    }

    @Override
    public EvalRun store(EvalRunData run, List<EvalResultData> results, ProgressListener progress,
            CancellationToken cancel) {
        throw new UnsupportedOperationException("the views store no runs: the run port does");
    }
}
