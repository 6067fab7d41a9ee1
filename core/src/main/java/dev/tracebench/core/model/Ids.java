package dev.tracebench.core.model;

/**
 * Trace and span id helpers. Trace ids are 128 bits (two longs), span ids 64 bits (one long); both are shown and
 * accepted as lowercase hex, and parsed from hex in any case.
 */
public final class Ids {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Ids() {
    }

    /** True if {@code s} is exactly {@code digits} hex characters (either case). */
    /** Hex digit values by ASCII code; -1 for anything else. */
    private static final byte[] NIBBLES = new byte[128];

    static {
        java.util.Arrays.fill(NIBBLES, (byte) -1);
        for (int i = 0; i < 10; i++) {
            NIBBLES['0' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            NIBBLES['a' + i] = (byte) (10 + i);
            NIBBLES['A' + i] = (byte) (10 + i);
        }
    }

    /** True if {@code s} is exactly {@code digits} hex digits (either case). */
    public static boolean isHex(String s, int digits) {
        if (s.length() != digits) {
            return false;
        }
        int bad = 0;
        for (int i = 0; i < digits; i++) {
            char c = s.charAt(i);
            bad |= c < 128 ? NIBBLES[c] : -1;
        }
        return bad >= 0;
    }

    /** The value of {@code len} hex digits of {@code s} from {@code from}; the digits must have been checked. */
    public static long parseHex(String s, int from, int len) {
        long v = 0;
        for (int i = from; i < from + len; i++) {
            v = (v << 4) | (NIBBLES[s.charAt(i) & 0x7F] & 0xF);
        }
        return v;
    }

    public static boolean isHex(CharSequence s, int digits) {
        if (s.length() != digits) {
            return false;
        }
        for (int i = 0; i < digits; i++) {
            if (nibble(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Value of one hex digit, or -1. */
    public static int nibble(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Parses {@code len} hex digits at {@code from} into a long; the caller has validated them. */
    public static long parseHex(CharSequence s, int from, int len) {
        long v = 0;
        for (int i = from; i < from + len; i++) {
            v = (v << 4) | nibble(s.charAt(i));
        }
        return v;
    }

    /** Lowercase 16-digit hex of a span id. */
    public static String spanHex(long id) {
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (id & 0xF)];
            id >>>= 4;
        }
        return new String(out);
    }

    /** Lowercase 32-digit hex of a trace id. */
    public static String traceHex(long hi, long lo) {
        return spanHex(hi) + spanHex(lo);
    }

    /**
     * Parses a user-typed span id (16 hex digits, any case, optional 0x prefix); returns null if it is not one.
     */
    public static Long parseSpanId(String s) {
        String t = strip0x(s.trim());
        return isHex(t, 16) ? parseHex(t, 0, 16) : null;
    }

    /** Parses a user-typed trace id (32 or 16 hex digits, any case); returns null if it is not one. */
    public static TraceId parseTraceId(String s) {
        String t = strip0x(s.trim());
        if (isHex(t, 32)) {
            return new TraceId(parseHex(t, 0, 16), parseHex(t, 16, 16));
        }
        if (isHex(t, 16)) {
            return new TraceId(0, parseHex(t, 0, 16));
        }
        return null;
    }

    private static String strip0x(String t) {
        return t.startsWith("0x") || t.startsWith("0X") ? t.substring(2) : t;
    }
}
