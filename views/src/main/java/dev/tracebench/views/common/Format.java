package dev.tracebench.views.common;

import dev.tracebench.core.report.Durations;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the views write times, durations and counts. */
public final class Format {
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private Format() {
    }

    public static String dateTime(long epochNanos) {
        return DATE_TIME.format(Instant.ofEpochSecond(0, epochNanos));
    }

    public static String duration(long nanos) {
        return Durations.format(nanos);
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A size in bytes: 512 B, 12.3 KiB, 4.5 MiB, 1.2 GiB. */
    public static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** A time offset from the start of a trace: +12.3 ms. */
    public static String offset(long nanos) {
        return (nanos < 0 ? "" : "+") + Durations.format(nanos);
    }

    /** A span name for display: "(unnamed)" for the empty names some tracers send. */
    public static String spanName(String name) {
        return name == null || name.isBlank() ? "(unnamed)" : name;
    }
}
