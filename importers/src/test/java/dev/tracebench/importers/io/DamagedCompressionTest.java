package dev.tracebench.importers.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.FileImportService;
import dev.tracebench.importers.ImporterTestBase;
import dev.tracebench.samples.SampleFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 3: zstd and gzip check a frame's data only at the frame's end (content checksum, CRC-32), so data
 * decoded before a failed check must not be kept. The input is the generator's bundled sample (OTLP/JSON Lines, 3,000
 * traces), compressed here, with 64 bytes flipped in the middle; what was stored is compared with an import of the
 * intact data.
 */
class DamagedCompressionTest extends ImporterTestBase {
    private static byte[] jsonl;
    private static List<byte[]> thirds;

    @BeforeAll
    static void readSample() throws IOException {
        try (InputStream in = new GZIPInputStream(SampleFiles.open(SampleFiles.DEMO_TRACES))) {
            jsonl = in.readAllBytes();
        }
        // the first 4 MB of lines are plenty (and keep the test quick)
        jsonl = Arrays.copyOf(jsonl, nextLine(Math.min(jsonl.length - 1, 4 << 20)));
        // three parts at line boundaries, for files of three frames (or members)
        int a = nextLine(jsonl.length / 3);
        int b = nextLine(2 * jsonl.length / 3);
        thirds = List.of(Arrays.copyOfRange(jsonl, 0, a), Arrays.copyOfRange(jsonl, a, b),
                Arrays.copyOfRange(jsonl, b, jsonl.length));
    }

    private static int nextLine(int from) {
        int i = from;
        while (jsonl[i] != '\n') {
            i++;
        }
        return i + 1;
    }

    private interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private static final Compressor ZSTD = out -> new ZstdOutputStream(out).setChecksum(true).setLevel(3);
    private static final Compressor GZIP = GZIPOutputStream::new;

