package dev.tracebench.core.live;

import java.time.Duration;

/**
 * How to run a live receiver.
 *
 * @param bindAddress     the address to listen on ("127.0.0.1" by default: a workbench, not a public collector)
 * @param httpPort        OTLP/HTTP port ({@code /v1/traces}; also {@code /metrics}); 0 picks a free port, -1 none
 * @param grpcPort        OTLP/gRPC port; 0 picks a free port, -1 none
 * @param maxQueuedBytes  encoded bytes accepted but not yet committed, past which requests are refused with a retry
 *                        delay (back-pressure instead of unbounded memory)
 * @param commitInterval  how often what was received is committed (and views refresh)
 */
public record LiveConfig(String bindAddress, int httpPort, int grpcPort, long maxQueuedBytes,
        Duration commitInterval) {

    public static final int DEFAULT_HTTP_PORT = 4318;
    public static final int DEFAULT_GRPC_PORT = 4317;

    public static LiveConfig defaults() {
        return new LiveConfig("127.0.0.1", DEFAULT_HTTP_PORT, DEFAULT_GRPC_PORT, 256L << 20, Duration.ofSeconds(1));
    }

    public LiveConfig withPorts(int http, int grpc) {
        return new LiveConfig(bindAddress, http, grpc, maxQueuedBytes, commitInterval);
    }
}
