package dev.tracebench.app.cli;

import dev.tracebench.core.notify.Delivery;
import dev.tracebench.core.notify.Message;
import dev.tracebench.core.notify.Notifications;
import dev.tracebench.core.notify.Target;
import dev.tracebench.core.slo.NotificationTarget;
import dev.tracebench.core.slo.SloAlert;
import dev.tracebench.core.slo.SloConfigException;
import dev.tracebench.core.slo.SloFile;
import dev.tracebench.core.slo.SloReport;
import dev.tracebench.core.store.Workspace;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
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

    @Option(names = "--notify", description = "Send the alerts firing now to the file's notification targets (Slack, "
            + "PagerDuty, webhook; grouped by incident, retried, rate limited). URLs and keys come from the "
            + "environment variables the file names; what was sent is listed on standard error.")
    boolean notify;

    @Option(names = "--dry-run", description = "With --notify: list the messages that would be sent, secrets "
            + "masked, and send nothing.")
    boolean dryRun;

    /** Where URLs and routing keys are read from; tests point it at their own map. */
    static Function<String, String> environment = System::getenv;

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
            if (notify || dryRun) {
                notifyTargets(file, report);
            }
            return report.failing() ? FAILING : TracebenchCli.OK;
        }
    }

    /**
     * Sends (or with --dry-run lists) the alerts firing at the evaluated moment, each target getting the SLOs and
     * severities it asks for. A target whose environment variable is unset is named on standard error (never the
     * value) and the others still get theirs.
     */
    private void notifyTargets(SloFile file, SloReport report) {
        PrintWriter err = err();
        List<SloAlert> firing = report.results().stream().flatMap(r -> r.status().firing().stream()).toList();
        if (file.notifications().isEmpty()) {
            err.println("notify: " + file.name() + " names no notification targets");
            return;
        }
        for (NotificationTarget t : file.notifications()) {
            List<SloAlert> mine = firing.stream().filter(t::wants).toList();
            if (mine.isEmpty()) {
                err.println("notify " + t.name() + ": no alert firing for it");
                continue;
            }
            Target target = Target.of(t.name(), Target.Kind.parse(t.type()), t.secretEnv());
            try {
                if (dryRun) {
                    for (Message m : Notifications.render(mine, List.of(target))) {
                        err.println("notify " + t.name() + " (dry run): " + m.action().label() + " "
                                + m.incidentKey() + " to " + m.endpoint() + "\n" + m.json());
                    }
                } else {
                    for (Delivery d : Notifications.send(mine, List.of(target), environment)) {
                        err.println("notify " + t.name() + ": " + d.action().label() + " " + d.incidentKey() + " "
                                + (d.delivered() ? "delivered (HTTP " + d.status() + ")"
                                        : "NOT delivered after " + d.attempts() + " attempts: " + d.error()));
                    }
                }
            } catch (IllegalArgumentException e) {
                err.println("notify " + t.name() + ": " + e.getMessage());
            }
        }
        err.flush();
    }
}
