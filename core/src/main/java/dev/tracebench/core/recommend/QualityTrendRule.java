package dev.tracebench.core.recommend;

import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Proportions;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.analysis.rules.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The retraining / prompt-update trigger: an evaluator's results on the requests of the second half of the window are
 * worse than on the first half. With pass/fail verdicts: the pass rate fell by at least {@value #MIN_DROP_POINTS}
 * points, one-sided two-proportion z test p &lt; {@value #P}. With scores only (higher is better): the mean fell,
 * one-sided Welch z test p &lt; {@value #P}.
 */
public final class QualityTrendRule {
    static final int MIN_RESULTS = 30;
    static final double P = 0.001;
    static final double MIN_DROP_POINTS = 2;

    private QualityTrendRule() {
    }

    /**
     * One evaluator's results, split at the middle of the window (by the start of the judged request).
     *
     * @param verdicts whether its results say passed or failed (else only scores count)
     */
    public record QualityStats(String evaluator, boolean verdicts, Half early, Half late,
            List<Finding.Exemplar> exemplars) {
        public QualityStats {
            exemplars = List.copyOf(exemplars);
        }
    }

    /**
     * @param results  results with a verdict (or with a score, for an evaluator without verdicts)
     * @param passed   of them passed
     * @param mean     mean score (NaN without scores)
     * @param variance sample variance of the scores
     * @param scored   results with a score
     */
    public record Half(long results, long passed, double mean, double variance, long scored) {
        double passRate() {
            return results == 0 ? Double.NaN : passed / (double) results;
        }
    }

    /** A degradation the trigger fires on: the evaluator, the numbers, and whether the test was on pass rates. */
    public static List<Recommendation> evaluate(List<QualityStats> stats) {
        List<Recommendation> out = new ArrayList<>();
        for (QualityStats q : stats) {
            Half a = q.early();
            Half b = q.late();
            String change;
            double p;
            if (q.verdicts()) {
                if (a.results() < MIN_RESULTS || b.results() < MIN_RESULTS
                        || (a.passRate() - b.passRate()) * 100 < MIN_DROP_POINTS) {
                    continue;
                }
                p = 1 - Proportions.phi(Proportions.z(a.passed(), a.results(), b.passed(), b.results()));
                change = "pass rate fell from " + Words.rate(a.passRate()) + " to " + Words.rate(b.passRate());
            } else {
                if (a.scored() < MIN_RESULTS || b.scored() < MIN_RESULTS || !(b.mean() < a.mean())) {
                    continue;
                }
                double se = Math.sqrt(a.variance() / a.scored() + b.variance() / b.scored());
                p = se == 0 ? 0 : 1 - Proportions.phi((a.mean() - b.mean()) / se);
                change = String.format(Locale.ROOT, "mean score fell from %.3f to %.3f", a.mean(), b.mean());
            }
            if (p >= P) {
                continue;
            }
            List<Recommendation.Fact> facts = new ArrayList<>();
            facts.add(new Recommendation.Fact("evaluator", q.evaluator()));
            facts.add(new Recommendation.Fact("first half", describe(a, q.verdicts())));
            facts.add(new Recommendation.Fact("second half", describe(b, q.verdicts())));
            facts.add(new Recommendation.Fact("p-value (one-sided)", String.format(Locale.ROOT, "%.2g", p)));
            String summary = "Quality degrades: the " + q.evaluator() + " " + change + " between the first and the "
                    + "second half of the window; queue a retraining or prompt update.";
            String explanation = "Compared the " + q.evaluator() + " results of requests in the second half of the "
                    + "window with those in the first (" + (q.verdicts() ? "two-proportion z test" : "Welch z test")
                    + "). Before retraining, look at what the failing answers share (tracebench explain --cohort "
                    + "eval:" + q.evaluator() + "=fail): a retrieval or prompt change is often the cause. "
                    + "tracebench recommend --trigger-file / --trigger-webhook-env hands this to a pipeline.";
            out.add(new Recommendation(RecommendationKind.RETRAIN, Severity.WARNING, "evaluator " + q.evaluator(),
                    summary, explanation, facts, q.exemplars()));
        }
        return out;
    }

    private static String describe(Half h, boolean verdicts) {
        String scores = Double.isNaN(h.mean()) ? "" : String.format(Locale.ROOT, "mean score %.3f", h.mean());
        if (!verdicts) {
            return scores + " over " + Words.count(h.scored()) + " results";
        }
        return Words.rate(h.passRate()) + " passed of " + Words.count(h.results()) + (scores.isEmpty() ? ""
                : ", " + scores);
    }
}
