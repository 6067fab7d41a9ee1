package dev.tracebench.importers.live;

import dev.tracebench.core.ingest.IngestOptions;
import dev.tracebench.core.live.LiveConfig;
import dev.tracebench.core.live.LiveReceiver;
import dev.tracebench.core.live.LiveReceivers;
import dev.tracebench.core.live.LiveStats;
import dev.tracebench.core.metrics.MetricsEndpoint;
import dev.tracebench.core.store.Workspace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Starts OTLP receivers (HTTP and gRPC, {@link OtlpHttpReceiver}, {@link OtlpGrpcReceiver}) writing into the current
 * workspace through {@link LiveIngest}. {@link #start} returns as soon as the ports are bound.
 */
public final class OtlpLiveReceivers implements LiveReceivers {
    /**
     * Decoded spans take about five times their encoded size on the heap: the queue limit is kept to a 64th of the heap
     * whatever the configuration asks (with a 1 GB heap, 16 MB encoded: about 80k spans of {@code bench live}, most of
     * a second at 100k spans/s). The writer drains the queue continuously, so it only fills while a commit finishes;
     * a larger queue mostly kept more decoded spans alive: measured with {@code bench live}, a 64 MB queue spent 6.2 s
     * of 53 s of CPU in the garbage collector (old-generation collections), a 16 MB one 1.3 s of 47 s.
     */
    private static final long HEAP_SHARE = 64;

    private final Supplier<Workspace> workspace;
    private final Supplier<IngestOptions> options;
    private final MetricsEndpoint metrics;

    /**
     * @param workspace the workspace to write into, looked up at start and at each commit
     * @param options   the normalisation rules and price table, looked up at each commit
     * @param metrics   what {@code GET /metrics} serves, or null (then it answers 404)
     */
    public OtlpLiveReceivers(Supplier<Workspace> workspace, Supplier<IngestOptions> options,
            MetricsEndpoint metrics) {
        this.workspace = workspace;
        this.options = options;
        this.metrics = metrics;
    }

    @Override
    public LiveReceiver start(LiveConfig config, Consumer<LiveStats> onCommit) throws IOException {
        if (config.httpPort() < 0 && config.grpcPort() < 0) {
            throw new IOException("neither an OTLP/HTTP nor an OTLP/gRPC port was given: nothing to listen on");
        }
        Workspace ws;
        try {
            ws = workspace.get();
        } catch (RuntimeException e) {
            throw new IOException("no workspace to receive into: " + e.getMessage(), e);
        }
        if (ws == null || ws.isReadOnly()) {
            throw new IOException("the workspace " + (ws == null ? "" : ws.path().getFileName() + " ")
                    + "is not open for writing: live traces cannot be stored in it");
        }
        String transports = config.httpPort() >= 0 && config.grpcPort() >= 0 ? "OTLP/HTTP+gRPC"
                : config.httpPort() >= 0 ? "OTLP/HTTP" : "OTLP/gRPC";
        long limit = Math.min(config.maxQueuedBytes(), Runtime.getRuntime().maxMemory() / HEAP_SHARE);
        LiveIngest ingest = new LiveIngest(workspace, options, onCommit, limit, config.commitInterval(), transports);
        OtlpHttpReceiver http = null;
        OtlpGrpcReceiver grpc = null;
        try {
            if (config.httpPort() >= 0) {
                http = OtlpHttpReceiver.start(config.bindAddress(), config.httpPort(), ingest, metrics);
            }
            if (config.grpcPort() >= 0) {
                grpc = OtlpGrpcReceiver.start(config.bindAddress(), config.grpcPort(), ingest);
            }
        } catch (IOException | RuntimeException e) {
            if (http != null) {
                http.stop();
            }
            ingest.finish();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        return new Running(config.bindAddress(), http, grpc, ingest);
    }

    /** A started receiver. */
    private static final class Running implements LiveReceiver {
        private final OtlpHttpReceiver http;
        private final OtlpGrpcReceiver grpc;
        private final LiveIngest ingest;
        private final List<String> endpoints = new ArrayList<>();
        private LiveStats last;

        Running(String bind, OtlpHttpReceiver http, OtlpGrpcReceiver grpc, LiveIngest ingest) {
            this.http = http;
            this.grpc = grpc;
            this.ingest = ingest;
            String host = bind.contains(":") ? "[" + bind + "]" : bind;
            if (http != null) {
                endpoints.add("OTLP/HTTP http://" + host + ":" + http.port() + OtlpHttpReceiver.TRACES_PATH);
            }
            if (grpc != null) {
                endpoints.add("OTLP/gRPC " + host + ":" + grpc.port());
            }
            if (http != null) {
                endpoints.add("metrics http://" + host + ":" + http.port() + "/metrics");
            }
        }

        @Override
        public List<String> endpoints() {
            return List.copyOf(endpoints);
        }

        @Override
        public LiveStats stats() {
            return ingest.stats();
        }

        @Override
        public java.util.Map<String, Long> timings() {
            return ingest.timings();
        }

        @Override
        public synchronized LiveStats stop() {
            if (last == null) {
                ingest.refuseNew();
                if (http != null) {
                    http.stop();
                }
                if (grpc != null) {
                    grpc.stop();
                }
                last = ingest.finish();
            }
            return last;
        }
    }
}
