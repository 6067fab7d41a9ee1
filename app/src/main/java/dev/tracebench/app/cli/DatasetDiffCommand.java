package dev.tracebench.app.cli;

import dev.tracebench.core.dataset.Dataset;
import dev.tracebench.core.dataset.DatasetDiff;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetService;
import dev.tracebench.core.report.Table;
import dev.tracebench.core.report.TableWriter;
import dev.tracebench.core.store.Workspace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tracebench dataset diff NAME A B}: what changed from version A to version B. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"What changed from version A to version B of a dataset, matching examples by id: examples "
                + "added and removed (with their input), and each changed field of the others with its old and new "
                + "value (provenance is not compared). Texts are printed masked.",
                "CSV: the tables one after the other, separated by an empty line; JSON: one object with \"summary\" "
                        + "and \"changes\"."})
final class DatasetDiffCommand extends WorkspaceCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "The dataset's name.")
    String name;

    @Parameters(index = "1", paramLabel = "A", description = "The old version (a number; 0: the latest).")
    int a;

    @Parameters(index = "2", paramLabel = "B", description = "The new version.")
    int b;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "Changes of at most N examples (default: ${DEFAULT-VALUE}).")
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
            Dataset d = find(spec, datasets, name);
            DatasetDiff diff = DatasetDiff.of(examples(spec, datasets, name, a), examples(spec, datasets, name, b));
            int from = a == 0 ? d.latestVersion() : a;
            int to = b == 0 ? d.latestVersion() : b;
            Map<String, Table> sections = new LinkedHashMap<>();
            sections.put("summary", EvalTables.masked(new Table(List.of("dataset", "from", "to", "added", "removed",
                    "changed"), List.of(EvalTables.row(name, from, to, diff.added().size(), diff.removed().size(),
                    diff.changed().size())))));
            sections.put("changes", DatasetTables.changes(diff, limit));
            EvalTables.writeSections(writer, sections, out());
            out().flush();
            if (writer == TableWriter.TABLE) {
                int examples = diff.added().size() + diff.removed().size() + diff.changed().size();
                err().printf("version %d -> %d: %s%s%n", from, to, diff.summary(), examples > limit
                        ? " (the first " + limit + " examples shown; --limit N)" : "");
            }
        }
        return TracebenchCli.OK;
    }

    /** The dataset NAME names, or a usage error saying which datasets there are. */
    static Dataset find(CommandLine.Model.CommandSpec spec, DatasetService datasets, String name) {
        return datasets.dataset(name).orElseThrow(() -> {
            List<String> names = new ArrayList<>();
            datasets.datasets().forEach(d -> names.add(d.name()));
            return new CommandLine.ParameterException(spec.commandLine(), "no dataset '" + name + "' "
                    + (names.isEmpty() ? "(the workspace has no datasets)"
                            : "(datasets: " + String.join(", ", names) + ")"));
        });
    }

    /** A version's examples, or a usage error naming the version when there is none. */
    static List<DatasetExample> examples(CommandLine.Model.CommandSpec spec, DatasetService datasets, String name,
            int version) {
        try {
            return datasets.examples(name, version);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
