package dev.tracebench.app.cli;

import picocli.CommandLine.Command;

/** {@code tracebench dataset}: golden datasets. Each subcommand is its own class. */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = "Golden datasets: list, show, diff, import, export and test them.",
        subcommands = {DatasetListCommand.class, DatasetShowCommand.class, DatasetDiffCommand.class,
            DatasetTestCommand.class, DatasetImportCommand.class, DatasetExportCommand.class})
public final class DatasetCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
