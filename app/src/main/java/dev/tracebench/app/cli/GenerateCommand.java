package dev.tracebench.app.cli;

import dev.tracebench.samples.LiveSender;
import dev.tracebench.samples.Scenario;
import dev.tracebench.samples.TrafficGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracebench generate}: realistic LLM-fleet traffic with a planted incident and its ground truth. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate the traffic of a small fleet of LLM applications with one planted incident, as the "
            + "OpenTelemetry Collector's file exporter writes it, plus evals.jsonl, affected-trace-ids.txt and "
            + "truth.json (what was planted and what an analysis should conclude).",
        footer = {"", "Scenarios: baseline, slow-shard, model-rollout, cache-regression, prompt-bloat,",
            "hallucination-spike, demo.", "", "Example:",
            "  tracebench generate --scenario slow-shard --traces 100000 --out /tmp/slow-shard --gzip"})
final class GenerateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "baseline",
            description = "The incident to plant (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--traces", paramLabel = "N", required = true, description = "Number of requests (traces).")
    int traces;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder to write into (or --send).")
    Path out;

    @Option(names = "--send", paramLabel = "URL", description = "Instead of writing files, play the traffic out live "
            + "to an OTLP/HTTP receiver (e.g. http://127.0.0.1:4318/v1/traces; `tracebench serve` or the app's "
            + "File > Receive Live Traces), starting now and lasting --seconds.")
    java.net.URI send;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "60",
            description = "With --send: how long the traffic plays out (default: ${DEFAULT-VALUE}).")
    long seconds;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "otlp-json",
            description = "otlp-json (JSON Lines) or otlp-proto (length-prefixed protobuf) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--gzip", description = "Compress the traces file with gzip.")
    boolean gzip;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--start", paramLabel = "TIME", description = "Start of the time range, e.g. 2026-11-20T08:00:00Z.")
    String start;

    @Option(names = "--hours", paramLabel = "H", description = "Length of the time range in hours "
            + "(default: scaled to the number of traces, 1 hour to 7 days).")
    Double hours;

    @Override
    public Integer call() throws Exception {
        Scenario sc;
        TrafficGenerator.Format fmt;
        try {
            sc = Scenario.of(scenario);
            fmt = TrafficGenerator.Format.of(format);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (traces < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--traces must be 0 or more");
        }
        TrafficGenerator.Options defaults = TrafficGenerator.Options.of(sc, traces, seed);
        Instant from = defaults.start();
        if (start != null) {
            try {
                from = Instant.parse(start);
            } catch (DateTimeParseException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--start: not an ISO-8601 instant: "
                        + start);
            }
        }
        if ((out == null) == (send == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either --out DIR or --send URL");
        }
        if (send != null) {
            return send(sc);
        }
        long window = hours == null ? defaults.spanSeconds() : Math.max(1, Math.round(hours * 3600));
        TrafficGenerator.Options o = new TrafficGenerator.Options(sc, traces, seed, from, window,
                defaults.tracesPerRequest());
        long t0 = System.nanoTime();
        TrafficGenerator.Summary s = TrafficGenerator.writeDirectory(o, fmt, gzip, out);
        double secs = (System.nanoTime() - t0) / 1e9;
        TrafficGenerator.Files files = TrafficGenerator.files(out, fmt, gzip);
        var w = spec.commandLine().getOut();
        w.printf("%s: %,d traces (one per request), %,d spans (%,d failed, %,d touched by the incident, %,d evaluations); "
                + "written as %,d OTLP export batch%s%n", sc.id(), s.traces(), s.spans(), s.errorTraces(),
                s.affectedTraces(), s.evaluations(), s.exportBatches(), s.exportBatches() == 1 ? "" : "es");
        w.printf("%s  %,d bytes%n", files.traces(), Files.size(files.traces()));
        w.printf("%s  %,d bytes%n", files.evals(), Files.size(files.evals()));
        w.printf("%s%n%s%n", files.truth(), files.affectedIds());
        w.printf("took %.1f s (%,.0f spans/s)%n", secs, s.spans() / Math.max(secs, 1e-9));
        return TracebenchCli.OK;
    }

    /** Plays the traffic out to a live receiver: requests start now and spread over --seconds, a few per export. */
    private int send(Scenario sc) {
        if (seconds <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be positive");
        }
        if (send.getScheme() == null || !send.getScheme().startsWith("http")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--send: not an http(s) URL: " + send);
        }
        var w = spec.commandLine().getOut();
        w.printf("sending %,d traces of %s to %s over %d s%n", traces, sc.id(), send, seconds);
        w.flush();
        TrafficGenerator.Options o = new TrafficGenerator.Options(sc, traces, seed, Instant.now(), seconds, 5);
        try {
            LiveSender.Sent s = LiveSender.send(o, send);
            w.printf("sent %,d traces, %,d spans in %,d export requests (%,d retried after back-pressure)%n",
                    s.generated().traces(), s.spansDelivered(), s.generated().exportBatches(), s.retries());
            return TracebenchCli.OK;
        } catch (java.io.IOException e) {
            spec.commandLine().getErr().println("tracebench generate: " + e.getMessage());
            return TracebenchCli.UNUSABLE;
        }
    }
}
