package dev.tracebench.core.slo;

import java.time.Duration;
import java.time.Instant;

/**
 * An SLI's events counted per time bucket: bucket {@code i} covers [origin + i·step, origin + (i+1)·step) and holds
 * {@code total[i]} valid events of which {@code good[i]} were good. What the store computes once per SLO; everything
 * else (compliance, budget, burn rates, the alert replay) is computed from it without the database.
 */
public record SliSeries(Instant origin, Duration step, long[] total, long[] good) {
    public SliSeries {
        if (total.length != good.length) {
            throw new IllegalArgumentException("total and good differ in length");
        }
        if (step.isZero() || step.isNegative()) {
            throw new IllegalArgumentException("the step must be positive");
        }
    }

    public int buckets() {
        return total.length;
    }

    public boolean isEmpty() {
        return total.length == 0;
    }

    /** The end of the last bucket (the origin when empty). */
    public Instant end() {
        return origin.plus(step.multipliedBy(total.length));
    }

    /** The step the replay uses over a period: one minute, longer when the period would make over 100,000 steps. */
    public static Duration stepFor(Duration period) {
        long minutes = Math.max(1, (period.toMinutes() + 99_999) / 100_000);
        return Duration.ofMinutes(minutes);
    }
}
