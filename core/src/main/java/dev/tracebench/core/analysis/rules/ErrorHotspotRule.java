package dev.tracebench.core.analysis.rules;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Proportions;
import dev.tracebench.core.analysis.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code error-hotspot}: model calls by the model asked for (a failed call often names no served version). A model
 * is reported when at least 2% of its calls fail and either
 *
 * <ul>
 *   <li>it fails at least {@code errorHotspotShare} times as often as the other models: failures concentrate on it
 *       (notice; warning from 5% of its calls, critical from 10%), or</li>
 *   <li>its failure rate rose threefold from the first third of the time range to the last, to at least 3%, more
 *       than chance explains (two-proportion z test, confidence 0.999): something changed (warning; critical from
 *       10%).</li>
 * </ul>
 *
 * The text claims only what held: a model that fails more and more but not more than the others is not said to
 * concentrate the failures.
 */
public final class ErrorHotspotRule implements CheckRule<List<ErrorHotspotRule.ModelCalls>> {
    /** A model's calls need this many to be judged. */
    public static final int MIN_CALLS = 30;
    static final double MIN_RATE = 0.02;

    /**
     * A model's calls and failures, the failure rate of all other models' calls, and calls and failures in the first
     * and the last third of the time range; examples of its failed calls (looked up only for a finding).
     */
    public record ModelCalls(String model, long calls, long failed, double othersRate, long earlyCalls,
            long earlyFailed, long lateCalls, long lateFailed, Supplier<List<Finding.Exemplar>> failures) {

        double rate() {
            return calls == 0 ? 0 : (double) failed / calls;
        }
    }

    @Override
    public String id() {
        return "error-hotspot";
    }

    @Override
    public String title() {
        return "Error hotspots";
    }

    @Override
    public List<Finding> evaluate(List<ModelCalls> models, CheckSettings settings) {
        List<Finding> out = new ArrayList<>();
        for (ModelCalls m : models) {
            if (m.calls() < MIN_CALLS) {
                continue;
            }
            double rate = m.rate();
            double early = m.earlyCalls() == 0 ? 0 : (double) m.earlyFailed() / m.earlyCalls();
            double late = m.lateCalls() == 0 ? 0 : (double) m.lateFailed() / m.lateCalls();
            double others = m.othersRate();
            boolean concentrated = rate >= settings.errorHotspotShare() * Math.max(others, 0.001);
            boolean rose = late >= 0.03 && late >= 3 * Math.max(early, 0.005)
                    && Proportions.confidence(m.lateFailed(), m.lateCalls(), m.earlyFailed(), m.earlyCalls()) >= 0.999;
            if (rate < MIN_RATE || !(concentrated || rose)) {
                continue;
            }
            Severity sev = rate >= 0.10 ? Severity.CRITICAL : rose || rate >= 0.05 ? Severity.WARNING : Severity.NOTICE;
            String counts = Words.count(m.failed()) + " of " + Words.count(m.calls());
            StringBuilder summary = new StringBuilder("Calls to model " + m.model() + " fail " + Words.rate(rate)
                    + " of the time (" + counts + ")");
            if (concentrated) {
                summary.append(", ").append(others > 0 ? Words.times(rate / others) + " times the rate of the other "
                        + "models (" + Words.rate(others) + ")" : "while the other models do not fail");
            } else {
                summary.append(", about as often as the other models (").append(Words.rate(others)).append(")");
            }
            if (rose) {
                summary.append(concentrated ? "; " : ", but ").append("the rate rose from ").append(Words.rate(early))
                        .append(" in the first third of the time range to ").append(Words.rate(late))
                        .append(" in the last");
            }
            summary.append(".");
            String explanation = concentrated
                    ? "Failures concentrate on this model: a bad rollout, a quota or an outage of that deployment. "
                            + "Check the error messages of its failed calls and whether clients retried."
                    : "Failures of this model became more frequent over time: look for what changed when the rate "
                            + "rose (a new model version, a quota, the provider's status), and at its failed calls.";
            out.add(new Finding(sev, id(), summary.toString(), explanation,
                    new Finding.Evidence(m.calls(), m.failed(), 0, 0, rate, 0, Map.of("model", m.model(),
                            "failure_rate", Words.rate(rate), "others_failure_rate", Words.rate(others),
                            "first_third", Words.rate(early), "last_third", Words.rate(late),
                            "ratio_to_others", others > 0 ? String.format(Locale.ROOT, "%.2f", rate / others)
                                    : "inf")), m.failures().get()));
        }
        return out;
    }
}
