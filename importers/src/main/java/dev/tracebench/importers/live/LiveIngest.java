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
 * spans it refuses), the bounded queue of accepted requests, and the writer thread that commits them in batches
 * through {@link Workspace#ingest}, the same path (normalisation, checks, per-trace analysis) as a file import.
 *
 * <p>Back-pressure: a request is admitted only while the encoded bytes accepted but not yet committed stay within
 * the limit (a request is always admitted into an empty queue, so none is too big to ever get in); otherwise it is
 * refused and the sender retries later. Decoded spans take a few times their encoded size on the heap, which is why
 * the receiver caps the limit by the heap ({@link OtlpLiveReceivers}).
 *
 * <p>Commits: every {@code commitInterval}, or at once when the queue is half full or a request was refused; each is
 * one transaction and one {@code imports} row named after the receiver's start and the commit's number
 * ("live OTLP 2026-12-06 17:05:01 #12"), so the Imports area lists a session's commits together. A trace whose spans
 * arrive in several commits is analysed again from the workspace by the ingest of each later commit.
 */
final class LiveIngest {
    static final String FORMAT = "otlp-live";
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** Rejected spans named in one partial-success message; the count covers all of them. */
    private static final int NAMED_REJECTIONS = 3;
    /** Seconds over which {@link LiveStats#spansPerSecond} is averaged. */
    private static final int RATE_WINDOW = 5;

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
    private final String namePrefix;
    private final Instant started = Instant.now();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final List<Batch> pending = new ArrayList<>();
    private boolean flushNow;
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
                signal(true);
            }
        }
    }

    private Outcome admit(byte[] body, long encoded, Encoding encoding, String transport, String peer) {
        requests.incrementAndGet();
        if (!reserve(encoded)) {
            throttled.incrementAndGet();
            lastProblem = transport + " request from " + peer + " refused: " + String.format("%,d", queuedBytes.get())
                    + " bytes are waiting to be committed (limit " + String.format("%,d", maxQueuedBytes)
                    + "); the sender was asked to retry";
            signal(true);
            return new Throttled(retryAfterMs());
        }
        String where = transport + " request " + requestNumbers.incrementAndGet() + " from " + peer;
        RecordingSession recorded = new RecordingSession();
        RequestSession session = new RequestSession(recorded, where);
        try {
            TraceFormat format = encoding == Encoding.PROTOBUF ? new OtlpProtoFormat() : new OtlpJsonImporter();
            format.read(new ByteArrayInputStream(body), session,
                    new TraceFormat.ReadContext(where, () -> body.length));
        } catch (IOException | RuntimeException e) {
            session.requestProblem = "the request could not be read: " + e.getMessage();
        }
        if (session.requestProblem != null) {
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
            release(encoded, 0);
            return new Accepted(0, 0, null);
        }
        queuedSpans.addAndGet(spans);
        lock.lock();
        try {
            pending.add(new Batch(recorded, spans, encoded));
            if (queuedBytes.get() * 2 >= maxQueuedBytes) {
                flushNow = true;
                wake.signal();
            } else if (pending.size() == 1) {
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
            long q = queuedBytes.get();
            if (q > 0 && q + bytes > maxQueuedBytes) {
                return false;
            }
            if (queuedBytes.compareAndSet(q, q + bytes)) {
                return true;
            }
        }
    }

    private void release(long bytes, long spans) {
        queuedBytes.addAndGet(-bytes);
        queuedSpans.addAndGet(-spans);
    }

    private void signal(boolean flush) {
        lock.lock();
        try {
            flushNow |= flush;
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
        signal(true);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return stats();
    }

    // ------------------------------------------------------------------ the writer thread

    private void writeLoop() {
        long due = System.nanoTime() + intervalNs;
        while (true) {
            List<Batch> batch;
            lock.lock();
            try {
                while (true) {
                    long now = System.nanoTime();
                    boolean ready = !pending.isEmpty() && (stopping || flushNow || now - due >= 0);
                    if (ready || (stopping && pending.isEmpty() && inFlight.get() == 0)) {
                        break;
                    }
                    wake.awaitNanos(stopping ? TimeUnit.MILLISECONDS.toNanos(10)
                            : pending.isEmpty() ? intervalNs : due - now);
                }
                batch = new ArrayList<>(pending);
                pending.clear();
                flushNow = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            if (batch.isEmpty()) {
                return;
            }
            commit(batch);
            due = System.nanoTime() + intervalNs;
        }
    }

    private void commit(List<Batch> batch) {
        long bytes = 0;
        long spans = 0;
        for (Batch b : batch) {
            bytes += b.bytes();
            spans += b.count();
        }
        long number = commits.get() + 1;
        String name = namePrefix + number;
        long total = bytes;
        ImportReport report;
        Workspace ws;
        try {
            ws = workspace.get();
            report = ws.ingest(name, total, session -> {
                CheckingSession checked = new CheckingSession(session, () -> { }, name);
                for (Batch b : batch) {
                    b.spans().replayInto(checked);
                }
                return new SourceFacts(FORMAT, "", total);
            }, options.get(), ProgressListener.NONE, CancellationToken.none());
        } catch (RuntimeException e) {
            report = null;
            ws = null;
            lastProblem = "commit " + number + " failed: " + e.getMessage() + "; its " + spans
                    + " spans were not stored";
        }
        if (report != null && report.committed()) {
            commits.incrementAndGet();
            spansStored.addAndGet(report.spansAdded());
            tracesStored.set(ws.traces().stats().traces() - tracesAtStart);
            lastCommit = Instant.now();
        } else if (report != null) {
            lastProblem = "commit " + number + " failed: " + report.message() + "; its " + spans
                    + " spans were not stored";
        }
        release(bytes, spans);
        onCommit.accept(stats());
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