    /** Each part compressed as a frame (member) of its own, concatenated; and where each frame starts. */
    private static byte[] compress(Compressor c, List<byte[]> parts, int[] starts) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < parts.size(); i++) {
            starts[i] = all.size();
            ByteArrayOutputStream one = new ByteArrayOutputStream();
            try (OutputStream z = c.wrap(one)) {
                z.write(parts.get(i));
            }
            all.writeBytes(one.toByteArray());
        }
        return all.toByteArray();
    }

    private static byte[] flip64(byte[] data, int at) {
        byte[] d = data.clone();
        for (int i = at; i < at + 64; i++) {
            d[i] ^= 0x5A;
        }
        return d;
    }

    /** The spans of a workspace as comparable text: ids, names, times, status, attributes. */
    private static List<List<Object>> spans(Workspace w) {
        return w.console().run("SELECT trace_hex(trace_id), span_hex(span_id), span_hex(parent_span_id), name, "
                + "start_ns, end_ns, status_code, attributes::VARCHAR FROM spans ORDER BY 1, 2", 1_000_000).rows();
    }

    /** What an import of {@code data} (intact, uncompressed) stores, in a workspace of its own. */
    private List<List<Object>> expected(byte[] data) throws IOException {
        Path f = dir.resolve("intact-" + data.length + ".jsonl");
        Files.write(f, data);
        try (Workspace w = Workspace.open(dir.resolve("expected-" + data.length + ".duckdb"))) {
            ImportReport r = new FileImportService(() -> w).importFile(f, ProgressListener.NONE,
                    CancellationToken.none());
            assertEquals(0, r.rejected(), r.problems().toString());
            return spans(w);
        }
    }

    @Test
    void aDamagedSingleZstdFrameStoresNothing() throws IOException {
        byte[] z = compress(ZSTD, List.of(jsonl), new int[1]);
        ImportReport r = importBytes("damaged.jsonl.zst", flip64(z, z.length / 2));
        assertEquals(ImportReport.Status.UNUSABLE, r.status(), r.summaryLine());
        assertTrue(r.message().startsWith("the zstd data is damaged: frame 1 (from compressed byte 0)"), r.message());
        assertTrue(r.message().endsWith("nothing from this file was stored"), r.message());
        assertEquals(0, count("SELECT count(*) FROM spans"));
        assertEquals(0, ws.traces().stats().imports());
    }

    @Test
    void aDamagedZstdFrameLosesOnlyItsOwnData() throws IOException {
        int[] starts = new int[3];
        byte[] z = compress(ZSTD, thirds, starts);
        int middleOfSecond = (starts[1] + starts[2]) / 2;
        ImportReport r = importBytes("damaged.jsonl.zst", flip64(z, middleOfSecond));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("otlp-json+zstd", r.format());
        // exactly the first frame's spans, with the values they have in the source
        List<List<Object>> first = expected(thirds.get(0));
        assertEquals(first.size(), r.spansAdded());
        assertEquals(first, spans(ws));
        assertEquals(1, r.rejected(), r.problems().toString());
        String reason = r.problems().get(0).reason();
        assertTrue(reason.startsWith("the zstd data is damaged: frame 2 (from compressed byte "
                + String.format("%,d", starts[1]) + ")"), reason);
        assertTrue(reason.contains("none of that frame's data was kept; the frame before it ("
                + String.format("%,d", thirds.get(0).length) + " bytes) passed its check"), reason);
    }

    @Test
    void anIntactMultiFrameFileIsReadWhole() throws IOException {
        byte[] z = compress(ZSTD, thirds, new int[3]);
        ImportReport r = importBytes("intact.jsonl.zst", z);
        assertEquals(0, r.rejected(), r.problems().toString());
        assertEquals(expected(jsonl), spans(ws));
    }

    @Test
    void gzipGetsTheSameTreatment() throws IOException {
        // the claim was that gzip already kept nothing altered: with one member, data before the failed CRC-32 was
        // kept too; now neither is
        byte[] gz = compress(GZIP, List.of(jsonl), new int[1]);
        ImportReport single = importBytes("damaged.jsonl.gz", flip64(gz, gz.length / 2));
        assertEquals(ImportReport.Status.UNUSABLE, single.status(), single.summaryLine());
        assertTrue(single.message().startsWith("the gzip data is damaged: member 1 (from compressed byte 0)"),
                single.message());
        assertEquals(0, count("SELECT count(*) FROM spans"));

        int[] starts = new int[3];
        byte[] members = compress(GZIP, thirds, starts);
        ImportReport r = importBytes("damaged3.jsonl.gz", flip64(members, (starts[1] + starts[2]) / 2));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(expected(thirds.get(0)), spans(ws));
        assertTrue(r.problems().get(0).reason().startsWith("the gzip data is damaged: member 2 (from compressed byte "
                + String.format("%,d", starts[1]) + ")"), r.problems().toString());
    }

    @Test
    void aTruncatedFileKeepsWhatDecodedBeforeTheCut() throws IOException {
        int[] starts = new int[3];
        byte[] z = compress(ZSTD, thirds, starts);
        // cut inside the third frame: the first two passed their checks, the third decoded cleanly up to the cut
        ImportReport r = importBytes("cut.jsonl.zst", Arrays.copyOf(z, (starts[2] + z.length) / 2));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        List<List<Object>> firstTwo = expected(Arrays.copyOf(jsonl, thirds.get(0).length + thirds.get(1).length));
        java.util.Set<List<Object>> stored = new java.util.HashSet<>(spans(ws));
        assertTrue(stored.containsAll(firstTwo), "the spans of the two checked frames are kept");
        assertTrue(stored.size() > firstTwo.size(), "and those of the third up to the cut");
        assertTrue(new java.util.HashSet<>(expected(jsonl)).containsAll(stored), "every stored span is as in the "
                + "source");
        assertTrue(r.problems().stream().anyMatch(p -> p.reason().contains("the zstd data ends early (the file looks "
                + "truncated) inside frame 3")), r.problems().toString());
    }

    @Test
    void aDamagedHeaderIsExplained() throws IOException {
        // the zstd magic, a frame header with a window of 2^41 bytes, then a block
        byte[] z = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0x00, (byte) 0xFF, 0x01, 0x00, 0x00};
        ImportReport r = importBytes("header.zst", z);
        assertEquals(ImportReport.Status.UNUSABLE, r.status());
        assertTrue(r.message().startsWith("the zstd data is damaged: frame 1 (from compressed byte 0) cannot be "
                + "decoded ("), r.message());
    }
}
