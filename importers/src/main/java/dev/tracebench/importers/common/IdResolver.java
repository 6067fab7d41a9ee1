package dev.tracebench.importers.common;

import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.model.TraceId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Turns the ids formats write into canonical ids. Hex ids of the right length are taken as they are (any case);
 * shorter hex ids are left-padded with zeros (Jaeger and Zipkin drop leading zeros, and 64-bit trace ids are the low
 * half of a 128-bit id). Anything else (non-hex, too long) is mapped deterministically to an id derived from its
 * SHA-256, reported as a warning, and the original text is kept as the attribute
 * {@code tracebench.original_trace_id} or {@code tracebench.original_span_id}, so the same text always maps to the same
 * id (links and parents still match) and the user can still search for it.
 */
public final class IdResolver {
    public static final String ORIGINAL_TRACE_ID = "tracebench.original_trace_id";
    public static final String ORIGINAL_SPAN_ID = "tracebench.original_span_id";

    private final IngestSession session;

    public IdResolver(IngestSession session) {
        this.session = session;
    }

    /**
     * The trace id for {@code raw}, or null if it is missing or blank (the caller rejects the record). A mapped id
     * adds the original to {@code attributes} (when not null) and warns at {@code location}.
     */
    public TraceId traceId(String raw, String location, List<Attribute> attributes) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String s = strip(raw);
        if (s.length() <= 32 && isHex(s)) {
            String p = "0".repeat(32 - s.length()) + s;
            return new TraceId(Ids.parseHex(p, 0, 16), Ids.parseHex(p, 16, 16));
        }
        byte[] d = sha256("trace:" + raw);
        if (attributes != null) {
            attributes.add(Attribute.of(ORIGINAL_TRACE_ID, raw));
        }
        session.warn(location, "trace id '" + abbreviate(raw) + "' is not hex of at most 32 digits; mapped to a "
                + "derived id (the original is kept as " + ORIGINAL_TRACE_ID + ")");
        return new TraceId(toLong(d, 0), toLong(d, 8));
    }

    /** The span id for {@code raw}, or null if it is missing or blank; see {@link #traceId}. */
    public Long spanId(String raw, String location, List<Attribute> attributes) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String s = strip(raw);
        if (s.length() <= 16 && isHex(s)) {
            return Ids.parseHex("0".repeat(16 - s.length()) + s, 0, 16);
        }
        if (attributes != null) {
            attributes.add(Attribute.of(ORIGINAL_SPAN_ID, raw));
        }
        session.warn(location, "span id '" + abbreviate(raw) + "' is not hex of at most 16 digits; mapped to a "
                + "derived id (the original is kept as " + ORIGINAL_SPAN_ID + ")");
        return mappedSpanId(raw);
    }

    /**
     * A parent or linked span id: mapped like {@link #spanId} (so it matches the span it points to) but without a
     * warning or attribute of its own.
     */
    public Long referencedSpanId(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String s = strip(raw);
        if (s.length() <= 16 && isHex(s)) {
            return Ids.parseHex("0".repeat(16 - s.length()) + s, 0, 16);
        }
        return mappedSpanId(raw);
    }

    /** A referenced trace id (of a link or a reference), mapped like {@link #traceId} without a warning. */
    public TraceId referencedTraceId(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String s = strip(raw);
        if (s.length() <= 32 && isHex(s)) {
            String p = "0".repeat(32 - s.length()) + s;
            return new TraceId(Ids.parseHex(p, 0, 16), Ids.parseHex(p, 16, 16));
        }
        byte[] d = sha256("trace:" + raw);
        return new TraceId(toLong(d, 0), toLong(d, 8));
    }

    /** A span id derived from arbitrary text (never 0). */
    public static long mappedSpanId(String raw) {
        long v = toLong(sha256("span:" + raw), 0);
        return v == 0 ? 1 : v;
    }

    private static String strip(String raw) {
        String s = raw.trim();
        return s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
    }

    private static boolean isHex(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Ids.nibble(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long toLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static String abbreviate(String s) {
        return s.length() > 48 ? s.substring(0, 48) + "…" : s;
    }
}
