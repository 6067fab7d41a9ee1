package dev.tracebench.importers.io;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The bytes of one source as an importer reads them: counted and hashed (SHA-256) as they come off the disk, and
 * transparently decompressed if they are gzip or zstd (recognised by their magic bytes), frame by frame
 * ({@link FramedInput}: data of a frame that fails its check is not to be kept). Corrupt compressed data surfaces as
 * {@link CorruptInputException}, so importers can keep what they read before it and say where it broke. The content
 * passes a {@link StreamGuard}: a long stretch without a valid record stops reading.
 */
public final class SourceStream implements AutoCloseable {
    private static final int BUFFER = 1 << 16;
    /** How much of a frame is decompressed after the reader stopped, to check the data it was handed. */
    private static final long MAX_VERIFY = 1L << 30;

    private final Counting raw;
    private final FramedInput frames;
    private final StreamGuard guard;
    private final InputStream content;
    private final String compression;

    private SourceStream(Counting raw, FramedInput frames, InputStream decoded, String compression, long limit,
            CorruptInputException atLimit) {
        this.raw = raw;
        this.frames = frames;
        this.guard = new StreamGuard(limit < 0 ? decoded : new Limited(decoded, limit, atLimit));
        this.content = new BufferedInputStream(guard, BUFFER);
        this.compression = compression;
    }

    /** Wraps {@code in} (the raw file bytes); detects gzip and zstd by their magic bytes. */
    public static SourceStream open(InputStream in) throws IOException {
        return open(in, -1, null);
    }

