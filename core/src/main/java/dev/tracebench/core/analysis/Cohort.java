package dev.tracebench.core.analysis;

import dev.tracebench.core.report.Durations;
import java.util.List;
import java.util.Locale;

/**
 * A set of traces to analyse or to compare with the rest of the workspace.
 *
 * <ul>
 *   <li>{@link Kind#ALL}: every trace.</li>
 *   <li>{@link Kind#SLOW_PERCENTILE}: traces at or above the given percentile of duration <em>of their own root
 *       operation</em> (an agent endpoint is slower than a chat endpoint; a cohort per operation compares like with
 *       like).</li>
 *   <li>{@link Kind#SLOW_THRESHOLD}: traces lasting at least {@code minDurationNs}.</li>
 *   <li>{@link Kind#ERRORS}: traces with an error: at least one failed span (a failed call that was retried counts
 *       too).</li>
 *   <li>{@link Kind#FAILED}: failed requests: the root span failed (what the caller saw). Fewer than the traces with
 *       an error: a retried call or a fallback hides a failed span from the caller.</li>
 *   <li>{@link Kind#REGION}: a rectangle of the latency heatmap: start time in [fromNs, toNs) and duration in
 *       [minDurationNs, maxDurationNs).</li>
 *   <li>{@link Kind#FILTER}: a SQL boolean expression over the columns of the {@code traces} table (see
 *       {@link AnalysisService#filterColumns()}), e.g. {@code service_name = 'docs-search' AND model = 'gpt-4o'}.</li>
 *   <li>{@link Kind#QUALITY}: traces whose answers an eval judged so ({@link EvalCondition}): a label, a score
 *       range, a verdict, or any failed eval. Compared with the other traces the same evaluator judged (any evaluator
 *       for {@code any-fail}), not with traces nobody evaluated.</li>
 * </ul>
 *
 * <p>Any cohort can be narrowed to traces with chosen values of a dimension ({@link #within}, {@link #excluding}):
 * "slow requests of services a and b", or one group of a breakdown. The values are data, never SQL: the store
 * writes them as quoted literals. Any kind but FILTER may also be narrowed by a SQL expression ({@link #and}): the
 * traces a finding is about, "the slow requests that came from tenant acme".
 */
