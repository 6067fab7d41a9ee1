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
    private final byte[][] utf8;
    private final int mask;
    private final int maxLength;

    /** {@code slots} is rounded up to a power of two; texts longer than {@code maxLength} are never cached. */
    public StringCache(int slots, int maxLength) {
        int n = Integer.highestOneBit(Math.max(16, slots - 1) << 1);
        table = new String[n];
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
        char[] buf = p.getTextCharacters();
        int off = p.getTextOffset();
        int h = 0;
        for (int i = 0; i < len; i++) {
            h = 31 * h + buf[off + i];
        }
        int slot = (h ^ (h >>> 16)) & mask;
        String s = table[slot];
        if (s != null && s.length() == len && same(s, buf, off, len)) {
            return s;
        }
        s = new String(buf, off, len);
        table[slot] = s;
        utf8[slot] = null;
        return s;
    }

    /** The UTF-8 text {@code bytes[off, off + len)}. */
    public String of(byte[] bytes, int off, int len) {
        if (len > maxLength) {
            return new String(bytes, off, len, StandardCharsets.UTF_8);
        }
        int h = 0;
        for (int i = 0; i < len; i++) {
            h = 31 * h + bytes[off + i];
        }
        int slot = (h ^ (h >>> 16)) & mask;
        byte[] known = utf8[slot];
        if (known != null && known.length == len && same(known, bytes, off, len)) {
            return table[slot];
        }
        String s = new String(bytes, off, len, StandardCharsets.UTF_8);
        table[slot] = s;
        utf8[slot] = java.util.Arrays.copyOfRange(bytes, off, off + len);
        return s;
    }

    private static boolean same(String s, char[] buf, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (s.charAt(i) != buf[off + i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(byte[] a, byte[] b, int off, int len) {
        return java.util.Arrays.equals(a, 0, len, b, off, off + len);
    }
}
