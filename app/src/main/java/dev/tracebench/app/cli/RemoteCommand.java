package dev.tracebench.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tracebench remote}: results computed elsewhere (the spark module over a lake), opened read-only. */
@Command(name = "remote", mixinStandardHelpOptions = true,
        description = "Results computed outside a workspace: the folders the spark module's LakeAnalysis writes "
            + "over a trace lake (docs/spark.md), shown read-only with the same writers as breakdown, explain and "
            + "slo check.",
        subcommands = {RemoteShowCommand.class})
final class RemoteCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
