package dev.tracebench.importers.datasets;

import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetFiles.DatasetFormatException;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/** One dataset file format: recognising, reading (record by record) and writing it. Implementations are stateless. */
public interface DatasetCodec {

    /** The id {@code dataset export --as} and {@code dataset import --format} take, e.g. {@code openai-evals}. */
    String id();

    /** A name for messages, e.g. "OpenAI evals samples". */
    String displayName();

    /** How sure this format is that a file of this shape is its own: 0 not mine, 100 certainly. */
    int sniff(Shape shape);

    /**
     * Prepares to read a file of this shape; {@code mapping} (field to column, may be empty) names columns the
     * format would not recognise.
     *
     * @throws DatasetFormatException (message without the file name) when the file as a whole cannot be read so
     */
    RecordReader reader(Shape shape, Map<String, String> mapping) throws DatasetFormatException;

    /** Writes the examples as this format; {@code fileName} is the target's name (some formats look at its extension). */
    void write(List<DatasetExample> examples, Writer out, String fileName) throws IOException;

    /** Turns the records of one file into examples. */
    interface RecordReader {
        /** Fills {@code example} (which holds an assigned id) from {@code rec}, or throws why it cannot. */
        void read(Rec rec, ExampleBuilder example) throws BadRecord;
    }
}
