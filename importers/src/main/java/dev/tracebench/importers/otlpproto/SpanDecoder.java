package dev.tracebench.importers.otlpproto;

import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.importers.common.Limits;
import dev.tracebench.importers.common.StringCache;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes one OTLP {@code Span} message straight into the model, field by field, from its bytes.
 *
 * <p>The generated protobuf classes build a message object, a builder and a String per field before the model gets
 * its own copies; reading the wire format directly (opentelemetry-proto's trace.proto and common.proto field numbers)
 * parses spans about twice as fast and lets repeated texts (attribute keys, names) share one String through a
 * {@link StringCache}. Unknown fields are skipped, as protobuf does; for a field given twice the last value wins.
 *
 * <p>Damage that makes the span unreadable (a length past the end, a bad wire type, attribute values nested more
 * than 100 levels deep) is a {@link BadSpan}; a string that is not UTF-8 is kept with U+FFFD in place of the bad bytes and
 * reported as a warning. One decoder per importer thread.
 */
final class SpanDecoder {
    /**
     * How deep attribute values may nest (a value inside an array or key/value list is one level down). Deeper values
     * would only exhaust the stack of whoever reads them; the OTLP/JSON reader allows about as much.
     */
    private static final int MAX_DEPTH = 100;

    private final StringCache strings = new StringCache(8192, 64);
    private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] b;
    private int pos;
    /** Warnings about the span being decoded (its location is added by the caller). */
    final List<String> warnings = new ArrayList<>();
    /** The largest value over the limit in the attribute being read (0: none). */
    private long oversize;

    /** The span could not be decoded. */
    static final class BadSpan extends Exception {
        private static final long serialVersionUID = 1L;

        BadSpan(String message) {
            super(message, null, false, false);
        }
    }

    /** Fields of a span as read, before the importer checks them. */
    static final class Raw {
        byte[] traceId;
        byte[] spanId;
        byte[] parentSpanId;
        String traceState;
        String name = "";
        long kind;
        long start;
        long end;
        List<Attribute> attributes = List.of();
        int droppedAttributes;
        List<SpanEventData> events = List.of();
        int droppedEvents;
        List<RawLink> links = List.of();
        int droppedLinks;
        long status;
        String statusMessage;
        int flags;
    }

    record RawLink(byte[] traceId, byte[] spanId, String traceState, List<Attribute> attributes, int dropped,
            int flags) {
    }

    /** Decodes {@code bytes[off, off + len)}, a serialized Span. */
    Raw decode(byte[] bytes, int off, int len) throws BadSpan {
        b = bytes;
        pos = off;
        warnings.clear();
        Raw r = new Raw();
        int end = off + len;
        List<Attribute> attrs = null;
        List<SpanEventData> events = null;
        List<RawLink> links = null;
        while (pos < end) {
            int tag = tag();
            switch (tag) {
                case (1 << 3) | 2 -> r.traceId = bytesField(end);
                case (2 << 3) | 2 -> r.spanId = bytesField(end);
                case (3 << 3) | 2 -> r.traceState = string(end, "traceState", false);
                case (4 << 3) | 2 -> r.parentSpanId = bytesField(end);
                case (5 << 3) | 2 -> r.name = string(end, "name", true);
                case (6 << 3) -> r.kind = varint(end);
                case (7 << 3) | 1 -> r.start = fixed64(end);
                case (8 << 3) | 1 -> r.end = fixed64(end);
                case (9 << 3) | 2 -> {
                    if (attrs == null) {
                        attrs = new ArrayList<>();
                    }
                    int limit = limit(end);
                    addAttribute(attrs, keyValue(limit, 1, "attributes"));
                }
                case (10 << 3) -> r.droppedAttributes = (int) varint(end);
                case (11 << 3) | 2 -> {
                    if (events == null) {
                        events = new ArrayList<>();
                    }
                    events.add(event(limit(end)));
                }
                case (12 << 3) -> r.droppedEvents = (int) varint(end);
                case (13 << 3) | 2 -> {
                    if (links == null) {
                        links = new ArrayList<>();
                    }
                    links.add(link(limit(end)));
                }
                case (14 << 3) -> r.droppedLinks = (int) varint(end);
                case (15 << 3) | 2 -> status(limit(end), r);
                case (16 << 3) | 5 -> r.flags = fixed32(end);
                default -> skip(tag, end);
            }
        }
        if (pos != end) {
            throw new BadSpan("a field runs past the end of the span");
        }
        if (attrs != null) {
            r.attributes = attrs;
        }
        if (events != null) {
            r.events = events;
        }
        if (links != null) {
            r.links = links;
        }
        return r;
    }

    private SpanEventData event(int end) throws BadSpan {
        long time = 0;
        String name = "";
        List<Attribute> attrs = null;
        int dropped = 0;
        while (pos < end) {
            int tag = tag();
            switch (tag) {
                case (1 << 3) | 1 -> time = fixed64(end);
                case (2 << 3) | 2 -> name = string(end, "events.name", true);
                case (3 << 3) | 2 -> {
                    if (attrs == null) {
                        attrs = new ArrayList<>();
                    }
                    addAttribute(attrs, keyValue(limit(end), 1, "events.attributes"));
                }
                case (4 << 3) -> dropped = (int) varint(end);
                default -> skip(tag, end);
            }
        }
        return new SpanEventData(time, name, attrs == null ? List.of() : attrs, dropped);
    }

    private RawLink link(int end) throws BadSpan {
        byte[] traceId = null;
        byte[] spanId = null;
        String traceState = null;
        List<Attribute> attrs = null;
        int dropped = 0;
        int flags = 0;
        while (pos < end) {
            int tag = tag();
            switch (tag) {
                case (1 << 3) | 2 -> traceId = bytesField(end);
                case (2 << 3) | 2 -> spanId = bytesField(end);
                case (3 << 3) | 2 -> traceState = string(end, "links.traceState", false);
                case (4 << 3) | 2 -> {
                    if (attrs == null) {
                        attrs = new ArrayList<>();
                    }
                    addAttribute(attrs, keyValue(limit(end), 1, "links.attributes"));
                }
                case (5 << 3) -> dropped = (int) varint(end);
                case (6 << 3) | 5 -> flags = fixed32(end);
                default -> skip(tag, end);
            }
        }
        return new RawLink(traceId, spanId, traceState, attrs == null ? List.of() : attrs, dropped, flags);
    }

    private void status(int end, Raw r) throws BadSpan {
        while (pos < end) {
            int tag = tag();
            switch (tag) {
                case (2 << 3) | 2 -> r.statusMessage = string(end, "status.message", false);
                case (3 << 3) -> r.status = varint(end);
                default -> skip(tag, end);
            }
        }
    }

    private static void addAttribute(List<Attribute> attrs, Attribute a) {
        if (a != null) {
            attrs.add(a);
        }
    }

    /**
     * KeyValue: key = 1, value = 2 (AnyValue). A top-level attribute ({@code depth} 1) holding a string or bytes value
     * over {@link Limits#MAX_VALUE} is left out, with a warning naming it and the size: null.
     */
    private Attribute keyValue(int end, int depth, String field) throws BadSpan {
        if (depth > MAX_DEPTH) {
            throw new BadSpan("attribute values are nested more than " + MAX_DEPTH + " levels deep");
        }
        if (depth == 1) {
            oversize = 0;
        }
        String key = "";
        AttributeValue value = null;
        while (pos < end) {
            int tag = tag();
            switch (tag) {
                case (1 << 3) | 2 -> key = string(end, field, " key", true);
                case (2 << 3) | 2 -> value = anyValue(limit(end), depth, field);
                default -> skip(tag, end);
            }
        }
        if (depth == 1 && oversize > 0) {
            warnings.add(field + " '" + key + "': a value of " + String.format("%,d", oversize) + " bytes is over the "
                    + Limits.maxValueText() + " limit; the span was kept without this attribute");
            return null;
        }
        return new Attribute(key, value == null ? new AttributeValue.Empty() : value);
    }

    /** Whether the length-delimited value at {@code pos} is over the limit; if so it is skipped and noted. */
    private boolean oversized(int end) throws BadSpan {
        int at = pos;
        long len = varint(end);
        pos = at;
        if (len <= Limits.MAX_VALUE) {
            return false;
        }
        oversize = Math.max(oversize, len);
        pos = limit(end);
        return true;
    }

    /** AnyValue: a oneof of string 1, bool 2, int 3, double 4, array 5, kvlist 6, bytes 7; the last one set wins. */
    private AttributeValue anyValue(int end, int depth, String field) throws BadSpan {
        if (depth > MAX_DEPTH) {
            throw new BadSpan("attribute values are nested more than " + MAX_DEPTH + " levels deep");
        }
        AttributeValue out = null;
        while (pos < end) {
            int tag = tag();
            switch (tag) {
                case (1 << 3) | 2 -> out = oversized(end) ? new AttributeValue.Empty()
                        : new AttributeValue.Str(string(end, field, "", true));
                case (2 << 3) -> out = new AttributeValue.Bool(varint(end) != 0);
                case (3 << 3) -> out = new AttributeValue.Int(varint(end));
                case (4 << 3) | 1 -> out = new AttributeValue.Dbl(Double.longBitsToDouble(fixed64(end)));
                case (5 << 3) | 2 -> {
                    int limit = limit(end);
                    List<AttributeValue> values = new ArrayList<>();
                    while (pos < limit) {
                        int t = tag();
                        if (t == ((1 << 3) | 2)) {
                            values.add(anyValue(limit(limit), depth + 1, field));
                        } else {
                            skip(t, limit);
                        }
                    }
                    out = new AttributeValue.Array(values);
                }
                case (6 << 3) | 2 -> {
                    int limit = limit(end);
                    List<Attribute> values = new ArrayList<>();
                    while (pos < limit) {
                        int t = tag();
                        if (t == ((1 << 3) | 2)) {
                            values.add(keyValue(limit(limit), depth + 1, field));
                        } else {
                            skip(t, limit);
                        }
                    }
                    out = new AttributeValue.KvList(values);
                }
                case (7 << 3) | 2 -> out = oversized(end) ? new AttributeValue.Empty()
                        : new AttributeValue.Bytes(bytesField(end));
                default -> skip(tag, end);
            }
        }
        return out == null ? new AttributeValue.Empty() : out;
    }

    // ------------------------------------------------------------------ wire format

    private int tag() throws BadSpan {
        long t = varint(Integer.MAX_VALUE);
        if (t <= 0 || t > 0xFFFFFFFFL || (t >>> 3) == 0) {
            throw new BadSpan("invalid field tag " + t);
        }
        return (int) t;
    }

    private long varint(int end) throws BadSpan {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= b.length || pos >= end) {
                throw new BadSpan("a number runs past the end of the span");
            }
            byte x = b[pos++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
        }
        throw new BadSpan("a number is longer than 10 bytes");
    }

    private long fixed64(int end) throws BadSpan {
        if (pos + 8 > end) {
            throw new BadSpan("a 64-bit field runs past the end of the span");
        }
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[pos + i] & 0xFF);
        }
        pos += 8;
        return v;
    }

    private int fixed32(int end) throws BadSpan {
        if (pos + 4 > end) {
            throw new BadSpan("a 32-bit field runs past the end of the span");
        }
        int v = (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16 | (b[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    /** Reads a length and returns where the field ends. */
    private int limit(int end) throws BadSpan {
        long len = varint(end);
        if (len < 0 || len > end - pos) {
            throw new BadSpan("a field of " + len + " bytes runs past the end of the span");
        }
        return pos + (int) len;
    }

    private byte[] bytesField(int end) throws BadSpan {
        int limit = limit(end);
        byte[] out = Arrays.copyOfRange(b, pos, limit);
        pos = limit;
        return out;
    }

    private String string(int end, String field, boolean cache) throws BadSpan {
        return string(end, field, "", cache);
    }

    /** {@code field + suffix} names the field in a warning (concatenated only then: this runs for every value). */
    private String string(int end, String field, String suffix, boolean cache) throws BadSpan {
        int limit = limit(end);
        int len = limit - pos;
        int start = pos;
        pos = limit;
        boolean ascii = true;
        for (int i = start; i < limit; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return cache ? strings.of(b, start, len) : new String(b, start, len, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = strict.reset().decode(ByteBuffer.wrap(b, start, len));
            return chars.toString();
        } catch (CharacterCodingException e) {
            warnings.add(field + suffix + ": not valid UTF-8; the bad bytes were replaced with U+FFFD");
            return new String(b, start, len, StandardCharsets.UTF_8);
        }
    }

    private void skip(int tag, int end) throws BadSpan {
        switch (tag & 7) {
            case 0 -> varint(end);
            case 1 -> {
                if (pos + 8 > end) {
                    throw new BadSpan("a 64-bit field runs past the end of the span");
                }
                pos += 8;
            }
            case 2 -> pos = limit(end);
            case 5 -> {
                if (pos + 4 > end) {
                    throw new BadSpan("a 32-bit field runs past the end of the span");
                }
                pos += 4;
            }
            default -> throw new BadSpan("unsupported wire type " + (tag & 7) + " in field " + (tag >>> 3));
        }
    }

    private static final java.lang.invoke.VarHandle BIG_ENDIAN_LONG = java.lang.invoke.MethodHandles
            .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    static TraceId traceId(byte[] id) {
        return new TraceId((long) BIG_ENDIAN_LONG.get(id, 0), (long) BIG_ENDIAN_LONG.get(id, 8));
    }

    static long spanId(byte[] id) {
        return (long) BIG_ENDIAN_LONG.get(id, 0);
    }
}
