package dev.tracebench.app.cli;

import dev.tracebench.core.slo.SloParser;
import dev.tracebench.core.slo.SloStarter;
import dev.tracebench.core.store.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracebench slo init}: a starter SLO file from what the workspace holds. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Write a starter SLO file from what the workspace holds: availability and latency per service "
            + "(the latency threshold a round number above today's p99), availability per model, cost and tokens per "
            + "request when the traces carry them, and one SLO per evaluator with results linked to traces. Edit the "
            + "objectives to your own targets.")
final class SloInitCommand extends WorkspaceCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "slo.yaml",
            description = "Where to write it (default: ${DEFAULT-VALUE}; '-' prints it).")
    String outFile;

    @Option(names = "--force", description = "Overwrite an existing file.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        String yaml;
        try (Workspace ws = openForReading()) {
            yaml = SloStarter.yaml(ws.slos().inventory(), ws.path().getFileName().toString());
        }
        SloParser.parse(yaml, "starter"); // what we write must read back
        if (outFile.equals("-")) {
            out().print(yaml);
            out().flush();
            return TracebenchCli.OK;
        }
        Path target = Path.of(outFile);
        if (Files.exists(target) && !force) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out: " + target + " exists; pass --force "
                    + "to overwrite it");
        }
        Files.writeString(target, yaml, StandardCharsets.UTF_8);
        out().println("wrote " + target + "; check it with: tracebench slo check --config " + target);
        return TracebenchCli.OK;
    }
}
