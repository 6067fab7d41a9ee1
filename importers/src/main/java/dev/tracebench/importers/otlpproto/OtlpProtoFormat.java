package dev.tracebench.importers.otlpproto;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.SpanLinkData;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.importers.TraceFormat;
import dev.tracebench.importers.common.SpanEnums;
import dev.tracebench.importers.io.CorruptInputException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * OTLP protobuf: a single {@code ExportTraceServiceRequest} / {@code TracesData} message (the two have the same wire
 * format), or the Collector file exporter's {@code format: proto} stream, where each message is preceded by its length
 * as a 4-byte big-endian integer. Compression (gzip, zstd) is removed before this reader sees the bytes.
 *
 * <p>Streaming: the message is walked field by field with a {@link CodedInputStream}; only one span is materialised at
 * a time, so a single multi-gigabyte message is fine. A span that does not parse is reported (message number, JSON-like
 * path, byte offset) and skipped; in the length-prefixed stream a damaged message is skipped to the next one.
 */
public final class OtlpProtoFormat implements TraceFormat {
    public static final String FORMAT = "otlp-proto";

    @Override
    public String id() {
        return FORMAT;
    }

    @Override
    public String displayName() {
        return "OTLP protobuf";
    }

    @Override
    public String expected() {
        return "an ExportTraceServiceRequest (resource_spans, scope_spans, spans), alone or each message after "
                + "its 4-byte length";
    }

    @Override
    public int sniff(Head head) {
        byte[] b = head.bytes();
        if (b.length >= 5 && b[4] == 0x0A) {
            long len = ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
            if (len > 0 && len < (1L << 31) && plausibleRequest(b, 4, (int) Math.min(len, b.length - 4))) {
                return 85;
            }
        }
        if (b.length >= 2 && b[0] == 0x0A && plausibleRequest(b, 0, b.length)) {
            return 70;
        }
        return 0;
    }

    /** Reads the start of a message: field 1 (resource_spans) holding resource (1) or scope_spans (2) fields. */
    private static boolean plausibleRequest(byte[] b, int off, int len) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(b, off, len);
            if (in.readTag() != 0x0A) {
                return false;
            }
            int inner = in.readRawVarint32();
            if (inner <= 0) {
                return false;
            }
            int tag = in.readTag();
            return tag == 0x0A || tag == 0x12 || tag == 0x1A;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void read(InputStream content, IngestSession session, ReadContext context) throws IOException {
        content.mark(8);
        byte[] five = content.readNBytes(5);
        content.reset();
        boolean stream = five.length == 5 && five[4] == 0x0A && five[0] != 0x0A;
        Walker w = new Walker(session, context, new SpanDecoder());
        if (stream) {
            w.readStream(content);
        } else {
            w.readSingle(CodedInputStream.newInstance(content, 1 << 16));
        }
    }

    /**
     * A reader of single export requests already in memory (the live receiver's request bodies) for one thread: it
     * keeps its span decoder, whose cache of repeated texts then carries over from request to request instead of
     * starting cold (and being allocated) for each.
     */
    public static final class RequestReader {
        private final SpanDecoder decoder = new SpanDecoder();

        /** Reads {@code body}, one ExportTraceServiceRequest, into {@code session}. Not thread-safe. */
        public void read(byte[] body, IngestSession session, ReadContext context) throws IOException {
            new Walker(session, context, decoder).readSingle(CodedInputStream.newInstance(body));
        }
    }

    private static final class Walker {
        private final IngestSession session;
        private final SpanDecoder decoder;
        private final ReadContext context;
        private int message;
        private long messageOffset;
        /** Absolute file offset at which the stream's byte counter was last reset. */
        private long counterBase;

        Walker(IngestSession session, ReadContext context, SpanDecoder decoder) {
            this.session = session;
            this.context = context;
            this.decoder = decoder;
        }

