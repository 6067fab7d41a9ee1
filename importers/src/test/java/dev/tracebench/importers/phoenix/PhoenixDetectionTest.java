package dev.tracebench.importers.phoenix;

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

/** Phoenix span exports are recognised from their content; no corpus file and no console dump is taken for one. */
class PhoenixDetectionTest extends ImporterTestBase {
    private final PhoenixSpansFormat format = new PhoenixSpansFormat();

    static TraceFormat.Head head(Path f) throws IOException {
        byte[] b;
        try (InputStream in = Files.newInputStream(f)) {
            b = in.readNBytes(1 << 16);
        }
        return new TraceFormat.Head(b, new String(b, StandardCharsets.UTF_8));
    }

    static List<Path> corpusFiles() throws IOException {
        Path root = corpus("PROVENANCE.md").getParent();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".md")).sorted()
                    .toList();
        }
    }

    @Test
    void theFixturesAreRecognisedWithoutAFormat() throws IOException {
        for (String name : List.of("agent-spans.json", "agent-spans.jsonl", "agent-spans-page.json")) {
            Path f = PhoenixFixtureTest.fixture(name);
            assertEquals(90, format.sniff(head(f)), name);
            assertTrue(TraceFormats.detect(head(f)) instanceof PhoenixSpansFormat, name);
        }
    }

    @Test
    void noCorpusFileIsClaimed() throws IOException {
        List<Path> files = corpusFiles();
        assertEquals(55, files.size());
        for (Path f : files) {
            assertEquals(0, format.sniff(head(f)), f.toString());
        }
    }

    @Test
    void thePythonConsoleExportersOutputIsLeftToItsExplanation() throws IOException {
        String console = "{\n    \"name\": \"work\",\n    \"context\": {\n        \"trace_id\": "
                + "\"0x5b8aa5a2d2c872e8321cf37308d69df2\",\n        \"span_id\": \"0x051581bf3cb55c13\",\n"
                + "        \"trace_state\": \"[]\"\n    },\n    \"kind\": \"SpanKind.INTERNAL\",\n"
                + "    \"parent_id\": null,\n    \"start_time\": \"2024-01-01T00:00:00.000000Z\",\n"
                + "    \"end_time\": \"2024-01-01T00:00:01.000000Z\",\n    \"status\": {\n"
                + "        \"status_code\": \"UNSET\"\n    },\n    \"attributes\": {},\n    \"events\": [],\n"
                + "    \"links\": [],\n    \"resource\": {\n        \"attributes\": {},\n"
                + "        \"schema_url\": \"\"\n    }\n}\n";
        byte[] b = console.getBytes(StandardCharsets.UTF_8);
        assertEquals(0, format.sniff(new TraceFormat.Head(b, console)));
        ImportReport r = importText("console.json", console);
        assertEquals(ImportReport.Status.UNUSABLE, r.status());
        assertTrue(r.message().contains("ConsoleSpanExporter"), r.message());
    }
}
