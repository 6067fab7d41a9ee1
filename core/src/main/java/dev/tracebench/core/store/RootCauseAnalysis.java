package dev.tracebench.core.store;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Proportions;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.analysis.TraceAnalyzer;
import dev.tracebench.core.json.AttributeJson;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.report.Durations;
import dev.tracebench.core.task.CancellationToken;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * "Why are these requests different?" in the manner of Honeycomb's BubbleUp: the cohort is compared with the rest of
 * the workspace over every property a trace can have, and the properties far more common in the cohort are reported.
 *
 * <p><b>Properties.</b> (1) Time in each stage above a threshold (the threshold that best separates the two sides,
 * tried at quantiles of both); (2) the trace facts computed at import: model, model version, route, tenant, prompt
 * version, service, root operation; counts (model calls, tool calls, retries, documents, cache hits and misses,
 * errors) and amounts (input and output tokens, queue time, time to first token) above or below a threshold;
 * (3) every attribute of every span, scoped by the span's stage ("retrieval · db.collection.name = kb-archive"):
 * short text, booleans and small integers by value, numbers by threshold; (4) every attribute of the resources
 * ("service.version = 2.15.0").
 *
 * <p><b>Statistic.</b> For a property, the share of cohort traces that have it (pC) against the share of the others
 * (pR). It must hold for at least {@code minSupport} of the cohort, exceed the rest's share by {@code minDifference},
 * with {@code minConfidence} (1 minus the two-sided p-value of a two-proportion z test). Candidates are ranked by
 * pC − pR. Time in a stage is only a candidate when that stage takes a larger share of the cohort's time than of the
 * others' (by 10 points): slow requests always spend longer in their biggest stage, which is no explanation.
 *
 * <p><b>Redundancy.</b> A candidate that holds for nearly the same traces as a better one, on both sides (Jaccard
 * similarity ≥ 0.9 in the cohort and ≥ 0.7 in the rest), restates it ({@code gen_ai.data_source.id} and
 * {@code db.collection.name} naming the same collection) and is folded into its explanation.
 *
 * <p><b>Scale.</b> Attributes are read for about {@code sampleTraces} traces of each side (a deterministic sample
 * by hash of the trace id), so the analysis takes about the same time on a million traces as on ten thousand; the
 * evidence says when counts come from a sample.
 *
 * <p><b>Severity.</b> critical: pC − pR ≥ 0.5 and pC/pR ≥ 5; warning: pC − pR ≥ 0.35 and pC/pR ≥ 3; notice
 * otherwise; symptoms one level lower (they say what happened, not why).
 * Findings are ordered by severity, then causes before symptoms, then by pC − pR.
 */
final class RootCauseAnalysis {
    static final int MAX_FINDINGS = 8;
    private static final int MAX_TEXT = 80;

    private final Workspace ws;
    private final CheckSettings settings;
    private final CancellationToken cancel;

    RootCauseAnalysis(Workspace ws, CheckSettings settings, CancellationToken cancel) {
        this.ws = ws;
        this.settings = settings;
        this.cancel = cancel;
    }

    /** One property of traces: how it reads, and which sampled traces have it on each side. */
    private static final class Candidate {
        final String kind;        // stage, fact, span, resource
        final String summary;     // "spent ≥ 1.2 s in retrieval", "had retrieval · db.collection.name = kb-archive"
        final Map<String, String> facts;
        final BitSet cohort;
        final BitSet rest;
        int cC;
        int cR;
        double pC;
        double pR;
        double confidence;
        final List<String> restates = new ArrayList<>();

        Candidate(String kind, String summary, Map<String, String> facts, BitSet cohort, BitSet rest) {
            this.kind = kind;
            this.summary = summary;
            this.facts = facts;
            this.cohort = cohort;
            this.rest = rest;
        }

        double diff() {
            return pC - pR;
        }

        double lift() {
            return pR <= 0 ? Double.POSITIVE_INFINITY : pC / pR;
        }

