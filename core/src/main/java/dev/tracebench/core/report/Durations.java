package dev.tracebench.core.report;

import java.util.Locale;

/** Parses and formats durations the way users type and read them ("250ms", "1.5s", "2m"). */
public final class Durations {
    private Durations() {
    }

    /**
     * Parses a duration: a number with a unit ns, us/µs, ms, s, m or h; a bare number means milliseconds.
     *
     * @return nanoseconds
     * @throws IllegalArgumentException naming the text if it is not a duration
     */
    public static long parseNanos(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (try 250ms, 1.5s or 2m)");
        }
        double n;
        try {
            n = Double.parseDouble(t.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (try 250ms, 1.5s or 2m)");
        }
        double unit = switch (t.substring(i)) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "", "ms" -> 1e6;
            case "s", "sec" -> 1e9;
            case "m", "min" -> 60e9;
            case "h" -> 3600e9;
            default -> throw new IllegalArgumentException("unknown duration unit in '" + text
                    + "' (use ns, us, ms, s, m or h)");
        };
        return Math.round(n * unit);
    }

    /** A compact human form: 850 µs, 12.3 ms, 1.52 s, 2 m 05 s. */
    public static String format(long nanos) {
        if (nanos < 0) {
            return "-" + format(-nanos);
        }
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return trim(nanos / 1e3) + " µs";
        }
        if (nanos < 1_000_000_000) {
            return trim(nanos / 1e6) + " ms";
        }
        if (nanos < 60_000_000_000L) {
            return trim(nanos / 1e9) + " s";
        }
        long s = nanos / 1_000_000_000L;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d m %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d m", s / 3600, (s % 3600) / 60);
    }

    private static String trim(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
