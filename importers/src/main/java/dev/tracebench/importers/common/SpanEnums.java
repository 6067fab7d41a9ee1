package dev.tracebench.importers.common;

import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.StatusCode;
import java.util.Locale;

/**
 * OTLP's span kind and status code, by number or by name ({@code SPAN_KIND_SERVER}, {@code server},
 * {@code STATUS_CODE_ERROR}, {@code Error}). An unknown value never costs the span: the readers keep it as
 * {@link SpanKind#UNSPECIFIED} / {@link StatusCode#UNSET} with the warning these messages give.
 */
public final class SpanEnums {
    private SpanEnums() {
    }

    /** The kind with this OTLP number (0 to 5), or null. */
    public static SpanKind kind(long code) {
        return code >= 0 && code <= 5 ? SpanKind.fromCode((int) code) : null;
    }

    /** The kind named {@code name} (with or without {@code SPAN_KIND_}, any case) or written as its number, or null. */
    public static SpanKind kind(String name) {
        String s = name.trim().toUpperCase(Locale.ROOT);
        String bare = s.startsWith("SPAN_KIND_") ? s.substring(10) : s;
        for (SpanKind k : SpanKind.values()) {
            if (k.name().equals(bare)) {
                return k;
            }
        }
        Long n = number(s);
        return n == null ? null : kind(n);
    }

    /** The status code with this OTLP number (0 to 2), or null. */
    public static StatusCode status(long code) {
        return code >= 0 && code <= 2 ? StatusCode.fromCode((int) code) : null;
    }

    /** The status named {@code name} (with or without {@code STATUS_CODE_}, any case) or written as its number. */
    public static StatusCode status(String name) {
        String s = name.trim().toUpperCase(Locale.ROOT);
        String bare = s.startsWith("STATUS_CODE_") ? s.substring(12) : s;
        for (StatusCode c : StatusCode.values()) {
            if (c.name().equals(bare)) {
                return c;
            }
        }
        Long n = number(s);
        return n == null ? null : status(n);
    }

    /** The warning for a kind that is not one: {@code value} as the source wrote it (quoted if it was text). */
    public static String unknownKind(String value) {
        return "kind " + value + " is not a known SpanKind; kept as unspecified";
    }

    /** The warning for a status code that is not one. */
    public static String unknownStatus(String value) {
        return "status.code " + value + " is not a known StatusCode; kept as unset";
    }

    private static Long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