        /**
         * 0 for what a request is or where it went (a model version, a collection, a tenant, a deployment: possible
         * causes), 1 for what happened to it (time in a stage, errors, retries, token counts: symptoms). Causes are
         * listed first: "slow requests failed more" is true but explains less than "they went to version X".
         */
        /**
         * critical: pC − pR ≥ 0.5 and pC/pR ≥ 5; warning: pC − pR ≥ 0.35 and pC/pR ≥ 3; notice otherwise; a
         * symptom one level lower (at least notice).
         */
        Severity severity() {
            int level = diff() >= 0.5 && lift() >= 5 ? 3 : diff() >= 0.35 && lift() >= 3 ? 2 : 1;
            if (tier() == 1) {
                level = Math.max(1, level - 1);
            }
            return Severity.values()[level];
        }

        int tier() {
            return kind.equals("stage") || facts.containsKey("threshold") || facts.containsKey("threshold_ns")
                    || facts.containsKey("fact") ? 1 : 0;
        }
    }

    /** The sampled traces: index 0..nC-1 are cohort traces, nC..nC+nR-1 the others. */
    private static final class Sample {
        final List<TraceId> ids = new ArrayList<>();
        final Map<UUID, Integer> index = new HashMap<>();
        int nC;
        int nR;
        long totalC;
        long totalR;
        long[][] stageNs;       // per trace, the stage vector
        long[] duration;
        final Map<String, String[]> dims = new LinkedHashMap<>();    // dimension → per-trace value
        final Map<String, double[]> numbers = new LinkedHashMap<>(); // fact → per-trace value (NaN: none)
        String thresholdText;

        boolean inCohort(int i) {
            return i < nC;
        }
    }

