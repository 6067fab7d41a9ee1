package dev.tracebench.core.eval;

import dev.tracebench.core.model.TraceId;

import java.util.List;

/**
 * Run B against run A: per metric the change in mean score and pass rate over the examples both runs judged, with a
 * bootstrap 95% confidence interval of the mean's change, and the examples that regressed (passed in A, failed in B,
 * or lost score) or were fixed.
 */
public record RunComparison(EvalRun a, EvalRun b, List<MetricDelta> metrics, List<ExampleChange> regressed,
        List<ExampleChange> fixed) {

    public RunComparison {
        metrics = List.copyOf(metrics);
        regressed = List.copyOf(regressed);
        fixed = List.copyOf(fixed);
    }

    /**
     * @param paired   examples judged by this metric in both runs
     * @param ciLow    low end of the bootstrap 95% interval of {@code meanB - meanA} (over paired examples)
     * @param ciHigh   high end
     */
    public record MetricDelta(String evaluator, long paired, Double meanA, Double meanB, Double passRateA,
            Double passRateB, double delta, double ciLow, double ciHigh) {

        /** Whether the interval excludes 0. */
        public boolean significant() {
            return ciLow > 0 || ciHigh < 0;
        }
    }

    public record ExampleChange(String key, TraceId traceIdA, TraceId traceIdB, String evaluator, Double scoreA,
            Double scoreB, String labelA, String labelB) {
    }
}
