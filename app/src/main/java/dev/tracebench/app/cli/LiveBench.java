package dev.tracebench.app.cli;

import dev.tracebench.core.ingest.IngestOptions;
import dev.tracebench.core.live.LiveConfig;
import dev.tracebench.core.live.LiveReceiver;
import dev.tracebench.core.live.LiveStats;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.importers.live.OtlpLiveReceivers;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tracebench bench live}: the live receiver driven by the OpenTelemetry SDK's own OTLP exporters in the same
 * JVM, end to end (received and committed), with the spans counted on both ends.
 */
@Command(name = "live", mixinStandardHelpOptions = true,
        description = "Start the live receiver on a temporary workspace and send it --spans spans from --clients "
            + "clients (half OTLP/gRPC, half OTLP/HTTP protobuf), each calling the SDK exporter's export() with "
            + "prebuilt batches of 512 spans (8-span traces of an LLM application) and waiting for the answer. "
            + "After a warm-up (--warmup spans, committed before measuring starts), reports spans per second received "
            + "and committed, the load average, the CPU used by thread and by the commits' steps, and checks that "
            + "the spans the clients had acknowledged, the receiver stored and the workspace holds are the same.")
final class LiveBench implements Callable<Integer> {
    private static final int BATCH = 512;
    private static final int TRACE_SPANS = 8;
    private static final int RESENDS = 10;
    /** Held so the level set on it stays: the exporters log every refused request, which is expected here. */
    private static final java.util.logging.Logger SDK_LOG = java.util.logging.Logger.getLogger("io.opentelemetry");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--spans", paramLabel = "N", defaultValue = "10000000",
            description = "Spans to send (default: ${DEFAULT-VALUE}).")
    long spans;

    @Option(names = "--clients", paramLabel = "K", defaultValue = "4",
            description = "Sending threads, each with its own exporter (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to put the temporary workspace (default: the "
            + "system temp folder).")
    Path dir;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "2000000",
            description = "Spans sent first, before measuring, so that the JIT compiler has compiled the paths a "
                + "running receiver uses (counted in the totals check, not in the rates; default: ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--queue-mb", paramLabel = "MB", description = "The receiver's queue limit (encoded MB; default: "
            + "the receiver's own, at most a 64th of the heap).")
    Long queueMb;

    @Option(names = "--commit-ms", paramLabel = "MS", description = "The commit interval (default: the receiver's "
            + "own, 1 s).")
    Long commitMs;

    /** What one round of sending did. */
    private record Round(long acknowledged, long failed, long resent, double seconds) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        SDK_LOG.setLevel(java.util.logging.Level.SEVERE);
        Path tmp = Files.createTempDirectory(dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : dir,
                "tracebench-live-bench");
        Path wsFile = tmp.resolve("live.duckdb");
        List<SpanData> template = template();
        LiveConfig config = LiveConfig.defaults().withPorts(0, 0);
        if (queueMb != null || commitMs != null) {
            config = new LiveConfig(config.bindAddress(), 0, 0, queueMb == null ? config.maxQueuedBytes()
                    : queueMb << 20, commitMs == null ? config.commitInterval()
                    : java.time.Duration.ofMillis(commitMs));
        }
        try (Workspace ws = Workspace.open(wsFile)) {
            LiveReceiver receiver = new OtlpLiveReceivers(() -> ws, () -> IngestOptions.DEFAULT, null)
                    .start(config, null);
            out.println("receiver: " + String.join(", ", receiver.endpoints()));
            Round warm = null;
            if (warmup > 0) {
                out.printf(Locale.ROOT, "warming up: %,d spans from %d clients%n", warmup, clients);
                out.flush();
                warm = send(receiver, template, 0, warmup, null, null);
                // measuring starts when the warm-up is committed, so its backlog does not count as measured
                long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (receiver.stats().spansStored() < warm.acknowledged() && System.nanoTime() < wait) {
                    Thread.sleep(20);
                }
                out.printf(Locale.ROOT, "  %,d spans in %.1f s (%,.0f spans/s, not counted below)%n",
                        warm.acknowledged(), warm.seconds(), warm.acknowledged() / warm.seconds());
            }
            out.printf(Locale.ROOT, "sending %,d spans from %d clients in batches of %d%n", spans, clients, BATCH);
            out.flush();
            LiveStats before = receiver.stats();
            java.util.Map<String, Long> timings0 = receiver.timings();
            ThreadCpu threadCpu = new ThreadCpu();
            List<Double> loads = new ArrayList<>();
            long cpu0 = processCpuNs();
            long firstBatch = (warmup + BATCH - 1) / BATCH;
            Round round = send(receiver, template, firstBatch, spans, loads, threadCpu);
            LiveStats last = receiver.stop();
            double committedS = (System.nanoTime() - threadCpu.started) / 1e9;
            double cpuS = (processCpuNs() - cpu0) / 1e9;
            long stored = ws.traces().stats().spans();
            long storedHere = last.spansStored() - before.spansStored();
            out.printf(Locale.ROOT, "acknowledged %,d spans in %.1f s: %,.0f spans/s received%n", round.acknowledged(),
                    round.seconds(), round.acknowledged() / round.seconds());
            out.printf(Locale.ROOT, "committed %,d spans in %.1f s: %,.0f spans/s end to end (%,d commits, %,d "
                    + "requests throttled and retried)%n", storedHere, committedS, storedHere / committedS,
                    last.commits() - before.commits(), last.requestsThrottled() - before.requestsThrottled());
            out.printf(Locale.ROOT, "load average while measuring: %s (now %.2f; %d cores)%n", loads.isEmpty()
                    ? "-" : loads.stream().map(l -> String.format(Locale.ROOT, "%.2f", l)).toList(), loadAverage(),
                    Runtime.getRuntime().availableProcessors());
            // on a shared machine the wall-clock rate says more about the neighbours than about Tracebench
            out.printf(Locale.ROOT, "CPU used by this process (clients and receiver): %.1f s, %,.0f spans per "
                    + "CPU-second%n", cpuS, storedHere / cpuS);
            out.println("CPU by thread (ms): " + threadCpu.report());
            java.util.Map<String, Long> timings = new java.util.TreeMap<>(receiver.timings());
            timings.replaceAll((k, v) -> v - timings0.getOrDefault(k, 0L));
            out.println("where the commits spent their time (ms, summed over commits): " + timings);
            long sent = round.acknowledged() + (warm == null ? 0 : warm.acknowledged());
            long gaveUp = round.failed() + (warm == null ? 0 : warm.failed());
            boolean equal = sent == last.spansStored() && last.spansStored() == stored && gaveUp == 0;
            out.printf(Locale.ROOT, "counts (warm-up included): client acknowledged %,d, client gave up on %,d "
                    + "(re-sent after the exporter's own retries ran out: %,d), receiver stored %,d, workspace holds "
                    + "%,d: %s%n", sent, gaveUp, round.resent() + (warm == null ? 0 : warm.resent()),
                    last.spansStored(), stored, equal ? "equal, no loss" : "NOT EQUAL");
            if (last.lastProblem() != null) {
                out.println("last problem: " + last.lastProblem());
            }
            // what is committed sits in DuckDB's write-ahead log until a checkpoint moves it into the database
            // file; closing makes that checkpoint, which a receiver running on would make along the way
            long c0 = System.nanoTime();
            ws.close();
            out.printf(Locale.ROOT, "closing the workspace (DuckDB's checkpoint of what is still in its write-ahead "
                    + "log) took %.1f s more%n", (System.nanoTime() - c0) / 1e9);
            return equal ? TracebenchCli.OK : TracebenchCli.REJECTED_RECORDS;
        } finally {
            try (var files = Files.list(tmp)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Sends {@code count} spans, batches numbered from {@code firstBatch} (so ids never repeat), from the clients;
     * prints a status line every 5 s when {@code loads} is given.
     */
    private Round send(LiveReceiver receiver, List<SpanData> template, long firstBatch, long count,
            List<Double> loads, ThreadCpu threadCpu) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        AtomicLong nextBatch = new AtomicLong(firstBatch);
        long endBatch = firstBatch + (count + BATCH - 1) / BATCH;
        long lastSpans = count - (endBatch - firstBatch - 1) * BATCH;
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong resent = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int k = 0; k < clients; k++) {
            SpanExporter exporter = exporter(k, receiver);
            Thread t = new Thread(() -> {
                try {
                    long b;
                    while ((b = nextBatch.getAndIncrement()) < endBatch) {
                        int n = (int) (b == endBatch - 1 ? lastSpans : BATCH);
                        List<SpanData> batch = batch(template, b, n);
                        // as a Collector's sending queue does: a batch the exporter gave up on (its retries
                        // ran out while the receiver was refusing) is sent again, a few times at most
                        boolean ok = false;
                        for (int attempt = 0; attempt < RESENDS && !ok; attempt++) {
                            if (attempt > 0) {
                                resent.addAndGet(n);
                            }
                            ok = exporter.export(batch).join(60, TimeUnit.SECONDS).isSuccess();
                        }
                        (ok ? acknowledged : failed).addAndGet(n);
                    }
                } finally {
                    exporter.shutdown().join(10, TimeUnit.SECONDS);
                }
            }, "live-bench-client-" + k);
            threads.add(t);
            t.start();
        }
        long lastPrint = System.nanoTime();
        for (Thread t : threads) {
            while (t.isAlive()) {
                t.join(1000);
                if (threadCpu != null) {
                    threadCpu.sample();
                }
                if (loads != null && System.nanoTime() - lastPrint > TimeUnit.SECONDS.toNanos(5)) {
                    lastPrint = System.nanoTime();
                    double load = loadAverage();
                    loads.add(load);
                    out.printf(Locale.ROOT, "  %,d acknowledged, %s, load %.2f%n", acknowledged.get(),
                            ServeCommand.statusLine(receiver.stats()), load);
                    out.flush();
                }
            }
        }
        return new Round(acknowledged.get(), failed.get(), resent.get(), (System.nanoTime() - t0) / 1e9);
    }

    /** Even clients send OTLP/gRPC, odd ones OTLP/HTTP protobuf. */
    private static SpanExporter exporter(int k, LiveReceiver receiver) {
        String kind = k % 2 == 0 ? "OTLP/gRPC" : "OTLP/HTTP";
        String endpoint = receiver.endpoints().stream().filter(e -> e.startsWith(kind)).findFirst().orElseThrow()
                .substring(kind.length() + 1);
        if (k % 2 == 0) {
            return OtlpGrpcSpanExporter.builder().setEndpoint("http://" + endpoint).build();
        }
        return OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build();
    }

    /**
     * One trace made by the SDK's tracer: an agent run with retrieval, LLM calls and a tool call, with the attributes
     * such spans carry.
     */
    private static List<SpanData> template() {
        List<SpanData> out = new ArrayList<>();
        SpanExporter collect = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> s) {
                out.addAll(s);
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), "support-assistant",
                AttributeKey.stringKey("deployment.environment"), "bench")));
        try (SdkTracerProvider provider = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(SimpleSpanProcessor.create(collect)).build()) {
            Tracer tracer = provider.get("tracebench-bench", "1.0");
            long t = System.currentTimeMillis() * 1_000_000L;
            Span root = tracer.spanBuilder("POST /chat").setSpanKind(SpanKind.SERVER)
                    .setStartTimestamp(t, TimeUnit.NANOSECONDS).setAttribute("http.route", "/chat")
                    .setAttribute("tenant", "t-acme").startSpan();
            Context ctx = Context.root().with(root);
            for (int i = 1; i < TRACE_SPANS; i++) {
                String name = i % 3 == 0 ? "retrieve" : i % 3 == 1 ? "chat gpt-4o-mini" : "execute_tool search";
                Span s = tracer.spanBuilder(name).setParent(ctx).setSpanKind(SpanKind.CLIENT)
                        .setStartTimestamp(t + i * 10_000_000L, TimeUnit.NANOSECONDS)
                        .setAttribute("gen_ai.system", "openai").setAttribute("gen_ai.request.model", "gpt-4o-mini")
                        .setAttribute("gen_ai.usage.input_tokens", 400L + i)
                        .setAttribute("gen_ai.usage.output_tokens", 120L + i).startSpan();
                s.end(t + i * 10_000_000L + 8_000_000L, TimeUnit.NANOSECONDS);
            }
            root.end(t + TRACE_SPANS * 10_000_000L, TimeUnit.NANOSECONDS);
        }
        // parents first, as the template is copied trace by trace
        out.sort((a, b) -> Boolean.compare(a.getParentSpanContext().isValid(), b.getParentSpanContext().isValid()));
        return out;
    }

    private static final java.util.HexFormat HEX = java.util.HexFormat.of();

    /** Batch {@code b}: copies of the template trace with ids unique to the batch (trace id from b and the copy). */
    private static List<SpanData> batch(List<SpanData> template, long b, int n) {
        List<SpanData> out = new ArrayList<>(n);
        SpanContext root = null;
        for (int i = 0; i < n; i++) {
            long copy = (b * BATCH + i) / TRACE_SPANS;
            int within = (int) ((b * BATCH + i) % TRACE_SPANS);
            // HexFormat, not String.format: the client's own work should be the SDK's, not formatting ids
            String traceId = HEX.toHexDigits(0x7b000000L + copy) + HEX.toHexDigits(copy * 0x9E3779B97F4A7C15L | 1);
            SpanData t = template.get(within);
            SpanContext ctx = SpanContext.create(traceId, HEX.toHexDigits((copy << 4 | within) + 1),
                    TraceFlags.getSampled(), TraceState.getDefault());
            if (within == 0) {
                root = ctx;
            }
            SpanContext parent = within == 0 || root == null ? SpanContext.getInvalid() : root;
            out.add(new Copy(t, ctx, parent));
        }
        return out;
    }

    /** A template span under other ids. */
    private static final class Copy extends DelegatingSpanData {
        private final SpanContext context;
        private final SpanContext parent;

        Copy(SpanData template, SpanContext context, SpanContext parent) {
            super(template);
            this.context = context;
            this.parent = parent;
        }

        @Override
        public SpanContext getSpanContext() {
            return context;
        }

        @Override
        public SpanContext getParentSpanContext() {
            return parent;
        }
    }

    private static long processCpuNs() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    /**
     * CPU time (user + system) of this process's threads while measuring, from /proc (Linux; nothing elsewhere), by
     * the name the OS knows (15 characters; digits dropped so a pool's threads add up); sampled every second, so
     * threads that end in between (an ingest's, one per commit) count up to their last sample. DuckDB's own threads
     * are named like the process ("java").
     */
    private static final class ThreadCpu {
        final long started = System.nanoTime();
        private final java.util.Map<String, Long> start = new java.util.HashMap<>();
        private final java.util.Map<String, Long> now = new java.util.HashMap<>();
        private final java.util.Map<String, String> names = new java.util.HashMap<>();

        ThreadCpu() {
            read(start);
        }

        void sample() {
            read(now);
        }

        private void read(java.util.Map<String, Long> into) {
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        String tid = task.getFileName().toString();
                        into.put(tid, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10);
                        if (!names.containsKey(tid)) {
                            names.put(tid, Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+", "#"));
                        }
                    } catch (IOException | RuntimeException e) {
                        // the thread ended while being read
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux
            }
        }

        /** Largest first, without those under 0.2 s. */
        String report() {
            java.util.Map<String, Long> out = new java.util.HashMap<>();
            for (var e : now.entrySet()) {
                out.merge(names.get(e.getKey()), e.getValue() - start.getOrDefault(e.getKey(), 0L), Long::sum);
            }
            return out.entrySet().stream().filter(e -> e.getValue() >= 200)
                    .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
        }
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }
    }
}
