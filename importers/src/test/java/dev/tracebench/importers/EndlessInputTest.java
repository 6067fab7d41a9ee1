package dev.tracebench.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.common.Limits;
import java.io.InputStream;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 4: a forced format on endless garbage ({@code /dev/urandom}, {@code /dev/zero}) used to never end.
 * Reading now stops once {@link Limits#MAX_BYTES_WITHOUT_RECORD} bytes pass without a valid span. The stand-in for the
 * device is a generated stream of 200 MB (random bytes or zeros), read through the importer's stream API (no file),
 * of unknown size like a device.
 */
class EndlessInputTest extends ImporterTestBase {
    private static final long SIZE = 200L << 20;
    /** Well short of the 200 MB: the limit, plus what a reader holds when it gets to see it (a 32 MB line). */
    private static final long EARLY = 100L << 20;

    /** {@code SIZE} bytes from {@code random} (or zeros), counting what was read. */
    private static InputStream garbage(boolean random, AtomicLong read) {
        SplittableRandom rnd = new SplittableRandom(10);
        return new InputStream() {
            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                long left = SIZE - read.get();
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                if (random) {
                    for (int i = 0; i < n; i++) {
                        b[off + i] = (byte) rnd.nextInt();
                    }
                } else {
                    java.util.Arrays.fill(b, off, off + n, (byte) 0);
                }
                read.addAndGet(n);
                return n;
            }
        };
    }

    private ImportReport importGarbage(String name, boolean random, String format, AtomicLong read) {
        return imports.importSource(name, -1, () -> garbage(random, read), format, ProgressListener.NONE,
                CancellationToken.none());
    }

    /**
     * Length-prefixed protobuf messages that are valid but hold no span (empty ResourceSpans, {@code 0A 00} over and
     * over): the reader goes on from message to message, so only the guard ends it.
     */
    private static InputStream emptyMessages(AtomicLong read) {
        byte[] message = new byte[4 + 4096];
        message[2] = 0x10; // length 4096, big-endian
        for (int i = 4; i < message.length; i += 2) {
            message[i] = 0x0A;
        }
        return new InputStream() {
            private int at;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (read.get() >= SIZE) {
                    return -1;
                }
                int n = Math.min(len, message.length - at);
                System.arraycopy(message, at, b, off, n);
                at = (at + n) % message.length;
                read.addAndGet(n);
                return n;
            }
        };
    }

    @Test
    void protobufMessagesWithoutSpansWithoutEndStopEarlyAndAreRefused() {
        AtomicLong read = new AtomicLong();
        ImportReport r = imports.importSource("empty-messages.pb", -1, () -> emptyMessages(read), "otlp-proto",
                ProgressListener.NONE, CancellationToken.none());
        assertEquals(ImportReport.Status.UNUSABLE, r.status(), r.summaryLine());
        assertTrue(r.message().startsWith("read as OTLP protobuf (as the format was forced), not one valid span was "
                + "found in the first 67,108,864 bytes, so reading stopped: this is not OTLP protobuf (expected: "),
                r.message());
        assertTrue(read.get() < EARLY, "stopped early: " + read.get() + " bytes read");
        assertTrue(read.get() >= Limits.MAX_BYTES_WITHOUT_RECORD, "read " + read.get());
        assertEquals(0, ws.traces().stats().imports());
    }

    @Test
    void randomBytesReadAsProtobufAreRefused() {
        AtomicLong read = new AtomicLong();
        ImportReport r = importGarbage("/dev/urandom", true, "otlp-proto", read);
        assertEquals(ImportReport.Status.UNUSABLE, r.status(), r.summaryLine());
        assertTrue(r.message().startsWith("read as OTLP protobuf (as the format was forced), "), r.message());
        assertTrue(read.get() < EARLY, "stopped early: " + read.get() + " bytes read");
    }

    @Test
    void zerosReadAsJsonStopEarlyToo() {
        for (String format : new String[] {"otlp-json", "jaeger-json", "zipkin-json", "otlp-proto"}) {
            AtomicLong read = new AtomicLong();
            ImportReport r = importGarbage("/dev/zero", false, format, read);
            assertEquals(ImportReport.Status.UNUSABLE, r.status(), format + ": " + r.summaryLine());
            assertTrue(read.get() < EARLY, format + " stopped early: " + read.get() + " bytes read");
        }
    }

    @Test
    void randomBytesReadAsJsonAreRefusedWithWhatWasFound() {
        AtomicLong read = new AtomicLong();
        ImportReport r = importGarbage("/dev/urandom", true, "otlp-json", read);
        assertEquals(ImportReport.Status.UNUSABLE, r.status(), r.summaryLine());
        assertTrue(r.message().startsWith("read as OTLP/JSON (as the format was forced), "), r.message());
        assertTrue(read.get() < EARLY, "stopped early: " + read.get() + " bytes read");
    }

    @Test
    void validSpansFollowedByEndlessGarbageKeepTheSpans() {
        String span = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
                + "\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"0000000000000001\",\"name\":\"a\","
                + "\"startTimeUnixNano\":\"1\",\"endTimeUnixNano\":\"2\"}]}]}]}\n";
        AtomicLong read = new AtomicLong();
        ImportReport r = imports.importSource("spans+garbage", -1, () -> new java.io.SequenceInputStream(
                new java.io.ByteArrayInputStream(span.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                garbage(false, read)), ProgressListener.NONE, CancellationToken.none());
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(1, r.spansAdded());
        assertTrue(r.problems().stream().anyMatch(p -> p.reason().contains("bytes were read without one valid span")),
                r.problems().toString());
        assertTrue(read.get() < EARLY, "stopped early: " + read.get());
    }
}
