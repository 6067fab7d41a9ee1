package dev.tracebench.importers.otlpjson;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.SpanLinkData;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.importers.common.BadValue;
import dev.tracebench.importers.common.JPath;
import dev.tracebench.importers.common.JsonErrors;
import dev.tracebench.importers.common.JsonRecords;
import dev.tracebench.importers.common.RecordingSession;
import dev.tracebench.importers.common.SpanEnums;
import dev.tracebench.importers.common.StringCache;
import dev.tracebench.importers.io.CorruptInputException;
import dev.tracebench.importers.io.LineSplitter;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Streams OTLP/JSON traces into a workspace: a single {@code TracesData} / {@code ExportTraceServiceRequest}
 * document, or the collector file exporter's JSON Lines (one request per line), as the OTLP specification encodes
 * them (JSON Protobuf Encoding): hex ids in any case, 64-bit integers as strings or numbers, enums as integers (enum
 * names are accepted too), every AnyValue kind, unknown fields ignored, an empty {@code parentSpanId} meaning a root.
 *
 * <p>Nothing is held beyond one span (one resource/scope block only when its resource comes after its spans). A
 * record that cannot be used is skipped and reported with its line and JSON path; a damaged line of a JSON Lines
 * file is skipped and reading resumes at the next line; a damaged single document keeps the spans before the damage.
 */
public final class OtlpJsonImporter implements dev.tracebench.importers.TraceFormat {
    public static final String FORMAT = "otlp-json";

    private static final JsonFactory JSON = JsonRecords.JSON;

    /** Lines longer than this are parsed as a stream on the reading thread instead of being handed to a worker. */
    static final int MAX_PARALLEL_LINE = 32 << 20;
    private static final com.fasterxml.jackson.core.io.SerializedString KEY =
            new com.fasterxml.jackson.core.io.SerializedString("key");
    private static final com.fasterxml.jackson.core.io.SerializedString VALUE =
            new com.fasterxml.jackson.core.io.SerializedString("value");
    private static final com.fasterxml.jackson.core.io.SerializedString STRING_VALUE =
            new com.fasterxml.jackson.core.io.SerializedString("stringValue");
    /** Threads parsing lines of a JSON Lines file (the reading thread splits lines and hands results on in order). */
    private static final int PARSERS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

    private final IngestSession session;
    private final LongSupplier rawBytes;
    /** Short repeated texts (attribute keys, names) share one String each. */
    private final StringCache strings;
    private long spans;

    /** The format (stateless); {@link #read(InputStream, IngestSession, ReadContext)} makes a reader per source. */
    public OtlpJsonImporter() {
        this(null, () -> 0);
    }

    public OtlpJsonImporter(IngestSession session, LongSupplier rawBytes) {
        this(session, rawBytes, new StringCache(8192, 64));
    }

    private OtlpJsonImporter(IngestSession session, LongSupplier rawBytes, StringCache strings) {
        this.session = session;
        this.rawBytes = rawBytes;
        this.strings = strings;
    }

    @Override
    public String id() {
        return FORMAT;
    }

    @Override
    public String displayName() {
        return "OTLP/JSON";
    }

    @Override
    public String expected() {
        return "{\"resourceSpans\": [{\"resource\": {...}, \"scopeSpans\": [{\"spans\": [...]}]}]}, one "
                + "document or one per line";
    }

    @Override
    public int sniff(Head head) {
        if (head.has("\"resourceSpans\"")) {
            return 95;
        }
        String t = head.trimmed().replaceAll("\\s", "");
        return t.equals("{}") || t.startsWith("{}") ? 10 : 0;
    }

    @Override
    public void read(InputStream content, IngestSession session, ReadContext context) throws IOException {
        new OtlpJsonImporter(session, context.rawBytesRead()).read(content);
    }

    /** Number of spans handed to the session so far. */
    public long spans() {
        return spans;
    }

    /**
     * Reads {@code content} (decompressed, supporting mark/reset) to its end. Damaged data is reported to the session;
     * only I/O errors of the file itself escape.
     */
    public void read(InputStream content) throws IOException {
        if (JsonRecords.looksLikeJsonLines(content)) {
            readLines(content);
        } else {
            readDocument(content);
        }
    }

