package dev.tracebench.core.analysis.rootcause;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Proportions;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.analysis.TraceAnalyzer;
import dev.tracebench.core.analysis.rootcause.Candidate.Kind;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.report.Durations;
import dev.tracebench.core.report.Secrets;
import dev.tracebench.core.task.CancellationToken;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleFunction;
import java.util.regex.Pattern;

/**
 * "Why are these requests different?" in the manner of Honeycomb's BubbleUp: the cohort's sampled traces are compared
 * with the others' over every property a trace can have, and the properties far more common in the cohort become
 * findings. Pure: it reads a {@link TraceSample} and, for the example traces, their spans.
 *
 * <p><b>Properties.</b> (1) Time in a stage above the threshold that best separates the two sides (only for a stage
 * that takes a larger share of the cohort's time than of the others', by 10 points: slow requests always spend
 * longer in their biggest stage, which is no explanation); (2) the trace facts: model, model version, route, tenant,
 * prompt version, service, root operation by value; counts and amounts by threshold; (3) the span features of
 * {@link SpanFeatures} (attributes by stage, span names, resource attributes); (4) combinations of two of the
 * properties of (2) and (3) that explain the cohort clearly better together than either alone ("tenant t-globex on
 * model version X": 92% vs 0.4%, where each alone is common among the others too).
 *
 * <p><b>Statistic.</b> For a property, the share of cohort traces that have it (pC) against the share of the others
 * (pR). It must hold for at least {@code minSupport} of the cohort, exceed the rest's share by {@code minDifference},
 * with {@code minConfidence} (1 minus the two-sided p-value of a two-proportion z test). A combination must beat the
 * better of its parts by {@code minDifference} more.
 *
 * <p><b>One cause, one finding.</b> Properties are taken strongest first (severity, then what a request is before
 * what happened to it before where its time went, then pC − pR). A property that holds for mostly the same cohort
 * traces as one already taken (80% of the smaller set, half of the larger) restates the same cause (collection
 * {@code kb-archive}, {@code gen_ai.data_source.id = kb-archive}, shard {@code archive-1}) or shows how it acts
 * (cache misses, time in retrieval) and becomes supporting evidence of it; between two properties of the same kind
 * the others' traces must nest as well. The cause leads its group, not its symptom.
 *
 * <p><b>Cost.</b> Each finding says how much time its property adds: the median duration of requests with it
 * against those without, within each root operation, weighted by how many have it; the stage most of the difference
 * is in; and for a cohort chosen by time, the share of the cohort's excess time (time above the typical duration of
 * its operation among the others) its requests hold.
 *
 * <p><b>Severity.</b> critical: pC − pR ≥ 0.5 and pC/pR ≥ 5; warning: pC − pR ≥ 0.35 and pC/pR ≥ 3; notice
 * otherwise; what happened to a request one level lower. Properties that only restate how the cohort was chosen
 * (failed spans of traces with an error, the input tokens of a tokens cohort, the columns a filter names) are left
 * out.
 *
 * <p><b>Answers.</b> A quality cohort (hallucinated answers, answers that failed an eval) is compared with the other
 * answers the same evaluator judged, and its findings are about what the request was and what happened in it (its
 * tenant, its retrieval returning no documents), not about time: stage times, queueing and time to first token are
 * left out, and a finding says no cost in time.
 */
public final class RootCauseScorer {
    /** At most this many root-cause findings. */
    public static final int MAX_FINDINGS = 8;
    /** Combinations are tried among this many of the strongest single properties. */
    static final int COMBINATION_BASE = 15;
    static final int MAX_COMBINATIONS = 3;
    private static final int EXEMPLARS = 5;
    /** Restatements and symptoms listed with a finding, strongest first. */
    static final int MAX_SUPPORTING = 6;

    /** The spans of the example traces, to open each on the span its finding names. */
    public interface SpanSource {
        Map<TraceId, List<SpanRow>> spans(Collection<TraceId> traces);
    }

    private final Cohort cohort;
    private final TraceSample s;
    private final CheckSettings settings;
    private final CancellationToken cancel;

    private RootCauseScorer(Cohort cohort, TraceSample s, CheckSettings settings, CancellationToken cancel) {
        this.cohort = cohort;
        this.s = s;
        this.settings = settings;
        this.cancel = cancel;
    }

    /** The findings about {@code cohort}, most important first, from the sample {@code s}. */
    public static List<Finding> explain(Cohort cohort, TraceSample s, CheckSettings settings, SpanSource spans,
            CancellationToken cancel) {
        return new RootCauseScorer(cohort, s, settings, cancel).explain(spans);
    }

