package dev.tracebench.core.eval;

import java.util.List;
import java.util.Map;

/**
 * One metric of one run, for the metric cards: how many results, how many passed and failed (of those with a
 * verdict), the mean score (of those with a score), the score distribution and the labels.
 *
 * @param histogram counts of scores in {@code bins} equal bins between {@code min} and {@code max}
 * @param labels    count per label, most frequent first
 */
public record MetricSummary(String evaluator, long count, long passed, long failed, Double mean, double min,
        double max, List<Long> histogram, Map<String, Long> labels) {

    public MetricSummary {
        histogram = List.copyOf(histogram);
        labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
    }

    /** passed / (passed + failed), or null without verdicts. */
    public Double passRate() {
        long n = passed + failed;
        return n == 0 ? null : (double) passed / n;
    }
}
