package dev.tracebench.app.cli;

import dev.tracebench.core.eval.EvalExample;
import dev.tracebench.core.eval.EvalResult;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.core.eval.EvalService;
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

/** {@code tracebench eval show RUN}: a run's metrics and its examples. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"A run's metrics (results, passed, failed, pass rate, mean, labels) and its examples with "
                + "their verdicts; texts come from the eval file, else from the linked trace.",
                "CSV: the two tables one after the other, separated by an empty line; JSON: one object with "
                        + "\"run\", \"metrics\" and \"examples\"."})
final class EvalShowCommand extends WorkspaceCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "Run id, name, or a prefix of the name only one run has.")
    String run;

    @Option(names = "--failing", description = "Only examples with a failing verdict.")
    boolean failing;

    @Option(names = "--evaluator", paramLabel = "NAME", description = "Only examples judged by this evaluator.")
    String evaluator;

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
            EvalService evals = ws.evals();
            EvalRun r = find(spec, evals, run);
            // failing examples come first: the page ends where the failing ones do
            List<EvalExample> examples = evals.examples(r.id(), evaluator, failing, 0, limit);
            if (failing) {
                examples = examples.stream().filter(EvalShowCommand::fails).toList();
            }
            Map<String, Table> sections = new LinkedHashMap<>();
            sections.put("run", EvalTables.runs(List.of(r)));
            sections.put("metrics", EvalTables.metrics(evals.metrics(r.id(), 10)));
            sections.put("examples", EvalTables.examples(examples));
            EvalTables.writeSections(writer, sections, out());
            out().flush();
        }
        return TracebenchCli.OK;
    }

    private static boolean fails(EvalExample e) {
        for (EvalResult r : e.verdicts()) {
            if (Boolean.FALSE.equals(r.verdict())) {
                return true;
            }
        }
        return false;
    }

    /** The run RUN names, or a usage error saying which runs there are. */
    static EvalRun find(CommandLine.Model.CommandSpec spec, EvalService evals, String run) {
        return evals.run(run).orElseThrow(() -> {
            List<EvalRun> all = evals.runs();
            StringBuilder known = new StringBuilder();
            for (EvalRun r : all.subList(0, Math.min(10, all.size()))) {
                known.append(known.length() == 0 ? "" : ", ").append(r.id()).append(" (").append(r.name()).append(')');
            }
            return new CommandLine.ParameterException(spec.commandLine(), "no eval run '" + run + "' "
                    + (all.isEmpty() ? "(the workspace has no eval runs)"
                            : "(by id, name or unique name prefix; runs: " + known + (all.size() > 10 ? ", ..." : "")
                                    + ")"));
        });
    }
}