    /**
     * As {@link #open(InputStream)}, handing on only the first {@code limit} decompressed bytes and then failing with
     * {@code atLimit}: an import read again without the data of a frame that failed its check.
     */
    public static SourceStream open(InputStream in, long limit, CorruptInputException atLimit) throws IOException {
        Counting raw = new Counting(in);
        BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER);
        buffered.mark(4);
        byte[] magic = buffered.readNBytes(4);
        buffered.reset();
        if (magic.length == 4 && (magic[0] & 0xFF) == 0x28 && (magic[1] & 0xFF) == 0xB5 && (magic[2] & 0xFF) == 0x2F
                && (magic[3] & 0xFF) == 0xFD) {
            ZstdFrames z = new ZstdFrames(buffered);
            return new SourceStream(raw, z, z, "zstd", limit, atLimit);
        }
        if (magic.length >= 2 && (magic[0] & 0xFF) == 0x1f && (magic[1] & 0xFF) == 0x8b) {
            GzipMembers gz = new GzipMembers(buffered);
            return new SourceStream(raw, gz, gz, "gzip", limit, atLimit);
        }
        return new SourceStream(raw, null, buffered, "", limit, atLimit);
    }

    /** The (decompressed) content, buffered; supports mark/reset. */
    public InputStream content() {
        return content;
    }

    /** "gzip", "zstd" or "" for uncompressed sources. */
    public String compression() {
        return compression;
    }

    /** Raw bytes read from the source so far. */
    public long rawBytesRead() {
        return raw.count;
    }

    /** The guard on the content: tell it of every valid record. */
    public StreamGuard guard() {
        return guard;
    }

    /** The damage found in the compressed data so far, or null. */
    public CorruptInputException damage() {
        return frames == null ? null : frames.failure();
    }

    /**
     * Decompresses what is left of the frame whose data was handed on last, so that its check runs even when the
     * reader stopped early (it may have stopped because the damage broke the JSON). Returns the damage found, if any.
     * At most {@value #MAX_VERIFY} more decompressed bytes are read for it (a decompression bomb is not worth more).
     */
    public CorruptInputException verifyHandedOn() throws IOException {
        if (frames == null || frames.failure() != null) {
            return damage();
        }
        byte[] skip = new byte[BUFFER];
        long read = 0;
        try {
            int n;
            while (frames.unverified() && read < MAX_VERIFY && (n = content.read(skip)) >= 0) {
                read += n;
                guard.record(); // not a record, but the reader is done: only the check is wanted
            }
        } catch (CorruptInputException e) {
            return damage() != null ? damage() : e;
        }
        return damage();
    }

    /**
     * Reads whatever is left of the raw source (so the hash covers the whole file), at most {@code maxMore} bytes,
     * and returns the SHA-256 (of what was read, if the limit cut it).
     */
    public String finishSha256(long maxMore) throws IOException {
        byte[] skip = new byte[BUFFER];
        long left = maxMore;
        int n;
        while (left > 0 && (n = raw.read(skip, 0, (int) Math.min(skip.length, left))) >= 0) {
            left -= n;
        }
        return HexFormat.of().formatHex(raw.hasher.finish());
    }

    /** Reads the rest of the raw source and returns the SHA-256 of the whole file. */
    public String finishSha256() throws IOException {
        return finishSha256(Long.MAX_VALUE);
    }

    @Override
    public void close() throws IOException {
        raw.hasher.stop();
        content.close();
    }

    /** Hands on the first {@code limit} bytes, then fails with the damage that ended the trusted data. */
    private static final class Limited extends FilterInputStream {
        private long left;
        private final CorruptInputException atLimit;

        Limited(InputStream in, long limit, CorruptInputException atLimit) {
            super(in);
            this.left = limit;
            this.atLimit = atLimit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0 && len > 0) {
                throw atLimit;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public int available() {
            return 0;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    /** Counts the raw bytes and hands them to the {@link Hasher}. */
    private static final class Counting extends FilterInputStream {
        private final Hasher hasher = new Hasher();
        private long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                hasher.update(new byte[] {(byte) b}, 0, 1);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                hasher.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, BUFFER)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    /**
     * SHA-256 of the raw bytes on a thread of its own: hashing a file costs about a tenth of parsing it, and the
     * parsing thread is what limits the import speed of JSON files. Chunks are copied into a few reused buffers.
     */
    private static final class Hasher {
        private static final int CHUNKS = 8;
        private static final Chunk END = new Chunk(0);
        private final java.util.concurrent.BlockingQueue<Chunk> free =
                new java.util.concurrent.ArrayBlockingQueue<>(CHUNKS);
        private final java.util.concurrent.BlockingQueue<Chunk> full =
                new java.util.concurrent.ArrayBlockingQueue<>(CHUNKS + 1);
        private final MessageDigest digest;
        private Thread thread;
        private volatile boolean stopped;
        /** Why the hashing thread ended early (never expected: it only digests), or null. */
        private volatile Throwable failure;

        Hasher() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < CHUNKS; i++) {
                free.add(new Chunk(BUFFER));
            }
        }

        private static final class Chunk {
            final byte[] bytes;
            int length;

            Chunk(int size) {
                bytes = new byte[size];
            }
        }

        private void start() {
            thread = new Thread(() -> {
                try {
                    while (true) {
                        Chunk c = full.take();
                        if (c == END) {
                            return;
                        }
                        digest.update(c.bytes, 0, c.length);
                        free.put(c);
                    }
                } catch (InterruptedException e) {
                    // stopped
                } catch (Throwable t) {
                    failure = t; // the reader stops waiting for a free chunk and reports it
                }
            }, "tracebench-sha256");
            thread.setDaemon(true);
            thread.start();
        }

        void update(byte[] b, int off, int n) throws IOException {
            if (stopped) {
                return;
            }
            if (thread == null) {
                start();
            }
            try {
                while (n > 0) {
                    Chunk c = free.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (c == null) {
                        if (failure != null) {
                            throw new IOException("hashing the file failed: " + failure, failure);
                        }
                        continue;
                    }
                    int k = Math.min(n, c.bytes.length);
                    System.arraycopy(b, off, c.bytes, 0, k);
                    c.length = k;
                    full.put(c);
                    off += k;
                    n -= k;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while hashing the file");
            }
        }

        byte[] finish() throws IOException {
            if (thread != null) {
                try {
                    full.put(END);
                    thread.join();
                    if (failure != null) {
                        throw new IOException("hashing the file failed: " + failure, failure);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while hashing the file");
                }
                thread = null;
            }
            stopped = true;
            return digest.digest();
        }

        /** Ends the hashing thread if the file was not read to its end. */
        void stop() {
            stopped = true;
            if (thread != null) {
                thread.interrupt();
                thread = null;
            }
        }
    }
}
