package dev.tracebench.core.eval;

/** Quality over time: one metric's results judged in [{@code fromNs}, {@code toNs}) (by the trace's start, else the
 * result's timestamp). */
public record QualityPoint(String evaluator, long fromNs, long toNs, long count, Double passRate, Double mean) {
}
