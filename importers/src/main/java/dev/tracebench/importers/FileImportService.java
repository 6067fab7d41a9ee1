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
import dev.tracebench.core.report.Secrets;
import dev.tracebench.importers.common.CheckingSession;
import dev.tracebench.importers.common.Limits;
import dev.tracebench.importers.evaltable.ColumnMapping;
import dev.tracebench.importers.evaltable.EvalTableFormat;
import dev.tracebench.importers.io.CorruptInputException;
import dev.tracebench.importers.io.NoRecordsException;
import dev.tracebench.importers.io.SourceStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.LongConsumer;
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
        return importFile(file, formatId, null, progress, cancel);
    }

    /**
     * Imports one file; {@code formatId} forces a format (null: recognised from the content); {@code mapping} (may be
     * null) names the columns of a table of eval results ({@code --map}, the GUI's mapping dialog): with it, a CSV or
     * JSON table is read as eval results whatever its column names.
     */
    public ImportReport importFile(Path file, String formatId, ColumnMapping mapping, ProgressListener progress,
            CancellationToken cancel) {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            return ImportReport.notImported(name, ImportReport.Status.UNUSABLE,
                    "is a folder; import it as a folder (every trace file inside it) or choose the files", 0);
        }
        long size;
        try {
            size = Files.size(file);
            if (!Files.isReadable(file)) {
                throw new AccessDeniedException(name);
            }
        } catch (IOException e) {
            return ImportReport.notImported(name, ImportReport.Status.UNUSABLE, cannotRead(e), 0);
        }
        // a device or a pipe (/dev/stdin, /dev/urandom) has no size and may not end
        long known = Files.isRegularFile(file) ? size : -1;
        return importSource(name, known, open(file), formatId, mapping, progress, cancel);
    }

    private static Supplier<InputStream> open(Path file) {
        return () -> {
            try {
                return Files.newInputStream(file);
            } catch (IOException e) {
                throw new UnusableInputException(cannotRead(e), e);
            }
        };
    }

    /**
     * Reads one file into {@code session} as an import would (decompression, recognition, the format's reader, the
     * checks every format shares), without a workspace: for tests, benchmarks and previews. Throws {@link
     * UnusableInputException} for a file that cannot be imported at all.
     */
    public static SourceFacts readInto(Path file, String formatId, ColumnMapping mapping, IngestSession session)
            throws IOException {
        TraceFormat forced = formatId == null ? null : TraceFormats.byId(formatId);
        return read(file.toString(), Files.size(file), open(file), forced, mapping, session, null, n -> { });
    }

    /** Why a file cannot be read, in words (the exceptions' own messages are often just the path). */
    static String cannotRead(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "cannot be read: permission denied (the file's permissions do not let this user read it)";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return "cannot be read: " + fse.getReason();
        }
        return "cannot be read: " + (e.getMessage() == null ? "an I/O error" : e.getMessage());
    }

    /**
     * Imports any byte source (a file, a bundled resource).
     *
     * @param size the source's size in bytes for progress, or -1 if unknown (then it is not read to its end after
     *             the format's reader is done, for the hash: it may be endless)
     */
    public ImportReport importSource(String name, long size, Supplier<InputStream> open, ProgressListener progress,
            CancellationToken cancel) {
        return importSource(name, size, open, null, progress, cancel);
    }

    /**
     * Imports any byte source; {@code formatId} null recognises the format from the content. {@code open} is called
     * a second time if compressed data turns out to be damaged after some of it was read: then the source is read
     * again without the frames that failed their checks (the first attempt is rolled back).
     */
    public ImportReport importSource(String name, long size, Supplier<InputStream> open, String formatId,
            ProgressListener progress, CancellationToken cancel) {
        return importSource(name, size, open, formatId, null, progress, cancel);
    }

    private ImportReport importSource(String name, long size, Supplier<InputStream> open, String formatId,
            ColumnMapping mapping, ProgressListener progress, CancellationToken cancel) {
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
        Workspace ws = workspace.get();
        CorruptInputException[] untrusted = {null};
        long[] spanEvals = {0};
        ImportReport report = ws.ingest(name, size, session -> {
            try {
                return read(name, size, open, forced, mapping, session, null, n -> spanEvals[0] = n);
            } catch (UntrustedData e) {
                untrusted[0] = e.damage;
                throw e;
            }
        }, opts, progress, cancel);
        if (untrusted[0] != null) {
            CorruptInputException damage = untrusted[0];
            report = ws.ingest(name, size, session -> read(name, size, open, forced, mapping, session, damage,
                    n -> spanEvals[0] = n), opts, progress, cancel);
        }
        return report.committed() && spanEvals[0] > 0 ? report.withSpanEvalResults(spanEvals[0]) : report;
    }

    /**
     * Reads one source into {@code session}: decompression, format recognition (unless {@code forced}) and the
     * format's reader. Bad records go to the session as problems; a source that is not traces at all is an
     * {@link UnusableInputException}. {@code damage} is set when reading again without untrusted data: the
     * decompressed bytes after {@code damage.trustedBytes()} are left out. {@code spanEvalResults} is told how many
     * eval results were read from evaluations inside spans.
     */
    static SourceFacts read(String name, long size, Supplier<InputStream> open, TraceFormat forced,
            ColumnMapping mapping, IngestSession session, CorruptInputException damage, LongConsumer spanEvalResults)
            throws IOException {
        try {
            if (damage != null && damage.trustedBytes() <= 0) {
                throw new UnusableInputException(damage.getMessage() + "; nothing from this file was stored");
            }
            try (InputStream raw = open.get(); SourceStream src = damage == null ? SourceStream.open(raw)
                    : SourceStream.open(raw, damage.trustedBytes(), new CorruptInputException(damage.getMessage(),
                            damage))) {
                return read(name, size, src, forced, mapping, session, damage == null, spanEvalResults);
            }
        } catch (UnusableInputException e) {
            throw new UnusableInputException(Secrets.maskText(e.getMessage()), e);
        }
    }

    private static SourceFacts read(String name, long size, SourceStream src, TraceFormat forced,
            ColumnMapping mapping, IngestSession session, boolean firstAttempt, LongConsumer spanEvalResults)
            throws IOException {
        TraceFormat.ReadContext context = new TraceFormat.ReadContext(name, src::rawBytesRead, mapping);
        CheckingSession checked = new CheckingSession(session, src.guard()::record, context.fileName());
        InputStream content = src.content();
        TraceFormat.Head head = Formats.head(content);
        if (head.bytes().length == 0 && src.damage() != null) {
            throw new UnusableInputException(src.damage().getMessage());
        }
        TraceFormat format = forced != null ? forced : mapping != null ? EvalTableFormat.forTable(head)
                : TraceFormats.detect(head);
        if (format == null) {
            throw new UnusableInputException(mapping != null ? "a column mapping was given, but the file is not a "
                    + "table (CSV with a header, JSON Lines or a JSON array of objects): " + Formats.explain(head)
                    : Formats.explain(head));
        }
        try {
            format.read(content, checked, context);
        } catch (NoRecordsException e) {
            checked.reject("byte " + src.guard().total(), e.getMessage());
        } catch (CorruptInputException e) {
            if (e.untrusted() && firstAttempt) {
                throw new UntrustedData(e);
            }
            throw new UnusableInputException(e.getMessage(), e);
        }
        if (firstAttempt) {
            CorruptInputException d = src.verifyHandedOn();
            if (d != null && d.untrusted()) {
                throw new UntrustedData(d);
            }
        }
        if (checked.spans() == 0 && checked.evalResults() == 0) {
            nothingRead(format, forced != null, src, checked);
        }
        spanEvalResults.accept(checked.spanEvalResults());
        // a source of unknown size may be endless: after garbage stopped the reader, nothing more is read of it
        String sha = src.finishSha256(size > 0 ? Long.MAX_VALUE : src.guard().tripped() ? 0
                : Limits.MAX_BYTES_WITHOUT_RECORD);
        session.bytesRead(src.rawBytesRead());
        String id = format.id() + (src.compression().isEmpty() ? "" : "+" + src.compression());
        return new SourceFacts(id, sha, src.rawBytesRead());
    }

    /**
     * A source that yielded no span (or no eval result, for an eval format): refused if reading was stopped for want
     * of records or if the format was forced, else a problem saying what the format expected.
     */
    private static void nothingRead(TraceFormat format, boolean forced, SourceStream src, CheckingSession checked) {
        String as = "read as " + format.displayName() + (forced ? " (as the format was forced)" : "");
        TraceFormat.Yield what = format.yields();
        if (src.guard().tripped()) {
            throw new UnusableInputException(String.format("%s, not one valid %s was found in the first %,d bytes, "
                    + "so reading stopped: this is not %s (expected: %s)", as, what.single(), src.guard().total(),
                    format.displayName(), format.expected()));
        }
        if (forced) {
            // nothing vouches for a forced format but what it reads: nothing valid, nothing to keep
            throw new UnusableInputException(as + (checked.firstRejection() == null ? ", it holds no " + what.single()
                    : ", nothing in it is valid: " + checked.firstRejection()) + " (expected: " + format.expected()
                    + ")");
        }
        if (checked.rejected() == 0) {
            checked.reject("file", "no " + what.plural() + " were read: the file was recognised as "
                    + format.displayName() + " but holds no " + what.plural() + " (expected: " + format.expected()
                    + ")");
        }
    }

    /** Data of a compressed frame that then failed its check was handed on: the import must start again. */
    static final class UntrustedData extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient CorruptInputException damage;

        UntrustedData(CorruptInputException damage) {
            super(damage.getMessage(), damage);
            this.damage = damage;
        }
    }
}
