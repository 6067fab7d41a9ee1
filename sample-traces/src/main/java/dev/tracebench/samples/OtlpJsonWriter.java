package dev.tracebench.samples;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Writes spans as OTLP/JSON Lines the way the OpenTelemetry Collector's file exporter does: one
 * {@code ExportTraceServiceRequest} per line, spans grouped by resource then scope, lowercase hex ids, 64-bit
 * integers as decimal strings, enums as integers, empty fields left out.
 */
final class OtlpJsonWriter implements RequestWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.37.0";
    private final JsonFactory json = new JsonFactory();
    private final OutputStream out;

    OtlpJsonWriter(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(List<GenSpan> spans) throws IOException {
        JsonGenerator g = json.createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        g.writeArrayFieldStart("resourceSpans");
        for (Map.Entry<String, Map<String, List<GenSpan>>> r : RequestWriter.group(spans).entrySet()) {
            String[] sv = r.getKey().split("\u0000", -1);
            g.writeStartObject();
            g.writeObjectFieldStart("resource");
            writeAttrs(g, Fleet.resource(sv[0], sv[1]));
            g.writeEndObject();
            g.writeArrayFieldStart("scopeSpans");
            for (Map.Entry<String, List<GenSpan>> sc : r.getValue().entrySet()) {
                String[] nv = sc.getKey().split("\u0000", -1);
                g.writeStartObject();
                g.writeObjectFieldStart("scope");
                g.writeStringField("name", nv[0]);
                if (!nv[1].isEmpty()) {
                    g.writeStringField("version", nv[1]);
                }
                g.writeEndObject();
                g.writeArrayFieldStart("spans");
                for (GenSpan s : sc.getValue()) {
                    writeSpan(g, s);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("schemaUrl", SCHEMA_URL);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.flush();
        out.write('\n');
    }

    private static void writeSpan(JsonGenerator g, GenSpan s) throws IOException {
        g.writeStartObject();
        g.writeStringField("traceId", hex(s.traceHi) + hex(s.traceLo));
        g.writeStringField("spanId", hex(s.spanId));
        if (s.parentId != 0) {
            g.writeStringField("parentSpanId", hex(s.parentId));
        }
        g.writeNumberField("flags", 257);
        g.writeStringField("name", s.name);
        g.writeNumberField("kind", s.kind);
        g.writeStringField("startTimeUnixNano", Long.toString(s.startNs));
        g.writeStringField("endTimeUnixNano", Long.toString(s.endNs));
        writeAttrs(g, s.attrs);
        if (!s.events.isEmpty()) {
            g.writeArrayFieldStart("events");
            for (GenSpan.Event e : s.events) {
                g.writeStartObject();
                g.writeStringField("timeUnixNano", Long.toString(e.timeNs()));
                g.writeStringField("name", e.name());
                writeAttrs(g, e.attrs());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (!s.links.isEmpty()) {
            g.writeArrayFieldStart("links");
            for (GenSpan.Link l : s.links) {
                g.writeStartObject();
                g.writeStringField("traceId", hex(l.traceHi()) + hex(l.traceLo()));
                g.writeStringField("spanId", hex(l.spanId()));
                writeAttrs(g, l.attrs());
                g.writeNumberField("flags", 257);
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeObjectFieldStart("status");
        if (s.statusMessage != null) {
            g.writeStringField("message", s.statusMessage);
        }
        if (s.status != 0) {
            g.writeNumberField("code", s.status);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeAttrs(JsonGenerator g, List<GenSpan.Attr> attrs) throws IOException {
        if (attrs == null || attrs.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart("attributes");
        for (GenSpan.Attr a : attrs) {
            g.writeStartObject();
            g.writeStringField("key", a.key());
            g.writeFieldName("value");
            writeValue(g, a.value());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        g.writeStartObject();
        if (v instanceof String s) {
            g.writeStringField("stringValue", s);
        } else if (v instanceof Long || v instanceof Integer) {
            g.writeStringField("intValue", v.toString());
        } else if (v instanceof Double d) {
            g.writeNumberField("doubleValue", d);
        } else if (v instanceof Boolean b) {
            g.writeBooleanField("boolValue", b);
        } else if (v instanceof List<?> list) {
            g.writeObjectFieldStart("arrayValue");
            g.writeArrayFieldStart("values");
            for (Object o : list) {
                writeValue(g, o);
            }
            g.writeEndArray();
            g.writeEndObject();
        } else {
            throw new IllegalArgumentException("unsupported attribute value " + v);
        }
        g.writeEndObject();
    }

    static String hex(long v) {
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
        return new String(out);
    }
}
