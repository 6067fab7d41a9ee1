package dev.tracebench.importers.jaeger;

import static dev.tracebench.importers.jaeger.JaegerValues.abbreviate;
import static dev.tracebench.importers.jaeger.JaegerValues.at;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.SpanLinkData;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.importers.common.BadValue;
import dev.tracebench.importers.common.IdResolver;
import dev.tracebench.importers.common.JsonRecords;
import dev.tracebench.importers.common.Timestamps;
import dev.tracebench.importers.common.Where;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Reads one Jaeger JSON source for {@link JaegerJsonFormat} (see there for the mapping). One reader per source; the
 * only state kept across traces is the small cache of resource and scope ids.
 */
final class JaegerReader {
    /** Bound of the resource and scope id caches (the session deduplicates anyway; this only saves hashing). */
    private static final int CACHE = 1024;
    /** Fields only a span has: an object with one of them is a span, not a trace or a wrapper. */
    private static final Set<String> SPAN_ONLY = Set.of("spanID", "operationName", "references", "startTime",
            "duration", "tags", "logs", "process", "processID", "flags");

    private final IngestSession session;
    private final IdResolver ids;
    private final JaegerValues values;
    private final Map<ResourceData, Long> resourceIds = new HashMap<>();
    private final Map<List<String>, Long> scopeIds = new HashMap<>();

    JaegerReader(IngestSession session) {
        this.session = session;
        this.ids = new IdResolver(session);
        this.values = new JaegerValues(session);
    }

    void read(InputStream content, LongSupplier rawBytes) throws IOException {
        JsonRecords.read(content, session, rawBytes, this::topLevel);
    }

