package dev.tracebench.importers.common;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reuses the String instances of short texts that repeat from span to span (attribute keys, service and model names,
 * operation names), so that parsing does not allocate one per occurrence and later hash lookups on them find the hash
 * code already computed. A direct-mapped table: a colliding text replaces the older one, so memory stays bounded.
 * One per importer thread.
 */
public final class StringCache {
    private final String[] table;
    private final char[][] chars;
    private final byte[][] utf8;
    private final int mask;
    private final int maxLength;

    /** {@code slots} is rounded up to a power of two; texts longer than {@code maxLength} are never cached. */
    public StringCache(int slots, int maxLength) {
        int n = Integer.highestOneBit(Math.max(16, slots - 1) << 1);
        table = new String[n];
        chars = new char[n][];
        utf8 = new byte[n][];
        mask = n - 1;
        this.maxLength = maxLength;
    }

    /** The current string token (or field name) of {@code p}. */
    public String of(JsonParser p) throws IOException {
        int len = p.getTextLength();
        if (len > maxLength) {
            return p.getText();
        }
        if (len == 0) {
            return "";
        }
        char[] buf = p.getTextCharacters();
        int off = p.getTextOffset();
        int slot = slot(len, buf[off], buf[off + (len >>> 1)], buf[off + len - 1], buf[off + Math.max(0, len - 5)],
                buf[off + (len >>> 2)]);
        char[] known = chars[slot];
        if (known != null && java.util.Arrays.equals(known, 0, known.length, buf, off, off + len)) {
            return table[slot];
        }
        String s = new String(buf, off, len);
        table[slot] = s;
        chars[slot] = java.util.Arrays.copyOfRange(buf, off, off + len);
        utf8[slot] = null;
        return s;
    }

    /**
     * A cheap hash of a few characters and the length (texts that collide are told apart by the full comparison, so a
     * weak hash only costs a miss); hashing every character cost more than the lookups saved.
     */
    private int slot(int len, int a, int b, int c, int d, int e) {
        int h = len * 0x9E3779B1 + a * 31 + b * 961 + c * 29791 + d * 0x3C6EF372 + e * 0x27D4EB2F;
        return (h ^ (h >>> 15)) & mask;
    }

    /** The UTF-8 text {@code bytes[off, off + len)}. */
    public String of(byte[] bytes, int off, int len) {
        if (len > maxLength) {
            return new String(bytes, off, len, StandardCharsets.UTF_8);
        }
        if (len == 0) {
            return "";
        }
        int slot = slot(len, bytes[off], bytes[off + (len >>> 1)], bytes[off + len - 1],
                bytes[off + Math.max(0, len - 5)], bytes[off + (len >>> 2)]);
        byte[] known = utf8[slot];
        if (known != null && java.util.Arrays.equals(known, 0, known.length, bytes, off, off + len)) {
            return table[slot];
        }
        String s = new String(bytes, off, len, StandardCharsets.UTF_8);
        table[slot] = s;
        utf8[slot] = java.util.Arrays.copyOfRange(bytes, off, off + len);
        chars[slot] = null;
        return s;
    }
}
