package dev.tracebench.app.cli;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tracebench} command and its subcommands. */
@Command(name = "tracebench", mixinStandardHelpOptions = true, versionProvider = TracebenchCli.Version.class,
        description = "Tracebench: a workbench for the traces of LLM applications. "
            + "Without a command, opens the desktop app on the default workspace.",
        subcommands = {GuiCommand.class, ImportCommand.class, TracesCommand.class, BreakdownCommand.class,
            ExplainCommand.class, QueryCommand.class, EvalsCommand.class, EvalCommand.class, DatasetCommand.class,
            GenerateCommand.class, BenchCommand.class, SloCommand.class, GateCommand.class, ServeCommand.class,
            MetricsCommand.class, RecommendCommand.class, ExportCommand.class, RemoteCommand.class,
            CommandLine.HelpCommand.class},
        footer = {"", "Without --workspace, commands use the default workspace, the one the desktop app opens:",
            "  $TRACEBENCH_HOME/workspaces/default.duckdb (TRACEBENCH_HOME defaults to ~/.tracebench).",
            "It is created with the bundled sample traces on first use. A workspace can be open in one",
            "process at a time."})
public final class TracebenchCli implements Runnable {
    /** Exit codes shared by the commands. */
    public static final int OK = 0;
    public static final int REJECTED_RECORDS = 1;
    public static final int UNUSABLE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the CLI; returns the exit code, or -1 if the GUI was started (the JVM must keep running). */
    public static int run(String... args) {
        return run(new WorkspaceOpener(AppHome.fromEnvironment()), new PrintWriter(System.out, true),
                new PrintWriter(System.err, true), args);
    }

    /** Runs the CLI with explicit dependencies and streams (for tests). */
    public static int run(WorkspaceOpener opener, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new TracebenchCli(), new Factory(opener));
        cl.setOut(out);
        cl.setErr(err);
        // SQL may start with a comment ("-- spans per service ..."): not an option
        cl.getSubcommands().get("query").setUnmatchedOptionsArePositionalParams(true);
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return UNUSABLE;
        });
        cl.setParameterExceptionHandler((ex, params) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more.");
            return UNUSABLE;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Gives every command the shared {@link WorkspaceOpener}. */
    private static final class Factory implements CommandLine.IFactory {
        private final WorkspaceOpener opener;

        Factory(WorkspaceOpener opener) {
            this.opener = opener;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            K obj = CommandLine.defaultFactory().create(cls);
            if (obj instanceof WorkspaceCommand wc) {
                wc.opener = opener;
            }
            return obj;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TracebenchCli.class.getPackage().getImplementationVersion();
            return new String[] {"tracebench " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