    private void topLevel(JsonParser p, Where where) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_ARRAY) {
            JsonRecords.forEachObject(p, where, session, "Jaeger trace or span", this::object);
        } else if (t == JsonToken.START_OBJECT) {
            object(p, where);
        } else {
            session.reject(where.toString(), "expected a Jaeger trace, a span or {\"data\": [traces]}, found "
                    + JsonRecords.describe(t));
            p.skipChildren();
        }
    }

    /**
     * An object that is a trace ({@code traceID, spans, processes}), a wrapper ({@code data} holding traces or one
     * trace, with the API's {@code errors}), or, oddly, both. Which it is shows only as its fields are read, in any
     * order.
     */
    private void object(JsonParser p, Where where) throws IOException {
        Trace[] trace = {null};
        try {
            object(p, where, trace);
        } catch (JsonProcessingException | CharConversionException e) {
            // the source is damaged inside this trace: its spans read so far are complete, keep them (the damage
            // itself is reported by JsonRecords)
            if (trace[0] != null) {
                trace[0].end();
            }
            throw e;
        }
    }

    /**
     * Reads the object's fields; {@code holder[0]} is the trace once a trace field was seen (null after it ended). An
     * object with span fields ({@code spanID}, {@code operationName}, ...) is a single span with its {@code process}
     * inline, as Jaeger's storage writes spans and many scripts save them (a JSON array of such spans is common):
     * it is read as a trace of its own.
     */
    private void object(JsonParser p, Where where, Trace[] holder) throws IOException {
        boolean wrapper = false;
        String traceId = null;
        ParsedSpan span = null;
        String bad = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            Where w = where.child(f).atLine(JsonRecords.lineOf(p, where));
            if (span == null && SPAN_ONLY.contains(f)) {
                span = new ParsedSpan(where);
                span.traceId = traceId;
                holder[0] = null; // the traceID was the span's
            }
            if (span != null) {
                try {
                    spanField(p, f, v, w, span);
                } catch (BadValue e) {
                    bad = bad == null ? e.getMessage() : bad;
                    p.skipChildren();
                }
                continue;
            }
            switch (f) {
                case "data" -> {
                    wrapper = true;
                    data(p, v, w);
                }
                case "errors" -> {
                    wrapper = true;
                    errors(p, v, w);
                }
                case "traceID" -> {
                    Trace trace = trace(holder, where);
                    if (v == JsonToken.VALUE_STRING) {
                        traceId = p.getText();
                        trace.traceId(traceId);
                    } else {
                        if (v != JsonToken.VALUE_NULL) {
                            session.warn(w.toString(), "expected a string, found " + JsonRecords.describe(v)
                                    + "; the spans' own traceID is used");
                        }
                        p.skipChildren();
                    }
                }
                case "spans" -> spans(p, v, w, trace(holder, where));
                case "processes" -> trace(holder, where).processes(processes(p, v, w));
                default -> p.skipChildren();
            }
        }
        if (span != null) {
            if (bad != null) {
                session.reject(where.toString(), bad);
            } else {
                Trace own = new Trace(where);
                own.add(span);
                own.end();
            }
        } else if (holder[0] != null) {
            Trace t = holder[0];
            holder[0] = null;
            t.end();
        } else if (!wrapper) {
            session.reject(where.toString(), "not a Jaeger trace or span: expected {\"traceID\", \"spans\", "
                    + "\"processes\"}, {\"data\": [traces]} or a span {\"traceID\", \"spanID\", ...}, found none");
        }
    }

    private Trace trace(Trace[] holder, Where where) {
        if (holder[0] == null) {
            holder[0] = new Trace(where);
        }
        return holder[0];
    }

    private void data(JsonParser p, JsonToken v, Where w) throws IOException {
        switch (v) {
            case START_ARRAY -> JsonRecords.forEachObject(p, w, session, "Jaeger trace", this::object);
            case START_OBJECT -> object(p, w);
            case VALUE_NULL -> {
                // an API response without results
            }
            default -> {
                session.reject(w.toString(), "expected an array of traces or a trace, found "
                        + JsonRecords.describe(v));
                p.skipChildren();
            }
        }
    }

    /** The query API's {@code errors: [{code, msg, traceID}]}: what it could not return is worth telling. */
    private void errors(JsonParser p, JsonToken v, Where w) throws IOException {
        if (v != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            Where e = w.index(i++).atLine(JsonRecords.lineOf(p, w));
            if (p.currentToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            String msg = null;
            String code = null;
            String traceId = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                String text = t.isScalarValue() && t != JsonToken.VALUE_NULL ? p.getText() : null;
                p.skipChildren();
                switch (f) {
                    case "msg" -> msg = text;
                    case "code" -> code = text;
                    case "traceID" -> traceId = text;
                    default -> {
                    }
                }
            }
            session.warn(e.toString(), "the Jaeger query reported an error" + (code == null ? "" : " " + code)
                    + (traceId == null ? "" : " for trace " + traceId) + ": " + (msg == null ? "(no message)" : msg)
                    + "; what it returned was imported");
        }
    }

    // ------------------------------------------------------------------ processes

    private Map<String, ResourceData> processes(JsonParser p, JsonToken v, Where w) throws IOException {
        Map<String, ResourceData> out = new HashMap<>();
        if (v == JsonToken.VALUE_NULL) {
            return out;
        }
        if (v != JsonToken.START_OBJECT) {
            session.warn(w.toString(), "expected an object of processes ({\"p1\": {serviceName, tags}}), found "
                    + JsonRecords.describe(v) + "; the trace's spans get an unknown service");
            p.skipChildren();
            return out;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String id = p.currentName();
            p.nextToken();
            ResourceData r = process(p, w.child(id).atLine(JsonRecords.lineOf(p, w)));
            if (r != null) {
                out.put(id, r);
            }
        }
        return out;
    }

    /** A process {serviceName, tags} as a resource, or null (warned) if it is not an object. */
    private ResourceData process(JsonParser p, Where w) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            session.warn(w.toString(), "expected a process object {serviceName, tags}, found "
                    + JsonRecords.describe(p.currentToken()) + "; ignored");
            p.skipChildren();
            return null;
        }
        String service = null;
        List<Attribute> tags = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "serviceName" -> {
                    if (v == JsonToken.VALUE_STRING) {
                        service = p.getText();
                    } else {
                        session.warn(at(p, w.child(f)), "expected a string, found " + JsonRecords.describe(v)
                                + "; ignored");
                        p.skipChildren();
                    }
                }
                case "tags" -> tags = values.keyValues(p, w.child("tags"));
                default -> p.skipChildren();
            }
        }
        List<Attribute> attrs = new ArrayList<>();
        if (service == null || service.isBlank()) {
            session.warn(w.toString(), "the process has no serviceName; its spans get the service unknown_service");
        } else {
            attrs.add(Attribute.of("service.name", service));
        }
        for (Attribute a : tags) {
            if (!(a.key().equals("service.name") && !attrs.isEmpty())) {
                attrs.add(a);
            }
        }
        return new ResourceData(attrs, null, 0);
    }

    // ------------------------------------------------------------------ spans

    private void spans(JsonParser p, JsonToken v, Where w, Trace trace) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return;
        }
        if (v != JsonToken.START_ARRAY) {
            session.reject(w.toString(), "expected an array of spans, found " + JsonRecords.describe(v));
            p.skipChildren();
            return;
        }
        JsonRecords.forEachObject(p, w, session, "Jaeger span", (sp, sw) -> {
            ParsedSpan s = span(sp, sw);
            if (s != null) {
                trace.add(s);
            }
        });
    }

    /** Reads one span object; null (rejected) if a field has a value of the wrong type. */
    private ParsedSpan span(JsonParser p, Where w) throws IOException {
        ParsedSpan s = new ParsedSpan(w);
        String bad = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            try {
                spanField(p, f, v, w.child(f), s);
            } catch (BadValue e) {
                if (bad == null) {
                    bad = e.getMessage();
                }
                p.skipChildren();
            }
        }
        if (bad != null) {
            session.reject(w.toString(), bad);
            return null;
        }
        return s;
    }

    /** One field of a span; a value of the wrong type for the span's identity or times is a {@link BadValue}. */
    private void spanField(JsonParser p, String f, JsonToken v, Where fw, ParsedSpan s) throws IOException {
        switch (f) {
            case "traceID" -> s.traceId = id(p, v, f);
            case "spanID" -> s.spanId = id(p, v, f);
            case "operationName" -> s.name = text(p, v, f);
            case "startTime" -> s.start = v == JsonToken.VALUE_NULL ? null
                    : Timestamps.microsToNanos(p, v, f);
            case "duration" -> s.duration = v == JsonToken.VALUE_NULL ? null
                    : Timestamps.microsToNanos(p, v, f);
            case "references" -> s.refs = references(p, fw);
            case "tags" -> s.attributes = values.keyValues(p, fw);
            case "logs" -> s.logs = logs(p, fw);
            case "processID" -> {
                if (v == JsonToken.VALUE_STRING) {
                    s.processId = p.getText();
                } else if (v != JsonToken.VALUE_NULL) {
                    session.warn(at(p, fw), "expected a string, found " + JsonRecords.describe(v) + "; ignored");
                    p.skipChildren();
                }
            }
            case "process" -> {
                if (v != JsonToken.VALUE_NULL) {
                    s.process = process(p, fw.atLine(JsonRecords.lineOf(p, s.where)));
                }
            }
            case "flags" -> {
                if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_STRING) {
                    try {
                        s.flags = Long.parseLong(p.getText().trim());
                    } catch (NumberFormatException e) {
                        session.warn(at(p, fw), "'" + abbreviate(p.getText()) + "' is not an integer; ignored");
                    }
                } else {
                    if (v != JsonToken.VALUE_NULL) {
                        session.warn(at(p, fw), "expected an integer, found " + JsonRecords.describe(v)
                                + "; ignored");
                    }
                    p.skipChildren();
                }
            }
            default -> p.skipChildren(); // warnings, UI-computed fields (depth, relativeStartTime, ...)
        }
    }

    private static String id(JsonParser p, JsonToken v, String field) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new BadValue(field + ": expected a string of hex digits, found " + JsonRecords.describe(v));
    }

    private static String text(JsonParser p, JsonToken v, String field) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new BadValue(field + ": expected a string, found " + JsonRecords.describe(v));
    }

    private List<Ref> references(JsonParser p, Where w) throws IOException {
        List<Ref> out = new ArrayList<>();
        JsonRecords.forEachEntry(p, w, session, "references", "a reference {refType, traceID, spanID}",
                "; the span is kept as a root, without links", (q, rw) -> {
                    Ref ref = reference(q, rw);
                    if (ref != null) {
                        out.add(ref);
                    }
                });
        return out;
    }

    /** One reference (the parser on its START_OBJECT), or null if it has to be skipped. */
    private Ref reference(JsonParser p, Where rw) throws IOException {
        String type = null;
        String traceId = null;
        String spanId = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            String text = t == JsonToken.VALUE_STRING ? p.getText() : null;
            p.skipChildren();
            switch (f) {
                case "refType" -> type = text;
                case "traceID" -> traceId = text;
                case "spanID" -> spanId = text;
                default -> {
                    // the UI adds the referenced span object itself ("span"): not needed
                }
            }
        }
        if (spanId == null || spanId.isBlank()) {
            session.warn(rw.toString(), "the reference has no spanID; ignored");
            return null;
        }
        String refType = type == null || type.isBlank() ? "CHILD_OF" : type.trim().toUpperCase(Locale.ROOT);
        if (!refType.equals("CHILD_OF") && !refType.equals("FOLLOWS_FROM")) {
            session.warn(rw.toString(), "refType '" + abbreviate(type) + "' is neither CHILD_OF nor "
                    + "FOLLOWS_FROM; the reference is kept as a link");
        }
        return new Ref(refType, traceId, spanId);
    }

    private List<Log> logs(JsonParser p, Where w) throws IOException {
        List<Log> out = new ArrayList<>();
        JsonRecords.forEachEntry(p, w, session, "logs", "a log {timestamp, fields}", "; ignored", (q, lw) -> {
            Log log = log(q, lw);
            if (log != null) {
                out.add(log);
            }
        });
        return out;
    }

    /** One log entry (the parser on its START_OBJECT), or null if it has to be skipped. */
    private Log log(JsonParser p, Where lw) throws IOException {
        Long time = null;
        List<Attribute> fields = new ArrayList<>();
        boolean ok = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            switch (f) {
                case "timestamp" -> {
                    try {
                        time = t == JsonToken.VALUE_NULL ? null : Timestamps.microsToNanos(p, t, "timestamp");
                    } catch (BadValue e) {
                        session.warn(lw.toString(), e.getMessage() + "; the log was skipped");
                        ok = false;
                    }
                }
                case "fields" -> fields = values.keyValues(p, lw.child("fields"));
                default -> p.skipChildren();
            }
        }
        return ok ? new Log(time, fields, lw) : null;
    }

    // ------------------------------------------------------------------ resources and scopes

    private long resourceId(ResourceData r) {
        Long id = resourceIds.get(r);
        if (id == null) {
            if (resourceIds.size() >= CACHE) {
                resourceIds.clear();
            }
            id = session.resource(r);
            resourceIds.put(r, id);
        }
        return id;
    }

    private long scopeId(String name, String version) {
        List<String> key = List.of(name, version);
        Long id = scopeIds.get(key);
        if (id == null) {
            if (scopeIds.size() >= CACHE) {
                scopeIds.clear();
            }
            id = session.scope(new ScopeData(name, version, List.of(), null, 0));
            scopeIds.put(key, id);
        }
        return id;
    }

    // ------------------------------------------------------------------ one trace

    private record Ref(String type, String traceId, String spanId) {
    }

    private record Log(Long timeNs, List<Attribute> fields, Where where) {
    }

    /** A span as read, before its trace and process are known. */
    private static final class ParsedSpan {
        final Where where;
        String traceId;
        String spanId;
        String name;
        Long start;
        Long duration;
        List<Ref> refs = List.of();
        List<Attribute> attributes = List.of();
        List<Log> logs = List.of();
        String processId;
        ResourceData process;
        long flags;

        ParsedSpan(Where where) {
            this.where = where;
        }
    }

    /**
     * One trace object. Its spans are passed on as soon as their process and trace id are known; those that come
     * before the trace's {@code processes} wait here until they arrive or the object ends.
     */
    private final class Trace {
        private final Where where;
        private String traceId;
        private Map<String, ResourceData> processes;
        private final Map<String, Long> resourceByProcess = new HashMap<>();
        private final Set<String> missingProcesses = new HashSet<>();
        /** Trace ids that are not hex and were already warned about in this trace. */
        private final Set<String> mappedTraceIds = new HashSet<>();
        private final List<ParsedSpan> waiting = new ArrayList<>();

        Trace(Where where) {
            this.where = where;
        }

        void traceId(String id) {
            traceId = id;
            flush(false);
        }

        void processes(Map<String, ResourceData> p) {
            processes = p;
            flush(false);
        }

        void add(ParsedSpan s) {
            if (ready(s)) {
                emit(s);
            } else {
                waiting.add(s);
            }
        }

        void end() {
            flush(true);
        }

        private boolean ready(ParsedSpan s) {
            return (s.process != null || processes != null) && (s.traceId != null || traceId != null);
        }

        private void flush(boolean all) {
            for (Iterator<ParsedSpan> it = waiting.iterator(); it.hasNext();) {
                ParsedSpan s = it.next();
                if (all || ready(s)) {
                    session.checkCancelled();
                    it.remove();
                    emit(s);
                }
            }
        }

        private void emit(ParsedSpan s) {
            String loc = s.where.toString();
            List<Attribute> attrs = new ArrayList<>(s.attributes);
            String rawTrace = s.traceId != null && !s.traceId.isBlank() ? s.traceId : traceId;
            TraceId tid = traceId(rawTrace, loc, attrs);
            if (tid == null) {
                session.reject(loc, "the span has no traceID (nor has its trace)");
                return;
            }
            if (tid.hi() == 0 && tid.lo() == 0) {
                session.reject(loc, "traceID is zero, which is not a valid trace id");
                return;
            }
            Long sid = ids.spanId(s.spanId, loc, attrs);
            if (sid == null) {
                session.reject(loc, "the span has no spanID");
                return;
            }
            if (sid == 0) {
                session.reject(loc, "spanID is zero, which is not a valid span id");
                return;
            }
            if (s.name == null) {
                session.warn(loc, "the span has no operationName");
            }
            long start;
            long end;
            if (s.start == null || s.duration == null) {
                session.warn(loc, "the span has no " + (s.start == null ? "startTime" : "duration") + "; it is kept "
                        + "with " + (s.start == null ? "time 0 and zero duration" : "zero duration"));
            }
            start = s.start == null ? 0 : s.start;
            // without a start the duration places nothing
            long duration = s.duration == null || s.start == null ? 0 : s.duration;
            try {
                end = Math.addExact(start, duration);
            } catch (ArithmeticException e) {
                session.reject(loc, "startTime plus duration is out of range");
                return;
            }

            // references: the parent, then links
            Long parent = null;
            Ref parentRef = null;
            Ref followsFrom = null;
            for (Ref r : s.refs) {
                TraceId rt = r.traceId() == null || r.traceId().isBlank() ? tid : ids.referencedTraceId(r.traceId());
                if (!rt.equals(tid)) {
                    continue;
                }
                if (r.type().equals("CHILD_OF")) {
                    parentRef = r;
                    break;
                }
                if (followsFrom == null && r.type().equals("FOLLOWS_FROM")) {
                    followsFrom = r;
                }
            }
            if (parentRef == null) {
                parentRef = followsFrom;
            }
            List<SpanLinkData> links = new ArrayList<>();
            for (Ref r : s.refs) {
                TraceId rt = r.traceId() == null || r.traceId().isBlank() ? tid : ids.referencedTraceId(r.traceId());
                long rs = ids.referencedSpanId(r.spanId());
                if (rs == 0) {
                    continue; // "no span": some writers put a zero parent on roots
                }
                if (rt.equals(tid) && rs == sid) {
                    session.warn(loc, "the span references itself (" + r.type() + "); the reference was ignored");
                    continue;
                }
                if (r == parentRef) {
                    parent = rs;
                    if (r.type().equals("CHILD_OF")) {
                        continue;
                    }
                }
                links.add(new SpanLinkData(rt, rs, null, 0, List.of(Attribute.of("jaeger.ref_type", r.type())),
                        0));
            }

            Special sp = Special.extract(attrs, session, loc);
            int flags = (int) (s.flags & 1);
            if ((s.flags & 2) != 0) {
                attrs.add(Attribute.of("jaeger.debug", true));
            }
            List<SpanEventData> events = new ArrayList<>(s.logs.size());
            for (Log l : s.logs) {
                events.add(event(l, start));
            }
            long rid = resource(s);
            long scid = scopeId(sp.scopeName, sp.scopeVersion);
            session.span(rid, scid, new SpanData(tid, sid, parent, s.name, sp.kind, start, end, sp.status,
                    sp.statusMessage, sp.traceState, flags, attrs, 0, events, 0, links, 0, loc));
        }

        /** Resolves a trace id, warning about a non-hex one once per trace (every span of it carries the same). */
        private TraceId traceId(String raw, String loc, List<Attribute> attrs) {
            if (raw == null) {
                return null;
            }
            if (mappedTraceIds.contains(raw)) {
                attrs.add(Attribute.of(IdResolver.ORIGINAL_TRACE_ID, raw));
                return ids.referencedTraceId(raw);
            }
            int before = attrs.size();
            TraceId t = ids.traceId(raw, loc, attrs);
            if (attrs.size() > before) {
                mappedTraceIds.add(raw);
            }
            return t;
        }

        private SpanEventData event(Log l, long spanStart) {
            String name = "log";
            List<Attribute> attrs = new ArrayList<>(l.fields().size());
            boolean named = false;
            for (Attribute a : l.fields()) {
                if (!named && a.key().equals("event")) {
                    named = true;
                    name = a.value() instanceof AttributeValue.Str str ? str.value() : a.value().display();
                } else {
                    attrs.add(a);
                }
            }
            long time;
            if (l.timeNs() == null) {
                session.warn(l.where().toString(), "the log has no timestamp; the span's start time is used");
                time = spanStart;
            } else {
                time = l.timeNs();
            }
            return new SpanEventData(time, name, attrs, 0);
        }

        private long resource(ParsedSpan s) {
            if (s.process != null) {
                return resourceId(s.process);
            }
            String pid = s.processId;
            Long id = pid == null ? null : resourceByProcess.get(pid);
            if (id != null) {
                return id;
            }
            ResourceData r = pid == null || processes == null ? null : processes.get(pid);
            if (r == null) {
                String key = pid == null ? "\u0000" : pid;
                if (missingProcesses.add(key)) {
                    session.warn(s.where.toString(), pid == null
                            ? "the span has neither a processID nor a process; it gets the service unknown_service"
                            : processes == null
                                    ? "the trace has no processes, so processID '" + abbreviate(pid) + "' is unknown; "
                                            + "its spans get the service unknown_service"
                                    : "processID '" + abbreviate(pid) + "' is not in the trace's processes; its "
                                            + "spans get the service unknown_service");
                }
                r = new ResourceData(List.of(), null, 0);
            }
            long rid = resourceId(r);
            if (pid != null) {
                resourceByProcess.put(pid, rid);
            }
            return rid;
        }
    }

    /** The tags that are fields in OpenTelemetry, taken out of the attributes. */
    private static final class Special {
        SpanKind kind = SpanKind.UNSPECIFIED;
        StatusCode status = StatusCode.UNSET;
        String statusMessage;
        String scopeName = "";
        String scopeVersion = "";
        String traceState;

        static Special extract(List<Attribute> attrs, IngestSession session, String loc) {
            Special s = new Special();
            String otelCode = null;
            boolean error = false;
            String scope = null;
            String scopeVersion = null;
            String library = null;
            String libraryVersion = null;
            for (Iterator<Attribute> it = attrs.iterator(); it.hasNext();) {
                Attribute a = it.next();
                String v = a.value() instanceof AttributeValue.Str str ? str.value() : a.value().display();
                switch (a.key()) {
                    case "span.kind" -> {
                        SpanKind k = kind(v);
                        if (k == null) {
                            session.warn(loc, "span.kind '" + abbreviate(v) + "' is not client, server, producer, "
                                    + "consumer or internal; kept as an attribute, the kind is unspecified");
                            continue;
                        }
                        s.kind = k;
                    }
                    case "otel.status_code" -> {
                        String c = v.trim().toUpperCase(Locale.ROOT);
                        c = c.startsWith("STATUS_CODE_") ? c.substring(12) : c;
                        if (!c.equals("OK") && !c.equals("ERROR") && !c.equals("UNSET")) {
                            session.warn(loc, "otel.status_code '" + abbreviate(v) + "' is not OK, ERROR or UNSET; "
                                    + "kept as an attribute");
                            continue;
                        }
                        otelCode = c;
                    }
                    case "otel.status_description" -> s.statusMessage = v;
                    case "error" -> {
                        boolean isTrue = a.value() instanceof AttributeValue.Bool b ? b.value()
                                : v.trim().equalsIgnoreCase("true");
                        if (!isTrue) {
                            continue; // error=false says nothing the status does not: kept as written
                        }
                        error = true;
                    }
                    case "otel.scope.name" -> scope = v;
                    case "otel.scope.version" -> scopeVersion = v;
                    case "otel.library.name" -> library = v;
                    case "otel.library.version" -> libraryVersion = v;
                    case "w3c.tracestate" -> s.traceState = v;
                    default -> {
                        continue;
                    }
                }
                it.remove();
            }
            if (error) {
                s.status = StatusCode.ERROR;
            } else if (otelCode != null) {
                s.status = StatusCode.valueOf(otelCode);
            }
            if (scope != null) {
                s.scopeName = scope;
                s.scopeVersion = scopeVersion == null ? "" : scopeVersion;
            } else if (library != null) {
                s.scopeName = library;
                s.scopeVersion = libraryVersion == null ? "" : libraryVersion;
            } else {
                s.scopeVersion = scopeVersion != null ? scopeVersion : libraryVersion == null ? "" : libraryVersion;
            }
            return s;
        }

        private static SpanKind kind(String v) {
            return switch (v.trim().toLowerCase(Locale.ROOT)) {
                case "client" -> SpanKind.CLIENT;
                case "server" -> SpanKind.SERVER;
                case "producer" -> SpanKind.PRODUCER;
                case "consumer" -> SpanKind.CONSUMER;
                case "internal" -> SpanKind.INTERNAL;
                default -> null;
            };
        }
    }
}
