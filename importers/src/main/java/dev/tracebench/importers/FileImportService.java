package dev.tracebench.importers;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.ImportService;
import dev.tracebench.core.ingest.IngestOptions;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.ingest.UnusableInputException;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.io.CorruptInputException;
import dev.tracebench.importers.io.SourceStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Imports files into a workspace: opens the bytes (gzip and zstd transparent, hashed as read), recognises the format
 * from the content (or takes the one given) and streams it through that format's reader into one import transaction.
 */
public final class FileImportService implements ImportService {
    private final Supplier<Workspace> workspace;
    private final Supplier<IngestOptions> options;

    /** With the default normalisation (no rules file, the shipped price table). */
    public FileImportService(Supplier<Workspace> workspace) {
        this(workspace, IngestOptions.DEFAULT);
    }

    /**
     * @param workspace the workspace to import into, looked up per import (the GUI can switch workspaces)
     * @param options the normalisation rules and price table to import with
     */
    public FileImportService(Supplier<Workspace> workspace, IngestOptions options) {
        this(workspace, () -> options);
    }

    /** @param options looked up per import (the GUI re-reads the rules file before every import) */
    public FileImportService(Supplier<Workspace> workspace, Supplier<IngestOptions> options) {
        this.workspace = workspace;
        this.options = options;
    }

    @Override
    public ImportReport importFile(Path file, ProgressListener progress, CancellationToken cancel) {
        return importFile(file, null, progress, cancel);
    }

    /**
     * Imports one file; {@code formatId} forces a format (as {@code --format} does), null recognises it from the
     * content.
     */
    public ImportReport importFile(Path file, String formatId, ProgressListener progress, CancellationToken cancel) {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            return ImportReport.notImported(name, ImportReport.Status.UNUSABLE,
                    "is a folder; choose the trace files inside it", 0);
        }
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return ImportReport.notImported(name, ImportReport.Status.UNUSABLE, "no such file", 0);
        } catch (IOException e) {
            return ImportReport.notImported(name, ImportReport.Status.UNUSABLE, "cannot read: " + e.getMessage(), 0);
        }
        return importSource(name, size, () -> {
            try {
                return Files.newInputStream(file);
            } catch (IOException e) {
                throw new UnusableInputException("cannot open: " + e.getMessage(), e);
            }
        }, formatId, progress, cancel);
    }

    /**
     * Imports any byte source (a file, a bundled resource).
     *
     * @param size the source's size in bytes for progress, or -1 if unknown
     */
    public ImportReport importSource(String name, long size, Supplier<InputStream> open, ProgressListener progress,
            CancellationToken cancel) {
        return importSource(name, size, open, null, progress, cancel);
    }

    /** Imports any byte source; {@code formatId} null recognises the format from the content. */
    public ImportReport importSource(String name, long size, Supplier<InputStream> open, String formatId,
            ProgressListener progress, CancellationToken cancel) {
        TraceFormat forced;
        try {
            forced = formatId == null ? null : TraceFormats.byId(formatId);
        } catch (IllegalArgumentException e) {
            return ImportReport.notImported(name, ImportReport.Status.UNUSABLE, e.getMessage(), 0);
        }
        IngestOptions opts;
        try {
            opts = options.get();
        } catch (RuntimeException e) {
            return ImportReport.notImported(name, ImportReport.Status.UNUSABLE, "the normalisation settings are "
                    + "broken: " + e.getMessage(), 0);
        }
        return workspace.get().ingest(name, size, session -> read(name, open, forced, session), opts, progress,
                cancel);
    }

    /**
     * Reads one source into {@code session}: decompression, format recognition (unless {@code forced}) and the
     * format's reader. Bad records go to the session as problems; a source that is not traces at all is an
     * {@link UnusableInputException}.
     */
    static SourceFacts read(String name, Supplier<InputStream> open, TraceFormat forced, IngestSession session)
            throws IOException {
        try (InputStream raw = open.get(); SourceStream src = SourceStream.open(raw)) {
            InputStream content = src.content();
            TraceFormat.Head head = Formats.head(content);
            TraceFormat format = forced != null ? forced : TraceFormats.detect(head);
            if (format == null) {
                throw new UnusableInputException(Formats.explain(head));
            }
            format.read(content, session, new TraceFormat.ReadContext(name, src::rawBytesRead));
            session.bytesRead(src.rawBytesRead());
            String id = format.id() + (src.compression().isEmpty() ? "" : "+" + src.compression());
            return new SourceFacts(id, src.finishSha256(), src.rawBytesRead());
        } catch (CorruptInputException e) {
            throw new UnusableInputException(e.getMessage(), e);
        }
    }
}
