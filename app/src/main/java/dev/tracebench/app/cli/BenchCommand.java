package dev.tracebench.app.cli;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.FileImportService;
import dev.tracebench.samples.Scenario;
import dev.tracebench.samples.TrafficGenerator;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracebench bench}: rerunnable benchmarks. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Rerunnable benchmarks.",
        subcommands = {BenchCommand.ImportBench.class, BenchCommand.AnalysisBench.class, EvalsBench.class,
            DatasetsBench.class, SloBench.class, LiveBench.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code tracebench bench import}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import speed, end to end (parse, normalise, store, rollups, committed) into a fresh file "
                + "workspace, for generated files of about --spans spans in each format. Generated files are kept in "
                + "--dir and reused. Prints spans/s, MB/s, peak heap and where the time went. Run the JVM with the heap "
                + "you want to check, e.g. TRACEBENCH_JVM_OPTS=-Xmx512m ./tracebench bench import")
    static final class ImportBench implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--spans", paramLabel = "N", defaultValue = "1000000",
                description = "About how many spans each file holds (default: ${DEFAULT-VALUE}).")
        long spans;

        @Option(names = "--formats", split = ",", paramLabel = "F", defaultValue = "otlp-json,otlp-proto",
                description = "Formats to measure (default: ${DEFAULT-VALUE}).")
        List<String> formats;

        @Option(names = "--dir", paramLabel = "DIR", description = "Where to keep the generated files "
                + "(default: the system temp folder).")
        Path dir;

        @Option(names = "--runs", paramLabel = "R", defaultValue = "3",
                description = "Imports per format (default: ${DEFAULT-VALUE}). The first runs in a cold JVM (the "
                    + "just-in-time compiler still at work, as for a one-off CLI import); the others show the speed "
                    + "of a warmed-up JVM (the GUI after its first import, or any long import). Both are reported.")
        int runs;

        @Option(names = "--native", description = "Also load the OTLP/JSON file with DuckDB's own read_json, for "
                + "comparison (slow: minutes for a million spans).")
        boolean nativeJson;

        /** The garbage collectors of this JVM ("PS Scavenge + PS MarkSweep" is the parallel collector). */
        private static String collectors() {
            return String.join(" + ", java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .map(java.lang.management.GarbageCollectorMXBean::getName).toList());
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Path base = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"), "tracebench-bench");
            Files.createDirectories(base);
            out.printf("JVM %s, max heap %,d MB, %d cores, %s; rows into DuckDB by %s%n",
                    System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
                    Runtime.getRuntime().availableProcessors(), collectors(), Workspace.ingestPath());
            List<String[]> table = new ArrayList<>();
            for (String f : formats) {
                TrafficGenerator.Format fmt = TrafficGenerator.Format.of(f);
                Path data = base.resolve(fmt.id() + "-" + spans);
                Path file = TrafficGenerator.files(data, fmt, false).traces();
                if (!Files.exists(file)) {
                    int traces = (int) Math.max(1, spans / 11.7);
                    out.printf("generating %s (%,d traces)...%n", file, traces);
                    out.flush();
                    TrafficGenerator.writeDirectory(new TrafficGenerator.Options(Scenario.BASELINE, traces, 1,
                            Instant.parse("2026-11-20T00:00:00Z"), 86_400, 25), fmt, false, data);
                }
                long bytes = Files.size(file);
                List<long[]> results = new ArrayList<>();
                ImportReport last = null;
                for (int r = 0; r < runs; r++) {
                    Path ws = base.resolve("bench-" + fmt.id() + ".duckdb");
                    Files.deleteIfExists(ws);
                    Files.deleteIfExists(ws.resolveSibling(ws.getFileName() + ".wal"));
                    System.gc();
                    long t0 = System.nanoTime();
                    ImportReport report;
                    long peak;
                    long afterGc;
                    try (HeapSampler heap = new HeapSampler(); Workspace w = Workspace.open(ws)) {
                        report = new FileImportService(() -> w).importFile(file, ProgressListener.NONE,
                                CancellationToken.none());
                        peak = heap.peak();
                        afterGc = heap.peakAfterGc();
                    }
                    long ns = System.nanoTime() - t0;
                    if (report.status() != ImportReport.Status.IMPORTED) {
                        out.println("import failed: " + report.summaryLine());
                        return TracebenchCli.UNUSABLE;
                    }
                    results.add(new long[] {ns, peak, Files.size(ws), report.spansAdded(), afterGc});
                    last = report;
                    out.printf("  %s run %d: %.2f s, %,.0f spans/s%n", fmt.id(), r + 1, ns / 1e9,
                            report.spansAdded() / (ns / 1e9));
                    out.flush();
                }
                table.add(row(fmt.id() + " cold", results.get(0), bytes));
                if (results.size() > 1) {
                    List<long[]> warm = new ArrayList<>(results.subList(1, results.size()));
                    warm.sort((a, b) -> Long.compare(a[0], b[0]));
                    table.add(row(fmt.id() + " warm", warm.get(warm.size() / 2), bytes));
                }
                out.println("  where the time went (last run, ms): " + timings(last.timingsMs()));
                if (nativeJson && fmt == TrafficGenerator.Format.OTLP_JSON) {
                    Path scratch = base.resolve("bench-read-json.duckdb");
                    Files.deleteIfExists(scratch);
                    out.println("  DuckDB read_json over the same file...");
                    out.flush();
                    long t0 = System.nanoTime();
                    long n = NativeJsonBench.load(file, scratch);
                    double ns = (System.nanoTime() - t0) / 1e9;
                    table.add(new String[] {"read_json", String.format(Locale.ROOT, "%,d", n),
                            String.format(Locale.ROOT, "%,.0f", bytes / 1e6), String.format(Locale.ROOT, "%.2f", ns),
                            String.format(Locale.ROOT, "%,.0f", n / ns),
                            String.format(Locale.ROOT, "%,.0f", bytes / 1e6 / ns), "-", "-",
                            String.format(Locale.ROOT, "%,.0f", Files.size(scratch) / 1e6)});
                    out.printf("  Tracebench (cold) / read_json: %.1fx%n", ns / (results.get(0)[0] / 1e9));
                }
            }
            out.println();
            out.printf("%-16s %12s %9s %9s %10s %8s %12s %13s %9s%n", "format", "spans", "input MB", "seconds",
                    "spans/s", "MB/s", "peak heap MB", "live MB", "db MB");
            for (String[] r : table) {
                out.printf("%-16s %12s %9s %9s %10s %8s %12s %13s %9s%n", (Object[]) r);
            }
            out.println("peak heap: the most heap in use, garbage included; live: the most still in use after a full "
                    + "collection during the import (- if none ran)");
            return TracebenchCli.OK;
        }

        private static String timings(Map<String, Long> t) {
            StringBuilder sb = new StringBuilder();
            t.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
            return sb.toString();
        }

        /** One line of the table: {ns, peak heap, db bytes, spans, peak heap after GC}. */
        private static String[] row(String label, long[] r, long bytes) {
            double secs = r[0] / 1e9;
            return new String[] {label, String.format(Locale.ROOT, "%,d", r[3]),
                String.format(Locale.ROOT, "%,.0f", bytes / 1e6), String.format(Locale.ROOT, "%.2f", secs),
                String.format(Locale.ROOT, "%,.0f", r[3] / secs), String.format(Locale.ROOT, "%,.0f", bytes / 1e6 / secs),
                String.format(Locale.ROOT, "%,d", r[1] >> 20), r[4] > 0 ? String.format(Locale.ROOT, "%,d", r[4] >> 20)
                        : "-", String.format(Locale.ROOT, "%,.0f", r[2] / 1e6)};
        }

        /**
         * Samples the used heap every 10 ms while an import runs (the peak includes garbage not yet collected), and
         * records the heap in use right after each full collection (what the import really holds).
         */
        private static final class HeapSampler implements AutoCloseable {
            private volatile boolean running = true;
            private volatile long peak;
            private volatile long peakAfterGc;
            private final Thread thread;
            private final java.util.Set<String> heapPools = new java.util.HashSet<>();
            private final List<javax.management.NotificationEmitter> emitters = new ArrayList<>();
            private final javax.management.NotificationListener listener = (n, handback) -> {
                if (com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                        .equals(n.getType())) {
                    var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                            (javax.management.openmbean.CompositeData) n.getUserData());
                    if (!info.getGcAction().contains("major")) {
                        return; // a young collection leaves the old generation's garbage in place
                    }
                    long used = 0;
                    for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                        if (heapPools.contains(e.getKey())) {
                            used += e.getValue().getUsed();
                        }
                    }
                    synchronized (this) {
                        peakAfterGc = Math.max(peakAfterGc, used);
                    }
                }
            };

            HeapSampler() {
                for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                        heapPools.add(pool.getName());
                    }
                }
                for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                    if (gc instanceof javax.management.NotificationEmitter e) {
                        e.addNotificationListener(listener, null, null);
                        emitters.add(e);
                    }
                }
                var mx = ManagementFactory.getMemoryMXBean();
                thread = new Thread(() -> {
                    while (running) {
                        peak = Math.max(peak, mx.getHeapMemoryUsage().getUsed());
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "heap-sampler");
                thread.setDaemon(true);
                thread.start();
            }

            long peak() {
                return peak;
            }

            /** The most heap in use right after a full collection during the import; 0 if none ran. */
            long peakAfterGc() {
                return peakAfterGc;
            }

            @Override
            public void close() throws InterruptedException {
                running = false;
                thread.join();
                for (var e : emitters) {
                    try {
                        e.removeNotificationListener(listener);
                    } catch (javax.management.ListenerNotFoundException ignored) {
                        // already gone
                    }
                }
            }
        }
    }

    /** {@code tracebench bench analysis}. */
    @Command(name = "analysis", mixinStandardHelpOptions = true,
            description = "Speed of the analysis queries on a workspace (by default one generated with --traces "
                + "traces, about 11.7 spans each, kept in --dir and reused): whole-workspace and grouped breakdowns, "
                + "timeline, heatmap, root cause for a p95 cohort, opening one trace. Prints the median of --runs.")
    static final class AnalysisBench implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--workspace", paramLabel = "FILE", description = "Measure this workspace instead.")
        Path workspace;

        @Option(names = "--traces", paramLabel = "N", defaultValue = "1000000",
                description = "Traces of the generated workspace (default: ${DEFAULT-VALUE}).")
        int traces;

        @Option(names = "--dir", paramLabel = "DIR", description = "Where to keep the generated data.")
        Path dir;

        @Option(names = "--runs", paramLabel = "R", defaultValue = "5",
                description = "Runs of each query; the median is reported (default: ${DEFAULT-VALUE}).")
        int runs;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Path ws = workspace;
            if (ws == null) {
                Path base = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"), "tracebench-bench");
                Path data = base.resolve("analysis-" + traces);
                ws = data.resolve("workspace.duckdb");
                if (!Files.exists(ws)) {
                    Files.createDirectories(data);
                    Path file = TrafficGenerator.files(data, TrafficGenerator.Format.OTLP_PROTO, false).traces();
                    if (!Files.exists(file)) {
                        out.printf("generating %,d traces (slow-shard scenario) into %s...%n", traces, data);
                        out.flush();
                        TrafficGenerator.writeDirectory(new TrafficGenerator.Options(Scenario.SLOW_SHARD, traces, 1,
                                Instant.parse("2026-11-20T00:00:00Z"), 7 * 86_400L, 25),
                                TrafficGenerator.Format.OTLP_PROTO, false, data);
                    }
                    out.println("importing...");
                    out.flush();
                    long t0 = System.nanoTime();
                    try (Workspace w = Workspace.open(ws)) {
                        ImportReport r = new FileImportService(() -> w).importFile(file, ProgressListener.NONE,
                                CancellationToken.none());
                        out.printf("  %s (%.1f s)%n", r.summaryLine(), (System.nanoTime() - t0) / 1e9);
                    }
                }
            }
            try (Workspace w = Workspace.openReadOnly(ws)) {
                var stats = w.traces().stats();
                out.printf("workspace %s: %,d traces, %,d spans; JVM %s, %d cores%n", ws, stats.traces(),
                        stats.spans(), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
                var analysis = w.analysis();
                dev.tracebench.core.model.TraceId slow = analysis.breakdown(dev.tracebench.core.analysis.Cohort.slow(
                        99.9), dev.tracebench.core.analysis.GroupBy.NONE).overall().traces() > 0
                        ? slowest(w) : null;
                List<String[]> table = new ArrayList<>();
                table.add(time("breakdown, whole workspace", () -> analysis.breakdown(
                        dev.tracebench.core.analysis.Cohort.all(), dev.tracebench.core.analysis.GroupBy.NONE)));
                table.add(time("breakdown by model", () -> analysis.breakdown(dev.tracebench.core.analysis.Cohort.all(),
                        dev.tracebench.core.analysis.GroupBy.of(dev.tracebench.core.analysis.Dimension.MODEL))));
                // what selecting the largest model in the grouped table loads
                String largest = analysis.breakdown(dev.tracebench.core.analysis.Cohort.all(),
                        dev.tracebench.core.analysis.GroupBy.of(dev.tracebench.core.analysis.Dimension.MODEL)).groups()
                        .stream().map(dev.tracebench.core.analysis.Breakdown.Group::value)
                        .filter(java.util.Objects::nonNull).findFirst().orElse(null);
                if (largest != null) {
                    table.add(time("operations of one model (" + largest + ")", () -> analysis.operations(
                            dev.tracebench.core.analysis.Cohort.all(), dev.tracebench.core.analysis.GroupBy.of(
                                    dev.tracebench.core.analysis.Dimension.MODEL), largest)));
                }
                table.add(time("breakdown by service, slow:p95", () -> analysis.breakdown(
                        dev.tracebench.core.analysis.Cohort.slow(95), dev.tracebench.core.analysis.GroupBy.of(
                        dev.tracebench.core.analysis.Dimension.SERVICE))));
                table.add(time("timeline (48 buckets)", () -> analysis.timeline(
                        dev.tracebench.core.analysis.Cohort.all(), 48)));
                table.add(time("heatmap (120 x 60)", () -> analysis.heatmap(dev.tracebench.core.analysis.Cohort.all(),
                        120, 60)));
                table.add(time("root cause, slow:p95, all attributes", () -> analysis.explain(
                        dev.tracebench.core.analysis.Cohort.slow(95), dev.tracebench.core.analysis.CheckSettings
                                .DEFAULTS, CancellationToken.none())));
                if (slow != null) {
                    dev.tracebench.core.model.TraceId id = slow;
                    table.add(time("open one trace (query + waterfall model)", () -> new dev.tracebench.views.trace
                            .WaterfallModel(w.traces().trace(id).orElseThrow())));
                    table.add(time("critical path of one trace", () -> analysis.criticalPath(id)));
                }
                out.println();
                out.printf("%-42s %10s %10s%n", "query", "median ms", "max ms");
                for (String[] r : table) {
                    out.printf("%-42s %10s %10s%n", (Object[]) r);
                }
            }
            return TracebenchCli.OK;
        }

        private static dev.tracebench.core.model.TraceId slowest(Workspace w) {
            return w.traces().traces(dev.tracebench.core.query.TraceFilter.ALL, new dev.tracebench.core.query
                    .TraceSort(dev.tracebench.core.query.TraceSort.Column.DURATION, false), 0, 1).get(0).traceId();
        }

        private String[] time(String name, Callable<?> work) throws Exception {
            long[] ms = new long[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                work.call();
                ms[i] = (System.nanoTime() - t0) / 1_000_000;
            }
            long[] sorted = ms.clone();
            java.util.Arrays.sort(sorted);
            spec.commandLine().getOut().printf("  %s: %s ms%n", name, java.util.Arrays.toString(ms));
            spec.commandLine().getOut().flush();
            return new String[] {name, Long.toString(sorted[runs / 2]), Long.toString(sorted[runs - 1])};
        }
    }
}
