package dev.tracebench.app.cli;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.slo.SliSeries;
import dev.tracebench.core.slo.Slo;
import dev.tracebench.core.slo.SloConfigException;
import dev.tracebench.core.slo.SloEngine;
import dev.tracebench.core.slo.SloFile;
import dev.tracebench.core.slo.SloParser;
import dev.tracebench.core.slo.SloStatus;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.FileImportService;
import dev.tracebench.samples.Scenario;
import dev.tracebench.samples.TrafficGenerator;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracebench bench slo}: how long each SLO takes to compute on a large workspace. */
@Command(name = "slo", mixinStandardHelpOptions = true,
        description = "Time each SLO's computation (the database's per-minute counts, then compliance, budget, burn "
            + "rates and the alert replay over the whole period) on a workspace of about --spans spans: the "
            + "hallucination-spike scenario over 7 days with its eval results, generated into --dir and kept for the "
            + "next run; or --workspace. SLOs: --config, else one of each kind. Prints the median of --runs.")
final class SloBench implements Callable<Integer> {
    /** One SLO of each kind, filtered and not, over the generator's fleet. */
    static final String DEFAULT_SLOS = """
            slos:
              - {name: latency-all, sli: latency, threshold: 4s, objective: 99%}
              - {name: latency-chat, sli: latency, threshold: 4s, objective: 99%, filter: "service = 'support-assistant'"}
              - {name: availability, sli: availability, objective: 99.9%}
              - {name: cost, sli: cost, threshold: $0.01, objective: 99%}
              - {name: tokens, sli: tokens, threshold: 4000, objective: 99%}
              - {name: grounded, sli: eval, evaluator: groundedness, label: grounded, objective: 99%}
              - {name: relevance, sli: relevance, threshold: 0.5, objective: 95%, window: calendar-month}
              - {name: grounded-initech, sli: eval, evaluator: groundedness, good: "score >= 0.5", objective: 99%,
                 filter: "tenant = 't-initech'"}
            """;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--spans", paramLabel = "N", defaultValue = "10000000",
            description = "About how many spans the generated workspace holds (default: ${DEFAULT-VALUE}).")
    long spans;

    @Option(names = "--workspace", paramLabel = "FILE", description = "Measure this workspace instead.")
    Path workspace;

    @Option(names = "--config", paramLabel = "FILE", description = "Measure these SLOs instead.")
    Path config;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to keep the generated data "
            + "(default: the system temp folder).")
    Path dir;

    @Option(names = "--runs", paramLabel = "R", defaultValue = "5",
            description = "Computations of each SLO; the median and the slowest are reported (default: "
                + "${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path ws = workspace != null ? workspace : generated(out);
        SloFile file;
        try {
            file = config != null ? SloParser.load(config) : SloParser.parse(DEFAULT_SLOS, "bench SLOs");
        } catch (SloConfigException e) {
            e.problems().forEach(p -> spec.commandLine().getErr().println("error: " + p));
            return TracebenchCli.UNUSABLE;
        }
        try (Workspace w = Workspace.openReadOnly(ws)) {
            var stats = w.traces().stats();
            out.printf("workspace %s: %,d traces, %,d spans; JVM %s, %d cores%n", ws, stats.traces(), stats.spans(),
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
            try {
                SloRun.checked(file, w);
            } catch (SloConfigException e) {
                e.problems().forEach(p -> spec.commandLine().getErr().println("error: " + p));
                return TracebenchCli.UNUSABLE;
            }
            out.printf("%n%-18s %12s %8s %11s %11s %9s %9s  %s%n", "SLO", "events", "steps", "query ms", "replay ms",
                    "total ms", "max ms", "state");
            long worst = 0;
            for (Slo s : file.slos()) {
                long[] query = new long[runs];
                long[] replay = new long[runs];
                SliSeries series = null;
                SloStatus st = null;
                for (int r = 0; r < runs; r++) {
                    long t0 = System.nanoTime();
                    series = w.slos().series(s);
                    long t1 = System.nanoTime();
                    st = SloEngine.evaluate(s, series, null);
                    long t2 = System.nanoTime();
                    query[r] = t1 - t0;
                    replay[r] = t2 - t1;
                }
                long[] total = new long[runs];
                for (int r = 0; r < runs; r++) {
                    total[r] = query[r] + replay[r];
                }
                long events = Arrays.stream(series.total()).sum();
                long max = Arrays.stream(total).max().orElse(0);
                worst = Math.max(worst, max);
                out.printf(Locale.ROOT, "%-18s %,12d %,8d %11.1f %11.1f %9.1f %9.1f  %s, %d alert changes%n", s.name(),
                        events, series.buckets(), median(query) / 1e6, median(replay) / 1e6, median(total) / 1e6,
                        max / 1e6, st.state().name().toLowerCase(Locale.ROOT), st.timeline().size());
                out.flush();
            }
            out.printf(Locale.ROOT, "%nslowest SLO: %.1f ms (target: under 2,000 ms per SLO)%n", worst / 1e6);
        }
        return TracebenchCli.OK;
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** The generated workspace of about --spans spans, made once and reused. */
    private Path generated(PrintWriter out) throws Exception {
        Path base = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"), "tracebench-bench");
        Path data = base.resolve("slo-" + spans);
        Path ws = data.resolve("workspace.duckdb");
        if (Files.exists(ws)) {
            return ws;
        }
        int traces = (int) Math.max(1, spans / 11.7);
        TrafficGenerator.Files files = TrafficGenerator.files(data, TrafficGenerator.Format.OTLP_PROTO, false);
        out.printf("generating %,d traces (hallucination-spike scenario, 7 days) into %s...%n", traces, data);
        out.flush();
        TrafficGenerator.writeDirectory(TrafficGenerator.Options.of(Scenario.HALLUCINATION_SPIKE, traces, 1),
                TrafficGenerator.Format.OTLP_PROTO, false, data);
        Path partial = data.resolve("workspace.partial.duckdb");
        Files.deleteIfExists(partial);
        try (Workspace w = Workspace.open(partial)) {
            FileImportService imports = new FileImportService(() -> w);
            for (Path f : new Path[] {files.traces(), files.evals()}) {
                long t0 = System.nanoTime();
                out.println("importing " + f.getFileName() + "...");
                out.flush();
                ImportReport r = imports.importFile(f, ProgressListener.NONE, CancellationToken.none());
                out.printf("  %s (%.1f s)%n", r.summaryLine(), (System.nanoTime() - t0) / 1e9);
                if (r.status() != ImportReport.Status.IMPORTED) {
                    throw new IllegalStateException("import failed: " + r.summaryLine());
                }
            }
        }
        // only a complete workspace gets the name the next run reuses
        Files.move(partial, ws);
        return ws;
    }
}
