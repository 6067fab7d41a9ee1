package dev.tracebench.importers.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * gzip members (RFC 1952) inflated one after another, each checked against its trailer (CRC-32 and length) when it
 * ends. (GZIPInputStream checks the same, but does not say where a member ended, which is what tells the data that
 * passed its check from the data that did not.)
 */
final class GzipMembers extends FramedInput {
    private static final int BUFFER = 1 << 16;
    private final InputStream in;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int lim;
    private long consumedBefore;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private long memberBytes;
    private long decoded;
    /** Inflating a member's data (its header has been read). */
    private boolean inMember;
    private boolean done;

    GzipMembers(InputStream in) {
        super("gzip");
        this.in = in;
    }

    @Override
    long consumed() {
        return consumedBefore + pos - (inMember ? inflater.getRemaining() : 0);
    }

    @Override
    int decode(byte[] b, int off, int len) throws IOException {
        while (true) {
            if (done) {
                return -1;
            }
            if (!inMember) {
                if (!header()) {
                    done = true;
                    return -1;
                }
                inMember = true;
            }
            int n;
            try {
                if (inflater.needsInput() && !inflater.finished()) {
                    if (pos == lim && !fill()) {
                        throw truncated(null);
                    }
                    inflater.setInput(buf, pos, lim - pos);
                    pos = lim;
                }
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw damaged("cannot be inflated (" + e.getMessage() + ")", e);
            }
            if (n > 0) {
                crc.update(b, off, n);
                memberBytes += n;
                decoded += n;
            }
            if (inflater.finished()) {
                pos -= inflater.getRemaining();
                trailer();
                if (n > 0) {
                    return n;
                }
                continue;
            }
            if (n > 0) {
                return n;
            }
            if (inflater.needsDictionary()) {
                throw damaged("asks for a preset dictionary, which gzip does not have", null);
            }
        }
    }

    /** Reads a member header; false at the clean end of the data. */
    private boolean header() throws IOException {
        int b0 = next();
        if (b0 < 0) {
            return false;
        }
        int b1 = next();
        if (b0 != 0x1f || b1 != 0x8b) {
            throw damagedHeader("no gzip signature; what follows the last good member was not read");
        }
        int method = need();
        int flags = need();
        if (method != 8) {
            throw damagedHeader("compression method " + method + ", not deflate");
        }
        for (int i = 0; i < 6; i++) {
            need(); // modification time, extra flags, operating system
        }
        if ((flags & 4) != 0) {
            int xlen = need() | need() << 8;
            for (int i = 0; i < xlen; i++) {
                need();
            }
        }
        if ((flags & 8) != 0) {
            while (need() != 0) {
                // file name
            }
        }
        if ((flags & 16) != 0) {
            while (need() != 0) {
                // comment
            }
        }
        if ((flags & 2) != 0) {
            need();
            need();
        }
        inflater.reset();
        crc.reset();
        memberBytes = 0;
        return true;
    }

    private void trailer() throws IOException {
        inMember = false;
        long crcRead = 0;
        long sizeRead = 0;
        for (int i = 0; i < 4; i++) {
            crcRead |= (long) need() << (8 * i);
        }
        for (int i = 0; i < 4; i++) {
            sizeRead |= (long) need() << (8 * i);
        }
        if (crcRead != crc.getValue()) {
            throw damaged("fails its CRC-32 check (its data was altered)", null);
        }
        if (sizeRead != (memberBytes & 0xFFFFFFFFL)) {
            throw damaged("is not as long as its trailer says", null);
        }
        frameVerified(decoded);
    }

    private int need() throws IOException {
        int b = next();
        if (b < 0) {
            throw truncated(null);
        }
        return b;
    }

    private int next() throws IOException {
        if (pos == lim && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xFF;
    }

    /** Reads more compressed bytes into the (used up) buffer; false at the end of the file. */
    private boolean fill() throws IOException {
        consumedBefore += lim;
        pos = 0;
        lim = 0;
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        lim = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
