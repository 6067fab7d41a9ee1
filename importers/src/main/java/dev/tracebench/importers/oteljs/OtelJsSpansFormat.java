package dev.tracebench.importers.oteljs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.SpanLinkData;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.importers.TraceFormat;
import dev.tracebench.importers.common.IdResolver;
import dev.tracebench.importers.common.JsonRecords;
import dev.tracebench.importers.common.SpanEmitter;
import dev.tracebench.importers.common.SpanRecord;
import dev.tracebench.importers.common.JsonValues;
import dev.tracebench.importers.common.Timestamps;
import dev.tracebench.importers.common.Where;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Reads spans the OpenTelemetry JS SDK holds in memory ({@code ReadableSpan}), written out with
 * {@code JSON.stringify}: what test suites capture with an in-memory exporter and save as fixtures (the Vercel AI SDK
 * captures of OpenInference are such files). Not OTLP: ids sit in {@code spanContext}, attributes are a plain map of
 * native JSON values, times are {@code [seconds, nanoseconds]} hrtime pairs, status and kind are the JS SDK's enum
 * numbers.
 *
 * <p>Shapes: an array of spans, JSON Lines of spans, a single span, or an object keyed by anything (an operation name
 * in the OpenInference fixtures) whose values are spans or arrays of spans. Which of the two object shapes a
 * top-level object is, is decided by its first field (a span starts with one of the span's own fields), so that
 * reading streams span by span either way.
 *
 * <p>Choices: the JS {@code SpanKind} enum counts from INTERNAL = 0 (OTLP counts from UNSPECIFIED = 0), so numbers are
 * shifted; a span without {@code kind} stays UNSPECIFIED because the dump did not say, rather than guessing the SDK's
 * default. Both SDK generations are read: {@code parentSpanId} and {@code instrumentationLibrary} (1.x),
 * {@code parentSpanContext} and {@code instrumentationScope} (2.x), and the private field names a plain
 * {@code JSON.stringify} of a span object writes ({@code _spanContext}). A missing end time is taken from
 * {@code duration} when present. Spans without a resource get an empty one (service {@code unknown_service}, as the SDK
 * defaults it). A malformed id or start time rejects the span; anything else is kept with a warning.
 */
public final class OtelJsSpansFormat implements TraceFormat {
    /** Fields only a span has: a top-level object starting with one of these is a single span. */
    private static final Set<String> SPAN_FIELDS = Set.of("name", "spanContext", "_spanContext", "kind",
            "parentSpanId", "parentSpanContext", "attributes", "status", "startTime", "endTime", "events", "links",
            "resource", "instrumentationLibrary", "instrumentationScope", "duration", "ended", "_ended",
            "droppedAttributesCount", "droppedEventsCount", "droppedLinksCount", "_droppedAttributesCount",
            "_droppedEventsCount", "_droppedLinksCount", "_spanLimits", "_attributeValueLengthLimit", "_duration");

    @Override
    public String id() {
        return "oteljs-json";
    }

    @Override
    public String displayName() {
        return "OpenTelemetry JS span dump";
    }

    @Override
    public String expected() {
        return "OpenTelemetry JS spans {\"name\", \"spanContext\": {\"traceId\", \"spanId\"}, \"startTime\": "
                + "[seconds, nanoseconds]}";
    }

    @Override
    public int sniff(Head head) {
        String t = head.trimmed();
        if (t.isEmpty() || (t.charAt(0) != '[' && t.charAt(0) != '{') || head.has("\"resourceSpans\"")) {
            return 0;
        }
        boolean context = head.has("\"spanContext\":{") || head.has("\"_spanContext\":{");
        if (!context) {
            return 0;
        }
        // hrtime pairs are the JS SDK's signature; "traceId" inside the context is needed to read anything at all
        boolean hrtime = head.has("\"startTime\":[") || head.text().replaceAll("\\s", "").contains("\"startTime\":[");
        return head.has("\"traceId\"") ? (hrtime ? 90 : 70) : 0;
    }

    @Override
    public void read(InputStream content, IngestSession session, ReadContext context) throws IOException {
        new Reader(session, context.rawBytesRead()).read(content);
    }

    /** One source's reading state: the resources and scopes registered so far. */
    private static final class Reader {
        private final IngestSession session;
        private final LongSupplier rawBytes;
        private final IdResolver ids;
        private final SpanEmitter emitter;
        private final Map<ResourceData, Long> resources = new HashMap<>();
        private final Map<ScopeData, Long> scopes = new HashMap<>();

        Reader(IngestSession session, LongSupplier rawBytes) {
            this.session = session;
            this.rawBytes = rawBytes;
            this.ids = new IdResolver(session);
            this.emitter = new SpanEmitter(session, ids, rawBytes, "spanContext.traceId", "spanContext.spanId",
                    "startTime", "endTime");
        }

        void read(InputStream content) throws IOException {
            JsonRecords.read(content, session, rawBytes, this::topLevel);
        }

        private void topLevel(JsonParser p, Where where) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_ARRAY) {
                JsonRecords.forEachObject(p, where, session, "span", this::span);
            } else if (t == JsonToken.START_OBJECT) {
                object(p, where);
            } else {
                session.reject(where.toString(), "expected a span, an array of spans or an object of spans, found "
                        + JsonRecords.describe(t));
                p.skipChildren();
            }
        }

        /** A top-level object: one span, or spans keyed by name (decided by the first field). */
        private void object(JsonParser p, Where where) throws IOException {
            if (p.nextToken() != JsonToken.FIELD_NAME) {
                session.warn(where.toString(), "the object is empty; no spans");
                return;
            }
            if (SPAN_FIELDS.contains(p.currentName())) {
                spanFields(p, where);
                return;
            }
            do {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                Where w = new Where(JsonRecords.lineOf(p, where), where.path() + "[\"" + key + "\"]");
                if (v == JsonToken.START_ARRAY) {
                    JsonRecords.forEachObject(p, w, session, "span", this::span);
                } else if (v == JsonToken.START_OBJECT) {
                    session.checkCancelled();
                    span(p, w);
                } else {
                    session.reject(w.toString(), "expected a span or an array of spans, found "
                            + JsonRecords.describe(v));
                    p.skipChildren();
                }
            } while (p.nextToken() == JsonToken.FIELD_NAME);
        }

        /** A span object; the parser is on its START_OBJECT. */
        private void span(JsonParser p, Where where) throws IOException {
            if (p.nextToken() != JsonToken.FIELD_NAME) {
                session.reject(where.toString(), "the span object is empty");
                return;
            }
            spanFields(p, where);
        }

        /** The fields of a span; the parser is on the first FIELD_NAME. Consumes the END_OBJECT. */
        private void spanFields(JsonParser p, Where where) throws IOException {
            Span s = new Span(where);
            do {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                Where fw = new Where(JsonRecords.lineOf(p, where), where.child(f).path());
                switch (f) {
                    case "name" -> s.name = optionalText(p, fw);
                    case "spanContext", "_spanContext" -> spanContext(p, fw, s);
                    case "parentSpanId" -> s.parent = optionalText(p, fw);
                    case "parentSpanContext" -> s.parent = parentContext(p, fw);
                    case "kind" -> s.kind = kind(p, fw);
                    case "attributes" -> s.attributes.addAll(flatMap(p, fw));
                    case "status" -> status(p, fw, s);
                    case "startTime" -> s.start = time(p, fw, s, true);
                    case "endTime" -> s.end = time(p, fw, s, false);
                    case "duration", "_duration" -> s.duration = time(p, fw, s, false);
                    case "events" -> events(p, fw, s);
                    case "links" -> links(p, fw, s);
                    case "resource" -> s.resource = resource(p, fw);
                    case "instrumentationLibrary", "instrumentationScope" -> s.scope = scope(p, fw);
                    case "droppedAttributesCount", "_droppedAttributesCount" -> s.droppedAttributes = (int) count(p);
                    case "droppedEventsCount", "_droppedEventsCount" -> s.droppedEvents = (int) count(p);
                    case "droppedLinksCount", "_droppedLinksCount" -> s.droppedLinks = (int) count(p);
                    default -> p.skipChildren();
                }
            } while (p.nextToken() == JsonToken.FIELD_NAME);
            emit(s);
        }

        private void emit(Span s) {
            if (s.end == null && s.start != null && s.duration != null) {
                s.end = s.start + s.duration;
            }
            emitter.emit(s, r -> {
                ResourceData rd = s.resource == null ? new ResourceData(List.of(), null, 0) : s.resource;
                ScopeData sd = s.scope == null ? new ScopeData("", "", List.of(), null, 0) : s.scope;
                return new long[] {resources.computeIfAbsent(rd, session::resource),
                    scopes.computeIfAbsent(sd, session::scope)};
            });
        }

        // ---------------------------------------------------------------- fields

        private void spanContext(JsonParser p, Where w, Span s) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                s.reject(w, "expected an object with traceId and spanId, found "
                        + JsonRecords.describe(p.currentToken()));
                p.skipChildren();
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                Where fw = w.child(f);
                switch (f) {
                    case "traceId" -> s.traceId = idText(p, fw, s);
                    case "spanId" -> s.spanId = idText(p, fw, s);
                    case "traceFlags" -> s.flags = (int) count(p);
                    case "traceState" -> s.traceState = traceState(p);
                    default -> p.skipChildren();
                }
            }
        }

        private String parentContext(JsonParser p, Where w) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return null;
            }
            if (p.currentToken() != JsonToken.START_OBJECT) {
                session.warn(w.toString(), "expected an object with spanId, found "
                        + JsonRecords.describe(p.currentToken()) + "; the span is kept as a root");
                p.skipChildren();
                return null;
            }
            String parent = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                if (f.equals("spanId")) {
                    parent = optionalText(p, w.child(f));
                } else {
                    p.skipChildren();
                }
            }
            return parent;
        }

        /** An id: a string (numbers are accepted as their text); anything else rejects the span. */
        private String idText(JsonParser p, Where w, Span s) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT) {
                return p.getText();
            }
            if (t != JsonToken.VALUE_NULL) {
                s.reject(w, "expected a hex string, found " + JsonRecords.describe(t));
            }
            p.skipChildren();
            return null;
        }

        /** The JS SDK's own enum (INTERNAL = 0 ... CONSUMER = 4), or a kind name. */
        private SpanKind kind(JsonParser p, Where w) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT) {
                long k = p.getLongValue();
                if (k >= 0 && k <= 4) {
                    return SpanKind.fromCode((int) k + 1);
                }
                session.warn(w.toString(), "kind " + k + " is not a SpanKind of the JS SDK (0 to 4); kept as "
                        + "unspecified");
                return SpanKind.UNSPECIFIED;
            }
            if (t == JsonToken.VALUE_STRING) {
                String s = p.getText().trim().toUpperCase(Locale.ROOT);
                String bare = s.startsWith("SPAN_KIND_") ? s.substring(10) : s;
                for (SpanKind k : SpanKind.values()) {
                    if (k.name().equals(bare)) {
                        return k;
                    }
                }
                session.warn(w.toString(), "kind '" + abbreviate(p.getText()) + "' is not a SpanKind; kept as "
                        + "unspecified");
                return SpanKind.UNSPECIFIED;
            }
            if (t != JsonToken.VALUE_NULL) {
                session.warn(w.toString(), "expected a SpanKind number, found " + JsonRecords.describe(t)
                        + "; kept as unspecified");
            }
            p.skipChildren();
            return SpanKind.UNSPECIFIED;
        }

        private void status(JsonParser p, Where w, Span s) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                if (p.currentToken() != JsonToken.VALUE_NULL) {
                    session.warn(w.toString(), "expected an object {code, message}, found "
                            + JsonRecords.describe(p.currentToken()) + "; the status is left unset");
                }
                p.skipChildren();
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                Where fw = w.child(f);
                if (f.equals("code")) {
                    s.status = statusCode(p, t, fw);
                } else if (f.equals("message")) {
                    s.statusMessage = optionalText(p, fw);
                } else {
                    p.skipChildren();
                }
            }
        }

        private StatusCode statusCode(JsonParser p, JsonToken t, Where w) throws IOException {
            if (t == JsonToken.VALUE_NUMBER_INT && p.getLongValue() >= 0 && p.getLongValue() <= 2) {
                return StatusCode.fromCode(p.getIntValue());
            }
            if (t == JsonToken.VALUE_STRING) {
                String s = p.getText().trim().toUpperCase(Locale.ROOT);
                String bare = s.startsWith("STATUS_CODE_") ? s.substring(12) : s;
                for (StatusCode c : StatusCode.values()) {
                    if (c.name().equals(bare)) {
                        return c;
                    }
                }
            }
            if (t != JsonToken.VALUE_NULL) {
                session.warn(w.toString(), "status code " + (t.isScalarValue() ? "'" + abbreviate(p.getText()) + "'"
                        : JsonRecords.describe(t)) + " is not 0 (unset), 1 (ok) or 2 (error); the status is left "
                        + "unset");
            }
            p.skipChildren();
            return StatusCode.UNSET;
        }

        /**
         * A time field: a malformed start time rejects the span (it cannot be placed); a malformed end time or
         * duration is a warning and the field is ignored.
         */
        private Long time(JsonParser p, Where w, Span s, boolean required) throws IOException {
            try {
                return hrtime(p);
            } catch (BadTime e) {
                if (required) {
                    s.reject(w, e.getMessage());
                } else {
                    session.warn(w.toString(), e.getMessage() + "; ignored");
                }
                return null;
            }
        }

        /** An hrtime {@code [seconds, nanoseconds]} in epoch nanoseconds, or null for JSON null. Consumes the value. */
        private static Long hrtime(JsonParser p) throws IOException, BadTime {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.START_ARRAY) {
                String found = JsonRecords.describe(t) + (t.isScalarValue() ? " '" + abbreviate(p.getText()) + "'" : "");
                p.skipChildren();
                throw new BadTime("expected [seconds, nanoseconds], found " + found);
            }
            List<Long> parts = new ArrayList<>(2);
            String problem = null;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                JsonToken e = p.currentToken();
                if (e == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    parts.add(p.getLongValue());
                } else if (e == JsonToken.VALUE_NUMBER_FLOAT && p.getDoubleValue() == Math.rint(p.getDoubleValue())
                        && Math.abs(p.getDoubleValue()) < 9.0e15) {
                    parts.add((long) p.getDoubleValue());
                } else if (problem == null) {
                    problem = "expected [seconds, nanoseconds] as two integers, found "
                            + (e.isScalarValue() ? "'" + abbreviate(p.getText()) + "'" : JsonRecords.describe(e))
                            + " in the array";
                    p.skipChildren();
                } else {
                    p.skipChildren();
                }
            }
            if (problem != null) {
                throw new BadTime(problem);
            }
            if (parts.size() != 2) {
                throw new BadTime("expected [seconds, nanoseconds], found an array of " + parts.size() + " numbers");
            }
            try {
                return Timestamps.hrtimeToNanos(parts.get(0), parts.get(1));
            } catch (ArithmeticException e) {
                throw new BadTime("[" + parts.get(0) + ", " + parts.get(1) + "] is out of range");
            }
        }

        private void events(JsonParser p, Where w, Span s) throws IOException {
            if (!expectArray(p, w)) {
                return;
            }
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                Where ew = new Where(JsonRecords.lineOf(p, w), w.index(i++).path());
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    session.warn(ew.toString(), "expected an event object, found "
                            + JsonRecords.describe(p.currentToken()) + "; the event was skipped");
                    p.skipChildren();
                    continue;
                }
                SpanRecord.Event e = new SpanRecord.Event();
                boolean ok = true;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    Where fw = ew.child(f);
                    switch (f) {
                        case "name" -> e.name = orEmpty(optionalText(p, fw));
                        case "time" -> {
                            try {
                                e.time = hrtime(p);
                            } catch (BadTime bt) {
                                session.warn(fw.toString(), bt.getMessage() + "; the event was skipped");
                                ok = false;
                            }
                        }
                        case "attributes" -> e.attributes = flatMap(p, fw);
                        case "droppedAttributesCount" -> e.dropped = (int) count(p);
                        default -> p.skipChildren();
                    }
                }
                if (ok) {
                    if (e.time == null) {
                        session.warn(ew.toString(), "the event has no time; it is placed at the span's start");
                    }
                    s.events.add(e);
                }
            }
        }

        private void links(JsonParser p, Where w, Span s) throws IOException {
            if (!expectArray(p, w)) {
                return;
            }
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                Where lw = new Where(JsonRecords.lineOf(p, w), w.index(i++).path());
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    session.warn(lw.toString(), "expected a link object, found "
                            + JsonRecords.describe(p.currentToken()) + "; the link was skipped");
                    p.skipChildren();
                    continue;
                }
                Span target = new Span(lw);
                List<Attribute> attrs = List.of();
                int dropped = 0;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    switch (f) {
                        case "context" -> spanContext(p, lw.child(f), target);
                        case "attributes" -> attrs = flatMap(p, lw.child(f));
                        case "droppedAttributesCount" -> dropped = (int) count(p);
                        default -> p.skipChildren();
                    }
                }
                TraceId tid = ids.referencedTraceId(target.traceId);
                Long sid = ids.referencedSpanId(target.spanId);
                if (target.rejected() || tid == null || sid == null) {
                    session.warn(lw.toString(), (target.rejected() ? target.badReason() + " at "
                            + target.badLocation() : "the link has no context.traceId and context.spanId")
                            + "; the link was skipped");
                    continue;
                }
                s.links.add(new SpanLinkData(tid, sid, target.traceState, target.flags, attrs, dropped));
            }
        }

        private ResourceData resource(JsonParser p, Where w) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                if (p.currentToken() != JsonToken.VALUE_NULL) {
                    session.warn(w.toString(), "expected an object with attributes, found "
                            + JsonRecords.describe(p.currentToken()) + "; an empty resource is used");
                }
                p.skipChildren();
                return null;
            }
            List<Attribute> attrs = new ArrayList<>();
            String schemaUrl = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "attributes", "_attributes" -> attrs.addAll(flatMap(p, w.child(f)));
                    case "schemaUrl" -> schemaUrl = optionalText(p, w.child(f));
                    default -> p.skipChildren();
                }
            }
            return new ResourceData(attrs, schemaUrl, 0);
        }

        private ScopeData scope(JsonParser p, Where w) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                if (p.currentToken() != JsonToken.VALUE_NULL) {
                    session.warn(w.toString(), "expected an object {name, version}, found "
                            + JsonRecords.describe(p.currentToken()) + "; an empty scope is used");
                }
                p.skipChildren();
                return null;
            }
            String name = "";
            String version = "";
            String schemaUrl = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "name" -> name = orEmpty(optionalText(p, w.child(f)));
                    case "version" -> version = orEmpty(optionalText(p, w.child(f)));
                    case "schemaUrl" -> schemaUrl = optionalText(p, w.child(f));
                    default -> p.skipChildren();
                }
            }
            return new ScopeData(name, version, List.of(), schemaUrl, 0);
        }

        /** A plain attribute map: each value typed by its JSON type; nulls are dropped (OTel has no null value). */
        private List<Attribute> flatMap(JsonParser p, Where w) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                if (p.currentToken() != JsonToken.VALUE_NULL) {
                    session.warn(w.toString(), "expected an object of attributes, found "
                            + JsonRecords.describe(p.currentToken()) + "; ignored");
                }
                p.skipChildren();
                return new ArrayList<>();
            }
            List<Attribute> out = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                if (p.nextToken() == JsonToken.VALUE_NULL) {
                    continue;
                }
                AttributeValue v = JsonValues.value(p);
                out.add(new Attribute(k, v));
            }
            return out;
        }

        private boolean expectArray(JsonParser p, Where w) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_ARRAY) {
                return true;
            }
            if (t != JsonToken.VALUE_NULL) {
                session.warn(w.toString(), "expected an array, found " + JsonRecords.describe(t) + "; ignored");
            }
            p.skipChildren();
            return false;
        }

        /** A string field that is nice to have: another type is a warning and the field is ignored. */
        private String optionalText(JsonParser p, Where w) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            if (t != JsonToken.VALUE_NULL) {
                session.warn(w.toString(), "expected a string, found " + JsonRecords.describe(t) + "; ignored");
            }
            p.skipChildren();
            return null;
        }

        private static String traceState(JsonParser p) throws IOException {
            // the SDK's TraceState object serialises as {"_internalState": {...}}: only a string is usable
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            p.skipChildren();
            return null;
        }

        private static long count(JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return p.getLongValue();
            }
            p.skipChildren();
            return 0;
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String abbreviate(String s) {
        return s.length() > 48 ? s.substring(0, 48) + "…" : s;
    }

    /** The fields of one span as read so far, with the JS SDK's own. */
    private static final class Span extends SpanRecord {
        Long duration;
        ResourceData resource;
        ScopeData scope;

        Span(Where where) {
            super(where);
        }
    }

    /** A time value that is not an hrtime pair. */
    private static final class BadTime extends Exception {
        private static final long serialVersionUID = 1L;

        BadTime(String message) {
            super(message, null, false, false);
        }
    }
}
