package dev.tracebench.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 8: a folder's files are recognised by their content (compressed or not, whatever their names), the
 * rest skipped with what they look like; hidden files and folders are not looked at.
 */
class FolderScanTest extends ImporterTestBase {

    @Test
    void everyFileIsRecognisedByContentAndTheRestSkippedWithAReason() throws Exception {
        Path root = Files.createDirectories(dir.resolve("exports"));
        Path sub = Files.createDirectories(root.resolve("2025/june"));
        Files.copy(corpus("otel-proto-examples/trace.json"), root.resolve("otlp.data"));
        Files.write(sub.resolve("zipkin.json.gz"), gzip(Files.readAllBytes(corpus("zipkin-testdata/yelp.json"))));
        Files.copy(corpus("jaeger-storage-fixtures/anonymizer-trace_success.json"), sub.resolve("spans.json"));
        Files.writeString(root.resolve("notes.txt"), "remember to export the traces");
        Files.copy(corpus("otel-proto-examples/logs.json"), root.resolve("logs.json"));
        Files.writeString(root.resolve("empty.json"), "");
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve(".git/config"), "{\"resourceSpans\":[]}");
        Files.writeString(root.resolve(".hidden.json"), "{\"resourceSpans\":[]}");

        List<FolderScan.Entry> entries = FolderScan.scan(root);
        Map<String, FolderScan.Entry> byName = entries.stream().collect(Collectors.toMap(
                e -> root.relativize(e.file()).toString().replace('\\', '/'), e -> e));
        assertEquals(List.of("2025/june/spans.json", "2025/june/zipkin.json.gz", "empty.json", "logs.json",
                "notes.txt", "otlp.data"), byName.keySet().stream().sorted().toList());
        assertEquals("otlp-json", byName.get("otlp.data").format().id());
        assertEquals("zipkin-json", byName.get("2025/june/zipkin.json.gz").format().id());
        assertEquals("jaeger-json", byName.get("2025/june/spans.json").format().id());
        assertNull(byName.get("otlp.data").reason());
        assertEquals(FolderScan.Kind.SKIPPED, byName.get("notes.txt").kind());
        assertEquals("not a trace file: it is neither JSON nor OTLP protobuf (it starts with 'remember to ')",
                byName.get("notes.txt").reason().substring(0, 86));
        assertEquals("not a trace file: it is OTLP/JSON logs (resourceLogs), not traces; export the traces pipeline "
                + "(resourceSpans) instead", byName.get("logs.json").reason());
        assertEquals("not a trace file: the file is empty", byName.get("empty.json").reason());
    }
}
