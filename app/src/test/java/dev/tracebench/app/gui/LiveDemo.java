package dev.tracebench.app.gui;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.live.LiveConfig;
import dev.tracebench.core.live.LiveReceiver;
import dev.tracebench.core.live.LiveReceivers;
import dev.tracebench.core.live.LiveStats;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.TraceFilter;
import dev.tracebench.core.query.TraceSort;
import dev.tracebench.core.recommend.ModelWeight;
import dev.tracebench.core.recommend.Recommendation;
import dev.tracebench.core.recommend.RecommendationKind;
import dev.tracebench.core.recommend.RecommendationService;
import dev.tracebench.core.recommend.Recommendations;
import dev.tracebench.core.recommend.TracingOverhead;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.FileImportService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * A manual look (and the screenshots) at Receive Live Traces and the Recommendations area before the real receiver
 * and recommendation service are in the build: the main window on $TRACEBENCH_HOME's default workspace, with a
 * simulated receiver that stores generated OTLP JSON traffic through the file importer (a few hundred traces a
 * second, varying) and a recommendation service answering with fixed recommendations that point at real traces of
 * the workspace. Argument "live" opens the Receive Live Traces form once the workspace is open; "real" keeps the real
 * receiver and recommendations (then send traffic with {@code tracebench generate --send URL}). Run with the app's
 * jar and test classes on the classpath; dev only.
 */
public final class LiveDemo {
    private LiveDemo() {
    }

    public static void main(String[] args) {
        Application.launch(App.class, args);
    }

    /** The application. */
    public static final class App extends Application {
        private MainWindow window;

        @Override
        public void start(Stage stage) {
            AppHome home = AppHome.fromEnvironment();
            window = new MainWindow(stage, new WorkspaceOpener(home));
            if (!getParameters().getRaw().contains("real")) {
                window.setLiveReceivers(Simulated::new);
                window.setRecommendations(App::planted);
            }
            window.show();
            window.openWorkspace(home.defaultWorkspace());
            if (getParameters().getRaw().contains("live")) {
                Thread t = new Thread(() -> {
                    while (true) {
                        try {
                            Thread.sleep(500);
                        } catch (InterruptedException e) {
                            return;
                        }
                        AtomicBoolean open = new AtomicBoolean();
                        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
                        Platform.runLater(() -> {
                            open.set(window.workspace() != null);
                            asked.countDown();
                        });
                        try {
                            asked.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        if (open.get()) {
                            Platform.runLater(window::receiveLive);
                            return;
                        }
                    }
                });
                t.setDaemon(true);
                t.start();
            }
        }

        @Override
        public void stop() {
            window.shutdown();
        }

        private static RecommendationService planted(Workspace ws) {
            return (options, cancel) -> {
                List<Finding.Exemplar> traces = ws.traces().traces(TraceFilter.ALL, TraceSort.NEWEST_FIRST, 0, 3)
                        .stream()
                        .map(s -> Finding.Exemplar.of(s.traceId())).toList();
                return new Recommendations(Instant.parse("2026-11-20T00:00:00Z"),
                        Instant.parse("2026-11-23T00:00:00Z"), List.of(
                        new Recommendation(RecommendationKind.TRAFFIC, Severity.CRITICAL,
                                "model gpt-4o-mini-2025-01-20", "Shift traffic away from gpt-4o-mini-2025-01-20: "
                                        + "4.1% errors and p95 2.4 s vs 0.6% and 1.2 s on gpt-4o-mini-2024-07-18",
                                "Since the rollout on 2026-11-21 the new version fails seven times as often and is "
                                        + "twice as slow at p95, with a lower eval pass rate. Move its share to the "
                                        + "previous version (weights below) and watch the error rate.",
                                List.of(new Recommendation.Fact("error rate", "4.1% (vs 0.6%)"),
                                        new Recommendation.Fact("p95 latency", "2.4 s (vs 1.2 s)"),
                                        new Recommendation.Fact("eval pass rate", "81% (vs 93%)"),
                                        new Recommendation.Fact("requests", "9,000 of 18,000")), traces),
                        new Recommendation(RecommendationKind.SCALE_UP, Severity.WARNING, "service answer-api",
                                "Scale up answer-api: p95 4.2 s breaches its 2 s objective (burn rate 6.1×)",
                                "Queue time makes up most of the p95 in the last hour.",
                                List.of(new Recommendation.Fact("p95", "4.2 s"),
                                        new Recommendation.Fact("queue time p95", "2.9 s")), List.of()),
                        new Recommendation(RecommendationKind.CACHE, Severity.NOTICE, "collection kb-archive",
                                "Semantic cache hit rate fell from 38% to 12% for kb-archive",
                                "Misses cost 640 ms each at the median.", List.of(), List.of()),
                        new Recommendation(RecommendationKind.SAMPLING, Severity.INFO, "service retriever",
                                "Sample cache.lookup spans: 8,000 spans, 1.9 MiB, never on a critical path",
                                "They are always under a millisecond.", List.of(), List.of())),
                        List.of(new ModelWeight("gpt-4o-mini-2024-07-18", 9_000, 0.006, 1_200_000_000L, 0.93, 0.5,
                                        0.8, "gpt-4o-mini"),
                                new ModelWeight("gpt-4o-mini-2025-01-20", 9_000, 0.041, 2_400_000_000L, 0.81, 0.5,
                                        0.2, "gpt-4o-mini"),
                                new ModelWeight("claude-3-5-haiku", 1_000, 0.01, 900_000_000L, Double.NaN, 1.0, 1.0,
                                        "claude-haiku")),
                        new TracingOverhead(35_194, 14_800_000, List.of(
                                new TracingOverhead.Row("answer-api", "llm", "chat gpt-4o-mini", 6_000, 7_900_000,
                                        5_100_000, false, "on the critical path of most slow requests"),
                                new TracingOverhead.Row("retriever", "retrieval", "cache.lookup", 8_000, 2_000_000,
                                        500_000, true, "always under 1 ms; never on a critical path"),
                                new TracingOverhead.Row("retriever", "retrieval", "vector.search", 3_000, 1_900_000,
                                        1_100_000, false, "slow for tenant acme"))));
            };
        }
    }

