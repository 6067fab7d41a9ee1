package dev.tracebench.app.cli;

import dev.tracebench.core.ingest.IngestOptions;
import dev.tracebench.core.live.LiveConfig;
import dev.tracebench.core.live.LiveReceiver;
import dev.tracebench.core.live.LiveStats;
import dev.tracebench.core.metrics.MetricsEndpoint;
import dev.tracebench.core.metrics.MetricsOptions;
import dev.tracebench.core.metrics.WorkspaceMetrics;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.live.OtlpLiveReceivers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracebench serve}: an OTLP receiver writing into a workspace until SIGINT or SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Receive traces live: OTLP/HTTP (POST /v1/traces, protobuf or JSON, gzip) and OTLP/gRPC, "
            + "written into the workspace with the same normalisation and analysis as imported files, committed "
            + "about once a second. Bad spans are refused in partial-success answers; when too much is waiting to "
            + "be committed, senders are told to retry later (HTTP 429 / gRPC RESOURCE_EXHAUSTED). Prints a status "
            + "line every few seconds; Ctrl-C or SIGTERM commits what was received and stops.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by a signal after committing what it received",
            "2:a port could not be bound, or the workspace could not be opened"})
final class ServeCommand extends WorkspaceCommand implements Callable<Integer> {
    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "" + LiveConfig.DEFAULT_HTTP_PORT,
            description = "OTLP/HTTP port, also serving /metrics (default: ${DEFAULT-VALUE}; 0: any free port; "
                + "-1: none).")
    int httpPort;

    @Option(names = "--grpc-port", paramLabel = "PORT", defaultValue = "" + LiveConfig.DEFAULT_GRPC_PORT,
            description = "OTLP/gRPC port (default: ${DEFAULT-VALUE}; 0: any free port; -1: none).")
    int grpcPort;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0: every "
                + "interface).")
    String bind;

    @Option(names = "--status-every", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between status lines, printed when something changed (default: "
                + "${DEFAULT-VALUE}).")
    int statusEvery;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "Normalisation rules (YAML) that win over every convention (default: "
                    + "$TRACEBENCH_HOME/rules.yaml if it exists).")
    Path rules;

    @Option(names = "--slo", paramLabel = "FILE",
            description = "SLO file whose burn rates /metrics serves (default: $TRACEBENCH_HOME/slo.yaml if it "
                + "exists).")
    Path slo;

    /** Counted down to stop (by the shutdown hook on SIGINT/SIGTERM; tests count it down themselves). */
    final CountDownLatch stopRequested = new CountDownLatch(1);

    @Override
    public Integer call() {
        IngestOptions options;
        try {
            options = opener.home().ingestOptions(rules);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            err().println("error: " + e.getMessage());
            return TracebenchCli.UNUSABLE;
        }
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // SIGINT / SIGTERM: let the main thread commit, print the totals and close the workspace first
            stopRequested.countDown();
            try {
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tracebench-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (Workspace ws = opener.openWritable(workspacePath(), ProgressListener.NONE)) {
            String notice = opener.takeNotice();
            if (notice != null) {
                err().println(notice);
            }
            LiveConfig defaults = LiveConfig.defaults();
            LiveConfig config = new LiveConfig(bind, httpPort, grpcPort, defaults.maxQueuedBytes(),
                    defaults.commitInterval());
            LiveReceiver receiver;
            try {
                MetricsEndpoint metrics = WorkspaceMetrics.endpoint(() -> ws, Clock.systemUTC(),
                        new MetricsOptions(MetricsOptions.DEFAULT.window(), MetricsOptions.Anchor.NOW, null,
                                slo != null ? slo : opener.home().home().resolve("slo.yaml")));
                receiver = new OtlpLiveReceivers(() -> ws, () -> options, metrics).start(config, null);
            } catch (IOException e) {
                err().println("error: " + e.getMessage());
                return TracebenchCli.UNUSABLE;
            }
            PrintWriter out = out();
            out.println("workspace " + ws.path());
            receiver.endpoints().forEach(e -> out.println("listening: " + e));
            out.println("Ctrl-C stops (after committing what was received)");
            out.flush();
            String shown = statusLine(receiver.stats());
            while (!stopRequested.await(Math.max(1, statusEvery), TimeUnit.SECONDS)) {
                // an idle receiver says nothing new: only lines that changed are printed
                String line = statusLine(receiver.stats());
                if (!line.equals(shown)) {
                    out.println(line);
                    out.flush();
                    shown = line;
                }
            }
            LiveStats last = receiver.stop();
            out.println("stopped: " + totals(last));
            if (last.lastProblem() != null) {
                out.println("last problem: " + last.lastProblem());
            }
            out.flush();
            return TracebenchCli.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TracebenchCli.UNUSABLE;
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it is waiting for the countDown above
            }
        }
    }

    static String statusLine(LiveStats s) {
        return String.format("%,.0f spans/s  stored %,d  rejected %,d  throttled %,d  queued %,d spans",
                s.spansPerSecond(), s.spansStored(), s.spansRejected(), s.requestsThrottled(), s.queuedSpans());
    }

    static String totals(LiveStats s) {
        Duration up = Duration.between(s.started(), java.time.Instant.now());
        return String.format("%,d requests, %,d spans received, %,d stored in %,d traces, %,d rejected, %,d "
                + "requests throttled, %,d commits in %ds", s.requests(), s.spansReceived(), s.spansStored(),
                s.tracesStored(), s.spansRejected(), s.requestsThrottled(), s.commits(), up.toSeconds());
    }
}
