package dev.tracebench.views.common;

import java.util.Locale;

/**
 * Ticks of a time axis: a round step, and labels precise enough that neighbouring ticks never read the same (zoomed
 * in at 2.38 s with a 1 ms step the labels are 2.380 s, 2.381 s, … instead of "2.38 s" three times).
 */
public final class AxisTicks {
    private static final long[] UNITS = {1_000_000_000L, 1_000_000L, 1_000L, 1L};
    private static final String[] NAMES = {"s", "ms", "µs", "ns"};

    private AxisTicks() {
    }

    /** The smallest 1/2/5 × 10^k step (in ns, at least 1) that gives at most {@code maxTicks} ticks over {@code span}. */
    public static long niceStep(long span, int maxTicks) {
        double raw = span / (double) Math.max(1, maxTicks);
        double pow = Math.pow(10, Math.floor(Math.log10(Math.max(1, raw))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * pow >= raw) {
                return Math.max(1, (long) (m * pow));
            }
        }
        return Math.max(1, (long) (10 * pow));
    }

    /**
     * A tick's label: {@code offsetNs} in the unit of its size (s, ms, µs, ns) with as many decimals as the step
     * needs to tell neighbouring ticks apart.
     */
    public static String label(long offsetNs, long stepNs) {
        long size = Math.max(Math.abs(offsetNs), Math.max(1, stepNs));
        int u = 0;
        while (u < UNITS.length - 1 && size < UNITS[u]) {
            u++;
        }
        long unit = UNITS[u];
        // ticks are multiples of the step: show as many decimals as the step has in that unit (1 ms in s: 3)
        long step = Math.max(1, stepNs);
        int decimals = 0;
        long scaled = step;
        while (decimals < 9 && scaled % unit != 0) {
            decimals++;
            scaled *= 10;
        }
        return String.format(Locale.ROOT, "%." + decimals + "f %s", offsetNs / (double) unit, NAMES[u]);
    }
}
