package dev.tracebench.core.live;

import java.util.List;

/**
 * A running OTLP receiver (HTTP and/or gRPC) writing what it receives into a workspace, through the same
 * normalisation and analysis as file imports. What the shell's "Receive Live Traces" panel and {@code tracebench serve}
 * show and stop.
 */
public interface LiveReceiver extends AutoCloseable {

    /** Where senders reach it, e.g. "OTLP/HTTP http://127.0.0.1:4318/v1/traces", "OTLP/gRPC 127.0.0.1:4317". */
    List<String> endpoints();

    /** The counts so far; cheap, callable from any thread (the GUI polls it a few times a second). */
    LiveStats stats();

    /**
     * Stops accepting (new requests are refused), commits everything already accepted, and returns the final counts.
     * Idempotent.
     */
    LiveStats stop();

    /**
     * Where the commits so far spent their time, milliseconds summed over commits (the ingest's own timings: waiting,
     * appending, analysis, CPU per thread); for benchmarks. Empty if the receiver does not keep them.
     */
    default java.util.Map<String, Long> timings() {
        return java.util.Map.of();
    }

    @Override
    default void close() {
        stop();
    }
}
