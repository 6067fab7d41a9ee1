package dev.tracebench.app.cli;

import dev.tracebench.core.eval.EvalService;
import dev.tracebench.core.eval.RunComparison;
import dev.tracebench.core.report.Table;
import dev.tracebench.core.report.TableWriter;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tracebench eval compare A B}: run B against run A. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Run B against run A over the examples both judged (paired by trace id, else example id, "
                + "else input text): per metric the change of the mean with a bootstrap 95% interval "
                + "(2,000 resamples), the pass rates, and the examples that regressed or were fixed.",
                "CSV: the tables one after the other, separated by an empty line; JSON: one object."})
final class EvalCompareCommand extends WorkspaceCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "A", description = "The baseline run (id, name or unique name prefix).")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "The run compared with it.")
    String b;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "At most N regressed and N fixed examples (default: ${DEFAULT-VALUE}).")
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
            EvalService evals = ws.evals();
            long ra = EvalShowCommand.find(spec, evals, a).id();
            long rb = EvalShowCommand.find(spec, evals, b).id();
            RunComparison c = evals.compare(ra, rb, CancellationToken.none());
            Map<String, Table> sections = new LinkedHashMap<>();
            sections.put("runs", EvalTables.runs(List.of(c.a(), c.b())));
            sections.put("metrics", EvalTables.deltas(c));
            sections.put("regressed", EvalTables.changes(c.regressed(), limit));
            sections.put("fixed", EvalTables.changes(c.fixed(), limit));
            EvalTables.writeSections(writer, sections, out());
            out().flush();
            if (writer == TableWriter.TABLE) {
                err().printf("%,d regressed, %,d fixed%n", c.regressed().size(), c.fixed().size());
            }
        }
        return TracebenchCli.OK;
    }
}
