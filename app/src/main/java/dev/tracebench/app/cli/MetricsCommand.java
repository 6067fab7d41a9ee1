package dev.tracebench.app.cli;

import dev.tracebench.core.metrics.MetricsEndpoint;
import dev.tracebench.core.metrics.MetricsOptions;
import dev.tracebench.core.metrics.WorkspaceMetrics;
import dev.tracebench.core.slo.SloConfigException;
import dev.tracebench.core.slo.SloProblem;
import dev.tracebench.core.store.Workspace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracebench metrics}: one /metrics scrape of the workspace, printed. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Print what /metrics of 'tracebench serve' would answer now: per service, route and model "
            + "request rate, errors, p50/p95/p99 latency, queue time, cache hit rate, tokens and cost; eval pass "
            + "rates per evaluator; SLO burn rates over 5m and 1h. Prometheus text format, or OpenMetrics. Every "
            + "metric: docs/metrics.md.")
class MetricsCommand extends WorkspaceCommand implements Callable<Integer> {
    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "5m",
            description = "The window rates, ratios and quantiles cover, e.g. 30s, 5m, 1h (default: ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--at", paramLabel = "TIME", defaultValue = "now",
            description = "Where the window ends: now, latest (the newest request in the workspace: for imported, "
                + "older data) or an ISO-8601 time, e.g. 2026-11-20T14:00:00Z (default: ${DEFAULT-VALUE}).")
    String at;

    @Option(names = "--slo", paramLabel = "FILE", description = "The SLO file whose burn rates to include "
            + "(format: docs/slo.md). Default: $TRACEBENCH_HOME/slo.yaml if it exists (the desktop app's SLO file).")
    Path slo;

    @Option(names = "--openmetrics", description = "Write OpenMetrics 1.0.0 (what a scraper asking for "
            + "application/openmetrics-text gets) instead of the Prometheus text format.")
    boolean openMetrics;

    @Override
    public Integer call() {
        MetricsOptions options;
        try {
            options = MetricsOptions.DEFAULT.withWindow(MetricsOptions.parseWindow(window)).withAt(at);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path sloFile = slo != null ? slo : opener.home().home().resolve("slo.yaml");
        if (slo != null && !Files.isRegularFile(slo)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--slo: no such file: "
                    + slo.toAbsolutePath());
        }
        try (Workspace ws = openForReading()) {
            if (Files.isRegularFile(sloFile)) {
                try {
                    SloRun.checked(sloFile, ws);
                    options = options.withSloFile(sloFile);
                } catch (SloConfigException e) {
                    for (SloProblem p : e.problems()) {
                        err().println((slo != null ? "error: " : "warning: ") + p);
                    }
                    if (slo != null) {
                        return TracebenchCli.UNUSABLE;
                    }
                    err().println("warning: " + sloFile + " left out: fix it, or name another with --slo");
                }
            }
            MetricsEndpoint.Exposition e = WorkspaceMetrics.scrape(ws, Clock.systemUTC(), options, openMetrics);
            out().print(new String(e.body(), StandardCharsets.UTF_8));
            return TracebenchCli.OK;
        }
    }
}
