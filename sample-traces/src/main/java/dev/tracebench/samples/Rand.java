package dev.tracebench.samples;

import java.util.List;
import java.util.Random;

/**
 * The generator's randomness: one seeded {@link Random} (whose algorithms the JDK specifies, so a seed gives the
 * same traffic on every JDK) and the distributions the traffic is drawn from.
 */
final class Rand {
    private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private final Random r;

    Rand(long seed) {
        this.r = new Random(seed);
    }

    double uniform() {
        return r.nextDouble();
    }

    double uniform(double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    int nextInt(int bound) {
        return r.nextInt(bound);
    }

    long nextLong() {
        return r.nextLong();
    }

    long nonZeroLong() {
        long v;
        do {
            v = r.nextLong();
        } while (v == 0);
        return v;
    }

    boolean chance(double p) {
        return r.nextDouble() < p;
    }

    double gaussian() {
        return r.nextGaussian();
    }

    /** Lognormal with the given median and log-space spread. */
    double lognormal(double median, double sigma) {
        return median * Math.exp(sigma * r.nextGaussian());
    }

    /**
     * A stage latency in nanoseconds: lognormal around {@code medianMs}, with a heavy tail (one call in a hundred
     * takes 3 to 8 times as long, as retries, GC pauses and cold caches do).
     */
    long latencyNs(double medianMs, double sigma) {
        double ms = lognormal(medianMs, sigma);
        if (r.nextDouble() < 0.01) {
            ms *= uniform(3, 8);
        }
        return Math.max(50_000L, (long) (ms * 1e6));
    }

    <T> T pick(List<T> items) {
        return items.get(r.nextInt(items.size()));
    }

    /** Picks an index by weight. */
    int weighted(double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = r.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** An exponential draw with the given mean. */
    double exponential(double mean) {
        return -mean * Math.log(1 - r.nextDouble());
    }

    String alnum(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = ALNUM[r.nextInt(ALNUM.length)];
        }
        return new String(c);
    }
}
