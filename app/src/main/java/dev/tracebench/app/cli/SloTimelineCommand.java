package dev.tracebench.app.cli;

import dev.tracebench.core.slo.SloAlert;
import dev.tracebench.core.slo.SloConfigException;
import dev.tracebench.core.slo.SloFile;
import dev.tracebench.core.slo.SloReport;
import dev.tracebench.core.store.Workspace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracebench slo timeline}: when each burn-rate alert would have fired and resolved. */
@Command(name = "timeline", mixinStandardHelpOptions = true,
        description = "Replay the SLOs' multiwindow burn-rate alerts over the imported period, a minute at a time, and "
            + "list when each alert would have fired and resolved, with its burn rate and the budget left.")
final class SloTimelineCommand extends SloRun implements Callable<Integer> {
    @Option(names = "--slo", paramLabel = "NAME", description = "Only this SLO's alerts.")
    String only;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or csv (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws IOException {
        if (!List.of("text", "json", "csv").contains(format)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format: unknown format '" + format
                    + "' (text, json or csv)");
        }
        try (Workspace ws = openForReading()) {
            SloFile file;
            try {
                file = checked(config, ws);
            } catch (SloConfigException e) {
                return badConfig(e);
            }
            if (only != null && file.slos().stream().noneMatch(s -> s.name().equals(only))) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--slo: " + file.name() + " has no SLO "
                        + "named '" + only + "' (" + String.join(", ", file.slos().stream().map(s -> s.name())
                                .toList()) + ")");
            }
            List<SloAlert> alerts = new ArrayList<>();
            for (SloReport.Result r : report(file, ws).results()) {
                if (only == null || r.status().slo().name().equals(only)) {
                    alerts.addAll(r.status().timeline());
                }
            }
            SloReport.writeTimeline(alerts, format, out());
            return TracebenchCli.OK;
        }
    }
}
