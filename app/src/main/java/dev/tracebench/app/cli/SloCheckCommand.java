package dev.tracebench.app.cli;

import dev.tracebench.core.slo.SloConfigException;
import dev.tracebench.core.slo.SloFile;
import dev.tracebench.core.slo.SloReport;
import dev.tracebench.core.store.Workspace;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracebench slo check}: where each SLO stands, with the exit code a CI gate needs. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Evaluate the SLOs of a file over the workspace: SLI over each SLO's window, error budget "
            + "consumed and left, burn rate of each alert rule, alerts firing. Exit code 0: every SLO holds; 1: an SLO "
            + "is breached (SLI below its objective) or burning its budget too fast (an alert firing); 2: a bad SLO "
            + "file (every problem is listed by file, line and field).")
class SloCheckCommand extends SloRun implements Callable<Integer> {
    /** Exit code of a breached or too-fast-burning SLO. */
    static final int FAILING = 1;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json, markdown or junit (JUnit XML for CI test reports) (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws IOException {
        SloReport.Format f;
        try {
            f = SloReport.Format.of(format);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format: " + e.getMessage());
        }
        try (Workspace ws = openForReading()) {
            SloFile file;
            try {
                file = checked(config, ws);
            } catch (SloConfigException e) {
                return badConfig(e);
            }
            SloReport report = report(file, ws);
            report.write(f, out());
            return report.failing() ? FAILING : TracebenchCli.OK;
        }
    }
}
