package dev.tracebench.importers.io;

import java.io.IOException;
import java.io.InputStream;

/**
 * Decompressed data made of frames (zstd frames, gzip members), each checked only at its end (zstd's content
 * checksum, gzip's CRC-32): until a frame has ended, its data is unverified. This stream counts what it handed on and
 * where the last verified frame ended, so that an import can drop the data of a frame that then fails its check
 * ({@link CorruptInputException#untrusted()}). Data of a file cut short inside a frame is kept: it decoded cleanly and
 * there is no check to fail, only none to pass (the message says so).
 */
abstract class FramedInput extends InputStream {
    /** The compression's name for messages: "zstd", "gzip". */
    private final String kind;
    /** Decompressed bytes handed on. */
    private long delivered;
    /** Decompressed bytes in frames that ended and passed their check. */
    private long verified;
    /** Frames (or members) that ended and passed their check. */
    private int frames;
    /** The compressed offset at which the current frame started. */
    private long frameStart;
    private CorruptInputException failure;

    FramedInput(String kind) {
        this.kind = kind;
    }

    /** Decompresses into {@code b} what the current frame has; -1 at the clean end of the data. */
    abstract int decode(byte[] b, int off, int len) throws IOException;

    /** Compressed bytes consumed so far. */
    abstract long consumed();

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (len == 0) {
            return 0;
        }
        int n = decode(b, off, len);
        if (n > 0) {
            delivered += n;
        }
        return n;
    }

    /**
     * Always 0: a BufferedInputStream above keeps reading while {@code available() > 0}, and if a later read then
     * fails, the bytes it had already copied for the caller are lost with the exception. Answering 0 makes every read
     * return what it has, so data before the damage is always delivered first.
     */
    @Override
    public final int available() {
        return 0;
    }

    /** The current frame ended and passed its check; its data is verified. */
    final void frameVerified(long decodedTotal) {
        frames++;
        verified = decodedTotal;
        frameStart = consumed();
    }

    /** Whether data was handed on from a frame that has not (yet) passed its check. */
    final boolean unverified() {
        return delivered > verified;
    }

    /** The damage that stopped this stream, or null. */
    final CorruptInputException failure() {
        return failure;
    }

    /** The current frame failed its check or cannot be decoded: fails this read and every later one. */
    final CorruptInputException damaged(String what, Throwable cause) {
        boolean untrusted = delivered > verified;
        failure = new CorruptInputException("the " + kind + " data is damaged: " + frameName() + " " + what
                + (untrusted ? "; none of that " + unit() + "'s data was kept" : "") + kept(), cause, verified,
                untrusted);
        return failure;
    }

    /** The header of the current frame is damaged; for the first frame, the file's header. */
    final CorruptInputException damagedHeader(String detail) {
        if (frames > 0) {
            return damaged("has a damaged header (" + detail + ")", null);
        }
        failure = new CorruptInputException("the " + kind + " header is damaged (" + detail + ")", null, 0, false);
        return failure;
    }

    /** The data ends inside a frame. */
    final CorruptInputException truncated(Throwable cause) {
        failure = new CorruptInputException("the " + kind + " data ends early (the file looks truncated) inside "
                + frameName() + "; what it held up to the cut decoded cleanly but could not be checked, and was kept"
                + kept(), cause, verified, false);
        return failure;
    }

    private String unit() {
        return kind.equals("gzip") ? "member" : "frame";
    }

    private String frameName() {
        return unit() + " " + (frames + 1) + " (from compressed byte " + String.format("%,d", frameStart) + ")";
    }

    private String kept() {
        if (frames == 0) {
            return "";
        }
        return frames == 1 ? String.format("; the %s before it (%,d bytes) passed its check", unit(), verified)
                : String.format("; the %,d %ss before it (%,d bytes) passed their checks", frames, unit(), verified);
    }
}
