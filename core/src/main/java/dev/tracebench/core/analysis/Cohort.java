package dev.tracebench.core.analysis;

import dev.tracebench.core.report.Durations;
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
 *   <li>{@link Kind#FILTER}: a SQL boolean expression over the columns of {@code trace_facts_view} (see
 *       {@link AnalysisService#filterColumns()}), e.g. {@code service_name = 'docs-search' AND model = 'gpt-4o'}.</li>
 * </ul>
 *
 * Any other kind may be narrowed by a filter too ({@link #and}): "the slow requests that came from tenant acme", the
 * traces a finding is about.
 */
public record Cohort(Kind kind, double percentile, long fromNs, long toNs, long minDurationNs, long maxDurationNs,
        String filter, Metric metric) {

    public enum Kind { ALL, SLOW_PERCENTILE, SLOW_THRESHOLD, ERRORS, FAILED, REGION, FILTER }

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

    /** The same as the canonical constructor with {@code metric} = duration. */
    public Cohort(Kind kind, double percentile, long fromNs, long toNs, long minDurationNs, long maxDurationNs,
            String filter) {
        this(kind, percentile, fromNs, toNs, minDurationNs, maxDurationNs, filter, Metric.DURATION);
    }

    public Cohort {
        if (metric == null) {
            metric = Metric.DURATION;
        }
        if (kind == null) {
            throw new IllegalArgumentException("a cohort needs a kind");
        }
        if (kind == Kind.SLOW_PERCENTILE && !(percentile > 0 && percentile < 100)) {
            throw new IllegalArgumentException("the percentile must be between 0 and 100, not " + percentile);
        }
        if (kind == Kind.FILTER && (filter == null || filter.isBlank())) {
            throw new IllegalArgumentException("a filter cohort needs an expression");
        }
        if (filter != null && filter.isBlank()) {
            filter = null;
        }
    }

    /**
     * The traces of this cohort for which the SQL expression over the columns of {@code traces t} also holds (a FILTER
     * cohort gets both expressions joined with AND).
     */
    public Cohort and(String expression) {
        String f = filter == null ? expression : "(" + filter + ") AND (" + expression + ")";
        return new Cohort(kind, percentile, fromNs, toNs, minDurationNs, maxDurationNs, f, metric);
    }

    /** This cohort without a narrowing filter (for a FILTER cohort: itself). */
    public Cohort unfiltered() {
        return kind == Kind.FILTER || filter == null ? this
                : new Cohort(kind, percentile, fromNs, toNs, minDurationNs, maxDurationNs, null, metric);
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

    /**
     * Parses the command line form: {@code all}, {@code errors} (traces with an error), {@code failed} (failed
     * requests), {@code slow:p95} (or {@code slow:p99.9}),
     * {@code tokens:p90}, {@code cost:p90}, {@code slow:2s} / {@code slow:1500ms}, or anything else as a SQL filter
     * expression.
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
        return filter(t);
    }

    /** Short words for titles and findings: "slow requests (≥ p95 of their operation)", "failed requests", … */
    public String label() {
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
        };
        return kind == Kind.FILTER || filter == null ? base : base + " where " + filter;
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
