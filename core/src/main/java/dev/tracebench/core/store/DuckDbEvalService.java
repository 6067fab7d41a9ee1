package dev.tracebench.core.store;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.eval.EvalExample;
import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.EvalResult;
import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.eval.EvalService;
import dev.tracebench.core.eval.MetricSummary;
import dev.tracebench.core.eval.QualityPoint;
import dev.tracebench.core.eval.RunComparison;
import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.json.JsonTree;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.normalize.ContentExtractor;
import dev.tracebench.core.normalize.LlmContent;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.CancelledException;
import dev.tracebench.core.task.ProgressListener;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * {@link EvalService} over a DuckDB workspace. Counting and grouping run in SQL ({@code query/eval_*.sql}); the
 * bootstrap of run comparisons and the texts read from traces' spans ({@link ContentExtractor}) in Java.
 */
final class DuckDbEvalService implements EvalService {
    /** Resamples of the bootstrap interval of a run comparison. */
    static final int RESAMPLES = 2_000;
    /** Seed of the bootstrap: the same runs give the same interval every time. */
    static final long SEED = 0x7B5EEDL;
    /**
     * A metric without pass/fail counts an example as regressed (or fixed) when its score moved by more than this
     * share of the metric's score range in the two runs: smaller moves are the judge's noise.
     */
    static final double SCORE_CHANGE = 0.05;

    private final Workspace ws;

    DuckDbEvalService(Workspace ws) {
        this.ws = ws;
    }

    // ------------------------------------------------------------------ runs