        void readStream(InputStream content) throws IOException {
            CodedInputStream in = CodedInputStream.newInstance(content, 1 << 16);
            in.setSizeLimit(Integer.MAX_VALUE);
            long offset = 0;
            while (true) {
                session.checkCancelled();
                resetCounter(in);
                byte[] prefix;
                try {
                    if (in.isAtEnd()) {
                        return;
                    }
                    prefix = in.readRawBytes(4);
                } catch (InvalidProtocolBufferException e) {
                    session.reject(where("", offset), "the file ends inside a message length prefix (truncated)");
                    return;
                } catch (CorruptInputException e) {
                    session.reject(where("", offset), e.getMessage() + "; reading stopped there");
                    return;
                }
                long len = ((prefix[0] & 0xFFL) << 24) | ((prefix[1] & 0xFFL) << 16) | ((prefix[2] & 0xFFL) << 8)
                        | (prefix[3] & 0xFFL);
                message++;
                messageOffset = offset + 4;
                if (len > Integer.MAX_VALUE) {
                    session.reject(where("", offset), "message length " + len + " is not plausible; the rest of the "
                            + "file was not read");
                    return;
                }
                int old = in.pushLimit((int) len);
                try {
                    readRequest(in, false);
                } catch (InvalidProtocolBufferException e) {
                    if (e.getMessage() != null && e.getMessage().contains("truncated")) {
                        session.reject(where("", messageOffset), "message " + message + " is cut short (" + len
                                + " bytes announced); the spans before the cut were kept");
                        return;
                    }
                    session.reject(where("", position(in)), "message " + message
                            + " is damaged (" + e.getMessage() + "); skipped to the next message");
                    try {
                        in.skipRawBytes(in.getBytesUntilLimit());
                    } catch (InvalidProtocolBufferException cut) {
                        return;
                    }
                } catch (CorruptInputException e) {
                    session.reject(where("", messageOffset), e.getMessage() + "; reading stopped there");
                    return;
                }
                in.popLimit(old);
                offset += 4 + len;
                session.bytesRead(context.rawBytesRead().getAsLong());
            }
        }

        void readSingle(CodedInputStream in) throws IOException {
            in.setSizeLimit(Integer.MAX_VALUE);
            message = 1;
            messageOffset = 0;
            try {
                readRequest(in, true);
            } catch (InvalidProtocolBufferException e) {
                session.reject(where("", position(in)), e.getMessage() != null
                        && e.getMessage().contains("truncated") ? "the message ends early (the file looks truncated); "
                        + "the spans before it were kept" : "the message is damaged (" + e.getMessage()
                        + "); the rest of the file was not read");
            } catch (CorruptInputException e) {
                session.reject(where("", position(in)), e.getMessage() + "; reading stopped there");
            }
        }

        /** The absolute offset in the (decompressed) file of the next byte {@code in} reads. */
        private long position(CodedInputStream in) {
            return counterBase + in.getTotalBytesRead();
        }

        /** Resets protobuf's 2 GB size counter, keeping {@link #position} absolute. */
        private void resetCounter(CodedInputStream in) {
            counterBase += in.getTotalBytesRead();
            in.resetSizeCounter();
        }

        private String where(String path, long byteOffset) {
            return "message " + message + (path.isEmpty() ? "" : ", " + path) + " (byte " + byteOffset + ")";
        }

