package dev.tracebench.importers;

import dev.tracebench.core.dataset.DatasetFile;
import dev.tracebench.core.dataset.DatasetFiles;
import dev.tracebench.core.dataset.DatasetService;
import dev.tracebench.core.dataset.DatasetVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A dataset file (OpenAI evals samples, DeepEval goldens, promptfoo tests, ...) imported into the workspace's datasets:
 * read in its format and saved as the next version of a dataset (the first when there is none by that name).
 */
public final class DatasetImport {
    /** Extensions left out of a dataset's default name ("goldens.json" is "goldens", "x.samples.jsonl.gz" "x.samples"). */
    private static final List<String> EXTENSIONS = List.of(".gz", ".zst", ".jsonl", ".ndjson", ".json", ".csv",
            ".tsv", ".yaml", ".yml", ".txt");

    private DatasetImport() {
    }

    /**
     * What an import did.
     *
     * @param source   the file as given
     * @param format   the dataset format it was read as
     * @param problems records skipped or changed, each with its location
     */
    public record Result(String source, String format, DatasetVersion version, List<String> problems) {
        /** "goldens.json: dataset goldens version 1, 15 examples (deepeval)". */
        public String summaryLine() {
            int n = version.exampleCount();
            return source + ": dataset " + version.dataset() + " version " + version.version() + ", "
                    + String.format("%,d", n) + (n == 1 ? " example" : " examples") + " (" + format + ")"
                    + (problems.isEmpty() ? "" : ", " + problems.size() + (problems.size() == 1 ? " problem"
                            : " problems"));
        }
    }

    /** The name a file's dataset gets by default: the file name without its known extensions. */
    public static String defaultName(Path file) {
        String name = file.getFileName().toString();
        boolean cut = true;
        while (cut) {
            cut = false;
            for (String ext : EXTENSIONS) {
                if (name.toLowerCase(Locale.ROOT).endsWith(ext) && name.length() > ext.length()) {
                    name = name.substring(0, name.length() - ext.length());
                    cut = true;
                }
            }
        }
        return name;
    }

    /**
     * Reads {@code file} and saves its examples as the next version of dataset {@code name} (null or blank: {@link
     * #defaultName}).
     *
     * @param format  a dataset format id, or null to recognise it from the content
     * @param mapping field to column for tables whose columns are not recognised (may be empty)
     * @throws DatasetFiles.DatasetFormatException naming the file and why nothing could be read
     */
    public static Result run(Path file, String name, String format, Map<String, String> mapping, DatasetFiles files,
            DatasetService datasets) throws IOException {
        DatasetFile read = files.read(file, format, mapping);
        String dataset = name == null || name.isBlank() ? defaultName(file) : name.strip();
        DatasetVersion v = datasets.save(dataset, "Imported from " + file.getFileName() + " (" + read.format() + ")",
                read.examples());
        return new Result(file.toString(), read.format(), v, read.problems());
    }
}
