package dev.tracebench.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, items 1 and 2: an unknown span kind or status code never costs the span (it is kept as unspecified /
 * unset, with a warning naming the record and the value), and times that are not times (0 or below, unsigned
 * nanoseconds past 2^63) are not stored silently, in every format.
 */
class UnknownValuesTest extends ImporterTestBase {
    private static final String T = "5b8efff798038103d269b633813fc60c";

    private static String span(String id, String extra) {
        return "{\"traceId\":\"" + T + "\",\"spanId\":\"" + id + "\",\"name\":\"op " + id + "\","
                + "\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":\"1700000001000000000\"" + extra
                + "}";
    }

    private static String doc(String... spans) {
        return "{\"resourceSpans\":[{\"resource\":{},\"scopeSpans\":[{\"spans\":[" + String.join(",", spans)
                + "]}]}]}\n";
    }

    private static List<String> problems(ImportReport r) {
        return r.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void otlpJsonKeepsSpansWithUnknownKindsAndStatusCodes() throws Exception {
        ImportReport r = importText("enums.json", doc(
                span("0000000000000001", ",\"kind\":\"SPAN_KIND_FOO\""),
                span("0000000000000002", ",\"kind\":{}"),
                span("0000000000000003", ",\"status\":{\"code\":7}"),
                span("0000000000000004", ",\"status\":{\"code\":\"STATUS_CODE_FOO\",\"message\":\"kept\"}"),
                span("0000000000000005", ",\"kind\":\"SPAN_KIND_CLIENT\",\"status\":{\"code\":\"STATUS_CODE_ERROR\"}"),
                span("0000000000000006", ",\"kind\":-1,\"status\":{\"code\":[2]}")));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(6, r.spansAdded(), problems(r).toString());
        assertEquals(0, r.rejected(), problems(r).toString());
        String at = "line 1, resourceSpans[0].scopeSpans[0].spans[";
        assertEquals(List.of(
                "warning at " + at + "0]: kind 'SPAN_KIND_FOO' is not a known SpanKind; kept as unspecified",
                "warning at " + at + "1]: kind (an object) is not a known SpanKind; kept as unspecified",
                "warning at " + at + "2]: status.code 7 is not a known StatusCode; kept as unset",
                "warning at " + at + "3]: status.code 'STATUS_CODE_FOO' is not a known StatusCode; kept as unset",
                "warning at " + at + "5]: kind -1 is not a known SpanKind; kept as unspecified",
                "warning at " + at + "5]: status.code (an array) is not a known StatusCode; kept as unset"),
                problems(r));
        TraceDetail t = trace(T);
        assertEquals(SpanKind.UNSPECIFIED, span(t, "0000000000000001").kind());
        assertEquals(SpanKind.UNSPECIFIED, span(t, "0000000000000002").kind());
        assertEquals(StatusCode.UNSET, span(t, "0000000000000003").status());
        SpanDetail fourth = span(t, "0000000000000004");
        assertEquals(StatusCode.UNSET, fourth.status());
        assertEquals("kept", fourth.statusMessage());
        SpanDetail named = span(t, "0000000000000005");
        assertEquals(SpanKind.CLIENT, named.kind());
        assertEquals(StatusCode.ERROR, named.status());
        assertEquals(1_700_000_000_000_000_000L, named.startNs());
    }

    private static Span.Builder protoSpan(int id) {
        return Span.newBuilder().setTraceId(ByteString.fromHex(T)).setSpanId(ByteString.fromHex(
                String.format("%016x", id))).setName("p" + id).setStartTimeUnixNano(1_700_000_000_000_000_000L)
                .setEndTimeUnixNano(1_700_000_002_000_000_000L);
    }

    private static byte[] proto(Span.Builder... spans) {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder();
        for (Span.Builder s : spans) {
            ss.addSpans(s);
        }
        return TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ss)).build()
                .toByteArray();
    }

    @Test
    void otlpProtobufKeepsSpansWithUnknownKindsAndStatusCodes() throws Exception {
        ImportReport r = importBytes("enums.pb", proto(
                protoSpan(1).setKindValue(9),
                protoSpan(2).setStatus(Status.newBuilder().setCodeValue(7)),
                protoSpan(3).setKindValue(2).setStatus(Status.newBuilder().setCodeValue(2))));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(3, r.spansAdded());
        List<String> p = problems(r);
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("warning at message 1, resourceSpans[0].scopeSpans[0].spans[0] (byte ")
                && p.get(0).endsWith("kind 9 is not a known SpanKind; kept as unspecified"), p.toString());
        assertTrue(p.get(1).endsWith("status.code 7 is not a known StatusCode; kept as unset"), p.toString());
        TraceDetail t = trace(T);
        assertEquals(SpanKind.UNSPECIFIED, span(t, "0000000000000001").kind());
        assertEquals(StatusCode.UNSET, span(t, "0000000000000002").status());
        assertEquals(SpanKind.SERVER, span(t, "0000000000000003").kind());
        assertEquals(StatusCode.ERROR, span(t, "0000000000000003").status());
    }

    /** A length-delimited protobuf field: its tag, the payload's length and the payload. */
    private static byte[] field(int number, byte[] payload) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(number << 3 | 2);
        for (long v = payload.length; ; v >>>= 7) {
            if (v < 0x80) {
                out.write((int) v);
                break;
            }
            out.write((int) (v & 0x7F) | 0x80);
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    @Test
    void otlpProtobufKindNumbersAreNotCutToAnInt() throws Exception {
        // kind = 2^32 + 2 as a raw varint (field 6): cut to an int it would read as SERVER
        byte[] span = protoSpan(1).build().toByteArray();
        byte[] kind = HexFormat.of().parseHex("308280808010");
        byte[] withKind = java.util.Arrays.copyOf(span, span.length + kind.length);
        System.arraycopy(kind, 0, withKind, span.length, kind.length);
        byte[] file = field(1, field(2, field(2, withKind))); // TracesData > ResourceSpans > ScopeSpans > Span
        ImportReport r = importBytes("bigkind.pb", file);
        assertEquals(1, r.spansAdded(), problems(r).toString());
        assertTrue(problems(r).get(0).endsWith("kind 4294967298 is not a known SpanKind; kept as unspecified"),
                problems(r).toString());
        assertEquals(SpanKind.UNSPECIFIED, span(trace(T), "0000000000000001").kind());
    }

    @Test
    void timesThatAreNotTimesAreWarnedAboutAndStoredSensibly() throws Exception {
        ImportReport r = importText("times.json", doc(
                // an explicit 0 is OTLP's "not set"
                "{\"traceId\":\"" + T + "\",\"spanId\":\"0000000000000001\",\"name\":\"zero start\","
                        + "\"startTimeUnixNano\":\"0\",\"endTimeUnixNano\":\"1700000001000000000\"}",
                // 2^64 - 1: past 2^63, negative as a signed number
                "{\"traceId\":\"" + T + "\",\"spanId\":\"0000000000000002\",\"name\":\"end overflows\","
                        + "\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":\"18446744073709551615\"}",
                "{\"traceId\":\"" + T + "\",\"spanId\":\"0000000000000003\",\"name\":\"start before 1970\","
                        + "\"startTimeUnixNano\":\"-5\",\"endTimeUnixNano\":\"1700000001000000000\"}",
                "{\"traceId\":\"" + T + "\",\"spanId\":\"0000000000000004\",\"name\":\"both bad\","
                        + "\"startTimeUnixNano\":\"-5\",\"endTimeUnixNano\":\"-1\"}",
                "{\"traceId\":\"" + T + "\",\"spanId\":\"0000000000000005\",\"name\":\"fine\","
                        + "\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":"
                        + "\"1700000001000000000\"}"));
        assertEquals(5, r.spansAdded(), problems(r).toString());
        String at = "warning at line 1, resourceSpans[0].scopeSpans[0].spans[";
        assertEquals(List.of(
                at + "0]: the span has no startTimeUnixNano; it is kept with zero duration",
                at + "1]: its end time is not a valid time, -1 ns (18446744073709551615 read as unsigned): before "
                        + "1970, or past the year 2262; it was stored as ending when it starts, 2023-11-14T22:13:20Z "
                        + "(zero duration)",
                at + "2]: its start time is not a valid time, -5 ns (18446744073709551611 read as unsigned): before "
                        + "1970, or past the year 2262; it was stored as starting when it ends, "
                        + "2023-11-14T22:13:21Z (zero duration)",
                at + "3]: neither its start time nor its end time is a valid time (start -5 ns "
                        + "(18446744073709551611 read as unsigned): before 1970, or past the year 2262; end -1 ns "
                        + "(18446744073709551615 read as unsigned): before 1970, or past the year 2262); it was "
                        + "stored at time 0 (1970-01-01T00:00:00Z) with zero duration"), problems(r));
        TraceDetail t = trace(T);
        assertEquals(1_700_000_001_000_000_000L, span(t, "0000000000000001").startNs());
        assertEquals(1_700_000_001_000_000_000L, span(t, "0000000000000001").endNs());
        assertEquals(1_700_000_000_000_000_000L, span(t, "0000000000000002").endNs());
        assertEquals(1_700_000_001_000_000_000L, span(t, "0000000000000003").startNs());
        assertEquals(0, span(t, "0000000000000004").startNs());
        assertEquals(0, span(t, "0000000000000004").endNs());
        assertEquals(1_700_000_000_000_000_000L, span(t, "0000000000000005").startNs());
        assertEquals(1_700_000_001_000_000_000L, span(t, "0000000000000005").endNs());
    }

    @Test
    void theSameTimeCheckHoldsForProtobufJaegerAndZipkin() throws Exception {
        ImportReport proto = importBytes("times.pb", proto(protoSpan(1).setEndTimeUnixNano(-1L)));
        assertEquals(1, proto.spansAdded());
        assertTrue(problems(proto).get(0).contains("its end time is not a valid time, -1 ns (18446744073709551615 "
                + "read as unsigned)"),
                problems(proto).toString());
        assertEquals(1_700_000_000_000_000_000L, span(trace(T), "0000000000000001").endNs());

        ImportReport jaeger = importText("times-jaeger.json", "{\"data\":[{\"traceID\":\"" + T + "\",\"spans\":[{"
                + "\"traceID\":\"" + T + "\",\"spanID\":\"00000000000000a1\",\"operationName\":\"j\","
                + "\"startTime\":-1000,\"duration\":5000,\"processID\":\"p1\"}],\"processes\":{\"p1\":"
                + "{\"serviceName\":\"s\"}}}]}");
        assertEquals(1, jaeger.spansAdded(), problems(jaeger).toString());
        assertEquals(List.of("warning at line 1, data[0].spans[0]: its start time is not a valid time, -1000000 ns "
                + "(18446744073708551616 read as unsigned): before 1970, or past the year 2262; it was stored as "
                + "starting when it ends, 1970-01-01T00:00:00.004Z (zero duration)"), problems(jaeger));
        assertEquals(4_000_000L, span(trace(T), "00000000000000a1").startNs());

        ImportReport zipkin = importText("times-zipkin.json", "[{\"traceId\":\"" + T + "\",\"id\":\"00000000000000b1\","
                + "\"name\":\"z\",\"timestamp\":1700000000000000,\"duration\":-1700000000000001,"
                + "\"localEndpoint\":{\"serviceName\":\"s\"}}]");
        assertEquals(1, zipkin.spansAdded(), problems(zipkin).toString());
        assertTrue(problems(zipkin).get(0).endsWith("its end time is not a valid time, -1000 ns (18446744073709550616 "
                + "read as unsigned): before 1970, or past the year 2262; it was stored as ending when it starts, "
                + "2023-11-14T22:13:20Z (zero duration)"),
                problems(zipkin).toString());
    }
}