    /** A receiver that generates traffic into the workspace instead of listening. */
    static final class Simulated implements LiveReceivers {
        private final Workspace ws;

        Simulated(Workspace ws) {
            this.ws = ws;
        }

        @Override
        public LiveReceiver start(LiveConfig config, Consumer<LiveStats> onCommit) {
            Instant started = Instant.now();
            LiveStats[] stats = {new LiveStats(started, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null)};
            AtomicBoolean stop = new AtomicBoolean();
            Thread t = new Thread(() -> {
                long n = 0;
                try {
                    Path dir = Files.createTempDirectory("live-demo");
                    while (!stop.get()) {
                        int traces = (int) (60 + 40 * Math.sin(n / 6.0) + (n % 7) * 5);
                        Path f = dir.resolve("batch.json");
                        Files.writeString(f, batch(n, traces));
                        long t0 = System.nanoTime();
                        long spans = new FileImportService(() -> ws).importFile(f, ProgressListener.NONE,
                                CancellationToken.none()).spansAdded();
                        double secs = Math.max(0.25, (System.nanoTime() - t0) / 1e9);
                        LiveStats s = stats[0];
                        stats[0] = new LiveStats(started, s.requests() + 1, s.spansReceived() + spans,
                                s.spansStored() + spans, s.spansRejected() + (n % 9 == 4 ? 1 : 0),
                                s.requestsThrottled() + (n % 13 == 6 ? 1 : 0), s.commits() + 1,
                                s.tracesStored() + traces, (long) (spans * 0.3), (long) (spans * 0.3) * 410,
                                spans / secs, Instant.now(), s.spansRejected() > 0 ? "request "
                                + (s.requests() - 2) + " from 127.0.0.1:53122: span 4 of trace " + String.format(
                                "%032x", n) + " has an empty span id; 119 other spans kept" : null);
                        onCommit.accept(stats[0]);
                        Thread.sleep(250);
                        n++;
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }, "live-demo");
            t.setDaemon(true);
            t.start();
            return new LiveReceiver() {
                @Override
                public List<String> endpoints() {
                    return List.of("OTLP/HTTP http://" + config.bindAddress() + ":" + config.httpPort()
                            + "/v1/traces", "OTLP/gRPC " + config.bindAddress() + ":" + config.grpcPort());
                }

                @Override
                public LiveStats stats() {
                    return stats[0];
                }

                @Override
                public LiveStats stop() {
                    stop.set(true);
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    LiveStats s = stats[0];
                    stats[0] = new LiveStats(s.started(), s.requests(), s.spansReceived(), s.spansStored()
                            + s.queuedSpans(), s.spansRejected(), s.requestsThrottled(), s.commits() + 1,
                            s.tracesStored(), 0, 0, 0, Instant.now(), s.lastProblem());
                    return stats[0];
                }
            };
        }

        /** {@code traces} traces of three spans each, starting now. */
        private static String batch(long n, int traces) {
            long now = Instant.now().toEpochMilli() * 1_000_000L;
            StringBuilder sb = new StringBuilder("{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":"
                    + "\"service.name\",\"value\":{\"stringValue\":\"live-demo\"}}]},\"scopeSpans\":[{\"spans\":[");
            for (int i = 0; i < traces; i++) {
                String trace = String.format("%016x%016x", now, (long) i);
                long start = now - i * 3_000_000L;
                long dur = 200_000_000L + (i * 7919L % 900) * 1_000_000L;
                span(sb, i > 0, trace, 1, 0, "POST /chat", start, start + dur);
                span(sb, true, trace, 2, 1, "retrieve", start + 5_000_000, start + 60_000_000);
                span(sb, true, trace, 3, 1, "chat gpt-4o-mini", start + 65_000_000, start + dur - 5_000_000);
            }
            return sb.append("]}]}]}\n").toString();
        }

        private static void span(StringBuilder sb, boolean comma, String trace, int id, int parent, String name,
                long start, long end) {
            sb.append(comma ? "," : "").append("{\"traceId\":\"").append(trace).append("\",\"spanId\":\"")
                    .append(String.format("%016x", id)).append('"');
            if (parent > 0) {
                sb.append(",\"parentSpanId\":\"").append(String.format("%016x", parent)).append('"');
            }
            sb.append(",\"name\":\"").append(name).append("\",\"startTimeUnixNano\":\"").append(start)
                    .append("\",\"endTimeUnixNano\":\"").append(end).append("\"}");
        }
    }
}