        /**
         * ExportTraceServiceRequest / TracesData: repeated ResourceSpans resource_spans = 1. {@code unbounded} is true
         * for a single-message file: then the stream's 2 GB size counter is reset after each ResourceSpans (never
         * while a length limit is active: that would move the limit).
         */
        private void readRequest(CodedInputStream in, boolean unbounded) throws IOException {
            int i = 0;
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    return;
                }
                if (tag == 0x0A) {
                    int len = in.readRawVarint32();
                    int old = in.pushLimit(len);
                    readResourceSpans(in, "resourceSpans[" + i++ + "]");
                    in.popLimit(old);
                    if (unbounded) {
                        resetCounter(in);
                    }
                } else if (!in.skipField(tag)) {
                    return;
                }
            }
        }

        private void readResourceSpans(CodedInputStream in, String path) throws IOException {
            Resource resource = null;
            String schemaUrl = null;
            Long resourceId = null;
            List<Object[]> waiting = new ArrayList<>(); // scope, spans that came before the resource (unusual)
            int j = 0;
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                switch (tag >>> 3) {
                    case 1 -> resource = Resource.parser().parseFrom(in.readBytes());
                    case 2 -> {
                        int len = in.readRawVarint32();
                        int old = in.pushLimit(len);
                        if (resource != null && resourceId == null) {
                            resourceId = session.resource(resourceData(resource, null));
                        }
                        readScopeSpans(in, path + ".scopeSpans[" + j++ + "]", resourceId, waiting);
                        in.popLimit(old);
                    }
                    case 3 -> schemaUrl = in.readStringRequireUtf8();
                    default -> in.skipField(tag);
                }
            }
            if (resource == null) {
                resource = Resource.getDefaultInstance();
            }
            long rid = session.resource(resourceData(resource, schemaUrl));
            for (Object[] w : waiting) {
                @SuppressWarnings("unchecked")
                List<SpanData> spans = (List<SpanData>) w[1];
                long sid = session.scope((ScopeData) w[0]);
                for (SpanData s : spans) {
                    session.span(rid, sid, s);
                }
            }
        }

        private void readScopeSpans(CodedInputStream in, String path, Long resourceId, List<Object[]> waiting)
                throws IOException {
            ScopeData scope = null;
            Long scopeId = null;
            String schemaUrl = null;
            List<SpanData> pending = new ArrayList<>();
            int k = 0;
            String spanPrefix = null;
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                switch (tag >>> 3) {
                    case 1 -> scope = scopeData(InstrumentationScope.parser().parseFrom(in.readBytes()), null);
                    case 2 -> {
                        session.checkCancelled();
                        long at = position(in);
                        int len = in.readRawVarint32();
                        int old = in.pushLimit(len);
                        byte[] bytes = in.readRawBytes(len);
                        in.popLimit(old);
                        if (spanPrefix == null) {
                            spanPrefix = "message " + message + ", " + path + ".spans[";
                        }
                        SpanData s = span(bytes, spanPrefix + k++ + "] (byte " + at + ")");
                        if (s != null) {
                            if (resourceId != null && scope != null && pending.isEmpty()) {
                                if (scopeId == null) {
                                    scopeId = session.scope(scope);
                                }
                                session.span(resourceId, scopeId, s);
                            } else {
                                pending.add(s);
                            }
                        }
                    }
                    case 3 -> schemaUrl = in.readStringRequireUtf8();
                    default -> in.skipField(tag);
                }
            }
            if (scope == null) {
                scope = new ScopeData("", "", List.of(), null, 0);
            }
            if (schemaUrl != null) {
                scope = new ScopeData(scope.name(), scope.version(), scope.attributes(), schemaUrl,
                        scope.droppedAttributesCount());
                session.scope(scope);
            }
            if (!pending.isEmpty()) {
                if (resourceId != null) {
                    long sid = session.scope(scope);
                    for (SpanData s : pending) {
                        session.span(resourceId, sid, s);
                    }
                } else {
                    waiting.add(new Object[] {scope, pending});
                }
            }
        }

        private SpanData span(byte[] bytes, String loc) {
            SpanDecoder.Raw s;
            try {
                s = decoder.decode(bytes, 0, bytes.length);
            } catch (SpanDecoder.BadSpan e) {
                session.reject(loc, "the span does not parse (" + e.getMessage() + ")");
                return null;
            }
            for (String w : decoder.warnings) {
                session.warn(loc, w);
            }
            byte[] tid = s.traceId;
            if (tid == null || tid.length != 16) {
                session.reject(loc, tid == null || tid.length == 0 ? "the span has no traceId" : "traceId has "
                        + tid.length + " bytes, not 16");
                return null;
            }
            TraceId traceId = SpanDecoder.traceId(tid);
            if (traceId.hi() == 0 && traceId.lo() == 0) {
                session.reject(loc, "traceId is all zeros, which OTLP defines as invalid");
                return null;
            }
            byte[] sid = s.spanId;
            if (sid == null || sid.length != 8) {
                session.reject(loc, sid == null || sid.length == 0 ? "the span has no spanId" : "spanId has "
                        + sid.length + " bytes, not 8");
                return null;
            }
            long spanId = SpanDecoder.spanId(sid);
            if (spanId == 0) {
                session.reject(loc, "spanId is all zeros, which OTLP defines as invalid");
                return null;
            }
            Long parent = null;
            byte[] pid = s.parentSpanId;
            if (pid != null && pid.length > 0) {
                if (pid.length == 8 && SpanDecoder.spanId(pid) != 0) {
                    parent = SpanDecoder.spanId(pid);
                } else {
                    session.warn(loc, "parentSpanId has " + pid.length + " bytes, not 8; the span is kept as a root");
                }
            }
            long start = s.start;
            long end = s.end;
            if (start == 0 || end == 0) {
                session.warn(loc, "the span has no " + (start == 0 ? "startTimeUnixNano" : "endTimeUnixNano")
                        + "; it is kept with " + (start == 0 && end == 0 ? "time 0" : "zero duration"));
                if (start == 0) {
                    start = end;
                }
                if (end == 0) {
                    end = start;
                }
            }
            SpanKind kind = SpanEnums.kind(s.kind);
            if (kind == null) {
                session.warn(loc, SpanEnums.unknownKind(Long.toString(s.kind)));
                kind = SpanKind.UNSPECIFIED;
            }
            StatusCode status = SpanEnums.status(s.status);
            if (status == null) {
                session.warn(loc, SpanEnums.unknownStatus(Long.toString(s.status)));
                status = StatusCode.UNSET;
            }
            List<SpanLinkData> links = new ArrayList<>(s.links.size());
            for (int i = 0; i < s.links.size(); i++) {
                SpanDecoder.RawLink l = s.links.get(i);
                if (l.traceId() == null || l.traceId().length != 16 || l.spanId() == null || l.spanId().length != 8) {
                    session.warn(loc, "links[" + i + "]: its ids do not have 16 and 8 bytes; the link was skipped");
                    continue;
                }
                links.add(new SpanLinkData(SpanDecoder.traceId(l.traceId()), SpanDecoder.spanId(l.spanId()),
                        emptyToNull(l.traceState()), l.flags(), l.attributes(), l.dropped()));
            }
            return new SpanData(traceId, spanId, parent, s.name, kind, start, end, status,
                    emptyToNull(s.statusMessage), emptyToNull(s.traceState), s.flags, s.attributes, s.droppedAttributes,
                    s.events, s.droppedEvents, links, s.droppedLinks, loc);
        }

        private static String emptyToNull(String s) {
            return s == null || s.isEmpty() ? null : s;
        }
    }

    static ResourceData resourceData(Resource r, String schemaUrl) {
        return new ResourceData(attributes(r.getAttributesList()), schemaUrl, r.getDroppedAttributesCount());
    }

    static ScopeData scopeData(InstrumentationScope s, String schemaUrl) {
        return new ScopeData(s.getName(), s.getVersion(), attributes(s.getAttributesList()), schemaUrl,
                s.getDroppedAttributesCount());
    }

    static List<Attribute> attributes(List<KeyValue> kvs) {
        List<Attribute> out = new ArrayList<>(kvs.size());
        for (KeyValue kv : kvs) {
            out.add(new Attribute(kv.getKey(), value(kv.getValue())));
        }
        return out;
    }

    static AttributeValue value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> new AttributeValue.Str(v.getStringValue());
            case BOOL_VALUE -> new AttributeValue.Bool(v.getBoolValue());
            case INT_VALUE -> new AttributeValue.Int(v.getIntValue());
            case DOUBLE_VALUE -> new AttributeValue.Dbl(v.getDoubleValue());
            case BYTES_VALUE -> new AttributeValue.Bytes(v.getBytesValue().toByteArray());
            case ARRAY_VALUE -> {
                List<AttributeValue> values = new ArrayList<>(v.getArrayValue().getValuesCount());
                for (AnyValue x : v.getArrayValue().getValuesList()) {
                    values.add(value(x));
                }
                yield new AttributeValue.Array(values);
            }
            case KVLIST_VALUE -> new AttributeValue.KvList(attributes(v.getKvlistValue().getValuesList()));
            default -> new AttributeValue.Empty();
        };
    }

}
