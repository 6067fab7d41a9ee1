package dev.tracebench.importers.common;

import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanData;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link IngestSession} that records what a parser running on another thread hands over, so that the importer's
 * thread can replay it into the real session in file order ({@link #replayInto}). Resource and scope ids given out
 * here are local; replaying maps them to the real ones.
 */
public final class RecordingSession implements IngestSession {
    private final IngestSession real;
    private final List<Object> ops = new ArrayList<>();
    private long nextLocalId;
    private long spans;

    private record Resource(long local, ResourceData data) {
    }

    private record Scope(long local, ScopeData data) {
    }

    private record Span(long resource, long scope, SpanData data) {
    }

    private record Problem(boolean reject, String location, String reason) {
    }

    /** {@code real} is only asked whether the import was cancelled (which is safe from any thread). */
    public RecordingSession(IngestSession real) {
        this.real = real;
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
        real.checkCancelled();
    }

    /** Spans recorded so far. */
    public long spans() {
        return spans;
    }

    /** Hands everything recorded to {@code target}, in the order it was recorded. */
    public void replayInto(IngestSession target) {
        long[] ids = new long[(int) nextLocalId];
        for (Object op : ops) {
            if (op instanceof Span s) {
                target.span(ids[(int) s.resource()], ids[(int) s.scope()], s.data());
            } else if (op instanceof Resource r) {
                ids[(int) r.local()] = target.resource(r.data());
            } else if (op instanceof Scope s) {
                ids[(int) s.local()] = target.scope(s.data());
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
