package dev.tracebench.importers.oteljs;

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

/** OTel JS span dumps are recognised from their content; the bare attribute maps beside them are not. */
class OtelJsDetectionTest extends ImporterTestBase {
    private final OtelJsSpansFormat format = new OtelJsSpansFormat();

    static TraceFormat.Head head(Path f) throws IOException {
        byte[] b;
        try (InputStream in = Files.newInputStream(f)) {
            b = in.readNBytes(1 << 16);
        }
        return new TraceFormat.Head(b, new String(b, StandardCharsets.UTF_8));
    }

    static List<Path> allFiles() throws IOException {
        Path corpora = corpus("PROVENANCE.md").getParent();
        try (Stream<Path> c = Files.walk(corpora); Stream<Path> p = Files.walk(corpora.resolveSibling("phoenix"))) {
            return Stream.concat(c, p).filter(Files::isRegularFile)
                    .filter(x -> !x.getFileName().toString().endsWith(".md")).sorted().toList();
        }
    }

    private static boolean isDump(Path f) {
        return f.getFileName().toString().startsWith("vercel-v6-");
    }

    @Test
    void everySpanDumpOfTheCorporaIsRecognisedWithoutAFormat() throws IOException {
        int n = 0;
        for (Path f : allFiles()) {
            if (isDump(f)) {
                n++;
                assertEquals(90, format.sniff(head(f)), f.toString());
                assertTrue(TraceFormats.detect(head(f)) instanceof OtelJsSpansFormat, f.toString());
                ImportReport r = importFile(f);
                assertEquals(ImportReport.Status.IMPORTED, r.status(), f + ": " + r.message());
                assertEquals("oteljs-json", r.format(), f.toString());
            }
        }
        assertEquals(5, n);
    }

    @Test
    void noOtherFileIsClaimed() throws IOException {
        int others = 0;
        for (Path f : allFiles()) {
            if (!isDump(f)) {
                others++;
                assertEquals(0, format.sniff(head(f)), f.toString());
            }
        }
        assertEquals(55 - 5 + 3, others, "the other corpus files (the attribute maps among them) and the Phoenix "
                + "fixtures");
    }

    @Test
    void theAttributeMapsBesideTheDumpsAreStillExplained() {
        for (String name : List.of("openinference_client_span_tool_calls.json", "otel_genai_tool_execution_span.json")) {
            ImportReport r = importFile(corpus("openinference-fixtures/" + name));
            assertEquals(ImportReport.Status.UNUSABLE, r.status(), name);
            assertTrue(r.message().startsWith("is a bare map of span attributes"), r.message());
        }
    }

    @Test
    void aSpanWithoutHrtimesIsOnlyLikely() {
        String text = "[{\"name\":\"x\",\"spanContext\":{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":"
                + "\"b7ad6b7169203331\"}}]";
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        TraceFormat.Head head = new TraceFormat.Head(b, text);
        assertEquals(70, format.sniff(head));
        assertTrue(TraceFormats.detect(head) instanceof OtelJsSpansFormat);
    }
}
