package dev.tracebench.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tracebench slo}: service level objectives over the workspace's traces and eval results. */
@Command(name = "slo", mixinStandardHelpOptions = true,
        description = "Quality SLOs: error budgets and burn-rate alerts over the workspace's traces and eval results. "
            + "The SLO file's format: docs/slo.md.",
        subcommands = {SloInitCommand.class, SloCheckCommand.class, SloTimelineCommand.class})
final class SloCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
