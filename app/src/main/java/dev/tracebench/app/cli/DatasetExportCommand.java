package dev.tracebench.app.cli;

import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.Redaction;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.importers.datasets.DatasetFileService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tracebench dataset export NAME --as FORMAT --out FILE}: a dataset version in another tool's format. */
@Command(name = "export",
        description = "Write a version of a dataset as another tool's file: jsonl or csv (every field), openai-evals "
            + "(samples: input messages, ideal), promptfoo (YAML tests: vars, assert, metadata), phoenix (dataset "
            + "JSONL: input, output, metadata, splits), langfuse (dataset items, JSON Lines; .json: a JSON array), "
            + "deepeval (goldens, a JSON list), ragas (test set JSON Lines). The file is written whole or not at all.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "2:no such dataset or version, an unknown format, or the file could not be "
            + "written"})
final class DatasetExportCommand extends WorkspaceCommand implements Callable<Integer> {
    // no standard help options: their -V/--version would take the place of the dataset's --version
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "NAME", description = "The dataset.")
    String name;

    @Option(names = "--as", required = true, paramLabel = "FORMAT", description = "jsonl, csv, openai-evals, "
            + "promptfoo, phoenix, langfuse, deepeval or ragas.")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write (replaced if it "
            + "exists).")
    Path out;

    @Option(names = "--version", paramLabel = "V", defaultValue = "0",
            description = "The version to export (default: the latest).")
    int version;

    @Option(names = "--redact-pii", description = "Mask personal data and credentials (e-mail addresses, phone, "
            + "card and IBAN numbers, API keys, tokens) in every text of the examples; says how many texts changed.")
    boolean redactPii;

    @Override
    public Integer call() {
        try {
            DatasetFileService.codec(format);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--as: " + e.getMessage());
        }
        List<DatasetExample> examples;
        try (Workspace ws = openForReading()) {
            examples = ws.datasets().examples(name, version);
        } catch (IllegalArgumentException e) {
            err().println("error: " + e.getMessage());
            return TracebenchCli.UNUSABLE;
        }
        int masked = 0;
        if (redactPii) {
            masked = Redaction.preview(examples).size();
            examples = Redaction.redact(examples);
        }
        try {
            new DatasetFileService().write(examples, format, out);
        } catch (IOException e) {
            err().println("error: " + out + " could not be written: " + (e.getMessage() == null ? e
                    : e.getMessage()));
            return TracebenchCli.UNUSABLE;
        }
        out().printf("%s: %,d examples of %s%s as %s%s%n", out, examples.size(), name,
                version == 0 ? "" : " version " + version, format, redactPii ? String.format(" (%,d text%s "
                        + "masked)", masked, masked == 1 ? "" : "s") : "");
        return TracebenchCli.OK;
    }
}
