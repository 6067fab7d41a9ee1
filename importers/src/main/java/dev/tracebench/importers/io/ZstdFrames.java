package dev.tracebench.importers.io;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * zstd frames decompressed one after another with zstd's streaming decoder, which says when a frame has been decoded
 * completely, its content checksum (if it has one) included.
 */
final class ZstdFrames extends FramedInput {
    private static final int BUFFER = 1 << 17;
    private final InputStream in;
    private final ZstdDecompressCtx ctx = new ZstdDecompressCtx();
    private final ByteBuffer src = ByteBuffer.allocateDirect(BUFFER).flip();
    private final ByteBuffer dst = ByteBuffer.allocateDirect(BUFFER).flip();
    private final byte[] chunk = new byte[BUFFER];
    private long consumed;
    private long decoded;
    /** Whether the decoder is inside a frame (has taken input since the last frame ended). */
    private boolean inFrame;
    private boolean eof;

    ZstdFrames(InputStream in) {
        super("zstd");
        this.in = in;
    }

    @Override
    long consumed() {
        return consumed;
    }

    @Override
    int decode(byte[] b, int off, int len) throws IOException {
        while (!dst.hasRemaining()) {
            if (!src.hasRemaining()) {
                if (eof) {
                    if (inFrame) {
                        throw truncated(null);
                    }
                    return -1;
                }
                int n = in.read(chunk);
                if (n < 0) {
                    eof = true;
                    continue;
                }
                src.clear();
                src.put(chunk, 0, n).flip();
            }
            dst.clear();
            int before = src.position();
            boolean ended;
            try {
                ended = ctx.decompressDirectByteBufferStream(dst, src);
            } catch (ZstdException e) {
                dst.clear().flip();
                String what = String.valueOf(e.getMessage());
                if (!inFrame && (what.contains("Unknown frame descriptor") || what.contains("prefix unknown")
                        || what.contains("parameter"))) {
                    throw damagedHeader(what.toLowerCase(java.util.Locale.ROOT));
                }
                throw damaged(describe(what), e);
            }
            dst.flip();
            consumed += src.position() - before;
            decoded += dst.remaining();
            if (ended) {
                inFrame = false;
                frameVerified(decoded);
            } else if (src.position() > before || dst.hasRemaining()) {
                inFrame = true;
            }
        }
        int n = Math.min(len, dst.remaining());
        dst.get(b, off, n);
        return n;
    }

    /** zstd's error names in plain words. */
    private static String describe(String error) {
        String e = String.valueOf(error);
        if (e.contains("checksum")) {
            return "fails its content checksum (its data was altered)";
        }
        return "cannot be decoded (" + e.toLowerCase(java.util.Locale.ROOT) + ")";
    }

    @Override
    public void close() throws IOException {
        ctx.close();
        in.close();
    }
}
