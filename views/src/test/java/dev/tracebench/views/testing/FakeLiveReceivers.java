package dev.tracebench.views.testing;

import dev.tracebench.core.live.LiveConfig;
import dev.tracebench.core.live.LiveReceiver;
import dev.tracebench.core.live.LiveReceivers;
import dev.tracebench.core.live.LiveStats;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Live receivers whose traffic the test drives: {@link #receive} changes the counts the receiver reports, and
 * {@link #commit} stores what is queued and calls the commit callback (from the test's thread, as the receiver's
 * writer thread would). {@link #refuse} makes the next start fail as a port in use does.
 */
public final class FakeLiveReceivers implements LiveReceivers {
    public static final Instant STARTED = Instant.parse("2026-12-06T10:00:00Z");

    /** The configurations started, in order. */
    public final List<LiveConfig> started = new CopyOnWriteArrayList<>();
    private volatile String refusal;
    private volatile Fake current;

    /** The next start fails with this message (null: it succeeds). */
    public void refuse(String message) {
        refusal = message;
    }

    /** The last receiver started (null before). */
    public Fake current() {
        return current;
    }

    @Override
    public LiveReceiver start(LiveConfig config, Consumer<LiveStats> onCommit) throws IOException {
        started.add(config);
        String r = refusal;
        if (r != null) {
            refusal = null;
            throw new IOException(r);
        }
        Fake f = new Fake(config, onCommit);
        current = f;
        return f;
    }

    /** A receiver whose counts are set by the test. */
    public static final class Fake implements LiveReceiver {
        private final LiveConfig config;
        private final Consumer<LiveStats> onCommit;
        private volatile LiveStats stats = new LiveStats(STARTED, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null);
        public volatile int stops;

        Fake(LiveConfig config, Consumer<LiveStats> onCommit) {
            this.config = config;
            this.onCommit = onCommit;
        }

        @Override
        public List<String> endpoints() {
            return List.of("OTLP/HTTP http://" + config.bindAddress() + ":" + config.httpPort() + "/v1/traces",
                    "OTLP/gRPC " + config.bindAddress() + ":" + config.grpcPort());
        }

        @Override
        public LiveStats stats() {
            return stats;
        }

        /** A request of {@code spans} spans ({@code rejected} of them bad) arrives at {@code rate} spans/s. */
        public synchronized void receive(long spans, long rejected, double rate, String problem) {
            LiveStats s = stats;
            stats = new LiveStats(s.started(), s.requests() + 1, s.spansReceived() + spans, s.spansStored(),
                    s.spansRejected() + rejected, s.requestsThrottled(), s.commits(), s.tracesStored(),
                    s.queuedSpans() + spans - rejected, s.queuedBytes() + 100 * (spans - rejected), rate,
                    s.lastCommit(), problem == null ? s.lastProblem() : problem);
        }

        /** A request refused for back-pressure. */
        public synchronized void throttle() {
            LiveStats s = stats;
            stats = new LiveStats(s.started(), s.requests() + 1, s.spansReceived(), s.spansStored(),
                    s.spansRejected(), s.requestsThrottled() + 1, s.commits(), s.tracesStored(), s.queuedSpans(),
                    s.queuedBytes(), s.spansPerSecond(), s.lastCommit(), s.lastProblem());
        }

        /** Commits what is queued as {@code traces} more traces and calls the commit callback. */
        public void commit(long traces) {
            LiveStats c;
            synchronized (this) {
                LiveStats s = stats;
                c = new LiveStats(s.started(), s.requests(), s.spansReceived(), s.spansStored() + s.queuedSpans(),
                        s.spansRejected(), s.requestsThrottled(), s.commits() + 1, s.tracesStored() + traces, 0, 0,
                        s.spansPerSecond(), STARTED.plusSeconds(s.commits() + 1), s.lastProblem());
                stats = c;
            }
            onCommit.accept(c);
        }

        @Override
        public LiveStats stop() {
            stops++;
            if (stats.queuedSpans() > 0) {
                commit(0);
            }
            LiveStats s = stats;
            stats = new LiveStats(s.started(), s.requests(), s.spansReceived(), s.spansStored(), s.spansRejected(),
                    s.requestsThrottled(), s.commits(), s.tracesStored(), 0, 0, 0, s.lastCommit(), s.lastProblem());
            return stats;
        }
    }
}
