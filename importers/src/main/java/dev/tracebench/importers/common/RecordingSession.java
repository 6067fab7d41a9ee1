package dev.tracebench.importers.common;

import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanData;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link IngestSession} that records what a parser running on another thread hands over, so that the importer's
 * thread can replay it into the real session in file order ({@link #replayInto}). Resource and scope ids and eval run
 * keys given out here are local; replaying maps them to the real ones. Tests read what a reader handed over through
 * {@link #evalRuns}, {@link #evalResults} and {@link #problems}.
 */
public final class RecordingSession implements IngestSession {
    private final IngestSession real;
    private final List<Object> ops = new ArrayList<>();
    private long nextLocalId;
    private int nextRunKey;
    private long spans;

    private record Resource(long local, ResourceData data) {
    }

    private record Scope(long local, ScopeData data) {
    }

    private record Span(long resource, long scope, SpanData data) {
    }

    /** A problem a reader reported: rejected (the record was skipped) or a warning (kept with a caveat). */
    public record Problem(boolean reject, String location, String reason) {
        @Override
        public String toString() {
            return (reject ? "rejected " : "warning ") + location + ": " + reason;
        }
    }

    private record EvalRun(int local, EvalRunData data) {
    }

    /** An eval result as recorded: {@code run} is the index of its run in {@link #evalRuns}. */
    public record EvalResult(int run, EvalResultData data) {
    }

    /** {@code real} is only asked whether the import was cancelled (which is safe from any thread). */
    public RecordingSession(IngestSession real) {
        this.real = real;
    }

    /** A session that is never cancelled: records everything, for tests and previews. */
    public RecordingSession() {
        this(null);
    }

    @Override
    public long resource(ResourceData resource) {
        long id = nextLocalId++;
        ops.add(new Resource(id, resource));
        return id;
    }

    @Override
    public long scope(ScopeData scope) {
        long id = nextLocalId++;
        ops.add(new Scope(id, scope));
        return id;
    }

    @Override
    public void span(long resourceId, long scopeId, SpanData span) {
        ops.add(new Span(resourceId, scopeId, span));
        spans++;
    }

    @Override
    public void reject(String location, String reason) {
        ops.add(new Problem(true, location, reason));
    }

    @Override
    public void warn(String location, String reason) {
        ops.add(new Problem(false, location, reason));
    }

    @Override
    public void bytesRead(long bytes) {
        // progress is reported by the thread that replays
    }

    @Override
    public void checkCancelled() {
        if (real != null) {
            real.checkCancelled();
        }
    }

    @Override
    public int evalRun(EvalRunData run) {
        int key = nextRunKey++;
        ops.add(new EvalRun(key, run));
        return key;
    }

    @Override
    public void evalResult(int run, EvalResultData result) {
        ops.add(new EvalResult(run, result));
    }

    /** The eval runs recorded (and not yet replayed), in order: a run's key is its index here. */
    public List<EvalRunData> evalRuns() {
        return ops.stream().filter(EvalRun.class::isInstance).map(o -> ((EvalRun) o).data()).toList();
    }

    /** The eval results recorded (and not yet replayed), in order. */
    public List<EvalResult> evalResults() {
        return ops.stream().filter(EvalResult.class::isInstance).map(EvalResult.class::cast).toList();
    }

    /** The problems recorded (and not yet replayed), in order. */
    public List<Problem> problems() {
        return ops.stream().filter(Problem.class::isInstance).map(Problem.class::cast).toList();
    }

    /** Spans recorded so far. */
    public long spans() {
        return spans;
    }

    /** Hands everything recorded to {@code target}, in the order it was recorded. */
    public void replayInto(IngestSession target) {
        long[] ids = new long[(int) nextLocalId];
        int[] runs = new int[nextRunKey];
        for (Object op : ops) {
            if (op instanceof Span s) {
                target.span(ids[(int) s.resource()], ids[(int) s.scope()], s.data());
            } else if (op instanceof Resource r) {
                ids[(int) r.local()] = target.resource(r.data());
            } else if (op instanceof Scope s) {
                ids[(int) s.local()] = target.scope(s.data());
            } else if (op instanceof EvalRun r) {
                runs[r.local()] = target.evalRun(r.data());
            } else if (op instanceof EvalResult r) {
                target.evalResult(runs[r.run()], r.data());
            } else if (op instanceof Problem p) {
                if (p.reject()) {
                    target.reject(p.location(), p.reason());
                } else {
                    target.warn(p.location(), p.reason());
                }
            }
        }
        ops.clear();
    }
}
