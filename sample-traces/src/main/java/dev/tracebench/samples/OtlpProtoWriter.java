package dev.tracebench.samples;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Writes spans as the Collector's file exporter does with {@code format: proto}: each
 * {@code ExportTraceServiceRequest} preceded by its length as a 4-byte big-endian unsigned integer.
 */
final class OtlpProtoWriter implements RequestWriter {
    private final DataOutputStream out;

    OtlpProtoWriter(OutputStream out) {
        this.out = new DataOutputStream(out);
    }

    @Override
    public void write(List<GenSpan> spans) throws IOException {
        byte[] msg = request(spans).toByteArray();
        out.writeInt(msg.length);
        out.write(msg);
    }

    static ExportTraceServiceRequest request(List<GenSpan> spans) {
        ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
        for (Map.Entry<String, Map<String, List<GenSpan>>> r : RequestWriter.group(spans).entrySet()) {
            String[] sv = r.getKey().split("\u0000", -1);
            ResourceSpans.Builder rs = ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAllAttributes(attrs(Fleet.resource(sv[0], sv[1]))))
                    .setSchemaUrl("https://opentelemetry.io/schemas/1.37.0");
            for (Map.Entry<String, List<GenSpan>> sc : r.getValue().entrySet()) {
                String[] nv = sc.getKey().split("\u0000", -1);
                ScopeSpans.Builder ss = ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName(nv[0]).setVersion(nv[1]));
                for (GenSpan s : sc.getValue()) {
                    ss.addSpans(span(s));
                }
                rs.addScopeSpans(ss);
            }
            req.addResourceSpans(rs);
        }
        return req.build();
    }

    private static Span span(GenSpan s) {
        Span.Builder b = Span.newBuilder()
                .setTraceId(id(s.traceHi, s.traceLo))
                .setSpanId(id(s.spanId))
                .setFlags(257)
                .setName(s.name)
                .setKindValue(s.kind)
                .setStartTimeUnixNano(s.startNs)
                .setEndTimeUnixNano(s.endNs)
                .addAllAttributes(attrs(s.attrs));
        if (s.parentId != 0) {
            b.setParentSpanId(id(s.parentId));
        }
        for (GenSpan.Event e : s.events) {
            b.addEvents(Span.Event.newBuilder().setTimeUnixNano(e.timeNs()).setName(e.name())
                    .addAllAttributes(attrs(e.attrs())));
        }
        for (GenSpan.Link l : s.links) {
            b.addLinks(Span.Link.newBuilder().setTraceId(id(l.traceHi(), l.traceLo())).setSpanId(id(l.spanId()))
                    .addAllAttributes(attrs(l.attrs())).setFlags(257));
        }
        Status.Builder st = Status.newBuilder().setCodeValue(s.status);
        if (s.statusMessage != null) {
            st.setMessage(s.statusMessage);
        }
        return b.setStatus(st).build();
    }

    private static ByteString id(long... parts) {
        byte[] bytes = new byte[parts.length * 8];
        for (int i = 0; i < parts.length; i++) {
            for (int j = 0; j < 8; j++) {
                bytes[i * 8 + j] = (byte) (parts[i] >>> (56 - 8 * j));
            }
        }
        return ByteString.copyFrom(bytes);
    }

    private static List<KeyValue> attrs(List<GenSpan.Attr> attrs) {
        return attrs.stream().map(a -> KeyValue.newBuilder().setKey(a.key()).setValue(value(a.value())).build())
                .toList();
    }

    private static AnyValue value(Object v) {
        if (v instanceof String s) {
            return AnyValue.newBuilder().setStringValue(s).build();
        }
        if (v instanceof Long || v instanceof Integer) {
            return AnyValue.newBuilder().setIntValue(((Number) v).longValue()).build();
        }
        if (v instanceof Double d) {
            return AnyValue.newBuilder().setDoubleValue(d).build();
        }
        if (v instanceof Boolean b) {
            return AnyValue.newBuilder().setBoolValue(b).build();
        }
        if (v instanceof List<?> list) {
            ArrayValue.Builder arr = ArrayValue.newBuilder();
            for (Object o : list) {
                arr.addValues(value(o));
            }
            return AnyValue.newBuilder().setArrayValue(arr).build();
        }
        throw new IllegalArgumentException("unsupported attribute value " + v);
    }
}
