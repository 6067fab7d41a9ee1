package dev.tracebench.importers.zipkin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.importers.common.BadValue;
import dev.tracebench.importers.common.IdResolver;
import dev.tracebench.importers.common.JsonRecords;
import dev.tracebench.importers.common.Timestamps;
import dev.tracebench.importers.common.Where;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Reads one Zipkin v2 JSON source for {@link ZipkinJsonFormat} (see there for the mapping). Spans are parsed one by
 * one and handed to the session in windows of up to {@link #WINDOW} spans, in file order, once the shared spans of
 * the window have been paired with their clients.
 */
final class ZipkinReader {
    /** Spans resolved together: large enough for any real trace, small enough to bound memory (a few MB). */
    static final int WINDOW = 10_000;
    private static final int CACHE = 1024;

    private final IngestSession session;
    private final IdResolver ids;
    private final List<Pending> window = new ArrayList<>();
    private final Map<String, Long> resourceIds = new HashMap<>();
    private final Map<List<String>, Long> scopeIds = new HashMap<>();
    private boolean v1Reported;

    ZipkinReader(IngestSession session) {
        this.session = session;
        this.ids = new IdResolver(session);
    }

    void read(InputStream content, LongSupplier rawBytes) throws IOException {
        JsonRecords.read(content, session, rawBytes, this::topLevel);
        flush();
    }

    private void topLevel(JsonParser p, Where where) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            session.checkCancelled();
            span(p, where);
        } else if (t == JsonToken.START_ARRAY) {
            list(p, where, true);
        } else {
            session.reject(where.toString(), "expected a Zipkin span or a list of spans, found "
                    + JsonRecords.describe(t));
            p.skipChildren();
        }
    }

    /** A list of spans; at the top also a list of such lists (one per trace, as GET /api/v2/traces returns). */
    private void list(JsonParser p, Where where, boolean top) throws IOException {
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            Where w = where.index(i++).atLine(JsonRecords.lineOf(p, where));
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_OBJECT) {
                session.checkCancelled();
                span(p, w);
            } else if (t == JsonToken.START_ARRAY && top) {
                list(p, w, false);
            } else {
                session.reject(w.toString(), "expected a Zipkin span (an object)" + (top ? " or a list of spans" : "")
                        + ", found " + JsonRecords.describe(t));
                p.skipChildren();
            }
        }
    }

    // ------------------------------------------------------------------ one span

    private record Endpoint(String serviceName, String ipv4, String ipv6, Long port) {
    }

    private record Annotation(Long timeNs, String value, Where where) {
    }

    private void span(JsonParser p, Where w) throws IOException {
        String traceId = null;
        String id = null;
        String parentId = null;
        String name = null;
        String kind = null;
        Long timestamp = null;
        Long duration = null;
        Endpoint local = null;
        Endpoint remote = null;
        List<Annotation> annotations = List.of();
        Map<String, String> tags = Map.of();
        Boolean debug = null;
        Boolean shared = null;
        String bad = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            Where fw = w.child(f);
            try {
                switch (f) {
                    case "traceId" -> traceId = id(p, v, f);
                    case "id" -> id = id(p, v, f);
                    case "parentId" -> {
                        if (v == JsonToken.VALUE_STRING) {
                            parentId = p.getText();
                        } else if (v != JsonToken.VALUE_NULL) {
                            session.warn(at(p, fw), "expected a string of hex digits, found "
                                    + JsonRecords.describe(v) + "; the span is kept as a root");
                            p.skipChildren();
                        }
                    }
                    case "name" -> {
                        if (v == JsonToken.VALUE_STRING) {
                            name = p.getText();
                        } else if (v != JsonToken.VALUE_NULL) {
                            session.warn(at(p, fw), "expected a string, found " + JsonRecords.describe(v)
                                    + "; the span is kept without a name");
                            p.skipChildren();
                        }
                    }
                    case "kind" -> {
                        if (v == JsonToken.VALUE_STRING) {
                            kind = p.getText();
                        } else if (v != JsonToken.VALUE_NULL) {
                            session.warn(at(p, fw), "expected CLIENT, SERVER, PRODUCER or CONSUMER, found "
                                    + JsonRecords.describe(v) + "; the kind is unspecified");
                            kind = "";
                            p.skipChildren();
                        }
                    }
                    case "timestamp" -> timestamp = v == JsonToken.VALUE_NULL ? null
                            : Timestamps.microsToNanos(p, v, f);
                    case "duration" -> duration = v == JsonToken.VALUE_NULL ? null
                            : Timestamps.microsToNanos(p, v, f);
                    case "localEndpoint" -> local = endpoint(p, v, fw);
                    case "remoteEndpoint" -> remote = endpoint(p, v, fw);
                    case "annotations" -> annotations = annotations(p, fw);
                    case "tags" -> tags = tags(p, v, fw);
                    case "debug" -> debug = bool(p, v, fw);
                    case "shared" -> shared = bool(p, v, fw);
                    case "binaryAnnotations" -> {
                        if (!v1Reported) {
                            v1Reported = true;
                            session.warn(at(p, fw), "this looks like Zipkin v1 JSON (binaryAnnotations): only the "
                                    + "v2 fields were read, so services, kinds and tags may be missing; convert to "
                                    + "v2 (e.g. through a Zipkin server's /api/v2 endpoints)");
                        }
                        p.skipChildren();
                    }
                    default -> p.skipChildren();
                }
            } catch (BadValue e) {
                if (bad == null) {
                    bad = e.getMessage();
                }
                p.skipChildren();
            }
        }
        String loc = w.toString();
        if (bad != null) {
            session.reject(loc, bad);
            return;
        }

        // tags, with those that are fields in OpenTelemetry taken out
        List<Attribute> attrs = new ArrayList<>(tags.size() + 6);
        StatusCode status = StatusCode.UNSET;
        String statusMessage = null;
        String otelCode = null;
        String otelDescription = null;
        String error = null;
        String scopeName = null;
        String scopeVersion = null;
        String libraryName = null;
        String libraryVersion = null;
        String traceState = null;
        String kindTag = null;
        for (Map.Entry<String, String> e : tags.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "error" -> {
                    if (v.trim().equalsIgnoreCase("false")) {
                        attrs.add(Attribute.of("error", v));
                    } else {
                        error = v;
                    }
                }
                case "otel.status_code" -> {
                    String c = v.trim().toUpperCase(Locale.ROOT);
                    c = c.startsWith("STATUS_CODE_") ? c.substring(12) : c;
                    if (c.equals("OK") || c.equals("ERROR") || c.equals("UNSET")) {
                        otelCode = c;
                    } else {
                        session.warn(loc, "otel.status_code '" + abbreviate(v) + "' is not OK, ERROR or UNSET; kept "
                                + "as an attribute");
                        attrs.add(Attribute.of(e.getKey(), v));
                    }
                }
                case "otel.status_description" -> otelDescription = v;
                case "otel.scope.name" -> scopeName = v;
                case "otel.scope.version" -> scopeVersion = v;
                case "otel.library.name" -> libraryName = v;
                case "otel.library.version" -> libraryVersion = v;
                case "w3c.tracestate" -> traceState = v;
                case "span.kind" -> {
                    if (kind == null && kindOf(v) != null) {
                        kindTag = v;
                    } else {
                        attrs.add(Attribute.of(e.getKey(), v));
                    }
                }
                default -> attrs.add(Attribute.of(e.getKey(), v));
            }
        }
        if (error != null) {
            status = StatusCode.ERROR;
            String m = error.trim();
            statusMessage = otelDescription != null ? otelDescription
                    : m.isEmpty() || m.equalsIgnoreCase("true") ? null : error;
        } else if (otelCode != null) {
            status = StatusCode.valueOf(otelCode);
            statusMessage = otelDescription;
        } else if (otelDescription != null) {
            attrs.add(Attribute.of("otel.status_description", otelDescription));
        }

        SpanKind k;
        if (kind == null) {
            k = kindTag != null ? kindOf(kindTag) : SpanKind.INTERNAL;
        } else {
            k = kindOf(kind);
            if (k == null) {
                if (!kind.isEmpty()) {
                    session.warn(loc, "kind '" + abbreviate(kind) + "' is not CLIENT, SERVER, PRODUCER or CONSUMER; "
                            + "the kind is unspecified");
                }
                k = SpanKind.UNSPECIFIED;
            }
        }

        // endpoints as span attributes (a tag of the same name wins)
        Set<String> tagKeys = new HashSet<>(tags.keySet());
        if (local != null) {
            address(attrs, tagKeys, "network.local.address", "zipkin.local_endpoint.ipv6", local);
            put(attrs, tagKeys, "network.local.port", local.port() == null ? null : Attribute.of("network.local.port",
                    local.port()));
        }
        if (remote != null) {
            if (remote.serviceName() != null && !remote.serviceName().isBlank()) {
                put(attrs, tagKeys, "peer.service", Attribute.of("peer.service", remote.serviceName()));
            }
            address(attrs, tagKeys, "network.peer.address", "zipkin.remote_endpoint.ipv6", remote);
            put(attrs, tagKeys, "network.peer.port", remote.port() == null ? null : Attribute.of("network.peer.port",
                    remote.port()));
        }
        if (debug != null) {
            attrs.add(Attribute.of("zipkin.debug", debug));
        }
        if (shared != null) {
            attrs.add(Attribute.of("zipkin.shared", shared));
        }

        TraceId tid = ids.traceId(traceId, loc, attrs);
        if (tid == null) {
            session.reject(loc, "the span has no traceId");
            return;
        }
        if (tid.hi() == 0 && tid.lo() == 0) {
            session.reject(loc, "traceId is zero, which is not a valid trace id");
            return;
        }
        Long sid = ids.spanId(id, loc, attrs);
        if (sid == null) {
            session.reject(loc, "the span has no id");
            return;
        }
        if (sid == 0) {
            session.reject(loc, "id is zero, which is not a valid span id");
            return;
        }
        Long parent = ids.referencedSpanId(parentId);
        if (parent != null && parent == 0) {
            parent = null; // some tracers write a zero parent on roots
        }
        if (parent != null && parent.equals(sid)) {
            session.warn(loc, "parentId is the span's own id; the span is kept as a root");
            parent = null;
        }

        if (timestamp == null || duration == null) {
            session.warn(loc, "the span has no " + (timestamp == null ? "timestamp" : "duration") + "; it is kept with "
                    + (timestamp == null ? "time 0 and zero duration" : "zero duration"));
        }
        long start = timestamp == null ? 0 : timestamp;
        // without a start the duration places nothing
        long dur = duration == null || timestamp == null ? 0 : duration;
        long end;
        try {
            end = Math.addExact(start, dur);
        } catch (ArithmeticException e) {
            session.reject(loc, "timestamp plus duration is out of range");
            return;
        }
        List<SpanEventData> events = new ArrayList<>(annotations.size());
        for (Annotation a : annotations) {
            long time = start;
            if (a.timeNs() == null) {
                session.warn(a.where().toString(), "the annotation has no timestamp; the span's start time is used");
            } else {
                time = a.timeNs();
            }
            events.add(new SpanEventData(time, a.value() == null ? "" : a.value(), List.of(), 0));
        }

        String service = local == null || local.serviceName() == null ? "" : local.serviceName();
        long rid = resourceId(service);
        long scid = scopeName != null ? scopeId(scopeName, scopeVersion)
                : libraryName != null ? scopeId(libraryName, libraryVersion) : scopeId("", "");
        SpanData data = new SpanData(tid, sid, parent, name, k, start, end, status, statusMessage, traceState, 0,
                attrs, 0, events, 0, List.of(), 0, loc);
        String host = local == null ? "" : local.ipv4() != null ? local.ipv4() : local.ipv6() != null ? local.ipv6() : "";
        window.add(new Pending(data, Boolean.TRUE.equals(shared), service, host, id, rid, scid));
        if (window.size() >= WINDOW) {
            flush();
        }
    }

    private static void address(List<Attribute> attrs, Set<String> tagKeys, String key, String ipv6Key,
            Endpoint e) {
        if (e.ipv4() != null) {
            put(attrs, tagKeys, key, Attribute.of(key, e.ipv4()));
            if (e.ipv6() != null) {
                put(attrs, tagKeys, ipv6Key, Attribute.of(ipv6Key, e.ipv6()));
            }
        } else if (e.ipv6() != null) {
            put(attrs, tagKeys, key, Attribute.of(key, e.ipv6()));
        }
    }

    private static void put(List<Attribute> attrs, Set<String> tagKeys, String key, Attribute a) {
        if (a != null && !tagKeys.contains(key)) {
            attrs.add(a);
        }
    }

    private static SpanKind kindOf(String s) {
        return switch (s.trim().toUpperCase(Locale.ROOT)) {
            case "CLIENT" -> SpanKind.CLIENT;
            case "SERVER" -> SpanKind.SERVER;
            case "PRODUCER" -> SpanKind.PRODUCER;
            case "CONSUMER" -> SpanKind.CONSUMER;
            case "INTERNAL" -> SpanKind.INTERNAL;
            default -> null;
        };
    }

    // ------------------------------------------------------------------ fields

    private static String at(JsonParser p, Where w) {
        return w.atLine(JsonRecords.lineOf(p, w)).toString();
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

    private Endpoint endpoint(JsonParser p, JsonToken v, Where w) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.START_OBJECT) {
            session.warn(at(p, w), "expected an endpoint object {serviceName, ipv4, ipv6, port}, found "
                    + JsonRecords.describe(v) + "; ignored");
            p.skipChildren();
            return null;
        }
        String service = null;
        String ipv4 = null;
        String ipv6 = null;
        Long port = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            switch (f) {
                case "serviceName", "ipv4", "ipv6" -> {
                    if (t == JsonToken.VALUE_STRING) {
                        String s = p.getText();
                        switch (f) {
                            case "serviceName" -> service = s;
                            case "ipv4" -> ipv4 = s;
                            default -> ipv6 = s;
                        }
                    } else {
                        if (t != JsonToken.VALUE_NULL) {
                            session.warn(at(p, w.child(f)), "expected a string, found " + JsonRecords.describe(t)
                                    + "; ignored");
                        }
                        p.skipChildren();
                    }
                }
                case "port" -> {
                    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_STRING) {
                        try {
                            port = Long.parseLong(p.getText().trim());
                        } catch (NumberFormatException e) {
                            session.warn(at(p, w.child(f)), "'" + abbreviate(p.getText()) + "' is not a port "
                                    + "number; ignored");
                        }
                    } else {
                        if (t != JsonToken.VALUE_NULL) {
                            session.warn(at(p, w.child(f)), "expected a port number, found "
                                    + JsonRecords.describe(t) + "; ignored");
                        }
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new Endpoint(service, ipv4, ipv6, port == null || port == 0 ? null : port);
    }

    private List<Annotation> annotations(JsonParser p, Where w) throws IOException {
        List<Annotation> out = new ArrayList<>();
        JsonRecords.forEachEntry(p, w, session, "annotations", "an annotation {timestamp, value}", "; ignored",
                (q, aw) -> {
                    Annotation a = annotation(q, aw);
                    if (a != null) {
                        out.add(a);
                    }
                });
        return out;
    }

    /** One annotation (the parser on its START_OBJECT), or null if it has to be skipped. */
    private Annotation annotation(JsonParser p, Where aw) throws IOException {
        Long time = null;
        String value = null;
        boolean ok = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            switch (f) {
                case "timestamp" -> {
                    try {
                        time = t == JsonToken.VALUE_NULL ? null : Timestamps.microsToNanos(p, t, "timestamp");
                    } catch (BadValue e) {
                        session.warn(aw.toString(), e.getMessage() + "; the annotation was skipped");
                        ok = false;
                    }
                }
                case "value" -> {
                    if (t.isScalarValue() && t != JsonToken.VALUE_NULL) {
                        value = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        return ok ? new Annotation(time, value, aw) : null;
    }

    /** The string-to-string tag map; numbers and booleans (not Zipkin, but seen) are kept as their text. */
    private Map<String, String> tags(JsonParser p, JsonToken v, Where w) throws IOException {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (v == JsonToken.VALUE_NULL) {
            return out;
        }
        if (v != JsonToken.START_OBJECT) {
            session.warn(at(p, w), "expected an object of string tags, found " + JsonRecords.describe(v)
                    + "; ignored");
            p.skipChildren();
            return out;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            if (!t.isScalarValue()) {
                session.warn(at(p, w.child(key)), "expected a string, found " + JsonRecords.describe(t)
                        + "; the tag was skipped");
                p.skipChildren();
                continue;
            }
            out.putIfAbsent(key, p.getText());
        }
        return out;
    }

    private Boolean bool(JsonParser p, JsonToken v, Where w) throws IOException {
        if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
            return v == JsonToken.VALUE_TRUE;
        }
        if (v == JsonToken.VALUE_STRING && (p.getText().trim().equalsIgnoreCase("true")
                || p.getText().trim().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(p.getText().trim());
        }
        if (v != JsonToken.VALUE_NULL) {
            session.warn(at(p, w), "expected true or false, found " + JsonRecords.describe(v) + "; ignored");
        }
        p.skipChildren();
        return null;
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() > 48 ? s.substring(0, 48) + "…" : s;
    }

    // ------------------------------------------------------------------ resources and scopes

    private long resourceId(String service) {
        Long id = resourceIds.get(service);
        if (id == null) {
            if (resourceIds.size() >= CACHE) {
                resourceIds.clear();
            }
            id = session.resource(new ResourceData(service.isBlank() ? List.of()
                    : List.of(Attribute.of("service.name", service)), null, 0));
            resourceIds.put(service, id);
        }
        return id;
    }

    private long scopeId(String name, String version) {
        List<String> key = List.of(name, version == null ? "" : version);
        Long id = scopeIds.get(key);
        if (id == null) {
            if (scopeIds.size() >= CACHE) {
                scopeIds.clear();
            }
            id = session.scope(new ScopeData(key.get(0), key.get(1), List.of(), null, 0));
            scopeIds.put(key, id);
        }
        return id;
    }

    // ------------------------------------------------------------------ the window: shared spans

    /** A parsed span waiting for its window to be resolved; {@code host} is its local address ("" if none). */
    private record Pending(SpanData span, boolean shared, String service, String host, String rawId,
            long resourceId, long scopeId) {
    }

    private record SpanKey(TraceId trace, long id) {
    }

    private record ServiceSpanKey(TraceId trace, long id, String service) {
    }

    /** A shared server span that moved to a derived id. */
    private record Moved(Pending span, long derivedId) {
    }

    /**
     * Pairs the window's shared server spans with their clients (see {@link ZipkinJsonFormat}), then hands every span
     * to the session in file order.
     */
    private void flush() {
        if (window.isEmpty()) {
            return;
        }
        Set<SpanKey> unshared = new HashSet<>();
        for (Pending s : window) {
            if (!s.shared()) {
                unshared.add(new SpanKey(s.span().traceId(), s.span().spanId()));
            }
        }
        Map<ServiceSpanKey, List<Moved>> moved = new HashMap<>();
        Map<Pending, Long> derived = new java.util.IdentityHashMap<>();
        for (Pending s : window) {
            SpanData d = s.span();
            if (s.shared() && unshared.contains(new SpanKey(d.traceId(), d.spanId()))) {
                // the start time tells apart several servers of one service answering the same id (a message
                // received by several consumers); the same span reported twice still gets the same id
                long id = IdResolver.mappedSpanId(Ids.spanHex(d.spanId()) + ":shared:" + s.service() + ":"
                        + d.startNs());
                derived.put(s, id);
                moved.computeIfAbsent(new ServiceSpanKey(d.traceId(), d.spanId(), s.service()),
                        k -> new ArrayList<>()).add(new Moved(s, id));
            }
        }
        for (Pending s : window) {
            session.checkCancelled();
            SpanData d = s.span();
            Long id = derived.get(s);
            if (id != null) {
                d = withIds(d, id, d.spanId(), s.rawId());
            } else if (!s.shared() && d.parentSpanId() != null && !moved.isEmpty()) {
                List<Moved> servers = moved.get(new ServiceSpanKey(d.traceId(), d.parentSpanId(), s.service()));
                if (servers != null) {
                    d = withIds(d, d.spanId(), serverOf(s, servers), null);
                }
            }
            session.span(s.resourceId(), s.scopeId(), d);
        }
        window.clear();
    }

    /**
     * The server span a child of a shared id runs under: the only one, or, when several servers of the child's
     * service share the id, one on the child's host that started last before the child (else the first of them).
     */
    private static long serverOf(Pending child, List<Moved> servers) {
        if (servers.size() == 1) {
            return servers.get(0).derivedId();
        }
        long start = child.span().startNs();
        Moved best = null;
        for (Moved m : servers) {
            SpanData d = m.span().span();
            if (m.span().host().equals(child.host()) && d.startNs() <= start
                    && (best == null || d.startNs() > best.span().span().startNs())) {
                best = m;
            }
        }
        return (best == null ? servers.get(0) : best).derivedId();
    }

    /** The span with another id and parent; {@code originalId} (when not null) is kept as an attribute. */
    private static SpanData withIds(SpanData d, long id, Long parent, String originalId) {
        List<Attribute> attrs = d.attributes();
        if (originalId != null && attrs.stream().noneMatch(a -> a.key().equals(IdResolver.ORIGINAL_SPAN_ID))) {
            attrs = new ArrayList<>(attrs);
            attrs.add(Attribute.of(IdResolver.ORIGINAL_SPAN_ID, originalId));
        }
        return new SpanData(d.traceId(), id, parent, d.name(), d.kind(), d.startNs(), d.endNs(), d.status(),
                d.statusMessage(), d.traceState(), d.flags(), attrs, d.droppedAttributesCount(), d.events(),
                d.droppedEventsCount(), d.links(), d.droppedLinksCount(), d.source());
    }
}
