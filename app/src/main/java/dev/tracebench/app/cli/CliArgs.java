package dev.tracebench.app.cli;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.report.TableWriter;
import picocli.CommandLine;

/** Shared option parsing. */
final class CliArgs {
    private CliArgs() {
    }

    /** What every --cohort option says it takes. */
    static final String COHORT_FORMS = "all, slow:p95 (or any percentile, per root operation), slow:2s, tokens:p90, "
            + "cost:p90, errors (traces with an error: any span failed), failed (failed requests: the root span "
            + "failed), a quality cohort: eval:groundedness=hallucinated (a label), eval:relevance<0.5 (a score: <, "
            + "<=, >, >=, =), eval:faithfulness=fail (or =pass), eval:any-fail; or a SQL expression over the columns of "
            + "the traces table, e.g. \"model = 'gpt-4o' AND docs = 0\"";

    /** The --cohort option's text as a cohort, or a usage error saying what is wrong with it. */
    static Cohort cohort(CommandLine.Model.CommandSpec spec, String text) {
        try {
            return Cohort.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cohort: " + e.getMessage());
        }
    }

    static TableWriter format(CommandLine.Model.CommandSpec spec, String name) {
        try {
            return TableWriter.of(name);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--format: unknown format '" + name + "' (table, csv or json)");
        }
    }
}
