package dev.tracebench.importers;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.QueryResult;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh workspace per test and helpers to import files and read back what landed. */
public abstract class ImporterTestBase {
    @TempDir
    protected Path dir;
    protected Workspace ws;
    protected FileImportService imports;

    @BeforeEach
    void openWorkspace() {
        ws = Workspace.open(dir.resolve("ws.duckdb"));
        imports = new FileImportService(() -> ws);
    }

    @AfterEach
    void closeWorkspace() {
        ws.close();
    }

    /** A file of the shared corpora (copied into the test resources with their PROVENANCE.md). */
    protected static Path corpus(String relative) {
        try {
            return Path.of(ImporterTestBase.class.getResource("/corpora/" + relative).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing corpus file " + relative, e);
        }
    }

    protected ImportReport importFile(Path f) {
        return imports.importFile(f, ProgressListener.NONE, CancellationToken.none());
    }

    protected ImportReport importText(String name, String content) throws IOException {
        return importBytes(name, content.getBytes(StandardCharsets.UTF_8));
    }

    protected ImportReport importBytes(String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return importFile(f);
    }

    protected static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    protected TraceDetail trace(String hex) {
        return ws.traces().trace(TraceId.fromHex(hex)).orElseThrow(() -> new AssertionError("no trace " + hex));
    }

    protected static SpanDetail span(TraceDetail t, String spanHex) {
        long id = dev.tracebench.core.model.Ids.parseSpanId(spanHex);
        return t.spans().stream().filter(s -> s.spanId() == id).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + spanHex));
    }

    protected long count(String sql) {
        QueryResult r = ws.console().run(sql, 1);
        return ((Number) r.rows().get(0).get(0)).longValue();
    }

    protected List<List<Object>> rows(String sql) {
        return ws.console().run(sql, 10_000).rows();
    }
}
