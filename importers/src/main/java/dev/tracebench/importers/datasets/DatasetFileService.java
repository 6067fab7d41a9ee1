package dev.tracebench.importers.datasets;

import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetFile;
import dev.tracebench.core.dataset.DatasetFiles;
import dev.tracebench.core.dataset.Provenance;
import dev.tracebench.core.report.Secrets;
import dev.tracebench.importers.datasets.ragas.RagasTestSet;
import dev.tracebench.importers.datasets.table.TableDataset;
import dev.tracebench.importers.deepeval.DeepEvalGoldens;
import dev.tracebench.importers.io.SourceStream;
import dev.tracebench.importers.langfuse.LangfuseDatasetItems;
import dev.tracebench.importers.openaievals.OpenAiEvalsSamples;
import dev.tracebench.importers.phoenix.PhoenixDataset;
import dev.tracebench.importers.promptfoo.PromptfooTests;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Dataset files in other tools' formats ({@link DatasetFiles}): the format is recognised from the content (the
 * container, then the keys or columns of the first records), each record becomes an example or a located problem,
 * and files are written atomically.
 */
public final class DatasetFileService implements DatasetFiles {
    /** In the order of {@link #exportFormats()}. */
    private static final List<DatasetCodec> CODECS = List.of(TableDataset.JSONL, TableDataset.CSV,
            new OpenAiEvalsSamples(), new PromptfooTests(), new PhoenixDataset(), new LangfuseDatasetItems(),
            new DeepEvalGoldens(), new RagasTestSet());
    /** A file recognised with less confidence (a table with a question but no answer) is not taken as a dataset. */
    private static final int RECOGNISED = 50;

    @Override
    public List<String> exportFormats() {
        return CODECS.stream().map(DatasetCodec::id).toList();
    }

    /** The format ids, for messages. */
    public static String ids() {
        return CODECS.stream().map(DatasetCodec::id).collect(Collectors.joining(", "));
    }

    /** The format with this id; throws naming the known ids. */
    public static DatasetCodec codec(String id) {
        String want = id.strip().toLowerCase(Locale.ROOT);
        for (DatasetCodec c : CODECS) {
            if (c.id().equals(want)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown dataset format '" + id + "' (" + ids() + ")");
    }

    /**
     * The dataset format of a file that starts with {@code head} (decompressed), if it is clearly one: a named
     * tool's format, or a table with both a question and an answer column; else null. For telling datasets from
     * other files in a folder.
     */
    public static DatasetCodec recognise(String head, String fileName) {
        String text = head.startsWith("\uFEFF") ? head.substring(1) : head;
        if (text.isBlank()) {
            return null;
        }
        try {
            Container c = FileRecords.container(text, fileName);
            FileRecords recs = FileRecords.read(text, c);
            if (recs.records.isEmpty()) {
                return null;
            }
            Shape shape = Shape.of(c, recs.records);
            DatasetCodec best = detect(shape);
            return best != null && best.sniff(shape) >= RECOGNISED ? best : null;
        } catch (RuntimeException e) {
            return null; // any file may be looked at (binary ones too): what the parsers choke on is not a dataset
        }
    }

    private static DatasetCodec detect(Shape shape) {
        DatasetCodec best = null;
        int bestScore = 0;
        for (DatasetCodec c : CODECS) {
            int s = c.sniff(shape);
            if (s > bestScore) {
                best = c;
                bestScore = s;
            }
        }
        return best;
    }

    @Override
    public DatasetFile read(Path file, String format, Map<String, String> mapping) throws IOException {
        String name = file.getFileName().toString();
        DatasetCodec forced;
        try {
            forced = format == null || format.isBlank() ? null : codec(format);
        } catch (IllegalArgumentException e) {
            throw new DatasetFormatException(e.getMessage());
        }
        String text;
        try (InputStream raw = Files.newInputStream(file); SourceStream src = SourceStream.open(raw)) {
            text = new String(src.content().readAllBytes(), StandardCharsets.UTF_8);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw new DatasetFormatException(name + ": the file is empty");
        }
        Container container = FileRecords.container(text, name);
        FileRecords recs = FileRecords.read(text, container);
        Shape shape = Shape.of(container, recs.records);
        Map<String, String> map = mapping == null ? Map.of() : mapping;
        DatasetCodec codec = forced != null ? forced
                : !map.isEmpty() ? (container == Container.CSV ? TableDataset.CSV : TableDataset.JSONL)
                : detect(shape);
        if (recs.records.isEmpty()) {
            throw new DatasetFormatException(Secrets.maskText(name + ": no records could be read"
                    + (recs.problems.isEmpty() ? "" : " (" + recs.problems.get(0).text() + ")")));
        }
        if (codec == null) {
            throw new DatasetFormatException(name + ": not a dataset format Tracebench reads (" + ids() + ")");
        }
        DatasetCodec.RecordReader reader;
        try {
            reader = codec.reader(shape, map);
        } catch (DatasetFormatException e) {
            throw new DatasetFormatException(Secrets.maskText(name + ": " + e.getMessage()));
        }
        List<FileRecords.Problem> located = new ArrayList<>(recs.problems);
        List<DatasetExample> examples = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        Instant now = Instant.now();
        for (Rec rec : recs.records) {
            ExampleBuilder b = new ExampleBuilder(String.format("ex-%04d", rec.number()));
            try {
                reader.read(rec, b);
            } catch (BadRecord e) {
                located.add(new FileRecords.Problem(rec.number(), rec.where() + ": " + e.getMessage() + "; skipped"));
                continue;
            }
            String id = b.id.strip().isEmpty() ? String.format("ex-%04d", rec.number()) : b.id.strip();
            if (seen.containsKey(id)) {
                String again = id;
                for (int n = 2; seen.containsKey(again); n++) {
                    again = id + "-" + n;
                }
                located.add(new FileRecords.Problem(rec.number(), rec.where() + ": the id '" + id + "' was used "
                        + "before (" + seen.get(id) + "); kept as '" + again + "'"));
                id = again;
            }
            seen.put(id, rec.where());
            b.id = id;
            examples.add(b.build(Provenance.ofFile("file " + name + " " + rec.where(), now)));
        }
        located.sort(java.util.Comparator.comparingInt(FileRecords.Problem::number)); // in file order
        List<String> problems = located.stream().map(p -> Secrets.maskText(name + " " + p.text())).toList();
        if (examples.isEmpty()) {
            throw new DatasetFormatException(name + ": read as " + codec.displayName() + ", no record could be "
                    + "used" + (problems.isEmpty() ? "" : ": " + problems.get(0)));
        }
        return new DatasetFile(codec.id(), examples, problems);
    }

    @Override
    public void write(List<DatasetExample> examples, String format, Path out) throws IOException {
        DatasetCodec codec = codec(format);
        Path target = out.toAbsolutePath();
        Path dir = target.getParent();
        if (Files.isDirectory(target)) {
            throw new IOException(out + " is a folder; give the file to write");
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("the folder " + dir + " does not exist");
        }
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                codec.write(examples, w, target.getFileName().toString());
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
