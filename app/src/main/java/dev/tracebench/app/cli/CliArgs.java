package dev.tracebench.app.cli;

import dev.tracebench.core.report.TableWriter;
import picocli.CommandLine;

/** Shared option parsing. */
final class CliArgs {
    private CliArgs() {
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
