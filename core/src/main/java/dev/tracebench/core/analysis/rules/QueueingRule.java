package dev.tracebench.core.analysis.rules;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.report.Durations;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code queueing}: the p95 queue wait of the busiest minutes (the top quarter by requests per minute) is at least
 * {@code queueGrowthRatio} times that of the quietest quarter: capacity or a rate limit is reached at peak load.
 */
public final class QueueingRule implements CheckRule<QueueingRule.QueueStats> {
    /** Below this many minutes with queued requests there is no load curve to read. */
    static final int MIN_MINUTES = 8;

    /**
     * The mean per-minute p95 queue wait at the busiest and at the quietest minutes, how many minutes, and the longest
     * waits (looked up only for a finding).
     */
    public record QueueStats(double busyP95Ns, double quietP95Ns, long minutes,
            Supplier<List<Finding.Exemplar>> longestWaits) {
    }

    @Override
    public String id() {
        return "queueing";
    }

    @Override
    public String title() {
        return "Queueing under load";
    }

    @Override
    public List<Finding> evaluate(QueueStats d, CheckSettings settings) {
        if (d.minutes() < MIN_MINUTES || d.quietP95Ns() <= 0) {
            return List.of();
        }
        double ratio = d.busyP95Ns() / d.quietP95Ns();
        if (ratio < settings.queueGrowthRatio()) {
            return List.of();
        }
        String busy = Durations.format((long) d.busyP95Ns());
        String quiet = Durations.format((long) d.quietP95Ns());
        return List.of(new Finding(Severity.WARNING, id(), "Queue time grows with load: at the busiest minutes the p95 "
                + "queue wait is " + busy + ", " + Words.times(ratio) + " times the " + quiet + " of the quietest.",
                "Requests wait for a worker or a rate limit before the model call starts; capacity or concurrency "
                        + "limits are reached at peak load.",
                new Finding.Evidence(0, 0, 0, 0, ratio, 0, Map.of("busy_p95", busy, "quiet_p95", quiet, "minutes",
                        Long.toString(d.minutes()))), d.longestWaits().get()));
    }
}
