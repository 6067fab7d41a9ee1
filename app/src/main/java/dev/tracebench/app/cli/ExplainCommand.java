package dev.tracebench.app.cli;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.query.QueryRefusedException;
import dev.tracebench.core.report.FindingsWriter;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracebench explain}: why a cohort of requests differs from the rest, as findings. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Why are these requests slow (or failing), or these answers bad? Compares a cohort with the rest "
            + "of the workspace over every stage, trace fact and attribute, and adds the automated checks; prints the "
            + "findings, most important first. A quality cohort (eval:...) is compared with the other answers its "
            + "evaluator judged.")
final class ExplainCommand extends WorkspaceCommand implements Callable<Integer> {
    @Option(names = "--cohort", paramLabel = "COHORT", defaultValue = "slow:p95",
            description = CliArgs.COHORT_FORMS + " (default: ${DEFAULT-VALUE}).")
    String cohort;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or markdown (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--min-severity", paramLabel = "S", defaultValue = "info",
            description = "Leave out findings below: info, notice, warning or critical (default: ${DEFAULT-VALUE}).")
    String minSeverity;

    @Option(names = "--checks-only", description = "Only the automated checks of the whole workspace.")
    boolean checksOnly;

    // (CliTest checks this names every CheckSettings setting with its default)
    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "Change a threshold (repeatable): minSupport, minDifference, minConfidence, sampleTraces, "
                + "dominantStageShare, queueGrowthRatio, errorHotspotShare, loopCalls, outlierFactor. Defaults: "
                + "0.05, 0.1, 0.99, 5000, 0.6, 2, 3, 8, 5.")
    java.util.Map<String, String> thresholds;

    @Override
    public Integer call() throws IOException {
        FindingsWriter writer;
        Severity min;
        Cohort c = CliArgs.cohort(spec, cohort);
        CheckSettings settings = CheckSettings.DEFAULTS;
        try {
            writer = FindingsWriter.of(format);
            min = Severity.parse(minSeverity);
            if (thresholds != null) {
                for (java.util.Map.Entry<String, String> e : thresholds.entrySet()) {
                    settings = settings.with(e.getKey(), e.getValue());
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (Workspace ws = openForReading()) {
            List<Finding> all;
            try {
                all = checksOnly ? ws.analysis().automatedChecks(settings, CancellationToken.none())
                        : ws.analysis().explain(c, settings, CancellationToken.none());
            } catch (QueryRefusedException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--cohort: " + e.getMessage());
            }
            List<Finding> shown = new ArrayList<>();
            for (Finding f : all) {
                if (f.severity().compareTo(min) >= 0) {
                    shown.add(f);
                }
            }
            String title = checksOnly ? "Automated checks of " + ws.path().getFileName()
                    : c.isQuality() ? "Why are these answers bad? " + capitalised(c.label()) + ", in "
                            + ws.path().getFileName()
                    : "Why " + c.label() + " differ, in " + ws.path().getFileName();
            writer.write(title, shown, out());
            out().flush();
        }
        return TracebenchCli.OK;
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
