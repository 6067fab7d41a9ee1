package dev.tracebench.importers.langfuse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.importers.TraceFormat;
import dev.tracebench.importers.common.IdResolver;
import dev.tracebench.importers.common.JsonRecords;
import dev.tracebench.importers.common.Timestamps;
import dev.tracebench.importers.common.Where;
import dev.tracebench.importers.common.JsonTree;
import dev.tracebench.importers.common.JsonTree.Obj;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads traces exported from Langfuse's public API: {@code {"trace": {..., "observations": [...]}, "observations":
 * [...]}} (the shape of Langfuse's own framework-trace fixtures), a trace as {@code GET /api/public/traces/{id}}
 * returns it (observations inside), a page {@code {"data": [...]}} of either or of observations, arrays or JSON Lines
 * of any of these, and single observations (one per line, as a batch export of the observations table writes them).
 * Each observation becomes one span.
 *
 * <p>Langfuse writes a trace's observations twice, an abbreviated copy inside the trace and the full copy (with
 * metadata, input and output) beside it, so one trace export is read whole before its spans are passed on; each
 * observation is imported once, the full copy preferred. A file cut short keeps the complete observations read
 * before the cut.
 *
 * <p>Observations that reached Langfuse through its OTel endpoint carry the original span in {@code metadata} (a
 * JSON-encoded string): {@code attributes} become the span's attributes again (typed by their JSON type; Langfuse
 * stores them as strings, so they stay strings), {@code resourceAttributes} the resource and {@code scope} the
 * instrumentation scope; other metadata keys (SDK-native traces) are kept as
 * {@code langfuse.observation.metadata.<key>}. Langfuse's own fields are added under the names its OTel mapping reads
 * ({@code langfuse.observation.type}, {@code .model.name}, {@code .model.parameters}, {@code .usage_details},
 * {@code .cost_details}, {@code .level}, {@code .status_message}, {@code .input}, {@code .output},
 * {@code .completion_start_time}, {@code .prompt.name|version}, {@code langfuse.environment}, {@code langfuse.version}),
 * so a normaliser reads one vocabulary whether a trace came through Langfuse or straight from OTLP; an original
 * attribute of the same name wins. Maps are kept as JSON text and input/output as the text Langfuse gives. The
 * trace's fields ({@code langfuse.trace.name}, {@code user.id}, {@code session.id}, {@code langfuse.trace.tags},
 * {@code langfuse.trace.input|output}, {@code langfuse.release}, {@code langfuse.trace.metadata.<key>}) go on its root
 * observations, since the trace is not a span of its own.
 *
 * <p>Level ERROR is the error status (with the status message); the OTel span kind is not kept by Langfuse, so it is
 * INTERNAL unless a {@code span.kind} attribute says otherwise. {@code completionStartTime} (time to first token) is
 * also a {@code first_token} event. An observation without an end (Langfuse EVENTs have none) has zero duration, with a
 * warning unless it is an EVENT. UUID trace ids (SDK v2) are read as their 32 hex digits; other ids that are not hex
 * are mapped by {@link IdResolver}.
 */
public final class LangfuseTraceFormat implements TraceFormat {
    public static final String OBSERVATION = "langfuse.observation.";
    public static final String FIRST_TOKEN_EVENT = "first_token";
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** Metadata keys that hold the original OTel span rather than user metadata. */
    private static final Set<String> OTEL_METADATA = Set.of("attributes", "resourceAttributes", "scope");

    @Override
    public String id() {
        return "langfuse-json";
    }

    @Override
    public String displayName() {
        return "Langfuse trace export";
    }

    @Override
    public String expected() {
        return "Langfuse traces {\"trace\": {...}, \"observations\": [...]} or observations {\"id\", "
                + "\"traceId\", \"type\", \"startTime\"}";
    }

