package dev.tracebench.importers.common;

import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.SpanLinkData;
import dev.tracebench.core.model.StatusCode;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of one span as a reader of flat span objects (Phoenix, OpenTelemetry JS) collects them while the object
 * is read, in any order; {@link SpanEmitter} checks and hands it on when the object ends. Ids are the source's text
 * (resolved by {@link IdResolver}); times are epoch nanoseconds, null when absent.
 */
public class SpanRecord {
    public final Where where;
    public String name;
    public String traceId;
    public String spanId;
    public String parent;
    public String traceState;
    public int flags;
    public SpanKind kind = SpanKind.UNSPECIFIED;
    public final List<Attribute> attributes = new ArrayList<>();
    public StatusCode status = StatusCode.UNSET;
    public String statusMessage;
    public Long start;
    public Long end;
    public final List<Event> events = new ArrayList<>();
    public final List<SpanLinkData> links = new ArrayList<>();
    public int droppedAttributes;
    public int droppedEvents;
    public int droppedLinks;
    private String badLocation;
    private String badReason;

    public SpanRecord(Where where) {
        this.where = where;
    }

    /** A field makes the span unusable: it is rejected (with the first such reason) when the object ends. */
    public void reject(Where w, String reason) {
        if (badReason == null) {
            badLocation = w.toString();
            badReason = reason;
        }
    }

    /** Whether a field made the span unusable. */
    public boolean rejected() {
        return badReason != null;
    }

    /** Where the field that made the span unusable is. */
    public String badLocation() {
        return badLocation;
    }

    /** Why the span is unusable. */
    public String badReason() {
        return badReason;
    }

    /** An event as read; without a time it gets the span's start. */
    public static final class Event {
        public String name = "";
        public Long time;
        public List<Attribute> attributes = new ArrayList<>();
        public int dropped;
    }
}