    private List<Finding> explain(SpanSource spans) {
        String who = cohort.noun();
        if (s.cohortSize == 0) {
            return List.of(info("The cohort is empty: no " + who + " in this workspace.", "Nothing to compare.",
                    new Finding.Evidence(0, 0, s.restTotal, 0, 0, 0, Map.of())));
        }
        if (s.restSize() == 0) {
            return List.of(info(cohort.isQuality() ? "Every answer " + judgedBy() + " is among the " + who
                    + ", so there is nothing to compare them with." : "Every trace is in the cohort (" + who
                    + "), so there is nothing to compare it with.",
                    "Pick a narrower cohort, e.g. slow:p95.", new Finding.Evidence(s.cohortTotal, s.cohortTotal, 0, 0,
                            0, 0, Map.of())));
        }
        long t0 = System.nanoTime();
        List<Candidate> all = new ArrayList<>();
        if (!cohort.isQuality()) {
            stageCandidates(all); // where a bad answer's time went does not say why it is bad
        }
        factCandidates(all);
        cancel.throwIfCancelled();
        featureCandidates(all);
        cancel.throwIfCancelled();
        // a property that only restates how the cohort was chosen explains nothing ("traces with an error had a
        // failed span", "requests with model = 'x' called model x")
        all.removeIf(this::restatesCohort);
        List<Candidate> passing = new ArrayList<>();
        for (Candidate k : all) {
            k.measure(s, false);
            if (k.pC >= settings.minSupport() && k.diff() >= settings.minDifference()
                    && k.measure(s, true).confidence >= settings.minConfidence()) {
                passing.add(k);
            }
        }
        long t1 = System.nanoTime();
        passing.addAll(combinations(all));
        cancel.throwIfCancelled();
        long t2 = System.nanoTime();
        List<Group> groups = group(passing);
        long t3 = System.nanoTime();
        if (groups.isEmpty()) {
            return List.of(info("Nothing sets " + who + " apart: no stage, fact or attribute is much more common "
                    + "among them than among the others.", "Compared " + count(s.cohortSize) + " " + who + " with "
                    + count(s.restSize()) + " others; no property reached " + pct(settings.minDifference())
                    + " more of the cohort with confidence " + settings.minConfidence() + ". The difference looks "
                    + "like normal variation.", new Finding.Evidence(s.cohortSize, 0, s.restSize(), 0, 0, 0,
                    Map.of())));
        }
        Map<Group, List<Integer>> exemplars = new LinkedHashMap<>();
        Set<TraceId> ids = new LinkedHashSet<>();
        for (Group g : groups) {
            List<Integer> ex = exemplars(g.lead.traces);
            exemplars.put(g, ex);
            ex.forEach(i -> ids.add(s.ids[i]));
        }
        Map<TraceId, List<SpanRow>> rows = ids.isEmpty() ? Map.of() : spans.spans(ids);
        long t4 = System.nanoTime();
        List<Finding> out = new ArrayList<>();
        for (Group g : groups) {
            List<Finding.Exemplar> ex = new ArrayList<>();
            for (int i : exemplars.get(g)) {
                TraceId id = s.ids[i];
                ex.add(new Finding.Exemplar(id, g.lead.span.find(rows.getOrDefault(id, List.of()))));
            }
            out.add(finding(g, ex));
        }
        if (Boolean.getBoolean("tracebench.debug.analysis")) {
            System.err.printf("root cause scoring: %d candidates (%d passing) %d ms, combinations %d ms, grouping %d "
                    + "ms, example spans %d ms, findings %d ms%n", all.size(), passing.size(), (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000,
                    (System.nanoTime() - t4) / 1_000_000);
        }
        return out;
    }

    /**
     * A trace dimension's value counted outside a workspace (the spark module's {@code rootcause_counts.csv} over a
     * lake): how many traces of the cohort and of the others have it, of how many.
     */
    public record CountedProperty(String dimension, String value, long cohortMatching, long cohortTraces,
            long restMatching, long restTraces) {
        public double cohortShare() {
            return cohortTraces == 0 ? 0 : (double) cohortMatching / cohortTraces;
        }

        public double restShare() {
            return restTraces == 0 ? 0 : (double) restMatching / restTraces;
        }

        public Severity severity() {
            double diff = cohortShare() - restShare();
            return Candidate.severity(diff, restShare() <= 0 ? Double.POSITIVE_INFINITY : cohortShare() / restShare(),
                    0);
        }
    }

    /**
     * The counted dimension values that pass {@link #explain}'s bar (support, difference, confidence), in its order
     * (severity, then pC − pR, then z): what the top finding over those counts is. Only the single dimension values:
     * thresholds, span attributes, combinations and the grouping of restatements need the traces themselves.
     */
    public static List<CountedProperty> rank(Collection<CountedProperty> counted, CheckSettings settings) {
        List<CountedProperty> out = new ArrayList<>();
        for (CountedProperty p : counted) {
            if (p.cohortTraces() > 0 && p.restTraces() > 0 && p.cohortShare() >= settings.minSupport()
                    && p.cohortShare() - p.restShare() >= settings.minDifference()
                    && Proportions.confidence(p.cohortMatching(), p.cohortTraces(), p.restMatching(), p.restTraces())
                            >= settings.minConfidence()) {
                out.add(p);
            }
        }
        out.sort((a, b) -> {
            if (a.severity() != b.severity()) {
                return b.severity().compareTo(a.severity());
            }
            int d = Double.compare(b.cohortShare() - b.restShare(), a.cohortShare() - a.restShare());
            return d != 0 ? d : Double.compare(Proportions.z(b.cohortMatching(), b.cohortTraces(), b.restMatching(),
                    b.restTraces()), Proportions.z(a.cohortMatching(), a.cohortTraces(), a.restMatching(),
                    a.restTraces()));
        });
        return out;
    }

    private static Finding info(String summary, String explanation, Finding.Evidence e) {
        return new Finding(Severity.INFO, Finding.ROOT_CAUSE, summary, explanation, e, List.of(), List.of(), null);
    }

    // ------------------------------------------------------------------ candidates

    private void stageCandidates(List<Candidate> out) {
        List<String> stages = TraceAnalyzer.STAGES;
        for (int k = 0; k < stages.size(); k++) {
            double stageC = 0;
            double stageR = 0;
            double durC = 0;
            double durR = 0;
            double[] values = new double[s.size];
            for (int i = 0; i < s.size; i++) {
                values[i] = s.stageNs[i][k];
                if (s.inCohort(i)) {
                    stageC += s.stageNs[i][k];
                    durC += s.duration[i];
                } else {
                    stageR += s.stageNs[i][k];
                    durR += s.duration[i];
                }
            }
            double cohortShare = durC == 0 ? 0 : stageC / durC;
            double restShare = durR == 0 ? 0 : stageR / durR;
            if (cohortShare - restShare < 0.10) {
                continue; // the stage did not grow out of proportion: slower requests are slower everywhere
            }
            String stage = stages.get(k);
            Candidate best = bestThreshold(values, true, t -> new Candidate(Kind.STAGE, "stage:" + stage,
                    "spent more than " + Durations.format((long) t) + " in " + stage, Map.of("stage", stage,
                    "threshold_ns", Long.toString((long) t), "share_of_cohort_time", pct(cohortShare),
                    "share_of_other_time", pct(restShare)), null, 2, "t." + stage + "_ns > " + (long) t,
                    spans -> {
                        Map<Long, SpanRow> ids = byId(spans);
                        return longest(spans, x -> stage.equals(SpanFeatures.scope(x, ids)));
                    }));
            if (best != null) {
                out.add(best);
            }
        }
    }

    private static final Map<String, String> DIMENSION_TEXT = Map.of("model", "called model", "model_version",
            "were served by model version", "route", "came in on route", "tenant", "came from tenant",
            "prompt_version", "used prompt version", "service_name", "were served by", "root_name", "were");

    /** How a threshold on each fact reads: [above, at most]; a null leaves that direction out. */
    private static final Map<String, String[]> FACT_TEXT = new LinkedHashMap<>();
    /** The same at a threshold of zero, in plainer words. */
    private static final Map<String, String[]> ZERO_TEXT = Map.of(
            "retries", new String[] {"retried a call", null},
            "error_count", new String[] {"had a failed span", null},
            "tool_calls", new String[] {"made a tool call", null},
            "cache_misses", new String[] {"missed a cache", null},
            "cache_hits", new String[] {"hit a cache", "never hit a cache"},
            "docs", new String[] {"retrieved documents", "retrieved no documents"},
            "llm_calls", new String[] {"made a model call", null});

    static {
        FACT_TEXT.put("input_tokens", new String[] {"sent more than %s input tokens", "sent %s input tokens or fewer"});
        FACT_TEXT.put("output_tokens", new String[] {"received more than %s output tokens",
            "received %s output tokens or fewer"});
        FACT_TEXT.put("llm_calls", new String[] {"made more than %s model calls", null});
        FACT_TEXT.put("tool_calls", new String[] {"made more than %s tool calls", null});
        FACT_TEXT.put("retries", new String[] {"retried more than %s calls", null});
        FACT_TEXT.put("docs", new String[] {"retrieved more than %s documents", "retrieved %s documents or fewer"});
        FACT_TEXT.put("cache_hits", new String[] {"hit a cache more than %s times", "hit a cache %s times or fewer"});
        FACT_TEXT.put("cache_misses", new String[] {"missed a cache more than %s times", null});
        FACT_TEXT.put("error_count", new String[] {"had more than %s failed spans", null});
        FACT_TEXT.put("queue_ns", new String[] {"queued for more than %s", null});
        FACT_TEXT.put("ttft_ns", new String[] {"waited more than %s for the first token", null});
    }

    private void factCandidates(List<Candidate> out) {
        for (int d = 0; d < TraceSample.DIMENSIONS.size(); d++) {
            String dim = TraceSample.DIMENSIONS.get(d);
            Map<String, BitSet> byValue = new LinkedHashMap<>();
            for (int i = 0; i < s.size; i++) {
                String v = s.dims[d][i];
                if (v != null) {
                    byValue.computeIfAbsent(v, x -> new BitSet(s.size)).set(i);
                }
            }
            for (Map.Entry<String, BitSet> x : byValue.entrySet()) {
                String v = x.getKey();
                out.add(new Candidate(Kind.DIMENSION, "dimension:" + dim, dimensionPhrase(dim, v),
                        Map.of("dimension", dim, "value", v), x.getValue(), 0, "t." + dim + " = " + quote(v),
                        dimensionSpan(dim, v)));
            }
        }
        for (Map.Entry<String, String[]> e : FACT_TEXT.entrySet()) {
            String fact = e.getKey();
            double[] values = s.facts[TraceSample.FACTS.indexOf(fact)];
            boolean time = fact.endsWith("_ns");
            if (time && cohort.isQuality()) {
                continue;
            }
            for (int dir = 0; dir < 2; dir++) {
                String template = e.getValue()[dir];
                if (template == null) {
                    continue;
                }
                boolean above = dir == 0;
                int d = dir;
                Candidate c = bestThreshold(values, above, t -> {
                    String[] zero = ZERO_TEXT.get(fact);
                    String text = t == 0 && zero != null && zero[d] != null ? zero[d]
                            : String.format(Locale.ROOT, template, time ? Durations.format((long) t) : fmt(t));
                    return new Candidate(Kind.FACT, "fact:" + fact, text, Map.of("fact", fact, "threshold",
                            Long.toString((long) t), "direction", above ? "above" : "at most"), null, time ? 2 : 1,
                            "t." + fact + (above ? " > " : " <= ") + (long) t, factSpan(fact));
                });
                if (c != null) {
                    out.add(c);
                }
            }
        }
    }

    private void featureCandidates(List<Candidate> out) {
        int min = (int) Math.ceil(settings.minSupport() * s.cohortSize);
        for (Map.Entry<String, BitSet> e : s.categorical.entrySet()) {
            BitSet b = e.getValue();
            if (!atLeast(b, Math.max(1, min))) {
                continue;
            }
            String[] k = e.getKey().split("\u0000", -1);
            String scope = k[0];
            String key = k[1];
            String value = k[2];
            if (Secrets.containsSecret(value)) {
                continue; // a credential shared by many requests is still a credential
            }
            boolean resource = scope.equals(SpanFeatures.RESOURCE);
            boolean name = key.equals(SpanFeatures.SPAN_NAME);
            String text = resource ? "ran on a resource with " + key + " = " + value
                    : name ? "had " + article(scope) + " " + scope + " span named " + value
                    : "had " + scope + " · " + key + " = " + value;
            out.add(new Candidate(resource ? Kind.RESOURCE : Kind.ATTRIBUTE, scope + "\u0000" + key, text,
                    Map.of("scope", scope, "attribute", key, "value", value), b, outcome(key) ? 1 : 0,
                    attributeSql(scope, key, (name ? "s.name" : attr(resource, key)) + " = " + quote(value)),
                    featureSpan(scope, key, v -> value.equals(v), null)));
        }
        for (Map.Entry<String, double[]> e : s.numeric.entrySet()) {
            String[] k = e.getKey().split("\u0000", -1);
            String scope = k[0];
            String key = k[1];
            boolean resource = scope.equals(SpanFeatures.RESOURCE);
            for (boolean above : new boolean[] {true, false}) {
                Candidate c = bestThreshold(e.getValue(), above, t -> new Candidate(resource ? Kind.RESOURCE
                        : Kind.ATTRIBUTE, scope + "\u0000" + key, (resource ? "ran on a resource with "
                        : "had " + scope + " · ") + key + (above ? " > " : " ≤ ") + fmt(t), Map.of("scope", scope,
                        "attribute", key, "threshold", fmt(t), "direction", above ? "above" : "at most"), null, 1,
                        attributeSql(scope, key, "TRY_CAST(" + attr(resource, key) + " AS DOUBLE) " + (above ? "> "
                                : "<= ") + plain(t)), featureSpan(scope, key, null, x -> above ? x > t : x <= t)));
                if (c != null) {
                    out.add(c);
                }
            }
        }
    }

    /**
     * Whether at least {@code min} cohort traces have the feature, counted without copying: most features (ids,
     * timestamps) are rare, and there are tens of thousands of them.
     */
    private boolean atLeast(BitSet b, int min) {
        int n = 0;
        for (int i = b.nextSetBit(0); i >= 0 && i < s.cohortSize; i = b.nextSetBit(i + 1)) {
            if (++n >= min) {
                return true;
            }
        }
        return false;
    }

    /** Attributes that say how a call ended rather than what it was: an error type, a status, a cache hit. */
    private static boolean outcome(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("error") || k.contains("status") || k.contains("exception") || k.contains("finish_reason")
                || k.contains("cache.hit") || k.contains("cache_hit") || k.contains("attempt") || k.contains("retr");
    }

    /**
     * The threshold on {@code values} (NaN: no value) that best separates the two sides ({@code above}: value &gt; t,
     * else value ≤ t), tried at quantiles of both sides' values; null if the values do not vary.
     */
    private Candidate bestThreshold(double[] values, boolean above, DoubleFunction<Candidate> make) {
        double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length < 2 || sorted[0] == sorted[sorted.length - 1]) {
            return null;
        }
        // "at most" also tries the smallest value: a rare bottom value ("retrieved no documents": 3% of all traces,
        // below the 5% quantile) can be the whole difference
        double[] qs = above ? QUANTILES : AT_MOST_QUANTILES;
        BitSet best = null;
        double bestT = 0;
        double bestDiff = -1;
        double last = Double.NaN;
        for (double q : qs) {
            double t = sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
            if (t == last) {
                continue;
            }
            last = t;
            BitSet b = new BitSet(s.size);
            int inC = 0;
            for (int i = 0; i < values.length; i++) {
                double v = values[i];
                if (!Double.isNaN(v) && (above ? v > t : v <= t)) {
                    b.set(i);
                    if (s.inCohort(i)) {
                        inC++;
                    }
                }
            }
            double diff = (double) inC / s.cohortSize - (double) (b.cardinality() - inC) / s.restSize();
            if (diff > bestDiff) {
                bestDiff = diff;
                best = b;
                bestT = t;
            }
        }
        if (best == null) {
            return null;
        }
        double threshold = roundNice(above ? Math.max(bestT, 0) : bestT);
        // the rounded threshold reads well; the traces are those of the rounded threshold, so the text is exact
        BitSet b = new BitSet(s.size);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i]) && (above ? values[i] > threshold : values[i] <= threshold)) {
                b.set(i);
            }
        }
        Candidate c = make.apply(threshold);
        return new Candidate(c.kind, c.key, c.phrase, c.facts, b, c.tier, c.sql, c.span);
    }

    private static final double[] QUANTILES = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95,
        0.98};
    private static final double[] AT_MOST_QUANTILES = java.util.stream.DoubleStream.concat(
            java.util.stream.DoubleStream.of(0), Arrays.stream(QUANTILES)).toArray();

    /** Rounds a threshold down to two significant figures for reading ("1.2 s", "3,200 tokens"). */
    static double roundNice(double v) {
        if (v <= 0) {
            return 0;
        }
        double mag = Math.pow(10, Math.floor(Math.log10(v)) - 1);
        return Math.floor(v / mag) * mag;
    }

    /** Whether a candidate is about what the cohort was chosen by. */
    private boolean restatesCohort(Candidate x) {
        String column = x.facts.containsKey("fact") ? x.facts.get("fact") : x.facts.get("dimension");
        String attribute = x.facts.get("attribute");
        if (column != null && cohort.narrowing().stream().anyMatch(w -> column.equals(w.by().dimension().column()))) {
            return true; // narrowed to some services or models: that it is those is no finding
        }
        return switch (cohort.kind()) {
            // a retried call failed first, so "traces with an error retried" restates the error too
            case ERRORS -> "error_count".equals(column) || "retries".equals(column);
            // a failed request has a failed span, its root
            case FAILED -> "error_count".equals(column) && "0".equals(x.facts.get("threshold"));
            case SLOW_PERCENTILE -> cohort.metric().column().equals(column) || (attribute != null
                    && cohort.metric() == Cohort.Metric.INPUT_TOKENS && isInputTokens(attribute));
            case FILTER -> column != null && Pattern.compile("(?i)\\b" + Pattern.quote(column) + "\\b")
                    .matcher(cohort.filter()).find();
            // an evaluation recorded on the span (OpenInference evaluations.*, a judge's verdict) is the verdict itself
            case QUALITY -> attribute != null && attribute.toLowerCase(Locale.ROOT).contains("evaluation");
            default -> false;
        };
    }

    private static boolean isInputTokens(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("input_tokens") || k.contains("prompt_tokens") || k.endsWith("token_count.prompt");
    }

    // ------------------------------------------------------------------ combinations

    /**
     * Pairs of the strongest single properties (what a request is or where it went) that act together: the
     * combination keeps most of each part's cohort traces but few of its others ({@link #interaction}), and sets the
     * cohort apart at least as well as the better part.
     */
    private List<Candidate> combinations(List<Candidate> all) {
        List<Candidate> base = new ArrayList<>();
        for (Candidate k : all) {
            if (k.tier == 0 && k.pC >= settings.minSupport() && k.diff() > 0) {
                base.add(k);
            }
        }
        base.sort((a, b) -> Double.compare(b.diff(), a.diff()));
        List<Candidate> distinct = new ArrayList<>();
        for (Candidate k : base) {
            // the same traces under another name (model version and the gateway's model attribute) add no pair;
            // of the names, a trace fact reads best and filters fastest
            int same = -1;
            for (int d = 0; d < distinct.size() && same < 0; d++) {
                if (jaccard(distinct.get(d).traces, k.traces) >= 0.9) {
                    same = d;
                }
            }
            if (same < 0 && distinct.size() < COMBINATION_BASE) {
                distinct.add(k);
            } else if (same >= 0 && prefer(k, distinct.get(same))) {
                distinct.set(same, k);
            }
        }
        base = distinct;
        List<Candidate> found = new ArrayList<>();
        for (int i = 0; i < base.size(); i++) {
            for (int j = i + 1; j < base.size(); j++) {
                Candidate a = base.get(i);
                Candidate b = base.get(j);
                if (a.key.equals(b.key)) {
                    continue;
                }
                BitSet both = (BitSet) a.traces.clone();
                both.and(b.traces);
                Candidate c = new Candidate(Kind.COMBINATION, a.key + "\u0001" + b.key, a.phrase + " and "
                        + b.phrase, combinedFacts(a, b), both, 0, "(" + a.sql + ") AND (" + b.sql + ")",
                        spans -> {
                            long x = a.span.find(spans);
                            return x != 0 ? x : b.span.find(spans);
                        }, List.of(a, b)).measure(s, false);
                if (interaction(c, a) && interaction(c, b) && c.pC >= settings.minSupport()
                        && c.diff() >= Math.max(a.diff(), b.diff()) && c.diff() >= settings.minDifference()
                        && c.measure(s, true).confidence >= settings.minConfidence()) {
                    found.add(c);
                }
            }
        }
        found.sort((a, b) -> Double.compare(b.diff(), a.diff()));
        List<Candidate> kept = new ArrayList<>();
        for (Candidate c : found) {
            if (kept.size() < MAX_COMBINATIONS && kept.stream().noneMatch(k -> overlap(k.traces, c.traces, 0, s
                    .cohortSize) >= 0.8)) {
                kept.add(c);
            }
        }
        return kept;
    }

    /**
     * Whether {@code part} needs the other part of {@code combination}: together they keep most of its cohort
     * traces (70%) but a third or less of its other traces. Then the part alone, common among the others too, is
     * only half the story.
     */
    private static boolean interaction(Candidate combination, Candidate part) {
        return combination.pC >= 0.7 * part.pC && combination.pR <= part.pR / 3;
    }

    private static Map<String, String> combinedFacts(Candidate a, Candidate b) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("combination", label(a) + "; " + label(b));
        return f;
    }

    /** "tenant = t-globex", "retrieval · db.collection.name = kb-archive". */
    private static String label(Candidate k) {
        Map<String, String> f = k.facts;
        if (f.containsKey("dimension")) {
            return f.get("dimension") + " = " + f.get("value");
        }
        return (f.get("scope").equals(SpanFeatures.RESOURCE) ? "resource" : f.get("scope")) + " · " + f.get("attribute")
                + " = " + f.get("value");
    }

    // ------------------------------------------------------------------ one cause, one finding

    /** A finding in the making: the property that leads it and those that restate or support it. */
    private static final class Group {
        Candidate lead;
        Severity severity;
        final List<Candidate> members = new ArrayList<>();

        Group(Candidate lead) {
            this.lead = lead;
            this.severity = lead.severity();
        }
    }

    private List<Group> group(List<Candidate> passing) {
        passing.sort((a, b) -> {
            if (a.severity() != b.severity()) {
                return b.severity().compareTo(a.severity());
            }
            if (a.tier != b.tier) {
                return Integer.compare(a.tier, b.tier);
            }
            int d = Double.compare(b.diff(), a.diff());
            return d != 0 ? d : Double.compare(b.z(s), a.z(s));
        });
        List<Group> groups = new ArrayList<>();
        for (Candidate k : passing) {
            Group same = null;
            for (Group g : groups) {
                if (sameCause(g.lead, k) || sameName(g.lead, k) || g.members.stream().anyMatch(m -> sameName(m, k))) {
                    same = g;
                    break;
                }
            }
            if (same == null) {
                if (groups.size() < MAX_FINDINGS) {
                    groups.add(new Group(k));
                }
                continue;
            }
            if (k.tier < same.lead.tier || prefer(k, same.lead)) {
                same.members.add(0, same.lead); // the cause leads, its symptom supports it
                same.lead = k;
            } else {
                same.members.add(k);
            }
            if (k.severity().compareTo(same.severity) > 0) {
                same.severity = k.severity();
            }
        }
        return groups;
    }

    /**
     * Whether {@code k} should name a cause rather than {@code other}, which holds for nearly the same traces: a trace
     * fact ("were served by model version X") reads better than the span attribute it comes from, and filters the
     * trace list by a column.
     */
    private boolean prefer(Candidate k, Candidate other) {
        return k.kind == Kind.DIMENSION && (other.kind == Kind.ATTRIBUTE || other.kind == Kind.RESOURCE)
                && k.tier == other.tier && k.diff() >= other.diff() - 0.05 && jaccard(k.traces, other.traces) >= 0.9;
    }

    /** Whether {@code k} holds for mostly the same requests as {@code lead}: the same cause told another way. */
    private boolean sameCause(Candidate lead, Candidate k) {
        if (lead.parts.contains(k)) {
            return true;
        }
        double small = overlap(lead.traces, k.traces, 0, s.cohortSize);
        double large = coverage(lead.traces, k.traces, 0, s.cohortSize);
        if (small < 0.8 || large < 0.5) {
            return false;
        }
        // of one kind (two attributes, two facts): the others' requests must nest too, or they are two causes
        return lead.tier != k.tier || overlap(lead.traces, k.traces, s.cohortSize, s.size) >= 0.7;
    }

    /**
     * Whether two properties name the same thing in different attributes: the collection {@code kb-archive} as
     * {@code db.collection.name}, {@code gen_ai.data_source.id} and the span name {@code retrieval kb-archive}.
     * Names of at least five characters with a letter, equal or one a whole word of the other; numbers, booleans and
     * short codes say too little to be the same thing.
     */
    static boolean sameName(Candidate a, Candidate b) {
        String va = a.parts.isEmpty() ? a.facts.get("value") : null;
        String vb = b.parts.isEmpty() ? b.facts.get("value") : null;
        if (va == null || vb == null || a.key.equals(b.key) || !isName(va) || !isName(vb)) {
            return false;
        }
        return va.equals(vb) || words(va).contains(vb) || words(vb).contains(va);
    }

    private static boolean isName(String v) {
        return v.length() >= 5 && v.chars().anyMatch(Character::isLetter) && !v.equals("false");
    }

    private static List<String> words(String v) {
        return List.of(v.split("[\\s/:,;]+"));
    }

    /** |a ∩ b| / min(|a|, |b|) over the traces [from, to): 1 when one set holds the other. */
    private static double overlap(BitSet a, BitSet b, int from, int to) {
        int na = a.get(from, to).cardinality();
        int nb = b.get(from, to).cardinality();
        if (na == 0 || nb == 0) {
            return na == nb ? 1 : 0;
        }
        return (double) intersection(a, b, from, to) / Math.min(na, nb);
    }

    /** |a ∩ b| / max(|a|, |b|) over the traces [from, to). */
    private static double coverage(BitSet a, BitSet b, int from, int to) {
        int na = a.get(from, to).cardinality();
        int nb = b.get(from, to).cardinality();
        return Math.max(na, nb) == 0 ? 1 : (double) intersection(a, b, from, to) / Math.max(na, nb);
    }

    private static double jaccard(BitSet a, BitSet b) {
        BitSet and = (BitSet) a.clone();
        and.and(b);
        BitSet or = (BitSet) a.clone();
        or.or(b);
        return or.isEmpty() ? 1 : (double) and.cardinality() / or.cardinality();
    }

    private static int intersection(BitSet a, BitSet b, int from, int to) {
        BitSet x = a.get(from, to);
        x.and(b.get(from, to));
        return x.cardinality();
    }

    // ------------------------------------------------------------------ findings

    private Finding finding(Group g, List<Finding.Exemplar> exemplars) {
        Candidate k = g.lead;
        String who = cohort.noun();
        Finding.Cost cost = cohort.isQuality() ? null : Costs.of(s, k.traces, timeCohort());
        String summary = summary(who, k.phrase, k.pC, k.pR);
        StringBuilder ex = new StringBuilder(compared(s.sampled(), s.cohortSize, who, s.restSize(),
                cohort.isQuality() ? " other answers " + judgedBy() + " over every trace fact and attribute"
                        : " other requests over every stage, trace fact and attribute", k.pR, k.lift()));
        if (!k.parts.isEmpty()) {
            ex.append(" Neither part alone sets them apart as well: ").append(k.parts.get(0).withShares())
                    .append("; ").append(k.parts.get(1).withShares()).append(".");
        }
        if (cost != null) {
            ex.append(" ").append(Costs.sentence(cost));
        }
        if (s.thresholdText != null) {
            ex.append(thresholdSentence(s.thresholdText));
        }
        List<String> supporting = new ArrayList<>();
        g.members.stream().filter(m -> !k.parts.contains(m)).sorted((a, b) -> Double.compare(b.diff(), a.diff()))
                .limit(MAX_SUPPORTING).forEach(m -> supporting.add(m.withShares()));
        Map<String, String> facts = new LinkedHashMap<>(k.facts);
        facts.put("kind", k.kind.name().toLowerCase(Locale.ROOT));
        if (s.sampled()) {
            facts.put("sampled", "yes");
        }
        return new Finding(g.severity, Finding.ROOT_CAUSE, summary, ex.toString(), new Finding.Evidence(s.cohortSize,
                k.cC, s.restSize(), k.cR, k.diff(), k.confidence, facts, cost), supporting, exemplars,
                new Finding.Traces(cohort.and(k.sql), who + " that " + k.phrase));
    }

    /**
     * The finding {@link #explain} makes of a dimension value, from counts made outside a workspace (the spark
     * module's result): the same severity, summary and explanation, without what needs the traces themselves (the
     * cost in time, supporting properties, example traces, the trace list). {@code thresholdText} names the slow
     * thresholds of the largest operations for a percentile cohort (null: leave that sentence out).
     */
    public static Finding finding(Cohort cohort, CountedProperty p, String thresholdText) {
        String who = cohort.noun();
        double lift = p.restShare() <= 0 ? Double.POSITIVE_INFINITY : p.cohortShare() / p.restShare();
        String ex = compared(false, p.cohortTraces(), who, p.restTraces(), " other requests over the values of the "
                + "trace dimensions (counted by Spark over a lake)", p.restShare(), lift)
                + (thresholdText == null ? "" : thresholdSentence(thresholdText));
        Map<String, String> facts = Map.of("dimension", p.dimension(), "value", p.value(), "kind",
                Kind.DIMENSION.name().toLowerCase(Locale.ROOT));
        return new Finding(p.severity(), Finding.ROOT_CAUSE, summary(who, dimensionPhrase(p.dimension(), p.value()),
                p.cohortShare(), p.restShare()), ex, new Finding.Evidence(p.cohortTraces(), p.cohortMatching(),
                p.restTraces(), p.restMatching(), p.cohortShare() - p.restShare(), Proportions.confidence(
                p.cohortMatching(), p.cohortTraces(), p.restMatching(), p.restTraces()), facts), List.of(), List.of(),
                null);
    }

    /** "42% of slow requests were served by model version x (vs 7% of the others).". */
    private static String summary(String who, String phrase, double pC, double pR) {
        return pct(pC) + " of " + who + " " + phrase + " (vs " + pct(pR) + " of the others).";
    }

    /** "Compared 152 slow requests with 2,848 other requests over ...: this property is 4.2 times as common ...". */
    private static String compared(boolean sampled, long cohortSize, String who, long restSize, String over,
            double pR, double lift) {
        return "Compared " + (sampled ? "a sample of " : "") + count(cohortSize) + " " + who + " with "
                + (sampled ? "a sample of " : "") + count(restSize) + over + ": "
                + (pR == 0 ? "none of the others has this property."
                        : "this property is " + times(lift) + " as common in the cohort.");
    }

    private static String thresholdSentence(String thresholdText) {
        return " The cohort is taken per operation, at or above the percentile of the request's own operation ("
                + thresholdText + ").";
    }

    /** How a dimension value reads after "N% of slow requests": "were served by model version x". */
    private static String dimensionPhrase(String dimension, String value) {
        return DIMENSION_TEXT.get(dimension) + " " + value;
    }

    /** "groundedness judged", "evaluated": who judged the answers a quality cohort is compared with. */
    private String judgedBy() {
        String evaluator = cohort.eval().evaluator();
        return evaluator == null ? "with a verdict" : evaluator + " judged";
    }

    /** Whether the cohort was chosen by time, so that its excess time means something. */
    private boolean timeCohort() {
        return switch (cohort.kind()) {
            case SLOW_PERCENTILE -> cohort.metric() == Cohort.Metric.DURATION;
            case SLOW_THRESHOLD, REGION -> true;
            default -> false;
        };
    }

    /** Up to five cohort traces with the property, closest to the median duration of those first. */
    private List<Integer> exemplars(BitSet traces) {
        List<Integer> idx = new ArrayList<>();
        for (int i = traces.nextSetBit(0); i >= 0 && i < s.cohortSize; i = traces.nextSetBit(i + 1)) {
            idx.add(i);
        }
        if (idx.isEmpty()) {
            return idx;
        }
        long[] d = idx.stream().mapToLong(i -> s.duration[i]).sorted().toArray();
        long median = d[d.length / 2];
        idx.sort((a, b) -> Long.compare(Math.abs(s.duration[a] - median), Math.abs(s.duration[b] - median)));
        return idx.subList(0, Math.min(EXEMPLARS, idx.size()));
    }

    // ------------------------------------------------------------------ the span a property names

    private static Map<Long, SpanRow> byId(List<SpanRow> spans) {
        Map<Long, SpanRow> m = new HashMap<>();
        for (SpanRow r : spans) {
            m.putIfAbsent(r.spanId(), r);
        }
        return m;
    }

    /** The longest span that matches (0: none). */
    private static long longest(List<SpanRow> spans, java.util.function.Predicate<SpanRow> p) {
        SpanRow best = null;
        for (SpanRow r : spans) {
            if (p.test(r) && (best == null || r.durationNs() > best.durationNs())) {
                best = r;
            }
        }
        return best == null ? 0 : best.spanId();
    }

    private static long first(List<SpanRow> spans, java.util.function.Predicate<SpanRow> p) {
        for (SpanRow r : spans) {
            if (p.test(r)) {
                return r.spanId();
            }
        }
        return 0;
    }

    private static Candidate.SpanMatcher dimensionSpan(String dim, String value) {
        return switch (dim) {
            case "model" -> spans -> first(spans, r -> value.equals(r.requestModel()));
            case "model_version" -> spans -> first(spans, r -> value.equals(r.responseModel()));
            default -> spans -> 0; // route, tenant, prompt version, service, operation: the request as a whole
        };
    }

    private static Candidate.SpanMatcher factSpan(String fact) {
        return switch (fact) {
            case "retries" -> spans -> first(spans, r -> r.attempt() != null && r.attempt() > 1);
            case "cache_misses" -> spans -> first(spans, r -> Boolean.FALSE.equals(r.cacheHit()));
            case "cache_hits" -> spans -> first(spans, r -> Boolean.TRUE.equals(r.cacheHit()));
            case "error_count" -> spans -> first(spans, SpanRow::failed);
            case "queue_ns" -> spans -> longest(spans, r -> r.name().toLowerCase(Locale.ROOT).contains("queue"));
            case "docs" -> spans -> longest(spans, r -> "retrieval".equals(r.stage()));
            case "tool_calls" -> spans -> longest(spans, r -> "tool".equals(r.stage()));
            default -> spans -> longest(spans, r -> "inference".equals(r.stage())); // tokens, calls, first token
        };
    }

    /** The first span whose feature (scope, key) has a matching text or number. */
    private static Candidate.SpanMatcher featureSpan(String scope, String key,
            java.util.function.Predicate<String> text, java.util.function.DoublePredicate number) {
        return spans -> {
            long[] found = {0};
            SpanFeatures.read(spans, new SpanFeatures.Sink() {
                @Override
                public void category(String sc, String k, String v, long spanId) {
                    if (found[0] == 0 && text != null && sc.equals(scope) && k.equals(key) && text.test(v)) {
                        found[0] = spanId;
                    }
                }

                @Override
                public void number(String sc, String k, double v, long spanId) {
                    if (found[0] == 0 && number != null && sc.equals(scope) && k.equals(key) && number.test(v)) {
                        found[0] = spanId;
                    }
                }
            });
            return found[0];
        };
    }

    // ------------------------------------------------------------------ SQL for "Show these traces"

    /** A condition on one span (or its resource) of trace {@code t}. */
    private static String attributeSql(String scope, String key, String condition) {
        if (scope.equals(SpanFeatures.RESOURCE)) {
            return "EXISTS (SELECT 1 FROM spans s JOIN resources r USING (resource_id) WHERE s.trace_id = t.trace_id "
                    + "AND " + condition + ")";
        }
        return "EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id AND " + condition
                + (scope.equals(SpanFeatures.REQUEST) ? " AND s.parent_span_id IS NULL" : "") + ")";
    }

    private static String attr(boolean resource, String key) {
        return "attr(" + (resource ? "r" : "s") + ".attributes, " + quote(key) + ")";
    }

    static String quote(String v) {
        return "'" + v.replace("'", "''") + "'";
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    // ------------------------------------------------------------------ words

    private static String article(String word) {
        return "aeiou".indexOf(Character.toLowerCase(word.charAt(0))) >= 0 ? "an" : "a";
    }

    static String pct(double share) {
        if (share > 0 && share < 0.01) {
            return String.format(Locale.ROOT, "%.1f%%", share * 100);
        }
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    static String times(double lift) {
        return Double.isInfinite(lift) ? "only" : String.format(Locale.ROOT, lift >= 10 ? "%.0f times" : "%.1f times",
                lift);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
