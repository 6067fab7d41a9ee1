package dev.tracebench.app.cli;

import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Dimension;
import dev.tracebench.core.analysis.GroupBy;
import dev.tracebench.core.query.QueryRefusedException;
import dev.tracebench.core.report.Durations;
import dev.tracebench.core.report.BreakdownTable;
import dev.tracebench.core.report.TableWriter;
import dev.tracebench.core.store.Workspace;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracebench breakdown}: where request time goes, per stage and operation, optionally per group. */
@Command(name = "breakdown", mixinStandardHelpOptions = true,
        description = "Where the time of requests goes: per stage of the critical path (and per operation with "
            + "--operations), p50/p90/p95/p99 of each stage's contribution and its share of all request time.")
final class BreakdownCommand extends WorkspaceCommand implements Callable<Integer> {
    @Option(names = "--cohort", paramLabel = "COHORT", defaultValue = "all",
            description = CliArgs.COHORT_FORMS + " (default: ${DEFAULT-VALUE}).")
    String cohort;

    @Option(names = "--by", paramLabel = "DIMENSION",
            description = "Group by service, root-operation, route, model, model-version, prompt-version, tenant, "
                + "or attr:KEY for any attribute.")
    String by;

    @Option(names = "--operations", description = "Also list the operations (span names) within each stage.")
    boolean operations;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws IOException {
        TableWriter writer = CliArgs.format(spec, format);
        Cohort c = CliArgs.cohort(spec, cohort);
        GroupBy g;
        try {
            g = groupBy(by);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (Workspace ws = openForReading()) {
            Breakdown b;
            try {
                b = ws.analysis().breakdown(c, g);
                if (operations && g.dimension() != Dimension.NONE) {
                    for (Breakdown.Group grp : b.groups()) {
                        if (grp.value() != null && !grp.value().equals(Breakdown.OTHER)) {
                            b = b.withOperations(grp.value(), ws.analysis().operations(c, g, grp.value()));
                        }
                    }
                }
            } catch (QueryRefusedException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--cohort: " + e.getMessage());
            }
            writer.write(BreakdownTable.stages(b, operations), out());
            out().flush();
            if (writer == TableWriter.TABLE) {
                Breakdown.Group all = b.overall();
                err().printf("%s: %,d traces, p50 %s, p95 %s, p99 %s (%d ms)%n", c.label(), all.traces(),
                        Durations.format(all.p50Ns()), Durations.format(all.p95Ns()), Durations.format(all.p99Ns()),
                        b.queryMillis());
            }
        }
        return dev.tracebench.app.cli.TracebenchCli.OK;
    }

    static GroupBy groupBy(String by) {
        if (by == null || by.isBlank()) {
            return GroupBy.NONE;
        }
        String t = by.strip();
        if (t.startsWith("attr:")) {
            return GroupBy.attribute(t.substring(5));
        }
        String key = t.toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return GroupBy.of(Dimension.valueOf(key));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--by: unknown dimension '" + by + "' (service, root-operation, route, "
                    + "model, model-version, prompt-version, tenant, attr:KEY)");
        }
    }
}