    @Override
    public List<EvalRun> runs() {
        return ws.read(c -> {
            List<EvalRun> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(Query.EVAL_RUNS.sql())) {
                while (rs.next()) {
                    out.add(new EvalRun(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            instant(rs.getObject(5)), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getLong(9),
                            rs.getLong(10), strings(rs.getArray(11))));
                }
            }
            return out;
        });
    }

    /** By id; else by exact name (the newest of that name); else by a prefix of the name that only one run has. */
    @Override
    public Optional<EvalRun> run(String idOrName) {
        String key = idOrName.strip();
        List<EvalRun> all = runs();
        if (key.matches("\\d{1,18}")) {
            long id = Long.parseLong(key);
            for (EvalRun r : all) {
                if (r.id() == id) {
                    return Optional.of(r);
                }
            }
        }
        for (EvalRun r : all) {
            if (r.name().equals(key)) {
                return Optional.of(r);
            }
        }
        List<EvalRun> prefixed = all.stream().filter(r -> r.name().startsWith(key)).toList();
        return prefixed.size() == 1 ? Optional.of(prefixed.get(0)) : Optional.empty();
    }

    // ------------------------------------------------------------------ metrics

    @Override
    public List<MetricSummary> metrics(long runId, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1: " + bins);
        }
        return ws.read(c -> {
            Map<String, long[]> histograms = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(Query.EVAL_HISTOGRAM.sql())) {
                ps.setLong(1, runId);
                ps.setInt(2, bins);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        histograms.computeIfAbsent(rs.getString(1), k -> new long[bins])[rs.getInt(2)] = rs.getLong(3);
                    }
                }
            }
            Map<String, Map<String, Long>> labels = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(Query.EVAL_LABELS.sql())) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        labels.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2),
                                rs.getLong(3));
                    }
                }
            }
            List<MetricSummary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(Query.EVAL_METRICS.sql())) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String evaluator = rs.getString(1);
                        long[] h = histograms.getOrDefault(evaluator, new long[bins]);
                        out.add(new MetricSummary(evaluator, rs.getLong(2), rs.getLong(3), rs.getLong(4),
                                nullableDouble(rs, 5), orZero(rs, 6), orZero(rs, 7),
                                Arrays.stream(h).boxed().toList(), labels.getOrDefault(evaluator, Map.of())));
                    }
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ examples

    @Override
    public List<EvalExample> examples(long runId, String evaluator, boolean failingFirst, int offset, int limit) {
        List<String> keys = ws.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(Query.EVAL_EXAMPLE_KEYS.sql())) {
                ps.setLong(1, runId);
                if (evaluator == null) {
                    ps.setNull(2, Types.VARCHAR);
                } else {
                    ps.setString(2, evaluator);
                }
                ps.setBoolean(3, failingFirst);
                ps.setInt(4, limit);
                ps.setInt(5, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
        if (keys.isEmpty()) {
            return List.of();
        }
        Map<String, List<Row>> byKey = new LinkedHashMap<>();
        for (String k : keys) {
            byKey.put(k, new ArrayList<>());
        }
        ws.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(Query.EVAL_RESULT_ROWS.sql()
                    + " WHERE e.run_id = ? AND example_key IN (SELECT unnest(?)) ORDER BY e.seq")) {
                ps.setLong(1, runId);
                ps.setArray(2, c.createArrayOf("VARCHAR", keys.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Row row = row(rs);
                        byKey.get(row.key).add(row);
                    }
                }
            }
            return null;
        });
        List<TraceId> traces = new ArrayList<>();
        for (List<Row> rows : byKey.values()) {
            rows.stream().map(r -> r.result.traceId()).filter(java.util.Objects::nonNull).findFirst()
                    .ifPresent(traces::add);
        }
        Map<TraceId, List<ContentSpan>> spans = contentSpans(traces);
        List<EvalExample> out = new ArrayList<>(keys.size());
        for (Map.Entry<String, List<Row>> e : byKey.entrySet()) {
            out.add(example(e.getKey(), e.getValue(), spans));
        }
        return out;
    }

    /** One example: texts from its results where the source gave them, the rest from the linked trace's spans. */
    private static EvalExample example(String key, List<Row> rows, Map<TraceId, List<ContentSpan>> spans) {
        String question = null;
        String answer = null;
        String expected = null;
        List<String> contexts = List.of();
        TraceId trace = null;
        long span = 0;
        LinkedHashSet<String> unsupported = new LinkedHashSet<>();
        List<EvalResult> verdicts = new ArrayList<>(rows.size());
        for (Row r : rows) {
            verdicts.add(r.result);
            question = question != null ? question : r.input;
            answer = answer != null ? answer : r.output;
            expected = expected != null ? expected : r.expected;
            contexts = contexts.isEmpty() ? r.contexts : contexts;
            trace = trace != null ? trace : r.result.traceId();
            span = span != 0 ? span : r.result.spanId();
            unsupported.addAll(unsupportedClaims(r.metadata));
        }
        if (trace != null && (question == null || answer == null || contexts.isEmpty())) {
            TraceTexts t = TraceTexts.of(spans.getOrDefault(trace, List.of()), span);
            question = question != null ? question : t.question();
            answer = answer != null ? answer : t.answer();
            contexts = contexts.isEmpty() ? t.contexts() : contexts;
            span = span != 0 ? span : t.spanId();
        }
        return new EvalExample(key, trace, span, question, contexts, answer, expected, verdicts,
                List.copyOf(unsupported));
    }

    /** A span as far as its texts go: its attributes and events, in start order within its trace. */
    record ContentSpan(long spanId, long startNs, long endNs, List<dev.tracebench.core.model.Attribute> attributes,
            List<dev.tracebench.core.model.SpanEventData> events) {
    }

    /** The spans of {@code traces} that have attributes, with their events; two queries for all of them. */
    private Map<TraceId, List<ContentSpan>> contentSpans(List<TraceId> traces) {
        if (traces.isEmpty()) {
            return Map.of();
        }
        Object[] ids = traces.stream().map(t -> t.uuid().toString()).toArray();
        return ws.read(c -> {
            Map<TraceId, Map<Long, List<dev.tracebench.core.model.SpanEventData>>> events = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(Query.EVAL_TRACE_EVENTS.sql())) {
                ps.setArray(1, c.createArrayOf("VARCHAR", ids));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.computeIfAbsent(trace(rs.getObject(1)), k -> new HashMap<>())
                                .computeIfAbsent(rs.getLong(2), k -> new ArrayList<>())
                                .add(new dev.tracebench.core.model.SpanEventData(rs.getLong(3), rs.getString(4),
                                        dev.tracebench.core.json.AttributeJson.decode(rs.getString(5)),
                                        rs.getInt(6)));
                    }
                }
            }
            Map<TraceId, List<ContentSpan>> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(Query.EVAL_TRACE_SPANS.sql())) {
                ps.setArray(1, c.createArrayOf("VARCHAR", ids));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        TraceId t = trace(rs.getObject(1));
                        long id = rs.getLong(2);
                        out.computeIfAbsent(t, k -> new ArrayList<>()).add(new ContentSpan(id, rs.getLong(3),
                                rs.getLong(4), dev.tracebench.core.json.AttributeJson.decode(rs.getString(5)),
                                events.getOrDefault(t, Map.of()).getOrDefault(id, List.of())));
                    }
                }
            }
            return out;
        });
    }

    /**
     * The claims a verdict calls unsupported, when the source's metadata lists them ({@code unsupported_claims} or
     * {@code unsupported}: a list of strings).
     */
    static List<String> unsupportedClaims(String metadataJson) {
        if (metadataJson == null || metadataJson.isBlank()) {
            return List.of();
        }
        Object parsed;
        try {
            parsed = JsonTree.parse(metadataJson);
        } catch (RuntimeException e) {
            return List.of(); // metadata that is not JSON says nothing about claims
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            return List.of();
        }
        Object claims = m.containsKey("unsupported_claims") ? m.get("unsupported_claims") : m.get("unsupported");
        List<String> out = new ArrayList<>();
        if (claims instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s && !s.isBlank()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** What a trace says for an eval: the judged model call, its question and answer, and what the trace retrieved. */
    record TraceTexts(long spanId, String question, List<String> contexts, String answer) {

        /**
         * The model call is {@code preferredSpan} if it answered, else the last span to end that has an answer; the
         * contexts are the retrieved documents of every span of the trace, in the order they started, each once.
         */
        static TraceTexts of(List<ContentSpan> spansInStartOrder, long preferredSpan) {
            LinkedHashSet<String> contexts = new LinkedHashSet<>();
            ContentSpan call = null;
            LlmContent callContent = null;
            for (ContentSpan s : spansInStartOrder) {
                LlmContent content = ContentExtractor.extract(s.attributes(), s.events());
                for (LlmContent.Document d : content.documents()) {
                    if (d.content() != null && !d.content().isBlank()) {
                        contexts.add(d.content());
                    }
                }
                boolean keepPreferred = call != null && call.spanId() == preferredSpan;
                if (content.answer() != null && !keepPreferred
                        && (call == null || s.spanId() == preferredSpan || s.endNs() >= call.endNs())) {
                    call = s;
                    callContent = content;
                }
            }
            return call == null ? new TraceTexts(0, null, List.copyOf(contexts), null)
                    : new TraceTexts(call.spanId(), callContent.question(), List.copyOf(contexts),
                            callContent.answer());
        }
    }

    // ------------------------------------------------------------------ over time

    @Override
    public List<QualityPoint> overTime(String evaluator, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be at least 1: " + buckets);
        }
        return ws.read(c -> {
            Map<Integer, QualityPoint> filled = new HashMap<>();
            long lo = 0;
            long hi = 0;
            try (PreparedStatement ps = c.prepareStatement(Query.EVAL_OVER_TIME.sql())) {
                if (evaluator == null) {
                    ps.setNull(1, Types.VARCHAR);
                } else {
                    ps.setString(1, evaluator);
                }
                ps.setInt(2, buckets);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int b = rs.getInt(1);
                        lo = rs.getLong(2);
                        hi = rs.getLong(3);
                        filled.put(b, new QualityPoint(evaluator, bound(lo, hi, b, buckets),
                                bound(lo, hi, b + 1, buckets), rs.getLong(4), nullableDouble(rs, 5),
                                nullableDouble(rs, 6)));
                    }
                }
            }
            if (filled.isEmpty()) {
                return List.of();
            }
            List<QualityPoint> out = new ArrayList<>(buckets);
            for (int b = 0; b < buckets; b++) {
                QualityPoint p = filled.get(b);
                out.add(p != null ? p : new QualityPoint(evaluator, bound(lo, hi, b, buckets),
                        bound(lo, hi, b + 1, buckets), 0, null, null));
            }
            return out;
        });
    }

    /** The start of bucket {@code b} of {@code n} equal buckets over [lo, hi). */
    private static long bound(long lo, long hi, int b, int n) {
        return b >= n ? hi : lo + (long) ((hi - lo) / (double) n * b);
    }

    // ------------------------------------------------------------------ compare

    @Override
    public RunComparison compare(long runA, long runB, CancellationToken cancel) {
        EvalRun a = run(String.valueOf(runA)).orElseThrow(() -> new IllegalArgumentException("no eval run " + runA));
        EvalRun b = run(String.valueOf(runB)).orElseThrow(() -> new IllegalArgumentException("no eval run " + runB));
        Map<String, Map<String, Scored>> sa = scores(runA);
        cancel.throwIfCancelled();
        Map<String, Map<String, Scored>> sb = scores(runB);
        List<RunComparison.MetricDelta> metrics = new ArrayList<>();
        List<RunComparison.ExampleChange> regressed = new ArrayList<>();
        List<RunComparison.ExampleChange> fixed = new ArrayList<>();
        List<String> evaluators = new ArrayList<>(new java.util.TreeSet<>(sa.keySet()));
        evaluators.retainAll(sb.keySet());
        for (String ev : evaluators) {
            cancel.throwIfCancelled();
            Map<String, Scored> ma = sa.get(ev);
            Map<String, Scored> mb = sb.get(ev);
            List<double[]> pairedScores = new ArrayList<>();
            long paired = 0;
            long verdicts = 0;
            long passA = 0;
            long passB = 0;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            List<String> both = new ArrayList<>();
            for (Map.Entry<String, Scored> e : ma.entrySet()) {
                Scored x = e.getValue();
                Scored y = mb.get(e.getKey());
                if (y == null) {
                    continue;
                }
                paired++;
                if (x.score != null && y.score != null) {
                    pairedScores.add(new double[] {x.score, y.score});
                    lo = Math.min(lo, Math.min(x.score, y.score));
                    hi = Math.max(hi, Math.max(x.score, y.score));
                }
                if (x.verdict != null && y.verdict != null) {
                    verdicts++;
                    passA += x.verdict ? 1 : 0;
                    passB += y.verdict ? 1 : 0;
                }
                both.add(e.getKey());
            }
            double meanA = Double.NaN;
            double meanB = Double.NaN;
            double[] ci = {Double.NaN, Double.NaN};
            if (!pairedScores.isEmpty()) {
                double[] diffs = new double[pairedScores.size()];
                double sumA = 0;
                double sumB = 0;
                for (int i = 0; i < diffs.length; i++) {
                    sumA += pairedScores.get(i)[0];
                    sumB += pairedScores.get(i)[1];
                    diffs[i] = pairedScores.get(i)[1] - pairedScores.get(i)[0];
                }
                meanA = sumA / diffs.length;
                meanB = sumB / diffs.length;
                // the pairs come in no fixed order: sorted, the same runs give the same interval every time
                java.util.Arrays.sort(diffs);
                ci = bootstrapInterval(diffs, RESAMPLES, SEED, cancel);
            }
            metrics.add(new RunComparison.MetricDelta(ev, paired, Double.isNaN(meanA) ? null : meanA,
                    Double.isNaN(meanB) ? null : meanB, verdicts == 0 ? null : (double) passA / verdicts,
                    verdicts == 0 ? null : (double) passB / verdicts, meanB - meanA, ci[0], ci[1]));
            double minMove = hi > lo ? SCORE_CHANGE * (hi - lo) : Double.POSITIVE_INFINITY;
            for (String k : both) {
                Scored x = ma.get(k);
                Scored y = mb.get(k);
                int change = change(x, y, minMove);
                if (change != 0) {
                    RunComparison.ExampleChange ch = new RunComparison.ExampleChange(k, x.trace, y.trace, ev,
                            x.score, y.score, x.label, y.label);
                    (change < 0 ? regressed : fixed).add(ch);
                }
            }
        }
        Comparator<RunComparison.ExampleChange> byMove = Comparator.comparingDouble(
                (RunComparison.ExampleChange ch) -> ch.scoreA() == null || ch.scoreB() == null ? 0
                        : -Math.abs(ch.scoreB() - ch.scoreA())).thenComparing(RunComparison.ExampleChange::evaluator)
                .thenComparing(RunComparison.ExampleChange::key);
        regressed.sort(byMove);
        fixed.sort(byMove);
        return new RunComparison(a, b, metrics, regressed, fixed);
    }

    /**
     * -1 regressed, 1 fixed, 0 neither: a verdict that went from pass to fail (or back) when both runs have one; else
     * (the same verdict, or none) a score that moved by more than {@code minMove}.
     */
    static int change(Scored a, Scored b, double minMove) {
        if (a.verdict != null && b.verdict != null && a.verdict != b.verdict) {
            return a.verdict ? -1 : 1;
        }
        if (a.score != null && b.score != null && Math.abs(b.score - a.score) > minMove) {
            return b.score < a.score ? -1 : 1;
        }
        return 0;
    }

    /**
     * The percentile bootstrap 95% interval of the mean of {@code diffs}: {@code resamples} resamples with
     * replacement from a generator seeded with {@code seed}, the 2.5th and 97.5th percentiles of their means.
     */
    static double[] bootstrapInterval(double[] diffs, int resamples, long seed, CancellationToken cancel) {
        int n = diffs.length;
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            if ((r & 63) == 0) {
                cancel.throwIfCancelled();
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += diffs[rnd.nextInt(n)];
            }
            means[r] = sum / n;
        }
        Arrays.sort(means);
        return new double[] {percentile(means, 0.025), percentile(means, 0.975)};
    }

    /** Linear interpolation between the closest ranks of sorted {@code v}. */
    private static double percentile(double[] v, double p) {
        double pos = p * (v.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, v.length - 1);
        return v[i] + (v[j] - v[i]) * (pos - i);
    }

    /** One metric's verdict on one example of a run (scores of several results averaged, verdicts all passed). */
    record Scored(Double score, Boolean verdict, String label, TraceId trace) {
    }

    /** Per metric, per example key. */
    private Map<String, Map<String, Scored>> scores(long runId) {
        return ws.read(c -> {
            Map<String, Map<String, Scored>> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(Query.EVAL_EXAMPLE_SCORES.sql())) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Object v = rs.getObject(4);
                        out.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2),
                                new Scored(nullableDouble(rs, 3), v == null ? null : (Boolean) v, rs.getString(5),
                                        trace(rs.getObject(6))));
                    }
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ per trace, evaluators

    @Override
    public List<EvalResult> resultsForTrace(TraceId traceId) {
        return ws.read(c -> {
            List<EvalResult> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(Query.EVAL_RESULT_ROWS.sql()
                    + " WHERE e.trace_id = ? AND t.trace_id IS NOT NULL ORDER BY e.run_id, e.seq")) {
                ps.setObject(1, traceId.uuid());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs).result);
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<String> evaluators() {
        return ws.read(c -> {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT DISTINCT evaluator FROM eval_results ORDER BY evaluator")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ inputs, store

    @Override
    public List<TraceEvalInput> inputs(Cohort cohort, int limit, CancellationToken cancel) {
        List<TraceId> ids = ws.read(c -> {
            List<TraceId> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT t.trace_id FROM "
                    + CohortSql.from(cohort) + " WHERE " + CohortSql.condition(cohort)
                    + " ORDER BY t.start_ns, t.trace_id")) {
                while (rs.next()) {
                    out.add(TraceId.of((UUID) rs.getObject(1)));
                }
            }
            return out;
        });
        List<TraceEvalInput> out = new ArrayList<>();
        for (int from = 0; from < ids.size() && out.size() < limit; from += INPUT_CHUNK) {
            cancel.throwIfCancelled();
            List<TraceId> chunk = ids.subList(from, Math.min(ids.size(), from + INPUT_CHUNK));
            Map<TraceId, List<ContentSpan>> spans = contentSpans(chunk);
            for (TraceId id : chunk) {
                TraceTexts t = TraceTexts.of(spans.getOrDefault(id, List.of()), 0);
                if (t.answer() != null && out.size() < limit) {
                    out.add(new TraceEvalInput(id, t.spanId(), new EvalInput(t.question(), t.contexts(), t.answer(),
                            null)));
                }
            }
        }
        return out;
    }

    /** Traces whose spans {@link #inputs} reads at a time. */
    private static final int INPUT_CHUNK = 500;

    /** Through the ingest, like a file: one transaction with an {@code imports} row of format {@code run}'s. */
    @Override
    public EvalRun store(EvalRunData run, List<EvalResultData> results, ProgressListener progress,
            CancellationToken cancel) {
        String format = run.sourceFormat().isEmpty() ? "tracebench-evaluators" : run.sourceFormat();
        ImportReport report = ws.ingest(run.name(), -1, session -> {
            int key = session.evalRun(run);
            for (EvalResultData r : results) {
                session.evalResult(key, r);
            }
            return new SourceFacts(format, "", 0);
        }, progress, cancel);
        switch (report.status()) {
            case IMPORTED -> {
                long id = ws.read(c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT max(run_id) FROM eval_runs WHERE import_id = ?")) {
                        ps.setInt(1, report.importId());
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            return rs.getLong(1);
                        }
                    }
                });
                return run(String.valueOf(id)).orElseThrow();
            }
            case CANCELLED -> throw new CancelledException();
            default -> throw new WorkspaceException("Storing the evaluator run failed: " + report.message());
        }
    }

    // ------------------------------------------------------------------ rows

    /** A result as {@code eval_result_rows.sql} reads it, with its example's key, texts and metadata. */
    private record Row(EvalResult result, String key, String input, String output, String expected,
            List<String> contexts, String metadata) {
    }

    private static Row row(ResultSet rs) throws SQLException {
        EvalResult r = new EvalResult(rs.getLong(1), rs.getLong(2), rs.getString(3), trace(rs.getObject(4)),
                rs.getObject(5) == null ? 0 : rs.getLong(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getString(9), nullableDouble(rs, 10), rs.getString(11), (Boolean) rs.getObject(12),
                nullableDouble(rs, 13), rs.getString(14), rs.getString(15), nullableDouble(rs, 16),
                nullableLong(rs, 17), nullableLong(rs, 18), instant(rs.getObject(19)));
        return new Row(r, rs.getString(20), rs.getString(21), rs.getString(22), rs.getString(23),
                strings(rs.getArray(24)), rs.getString(25));
    }

    private static TraceId trace(Object uuid) {
        return uuid == null ? null : TraceId.of((UUID) uuid);
    }

    private static Double nullableDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }

    private static Long nullableLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static double orZero(ResultSet rs, int i) throws SQLException {
        return rs.getDouble(i);
    }

    static Instant instant(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (v instanceof java.time.LocalDateTime l) {
            return l.toInstant(java.time.ZoneOffset.UTC);
        }
        throw new IllegalStateException("unexpected time value " + v.getClass());
    }

    private static List<String> strings(Array a) throws SQLException {
        if (a == null) {
            return List.of();
        }
        Object[] values = (Object[]) a.getArray();
        List<String> out = new ArrayList<>(values.length);
        for (Object o : values) {
            if (o != null) {
                out.add(o.toString());
            }
        }
        return out;
    }
}
