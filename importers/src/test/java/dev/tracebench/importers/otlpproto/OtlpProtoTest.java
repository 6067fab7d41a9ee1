package dev.tracebench.importers.otlpproto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.FileImportService;
import dev.tracebench.importers.ImporterTestBase;
import dev.tracebench.samples.Scenario;
import dev.tracebench.samples.TrafficGenerator;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OTLP protobuf: the same traffic as OTLP/JSON stores the same rows; every value kind; damaged input. */
class OtlpProtoTest extends ImporterTestBase {
    private static final long T0 = 1_764_000_000_000_000_000L;

    private List<String> table(Workspace w, String sql) {
        List<String> out = new ArrayList<>();
        for (List<Object> row : w.console().run(sql, 1_000_000).rows()) {
            out.add(row.toString());
        }
        return out;
    }

    @Test
    void protobufAndJsonOfTheSameTrafficStoreTheSameRows() throws IOException {
        TrafficGenerator.Options o = TrafficGenerator.Options.of(Scenario.MODEL_ROLLOUT, 400, 11);
        Path json = TrafficGenerator.files(dir.resolve("json"), TrafficGenerator.Format.OTLP_JSON, false).traces();
        Path proto = TrafficGenerator.files(dir.resolve("proto"), TrafficGenerator.Format.OTLP_PROTO, false).traces();
        TrafficGenerator.writeDirectory(o, TrafficGenerator.Format.OTLP_JSON, false, dir.resolve("json"));
        TrafficGenerator.Summary s = TrafficGenerator.writeDirectory(o, TrafficGenerator.Format.OTLP_PROTO, false,
                dir.resolve("proto"));
        ImportReport fromJson = importFile(json);
        try (Workspace other = Workspace.open(dir.resolve("proto.duckdb"))) {
            ImportReport fromProto = new FileImportService(() -> other).importFile(proto, ProgressListener.NONE,
                    CancellationToken.none());
            assertEquals(ImportReport.Status.IMPORTED, fromProto.status(), fromProto.message());
            assertEquals("otlp-proto", fromProto.format());
            assertEquals(0, fromProto.rejected());
            assertEquals(0, fromProto.warnings());
            assertEquals(s.spans(), fromProto.spansAdded());
            assertEquals(fromJson.spansAdded(), fromProto.spansAdded());
            for (String sql : List.of(
                    "SELECT * EXCLUDE (import_id) FROM spans ORDER BY trace_id, span_id",
                    "SELECT * EXCLUDE (import_id) FROM span_events ORDER BY trace_id, span_id, seq",
                    "SELECT * EXCLUDE (import_id) FROM span_links ORDER BY trace_id, span_id, seq",
                    "SELECT * FROM resources ORDER BY resource_id",
                    "SELECT * FROM scopes ORDER BY scope_id",
                    "SELECT * FROM traces ORDER BY trace_id")) {
                List<String> p = table(other, sql);
                assertTrue(!p.isEmpty(), sql);
                assertEquals(table(ws, sql), p, sql);
            }
        }
    }

    @Test
    void aZstdCompressedStreamImportsTheSame() throws IOException {
        TrafficGenerator.Options o = TrafficGenerator.Options.of(Scenario.BASELINE, 60, 3);
        TrafficGenerator.Summary s = TrafficGenerator.writeDirectory(o, TrafficGenerator.Format.OTLP_PROTO, false, dir);
        Path plain = TrafficGenerator.files(dir, TrafficGenerator.Format.OTLP_PROTO, false).traces();
        Path zst = dir.resolve("traces.otlp.pb.zst");
        try (var out = new com.github.luben.zstd.ZstdOutputStream(Files.newOutputStream(zst))) {
            Files.copy(plain, out);
        }
        ImportReport r = importFile(zst);
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("otlp-proto+zstd", r.format());
        assertEquals(s.spans(), r.spansAdded());
    }

    private static KeyValue kv(String key, AnyValue v) {
        return KeyValue.newBuilder().setKey(key).setValue(v).build();
    }

    private static AnyValue str(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }

