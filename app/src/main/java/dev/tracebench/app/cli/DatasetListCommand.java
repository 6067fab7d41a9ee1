package dev.tracebench.app.cli;

import dev.tracebench.core.dataset.Dataset;
import dev.tracebench.core.report.TableWriter;
import dev.tracebench.core.store.Workspace;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracebench dataset list}: the datasets of a workspace. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "The datasets of a workspace, by name: latest version, its examples, when it was created and "
                + "last saved, the accepted eval run (the baseline of dataset test) and the description.")
final class DatasetListCommand extends WorkspaceCommand implements Callable<Integer> {

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws IOException {
        TableWriter writer = CliArgs.format(spec, format);
        try (Workspace ws = openForReading()) {
            List<Dataset> datasets = ws.datasets().datasets();
            writer.write(DatasetTables.datasets(datasets), out());
            out().flush();
            if (writer == TableWriter.TABLE) {
                err().printf("%,d dataset%s%s%n", datasets.size(), datasets.size() == 1 ? "" : "s",
                        datasets.isEmpty() ? " (import one with: tracebench dataset import FILE)" : "");
            }
        }
        return TracebenchCli.OK;
    }
}
