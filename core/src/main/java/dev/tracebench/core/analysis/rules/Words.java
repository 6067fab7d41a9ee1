package dev.tracebench.core.analysis.rules;

import java.util.Locale;

/** Number formats the rules' sentences share (the checks' and the recommendations'). */
public final class Words {
    private Words() {
    }

    public static String pct(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    /** A rate that may be small: "0.4%", "2.4%", "12%". */
    public static String rate(double share) {
        return share < 0.1 ? String.format(Locale.ROOT, "%.1f%%", share * 100) : pct(share);
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    public static String times(double factor) {
        return String.format(Locale.ROOT, factor >= 10 ? "%.0f" : "%.1f", factor);
    }
}