public record Cohort(Kind kind, double percentile, long fromNs, long toNs, long minDurationNs, long maxDurationNs,
        String filter, Metric metric, List<Within> narrowing, EvalCondition eval) {

    public enum Kind { ALL, SLOW_PERCENTILE, SLOW_THRESHOLD, ERRORS, FAILED, REGION, FILTER, QUALITY }

    /**
     * What a percentile cohort ranks requests by: duration ("slow"), input tokens or cost. Each is taken per root
     * operation.
     */
    public enum Metric {
        DURATION("duration_ns", "slow"), INPUT_TOKENS("input_tokens", "tokens"), COST("cost", "cost");

        private final String column;
        private final String word;

        Metric(String column, String word) {
            this.column = column;
            this.word = word;
        }

        /** The traces column holding it. */
        public String column() {
            return column;
        }

        /** The CLI prefix: slow, tokens, cost. */
        public String word() {
            return word;
        }
    }

    /**
     * Traces whose group value ({@link Breakdown#NONE} for traces without one, as a breakdown groups them) is one of
     * {@code values}, or with {@code exclude}, none of them.
     */
    public record Within(GroupBy by, List<String> values, boolean exclude) {
        public Within {
            if (by == null || by.dimension() == Dimension.NONE) {
                throw new IllegalArgumentException("narrowing a cohort needs a dimension");
            }
            values = List.copyOf(new java.util.TreeSet<>(values)); // sorted, no repeats: equal sets are equal
        }

        /** "service docs-search", "model gpt-4o or gpt-4o-mini", "tenant other than acme, globex". */
        public String label() {
            String shown = values.size() <= 3 ? String.join(exclude ? ", " : " or ", values)
                    : String.join(", ", values.subList(0, 2)) + " and " + (values.size() - 2) + " more";
            return by.label() + " " + (exclude ? "other than " : "") + shown;
        }
    }

    /** The same as the canonical constructor with {@code metric} = duration. */
    public Cohort(Kind kind, double percentile, long fromNs, long toNs, long minDurationNs, long maxDurationNs,
            String filter) {
        this(kind, percentile, fromNs, toNs, minDurationNs, maxDurationNs, filter, Metric.DURATION);
    }

    /** The same as the canonical constructor, not narrowed. */
    public Cohort(Kind kind, double percentile, long fromNs, long toNs, long minDurationNs, long maxDurationNs,
            String filter, Metric metric) {
        this(kind, percentile, fromNs, toNs, minDurationNs, maxDurationNs, filter, metric, List.of());
    }

    /** The same as the canonical constructor without an eval condition (any kind but QUALITY). */
    public Cohort(Kind kind, double percentile, long fromNs, long toNs, long minDurationNs, long maxDurationNs,
            String filter, Metric metric, List<Within> narrowing) {
        this(kind, percentile, fromNs, toNs, minDurationNs, maxDurationNs, filter, metric, narrowing, null);
    }

    public Cohort {
        if (metric == null) {
            metric = Metric.DURATION;
        }
        // one order whatever order the narrowing was chosen in, so equal selections are equal cohorts
        narrowing = narrowing == null ? List.of() : narrowing.stream().distinct().sorted(java.util.Comparator
                .comparing((Within w) -> w.by().dimension()).thenComparing(w -> String.valueOf(w.by().attributeKey()))
                .thenComparing(w -> w.exclude()).thenComparing(w -> w.values().toString())).toList();
        if (kind == null) {
            throw new IllegalArgumentException("a cohort needs a kind");
        }
        if (kind == Kind.SLOW_PERCENTILE && !(percentile > 0 && percentile < 100)) {
            throw new IllegalArgumentException("the percentile must be between 0 and 100, not " + percentile);
        }
        if (kind == Kind.FILTER && (filter == null || filter.isBlank())) {
            throw new IllegalArgumentException("a filter cohort needs an expression");
        }
        if ((kind == Kind.QUALITY) != (eval != null)) {
            throw new IllegalArgumentException("a quality cohort, and only it, has an eval condition");
        }
        if (filter != null && filter.isBlank()) {
            filter = null;
        }
    }

    public static Cohort all() {
        return new Cohort(Kind.ALL, 0, 0, 0, 0, 0, null);
    }

    /** Traces at or above the {@code p}-th percentile of duration of their root operation, e.g. 95. */
    public static Cohort slow(double p) {
        return new Cohort(Kind.SLOW_PERCENTILE, p, 0, 0, 0, 0, null);
    }

    /** Traces at or above the {@code p}-th percentile of {@code metric} of their root operation. */
    public static Cohort top(Metric metric, double p) {
        return new Cohort(Kind.SLOW_PERCENTILE, p, 0, 0, 0, 0, null, metric);
    }

    public static Cohort slowerThan(long ns) {
        return new Cohort(Kind.SLOW_THRESHOLD, 0, 0, 0, ns, Long.MAX_VALUE, null);
    }

    /** Traces with an error: any span failed. */
    public static Cohort errors() {
        return new Cohort(Kind.ERRORS, 0, 0, 0, 0, 0, null);
    }

    /** Failed requests: the root span failed. */
    public static Cohort failed() {
        return new Cohort(Kind.FAILED, 0, 0, 0, 0, 0, null);
    }

    /** A brushed heatmap region: start in [fromNs, toNs), duration in [minDurationNs, maxDurationNs). */
    public static Cohort region(long fromNs, long toNs, long minDurationNs, long maxDurationNs) {
        return new Cohort(Kind.REGION, 0, fromNs, toNs, minDurationNs, maxDurationNs, null);
    }

    public static Cohort filter(String expression) {
        return new Cohort(Kind.FILTER, 0, 0, 0, 0, 0, expression);
    }

    /** Traces with an eval result that meets {@code condition}: "hallucinated answers", "answers that failed an eval". */
    public static Cohort quality(EvalCondition condition) {
        return new Cohort(Kind.QUALITY, 0, 0, 0, 0, 0, null, Metric.DURATION, List.of(), condition);
    }

    /** Whether the cohort is chosen by eval results (answers, not requests). */
    public boolean isQuality() {
        return kind == Kind.QUALITY;
    }

    /**
     * This cohort narrowed to the traces whose {@code by} value is one of {@code values} (on top of any narrowing it
     * had). No values: no trace.
     */
    public Cohort within(GroupBy by, java.util.Collection<String> values) {
        return narrowed(new Within(by, List.copyOf(values), false));
    }

    /** This cohort without the traces whose {@code by} value is one of {@code values}. */
    public Cohort excluding(GroupBy by, java.util.Collection<String> values) {
        return narrowed(new Within(by, List.copyOf(values), true));
    }

    /** The same selection as {@code other} narrows by (this cohort's own narrowing replaced). */
    public Cohort narrowedAs(Cohort other) {
        return new Cohort(kind, percentile, fromNs, toNs, minDurationNs, maxDurationNs, filter, metric,
                other.narrowing, eval);
    }

    private Cohort narrowed(Within w) {
        List<Within> out = new java.util.ArrayList<>(narrowing);
        out.add(w);
        return new Cohort(kind, percentile, fromNs, toNs, minDurationNs, maxDurationNs, filter, metric, out, eval);
    }

    /**
     * The traces of this cohort for which the SQL expression over the columns of {@code traces t} also holds (a FILTER
     * cohort gets both expressions joined with AND).
     */
    public Cohort and(String expression) {
        String f = filter == null ? expression : "(" + filter + ") AND (" + expression + ")";
        return new Cohort(kind, percentile, fromNs, toNs, minDurationNs, maxDurationNs, f, metric, narrowing, eval);
    }

    /** This cohort without the expression {@link #and} narrowed it by (a FILTER cohort: itself). */
    public Cohort unfiltered() {
        return kind == Kind.FILTER || filter == null ? this
                : new Cohort(kind, percentile, fromNs, toNs, minDurationNs, maxDurationNs, null, metric, narrowing,
                        eval);
    }

    /** Every trace of the workspace: ALL and not narrowed. */
    public boolean isEverything() {
        return kind == Kind.ALL && narrowing.isEmpty() && filter == null;
    }

    /**
     * Parses the command line form: {@code all}, {@code errors} (traces with an error), {@code failed} (failed
     * requests), {@code slow:p95} (or {@code slow:p99.9}),
     * {@code tokens:p90}, {@code cost:p90}, {@code slow:2s} / {@code slow:1500ms}, a quality cohort
     * ({@code eval:groundedness=hallucinated}, {@code eval:relevance<0.5}, {@code eval:faithfulness=fail},
     * {@code eval:any-fail}: {@link EvalCondition#parse}), or anything else as a SQL filter expression. The one entry
     * point for cohort text (CLI options, the GUI's cohort field).
     *
     * @throws IllegalArgumentException for a malformed slow/tokens/cost/eval form (saying which forms there are)
     */
    public static Cohort parse(String text) {
        String t = text == null ? "" : text.strip();
        String l = t.toLowerCase(Locale.ROOT);
        if (l.isEmpty() || l.equals("all")) {
            return all();
        }
        if (l.equals("errors") || l.equals("error")) {
            return errors();
        }
        if (l.equals("failed")) {
            return failed();
        }
        for (Metric m : Metric.values()) {
            String prefix = m.word() + ":p";
            if (l.startsWith(prefix)) {
                try {
                    return top(m, Double.parseDouble(l.substring(prefix.length())));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + t + "': expected " + m.word() + ":pNN, e.g. "
                            + m.word() + ":p95");
                }
            }
        }
        if (l.startsWith("slow:")) {
            return slowerThan(Durations.parseNanos(l.substring(5)));
        }
        if (l.startsWith("eval:")) {
            return quality(EvalCondition.parse(t.substring(5)));
        }
        return filter(t);
    }

    /**
     * Short words for titles and findings: "slow requests (≥ p95 of their operation)", "failed requests", "all
     * requests with service docs-search", …
     */
    public String label() {
        return baseLabel() + narrowingLabel();
    }

    /** What the cohort is narrowed to: " with service docs-search and model gpt-4o", or empty. */
    public String narrowingLabel() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < narrowing.size(); i++) {
            s.append(i == 0 ? " with " : " and ").append(narrowing.get(i).label());
        }
        return s.toString();
    }

    private String baseLabel() {
        String base = switch (kind) {
            case ALL -> "all requests";
            case SLOW_PERCENTILE -> switch (metric) {
                case DURATION -> "slow requests (≥ p" + trim(percentile) + " of their operation)";
                case INPUT_TOKENS -> "requests with the most input tokens (≥ p" + trim(percentile) + " of their operation)";
                case COST -> "the costliest requests (≥ p" + trim(percentile) + " of their operation)";
            };
            case SLOW_THRESHOLD -> "requests ≥ " + Durations.format(minDurationNs);
            case ERRORS -> "traces with an error";
            case FAILED -> "failed requests";
            case REGION -> "requests in the selected region";
            case FILTER -> "requests where " + filter;
            case QUALITY -> eval.words();
        };
        return kind == Kind.FILTER || filter == null ? base : base + " where " + filter;
    }

    /**
     * What the cohort's traces are called in a sentence: "hallucinated answers" for a quality cohort (its label says
     * the condition; findings say it once, in their title), else {@link #label}.
     */
    public String noun() {
        return kind == Kind.QUALITY ? eval.noun() + (filter == null ? "" : " where " + filter) + narrowingLabel()
                : label();
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
