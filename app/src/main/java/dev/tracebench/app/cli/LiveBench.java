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
            + "Reports spans per second received and committed, the load average while measuring, and checks that "
            + "the spans the clients had acknowledged, the receiver stored and the workspace holds are the same.")
final class LiveBench implements Callable<Integer> {
    private static final int BATCH = 512;
    private static final int TRACE_SPANS = 8;
    private static final int RESENDS = 10;
    /** Held so the level set on it stays: the exporters log every refused request, which is expected here. */
    private static final java.util.logging.Logger SDK_LOG = java.util.logging.Logger.getLogger("io.opentelemetry");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--spans", paramLabel = "N", defaultValue = "3000000",
            description = "Spans to send (default: ${DEFAULT-VALUE}).")
    long spans;

    @Option(names = "--clients", paramLabel = "K", defaultValue = "4",
            description = "Sending threads, each with its own exporter (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to put the temporary workspace (default: the "
            + "system temp folder).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        SDK_LOG.setLevel(java.util.logging.Level.SEVERE);
        Path tmp = Files.createTempDirectory(dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : dir,
                "tracebench-live-bench");
        Path wsFile = tmp.resolve("live.duckdb");
        List<SpanData> template = template();
        try (Workspace ws = Workspace.open(wsFile)) {
            LiveReceiver receiver = new OtlpLiveReceivers(() -> ws, () -> IngestOptions.DEFAULT, null)
                    .start(LiveConfig.defaults().withPorts(0, 0), null);
            out.println("receiver: " + String.join(", ", receiver.endpoints()));
            out.printf(Locale.ROOT, "sending %,d spans from %d clients in batches of %d%n", spans, clients, BATCH);
            out.flush();
            AtomicLong nextBatch = new AtomicLong();
            long batches = (spans + BATCH - 1) / BATCH;
            AtomicLong acknowledged = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            AtomicLong resent = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            List<Double> loads = new ArrayList<>();
            long cpu0 = processCpuNs();
            long t0 = System.nanoTime();
            for (int k = 0; k < clients; k++) {
                SpanExporter exporter = exporter(k, receiver);
                Thread t = new Thread(() -> {
                    try {
                        long b;
                        while ((b = nextBatch.getAndIncrement()) < batches) {
                            int n = (int) Math.min(BATCH, spans - b * BATCH);
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
                    if (System.nanoTime() - lastPrint > TimeUnit.SECONDS.toNanos(5)) {
                        lastPrint = System.nanoTime();
                        double load = loadAverage();
                        loads.add(load);
                        LiveStats s = receiver.stats();
                        out.printf(Locale.ROOT, "  %,d acknowledged, %s, load %.2f%n", acknowledged.get(),
                                ServeCommand.statusLine(s), load);
                        out.flush();
                    }
                }
            }
            long sent = System.nanoTime() - t0;
            LiveStats last = receiver.stop();
            long committed = System.nanoTime() - t0;
            double cpuS = (processCpuNs() - cpu0) / 1e9;
            long stored = ws.traces().stats().spans();
            double sentS = sent / 1e9;
            double committedS = committed / 1e9;
            out.printf(Locale.ROOT, "acknowledged %,d spans in %.1f s: %,.0f spans/s received%n", acknowledged.get(),
                    sentS, acknowledged.get() / sentS);
            out.printf(Locale.ROOT, "committed %,d spans in %.1f s: %,.0f spans/s end to end (%,d commits, %,d "
                    + "requests throttled and retried)%n", last.spansStored(), committedS,
                    last.spansStored() / committedS, last.commits(), last.requestsThrottled());
            out.printf(Locale.ROOT, "load average while measuring: %s (now %.2f; %d cores)%n", loads.isEmpty()
                    ? "-" : loads.stream().map(l -> String.format(Locale.ROOT, "%.2f", l)).toList(), loadAverage(),
                    Runtime.getRuntime().availableProcessors());
            // on a shared machine the wall-clock rate says more about the neighbours than about Tracebench
            out.printf(Locale.ROOT, "CPU used by this process (clients and receiver): %.1f s, %,.0f spans per "
                    + "CPU-second%n", cpuS, last.spansStored() / cpuS);
            boolean equal = acknowledged.get() == last.spansStored() && last.spansStored() == stored
                    && failed.get() == 0;
            out.printf(Locale.ROOT, "counts: client acknowledged %,d, client gave up on %,d (re-sent after the "
                    + "exporter's own retries ran out: %,d), receiver stored %,d, workspace holds %,d: %s%n",
                    acknowledged.get(), failed.get(), resent.get(), last.spansStored(), stored,
                    equal ? "equal, no loss" : "NOT EQUAL");
            if (last.lastProblem() != null) {
                out.println("last problem: " + last.lastProblem());
            }
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

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }
    }
}
