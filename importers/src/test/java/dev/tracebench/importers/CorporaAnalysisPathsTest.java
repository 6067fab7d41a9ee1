package dev.tracebench.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.IngestOptions;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every trace file of the real corpora, imported through the Arrow path, gets the same analysis rows whether its
 * traces are analysed while the spans stream in or read back from the workspace at the end of the file. (The corpora
 * are small files, which otherwise take the row Appender and the read-back analysis.)
 */
class CorporaAnalysisPathsTest extends ImporterTestBase {

    @Test
    void streamedAndReadBackAnalysesAgreeOnEveryCorporaFile() throws IOException {
        Path root = corpus("PROVENANCE.md").getParent();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".md"))
                    .sorted().toList();
        }
        int compared = 0;
        long traces = 0;
        List<String> streamedRows = new ArrayList<>();
        List<String> readBackRows = new ArrayList<>();
        IngestOptions arrow = IngestOptions.DEFAULT.withRowPath(IngestOptions.RowPath.ARROW);
        try (Workspace streamed = Workspace.open(dir.resolve("streamed.duckdb"));
                Workspace readBack = Workspace.open(dir.resolve("read-back.duckdb"))) {
            FileImportService streaming = new FileImportService(() -> streamed, arrow);
            FileImportService atEnd = new FileImportService(() -> readBack,
                    arrow.withAnalysis(IngestOptions.Analysis.AT_END));
            for (Path f : files) {
                ImportReport a = streaming.importFile(f, ProgressListener.NONE, CancellationToken.none());
                ImportReport b = atEnd.importFile(f, ProgressListener.NONE, CancellationToken.none());
                assertEquals(a.status(), b.status(), f.toString());
                if (a.status() != ImportReport.Status.IMPORTED) {
                    continue;
                }
                assertTrue(a.timingsMs().containsKey("cpu analysis"), f + " took the streaming path");
                assertTrue(!b.timingsMs().containsKey("cpu analysis"), f + " took the read-back path");
                compared++;
            }
            for (String sql : List.of("SELECT * FROM traces ORDER BY trace_id",
                    "SELECT * FROM trace_stages ORDER BY trace_id, stage, operation, path_ns, self_ns")) {
                streamedRows.addAll(rows(streamed, sql));
                readBackRows.addAll(rows(readBack, sql));
            }
            traces = streamed.traces().stats().traces();
        }
        assertTrue(compared >= 30, "trace files compared: " + compared);
        assertTrue(traces >= 30, "traces: " + traces);
        assertEquals(readBackRows, streamedRows);
    }

    private static List<String> rows(Workspace w, String sql) {
        List<String> out = new ArrayList<>();
        for (List<Object> row : w.console().run(sql, 1_000_000).rows()) {
            out.add(row.toString());
        }
        return out;
    }
}
