package dev.tracebench.importers.phoenix;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.StatusCode;
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
 * Reads Arize Phoenix's span objects, as its REST API ({@code GET /v1/projects/{id}/spans}) returns them and as
 * scripts save them: {@code {"name", "context": {"trace_id", "span_id"}, "span_kind", "parent_id", "start_time",
 * "end_time", "status_code", "status_message", "attributes": {...nested...}, "events": [...]}}. Accepted as a JSON
 * array, JSON Lines, a single object, or the API's page {@code {"data": [...], "next_cursor": ...}}; spans are read
 * and handed on one at a time.
 *
 * <p>Phoenix stores and returns attributes nested ({@code {"llm": {"token_count": {"prompt": 10}}}}, message and
 * document lists as arrays); they are flattened back to the flat OpenInference names the instrumentation wrote
 * ({@code llm.token_count.prompt}, {@code retrieval.documents.10.document.id}), so a span reads the same whether it
 * came from Phoenix or straight from OTLP. {@code span_kind} is Phoenix's copy of {@code openinference.span.kind}:
 * it is added as that attribute when the attributes lack it (Phoenix's placeholder {@code UNKNOWN} is not).
 *
 * <p>The export has no resource, scope or OTel span kind: the resource is built from {@code service.name} when the
 * attributes carry it, otherwise from the Phoenix project ({@code project_name} or {@code project} on the span or
 * the page, which must come before {@code data} to apply, since spans are passed on as they are read) as
 * {@code service.name} and {@code openinference.project.name}, otherwise it is empty ({@code unknown_service}); the
 * scope is empty and the kind unspecified rather than guessed. Ids that are not hex (Phoenix's GraphQL node ids look
 * like base64) are mapped by {@link IdResolver}. A span without ids or with a malformed start time is rejected; a
 * malformed end time, status or event is kept with a warning.
 */
public final class PhoenixSpansFormat implements TraceFormat {
    public static final String OPENINFERENCE_SPAN_KIND = "openinference.span.kind";
    public static final String PROJECT_NAME = "openinference.project.name";
    /** The fields of Phoenix's span object; an object with none of them is not a span. */
    private static final Set<String> SPAN_FIELDS = Set.of("name", "context", "span_kind", "parent_id", "start_time",
            "end_time", "status_code", "status_message", "attributes", "events");

    @Override
    public String id() {
        return "phoenix-json";
    }

    @Override
    public String displayName() {
        return "Phoenix span export";
    }

    @Override
    public String expected() {
        return "Phoenix spans {\"name\", \"context\": {\"trace_id\", \"span_id\"}, \"start_time\", "
                + "\"end_time\", \"attributes\"}";
    }

    @Override
    public int sniff(Head head) {
        String t = head.trimmed();
        if (t.isEmpty() || (t.charAt(0) != '[' && t.charAt(0) != '{') || head.has("\"resourceSpans\"")) {
            return 0;
        }
        boolean context = head.has("\"context\":{") && head.has("\"trace_id\"") && head.has("\"span_id\"");
        if (!context) {
            return 0;
        }
        if (head.has("\"span_kind\"")) {
            return 90;
        }
        // the Python ConsoleSpanExporter writes a similar shape ("kind": "SpanKind.INTERNAL", "0x" ids), which is
        // left to the explanation of unreadable files
        return head.has("\"start_time\"") && head.has("\"status_code\"") && !head.text().contains("\"0x") ? 40 : 0;
    }

    @Override
    public void read(InputStream content, IngestSession session, ReadContext context) throws IOException {
        new Reader(session, context.rawBytesRead()).read(content);
    }

    /** One source's reading state: the resources registered so far. */
    private static final class Reader {
        private final IngestSession session;
        private final LongSupplier rawBytes;
        private final IdResolver ids;
        private final SpanEmitter emitter;
        private final Map<ResourceData, Long> resources = new HashMap<>();
        private long scopeId = -1;

        Reader(IngestSession session, LongSupplier rawBytes) {
            this.session = session;
            this.rawBytes = rawBytes;
            this.ids = new IdResolver(session);
            this.emitter = new SpanEmitter(session, ids, rawBytes, "context.trace_id", "context.span_id",
                    "start_time", "end_time");
        }

        void read(InputStream content) throws IOException {
            JsonRecords.read(content, session, rawBytes, (p, w) -> value(p, w, null));
        }

        /** A top-level value (or an element of {@code data}): a span, a page of spans or an array of spans. */
        private void value(JsonParser p, Where where, String project) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_ARRAY) {
                JsonRecords.forEachObject(p, where, session, "span", (q, w) -> object(q, w, project));
            } else if (t == JsonToken.START_OBJECT) {
                object(p, where, project);
            } else {
                session.reject(where.toString(), "expected a span object or an array of spans, found "
                        + JsonRecords.describe(t));
                p.skipChildren();
            }
        }

        /**
         * An object: a span, or a page whose {@code data} holds spans. Both are read field by field; the fields
         * of a span are collected and the span is passed on when its object ends.
         */
        private void object(JsonParser p, Where where, String project) throws IOException {
            Span s = new Span(where);
            s.project = project;
            boolean page = false;
            List<String> others = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                Where fw = new Where(JsonRecords.lineOf(p, where), where.child(f).path());
                switch (f) {
                    case "data" -> {
                        page = true;
                        if (v == JsonToken.START_ARRAY) {
                            String pageProject = s.project;
                            JsonRecords.forEachObject(p, fw, session, "span", (q, w) -> object(q, w, pageProject));
                        } else {
                            session.reject(fw.toString(), "expected an array of spans, found "
                                    + JsonRecords.describe(v));
                            p.skipChildren();
                        }
                    }
                    case "name" -> s.name = optionalText(p, fw);
                    case "context" -> context(p, fw, s);
                    case "span_kind" -> s.spanKind = optionalText(p, fw);
                    case "parent_id" -> s.parent = optionalText(p, fw);
                    case "start_time" -> s.start = time(p, fw, s, true);
                    case "end_time" -> s.end = time(p, fw, s, false);
                    case "status_code" -> s.status = statusCode(p, fw);
                    case "status_message" -> s.statusMessage = optionalText(p, fw);
                    case "attributes" -> attributes(p, fw, s.attributes);
                    case "events" -> events(p, fw, s);
                    case "project_name", "project" -> {
                        String name = optionalText(p, fw);
                        s.project = name == null || name.isBlank() ? s.project : name;
                    }
                    default -> {
                        if (others.size() < 8) {
                            others.add(f);
                        }
                        p.skipChildren();
                    }
                }
                s.spanFields |= SPAN_FIELDS.contains(f);
            }
            if (page && !s.spanFields) {
                return;
            }
            if (!s.spanFields) {
                session.reject(where.toString(), "expected a Phoenix span (name, context, start_time, ...) or a page "
                        + "{\"data\": [...]}, found an object with " + (others.isEmpty() ? "no fields"
                        : "the fields " + String.join(", ", others)));
                return;
            }
            if (page) {
                session.warn(where.toString(), "the object has both span fields and a data array; both were read");
            }
            emit(s);
        }

        private void emit(Span s) {
            emitter.emit(s, r -> {
                if (s.spanKind != null && !s.spanKind.isBlank() && !s.spanKind.equalsIgnoreCase("UNKNOWN")
                        && find(s.attributes, OPENINFERENCE_SPAN_KIND) == null) {
                    s.attributes.add(Attribute.of(OPENINFERENCE_SPAN_KIND, s.spanKind));
                }
                long rid = resources.computeIfAbsent(resourceOf(s.attributes, s.project), session::resource);
                if (scopeId < 0) {
                    scopeId = session.scope(new ScopeData("", "", List.of(), null, 0));
                }
                return new long[] {rid, scopeId};
            });
        }

        private static ResourceData resourceOf(List<Attribute> attrs, String project) {
            AttributeValue service = find(attrs, "service.name");
            if (service instanceof AttributeValue.Str str && !str.value().isBlank()) {
                return new ResourceData(List.of(Attribute.of("service.name", str.value())), null, 0);
            }
            if (project != null) {
                return new ResourceData(List.of(Attribute.of("service.name", project),
                        Attribute.of(PROJECT_NAME, project)), null, 0);
            }
            return new ResourceData(List.of(), null, 0);
        }

        private static AttributeValue find(List<Attribute> attrs, String key) {
            for (Attribute a : attrs) {
                if (a.key().equals(key)) {
                    return a.value();
                }
            }
            return null;
        }

        // ---------------------------------------------------------------- fields

        private void context(JsonParser p, Where w, Span s) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                s.reject(w, "expected an object {trace_id, span_id}, found " + JsonRecords.describe(p.currentToken()));
                p.skipChildren();
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                Where fw = w.child(f);
                if (f.equals("trace_id") || f.equals("span_id")) {
                    String id = null;
                    if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT) {
                        id = p.getText();
                    } else if (t != JsonToken.VALUE_NULL) {
                        s.reject(fw, "expected an id string, found " + JsonRecords.describe(t));
                        p.skipChildren();
                    }
                    if (f.equals("trace_id")) {
                        s.traceId = id;
                    } else {
                        s.spanId = id;
                    }
                } else {
                    p.skipChildren();
                }
            }
        }

        /** A time field; a malformed start time rejects the span, a malformed end time is a warning. */
        private Long time(JsonParser p, Where w, Span s, boolean required) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            String problem;
            if (t == JsonToken.VALUE_STRING) {
                try {
                    return Timestamps.isoToNanos(p.getText());
                } catch (IllegalArgumentException | ArithmeticException e) {
                    problem = "'" + abbreviate(p.getText()) + "' is not an ISO-8601 timestamp";
                }
            } else {
                problem = "expected an ISO-8601 timestamp string, found " + JsonRecords.describe(t);
                p.skipChildren();
            }
            if (required) {
                s.reject(w, problem);
            } else {
                session.warn(w.toString(), problem + "; ignored");
            }
            return null;
        }

        private StatusCode statusCode(JsonParser p, Where w) throws IOException {
            String s = optionalText(p, w);
            if (s == null || s.isBlank()) {
                return StatusCode.UNSET;
            }
            String bare = s.trim().toUpperCase(Locale.ROOT);
            bare = bare.startsWith("STATUS_CODE_") ? bare.substring(12) : bare;
            for (StatusCode c : StatusCode.values()) {
                if (c.name().equals(bare)) {
                    return c;
                }
            }
            session.warn(w.toString(), "status_code '" + abbreviate(s) + "' is not OK, ERROR or UNSET; the status is "
                    + "left unset");
            return StatusCode.UNSET;
        }

        /** Nested attributes flattened to OpenInference's dotted names (flat ones stay as they are). */
        private void attributes(JsonParser p, Where w, List<Attribute> out) throws IOException {
            if (p.currentToken() == JsonToken.START_OBJECT) {
                JsonValues.flatten(p, "", out);
                return;
            }
            if (p.currentToken() != JsonToken.VALUE_NULL) {
                session.warn(w.toString(), "expected an object of attributes, found "
                        + JsonRecords.describe(p.currentToken()) + "; ignored");
            }
            p.skipChildren();
        }

        private void events(JsonParser p, Where w, Span s) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                if (p.currentToken() != JsonToken.VALUE_NULL) {
                    session.warn(w.toString(), "expected an array of events, found "
                            + JsonRecords.describe(p.currentToken()) + "; ignored");
                }
                p.skipChildren();
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
                    JsonToken t = p.nextToken();
                    Where fw = ew.child(f);
                    switch (f) {
                        case "name" -> {
                            String n = optionalText(p, fw);
                            e.name = n == null ? "" : n;
                        }
                        case "timestamp" -> {
                            if (t == JsonToken.VALUE_STRING) {
                                try {
                                    e.time = Timestamps.isoToNanos(p.getText());
                                } catch (IllegalArgumentException | ArithmeticException x) {
                                    session.warn(fw.toString(), "'" + abbreviate(p.getText()) + "' is not an "
                                            + "ISO-8601 timestamp; the event was skipped");
                                    ok = false;
                                }
                            } else if (t != JsonToken.VALUE_NULL) {
                                session.warn(fw.toString(), "expected an ISO-8601 timestamp string, found "
                                        + JsonRecords.describe(t) + "; the event was skipped");
                                p.skipChildren();
                                ok = false;
                            }
                        }
                        case "attributes" -> attributes(p, fw, e.attributes);
                        default -> p.skipChildren();
                    }
                }
                if (ok) {
                    if (e.time == null) {
                        session.warn(ew.toString(), "the event has no timestamp; it is placed at the span's start");
                    }
                    s.events.add(e);
                }
            }
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
    }

    private static String abbreviate(String s) {
        return s.length() > 48 ? s.substring(0, 48) + "…" : s;
    }

    /** The fields of one span as read so far, with Phoenix's own. */
    private static final class Span extends SpanRecord {
        boolean spanFields;
        String project;
        String spanKind;

        Span(Where where) {
            super(where);
        }
    }
}
