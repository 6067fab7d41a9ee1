package dev.tracebench.importers.langfuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.importers.ImporterTestBase;
import dev.tracebench.importers.TraceFormat;
import dev.tracebench.importers.TraceFormats;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Langfuse trace exports are recognised from their content, and nothing else is taken for one. */
class LangfuseDetectionTest extends ImporterTestBase {
    private final LangfuseTraceFormat format = new LangfuseTraceFormat();

    /** The head the import service sniffs: the first 64 KB. */
    static TraceFormat.Head head(Path f) throws IOException {
        byte[] b;
        try (InputStream in = Files.newInputStream(f)) {
            b = in.readNBytes(1 << 16);
        }
        return new TraceFormat.Head(b, new String(b, StandardCharsets.UTF_8));
    }

    /** Every data file of the corpora and of the other formats' fixtures written for these tests. */
    static List<Path> allFiles() throws IOException {
        Path corpora = corpus("PROVENANCE.md").getParent();
        try (Stream<Path> c = Files.walk(corpora); Stream<Path> p = Files.walk(corpora.resolveSibling("phoenix"))) {
            return Stream.concat(c, p).filter(Files::isRegularFile)
                    .filter(x -> !x.getFileName().toString().endsWith(".md")).sorted().toList();
        }
    }

    @Test
    void everyTraceExportOfTheCorporaIsRecognisedWithoutAFormat() throws IOException {
        int n = 0;
        for (Path f : allFiles()) {
            if (f.getFileName().toString().endsWith(".trace.json")) {
                n++;
                assertEquals(90, format.sniff(head(f)), f.toString());
                assertTrue(TraceFormats.detect(head(f)) instanceof LangfuseTraceFormat, f.toString());
                ImportReport r = importFile(f);
                assertEquals(ImportReport.Status.IMPORTED, r.status(), f + ": " + r.message());
                assertEquals("langfuse-json", r.format(), f.toString());
            }
        }
        assertEquals(9, n);
    }

    @Test
    void noOtherFileIsClaimed() throws IOException {
        int others = 0;
        for (Path f : allFiles()) {
            if (!f.getFileName().toString().endsWith(".trace.json")) {
                others++;
                assertEquals(0, format.sniff(head(f)), f.toString());
            }
        }
        assertEquals(55 - 9 + 3, others, "the other corpus files (the chatml outputs among them) and the Phoenix "
                + "fixtures");
    }

    @Test
    void aGzippedExportIsRecognisedAfterDecompression() throws IOException {
        byte[] raw = Files.readAllBytes(corpus("langfuse-framework-traces/pydantic-ai-2025-06-06.trace.json"));
        ImportReport r = importBytes("trace.json.gz", gzip(raw));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertTrue(r.format().startsWith("langfuse-json+"), r.format());
        assertEquals(3, r.spansAdded());
    }

    @Test
    void anExportWithALargeTraceInputIsStillRecognised() {
        String big = "x".repeat(70_000);
        String text = "{\"trace\":{\"id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"projectId\":\"p\",\"input\":\"" + big
                + "\",\"observations\":[]},\"observations\":[{\"id\":\"00000000000000a1\",\"traceId\":"
                + "\"4bf92f3577b34da6a3ce929d0e0e4736\",\"parentObservationId\":null,\"type\":\"SPAN\",\"name\":\"r\","
                + "\"startTime\":\"2025-01-01T00:00:00Z\",\"endTime\":\"2025-01-01T00:00:01Z\"}]}";
        byte[] b = text.substring(0, 1 << 16).getBytes(StandardCharsets.UTF_8);
        TraceFormat.Head head = new TraceFormat.Head(b, new String(b, StandardCharsets.UTF_8));
        assertEquals(60, format.sniff(head));
        assertTrue(TraceFormats.detect(head) instanceof LangfuseTraceFormat);
    }
}
