package dev.tracebench.importers.io;

import java.io.IOException;
import java.io.InputStream;

/**
 * Presents a byte stream one line at a time, each line as its own {@link InputStream} that ends at the newline, so
 * a JSON parser can read a JSON Lines record without the line ever being copied, and a damaged line can be skipped
 * to resume at the next one. Lines are numbered from 1.
 */
public final class LineSplitter {
    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private boolean eof;
    private long lineNumber;
    private Line current;

    public LineSplitter(InputStream in) {
        this.in = in;
    }

    /** The number of the last line handed out (0 before the first). */
    public long lineNumber() {
        return lineNumber;
    }

    /** The next line, or null at the end of the input; the previous line is skipped to its end first. */
    public Line next() throws IOException {
        if (current != null) {
            current.drain();
        }
        if (!fill()) {
            return null;
        }
        lineNumber++;
        current = new Line(lineNumber);
        return current;
    }

    private boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        if (eof) {
            return false;
        }
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * The index of the first '\n' in {@code b[from, to)}, or -1: eight bytes at a time (a zero-byte test on the bytes
     * xor '\n'; the lowest flagged byte is always a real match), which makes finding line ends nearly free.
     */
    static int newline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long t = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** One line's bytes, excluding its newline. */
    public final class Line extends InputStream {
        private final long number;
        private boolean ended;

        Line(long number) {
            this.number = number;
        }

        public long number() {
            return number;
        }

        @Override
        public int read() throws IOException {
            if (ended || !fill()) {
                ended = true;
                return -1;
            }
            byte b = buf[pos++];
            if (b == '\n') {
                ended = true;
                return -1;
            }
            return b & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (ended || !fill()) {
                ended = true;
                return -1;
            }
            int n = Math.min(len, limit - pos);
            int nl = newline(buf, pos, pos + n);
            if (nl >= 0) {
                int i = nl - pos;
                System.arraycopy(buf, pos, b, off, i);
                pos += i + 1;
                ended = true;
                return i == 0 ? -1 : i;
            }
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }

        /** True if the rest of the line is only whitespace; consumes it. */
        public boolean restIsBlank() throws IOException {
            int c;
            while ((c = read()) >= 0) {
                if (c != ' ' && c != '\t' && c != '\r') {
                    drain();
                    return false;
                }
            }
            return true;
        }

        void drain() throws IOException {
            while (!ended) {
                if (!fill()) {
                    ended = true;
                    return;
                }
                int nl = newline(buf, pos, limit);
                if (nl >= 0) {
                    pos = nl + 1;
                    ended = true;
                    return;
                }
                pos = limit;
            }
        }

        @Override
        public void close() {
            // the underlying stream stays open for the next line
        }
    }
}
