package dev.tracebench.samples;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Generates in memory and reads the output back through the opentelemetry-proto classes, for the tests. */
final class Generated {
    /** One span with its service and attributes flattened for easy assertions. */
    record S(String trace, String id, String parent, String name, String service, String serviceVersion, long start,
            long end, int status, Map<String, Object> attrs, Span proto) {
        long durationMs() {
            return (end - start) / 1_000_000;
        }

        Object attr(String key) {
            return attrs.get(key);
        }
    }

    final byte[] protoBytes;
    final byte[] jsonBytes;
    final String evals;
    final String affected;
    final TrafficGenerator.Summary summary;
    final List<ExportTraceServiceRequest> requests = new ArrayList<>();
    final List<S> spans = new ArrayList<>();

    Generated(TrafficGenerator.Options o) throws IOException {
        ByteArrayOutputStream proto = new ByteArrayOutputStream();
        StringWriter ev = new StringWriter();
        StringWriter aff = new StringWriter();
        summary = new TrafficGenerator(o).write(new OtlpProtoWriter(proto), ev, aff);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        new TrafficGenerator(o).write(new OtlpJsonWriter(json), new StringWriter(), new StringWriter());
        protoBytes = proto.toByteArray();
        jsonBytes = json.toByteArray();
        evals = ev.toString();
        affected = aff.toString();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(protoBytes))) {
            while (true) {
                int n;
                try {
                    n = in.readInt();
                } catch (EOFException e) {
                    break;
                }
                byte[] msg = new byte[n];
                in.readFully(msg);
                requests.add(ExportTraceServiceRequest.parseFrom(msg));
            }
        }
        HexFormat hex = HexFormat.of();
        for (ExportTraceServiceRequest r : requests) {
            for (ResourceSpans rs : r.getResourceSpansList()) {
                Map<String, Object> res = attrs(rs.getResource().getAttributesList());
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (Span s : ss.getSpansList()) {
                        spans.add(new S(hex.formatHex(s.getTraceId().toByteArray()),
                                hex.formatHex(s.getSpanId().toByteArray()),
                                hex.formatHex(s.getParentSpanId().toByteArray()), s.getName(),
                                (String) res.get("service.name"), (String) res.get("service.version"),
                                s.getStartTimeUnixNano(), s.getEndTimeUnixNano(), s.getStatus().getCodeValue(),
                                attrs(s.getAttributesList()), s));
                    }
                }
            }
        }
    }

    static Map<String, Object> attrs(List<KeyValue> kvs) {
        Map<String, Object> m = new HashMap<>();
        for (KeyValue kv : kvs) {
            m.put(kv.getKey(), value(kv.getValue()));
        }
        return m;
    }

    static Object value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case BOOL_VALUE -> v.getBoolValue();
            case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(Generated::value).toList();
            default -> null;
        };
    }

    List<S> roots() {
        return spans.stream().filter(s -> s.parent().isEmpty()).toList();
    }

    Map<String, S> rootByTrace() {
        Map<String, S> m = new HashMap<>();
        for (S s : roots()) {
            m.put(s.trace(), s);
        }
        return m;
    }

    java.util.Set<String> affectedIds() {
        return new java.util.HashSet<>(affected.lines().toList());
    }

    static double median(List<Long> values) {
        List<Long> v = new ArrayList<>(values);
        v.sort(Long::compare);
        return v.isEmpty() ? Double.NaN : v.get(v.size() / 2);
    }

    static double percentile(List<Long> values, double p) {
        List<Long> v = new ArrayList<>(values);
        v.sort(Long::compare);
        return v.isEmpty() ? Double.NaN : v.get((int) Math.min(v.size() - 1, Math.floor(p * v.size())));
    }
}
