package dev.tracebench.importers.live;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.IngestOptions;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.live.LiveStats;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.report.Secrets;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.TraceFormat;
import dev.tracebench.importers.common.CheckingSession;
import dev.tracebench.importers.common.RecordingSession;
import dev.tracebench.importers.otlpjson.OtlpJsonImporter;
import dev.tracebench.importers.otlpproto.OtlpProtoFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What both transports share: decoding and checking an export request where it arrives (so the answer can name the
 * spans it refuses), the bounded queue of accepted requests, and the writer thread that hands them to
 * {@link Workspace#ingest}, the same path (normalisation, checks, per-trace analysis) as a file import.
 *
 * <p>Back-pressure: a request is admitted only while the encoded bytes of the requests waiting in the queue stay
 * within the limit (a request is always admitted into an empty queue, so none is too big to ever get in); otherwise it
 * is refused and the sender retries later. Decoded spans take a few times their encoded size on the heap, which is
 * why the receiver caps the limit by the heap ({@link OtlpLiveReceivers}).
 *
 * <p>Commits: the writer keeps one ingest open for a commit interval, handing it each request as soon as it is
 * queued (decoded spans are short-lived, so they die young instead of filling the old generation, and the ingest's
 * threads work while requests arrive), then commits it and opens the next. Each commit is one transaction and one
 * {@code imports} row named after the receiver's start and the commit's number ("live OTLP 2026-12-06 17:05:01
 * #12"), so the Imports area lists a session's commits together. A trace whose spans arrive in several commits is
 * analysed again from the workspace by the ingest of each later commit. Accepted spans are acknowledged before they
 * are committed, as a Collector's exporter does; stopping commits everything accepted.
 */
final class LiveIngest {
    static final String FORMAT = "otlp-live";
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** Rejected spans named in one partial-success message; the count covers all of them. */
    private static final int NAMED_REJECTIONS = 3;
    /**
     * Above {@link #BUSY_RATE} spans/s commits are made {@code BUSY_STRETCH} times the commit interval apart, below
     * {@link #CALM_RATE} the interval again. A commit costs about 0.3 s of CPU whatever its size (its statements:
     * loading the analysis, finding repeats, the import row, DuckDB's commit), and at such rates CPU is what limits
     * intake: measured with `bench live` on 2 cores, 1 s commits gave 51k spans per CPU-second, 3 s commits 60k.
     * Below it, a commit a second keeps what the views show current.
     */
    private static final int BUSY_STRETCH = 3;
    private static final long BUSY_RATE = 50_000;
    private static final long CALM_RATE = 20_000;
    /** Seconds over which {@link LiveStats#spansPerSecond} is averaged. */
    private static final int RATE_WINDOW = 5;
    /** One protobuf reader per receiving thread: its cache of repeated texts stays warm across requests. */
    private static final ThreadLocal<OtlpProtoFormat.RequestReader> PROTOBUF =
            ThreadLocal.withInitial(OtlpProtoFormat.RequestReader::new);

    /** How a request's body is encoded. */
    enum Encoding {
        PROTOBUF, JSON
    }

    /** The answer to one export request. */
    sealed interface Outcome {
    }

    /** Accepted: every span but {@code rejected} ones will be committed; {@code message} names the rejected ones. */
    record Accepted(long spans, long rejected, String message) implements Outcome {
    }

    /** Refused for back-pressure: retry after {@code retryAfterMs}. */
    record Throttled(long retryAfterMs) implements Outcome {
    }

    /** The body is not an export request: nothing of it is kept (the sender must not retry it as is). */
    record Invalid(String message) implements Outcome {
    }

    /** The receiver is stopping: nothing was accepted (retryable). */
    record Stopping() implements Outcome {
    }

    /** A decoded request waiting to be committed. */
    private record Batch(RecordingSession spans, long count, long bytes) {
    }

    private final Supplier<Workspace> workspace;
    private final Supplier<IngestOptions> options;
    private final Consumer<LiveStats> onCommit;
    private final long maxQueuedBytes;
    private final long intervalNs;
    /** How long the commit being made takes in requests: the interval, or {@link #BUSY_STRETCH} times it when busy. */
    private long currentIntervalNs;
    private final String namePrefix;
    private final Instant started = Instant.now();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final java.util.ArrayDeque<Batch> pending = new java.util.ArrayDeque<>();
    private final java.util.Map<String, Long> timings = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean stopping;
    /** Requests being decoded: the writer ends only when none is left (they were accepted). */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final Thread writer;

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong spansReceived = new AtomicLong();
    private final AtomicLong spansStored = new AtomicLong();
    private final AtomicLong spansRejected = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong tracesStored = new AtomicLong();
    private final AtomicLong queuedSpans = new AtomicLong();
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Of {@link #queuedBytes}, those of requests not yet handed to the ingest: what the limit bounds. */
    private final AtomicLong waitingBytes = new AtomicLong();
    /** Spans received per second, in a ring of slots; {@link #rateSecond} says which second each slot holds. */
    private final AtomicLongArray rateCount = new AtomicLongArray(RATE_WINDOW + 2);
    private final AtomicLongArray rateSecond = new AtomicLongArray(RATE_WINDOW + 2);
    private volatile Instant lastCommit;
    private volatile String lastProblem;
    private final long tracesAtStart;
    private final AtomicLong requestNumbers = new AtomicLong();

    LiveIngest(Supplier<Workspace> workspace, Supplier<IngestOptions> options, Consumer<LiveStats> onCommit,
            long maxQueuedBytes, java.time.Duration commitInterval, String transports) {
        this.workspace = workspace;
        this.options = options;
        this.onCommit = onCommit == null ? s -> { } : onCommit;
        this.maxQueuedBytes = Math.max(1, maxQueuedBytes);
        this.intervalNs = Math.max(1, commitInterval.toNanos());
        this.currentIntervalNs = intervalNs;
        this.namePrefix = "live " + transports + " "
                + LocalDateTime.ofInstant(started, ZoneId.systemDefault()).format(NAME_TIME) + " #";
        this.tracesAtStart = workspace.get().traces().stats().traces();
        this.writer = new Thread(this::writeLoop, "tracebench-live-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** How long a refused sender should wait: about one commit. */
    long retryAfterMs() {
        return Math.max(100, TimeUnit.NANOSECONDS.toMillis(intervalNs));
    }

    /**
     * Decodes one export request and queues its good spans.
     *
     * @param body     the request body, decompressed
     * @param encoded  its size as sent (what the queue limit counts)
     * @param transport "OTLP/HTTP", "OTLP/gRPC", for problem locations
     * @param peer     who sent it, for problem locations
     */
    Outcome export(byte[] body, long encoded, Encoding encoding, String transport, String peer) {
        inFlight.incrementAndGet();
        try {
            if (stopping) {
                return new Stopping();
            }
            return admit(body, encoded, encoding, transport, peer);
        } finally {
            if (inFlight.decrementAndGet() == 0 && stopping) {
                signal();
            }
        }
    }

    private Outcome admit(byte[] body, long encoded, Encoding encoding, String transport, String peer) {
        requests.incrementAndGet();
        if (!reserve(encoded)) {
            throttled.incrementAndGet();
            lastProblem = transport + " request from " + peer + " refused: " + String.format("%,d", waitingBytes.get())
                    + " bytes are waiting to be written (limit " + String.format("%,d", maxQueuedBytes)
                    + "); the sender was asked to retry";
            return new Throttled(retryAfterMs());
        }
        String where = transport + " request " + requestNumbers.incrementAndGet() + " from " + peer;
        RecordingSession recorded = new RecordingSession();
        RequestSession session = new RequestSession(recorded, where);
        try {
            TraceFormat.ReadContext context = new TraceFormat.ReadContext(where, () -> body.length);
            if (encoding == Encoding.PROTOBUF) {
                PROTOBUF.get().read(body, session, context);
            } else {
                new OtlpJsonImporter().read(new ByteArrayInputStream(body), session, context);
            }
        } catch (IOException | RuntimeException e) {
            session.requestProblem = "the request could not be read: " + e.getMessage();
        }
        if (session.requestProblem != null) {
            handedOver(encoded);
            release(encoded, 0);
            String message = Secrets.maskText(where + ": " + session.requestProblem);
            lastProblem = message;
            return new Invalid(message);
        }
        long spans = recorded.spans();
        spansReceived.addAndGet(spans + session.rejected);
        spansRejected.addAndGet(session.rejected);
        countRate(spans + session.rejected);
        String message = null;
        if (session.rejected > 0) {
            message = Secrets.maskText(session.rejected + " of " + (spans + session.rejected) + " spans rejected: "
                    + String.join("; ", session.named) + (session.rejected > session.named.size() ? "; ..." : ""));
            lastProblem = where + ": " + message;
        }
        if (spans == 0 && session.rejected == 0 && !session.warned) {
            // an empty request (some senders make them): nothing to commit, no empty import
            handedOver(encoded);
            release(encoded, 0);
            return new Accepted(0, 0, null);
        }
        queuedSpans.addAndGet(spans);
        lock.lock();
        try {
            pending.add(new Batch(recorded, spans, encoded));
            if (pending.size() == 1) {
                wake.signal();
            }
        } finally {
            lock.unlock();
        }
        return new Accepted(spans, session.rejected, message);
    }

    /** Admits {@code bytes} into the queue unless that would pass the limit (an empty queue admits anything). */
    private boolean reserve(long bytes) {
        while (true) {
            long q = waitingBytes.get();
            if (q > 0 && q + bytes > maxQueuedBytes) {
                return false;
            }
            if (waitingBytes.compareAndSet(q, q + bytes)) {
                queuedBytes.addAndGet(bytes);
                return true;
            }
        }
    }

    /** A request handed to the ingest: its bytes no longer count against the limit (they are committed soon). */
    private void handedOver(long bytes) {
        waitingBytes.addAndGet(-bytes);
    }

    /** A request committed, or given up. */
    private void release(long bytes, long spans) {
        queuedBytes.addAndGet(-bytes);
        queuedSpans.addAndGet(-spans);
    }

    private void signal() {
        lock.lock();
        try {
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    private void countRate(long spans) {
        long second = System.nanoTime() / 1_000_000_000L;
        int slot = (int) (second % rateCount.length());
        long held = rateSecond.get(slot);
        if (held != second && rateSecond.compareAndSet(slot, held, second)) {
            rateCount.set(slot, 0);
        }
        rateCount.addAndGet(slot, spans);
    }

    private double rate() {
        long second = System.nanoTime() / 1_000_000_000L;
        long sum = 0;
        // the complete seconds before this one
        for (int i = 1; i <= RATE_WINDOW; i++) {
            int slot = (int) ((second - i) % rateCount.length());
            if (rateSecond.get(slot) == second - i) {
                sum += rateCount.get(slot);
            }
        }
        long elapsed = Math.max(1, Math.min(RATE_WINDOW, java.time.Duration.between(started, Instant.now())
                .toSeconds()));
        return (double) sum / elapsed;
    }

    LiveStats stats() {
        return new LiveStats(started, requests.get(), spansReceived.get(), spansStored.get(), spansRejected.get(),
                throttled.get(), commits.get(), tracesStored.get(), queuedSpans.get(), queuedBytes.get(), rate(),
                lastCommit, lastProblem);
    }

    /** Refuses new requests from now on (those being decoded still get in). */
    void refuseNew() {
        stopping = true;
    }

    /** Commits everything queued and ends the writer; call after the transports stopped. */
    LiveStats finish() {
        stopping = true;
        signal();
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return stats();
    }

    // ------------------------------------------------------------------ the writer thread

    private void writeLoop() {
        while (true) {
            lock.lock();
            try {
                while (pending.isEmpty() && !(stopping && inFlight.get() == 0)) {
                    wake.awaitNanos(stopping ? TimeUnit.MILLISECONDS.toNanos(10) : intervalNs);
                }
                if (pending.isEmpty()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            commit();
        }
    }

    /**
     * The next request to write into the commit being made, waiting for one; null when that commit should end: its
     * time is up, or the receiver is stopping and nothing is queued or still being decoded.
     */
    private Batch next(long due) {
        lock.lock();
        try {
            while (true) {
                long now = System.nanoTime();
                if (now - due >= 0) {
                    return null;
                }
                if (!pending.isEmpty()) {
                    return pending.poll();
                }
                if (stopping && inFlight.get() == 0) {
                    return null;
                }
                wake.awaitNanos(stopping ? Math.min(TimeUnit.MILLISECONDS.toNanos(10), due - now) : due - now);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * One commit: an ingest that takes requests as they are queued, for one commit interval (or, when stopping,
     * until none is left), so decoded spans are written moments after they arrive instead of piling up until the
     * commit. A request's bytes leave the queue's limit when it is handed to the ingest, and the queued counts when
     * it is committed.
     */
    private void commit() {
        long number = commits.get() + 1;
        String name = namePrefix + number;
        long began = System.nanoTime();
        long due = began + currentIntervalNs;
        long[] taken = new long[2];
        ImportReport report;
        Workspace ws;
        try {
            ws = workspace.get();
            report = ws.ingest(name, -1, session -> {
                CheckingSession checked = new CheckingSession(session, () -> { }, name);
                Batch b;
                while ((b = next(due)) != null) {
                    taken[0] += b.bytes();
                    taken[1] += b.count();
                    handedOver(b.bytes());
                    b.spans().replayInto(checked);
                }
                return new SourceFacts(FORMAT, "", taken[0]);
            }, options.get(), ProgressListener.NONE, CancellationToken.none());
        } catch (RuntimeException e) {
            // no workspace to write into (it was closed): what is queued cannot be stored
            report = null;
            ws = null;
            lock.lock();
            try {
                for (Batch b; (b = pending.poll()) != null; ) {
                    handedOver(b.bytes());
                    taken[0] += b.bytes();
                    taken[1] += b.count();
                }
            } finally {
                lock.unlock();
            }
            lastProblem = "commit " + number + " failed: " + e.getMessage() + "; its " + taken[1]
                    + " spans were not stored";
        }
        double rate = taken[1] / Math.max(1e-3, (System.nanoTime() - began) / 1e9);
        if (rate > BUSY_RATE) {
            currentIntervalNs = intervalNs * BUSY_STRETCH;
        } else if (rate < CALM_RATE) {
            currentIntervalNs = intervalNs;
        }
        if (report != null && report.committed()) {
            commits.incrementAndGet();
            spansStored.addAndGet(report.spansAdded());
            tracesStored.set(ws.traces().stats().traces() - tracesAtStart);
            lastCommit = Instant.now();
            report.timingsMs().forEach((k, v) -> timings.merge(k, v, Long::sum));
        } else if (report != null) {
            lastProblem = "commit " + number + " failed: " + report.message() + "; its " + taken[1]
                    + " spans were not stored";
        }
        release(taken[0], taken[1]);
        onCommit.accept(stats());
    }

    /** Where the commits so far spent their time (milliseconds, summed over commits), for benchmarks. */
    java.util.Map<String, Long> timings() {
        return new java.util.TreeMap<>(timings);
    }

    // ------------------------------------------------------------------ decoding one request

    /**
     * Records what a reader hands over for one request, prefixing problem locations with the request, and sorts
     * rejections: those of one span (their location names a span) make a partial success; any other means the body
     * is not a readable export request.
     */
    private static final class RequestSession implements IngestSession {
        private final RecordingSession target;
        private final String where;
        long rejected;
        final List<String> named = new ArrayList<>();
        String requestProblem;
        boolean warned;

        RequestSession(RecordingSession target, String where) {
            this.target = target;
            this.where = where;
        }

        @Override
        public long resource(ResourceData resource) {
            return target.resource(resource);
        }

        @Override
        public long scope(ScopeData scope) {
            return target.scope(scope);
        }

        @Override
        public void span(long resourceId, long scopeId, SpanData span) {
            target.span(resourceId, scopeId, span);
        }

        @Override
        public void reject(String location, String reason) {
            String at = location.replaceFirst("^message 1, ", "");
            if (!at.contains("spans[")) {
                if (requestProblem == null) {
                    requestProblem = at + ": " + reason;
                }
                return;
            }
            if (rejected++ < NAMED_REJECTIONS) {
                named.add(at + ": " + reason);
            }
            target.reject(where + ", " + at, reason);
        }

        @Override
        public void warn(String location, String reason) {
            warned = true;
            target.warn(where + ", " + location.replaceFirst("^message 1, ", ""), reason);
        }

        @Override
        public void bytesRead(long bytes) {
        }

        @Override
        public void checkCancelled() {
        }
    }
}
