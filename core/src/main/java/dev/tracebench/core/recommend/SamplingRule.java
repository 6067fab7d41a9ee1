package dev.tracebench.core.recommend;

import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.analysis.rules.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sums up the tracing overhead's sampling candidates (spans that are always fast and never on a critical path that
 * explains anything) into one recommendation, when they cost at least {@value #MIN_SHARE_PERCENT}% of the bytes.
 */
public final class SamplingRule {
    static final double MIN_SHARE_PERCENT = 1;
    /** Candidates named in the evidence, heaviest first. */
    static final int LISTED = 8;

    /** A candidate's spans take under this share of their trace's duration at the 99th percentile... */
    static final double FAST_SHARE = 0.01;
    /** ...and never hold this share of a request's critical path. */
    static final double PATH_SHARE = 0.01;

    private SamplingRule() {
    }

    /**
     * The overhead row of one service, stage and operation, deciding whether it is a sampling candidate: never the
     * root, never failed, p99 duration under {@link #FAST_SHARE} of its trace's, never {@link #PATH_SHARE} of a
     * critical path.
     *
     * @param p99Share     99th percentile of (span duration / its trace's duration)
     * @param maxPathShare the largest share of a request's critical path the operation held
     */
    public static TracingOverhead.Row row(String service, String stage, String operation, long spans, long bytes,
            long attributeBytes, boolean root, long failed, double p99Share, double maxPathShare) {
        String reason;
        boolean candidate = false;
        if (root) {
            reason = "a request's root span";
        } else if (failed > 0) {
            reason = "failed " + Words.count(failed) + " times";
        } else if (p99Share >= FAST_SHARE) {
            reason = "p99 " + Words.rate(p99Share) + " of its trace's duration";
        } else if (maxPathShare >= PATH_SHARE) {
            reason = "up to " + Words.rate(maxPathShare) + " of a critical path";
        } else {
            candidate = true;
            reason = "p99 " + Words.rate(p99Share) + " of its trace, at most " + Words.rate(maxPathShare)
                    + " of a critical path";
        }
        return new TracingOverhead.Row(service, stage, operation, spans, bytes, attributeBytes, candidate, reason);
    }

    public static List<Recommendation> evaluate(TracingOverhead o) {
        List<TracingOverhead.Row> candidates = new ArrayList<>();
        long spans = 0;
        long bytes = 0;
        for (TracingOverhead.Row r : o.rows()) {
            if (r.samplingCandidate()) {
                candidates.add(r);
                spans += r.spans();
                bytes += r.bytes();
            }
        }
        if (o.bytes() == 0 || bytes * 100.0 / o.bytes() < MIN_SHARE_PERCENT) {
            return List.of();
        }
        candidates.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        List<Recommendation.Fact> facts = new ArrayList<>();
        facts.add(new Recommendation.Fact("candidates", candidates.size() + " operations, " + Words.count(spans)
                + " spans (" + Words.rate(spans / (double) o.spans()) + " of all)"));
        facts.add(new Recommendation.Fact("storage", bytes(bytes) + " of " + bytes(o.bytes()) + " ("
                + Words.rate(bytes / (double) o.bytes()) + ")"));
        for (TracingOverhead.Row r : candidates.subList(0, Math.min(LISTED, candidates.size()))) {
            facts.add(new Recommendation.Fact(r.service() + " · " + r.operation(), Words.count(r.spans()) + " spans, "
                    + bytes(r.bytes()) + "; " + r.reason()));
        }
        String summary = "Sample away " + candidates.size() + " operations that never matter: "
                + Words.count(spans) + " spans, " + bytes(bytes) + " (" + Words.rate(bytes / (double) o.bytes())
                + " of the trace data), always fast and never on a critical path that explains anything.";
        String explanation = "A span is a candidate when its operation is never the root, never failed, its 99th "
                + "percentile duration is under 1% of its trace's duration, and it never holds 1% of a request's "
                + "critical path. Drop them with a tail-sampling or filter processor in the OpenTelemetry Collector "
                + "(e.g. filter on span name and service), or stop creating them; keep them where they fail.";
        return List.of(new Recommendation(RecommendationKind.SAMPLING, Severity.INFO, "tracing overhead", summary,
                explanation, facts, List.of()));
    }

    /** "1.2 MB", "830 kB", "512 B" (decimal units, as storage is billed). */
    public static String bytes(long b) {
        if (b < 1000) {
            return b + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = b;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }
}
