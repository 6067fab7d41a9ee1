package dev.tracebench.app.cli;

import picocli.CommandLine.Command;

/** {@code tracebench eval}: show, compare and run evals. Each subcommand is its own class. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Eval runs: show one, compare two, run the built-in evaluators.",
        subcommands = {EvalShowCommand.class, EvalCompareCommand.class, EvalRunCommand.class})
public final class EvalCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
