package dev.tracebench.importers.io;

import dev.tracebench.importers.common.Limits;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the (decompressed) bytes a reader takes since its last valid record and stops reading with a
 * {@link NoRecordsException} once {@link Limits#MAX_BYTES_WITHOUT_RECORD} pass without one. Readers skip damaged
 * records and go on, which is right for a damaged file and endless for {@code /dev/urandom} read as protobuf.
 */
public final class StreamGuard extends FilterInputStream {
    private final long limit;
    private long total;
    private long sinceRecord;
    private boolean tripped;

    public StreamGuard(InputStream in) {
        this(in, Limits.MAX_BYTES_WITHOUT_RECORD);
    }

    StreamGuard(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    /** A valid record was read: the count starts again. */
    public void record() {
        sinceRecord = 0;
    }

    /** Whether reading was stopped. */
    public boolean tripped() {
        return tripped;
    }

    /** Bytes read through this guard. */
    public long total() {
        return total;
    }

    @Override
    public int read() throws IOException {
        check(1);
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        check(len);
        int n = super.read(b, off, (int) Math.min(len, Math.max(1, limit - sinceRecord)));
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 1 << 16)];
        int r = read(buf, 0, buf.length);
        return Math.max(r, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void count(int n) {
        total += n;
        sinceRecord += n;
    }

    private void check(int wanted) throws NoRecordsException {
        if (wanted > 0 && sinceRecord >= limit) {
            tripped = true;
            throw new NoRecordsException(String.format("%,d bytes were read without one valid span (up to byte %,d of "
                    + "the content); reading stopped there", sinceRecord, total));
        }
    }
}
