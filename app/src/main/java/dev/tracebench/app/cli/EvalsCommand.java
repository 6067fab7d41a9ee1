package dev.tracebench.app.cli;

import dev.tracebench.core.report.TableWriter;
import dev.tracebench.core.store.Workspace;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracebench evals}: the eval runs of a workspace, newest first. */
@Command(name = "evals", mixinStandardHelpOptions = true,
        description = "List the eval runs of a workspace, newest first: results, how many are linked to a trace, "
                + "evaluators.")
final class EvalsCommand extends WorkspaceCommand implements Callable<Integer> {

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws IOException {
        TableWriter writer = CliArgs.format(spec, format);
        try (Workspace ws = openForReading()) {
            var runs = ws.evals().runs();
            writer.write(EvalTables.runs(runs), out());
            out().flush();
            if (writer == TableWriter.TABLE) {
                err().printf("%,d eval runs%s%n", runs.size(), runs.isEmpty()
                        ? " (import eval files with: tracebench import FILE)" : "");
            }
        }
        return TracebenchCli.OK;
    }
}
