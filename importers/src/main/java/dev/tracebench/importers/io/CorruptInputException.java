package dev.tracebench.importers.io;

import java.io.IOException;

/**
 * The source's bytes are damaged (for example corrupt gzip), or reading had to stop (see {@link NoRecordsException}).
 * What was read before is usable unless {@link #untrusted()}: then decompressed data was handed on from a frame that
 * then failed its check, and nothing after {@link #trustedBytes()} may be kept.
 */
public class CorruptInputException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long trustedBytes;
    private final boolean untrusted;

    public CorruptInputException(String message, Throwable cause) {
        this(message, cause, -1, false);
    }

    /**
     * @param trustedBytes decompressed bytes in the frames that passed their checks, before the damaged one
     * @param untrusted    whether bytes of the damaged frame were already handed on
     */
    public CorruptInputException(String message, Throwable cause, long trustedBytes, boolean untrusted) {
        super(message, cause);
        this.trustedBytes = trustedBytes;
        this.untrusted = untrusted;
    }

    /** Decompressed bytes known good (complete frames that passed their checks), or -1 if not compressed data. */
    public long trustedBytes() {
        return trustedBytes;
    }

    /** Whether data after {@link #trustedBytes()} was handed on and must not be kept. */
    public boolean untrusted() {
        return untrusted;
    }
}
