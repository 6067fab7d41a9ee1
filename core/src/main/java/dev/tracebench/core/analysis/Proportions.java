package dev.tracebench.core.analysis;

/**
 * The statistic root cause ranks candidates with: how much more often a property holds in the cohort than in the rest,
 * and how sure that difference is (a two-proportion z test).
 */
public final class Proportions {
    private Proportions() {
    }

    /** The z statistic of p1 = x1/n1 against p2 = x2/n2 (pooled standard error); 0 when it cannot be computed. */
    public static double z(long x1, long n1, long x2, long n2) {
        if (n1 <= 0 || n2 <= 0) {
            return 0;
        }
        double p1 = (double) x1 / n1;
        double p2 = (double) x2 / n2;
        double p = (double) (x1 + x2) / (n1 + n2);
        double se = Math.sqrt(p * (1 - p) * (1.0 / n1 + 1.0 / n2));
        return se == 0 ? 0 : (p1 - p2) / se;
    }

    /** 1 minus the two-sided p-value of {@link #z}: the confidence that the two proportions differ. */
    public static double confidence(long x1, long n1, long x2, long n2) {
        double z = Math.abs(z(x1, n1, x2, n2));
        return 1 - 2 * (1 - phi(z));
    }

    /** The standard normal cumulative distribution (Abramowitz–Stegun 26.2.17, error below 7.5e-8). */
    public static double phi(double x) {
        if (x < 0) {
            return 1 - phi(-x);
        }
        double t = 1 / (1 + 0.2316419 * x);
        double poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978
                + t * 1.330274429))));
        return 1 - Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI) * poly;
    }
}
