package dev.tracebench.core.json;

import java.util.Arrays;

/**
 * A growable byte buffer that JSON text is written into as UTF-8, reused from one value to the next so that encoding
 * allocates only the result. Not thread-safe: one per thread.
 */
public final class Utf8Buffer {
    private byte[] buf;
    private int len;
    /** Attribute keys dropped because they repeat an earlier key, counted by {@link AttributeJson#encodeUtf8}. */
    int duplicates;

    public Utf8Buffer() {
        this(1024);
    }

    public Utf8Buffer(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    public void clear() {
        len = 0;
        duplicates = 0;
    }

    /** Keys dropped from the last encoded object (and the objects nested in it) because they repeated. */
    public int duplicateKeys() {
        return duplicates;
    }

    public int length() {
        return len;
    }

    /** A copy of the bytes written since the last {@link #clear}. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    /** Appends one ASCII character. */
    public Utf8Buffer append(char ascii) {
        ensure(1);
        buf[len++] = (byte) ascii;
        return this;
    }

    /** Appends text known to be ASCII (numbers, literals, base64). */
    public Utf8Buffer appendAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
        return this;
    }

    /** Appends {@code s[from, to)}, which holds only ASCII characters, with one bulk copy. */
    @SuppressWarnings("deprecation")
    public Utf8Buffer appendAsciiRange(String s, int from, int to) {
        ensure(to - from);
        s.getBytes(from, to, buf, len);
        len += to - from;
        return this;
    }

    public Utf8Buffer appendLong(long v) {
        if (v >= 0 && v < 10) {
            return append((char) ('0' + v));
        }
        return appendAscii(Long.toString(v));
    }

    /**
     * Appends {@code s[from, to)} as UTF-8. The range holds no surrogates (the JSON quoting that calls this passes them
     * through {@link #appendCodePoint}).
     */
    public Utf8Buffer appendChars(String s, int from, int to) {
        ensure((to - from) * 3);
        byte[] b = buf;
        int p = len;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        len = p;
        return this;
    }

    /** Appends one code point as UTF-8 (1 to 4 bytes). */
    public Utf8Buffer appendCodePoint(int cp) {
        ensure(4);
        if (cp < 0x80) {
            buf[len++] = (byte) cp;
        } else if (cp < 0x800) {
            buf[len++] = (byte) (0xC0 | (cp >> 6));
            buf[len++] = (byte) (0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            buf[len++] = (byte) (0xE0 | (cp >> 12));
            buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            buf[len++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            buf[len++] = (byte) (0xF0 | (cp >> 18));
            buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            buf[len++] = (byte) (0x80 | (cp & 0x3F));
        }
        return this;
    }
}
