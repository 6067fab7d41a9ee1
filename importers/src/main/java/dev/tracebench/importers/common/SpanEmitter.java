package dev.tracebench.importers.common;

import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.TraceId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Turns {@link SpanRecord}s into spans for the session, with the checks every reader of flat span objects makes:
 * a span without a trace or span id is rejected, one without a name, start or end is kept with a warning (no
 * start: time 0, no end: zero duration), events without a time get the span's start. The field names in messages are
 * the format's own.
 */
public final class SpanEmitter {
    private static final int PROGRESS_EVERY = 1_000;

    /** Where a span's resource and scope come from; called once the span is known to be kept. */
    @FunctionalInterface
    public interface Owners {
        /** The session's ids of the record's resource and scope: {@code {resourceId, scopeId}}. */
        long[] of(SpanRecord s);
    }

    private final IngestSession session;
    private final IdResolver ids;
    private final LongSupplier rawBytes;
    private final String traceIdField;
    private final String spanIdField;
    private final String startField;
    private final String endField;
    private long spans;

    /** The field names are for messages: "the span has no {traceIdField}". */
    public SpanEmitter(IngestSession session, IdResolver ids, LongSupplier rawBytes, String traceIdField,
            String spanIdField, String startField, String endField) {
        this.session = session;
        this.ids = ids;
        this.rawBytes = rawBytes;
        this.traceIdField = traceIdField;
        this.spanIdField = spanIdField;
        this.startField = startField;
        this.endField = endField;
    }

    /** Checks {@code s} and hands it to the session, or reports why it was rejected. */
    public void emit(SpanRecord s, Owners owners) {
        String loc = s.where.toString();
        if (s.rejected()) {
            session.reject(s.badLocation(), s.badReason());
            return;
        }
        List<dev.tracebench.core.model.Attribute> attrs = s.attributes;
        TraceId tid = ids.traceId(s.traceId, loc, attrs);
        if (tid == null) {
            session.reject(loc, "the span has no " + traceIdField);
            return;
        }
        Long sid = ids.spanId(s.spanId, loc, attrs);
        if (sid == null) {
            session.reject(loc, "the span has no " + spanIdField);
            return;
        }
        Long parent = ids.referencedSpanId(s.parent);
        if (s.name == null) {
            session.warn(loc, "the span has no name");
        }
        Long start = s.start;
        Long end = s.end;
        if (start == null || end == null) {
            session.warn(loc, "the span has no " + (start == null ? startField : endField) + "; it is kept with "
                    + (start == null && end == null ? "time 0" : "zero duration"));
            if (start == null) {
                start = end == null ? 0L : end;
            }
            if (end == null) {
                end = start;
            }
        }
        long[] owner = owners.of(s);
        List<SpanEventData> events = new ArrayList<>(s.events.size());
        for (SpanRecord.Event e : s.events) {
            events.add(new SpanEventData(e.time == null ? start : e.time, e.name, e.attributes, e.dropped));
        }
        session.span(owner[0], owner[1], new SpanData(tid, sid, parent, s.name, s.kind, start, end, s.status,
                s.statusMessage == null || s.statusMessage.isEmpty() ? null : s.statusMessage, s.traceState, s.flags,
                attrs, s.droppedAttributes, events, s.droppedEvents, s.links, s.droppedLinks, loc));
        if (++spans % PROGRESS_EVERY == 0) {
            session.bytesRead(rawBytes.getAsLong());
        }
    }
}
