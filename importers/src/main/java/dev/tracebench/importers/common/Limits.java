package dev.tracebench.importers.common;

/**
 * Bounds that keep one odd record from exhausting memory or time. Each is far above what real trace files hold.
 */
public final class Limits {
    private Limits() {
    }

    /**
     * The longest attribute value kept: 16 MiB (bytes of a protobuf string or bytes value, characters of a JSON
     * string). A 50 MB prompt would otherwise be copied several times on its way into the workspace (parser buffer,
     * string, encoded JSON, database vector) and could exhaust the heap. Protobuf gives a value's length before the
     * value, so such a value is skipped and its span kept without it; a JSON parser only learns the length by reading
     * the string, and cannot step over it once it refused it, so there the record holding it is rejected.
     */
    public static final int MAX_VALUE = 16 << 20;

    /** {@link #MAX_VALUE} for messages: "16 MB". */
    public static String maxValueText() {
        return (MAX_VALUE >> 20) + " MB";
    }

    /**
     * How many bytes (after decompression) a reader may take without finding one valid span before reading stops:
     * 64 MiB. Far more than any record needs (a record holding a value over {@link #MAX_VALUE} is refused anyway), and
     * a bound on what endless input ({@code /dev/urandom} read with {@code --format}) or a file full of damage costs.
     */
    public static final long MAX_BYTES_WITHOUT_RECORD = 64L << 20;
}
