package dev.tracebench.importers;

import dev.tracebench.core.report.Secrets;
import dev.tracebench.importers.datasets.DatasetCodec;
import dev.tracebench.importers.datasets.DatasetFileService;
import dev.tracebench.importers.io.CorruptInputException;
import dev.tracebench.importers.io.SourceStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a folder holds for an import: every file in it and its subfolders (traces, eval results and datasets), recognised by its
 * content (decompressed, as an import reads it), never by its name. A file that no format recognises is skipped, with what it looks like;
 * hidden files and folders ({@code .git}, {@code .DS_Store}) are not looked at. Files that cannot be read or whose
 * compression is damaged are not skipped: importing them reports the problem.
 *
 * <p>Each entry says what kind of file it is ({@link Kind}): traces or eval results, as the format that recognised it
 * yields, or a dataset.
 */
public final class FolderScan {
    /** What a file in the folder is. */
    public enum Kind {
        /** A file some trace format recognises (or one that cannot be read, which importing reports). */
        TRACES,
        /** A file of eval results some eval format recognises. */
        EVALS,
        /**
         * A dataset file (examples without verdicts: OpenAI evals samples, DeepEval goldens, promptfoo tests, ...);
         * {@link Entry#dataset} names its format. Imported as a dataset ({@link DatasetImport}).
         */
        DATASETS,
        /** Not a file Tracebench imports; {@link Entry#reason} says what it looks like. */
        SKIPPED
    }

    /**
     * One file of the folder.
     *
     * @param format  the trace or eval format that recognised it (null if skipped, a dataset, or if it could not be
     *                read to tell)
     * @param reason  for a skipped file, what it looks like ("not a trace or eval file: is neither JSON nor ...")
     * @param dataset for a dataset file, its dataset format's id ({@code deepeval}, {@code openai-evals}, ...)
     */
    public record Entry(Path file, Kind kind, TraceFormat format, String reason, String dataset) {
        public Entry(Path file, Kind kind, TraceFormat format, String reason) {
            this(file, kind, format, reason, null);
        }

        public boolean skipped() {
            return kind == Kind.SKIPPED;
        }
    }

    private FolderScan() {
    }

    /** Every non-hidden regular file under {@code folder}, in path order, with what it is. */
    public static List<Entry> scan(Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(folder) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !hidden(file)) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                files.add(file); // unreadable: importing it says why
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(Comparator.naturalOrder());
        List<Entry> out = new ArrayList<>(files.size());
        for (Path f : files) {
            out.add(recognise(f));
        }
        return out;
    }

    /** What one file is, from the start of its (decompressed) content. */
    public static Entry recognise(Path file) {
        try (InputStream raw = Files.newInputStream(file); SourceStream src = SourceStream.open(raw)) {
            TraceFormat.Head head = Formats.head(src.content());
            if (head.bytes().length == 0 && src.damage() != null) {
                return new Entry(file, Kind.TRACES, null, null); // damaged compression: the import reports it
            }
            TraceFormat format = TraceFormats.detect(head);
            if (format != null) {
                return new Entry(file, format.yields() == TraceFormat.Yield.EVAL_RESULTS ? Kind.EVALS : Kind.TRACES,
                        format, null);
            }
            DatasetCodec dataset = DatasetFileService.recognise(head.text(), file.getFileName().toString());
            if (dataset != null) {
                return new Entry(file, Kind.DATASETS, null, null, dataset.id());
            }
            String looks = Formats.explain(head);
            return new Entry(file, Kind.SKIPPED, null, Secrets.maskText("not a trace or eval file: "
                    + (looks.startsWith("is ") ? "it " : "") + looks));
        } catch (CorruptInputException e) {
            return new Entry(file, Kind.TRACES, null, null);
        } catch (IOException e) {
            return new Entry(file, Kind.TRACES, null, null); // cannot be read: the import says why
        }
    }

    private static boolean hidden(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }
}
