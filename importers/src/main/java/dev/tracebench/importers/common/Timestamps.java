package dev.tracebench.importers.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
     * The microseconds the parser is on (Jaeger's and Zipkin's times and durations: an integer, a decimal with
     * sub-microsecond digits, or either written as a string) as nanoseconds.
     *
     * @throws BadValue naming {@code field} if it is not a number or out of range
     */
    public static long microsToNanos(JsonParser p, JsonToken v, String field) throws IOException {
        String text;
        if (v == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                try {
                    return microsToNanos(p.getLongValue());
                } catch (ArithmeticException e) {
                    throw new BadValue(field + ": " + p.getText() + " µs is out of range");
                }
            }
            text = p.getText();
        } else if (v == JsonToken.VALUE_NUMBER_FLOAT || v == JsonToken.VALUE_STRING) {
            text = p.getText().trim();
        } else {
            throw new BadValue(field + ": expected a number of microseconds, found " + JsonRecords.describe(v));
        }
        try {
            return new BigDecimal(text).movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
        } catch (NumberFormatException e) {
            throw new BadValue(field + ": '" + abbreviate(text) + "' is not a number of microseconds");
        } catch (ArithmeticException e) {
            throw new BadValue(field + ": " + abbreviate(text) + " µs is out of range");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 48 ? s.substring(0, 48) + "…" : s;
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
