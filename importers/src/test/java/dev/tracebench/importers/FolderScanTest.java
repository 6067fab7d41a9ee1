package dev.tracebench.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        String notes = "not a trace or eval file: it is neither JSON nor OTLP protobuf (it starts with 'remember to ')";
        assertEquals(notes, byName.get("notes.txt").reason().substring(0, notes.length()));
        assertEquals("not a trace or eval file: it is OTLP/JSON logs (resourceLogs), not traces; export the traces "
                + "pipeline (resourceSpans) instead", byName.get("logs.json").reason());
        assertEquals("not a trace or eval file: the file is empty", byName.get("empty.json").reason());
    }

    @Test
    void aFolderOfTracesEvalResultsAndDatasetsHoldsEachKind() throws Exception {
        Path root = Files.createDirectories(dir.resolve("run-42"));
        Files.copy(corpus("otel-proto-examples/trace.json"), root.resolve("traces.json"));
        try (java.io.InputStream in = dev.tracebench.samples.SampleFiles.open(
                dev.tracebench.samples.SampleFiles.DEMO_EVALS)) {
            Files.write(root.resolve("evals.jsonl.gz"), gzip(in.readAllBytes()));
        }
        Files.copy(corpus("deepeval-fixtures/test_run_sample.json"), root.resolve("deepeval.json"));
        Files.copy(corpus("deepeval-fixtures/goldens.json"), root.resolve("goldens.json"));
        Files.writeString(root.resolve("make_logs.py"), "sample = {\"input\": prompt, \"ideal\": answer}\n");
        Map<String, FolderScan.Entry> byName = FolderScan.scan(root).stream().collect(Collectors.toMap(
                e -> e.file().getFileName().toString(), e -> e));
        assertEquals(FolderScan.Kind.TRACES, byName.get("traces.json").kind());
        assertEquals(FolderScan.Kind.EVALS, byName.get("evals.jsonl.gz").kind());
        assertEquals("eval-jsonl", byName.get("evals.jsonl.gz").format().id());
        assertEquals(FolderScan.Kind.EVALS, byName.get("deepeval.json").kind());
        assertEquals(FolderScan.Kind.DATASETS, byName.get("goldens.json").kind());
        assertEquals("deepeval", byName.get("goldens.json").dataset());
        assertNull(byName.get("goldens.json").reason());
        // a script that names the fields of a dataset is not one (a line with a comma: it is told as a table)
        String script = byName.get("make_logs.py").reason();
        assertTrue(script.startsWith("not a trace or eval file: it is a table with the columns ")
                && !script.contains("dataset"), script);
    }
}
