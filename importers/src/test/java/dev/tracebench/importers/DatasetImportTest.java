package dev.tracebench.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tracebench.core.dataset.Dataset;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetFiles.DatasetFormatException;
import dev.tracebench.core.dataset.DatasetService;
import dev.tracebench.core.dataset.DatasetVersion;
import dev.tracebench.importers.datasets.DatasetFileService;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dataset file imported as the next version of a dataset named after the file (or as told). */
class DatasetImportTest {
    @TempDir
    Path dir;

    /** Keeps versions in memory, as the store does (each save a new version). */
    static final class MemoryDatasets implements DatasetService {
        final Map<String, List<List<DatasetExample>>> versions = new LinkedHashMap<>();
        final List<String> messages = new ArrayList<>();

        @Override
        public List<Dataset> datasets() {
            return versions.keySet().stream().map(n -> dataset(n).orElseThrow()).toList();
        }

        @Override
        public Optional<Dataset> dataset(String name) {
            List<List<DatasetExample>> v = versions.get(name);
            return v == null ? Optional.empty() : Optional.of(new Dataset(name, "", v.size(),
                    v.get(v.size() - 1).size(), Instant.EPOCH, Instant.EPOCH, 0));
        }

        @Override
        public List<DatasetVersion> versions(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<DatasetExample> examples(String name, int version) {
            List<List<DatasetExample>> v = versions.get(name);
            return v.get(version == 0 ? v.size() - 1 : version - 1);
        }

        @Override
        public DatasetVersion save(String name, String message, List<DatasetExample> examples) {
            List<List<DatasetExample>> v = versions.computeIfAbsent(name, n -> new ArrayList<>());
            v.add(List.copyOf(examples));
            messages.add(message);
            return new DatasetVersion(name, v.size(), Instant.EPOCH, message, examples.size());
        }

        @Override
        public void describe(String name, String description) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void accept(String name, long runId) {
            throw new UnsupportedOperationException();
        }
    }

    private static Path corpus(String relative) throws URISyntaxException {
        return Path.of(DatasetImportTest.class.getResource("/corpora/" + relative).toURI());
    }

    @Test
    void aDatasetFileIsSavedUnderItsNameAndAgainAsTheNextVersion() throws Exception {
        MemoryDatasets store = new MemoryDatasets();
        DatasetFileService files = new DatasetFileService();
        Path goldens = corpus("deepeval-fixtures/goldens.json");
        DatasetImport.Result first = DatasetImport.run(goldens, null, null, Map.of(), files, store);
        assertEquals(goldens + ": dataset goldens version 1, 15 examples (deepeval)", first.summaryLine());
        DatasetImport.Result again = DatasetImport.run(goldens, null, null, Map.of(), files, store);
        assertEquals(2, again.version().version());
        assertEquals(store.examples("goldens", 1).stream().map(e -> List.of(e.id(), e.input(), e.expectedOutput()))
                .toList(), store.examples("goldens", 2).stream().map(e -> List.of(e.id(), e.input(),
                e.expectedOutput())).toList());
        assertEquals("Imported from goldens.json (deepeval)", store.messages.get(0));
        DatasetImport.Result named = DatasetImport.run(corpus("openai-evals-registry/test_match.samples.jsonl"),
                "capitals", null, Map.of(), files, store);
        assertEquals("capitals", named.version().dataset());
        assertEquals(3, store.examples("capitals", 0).size());
    }

    @Test
    void problemsAreCountedAndAnUnreadableFileSavesNothing() throws Exception {
        MemoryDatasets store = new MemoryDatasets();
        Path f = Files.writeString(dir.resolve("qa.jsonl"), "{\"question\":\"q\",\"answer\":\"a\"}\n{oops\n");
        DatasetImport.Result r = DatasetImport.run(f, null, null, Map.of(), new DatasetFileService(), store);
        assertEquals(f + ": dataset qa version 1, 1 example (jsonl), 1 problem", r.summaryLine());
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{oops\n");
        assertThrows(DatasetFormatException.class, () -> DatasetImport.run(bad, null, null, Map.of(),
                new DatasetFileService(), store));
        assertEquals(List.of("qa"), new ArrayList<>(store.versions.keySet()));
    }

    @Test
    void theDefaultNameLeavesOutKnownExtensionsOnly() {
        assertEquals("goldens", DatasetImport.defaultName(Path.of("goldens.json")));
        assertEquals("test_match.samples", DatasetImport.defaultName(Path.of("x/test_match.samples.jsonl")));
        assertEquals("tests", DatasetImport.defaultName(Path.of("tests.yaml.gz")));
        assertEquals("v1.2", DatasetImport.defaultName(Path.of("v1.2")));
    }
}
