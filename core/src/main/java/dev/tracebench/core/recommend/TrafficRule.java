package dev.tracebench.core.recommend;

import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Proportions;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.analysis.rules.Words;
import dev.tracebench.core.report.Durations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Traffic weights per model version within a group (models a router can swap: the requested model name). Each
 * version keeps its current share of the group's traffic, multiplied by a factor for each way it is significantly
 * worse than the best version of the group, and the products are normalised to sum to 1:
 * <ul>
 * <li>errors: (best error rate + 1 point) / (its error rate + 1 point), when its error rate is higher with
 * one-sided p &lt; {@value #P} (two-proportion z test);</li>
 * <li>latency: best p95 / its p95, when its p95 is at least {@value #SLOWER} times the best;</li>
 * <li>quality: its pass rate / the best pass rate, when lower with p &lt; {@value #P}.</li>
 * </ul>
 * A version with fewer than {@value #MIN_CALLS} calls keeps its share (too few to judge). Pure: the store gathers the
 * numbers.
 */
public final class TrafficRule {
    /** Calls a version needs before it is judged. */
    static final int MIN_CALLS = 50;
    /** Judged answers a version needs before its pass rate counts. */
    static final int MIN_JUDGED = 30;
    /** One-sided significance level of the error and pass-rate comparisons. */
    static final double P = 0.01;
    /** A p95 this many times the best version's is penalised. */
    static final double SLOWER = 1.5;
    /** The error-rate factor's smoothing (one percentage point), so a best rate of 0 does not zero everyone else. */
    static final double SMOOTHING = 0.01;

    private TrafficRule() {
    }

    /**
     * One served model (version) in a group.
     *
     * @param group        the requested model name the router routes by
     * @param model        the served model (version)
     * @param provider     its provider (openai, anthropic, ...), or null
     * @param calls        model calls it served in the window
     * @param errors       of them failed
     * @param p95Ns        95th percentile call duration
     * @param judged       answers of requests it served that an evaluator judged
     * @param passed       of them passed
     * @param recentCalls  calls in the last quarter of the window (its current share)
     * @param exemplars    failed calls (traces and spans), for the evidence
     */
    public record ModelStats(String group, String model, String provider, long calls, long errors, long p95Ns,
            long judged, long passed, long recentCalls, List<Finding.Exemplar> exemplars) {
        public ModelStats {
            exemplars = List.copyOf(exemplars);
        }

        double errorRate() {
            return calls == 0 ? 0 : errors / (double) calls;
        }

        double passRate() {
            return judged < MIN_JUDGED ? Double.NaN : passed / (double) judged;
        }
    }

    /** The weights of every group with two or more versions, and a recommendation per penalised version. */
    public record Result(List<ModelWeight> weights, List<Recommendation> items) {
    }

    public static Result evaluate(List<ModelStats> stats) {
        Map<String, List<ModelStats>> groups = new LinkedHashMap<>();
        for (ModelStats s : stats) {
            groups.computeIfAbsent(s.group(), g -> new ArrayList<>()).add(s);
        }
        List<ModelWeight> weights = new ArrayList<>();
        List<Recommendation> items = new ArrayList<>();
        for (List<ModelStats> g : groups.values()) {
            if (g.size() >= 2) {
                group(g, weights, items);
            }
        }
        return new Result(weights, items);
    }

    private static void group(List<ModelStats> g, List<ModelWeight> weights, List<Recommendation> items) {
        long recent = g.stream().mapToLong(ModelStats::recentCalls).sum();
        ModelStats bestErrors = null;
        ModelStats fastest = null;
        ModelStats bestQuality = null;
        for (ModelStats s : g) {
            if (s.calls() < MIN_CALLS) {
                continue;
            }
            if (bestErrors == null || s.errorRate() < bestErrors.errorRate()) {
                bestErrors = s;
            }
            if (fastest == null || s.p95Ns() < fastest.p95Ns()) {
                fastest = s;
            }
            if (!Double.isNaN(s.passRate()) && (bestQuality == null || s.passRate() > bestQuality.passRate())) {
                bestQuality = s;
            }
        }
        double[] share = new double[g.size()];
        double[] health = new double[g.size()];
        List<List<String>> reasons = new ArrayList<>();
        double sum = 0;
        for (int i = 0; i < g.size(); i++) {
            ModelStats s = g.get(i);
            share[i] = recent == 0 ? 1.0 / g.size() : s.recentCalls() / (double) recent;
            health[i] = 1;
            List<String> why = new ArrayList<>();
            if (s.calls() >= MIN_CALLS) {
                if (s != bestErrors && worse(s.errors(), s.calls(), bestErrors.errors(), bestErrors.calls())) {
                    double f = (bestErrors.errorRate() + SMOOTHING) / (s.errorRate() + SMOOTHING);
                    health[i] *= f;
                    why.add(String.format(Locale.ROOT, "× %.2f for errors (%s of calls failed vs %s on %s)", f,
                            Words.rate(s.errorRate()), Words.rate(bestErrors.errorRate()), bestErrors.model()));
                }
                if (s != fastest && s.p95Ns() >= SLOWER * fastest.p95Ns()) {
                    double f = fastest.p95Ns() / (double) s.p95Ns();
                    health[i] *= f;
                    why.add(String.format(Locale.ROOT, "× %.2f for latency (p95 %s vs %s on %s)", f,
                            Durations.format(s.p95Ns()), Durations.format(fastest.p95Ns()), fastest.model()));
                }
                if (bestQuality != null && s != bestQuality && !Double.isNaN(s.passRate())
                        && worse(bestQuality.passed(), bestQuality.judged(), s.passed(), s.judged())) {
                    double f = s.passRate() / bestQuality.passRate();
                    health[i] *= f;
                    why.add(String.format(Locale.ROOT, "× %.2f for quality (pass rate %s vs %s on %s)", f,
                            Words.rate(s.passRate()), Words.rate(bestQuality.passRate()), bestQuality.model()));
                }
            }
            reasons.add(why);
            sum += share[i] * health[i];
        }
        for (int i = 0; i < g.size(); i++) {
            ModelStats s = g.get(i);
            double w = sum == 0 ? share[i] : share[i] * health[i] / sum;
            weights.add(new ModelWeight(s.model(), s.calls(), s.errorRate(), s.p95Ns(), s.passRate(), share[i], w,
                    s.group(), s.provider()));
            // a version without recent calls has no traffic to shift away
            if (health[i] < 1 && share[i] > 0) {
                items.add(recommendation(s, share[i], w, health[i], reasons.get(i), g));
            }
        }
    }

    /** Whether x1/n1 is greater than x2/n2 with one-sided p below {@link #P}. */
    static boolean worse(long x1, long n1, long x2, long n2) {
        return 1 - Proportions.phi(Proportions.z(x1, n1, x2, n2)) < P;
    }

    private static Recommendation recommendation(ModelStats s, double share, double weight, double health,
            List<String> why, List<ModelStats> group) {
        List<Recommendation.Fact> facts = new ArrayList<>();
        facts.add(new Recommendation.Fact("recommended weight", Words.rate(weight) + " (now " + Words.rate(share)
                + " of " + s.group() + " calls)"));
        facts.add(new Recommendation.Fact("calls", Words.count(s.calls())));
        for (ModelStats o : group) {
            facts.add(new Recommendation.Fact(o.model(), "error rate " + Words.rate(o.errorRate()) + ", p95 "
                    + Durations.format(o.p95Ns()) + (Double.isNaN(o.passRate()) ? ""
                            : ", pass rate " + Words.rate(o.passRate()))));
        }
        facts.add(new Recommendation.Fact("factor", String.format(Locale.ROOT, "%.3f", health)));
        String summary = "Shift " + s.group() + " traffic away from " + s.model() + ": weight " + Words.rate(weight)
                + " instead of " + Words.rate(share) + " (its share × " + String.format(Locale.ROOT, "%.2f", health)
                + ": "
                + String.join(", ", why) + ").";
        String explanation = "Each version of " + s.group() + " keeps its current share of the traffic (the last "
                + "quarter of the window) multiplied by a factor for each way it is significantly worse than the best "
                + "version, and the weights are normalised to sum to 1 (docs/recommendations.md). Apply the weights "
                + "to the router (tracebench recommend --router-config FILE writes a LiteLLM model_list), then watch "
                + "the error rate and p95 of " + s.model() + " before shifting traffic back.";
        Severity sev = s.errorRate() >= 2 * group.stream().mapToDouble(ModelStats::errorRate).min().orElse(0)
                && health < 0.5 ? Severity.CRITICAL : Severity.WARNING;
        return new Recommendation(RecommendationKind.TRAFFIC, sev, "model " + s.model(), summary, explanation, facts,
                s.exemplars());
    }

    /**
     * One sentence on how a weight came about: its share now and how the weight compares with it, with the numbers
     * against the group's best.
     */
    public static String why(ModelWeight w) {
        String base = w.model() + " gets " + Words.rate(w.weight()) + " of " + w.group() + " (now "
                + Words.rate(w.currentShare()) + "): error rate " + Words.rate(w.errorRate()) + ", p95 "
                + Durations.format(w.p95Ns()) + (Double.isNaN(w.passRate()) ? "" : ", pass rate "
                        + Words.rate(w.passRate()));
        return base + (w.weight() < w.currentShare() - 0.005 ? "; reduced because it is significantly worse than the "
                + "best version" : w.weight() > w.currentShare() + 0.005 ? "; raised as the others are reduced"
                : "; unchanged, nothing significantly worse") + ".";
    }
}