    /**
     * JSON Lines: each line is an independent request, so lines are parsed on {@value #PARSERS} worker threads while
     * this thread splits the next ones; what a worker found is recorded and handed to the session here, in line
     * order, so the result is the same as parsing line after line (measured: parsing is what limits JSON imports).
     * At most a few lines are in flight, each at most {@link #MAX_PARALLEL_LINE} bytes; a longer line is parsed here
     * as a stream once the lines before it are done.
     */
    private void readLines(InputStream content) throws IOException {
        LineSplitter lines = new LineSplitter(content);
        ThreadLocal<StringCache> caches = ThreadLocal.withInitial(() -> new StringCache(8192, 64));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(PARSERS, r -> {
            Thread t = new Thread(r, "tracebench-json-parser");
            t.setDaemon(true);
            return t;
        });
        java.util.ArrayDeque<java.util.concurrent.Future<OtlpJsonImporter>> inFlight = new java.util.ArrayDeque<>();
        // line buffers go back here when their line is parsed: a line is read into one without growing it from small
        // (lines are similar in size) and no buffer is allocated per line
        java.util.concurrent.BlockingQueue<byte[]> spare = new java.util.concurrent.ArrayBlockingQueue<>(2 * PARSERS + 2);
        try {
            while (true) {
                LineSplitter.Line line;
                try {
                    line = lines.next();
                } catch (CorruptInputException e) {
                    drain(inFlight, 0);
                    session.reject("after line " + lines.lineNumber(), e.getMessage() + "; reading stopped there");
                    return;
                }
                if (line == null) {
                    break;
                }
                session.checkCancelled();
                long number = line.number();
                byte[] buf = spare.poll();
                if (buf == null) {
                    buf = new byte[1 << 20];
                }
                int length = 0;
                CorruptInputException damage = null;
                try {
                    int n;
                    while (length <= MAX_PARALLEL_LINE) {
                        if (length == buf.length) {
                            buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                        }
                        if ((n = line.read(buf, length, buf.length - length)) <= 0) {
                            break;
                        }
                        length += n;
                    }
                } catch (CorruptInputException e) {
                    damage = e;
                }
                byte[] bytes = buf;
                int size = length;
                if (damage != null) {
                    // parse what arrived before the damage here, as a stream that then fails as the file did
                    drain(inFlight, 0);
                    CorruptInputException failure = damage;
                    InputStream broken = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(bytes, 0, size),
                            new InputStream() {
                                @Override
                                public int read() throws IOException {
                                    throw failure;
                                }
                            });
                    if (parseLine(JSON.createParser(broken), number, null)) {
                        // the JSON broke before the parser reached the damage: report the damage too
                        session.reject("line " + number, damage.getMessage() + "; reading stopped there");
                    }
                    return;
                }
                if (size > MAX_PARALLEL_LINE) {
                    drain(inFlight, 0);
                    InputStream whole = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(bytes, 0, size),
                            line);
                    if (!parseLine(JSON.createParser(whole), number, line)) {
                        return;
                    }
                    session.bytesRead(rawBytes.getAsLong());
                    continue;
                }
                inFlight.add(pool.submit(() -> {
                    OtlpJsonImporter worker = new OtlpJsonImporter(new RecordingSession(session), rawBytes,
                            caches.get());
                    try {
                        worker.parseLine(JSON.createParser(bytes, 0, size), number, null);
                    } finally {
                        if (bytes.length <= 4 << 20) {
                            spare.offer(bytes);
                        }
                    }
                    return worker;
                }));
                drain(inFlight, 2 * PARSERS);
            }
            drain(inFlight, 0);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Replays finished lines, oldest first, until at most {@code keep} are in flight. */
    private void drain(java.util.ArrayDeque<java.util.concurrent.Future<OtlpJsonImporter>> inFlight, int keep)
            throws IOException {
        while (inFlight.size() > keep) {
            OtlpJsonImporter done;
            try {
                done = inFlight.removeFirst().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new dev.tracebench.core.task.CancelledException();
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(cause);
            }
            ((RecordingSession) done.session).replayInto(session);
            spans += done.spans;
            session.bytesRead(rawBytes.getAsLong());
        }
    }

