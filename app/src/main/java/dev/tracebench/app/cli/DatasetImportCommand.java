package dev.tracebench.app.cli;

import dev.tracebench.core.dataset.DatasetFiles.DatasetFormatException;
import dev.tracebench.core.dataset.DatasetService;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.DatasetImport;
import dev.tracebench.importers.datasets.DatasetFileService;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tracebench dataset import FILE}: a dataset file as a new version of a dataset. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import a dataset file as a new version of a dataset (the first if there is none by that name). "
            + "Formats, recognised by content: JSON Lines or CSV whose columns are named as people name them "
            + "(question/user_input/input/query; answer/expected_answer/expected_output/ideal/reference; "
            + "contexts/retrieved_contexts; id, tags, split, difficulty, notes, metadata.*), OpenAI evals samples, "
            + "promptfoo tests (YAML or CSV), Phoenix dataset exports (JSONL or CSV), Langfuse dataset items, "
            + "DeepEval goldens (JSON or CSV), Ragas test sets. Bad records are reported by line and skipped.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every record was imported", "1:some records were skipped (the rest was imported)",
            "2:nothing could be imported (the file, its format or the mapping), or the workspace could not be opened"})
final class DatasetImportCommand extends WorkspaceCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The dataset file.")
    Path file;

    @Option(names = "--name", paramLabel = "N", description = "The dataset's name (default: the file name without "
            + "its extensions, e.g. goldens for goldens.json).")
    String name;

    @Option(names = "--format", paramLabel = "F", description = "Read the file as this format instead of "
            + "recognising it: jsonl, csv, openai-evals, promptfoo, phoenix, langfuse, deepeval, ragas.")
    String format;

    @Option(names = "--map", paramLabel = "FIELD=COLUMN,...", description = "Which column holds which field, for "
            + "columns Tracebench does not recognise by name, e.g. --map input=prompt_text,expected=gold. Fields: id, "
            + "input, messages, expected, output, context, tags, split, difficulty, notes, metadata, trace_id, "
            + "span_id. With a mapping the file is read as a JSON Lines or CSV table.")
    String map;

    @Option(names = "--max-problems", defaultValue = "20", paramLabel = "N",
            description = "Problems to print (default: ${DEFAULT-VALUE}); all are counted.")
    int maxProblems;

    @Override
    public Integer call() {
        Map<String, String> mapping;
        try {
            if (format != null) {
                DatasetFileService.codec(format);
            }
            mapping = parseMap(map);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (Workspace ws = opener.openWritable(workspacePath(), ProgressListener.NONE)) {
            String notice = opener.takeNotice();
            if (notice != null) {
                err().println(notice);
            }
            return importDataset(file, name, format, mapping, ws.datasets(), out(), err(), maxProblems);
        }
    }

    /**
     * Imports one dataset file and reports it: the summary line on {@code out}, problems on {@code err}. Returns the
     * exit code (also for {@code tracebench import}, which imports the dataset files it finds so).
     */
    static int importDataset(Path file, String name, String format, Map<String, String> mapping,
            DatasetService datasets, PrintWriter out, PrintWriter err, int maxProblems) {
        DatasetImport.Result r;
        try {
            r = DatasetImport.run(file, name, format, mapping, new DatasetFileService(), datasets);
        } catch (DatasetFormatException e) {
            err.println(file + ": not imported — " + e.getMessage());
            return TracebenchCli.UNUSABLE;
        } catch (IOException e) {
            err.println(file + ": cannot be read: " + (e.getMessage() == null ? e : e.getMessage()));
            return TracebenchCli.UNUSABLE;
        }
        out.println(r.summaryLine());
        r.problems().stream().limit(maxProblems).forEach(p -> err.println("  " + p));
        if (r.problems().size() > maxProblems) {
            err.printf("  … %,d more problem(s)%n", r.problems().size() - maxProblems);
        }
        return r.problems().isEmpty() ? TracebenchCli.OK : TracebenchCli.REJECTED_RECORDS;
    }

    /** "input=prompt,expected=gold" as a map (empty for null); throws naming a malformed entry. */
    static Map<String, String> parseMap(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("--map: '" + part + "' is not FIELD=COLUMN");
            }
            out.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
        }
        return out;
    }
}