    @Override
    public int sniff(Head head) {
        String t = head.trimmed();
        if (t.isEmpty() || (t.charAt(0) != '[' && t.charAt(0) != '{') || head.has("\"resourceSpans\"")) {
            return 0;
        }
        if (head.has("\"parentObservationId\"")) {
            return 90;
        }
        // a trace whose input is large enough to push the observations beyond the head
        if (head.has("{\"trace\":{") || head.has("\"observations\":[")) {
            return head.has("\"projectId\"") || head.has("\"htmlPath\"") ? 60 : 0;
        }
        return 0;
    }

    @Override
    public void read(InputStream content, IngestSession session, ReadContext context) throws IOException {
        Reader r = new Reader(session);
        JsonRecords.read(content, session, context.rawBytesRead(), r::value);
    }

    /** One source's reading state: the resources and scopes registered so far. */
    private static final class Reader {
        private final IngestSession session;
        private final IdResolver ids;
        private final Map<ResourceData, Long> resources = new HashMap<>();
        private final Map<ScopeData, Long> scopes = new HashMap<>();

        Reader(IngestSession session) {
            this.session = session;
            this.ids = new IdResolver(session);
        }

        /** A top-level value: one export (or page, or observation), or an array of them read one at a time. */
        void value(JsonParser p, Where where) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_ARRAY) {
                JsonRecords.forEachObject(p, where, session, "Langfuse trace export", this::element);
            } else if (t == JsonToken.START_OBJECT) {
                element(p, where);
            } else {
                session.reject(where.toString(), "expected a Langfuse trace export (an object), found "
                        + JsonRecords.describe(t));
                p.skipChildren();
            }
        }

        /** One object, read whole; if the input breaks off inside it, what was read is used before the error. */
        private void element(JsonParser p, Where where) throws IOException {
            Obj o = new Obj(JsonRecords.lineOf(p, where));
            try {
                JsonTree.fill(p, o, where);
            } catch (IOException e) {
                int kept = interpret(o, where, true);
                if (kept > 0) {
                    session.warn(where.toString(), "the input breaks off inside this trace export; the " + kept
                            + " complete observations read before the damage were kept");
                }
                throw e;
            }
            interpret(o, where, false);
        }

        /** Imports what {@code o} holds; returns the number of observations passed on. */
        private int interpret(Obj o, Where where, boolean cut) {
            if (o.get("trace") instanceof Obj trace) {
                return export(trace, where.child("trace"), o.get("observations"), where.child("observations"), cut);
            }
            if (o.get("observations") instanceof List<?>) {
                return export(o, where, null, null, cut);
            }
            if (o.get("data") instanceof List<?> data) {
                int n = 0;
                Where dw = where.child("data");
                for (int i = 0; i < data.size(); i++) {
                    Object e = data.get(i);
                    Where ew = e instanceof Obj eo ? dw.index(i).atLine(eo.line) : dw.index(i);
                    if (!(e instanceof Obj eo)) {
                        if (!cut) {
                            session.reject(ew.toString(), "expected a trace or an observation object, found "
                                    + JsonTree.describe(e));
                        }
                        continue;
                    }
                    n += interpret(eo, ew, cut);
                }
                return n;
            }
            if (isObservation(o)) {
                if (cut && !o.complete) {
                    return 0;
                }
                return observation(o, where, null) ? 1 : 0;
            }
            if (!cut) {
                session.reject(where.toString(), "expected a Langfuse trace export ({\"trace\": ..., \"observations\": "
                        + "[...]}), a trace with observations or an observation; found an object with "
                        + (o.isEmpty() ? "no fields" : "the fields " + fields(o)));
            }
            return 0;
        }

        private static boolean isObservation(Obj o) {
            return o.containsKey("startTime") && (o.containsKey("traceId") || o.containsKey("type"));
        }

        /**
         * One trace and its observations: the copies inside the trace and the full ones beside it ({@code top},
         * may be null) are merged by id, the full copy winning.
         */
        private int export(Obj trace, Where traceWhere, Object top, Where topWhere, boolean cut) {
            Map<String, Obj> chosen = new LinkedHashMap<>();
            Map<String, Where> where = new HashMap<>();
            Set<String> abbreviated = new HashSet<>();
            collect(trace.get("observations"), traceWhere.child("observations"), cut, chosen, where, abbreviated, true);
            if (top != null) {
                collect(top, topWhere, cut, chosen, where, abbreviated, false);
                if (!cut) {
                    for (String id : abbreviated) {
                        session.warn(where.get(id).toString(), "the observation has no full copy beside the trace; "
                                + "its abbreviated copy inside the trace was used (metadata, input and output may be "
                                + "missing)");
                    }
                }
            }
            if (chosen.isEmpty()) {
                if (!cut) {
                    session.warn(traceWhere.toString(), "the trace has no observations; nothing was imported from it");
                }
                return 0;
            }
            Trace t = new Trace(trace, traceWhere, this);
            int n = 0;
            for (Map.Entry<String, Obj> e : chosen.entrySet()) {
                session.checkCancelled();
                if (observation(e.getValue(), where.get(e.getKey()), t)) {
                    n++;
                }
            }
            return n;
        }

        /**
         * Adds the complete observation objects of {@code list} to {@code chosen}, replacing earlier copies;
         * {@code inner} copies are marked in {@code abbreviated} until a full copy replaces them.
         */
        private void collect(Object list, Where listWhere, boolean cut, Map<String, Obj> chosen,
                Map<String, Where> where, Set<String> abbreviated, boolean inner) {
            if (list == null) {
                return;
            }
            if (!(list instanceof List<?> l)) {
                session.warn(listWhere.toString(), "expected an array of observations, found "
                        + JsonTree.describe(list) + "; ignored");
                return;
            }
            for (int i = 0; i < l.size(); i++) {
                Object e = l.get(i);
                if (!(e instanceof Obj o)) {
                    if (!cut) {
                        session.reject(listWhere.index(i).toString(), "expected an observation object, found "
                                + JsonTree.describe(e) + (e instanceof String
                                ? " (a trace list holds only observation ids: export each trace with GET "
                                + "/api/public/traces/{id})" : ""));
                    }
                    continue;
                }
                if (!o.complete) {
                    continue;
                }
                Where w = listWhere.index(i).atLine(o.line);
                String id = o.str("id");
                if (id == null || id.isBlank()) {
                    session.reject(w.toString(), "the observation has no id" + (o.containsKey("id")
                            ? " (found " + JsonTree.describe(o.get("id")) + ")" : ""));
                    continue;
                }
                chosen.put(id, o);
                where.put(id, w);
                if (inner) {
                    abbreviated.add(id);
                } else {
                    abbreviated.remove(id);
                }
            }
        }

        // ---------------------------------------------------------------- one observation

        /** Passes one observation on as a span; false if it was rejected. */
        private boolean observation(Obj o, Where w, Trace trace) {
            String loc = w.toString();
            List<Attribute> attrs = new ArrayList<>();
            String type = text(o, "type", w);
            String name = text(o, "name", w);
            String parentRaw = text(o, "parentObservationId", w);
            String traceRaw = o.containsKey("traceId") ? text(o, "traceId", w) : null;
            if ((traceRaw == null || traceRaw.isBlank()) && trace != null) {
                traceRaw = trace.id;
            }
            Long start;
            try {
                start = time(o, "startTime");
            } catch (IllegalArgumentException e) {
                session.reject(w.child("startTime").atLine(o.line).toString(), e.getMessage());
                return false;
            }
            Long end;
            boolean endReported = false;
            try {
                end = time(o, "endTime");
            } catch (IllegalArgumentException e) {
                session.warn(w.child("endTime").toString(), e.getMessage() + "; the observation is kept with zero "
                        + "duration");
                end = null;
                endReported = true;
            }

            // the original OTel span, if Langfuse kept it, and the user's metadata
            Obj md = metadata(o, w, attrs);
            ResourceData resource = new ResourceData(List.of(), null, 0);
            ScopeData scope = new ScopeData("", "", List.of(), null, 0);
            if (md != null) {
                Object a = md.get("attributes");
                if (a instanceof Map<?, ?> m) {
                    putAll(m, attrs);
                } else if (a != null) {
                    session.warn(w.child("metadata.attributes").toString(), "expected an object, found "
                            + JsonTree.describe(a) + "; ignored");
                }
                Object r = md.get("resourceAttributes");
                if (r instanceof Map<?, ?> m) {
                    List<Attribute> ra = new ArrayList<>();
                    putAll(m, ra);
                    resource = new ResourceData(ra, null, 0);
                } else if (r != null) {
                    session.warn(w.child("metadata.resourceAttributes").toString(), "expected an object, found "
                            + JsonTree.describe(r) + "; an empty resource is used");
                }
                Object s = md.get("scope");
                if (s instanceof Obj so) {
                    List<Attribute> sa = new ArrayList<>();
                    if (so.get("attributes") instanceof Map<?, ?> m) {
                        putAll(m, sa);
                    }
                    scope = new ScopeData(so.str("name"), so.str("version"), sa, null, 0);
                } else if (s != null) {
                    session.warn(w.child("metadata.scope").toString(), "expected an object, found "
                            + JsonTree.describe(s) + "; an empty scope is used");
                }
                for (Map.Entry<String, Object> e : md.entrySet()) {
                    if (!OTEL_METADATA.contains(e.getKey()) && e.getValue() != null) {
                        add(attrs, OBSERVATION + "metadata." + e.getKey(), JsonTree.toValue(e.getValue()));
                    }
                }
            }

            // Langfuse's own fields, under the names of its OTel mapping
            String level = text(o, "level", w);
            String statusMessage = text(o, "statusMessage", w);
            addText(attrs, OBSERVATION + "type", type);
            addText(attrs, OBSERVATION + "model.name", text(o, "model", w));
            addJson(attrs, OBSERVATION + "model.parameters", o.get("modelParameters"));
            Object usage = nonEmpty(o.get("usageDetails")) ? o.get("usageDetails") : o.get("usage");
            addJson(attrs, OBSERVATION + "usage_details", usage);
            addJson(attrs, OBSERVATION + "cost_details", o.get("costDetails"));
            addText(attrs, OBSERVATION + "level", level);
            addText(attrs, OBSERVATION + "status_message", statusMessage);
            addText(attrs, OBSERVATION + "input", asText(o.get("input")));
            addText(attrs, OBSERVATION + "output", asText(o.get("output")));
            String completionStart = text(o, "completionStartTime", w);
            addText(attrs, OBSERVATION + "completion_start_time", completionStart);
            addText(attrs, OBSERVATION + "prompt.name", text(o, "promptName", w));
            addText(attrs, OBSERVATION + "prompt.version", asText(o.get("promptVersion")));
            addText(attrs, "langfuse.environment", text(o, "environment", w));
            addText(attrs, "langfuse.version", asText(o.get("version")));
            boolean root = parentRaw == null || parentRaw.isBlank();
            if (root && trace != null) {
                trace.addTo(attrs);
            }

            // ids (a mapped id adds its original to the attributes, so after them)
            TraceId tid = ids.traceId(uuidAsHex(traceRaw), loc, attrs);
            if (tid == null) {
                session.reject(loc, "the observation has no traceId (and is not inside a trace)");
                return false;
            }
            Long sid = ids.spanId(o.str("id"), loc, attrs);
            if (sid == null) {
                session.reject(loc, "the observation has no id");
                return false;
            }
            Long parent = root ? null : ids.referencedSpanId(parentRaw);

            // times
            boolean event = "EVENT".equalsIgnoreCase(type);
            if (start == null) {
                session.warn(loc, "the observation has no startTime; it is kept with " + (end == null ? "time 0"
                        : "zero duration at its endTime"));
                start = end == null ? 0L : end;
                end = start;
            } else if (end == null) {
                if (!event && !endReported) {
                    session.warn(loc, "the observation has no endTime (it may not have ended when exported); it is "
                            + "kept with zero duration");
                }
                end = start;
            }
            List<SpanEventData> events = new ArrayList<>();
            if (completionStart != null) {
                try {
                    events.add(new SpanEventData(Timestamps.isoToNanos(completionStart), FIRST_TOKEN_EVENT, List.of(),
                            0));
                } catch (IllegalArgumentException | ArithmeticException e) {
                    session.warn(w.child("completionStartTime").toString(), "'" + abbreviate(completionStart)
                            + "' is not an ISO-8601 timestamp; no first_token event (the text is kept as "
                            + OBSERVATION + "completion_start_time)");
                }
            }

            StatusCode status = "ERROR".equalsIgnoreCase(level) ? StatusCode.ERROR : StatusCode.UNSET;
            long rid = resources.computeIfAbsent(resource, session::resource);
            long scid = scopes.computeIfAbsent(scope, session::scope);
            session.span(rid, scid, new SpanData(tid, sid, parent, name, kind(attrs), start, end, status,
                    status == StatusCode.ERROR ? statusMessage : null, null, 0, attrs, 0, events, 0, List.of(), 0,
                    loc));
            return true;
        }

        /** The observation's metadata as an object (parsed when Langfuse encoded it as a string), or null. */
        private Obj metadata(Obj o, Where w, List<Attribute> attrs) {
            Object m = o.get("metadata");
            if (m instanceof Obj mo) {
                return mo;
            }
            if (m instanceof String s && !s.isBlank()) {
                try {
                    Object parsed = JsonTree.parse(s);
                    if (parsed instanceof Obj po) {
                        return po;
                    }
                } catch (IOException e) {
                    // not JSON: plain text metadata, kept as it is below
                }
                attrs.add(Attribute.of(OBSERVATION + "metadata", s));
                return null;
            }
            if (m != null) {
                attrs.add(new Attribute(OBSERVATION + "metadata", JsonTree.toValue(m)));
            }
            return null;
        }

        /** Epoch nanoseconds of an ISO time field, null if absent; throws naming the field if malformed. */
        private static Long time(Obj o, String field) {
            Object v = o.get(field);
            if (v == null) {
                return null;
            }
            if (!(v instanceof String s)) {
                throw new IllegalArgumentException(field + ": expected an ISO-8601 timestamp string, found "
                        + JsonTree.describe(v));
            }
            try {
                return Timestamps.isoToNanos(s);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(field + ": '" + abbreviate(s) + "' is out of range");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + ": '" + abbreviate(s) + "' is not an ISO-8601 timestamp");
            }
        }

        /** A string field; another type is a warning and the field is ignored. */
        private String text(Obj o, String field, Where w) {
            Object v = o.get(field);
            if (v == null || v instanceof String) {
                return (String) v;
            }
            session.warn(w.child(field).toString(), "expected a string, found " + JsonTree.describe(v) + "; ignored");
            return null;
        }
    }

    /** The trace-level fields that go on root observations. */
    private static final class Trace {
        final String id;
        private final List<Attribute> attributes = new ArrayList<>();

        Trace(Obj t, Where w, Reader r) {
            id = t.str("id");
            addText(attributes, "langfuse.trace.name", r.text(t, "name", w));
            addText(attributes, "user.id", r.text(t, "userId", w));
            addText(attributes, "session.id", r.text(t, "sessionId", w));
            if (t.get("tags") instanceof List<?> tags && !tags.isEmpty()) {
                List<AttributeValue> values = new ArrayList<>();
                for (Object tag : tags) {
                    if (tag != null) {
                        values.add(new AttributeValue.Str(asText(tag)));
                    }
                }
                attributes.add(new Attribute("langfuse.trace.tags", new AttributeValue.Array(values)));
            }
            addText(attributes, "langfuse.trace.input", asText(t.get("input")));
            addText(attributes, "langfuse.trace.output", asText(t.get("output")));
            addText(attributes, "langfuse.release", r.text(t, "release", w));
            Object m = t.get("metadata");
            if (m instanceof String s && !s.isBlank()) {
                try {
                    m = JsonTree.parse(s);
                } catch (IOException e) {
                    attributes.add(Attribute.of("langfuse.trace.metadata", s));
                    m = null;
                }
            }
            if (m instanceof Map<?, ?> md) {
                for (Map.Entry<?, ?> e : md.entrySet()) {
                    if (!OTEL_METADATA.contains((String) e.getKey()) && e.getValue() != null) {
                        attributes.add(new Attribute("langfuse.trace.metadata." + e.getKey(),
                                JsonTree.toValue(e.getValue())));
                    }
                }
            }
        }

        void addTo(List<Attribute> attrs) {
            for (Attribute a : attributes) {
                add(attrs, a.key(), a.value());
            }
        }
    }

    // -------------------------------------------------------------------- helpers

    /** The OTel kind if an attribute names it (Langfuse does not keep the kind), else INTERNAL. */
    private static SpanKind kind(List<Attribute> attrs) {
        for (Attribute a : attrs) {
            if ((a.key().equals("span.kind") || a.key().equals("otel.span.kind"))
                    && a.value() instanceof AttributeValue.Str s) {
                String k = s.value().trim().toUpperCase(Locale.ROOT);
                k = k.startsWith("SPAN_KIND_") ? k.substring(10) : k;
                for (SpanKind c : SpanKind.values()) {
                    if (c.name().equals(k) && c != SpanKind.UNSPECIFIED) {
                        return c;
                    }
                }
            }
        }
        return SpanKind.INTERNAL;
    }

    /** A UUID (Langfuse SDK v2 trace ids) as its 32 hex digits; anything else unchanged. */
    private static String uuidAsHex(String raw) {
        return raw != null && UUID.matcher(raw.trim()).matches() ? raw.trim().replace("-", "") : raw;
    }

    /** A JSON object of attributes, each typed by its JSON type; nulls are dropped (OTel has no null value). */
    private static void putAll(Map<?, ?> m, List<Attribute> out) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (e.getValue() != null) {
                add(out, (String) e.getKey(), JsonTree.toValue(e.getValue()));
            }
        }
    }

    /** Adds the attribute unless one of that name is already there (the original attributes win). */
    private static void add(List<Attribute> attrs, String key, AttributeValue value) {
        for (Attribute a : attrs) {
            if (a.key().equals(key)) {
                return;
            }
        }
        attrs.add(new Attribute(key, value));
    }

    private static void addText(List<Attribute> attrs, String key, String value) {
        if (value != null) {
            add(attrs, key, new AttributeValue.Str(value));
        }
    }

    /** A map or list as JSON text; null and empty maps are left out (they say nothing). */
    private static void addJson(List<Attribute> attrs, String key, Object value) {
        if (nonEmpty(value)) {
            add(attrs, key, new AttributeValue.Str(value instanceof String s ? s : JsonTree.toJson(value)));
        }
    }

    private static boolean nonEmpty(Object v) {
        if (v instanceof Map<?, ?> m) {
            return m.values().stream().anyMatch(x -> x != null);
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        return v != null;
    }

    /** Text as given: strings as they are, anything else as JSON text; null stays null. */
    private static String asText(Object v) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        return v instanceof JsonTree.Num n ? n.text() : JsonTree.toJson(v);
    }

    private static String abbreviate(String s) {
        return s.length() > 48 ? s.substring(0, 48) + "…" : s;
    }

    private static String fields(Obj o) {
        List<String> names = new ArrayList<>(o.keySet());
        return String.join(", ", names.size() > 8 ? names.subList(0, 8) : names) + (names.size() > 8 ? ", ..." : "");
    }
}
