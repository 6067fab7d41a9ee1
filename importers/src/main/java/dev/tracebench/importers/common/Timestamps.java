package dev.tracebench.importers.common;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Time conversions the formats need. */
public final class Timestamps {
    private Timestamps() {
    }

    /** Microseconds since the epoch (Jaeger, Zipkin) to nanoseconds. */
    public static long microsToNanos(long micros) {
        return Math.multiplyExact(micros, 1_000L);
    }

    /**
     * An ISO-8601 timestamp ({@code 2025-06-05T15:45:52.971Z}, with an offset, or without one, then UTC; up to
     * nanosecond fractions) to epoch nanoseconds.
     *
     * @throws IllegalArgumentException naming the text if it is not a timestamp
     */
    public static long isoToNanos(String text) {
        String t = text.trim();
        Instant i;
        try {
            i = OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            try {
                i = LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                try {
                    i = Instant.parse(t);
                } catch (DateTimeParseException e3) {
                    throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 timestamp");
                }
            }
        }
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
    }

    /** An OTel JS {@code [seconds, nanoseconds]} hrtime pair to epoch nanoseconds. */
    public static long hrtimeToNanos(long seconds, long nanos) {
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos);
    }
}
