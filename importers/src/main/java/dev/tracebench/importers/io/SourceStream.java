package dev.tracebench.importers.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The bytes of one source as an importer reads them: counted and hashed (SHA-256) as they come off the disk, and
 * transparently decompressed if they are gzip or zstd (recognised by their magic bytes). Corrupt compressed data surfaces as {@link CorruptInputException}, so
 * importers can keep what they read before it and say where it broke.
 */
public final class SourceStream implements AutoCloseable {
    private static final int BUFFER = 1 << 16;

    private final Counting raw;
    private final InputStream content;
    private final String compression;

    private SourceStream(Counting raw, InputStream content, String compression) {
        this.raw = raw;
        this.content = content;
        this.compression = compression;
    }

    /** Wraps {@code in} (the raw file bytes); detects gzip by its magic bytes. */
    public static SourceStream open(InputStream in) throws IOException {
        Counting raw = new Counting(in);
        BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        if (b0 == 0x28 && b1 == 0xB5) {
            buffered.mark(4);
            byte[] magic = buffered.readNBytes(4);
            buffered.reset();
            if (magic.length == 4 && (magic[2] & 0xFF) == 0x2F && (magic[3] & 0xFF) == 0xFD) {
                java.io.InputStream z;
                try {
                    z = new com.github.luben.zstd.ZstdInputStream(buffered);
                } catch (IOException e) {
                    throw new CorruptInputException("the zstd header is damaged (" + e.getMessage() + ")", e);
                }
                return new SourceStream(raw, new BufferedInputStream(new Guarded(z), BUFFER), "zstd");
            }
        }
        if (b0 == 0x1f && b1 == 0x8b) {
            GZIPInputStream gz;
            try {
                gz = new GZIPInputStream(buffered, BUFFER);
            } catch (ZipException | EOFException e) {
                throw new CorruptInputException("the gzip header is damaged (" + e.getMessage() + ")", e);
            }
            return new SourceStream(raw, new BufferedInputStream(new Guarded(gz), BUFFER), "gzip");
        }
        return new SourceStream(raw, buffered, "");
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

    /** Reads whatever is left of the raw source (so the hash covers the whole file) and returns the SHA-256. */
    public String finishSha256() throws IOException {
        byte[] skip = new byte[BUFFER];
        while (raw.read(skip) >= 0) {
            // drain
        }
        return HexFormat.of().formatHex(raw.hasher.finish());
    }

    @Override
    public void close() throws IOException {
        raw.hasher.stop();
        content.close();
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
                    Chunk c = free.take();
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

    /** Turns the decompressor's complaints about damaged data into {@link CorruptInputException}. */
    private static final class Guarded extends FilterInputStream {
        private long produced;

        Guarded(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = super.read(b, off, len);
                if (n > 0) {
                    produced += n;
                }
                return n;
            } catch (ZipException | EOFException e) {
                throw corrupt(e);
            } catch (IOException e) {
                if (e.getClass().getName().startsWith("com.github.luben.zstd")) {
                    throw corrupt(e);
                }
                throw e;
            }
        }

        /**
         * Always 0: a BufferedInputStream above keeps reading while {@code available() > 0}, and if a later read then
         * fails, the bytes it had already copied for the caller are lost with the exception. Answering 0 makes every
         * read return what it has, so data before the damage is always delivered first.
         */
        @Override
        public int available() {
            return 0;
        }

        private CorruptInputException corrupt(IOException e) {
            String kind = in instanceof GZIPInputStream ? "gzip" : "zstd";
            boolean early = e instanceof EOFException || String.valueOf(e.getMessage()).contains("Truncated")
                    || String.valueOf(e.getMessage()).contains("truncated");
            String what = early ? "the " + kind + " data ends early (the file looks truncated)"
                    : "the " + kind + " data is damaged (" + e.getMessage() + ")";
            return new CorruptInputException(what + " after " + produced + " decompressed bytes", e);
        }
    }
}
