package dev.tracebench.core.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reading and writing datasets in other tools' formats. Implemented in {@code importers} (one package per format) and
 * handed to the views and the CLI by the app.
 *
 * <p>Format ids: {@code jsonl}, {@code csv}, {@code openai-evals}, {@code promptfoo}, {@code phoenix},
 * {@code langfuse}, {@code deepeval}, {@code ragas}.
 */
public interface DatasetFiles {

    /** The format ids {@link #write} accepts, in menu order. */
    List<String> exportFormats();

    /**
     * Reads a dataset file, recognising its format by content (or {@code format} when not null) and its columns by
     * the names people use; {@code mapping} (field → column, e.g. {@code input=prompt}) overrides column recognition.
     *
     * @throws DatasetFormatException naming the file (and line) and the reason when nothing can be read
     */
    DatasetFile read(Path file, String format, Map<String, String> mapping) throws IOException;

    /**
     * Writes examples in {@code format} to {@code out} atomically (a temporary file moved into place: a failed write
     * leaves no half-written file).
     */
    void write(List<DatasetExample> examples, String format, Path out) throws IOException;

    /** A file that is not a dataset of any known format, or one whose records all fail. */
    final class DatasetFormatException extends IOException {
        public DatasetFormatException(String message) {
            super(message);
        }
    }
}
