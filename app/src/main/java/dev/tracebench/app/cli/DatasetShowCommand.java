package dev.tracebench.app.cli;

import dev.tracebench.core.dataset.Dataset;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetService;
import dev.tracebench.core.dataset.DatasetVersion;
import dev.tracebench.core.report.Table;
import dev.tracebench.core.report.TableWriter;
import dev.tracebench.core.store.Workspace;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tracebench dataset show NAME}: a dataset, its versions and the examples of one version. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"A dataset: its versions (when, how many examples, what changed) and the examples of one "
                + "version (input, expected and actual output, context, messages, tags, split, difficulty, notes, "
                + "metadata, provenance). Texts are printed masked.",
                "CSV: the tables one after the other, separated by an empty line; JSON: one object with "
                        + "\"dataset\", \"versions\" and \"examples\"."})
final class DatasetShowCommand extends WorkspaceCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "The dataset's name.")
    String name;

    @Option(names = "--version", paramLabel = "V", defaultValue = "0",
            description = "The version whose examples to show (default: the latest).")
    int version;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "At most N examples (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws IOException {
        TableWriter writer = CliArgs.format(spec, format);
        if (limit < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be 0 or more");
        }
        try (Workspace ws = openForReading()) {
            DatasetService datasets = ws.datasets();
            Dataset d = DatasetDiffCommand.find(spec, datasets, name);
            List<DatasetExample> examples = DatasetDiffCommand.examples(spec, datasets, name, version);
            List<DatasetVersion> versions = datasets.versions(name);
            Map<String, Table> sections = new LinkedHashMap<>();
            sections.put("dataset", DatasetTables.datasets(List.of(d)));
            sections.put("versions", DatasetTables.versions(versions));
            sections.put("examples", DatasetTables.examples(examples.subList(0, Math.min(limit, examples.size()))));
            EvalTables.writeSections(writer, sections, out());
            out().flush();
            if (writer == TableWriter.TABLE) {
                err().printf("version %d: %,d examples%s%n", version == 0 ? d.latestVersion() : version,
                        examples.size(), examples.size() > limit ? " (the first " + limit + " shown; --limit N)" : "");
            }
        }
        return TracebenchCli.OK;
    }
}