    /**
     * Parses one line (a TracesData object) into this importer's session; false if reading must stop (the file's
     * compressed data is damaged). {@code rest} is the line's stream when it was read as one, to check what follows.
     */
    private boolean parseLine(JsonParser parser, long number, LineSplitter.Line rest) throws IOException {
        long before = spans;
        try (JsonParser p = parser) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return true; // blank line
            }
            new Walker(p, number).tracesData();
            if (p.nextToken() != null || (rest != null && !rest.restIsBlank())) {
                session.warn("line " + number, "extra content after the JSON object was ignored");
            }
        } catch (JsonProcessingException | CharConversionException e) {
            session.reject(JsonErrors.where(number, e), damaged(e, spans - before, "line"));
        } catch (CorruptInputException e) {
            session.reject("line " + number, e.getMessage() + "; reading stopped there"
                    + kept(spans - before, "line"));
            return false;
        }
        return true;
    }

    private void readDocument(InputStream content) throws IOException {
        long before = spans;
        try (JsonParser p = JSON.createParser(content)) {
            JsonToken t;
            boolean any = false;
            while ((t = p.nextToken()) != null) {
                any = true;
                new Walker(p, 0).tracesData();
            }
            if (!any) {
                session.warn("line 1", "the file holds no JSON value");
            }
        } catch (JsonProcessingException | CharConversionException e) {
            session.reject(JsonErrors.where(0, e), damaged(e, spans - before, "file") + "; the rest of the file was not read");
        } catch (CorruptInputException e) {
            session.reject("byte " + rawBytes.getAsLong(), e.getMessage() + "; reading stopped there"
                    + kept(spans - before, "file"));
        }
    }

    private static String damaged(Exception e, long keptSpans, String unit) {
        return JsonErrors.damaged(e, unit) + kept(keptSpans, unit);
    }

    private static String kept(long keptSpans, String unit) {
        return keptSpans > 0 ? "; the " + keptSpans + " spans before it in this " + unit + " were kept" : "";
    }

    // ------------------------------------------------------------------ the walker over one JSON value

    /** Walks one TracesData value. {@code lineBase} > 0 in JSON Lines mode (the parser only sees that line). */
    private final class Walker {
        private final JsonParser p;
        private final StringCache strings = OtlpJsonImporter.this.strings;
        private final long lineBase;

        Walker(JsonParser p, long lineBase) {
            this.p = p;
            this.lineBase = lineBase;
        }

        private long line() {
            return lineBase > 0 ? lineBase : p.currentTokenLocation().getLineNr();
        }

        private String at(String path) {
            return "line " + line() + ", " + path;
        }

        private String at(JPath path) {
            return at(path.toString());
        }

        void tracesData() throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                session.reject(at("$"), "expected a JSON object (TracesData), found " + describe(p.currentToken()));
                p.skipChildren();
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                if (f.equals("result") && v == JsonToken.START_OBJECT) {
                    // Jaeger's API v3 wraps OTLP/JSON: {"result": {"resourceSpans": [...]}}
                    tracesData();
                    continue;
                }
                if (f.equals("resourceSpans")) {
                    if (v != JsonToken.START_ARRAY) {
                        session.reject(at("resourceSpans"), "expected an array, found " + describe(v));
                        p.skipChildren();
                        continue;
                    }
                    int i = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        resourceSpans("resourceSpans[" + i++ + "]");
                    }
                } else {
                    p.skipChildren();
                }
            }
        }

        private void resourceSpans(String path) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                session.reject(at(path), "expected an object (ResourceSpans), found " + describe(p.currentToken()));
                p.skipChildren();
                return;
            }
            ResourceContext rc = new ResourceContext(path);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                switch (f) {
                    case "resource" -> rc.resource(path + ".resource");
                    case "scopeSpans", "instrumentationLibrarySpans" -> {
                        if (v != JsonToken.START_ARRAY) {
                            session.reject(at(path + "." + f), "expected an array, found " + describe(v));
                            p.skipChildren();
                            break;
                        }
                        int j = 0;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            scopeSpans(rc, path + "." + f + "[" + j++ + "]");
                        }
                    }
                    case "schemaUrl" -> rc.schemaUrl = optionalText(v, path + ".schemaUrl");
                    default -> p.skipChildren();
                }
            }
            rc.end();
        }

        private void scopeSpans(ResourceContext rc, String path) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                session.reject(at(path), "expected an object (ScopeSpans), found " + describe(p.currentToken()));
                p.skipChildren();
                return;
            }
            ScopeContext sc = new ScopeContext(rc, path);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                switch (f) {
                    case "scope", "instrumentationLibrary" -> sc.scope(path + "." + f);
                    case "spans" -> {
                        if (v != JsonToken.START_ARRAY) {
                            session.reject(at(path + ".spans"), "expected an array, found " + describe(v));
                            p.skipChildren();
                            break;
                        }
                        int k = 0;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            session.checkCancelled();
                            String spanPath = path + ".spans[" + k++ + "]";
                            SpanData s = span(spanPath);
                            if (s != null) {
                                sc.add(s);
                            }
                        }
                    }
                    case "schemaUrl" -> sc.schemaUrl = optionalText(v, path + ".schemaUrl");
                    default -> p.skipChildren();
                }
            }
            sc.end();
        }

        // -------------------------------------------------------------- span

        private SpanData span(String path) throws IOException {
            String loc = at(path);
            if (p.currentToken() != JsonToken.START_OBJECT) {
                session.reject(loc, "expected an object (Span), found " + describe(p.currentToken()));
                p.skipChildren();
                return null;
            }
            String traceId = null;
            String spanId = null;
            String parent = null;
            String name = null;
            String traceState = null;
            long flags = 0;
            SpanKind kind = SpanKind.UNSPECIFIED;
            Long start = null;
            Long end = null;
            List<Attribute> attrs = List.of();
            long droppedAttrs = 0;
            long droppedEvents = 0;
            long droppedLinks = 0;
            List<SpanEventData> events = List.of();
            List<SpanLinkData> links = List.of();
            StatusCode status = StatusCode.UNSET;
            String statusMessage = null;
            String bad = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                try {
                    switch (f) {
                        case "traceId" -> traceId = text(v, "traceId");
                        case "spanId" -> spanId = text(v, "spanId");
                        case "parentSpanId" -> parent = text(v, "parentSpanId");
                        case "name" -> name = text(v, "name");
                        case "traceState" -> traceState = text(v, "traceState");
                        case "flags" -> flags = integer(v, "flags");
                        case "kind" -> kind = kind(v, loc);
                        // 0 is the protobuf default, which OTLP/JSON writes for "not set"
                        case "startTimeUnixNano" -> start = unlessZero(integer(v, "startTimeUnixNano"));
                        case "endTimeUnixNano" -> end = unlessZero(integer(v, "endTimeUnixNano"));
                        case "attributes" -> attrs = keyValues(v, loc, JPath.of(path).field("attributes"));
                        case "droppedAttributesCount" -> droppedAttrs = integer(v, "droppedAttributesCount");
                        case "events" -> events = events(v, loc, JPath.of(path).field("events"));
                        case "droppedEventsCount" -> droppedEvents = integer(v, "droppedEventsCount");
                        case "links" -> links = links(v, loc, JPath.of(path).field("links"));
                        case "droppedLinksCount" -> droppedLinks = integer(v, "droppedLinksCount");
                        case "status" -> {
                            if (v == JsonToken.START_OBJECT) {
                                while (p.nextToken() == JsonToken.FIELD_NAME) {
                                    String sf = p.currentName();
                                    JsonToken sv = p.nextToken();
                                    try {
                                        if (sf.equals("code")) {
                                            status = statusCode(sv, loc);
                                        } else if (sf.equals("message")) {
                                            statusMessage = text(sv, "status.message");
                                        } else {
                                            p.skipChildren();
                                        }
                                    } catch (BadValue e) {
                                        // stay inside the status object: the rest of it must still be read
                                        bad = bad == null ? e.getMessage() : bad;
                                        p.skipChildren();
                                    }
                                }
                            } else if (v != JsonToken.VALUE_NULL) {
                                throw new BadValue("status: expected an object, found " + describe(v));
                            }
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
            if (bad != null) {
                session.reject(loc, bad);
                return null;
            }
            TraceId tid = traceId(traceId);
            if (tid == null) {
                session.reject(loc, traceId == null || traceId.isEmpty() ? "the span has no traceId"
                        : "traceId '" + abbreviate(traceId) + "' is not 32 hex digits");
                return null;
            }
            if (tid.hi() == 0 && tid.lo() == 0) {
                session.reject(loc, "traceId is all zeros, which OTLP defines as invalid");
                return null;
            }
            if (spanId == null || !Ids.isHex(spanId, 16)) {
                session.reject(loc, spanId == null || spanId.isEmpty() ? "the span has no spanId"
                        : "spanId '" + abbreviate(spanId) + "' is not 16 hex digits");
                return null;
            }
            long sid = Ids.parseHex(spanId, 0, 16);
            if (sid == 0) {
                session.reject(loc, "spanId is all zeros, which OTLP defines as invalid");
                return null;
            }
            Long parentId = null;
            if (parent != null && !parent.isEmpty()) {
                if (Ids.isHex(parent, 16) && Ids.parseHex(parent, 0, 16) != 0) {
                    parentId = Ids.parseHex(parent, 0, 16);
                } else {
                    session.warn(loc, "parentSpanId '" + abbreviate(parent)
                            + "' is not 16 hex digits; the span is kept as a root");
                }
            }
            if (name == null) {
                session.warn(loc, "the span has no name");
            }
            if (start == null || end == null) {
                session.warn(loc, "the span has no " + (start == null ? "startTimeUnixNano" : "endTimeUnixNano")
                        + "; it is kept with " + (start == null && end == null ? "time 0" : "zero duration"));
                if (start == null) {
                    start = end == null ? 0L : end;
                }
                if (end == null) {
                    end = start;
                }
            }
            spans++;
            return new SpanData(tid, sid, parentId, name, kind, start, end, status, statusMessage,
                    traceState, (int) flags, attrs, (int) droppedAttrs, events, (int) droppedEvents, links,
                    (int) droppedLinks, loc);
        }

        private TraceId traceId(String s) {
            if (s == null) {
                return null;
            }
            if (Ids.isHex(s, 32)) {
                return new TraceId(Ids.parseHex(s, 0, 16), Ids.parseHex(s, 16, 16));
            }
            return null;
        }

        /** The span kind: a number or a name; anything else is kept as unspecified with a warning. */
        private SpanKind kind(JsonToken v, String loc) throws IOException {
            SpanKind k = enumValue(v) == null ? null : SpanEnums.kind(enumValue(v));
            if (k != null || v == JsonToken.VALUE_NULL) {
                return k == null ? SpanKind.UNSPECIFIED : k;
            }
            session.warn(loc, SpanEnums.unknownKind(shown(v)));
            p.skipChildren();
            return SpanKind.UNSPECIFIED;
        }

        /** The status code: a number or a name; anything else is kept as unset with a warning. */
        private StatusCode statusCode(JsonToken v, String loc) throws IOException {
            StatusCode c = enumValue(v) == null ? null : SpanEnums.status(enumValue(v));
            if (c != null || v == JsonToken.VALUE_NULL) {
                return c == null ? StatusCode.UNSET : c;
            }
            session.warn(loc, SpanEnums.unknownStatus(shown(v)));
            p.skipChildren();
            return StatusCode.UNSET;
        }

        /** The text of a scalar enum value (a number or a name), or null for objects, arrays, booleans and null. */
        private String enumValue(JsonToken v) throws IOException {
            return v == JsonToken.VALUE_STRING || v == JsonToken.VALUE_NUMBER_INT ? p.getText() : null;
        }

        /** A value as a message quotes it: text in quotes, numbers as written, anything else by its type. */
        private String shown(JsonToken v) throws IOException {
            return switch (v) {
                case VALUE_STRING -> "'" + abbreviate(p.getText()) + "'";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> abbreviate(p.getText());
                default -> "(" + describe(v) + ")";
            };
        }

        /** A time of 0, OTLP's "not set", as null. */
        private static Long unlessZero(long ns) {
            return ns == 0 ? null : ns;
        }

        // -------------------------------------------------------------- events and links

        private List<SpanEventData> events(JsonToken v, String loc, JPath path) throws IOException {
            if (v == JsonToken.VALUE_NULL) {
                return List.of();
            }
            if (v != JsonToken.START_ARRAY) {
                session.warn(at(path), "expected an array, found " + describe(v) + "; ignored");
                p.skipChildren();
                return List.of();
            }
            List<SpanEventData> out = new ArrayList<>();
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                JPath ep = path.index(i++);
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    session.warn(at(ep), "expected an object (Event); the event was skipped");
                    p.skipChildren();
                    continue;
                }
                long time = 0;
                String name = "";
                List<Attribute> attrs = List.of();
                long dropped = 0;
                boolean ok = true;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    JsonToken t = p.nextToken();
                    try {
                        switch (f) {
                            case "timeUnixNano" -> time = integer(t, "timeUnixNano");
                            case "name" -> name = text(t, "name");
                            case "attributes" -> attrs = keyValues(t, loc, ep.field("attributes"));
                            case "droppedAttributesCount" -> dropped = integer(t, "droppedAttributesCount");
                            default -> p.skipChildren();
                        }
                    } catch (BadValue e) {
                        session.warn(at(ep), "" + e.getMessage() + "; the event was skipped");
                        p.skipChildren();
                        ok = false;
                    }
                }
                if (ok) {
                    out.add(new SpanEventData(time, name == null ? "" : name, attrs, (int) dropped));
                }
            }
            return out;
        }

        private List<SpanLinkData> links(JsonToken v, String loc, JPath path) throws IOException {
            if (v == JsonToken.VALUE_NULL) {
                return List.of();
            }
            if (v != JsonToken.START_ARRAY) {
                session.warn(at(path), "expected an array, found " + describe(v) + "; ignored");
                p.skipChildren();
                return List.of();
            }
            List<SpanLinkData> out = new ArrayList<>();
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                JPath lp = path.index(i++);
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    session.warn(at(lp), "expected an object (Link); the link was skipped");
                    p.skipChildren();
                    continue;
                }
                String traceId = null;
                String spanId = null;
                String traceState = null;
                long flags = 0;
                List<Attribute> attrs = List.of();
                long dropped = 0;
                String problem = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    JsonToken t = p.nextToken();
                    try {
                        switch (f) {
                            case "traceId" -> traceId = text(t, "traceId");
                            case "spanId" -> spanId = text(t, "spanId");
                            case "traceState" -> traceState = text(t, "traceState");
                            case "flags" -> flags = integer(t, "flags");
                            case "attributes" -> attrs = keyValues(t, loc, lp.field("attributes"));
                            case "droppedAttributesCount" -> dropped = integer(t, "droppedAttributesCount");
                            default -> p.skipChildren();
                        }
                    } catch (BadValue e) {
                        problem = e.getMessage();
                        p.skipChildren();
                    }
                }
                TraceId tid = traceId(traceId);
                if (problem == null && tid == null) {
                    problem = "traceId '" + abbreviate(String.valueOf(traceId)) + "' is not 32 hex digits";
                }
                if (problem == null && (spanId == null || !Ids.isHex(spanId, 16))) {
                    problem = "spanId '" + abbreviate(String.valueOf(spanId)) + "' is not 16 hex digits";
                }
                if (problem != null) {
                    session.warn(at(lp), "" + problem + "; the link was skipped");
                    continue;
                }
                out.add(new SpanLinkData(tid, Ids.parseHex(spanId, 0, 16), traceState, (int) flags, attrs,
                        (int) dropped));
            }
            return out;
        }

        // -------------------------------------------------------------- attributes

        /** A KeyValue list; malformed entries are skipped with a warning, never failing the record. */
        private List<Attribute> keyValues(JsonToken v, String loc, JPath path) throws IOException {
            if (v == JsonToken.VALUE_NULL) {
                return List.of();
            }
            if (v != JsonToken.START_ARRAY) {
                session.warn(at(path), "expected an array of {key, value}, found " + describe(v)
                        + "; ignored");
                p.skipChildren();
                return List.of();
            }
            List<Attribute> out = new ArrayList<>();
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                // the entry's path is path[at]: built only for a message (this runs for every attribute)
                int at = i++;
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    session.warn(at(path.index(at)), "expected {key, value}, found " + describe(p.currentToken())
                            + "; ignored");
                    p.skipChildren();
                    continue;
                }
                String key = null;
                AttributeValue value = null;
                // the usual {"key": ..., "value": ...}: each name is matched on its bytes (no name lookup); any other
                // name or order goes the same way, just slower
                for (JsonToken tok = p.nextFieldName(KEY) ? JsonToken.FIELD_NAME : p.currentToken();
                        tok == JsonToken.FIELD_NAME;
                        tok = p.nextFieldName(VALUE) ? JsonToken.FIELD_NAME : p.currentToken()) {
                    String f = p.currentName();
                    JsonToken t = p.nextToken();
                    if (f.equals("key")) {
                        key = t == JsonToken.VALUE_STRING ? strings.of(p) : null;
                        if (t != JsonToken.VALUE_STRING) {
                            p.skipChildren();
                        }
                    } else if (f.equals("value")) {
                        try {
                            value = anyValue(t, loc, path, at, true);
                        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
                            throw new JsonErrors.ValueTooLong(key, at(path.index(at)), e);
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                if (key == null) {
                    session.warn(at(path.index(at)), "the attribute has no key; ignored");
                    continue;
                }
                out.add(new Attribute(key, value == null ? new AttributeValue.Empty() : value));
            }
            return out;
        }

        /** An AnyValue at {@code parent[index]}, or at {@code parent[index].value} if {@code valueField}. */
        private AttributeValue anyValue(JsonToken v, String loc, JPath parent, int index, boolean valueField)
                throws IOException {
            if (v == JsonToken.VALUE_NULL) {
                return new AttributeValue.Empty();
            }
            if (v != JsonToken.START_OBJECT) {
                session.warn(at(valuePath(parent, index, valueField)), "expected an AnyValue object, found " + describe(v)
                        + "; stored as empty");
                p.skipChildren();
                return new AttributeValue.Empty();
            }
            AttributeValue out = null;
            List<String> unknown = null;
            for (JsonToken tok = p.nextFieldName(STRING_VALUE) ? JsonToken.FIELD_NAME : p.currentToken();
                    tok == JsonToken.FIELD_NAME; tok = p.nextToken()) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                try {
                    switch (f) {
                        case "stringValue" -> out = new AttributeValue.Str(t == JsonToken.VALUE_STRING ? strings.of(p)
                                : text(t, f));
                        case "boolValue" -> out = new AttributeValue.Bool(bool(t, f));
                        case "intValue" -> out = new AttributeValue.Int(integer(t, f));
                        case "doubleValue" -> out = new AttributeValue.Dbl(dbl(t, f));
                        case "bytesValue" -> out = new AttributeValue.Bytes(bytes(t));
                        case "arrayValue" -> out = arrayValue(t, loc, valuePath(parent, index, valueField).field("arrayValue"));
                        case "kvlistValue" -> out = kvlistValue(t, loc, valuePath(parent, index, valueField).field("kvlistValue"));
                        default -> {
                            if (unknown == null) {
                                unknown = new ArrayList<>();
                            }
                            unknown.add(f);
                            p.skipChildren();
                        }
                    }
                } catch (BadValue e) {
                    session.warn(at(valuePath(parent, index, valueField)), e.getMessage() + "; stored as empty");
                    p.skipChildren();
                    out = new AttributeValue.Empty();
                }
            }
            if (out == null) {
                if (unknown != null) {
                    session.warn(at(valuePath(parent, index, valueField)), "no known AnyValue field (found " + String.join(", ", unknown)
                            + "); stored as empty");
                }
                return new AttributeValue.Empty();
            }
            return out;
        }

        private static JPath valuePath(JPath parent, int index, boolean valueField) {
            JPath at = parent.index(index);
            return valueField ? at.field("value") : at;
        }

        private AttributeValue arrayValue(JsonToken t, String loc, JPath path) throws IOException {
            if (t != JsonToken.START_OBJECT) {
                throw new BadValue("arrayValue: expected an object with values, found " + describe(t));
            }
            List<AttributeValue> values = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                if (f.equals("values") && v == JsonToken.START_ARRAY) {
                    int i = 0;
                    JPath elements = path.field("values");
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        values.add(anyValue(p.currentToken(), loc, elements, i++, false));
                    }
                } else {
                    p.skipChildren();
                }
            }
            return new AttributeValue.Array(values);
        }

        private AttributeValue kvlistValue(JsonToken t, String loc, JPath path) throws IOException {
            if (t != JsonToken.START_OBJECT) {
                throw new BadValue("kvlistValue: expected an object with values, found " + describe(t));
            }
            List<Attribute> values = List.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                if (f.equals("values")) {
                    values = keyValues(v, loc, path.field("values"));
                } else {
                    p.skipChildren();
                }
            }
            return new AttributeValue.KvList(values);
        }

        // -------------------------------------------------------------- scalars

        /** A string that is nice to have: a wrong type is reported as a warning and ignored. */
        private String optionalText(JsonToken v, String path) throws IOException {
            try {
                return text(v, path);
            } catch (BadValue e) {
                session.warn(at(path), e.getMessage() + "; ignored");
                p.skipChildren();
                return null;
            }
        }

        private String text(JsonToken v, String field) throws IOException {
            if (v == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            if (v == JsonToken.VALUE_NULL) {
                return null;
            }
            throw new BadValue(field + ": expected a string, found " + describe(v));
        }

        /** The value of 1 to 19 decimal digits that fit a long, or -1 for anything else (signs, blanks, overflow). */
        private static long digits(char[] c, int off, int len) {
            if (len < 1 || len > 19) {
                return -1;
            }
            long v = 0;
            for (int i = off, end = off + len; i < end; i++) {
                int d = c[i] - '0';
                if (d < 0 || d > 9 || v > (Long.MAX_VALUE - d) / 10) {
                    return -1;
                }
                v = v * 10 + d;
            }
            return v;
        }

        private long integer(JsonToken v, String field) throws IOException {
            if (v == JsonToken.VALUE_NUMBER_INT) {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    return unsigned64(p.getText(), field);
                }
                return p.getLongValue();
            }
            if (v == JsonToken.VALUE_STRING) {
                // OTLP/JSON writes 64-bit integers (every time stamp) as strings: read plain digits where they lie
                long plain = digits(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                if (plain >= 0) {
                    return plain;
                }
                String s = p.getText().trim();
                try {
                    return Long.parseLong(s);
                } catch (NumberFormatException e) {
                    return unsigned64(s, field);
                }
            }
            if (v == JsonToken.VALUE_NUMBER_FLOAT) {
                double d = p.getDoubleValue();
                if (d == Math.rint(d) && Math.abs(d) < 9.0e18) {
                    return (long) d;
                }
            }
            throw new BadValue(field + ": expected an integer, found " + describe(v)
                    + (v == JsonToken.VALUE_STRING || v == JsonToken.VALUE_NUMBER_FLOAT
                            ? " '" + abbreviate(p.getText()) + "'" : ""));
        }

        /** fixed64/uint64 fields above Long.MAX_VALUE keep their bits. */
        private long unsigned64(String s, String field) throws BadValue {
            try {
                return Long.parseUnsignedLong(s);
            } catch (NumberFormatException e) {
                throw new BadValue(field + ": '" + abbreviate(s) + "' is not a 64-bit integer");
            }
        }

        private double dbl(JsonToken v, String field) throws IOException {
            if (v == JsonToken.VALUE_NUMBER_FLOAT || v == JsonToken.VALUE_NUMBER_INT) {
                return p.getDoubleValue();
            }
            if (v == JsonToken.VALUE_STRING) {
                String s = p.getText().trim();
                switch (s) {
                    case "NaN":
                        return Double.NaN;
                    case "Infinity":
                        return Double.POSITIVE_INFINITY;
                    case "-Infinity":
                        return Double.NEGATIVE_INFINITY;
                    default:
                        try {
                            return Double.parseDouble(s);
                        } catch (NumberFormatException e) {
                            throw new BadValue(field + ": '" + abbreviate(s) + "' is not a number");
                        }
                }
            }
            throw new BadValue(field + ": expected a number, found " + describe(v));
        }

        private boolean bool(JsonToken v, String field) throws IOException {
            if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
                return v == JsonToken.VALUE_TRUE;
            }
            if (v == JsonToken.VALUE_STRING) {
                String s = p.getText().trim();
                if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
                    return Boolean.parseBoolean(s);
                }
            }
            throw new BadValue(field + ": expected true or false, found " + describe(v));
        }

        private byte[] bytes(JsonToken v) throws IOException {
            if (v != JsonToken.VALUE_STRING) {
                throw new BadValue("bytesValue: expected a base64 string, found " + describe(v));
            }
            String s = p.getText().trim();
            try {
                return s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(s)
                        : Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                throw new BadValue("bytesValue: '" + abbreviate(s) + "' is not base64");
            }
        }

        // -------------------------------------------------------------- resource and scope contexts

        private ResourceData readResource(String path) throws IOException {
            String loc = at(path);
            if (p.currentToken() != JsonToken.START_OBJECT) {
                if (p.currentToken() != JsonToken.VALUE_NULL) {
                    session.warn(loc, "expected an object (Resource), found " + describe(p.currentToken())
                            + "; an empty resource is used");
                }
                p.skipChildren();
                return new ResourceData(List.of(), null, 0);
            }
            List<Attribute> attrs = List.of();
            long dropped = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                try {
                    switch (f) {
                        case "attributes" -> attrs = keyValues(t, loc, JPath.of(path).field("attributes"));
                        case "droppedAttributesCount" -> dropped = integer(t, "droppedAttributesCount");
                        default -> p.skipChildren();
                    }
                } catch (BadValue e) {
                    session.warn(at(path), e.getMessage() + "; ignored");
                    p.skipChildren();
                }
            }
            return new ResourceData(attrs, null, (int) dropped);
        }

        private ScopeData readScope(String path) throws IOException {
            String loc = at(path);
            if (p.currentToken() != JsonToken.START_OBJECT) {
                if (p.currentToken() != JsonToken.VALUE_NULL) {
                    session.warn(loc, "expected an object (InstrumentationScope), found "
                            + describe(p.currentToken()) + "; an empty scope is used");
                }
                p.skipChildren();
                return new ScopeData("", "", List.of(), null, 0);
            }
            String name = "";
            String version = "";
            List<Attribute> attrs = List.of();
            long dropped = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                try {
                    switch (f) {
                        case "name" -> name = text(t, "name");
                        case "version" -> version = text(t, "version");
                        case "attributes" -> attrs = keyValues(t, loc, JPath.of(path).field("attributes"));
                        case "droppedAttributesCount" -> dropped = integer(t, "droppedAttributesCount");
                        default -> p.skipChildren();
                    }
                } catch (BadValue e) {
                    session.warn(at(path), e.getMessage() + "; ignored");
                    p.skipChildren();
                }
            }
            return new ScopeData(name, version, attrs, null, (int) dropped);
        }

        /**
         * The resource of one ResourceSpans. Spans are passed on as soon as the resource is known; spans that come
         * before their resource in the JSON (legal, if unusual) wait here until it arrives or the object ends.
         */
        private final class ResourceContext {
            private final String path;
            private ResourceData data;
            private Long id;
            private String schemaUrl;
            private final List<ScopeContext> waiting = new ArrayList<>();

            ResourceContext(String path) {
                this.path = path;
            }

            void resource(String p) throws IOException {
                data = readResource(p);
            }

            /** The resource id, or null while the resource has not been seen. */
            Long id() {
                if (id == null && data != null) {
                    id = session.resource(new ResourceData(data.attributes(), schemaUrl, data.droppedAttributesCount()));
                }
                return id;
            }

            void end() {
                if (data == null) {
                    if (!waiting.isEmpty()) {
                        session.warn(at(path), "the ResourceSpans has no resource; its spans get an empty one");
                    }
                    data = new ResourceData(List.of(), null, 0);
                }
                if (schemaUrl != null) {
                    // the schema URL usually follows the spans: register it once it is known
                    session.resource(new ResourceData(data.attributes(), schemaUrl, data.droppedAttributesCount()));
                }
                Long rid = id();
                for (ScopeContext sc : waiting) {
                    sc.flushTo(rid);
                }
                waiting.clear();
            }
        }

        private final class ScopeContext {
            private final ResourceContext rc;
            private ScopeData data;
            private Long id;
            private String schemaUrl;
            private final List<SpanData> pending = new ArrayList<>();
            private boolean queued;

            ScopeContext(ResourceContext rc, String path) {
                this.rc = rc;
            }

            void scope(String path) throws IOException {
                data = readScope(path);
            }

            private Long id() {
                if (id == null && data != null) {
                    id = session.scope(new ScopeData(data.name(), data.version(), data.attributes(), schemaUrl,
                            data.droppedAttributesCount()));
                }
                return id;
            }

            void add(SpanData s) {
                Long rid = rc.id();
                Long sid = id();
                if (rid != null && sid != null && pending.isEmpty()) {
                    session.span(rid, sid, s);
                } else {
                    pending.add(s);
                }
            }

            void end() {
                if (data == null) {
                    data = new ScopeData("", "", List.of(), null, 0);
                }
                if (schemaUrl != null) {
                    session.scope(new ScopeData(data.name(), data.version(), data.attributes(), schemaUrl,
                            data.droppedAttributesCount()));
                }
                Long rid = rc.id();
                if (rid != null) {
                    flushTo(rid);
                } else if (!pending.isEmpty() && !queued) {
                    queued = true;
                    rc.waiting.add(this);
                }
            }

            void flushTo(long rid) {
                Long sid = id();
                for (SpanData s : pending) {
                    session.span(rid, sid, s);
                }
                pending.clear();
            }
        }
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }

    private static String abbreviate(String s) {
        return s.length() > 48 ? s.substring(0, 48) + "…" : s;
    }
}
