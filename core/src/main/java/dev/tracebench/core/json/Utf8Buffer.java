package dev.tracebench.core.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that JSON text is written into as UTF-8, reused from one value to the next so that encoding
 * allocates only the result. Not thread-safe: one per thread.
 *
 * <p>Every write reserves exactly the bytes it writes (long texts in chunks of {@value #CHUNK} characters), so a
 * buffer made {@link #exactly} the size of a text never grows: a large value is encoded into one array of its size,
 * with no doubling and no copy. A {@link #counting} buffer keeps no bytes, only their number: it tells that size
 * without holding the text, whatever its length.
 */
public final class Utf8Buffer {
    /** Characters written per step by the bulk writes (bounds what a counting buffer holds). */
    static final int CHUNK = 16_384;

    private byte[] buf;
    private int len;
    /** Counting buffers only: bytes written before the last wrap-around of {@link #buf}. */
    private long counted;
    private final boolean counting;
    /** Attribute keys dropped because they repeat an earlier key, counted by {@link AttributeJson#encodeUtf8}. */
    int duplicates;

    public Utf8Buffer() {
        this(1024);
    }

    public Utf8Buffer(int capacity) {
        this(new byte[Math.max(16, capacity)], false);
    }

    private Utf8Buffer(byte[] buf, boolean counting) {
        this.buf = buf;
        this.counting = counting;
    }

    /** A buffer of exactly {@code size} bytes: written with that many bytes, {@link #takeExact} hands it over. */
    public static Utf8Buffer exactly(int size) {
        return new Utf8Buffer(new byte[size], false);
    }

    /** A buffer that only counts what is written ({@link #total}); it holds at most a few chunks' worth. */
    public static Utf8Buffer counting() {
        return new Utf8Buffer(new byte[4 * CHUNK], true);
    }

    public void clear() {
        len = 0;
        counted = 0;
        duplicates = 0;
    }

    /** Keys dropped from the last encoded object (and the objects nested in it) because they repeated. */
    public int duplicateKeys() {
        return duplicates;
    }

    public int length() {
        return len;
    }

    /** Bytes written since the last {@link #clear}; for a counting buffer, all it has counted. */
    public long total() {
        return counted + len;
    }

    /** A copy of the bytes written since the last {@link #clear}. */
    public byte[] toByteArray() {
        if (counting) {
            throw new IllegalStateException("a counting buffer keeps no bytes");
        }
        return Arrays.copyOf(buf, len);
    }

    /** The buffer itself, which must be full (made {@link #exactly} the size written); not to be written again. */
    public byte[] takeExact() {
        if (counting || len != buf.length) {
            throw new IllegalStateException("wrote " + total() + " bytes into a buffer of " + buf.length);
        }
        return buf;
    }

    /** Makes room for exactly {@code more} bytes at {@link #len}. */
    private void ensure(int more) {
        if (len + more > buf.length) {
            if (counting) {
                // what was written is only counted: start over at the beginning of the buffer
                counted += len;
                len = 0;
                if (more <= buf.length) {
                    return;
                }
            }
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    /** Appends one ASCII character. */
    public Utf8Buffer append(char ascii) {
        ensure(1);
        buf[len++] = (byte) ascii;
        return this;
    }

    /** Appends text known to be ASCII (numbers, literals). */
    public Utf8Buffer appendAscii(String s) {
        return appendAsciiRange(s, 0, s.length());
    }

    /** Appends ASCII bytes (base64). */
    public Utf8Buffer appendAscii(byte[] ascii, int from, int to) {
        while (from < to) {
            int n = Math.min(to - from, CHUNK);
            ensure(n);
            System.arraycopy(ascii, from, buf, len, n);
            len += n;
            from += n;
        }
        return this;
    }

    /** Appends {@code s[from, to)}, which holds only ASCII characters, with bulk copies. */
    @SuppressWarnings("deprecation")
    public Utf8Buffer appendAsciiRange(String s, int from, int to) {
        while (from < to) {
            int end = Math.min(to, from + CHUNK);
            ensure(end - from);
            s.getBytes(from, end, buf, len);
            len += end - from;
            from = end;
        }
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
        while (from < to) {
            int end = Math.min(to, from + CHUNK);
            // three bytes a character at most; counted exactly only where that much room is not there
            ensure(len + (end - from) * 3 <= buf.length ? 0 : utf8Length(s, from, end));
            byte[] b = buf;
            int p = len;
            for (int i = from; i < end; i++) {
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
            from = end;
        }
        return this;
    }

    private static int utf8Length(String s, int from, int to) {
        int n = to - from;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                n += c < 0x800 ? 1 : 2;
            }
        }
        return n;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * Appends {@code s} as a JSON string ({@code "..."}) if it is ASCII with nothing to escape, and returns true;
     * otherwise appends nothing and returns false. Meant for long texts (prompts, completions): the JDK turns an ASCII
     * string into bytes with one vectorised check and copy, and the bytes are checked for quotes, backslashes and
     * control characters eight at a time, about four times faster than looking at each character. Texts longer than
     * {@value #CHUNK} characters are left to the caller (their bytes would be a whole copy of the text).
     */
    public boolean appendQuotedIfPlainAscii(String s) {
        if (s.length() > CHUNK) {
            return false;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = b.length;
        if (n != s.length()) {
            return false; // not ASCII
        }
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long w = (long) LONGS.get(b, i);
            // exact "some byte is below 0x20" and "some byte is zero" tests (all bytes are below 0x80 here): a byte
            // below 0x20, a '"' (w ^ 0x22.. has a zero byte), a '\\', or a '?' (what the JDK writes for a lone
            // surrogate, which must become U+FFFD: looked at closely)
            long quote = w ^ 0x2222222222222222L;
            long slash = w ^ 0x5C5C5C5C5C5C5C5CL;
            long mark = w ^ 0x3F3F3F3F3F3F3F3FL;
            long found = ((w - 0x20 * ONES) & ~w) | ((quote - ONES) & ~quote) | ((slash - ONES) & ~slash)
                    | ((mark - ONES) & ~mark);
            if ((found & HIGHS) != 0 && needsEscape(s, b, i, i + 8)) {
                return false;
            }
        }
        if (needsEscape(s, b, i, n)) {
            return false;
        }
        ensure(n + 2);
        buf[len++] = '"';
        System.arraycopy(b, 0, buf, len, n);
        len += n;
        buf[len++] = '"';
        return true;
    }

    /** Whether {@code b[from, to)}, the ASCII encoding of {@code s[from, to)}, holds a byte JSON must escape. */
    private static boolean needsEscape(String s, byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c < 0x20 || c == '"' || c == '\\' || (c == '?' && s.charAt(i) != '?')) {
                return true;
            }
        }
        return false;
    }

    private final String[] keys = new String[256];
    private final byte[][] quotedKeys = new byte[256][];

    /**
     * Appends {@code "key":}. Attribute keys repeat from span to span (mostly as the same String instances), so their
     * encoded form is remembered in a small direct-mapped table instead of being escaped each time.
     */
    public void appendKey(String key) {
        int h = key.hashCode();
        int slot = (h ^ (h >>> 8)) & 255;
        String known = keys[slot];
        if (known == key || (known != null && known.equals(key))) {
            byte[] b = quotedKeys[slot];
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
            return;
        }
        int start = len;
        AttributeJson.quote(key, this);
        append(':');
        if (!counting) {
            // (a counting buffer may have started over in the middle of the key)
            keys[slot] = key;
            quotedKeys[slot] = Arrays.copyOfRange(buf, start, len);
        }
    }

    /** Appends one code point as UTF-8 (1 to 4 bytes). */
    public Utf8Buffer appendCodePoint(int cp) {
        ensure(cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
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