    List<Finding> explain(Cohort cohort) {
        return ws.read(c -> {
            long t0 = System.nanoTime();
            Sample s = sample(c, cohort);
            if (s.nC == 0) {
                return List.<Finding>of(new Finding(Severity.INFO, "root-cause", "The cohort is empty: no "
                        + cohort.label() + " in this workspace.", "Nothing to compare.",
                        new Finding.Evidence(0, 0, s.totalR, 0, 0, 0, Map.of()), List.of()));
            }
            if (s.nR == 0) {
                return List.<Finding>of(new Finding(Severity.INFO, "root-cause", "Every trace is in the cohort ("
                        + cohort.label() + "), so there is nothing to compare it with.", "Pick a narrower cohort, "
                        + "e.g. slow:p95.", new Finding.Evidence(s.totalC, s.totalC, 0, 0, 0, 0, Map.of()), List.of()));
            }
            long t1 = System.nanoTime();
            List<Candidate> candidates = new ArrayList<>();
            stageCandidates(s, candidates);
            cancel.throwIfCancelled();
            factCandidates(s, candidates);
            cancel.throwIfCancelled();
            long t2 = System.nanoTime();
            attributeCandidates(c, s, candidates);
            cancel.throwIfCancelled();
            // a property that only restates how the cohort was chosen explains nothing ("failed requests had a
            // failed span", "requests with model = 'x' called model x")
            candidates.removeIf(x -> restatesCohort(cohort, x));
            long t3 = System.nanoTime();
            List<Finding> out = rank(c, cohort, s, candidates);
            if (Boolean.getBoolean("tracebench.debug.analysis")) {
                System.err.printf("root cause: sample %d ms, stage+fact candidates %d ms, attributes %d ms, rank %d ms;"
                        + " %d+%d sampled traces, %d candidates%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                        (t3 - t2) / 1_000_000, (System.nanoTime() - t3) / 1_000_000, s.nC, s.nR, candidates.size());
            }
            return out;
        });
    }

    /** Whether a trace-fact candidate is about the column the cohort was chosen by. */
    static boolean restatesCohort(Cohort cohort, Candidate x) {
        if (!x.kind.equals("fact")) {
            return false;
        }
        String column = x.facts.containsKey("fact") ? x.facts.get("fact") : x.facts.get("dimension");
        if (column == null) {
            return false;
        }
        if (cohort.narrowing().stream().anyMatch(w -> column.equals(w.by().dimension().column()))) {
            return true; // narrowed to some services or models: that it is those is no finding
        }
        return switch (cohort.kind()) {
            case ERRORS -> column.equals("error_count");
            case SLOW_PERCENTILE -> column.equals(cohort.metric().column());
            case FILTER -> cohort.filter() != null && java.util.regex.Pattern.compile("(?i)\\b"
                    + java.util.regex.Pattern.quote(column) + "\\b").matcher(cohort.filter()).find();
            default -> false;
        };
    }

    // ------------------------------------------------------------------ sample

    private Sample sample(Connection c, Cohort cohort) throws SQLException {
        Sample s = new Sample();
        String cond = CohortSql.condition(cohort);
        String from = CohortSql.from(cohort);
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE " + cond + "), count(*) FILTER "
                    + "(WHERE NOT (" + cond + ")) FROM " + from)) {
                rs.next();
                s.totalC = rs.getLong(1);
                s.totalR = rs.getLong(2);
            }
            // a deterministic sample of each side by hash of the trace id: one scan, no sort
            double fC = Math.min(1.0, (double) settings.sampleTraces() / Math.max(1, s.totalC));
            double fR = Math.min(1.0, (double) settings.sampleTraces() / Math.max(1, s.totalR));
            st.execute("CREATE OR REPLACE TEMP TABLE rc_sample AS SELECT t.trace_id, (" + cond + ") AS in_cohort FROM "
                    + from + " WHERE hash(t.trace_id) <= CASE WHEN " + cond + " THEN " + bound(fC) + " ELSE "
                    + bound(fR) + " END");
            if (cohort.kind() == Cohort.Kind.SLOW_PERCENTILE) {
                try (ResultSet rs = st.executeQuery("SELECT root_name, threshold_ns, n FROM ("
                        + CohortSql.thresholds(cohort) + ") ORDER BY n DESC, root_name LIMIT 3")) {
                    StringBuilder sb = new StringBuilder();
                    while (rs.next()) {
                        double v = rs.getDouble(2);
                        String shown = switch (cohort.metric()) {
                            case DURATION -> Durations.format(Math.round(v));
                            case INPUT_TOKENS -> String.format(Locale.ROOT, "%,.0f tokens", v);
                            case COST -> String.format(Locale.ROOT, "$%.5f", v);
                        };
                        sb.append(sb.length() == 0 ? "" : ", ").append(rs.getString(1)).append(" ").append(shown);
                    }
                    s.thresholdText = sb.toString();
                }
            }
            StringBuilder cols = new StringBuilder();
            for (String stage : TraceAnalyzer.STAGES) {
                cols.append(", t.").append(DuckDbAnalysisService.column(stage));
            }
            String[] dimCols = {"model", "model_version", "route", "tenant", "prompt_version", "service_name",
                "root_name"};
            String[] numCols = {"input_tokens", "output_tokens", "llm_calls", "tool_calls", "retries", "docs",
                "cache_hits", "cache_misses", "error_count", "queue_ns", "ttft_ns"};
            StringBuilder more = new StringBuilder();
            for (String d : dimCols) {
                more.append(", t.").append(d);
            }
            for (String n : numCols) {
                more.append(", t.").append(n);
            }
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT r.trace_id, r.in_cohort, t.duration_ns" + cols + more
                    + " FROM rc_sample r JOIN traces t USING (trace_id) ORDER BY r.in_cohort DESC, hash(r.trace_id), "
                    + "r.trace_id")) {
                int ncols = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Object[] row = new Object[ncols];
                    for (int i = 0; i < ncols; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    rows.add(row);
                }
            }
            int n = rows.size();
            s.stageNs = new long[n][];
            s.duration = new long[n];
            for (String d : dimCols) {
                s.dims.put(d, new String[n]);
            }
            for (String num : numCols) {
                s.numbers.put(num, new double[n]);
            }
            int stages = TraceAnalyzer.STAGES.size();
            for (int i = 0; i < n; i++) {
                Object[] row = rows.get(i);
                UUID id = (UUID) row[0];
                s.ids.add(TraceId.of(id));
                s.index.put(id, i);
                if (Boolean.TRUE.equals(row[1])) {
                    s.nC++;
                } else {
                    s.nR++;
                }
                s.duration[i] = ((Number) row[2]).longValue();
                s.stageNs[i] = new long[stages];
                for (int k = 0; k < stages; k++) {
                    s.stageNs[i][k] = ((Number) row[3 + k]).longValue();
                }
                int k = 3 + stages;
                for (String d : dimCols) {
                    s.dims.get(d)[i] = row[k] == null ? null : row[k].toString();
                    k++;
                }
                for (String num : numCols) {
                    s.numbers.get(num)[i] = row[k] == null ? Double.NaN : ((Number) row[k]).doubleValue();
                    k++;
                }
            }
        }
        return s;
    }

    /** The hash value below which a fraction {@code f} of traces fall (hash() is a uniform 64-bit unsigned value). */
    private static String bound(double f) {
        if (f >= 1) {
            return "18446744073709551615::UBIGINT";
        }
        return new java.math.BigDecimal("18446744073709551615").multiply(java.math.BigDecimal.valueOf(f))
                .toBigInteger() + "::UBIGINT";
    }

    // ------------------------------------------------------------------ candidates

    private void stageCandidates(Sample s, List<Candidate> out) {
        List<String> stages = TraceAnalyzer.STAGES;
        for (int k = 0; k < stages.size(); k++) {
            double shareC = 0;
            double shareR = 0;
            double durC = 0;
            double durR = 0;
            double[] values = new double[s.ids.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = s.stageNs[i][k];
                if (s.inCohort(i)) {
                    shareC += s.stageNs[i][k];
                    durC += s.duration[i];
                } else {
                    shareR += s.stageNs[i][k];
                    durR += s.duration[i];
                }
            }
            double cohortShare = durC == 0 ? 0 : shareC / durC;
            double restShare = durR == 0 ? 0 : shareR / durR;
            if (cohortShare - restShare < 0.10) {
                continue; // the stage did not grow out of proportion: slower requests are slower everywhere
            }
            String stage = stages.get(k);
            Candidate best = bestThreshold(s, values, true, t -> "spent more than " + Durations.format((long) t)
                    + " in " + stage, t -> Map.of("stage", stage, "threshold_ns", Long.toString((long) t),
                    "share_of_cohort_time", pct(cohortShare), "share_of_other_time", pct(restShare)), "stage");
            if (best != null) {
                out.add(best);
            }
        }
    }

    private void factCandidates(Sample s, List<Candidate> out) {
        Map<String, String> labels = Map.of("model", "called model", "model_version", "were served by model version",
                "route", "came in on route", "tenant", "came from tenant", "prompt_version", "used prompt version",
                "service_name", "were served by", "root_name", "were");
        for (Map.Entry<String, String[]> e : s.dims.entrySet()) {
            String dim = e.getKey();
            String[] v = e.getValue();
            Map<String, BitSet[]> byValue = new LinkedHashMap<>();
            for (int i = 0; i < v.length; i++) {
                if (v[i] != null) {
                    BitSet[] b = byValue.computeIfAbsent(v[i], x -> new BitSet[] {new BitSet(), new BitSet()});
                    b[s.inCohort(i) ? 0 : 1].set(i);
                }
            }
            for (Map.Entry<String, BitSet[]> x : byValue.entrySet()) {
                out.add(new Candidate("fact", labels.get(dim) + " " + x.getKey(), Map.of("dimension", dim, "value",
                        x.getKey()), x.getValue()[0], x.getValue()[1]));
            }
        }
        // how a threshold on each fact reads: [above, at most]; a null leaves that direction out
        Map<String, String[]> numberText = new LinkedHashMap<>();
        numberText.put("input_tokens", new String[] {"sent more than %s input tokens", "sent %s input tokens or fewer"});
        numberText.put("output_tokens", new String[] {"received more than %s output tokens",
            "received %s output tokens or fewer"});
        numberText.put("llm_calls", new String[] {"made more than %s model calls", null});
        numberText.put("tool_calls", new String[] {"made more than %s tool calls", null});
        numberText.put("retries", new String[] {"retried more than %s calls", null});
        numberText.put("docs", new String[] {"retrieved more than %s documents", "retrieved %s documents or fewer"});
        numberText.put("cache_hits", new String[] {"hit a cache more than %s times", "hit a cache %s times or fewer"});
        numberText.put("cache_misses", new String[] {"missed a cache more than %s times", null});
        numberText.put("error_count", new String[] {"had more than %s failed spans", null});
        numberText.put("queue_ns", new String[] {"queued for more than %s", null});
        numberText.put("ttft_ns", new String[] {"waited more than %s for the first token", null});
        // the same at a threshold of zero, in plainer words
        Map<String, String[]> zeroText = Map.of(
                "retries", new String[] {"retried a call", null},
                "error_count", new String[] {"had a failed span", null},
                "tool_calls", new String[] {"made a tool call", null},
                "cache_misses", new String[] {"missed a cache", null},
                "cache_hits", new String[] {"hit a cache", "never hit a cache"},
                "docs", new String[] {"retrieved documents", "retrieved no documents"},
                "llm_calls", new String[] {"made a model call", null});
        for (Map.Entry<String, String[]> e : numberText.entrySet()) {
            String fact = e.getKey();
            double[] values = s.numbers.get(fact);
            boolean time = fact.endsWith("_ns");
            for (int dir = 0; dir < 2; dir++) {
                String template = e.getValue()[dir];
                if (template == null) {
                    continue;
                }
                boolean above = dir == 0;
                int d = dir;
                Candidate c = bestThreshold(s, values, above, t -> {
                    String[] zero = zeroText.get(fact);
                    if (t == 0 && zero != null && zero[d] != null) {
                        return zero[d];
                    }
                    return String.format(Locale.ROOT, template, time ? Durations.format((long) t) : fmt(t));
                }, t -> Map.of("fact", fact, "threshold", Long.toString((long) t), "direction", above ? "above"
                        : "at most"), "fact");
                if (c != null) {
                    out.add(c);
                }
            }
        }
    }

    /**
     * The threshold on {@code values} (NaN: no value) that best separates the two sides ({@code above}: value &gt; t,
     * else value ≤ t), tried at quantiles of both sides' values.
     */
    private Candidate bestThreshold(Sample s, double[] values, boolean above,
            java.util.function.DoubleFunction<String> text,
            java.util.function.DoubleFunction<Map<String, String>> facts, String kind) {
        double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length < 2 || sorted[0] == sorted[sorted.length - 1]) {
            return null;
        }
        double[] qs = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.98};
        Candidate best = null;
        double bestDiff = -1;
        double last = Double.NaN;
        for (double q : qs) {
            double t = sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
            if (t == last) {
                continue;
            }
            last = t;
            BitSet bc = new BitSet();
            BitSet br = new BitSet();
            for (int i = 0; i < values.length; i++) {
                double v = values[i];
                if (Double.isNaN(v)) {
                    continue;
                }
                if (above ? v > t : v <= t) {
                    (s.inCohort(i) ? bc : br).set(i);
                }
            }
            double pC = (double) bc.cardinality() / s.nC;
            double pR = (double) br.cardinality() / s.nR;
            if (pC - pR > bestDiff) {
                bestDiff = pC - pR;
                double threshold = above ? Math.max(t, 0) : t;
                best = new Candidate(kind, text.apply(roundNice(threshold)), facts.apply(roundNice(threshold)), bc, br);
            }
        }
        return best;
    }

    /** Rounds a threshold to two significant figures for reading ("1.2 s", "3,200 tokens"). */
    static double roundNice(double v) {
        if (v <= 0) {
            return 0;
        }
        double mag = Math.pow(10, Math.floor(Math.log10(v)) - 1);
        return Math.floor(v / mag) * mag;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Span and resource attributes of the sampled traces. */
    private void attributeCandidates(Connection c, Sample s, List<Candidate> out) throws SQLException {
        Map<Long, List<Attribute>> resources = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT resource_id, attributes FROM "
                + "resources")) {
            while (rs.next()) {
                resources.put(rs.getLong(1), AttributeJson.decode(rs.getString(2)));
            }
        }
        // feature key -> per side bitsets; numeric feature key -> per trace max value
        Map<String, BitSet[]> categorical = new HashMap<>();
        Map<String, double[]> numeric = new HashMap<>();
        int n = s.ids.size();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT s.trace_id, s.span_id, "
                + "s.parent_span_id, s.stage, s.resource_id, s.attributes FROM spans s JOIN rc_sample r USING "
                + "(trace_id) ORDER BY s.trace_id")) {
            UUID current = null;
            List<Object[]> spans = new ArrayList<>();
            int rows = 0;
            while (rs.next()) {
                UUID t = (UUID) rs.getObject(1);
                if (current != null && !t.equals(current)) {
                    features(s.index.get(current), spans, resources, categorical, numeric, n, s);
                    spans.clear();
                }
                current = t;
                spans.add(new Object[] {rs.getLong(2), rs.getObject(3), rs.getString(4), rs.getLong(5),
                    rs.getString(6)});
                if (++rows % 10_000 == 0) {
                    cancel.throwIfCancelled();
                }
            }
            if (current != null) {
                features(s.index.get(current), spans, resources, categorical, numeric, n, s);
            }
        }
        for (Map.Entry<String, BitSet[]> e : categorical.entrySet()) {
            BitSet[] b = e.getValue();
            if (b[0].cardinality() < settings.minSupport() * s.nC) {
                continue;
            }
            String[] k = e.getKey().split("\u0000", -1);
            String scope = k[0];
            String text = scope.equals("resource") ? "ran on a resource with " + k[1] + " = " + k[2]
                    : "had " + scope + " · " + k[1] + " = " + k[2];
            out.add(new Candidate(scope.equals("resource") ? "resource" : "span", text, Map.of("scope", scope,
                    "attribute", k[1], "value", k[2]), b[0], b[1]));
        }
        for (Map.Entry<String, double[]> e : numeric.entrySet()) {
            String[] k = e.getKey().split("\u0000", -1);
            String scope = k[0];
            for (boolean above : new boolean[] {true, false}) {
                Candidate cand = bestThreshold(s, e.getValue(), above, t -> (scope.equals("resource")
                        ? "ran on a resource with " : "had " + scope + " · ") + k[1] + (above ? " > " : " ≤ ")
                        + fmt(t), t -> Map.of("scope", scope, "attribute", k[1], "threshold", fmt(t), "direction",
                        above ? "above" : "at most"), scope.equals("resource") ? "resource" : "span");
                if (cand != null) {
                    out.add(cand);
                }
            }
        }
    }

    /** Adds one trace's attribute features (scoped by effective stage) to the tables. */
    private static void features(Integer idx, List<Object[]> spans, Map<Long, List<Attribute>> resources,
            Map<String, BitSet[]> categorical, Map<String, double[]> numeric, int n, Sample s) {
        if (idx == null) {
            return;
        }
        int side = s.inCohort(idx) ? 0 : 1;
        Map<Long, Object[]> byId = new HashMap<>();
        for (Object[] sp : spans) {
            byId.putIfAbsent((Long) sp[0], sp);
        }
        java.util.Set<Long> seenResources = new java.util.HashSet<>();
        for (Object[] sp : spans) {
            String scope = effectiveStage(sp, byId);
            List<Attribute> attrs;
            try {
                attrs = AttributeJson.decode((String) sp[4]);
            } catch (RuntimeException e) {
                continue;
            }
            for (Attribute a : attrs) {
                add(scope, a, side, idx, categorical, numeric, n);
            }
            Long rid = (Long) sp[3];
            if (seenResources.add(rid)) {
                for (Attribute a : resources.getOrDefault(rid, List.of())) {
                    if (!a.key().equals("service.name")) {
                        add("resource", a, side, idx, categorical, numeric, n);
                    }
                }
            }
        }
    }

    private static String effectiveStage(Object[] span, Map<Long, Object[]> byId) {
        if (span[1] == null && span[2] == null) {
            return "request"; // the root span: attributes of the request itself (route, tenant, user, ...)
        }
        Object[] cur = span;
        for (int steps = 0; cur != null && steps < 200; steps++) {
            if (cur[2] != null) {
                return (String) cur[2];
            }
            Object parent = cur[1];
            cur = parent == null ? null : byId.get((Long) parent);
        }
        return "other";
    }

    private static void add(String scope, Attribute a, int side, int idx, Map<String, BitSet[]> categorical,
            Map<String, double[]> numeric, int n) {
        AttributeValue v = a.value();
        String value = null;
        if (v instanceof AttributeValue.Str str) {
            String t = str.value();
            if (t.length() <= MAX_TEXT && !t.isBlank() && t.indexOf('\n') < 0) {
                value = t;
            }
        } else if (v instanceof AttributeValue.Bool b) {
            value = Boolean.toString(b.value());
        } else if (v instanceof AttributeValue.Int i) {
            double[] arr = numeric.computeIfAbsent(scope + '\u0000' + a.key(), k -> {
                double[] x = new double[n];
                Arrays.fill(x, Double.NaN);
                return x;
            });
            arr[idx] = Double.isNaN(arr[idx]) ? i.value() : Math.max(arr[idx], i.value());
        } else if (v instanceof AttributeValue.Dbl d && Double.isFinite(d.value())) {
            double[] arr = numeric.computeIfAbsent(scope + '\u0000' + a.key(), k -> {
                double[] x = new double[n];
                Arrays.fill(x, Double.NaN);
                return x;
            });
            arr[idx] = Double.isNaN(arr[idx]) ? d.value() : Math.max(arr[idx], d.value());
        }
        if (value != null) {
            BitSet[] b = categorical.computeIfAbsent(scope + '\u0000' + a.key() + '\u0000' + value,
                    k -> new BitSet[] {new BitSet(), new BitSet()});
            b[side].set(idx);
        }
    }

    // ------------------------------------------------------------------ ranking

    private List<Finding> rank(Connection c, Cohort cohort, Sample s, List<Candidate> candidates)
            throws SQLException {
        List<Candidate> passing = new ArrayList<>();
        for (Candidate k : candidates) {
            k.cC = k.cohort.cardinality();
            k.cR = k.rest.cardinality();
            k.pC = (double) k.cC / s.nC;
            k.pR = (double) k.cR / s.nR;
            if (k.pC < settings.minSupport() || k.diff() < settings.minDifference()) {
                continue;
            }
            k.confidence = Proportions.confidence(k.cC, s.nC, k.cR, s.nR);
            if (k.confidence < settings.minConfidence()) {
                continue;
            }
            passing.add(k);
        }
        passing.sort((a, b) -> {
            if (a.severity() != b.severity()) {
                return b.severity().compareTo(a.severity());
            }
            if (a.tier() != b.tier()) {
                return Integer.compare(a.tier(), b.tier());
            }
            int d = Double.compare(b.diff(), a.diff());
            return d != 0 ? d : Double.compare(Proportions.z(b.cC, s.nC, b.cR, s.nR), Proportions.z(a.cC, s.nC, a.cR,
                    s.nR));
        });
        List<Candidate> kept = new ArrayList<>();
        for (Candidate k : passing) {
            Candidate same = null;
            for (Candidate prior : kept) {
                if (jaccard(prior.cohort, k.cohort) >= 0.9 && jaccard(prior.rest, k.rest) >= 0.7) {
                    same = prior;
                    break;
                }
            }
            if (same != null) {
                if (same.restates.size() < 3) {
                    same.restates.add(k.summary);
                }
                continue;
            }
            kept.add(k);
            if (kept.size() >= MAX_FINDINGS) {
                break;
            }
        }
        boolean sampled = s.totalC > s.nC || s.totalR > s.nR;
        String who = cohort.label();
        List<Finding> out = new ArrayList<>();
        for (Candidate k : kept) {
            Severity sev = k.severity();
            String summary = pct(k.pC) + " of " + who + " " + k.summary + " (vs " + pct(k.pR) + " of the others).";
            StringBuilder ex = new StringBuilder();
            ex.append("Compared ").append(sampled ? "a sample of " : "").append(String.format(Locale.ROOT, "%,d", s.nC))
                    .append(" ").append(who).append(" with ").append(sampled ? "a sample of " : "")
                    .append(String.format(Locale.ROOT, "%,d", s.nR)).append(" other requests over every stage, trace "
                            + "fact and attribute: this property is ")
                    .append(k.pR == 0 ? "absent from the others" : String.format(Locale.ROOT, "%.1f times as common",
                            k.lift())).append(" in the cohort, with confidence ")
                    .append(String.format(Locale.ROOT, "%.4f", k.confidence)).append(".");
            if (s.thresholdText != null) {
                ex.append(" The cohort is taken per operation, at or above the percentile of the request's own "
                        + "operation (")
                        .append(s.thresholdText).append(").");
            }
            if (!k.restates.isEmpty()) {
                ex.append(" The same requests also ").append(String.join("; ", k.restates)).append(".");
            }
            ex.append(" Open the example traces to see it on the critical path.");
            Map<String, String> facts = new LinkedHashMap<>(k.facts);
            facts.put("kind", k.kind);
            facts.put("lift", k.pR == 0 ? "inf" : String.format(Locale.ROOT, "%.2f", k.lift()));
            if (sampled) {
                facts.put("sampled", "yes");
            }
            out.add(new Finding(sev, "root-cause", summary, ex.toString(), new Finding.Evidence(s.nC, k.cC, s.nR, k.cR,
                    k.diff(), k.confidence, facts), exemplars(s, k)));
        }
        if (out.isEmpty()) {
            out.add(new Finding(Severity.INFO, "root-cause", "Nothing sets " + who + " apart: no stage, fact or "
                    + "attribute is much more common among them than among the others.", "Compared "
                    + String.format(Locale.ROOT, "%,d", s.nC) + " " + who + " with " + String.format(Locale.ROOT, "%,d",
                    s.nR) + " others; no property reached " + pct(settings.minDifference()) + " more of the cohort "
                    + "with confidence " + settings.minConfidence() + ". Their slowness looks like normal variation.",
                    new Finding.Evidence(s.nC, 0, s.nR, 0, 0, 0, Map.of()), List.of()));
        }
        return out;
    }

    /** Up to five cohort traces with the property, closest to the median duration of those first. */
    private static List<TraceId> exemplars(Sample s, Candidate k) {
        List<Integer> idx = new ArrayList<>();
        for (int i = k.cohort.nextSetBit(0); i >= 0; i = k.cohort.nextSetBit(i + 1)) {
            idx.add(i);
        }
        if (idx.isEmpty()) {
            return List.of();
        }
        long[] d = idx.stream().mapToLong(i -> s.duration[i]).sorted().toArray();
        long median = d[d.length / 2];
        idx.sort((a, b) -> Long.compare(Math.abs(s.duration[a] - median), Math.abs(s.duration[b] - median)));
        List<TraceId> out = new ArrayList<>();
        for (int i = 0; i < Math.min(5, idx.size()); i++) {
            out.add(s.ids.get(idx.get(i)));
        }
        return out;
    }

    private static double jaccard(BitSet a, BitSet b) {
        BitSet and = (BitSet) a.clone();
        and.and(b);
        BitSet or = (BitSet) a.clone();
        or.or(b);
        int u = or.cardinality();
        return u == 0 ? 1 : (double) and.cardinality() / u;
    }

    static String pct(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }
}