    private static ByteString id(long hi, long lo, int bytes) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(bytes);
        if (bytes == 16) {
            b.putLong(hi);
        }
        b.putLong(lo);
        return ByteString.copyFrom(b.array());
    }

    private static Span.Builder span(long spanId, String name) {
        return Span.newBuilder().setTraceId(id(0xABCDEFL, 0x123456789L, 16)).setSpanId(id(0, spanId, 8))
                .setName(name).setStartTimeUnixNano(T0).setEndTimeUnixNano(T0 + 5_000_000);
    }

    private static byte[] request(Span... spans) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", str("pb-svc"))))
                .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0")
                .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("lib")
                        .setVersion("2.1")).addAllSpans(List.of(spans)))).build().toByteArray();
    }

    private static byte[] lengthPrefixed(byte[]... messages) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(out);
        for (byte[] m : messages) {
            d.writeInt(m.length);
            d.write(m);
        }
        return out.toByteArray();
    }

    @Test
    void aSingleMessageWithEveryValueKind() throws IOException {
        AnyValue nested = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                .addValues(kv("inner", AnyValue.newBuilder().setIntValue(-7).build()))
                .addValues(kv("$odd", AnyValue.newBuilder().setBoolValue(true).build()))).build();
        Span root = span(1, "POST /answer").setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .addAttributes(kv("s", str("naïve ✓")))
                .addAttributes(kv("b", AnyValue.newBuilder().setBoolValue(true).build()))
                .addAttributes(kv("i", AnyValue.newBuilder().setIntValue(Long.MIN_VALUE).build()))
                .addAttributes(kv("d", AnyValue.newBuilder().setDoubleValue(0.25).build()))
                .addAttributes(kv("arr", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(str("x")).addValues(AnyValue.newBuilder().setIntValue(2))).build()))
                .addAttributes(kv("kv", nested))
                .addAttributes(kv("bytes", AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {1, 2,
                    (byte) 255})).build()))
                .addAttributes(kv("empty", AnyValue.getDefaultInstance()))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("upstream 503"))
                .setTraceState("vendor=1").setFlags(0x301)
                .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(T0 + 1_000_000)
                        .addAttributes(kv("exception.type", str("TimeoutError"))).setDroppedAttributesCount(2))
                .addLinks(Span.Link.newBuilder().setTraceId(id(1, 2, 16)).setSpanId(id(0, 3, 8))
                        .setTraceState("k=v").setFlags(1).addAttributes(kv("link.kind", str("previous-turn"))))
                .setDroppedAttributesCount(4).setDroppedEventsCount(5).setDroppedLinksCount(6).build();
        Span child = span(2, "chat gpt-4o").setParentSpanId(id(0, 1, 8)).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .addAttributes(kv("gen_ai.operation.name", str("chat")))
                .addAttributes(kv("gen_ai.request.model", str("gpt-4o")))
                .addAttributes(kv("gen_ai.usage.input_tokens", AnyValue.newBuilder().setIntValue(1200).build()))
                .build();
        ImportReport r = importBytes("single.pb", request(root, child));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("otlp-proto", r.format());
        assertEquals(2, r.spansAdded());
        assertEquals(0, r.warnings(), () -> r.problems().toString());
        TraceDetail t = trace("0000000000abcdef0000000123456789");
        SpanDetail s = span(t, "0000000000000001");
        assertEquals("POST /answer", s.name());
        assertEquals("pb-svc", s.serviceName());
        assertEquals(2, s.status().code());
        assertEquals("upstream 503", s.statusMessage());
        assertEquals(5_000_000, s.endNs() - s.startNs());
        assertEquals(List.of("[{\"s\":\"naïve ✓\",\"b\":true,\"i\":-9223372036854775808,\"d\":0.25,"
                + "\"arr\":[\"x\",2],\"kv\":{\"$kvlist\":{\"inner\":-7,\"$odd\":true}},"
                + "\"bytes\":{\"$bytes\":\"AQL/\"},\"empty\":null}, vendor=1, 769, 4, 5, 6, 2]"),
                rows("SELECT attributes, trace_state, flags, dropped_attributes_count, dropped_events_count, "
                        + "dropped_links_count, kind FROM spans WHERE span_id = 1").stream().map(Object::toString)
                        .toList());
        assertEquals(List.of("[exception, {\"exception.type\":\"TimeoutError\"}, 2, 1000000]"),
                rows("SELECT name, attributes, dropped_attributes_count, time_ns - " + T0
                        + " FROM span_events").stream().map(Object::toString).toList());
        assertEquals(List.of("[00000000000000010000000000000002, 0000000000000003, k=v, 1, "
                + "{\"link.kind\":\"previous-turn\"}]"),
                rows("SELECT trace_hex(linked_trace_id), span_hex(linked_span_id), trace_state, flags, attributes "
                        + "FROM span_links").stream().map(Object::toString).toList());
        assertEquals(List.of("[lib, 2.1]"), rows("SELECT name, version FROM scopes").stream().map(Object::toString)
                .toList());
        assertEquals(List.of("[https://opentelemetry.io/schemas/1.26.0]"), rows("SELECT schema_url FROM resources")
                .stream().map(Object::toString).toList());
        SpanDetail chat = span(t, "0000000000000002");
        assertEquals(1L, chat.parentSpanId());
        assertEquals("inference", chat.llm().stage());
        assertEquals(1200L, chat.llm().inputTokens());
    }

    @Test
    void aDamagedSpanIsRejectedWithItsLocationAndTheOthersAreKept() throws IOException {
        byte[] good = request(span(1, "a").build(), span(2, "b").build());
        // the same request with span "b" cut inside: its length still claims the original size
        byte[] bad = request(span(3, "c").build(), span(4, "d").addAttributes(kv("k", str("0123456789"))).build());
        int at = indexOf(bad, "0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        bad[at - 1] = 120; // the string's length now runs far past the end of its attribute
        ImportReport r = importBytes("stream.pb", lengthPrefixed(good, bad));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(3, r.spansAdded());
        assertEquals(1, r.rejected());
        Problem p = r.problems().get(0);
        assertEquals("message 2, resourceSpans[0].scopeSpans[0].spans[1] (byte " + (4 + good.length + 4
                + spanOffset(bad, 1)) + ")", p.location());
        assertTrue(p.reason().startsWith("the span does not parse ("), p.reason());
    }

    @Test
    void invalidUtf8IsKeptWithAReplacementCharacterAndAWarning() throws IOException {
        byte[] m = request(span(1, "name-XX").build());
        int at = indexOf(m, "XX".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        m[at] = (byte) 0xC3; // a lead byte followed by a non-continuation byte
        ImportReport r = importBytes("utf8.pb", m);
        assertEquals(1, r.spansAdded());
        assertEquals(1, r.warnings());
        assertEquals("name: not valid UTF-8; the bad bytes were replaced with U+FFFD", r.problems().get(0).reason());
        assertEquals("name-\uFFFDX", span(trace("0000000000abcdef0000000123456789"), "0000000000000001").name());
    }

    @Test
    void valuesNestedDeeperThanProtobufAllowsRejectTheSpan() throws IOException {
        AnyValue v = str("bottom");
        for (int i = 0; i < 120; i++) {
            v = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(v)).build();
        }
        ImportReport r = importBytes("deep.pb", request(span(1, "deep").addAttributes(kv("deep", v)).build(),
                span(2, "fine").build()));
        assertEquals(1, r.spansAdded());
        assertEquals(1, r.rejected());
        assertTrue(r.problems().get(0).reason().contains("nested more than 100 levels"),
                r.problems().get(0).reason());
    }

    @Test
    void aTenMegabyteValueAndNinetyLevelsOfNestingAreKept() throws IOException {
        AnyValue v = str("bottom");
        for (int i = 0; i < 90; i++) {
            v = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(kv("k" + i, v))).build();
        }
        String big = "x".repeat(10 * 1024 * 1024);
        ImportReport r = importBytes("big.pb", request(span(1, "deep").addAttributes(kv("deep", v)).build(),
                span(2, "big").addAttributes(kv("big", str(big))).build()));
        assertEquals(2, r.spansAdded(), () -> r.problems().toString());
        assertEquals(10 * 1024 * 1024, count("SELECT length(attr(attributes, 'big')) FROM spans WHERE span_id = 2"));
        StringBuilder path = new StringBuilder("$.deep");
        for (int i = 89; i >= 0; i--) {
            path.append(".k").append(i);
        }
        assertEquals("bottom", rows("SELECT attributes->>'" + path + "' FROM spans WHERE span_id = 1").get(0).get(0));
    }

    @Test
    void aTruncatedStreamKeepsTheSpansBeforeTheCut() throws IOException {
        byte[] one = request(span(1, "first-span").build());
        byte[] two = request(span(2, "second-span").build(), span(3, "third-span").build());
        byte[] all = lengthPrefixed(one, two);
        // the file ends inside the third span of the second message
        byte[] cut = java.util.Arrays.copyOf(all, indexOf(all, "third".getBytes(java.nio.charset.StandardCharsets
                .US_ASCII)) + 2);
        ImportReport r = importBytes("cut.pb", cut);
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(2, r.spansAdded());
        assertEquals(1, r.rejected());
        assertEquals("message 2 is cut short (" + two.length + " bytes announced); the spans before the cut were "
                + "kept", r.problems().get(0).reason());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    /** Offset of the length varint of span {@code n} (0-based) in a request built by {@link #request}. */
    private static int spanOffset(byte[] request, int n) throws IOException {
        com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(request);
        in.readTag();
        in.pushLimit(in.readRawVarint32()); // ResourceSpans
        while (true) {
            int tag = in.readTag();
            if (tag >>> 3 == 2) {
                in.pushLimit(in.readRawVarint32()); // ScopeSpans
                int seen = 0;
                while (true) {
                    int t = in.readTag();
                    if (t >>> 3 == 2) {
                        if (seen++ == n) {
                            return in.getTotalBytesRead();
                        }
                    }
                    in.skipField(t);
                }
            }
            in.skipField(tag);
        }
    }
}
