package dev.tracebench.importers.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import dev.tracebench.core.ingest.IngestOptions;
import dev.tracebench.core.live.LiveConfig;
import dev.tracebench.core.live.LiveReceiver;
import dev.tracebench.core.live.LiveStats;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.core.query.TraceFilter;
import dev.tracebench.core.query.TraceSort;
import dev.tracebench.core.query.TraceSummary;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.importers.ImporterTestBase;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The live receiver with the OpenTelemetry Java SDK's own OTLP exporters as clients: what the SDK created arrives in
 * the workspace field for field, over OTLP/HTTP (protobuf, JSON, gzip) and OTLP/gRPC (plain, gzip); bad spans come
 * back as partial success; a full queue refuses with a retry delay and the SDK's retries deliver everything.
 */
class OtlpLiveReceiverTest extends ImporterTestBase {
    private static final String SERVICE = "live-test-service";
    private static final RetryPolicy QUICK_RETRIES = RetryPolicy.builder().setMaxAttempts(5)
            .setInitialBackoff(Duration.ofMillis(200)).setMaxBackoff(Duration.ofSeconds(1)).setBackoffMultiplier(2)
            .build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LiveReceiver receiver;
    private final List<SpanExporter> exporters = new ArrayList<>();

    @AfterEach
    void stopReceiver() {
        exporters.forEach(SpanExporter::shutdown);
        if (receiver != null) {
            receiver.stop();
        }
    }

    private LiveReceiver start(Supplier<Workspace> workspace, long maxQueuedBytes, Duration commitInterval,
            java.util.function.Consumer<LiveStats> onCommit) throws IOException {
        receiver = new OtlpLiveReceivers(workspace, () -> IngestOptions.DEFAULT, null).start(
                new LiveConfig("127.0.0.1", 0, 0, maxQueuedBytes, commitInterval), onCommit);
        return receiver;
    }

    private LiveReceiver start() throws IOException {
        return start(() -> ws, 64 << 20, Duration.ofMillis(100), null);
    }

    private int port(String transport) {
        return receiver.endpoints().stream().filter(e -> e.startsWith(transport)).map(e -> {
            String rest = e.substring(e.lastIndexOf(':') + 1);
            return Integer.parseInt(rest.replaceAll("/.*", ""));
        }).findFirst().orElseThrow();
    }

    // ------------------------------------------------------------------ spans the SDK creates

    /** Traces of a root span and {@code children} child spans each, made by the SDK's tracer, with attributes. */
    private static List<SpanData> sdkSpans(int traces, int children) {
        List<SpanData> out = new ArrayList<>();
        SpanExporter collect = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                out.addAll(spans);
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        io.opentelemetry.sdk.resources.Resource resource = io.opentelemetry.sdk.resources.Resource.getDefault()
                .merge(io.opentelemetry.sdk.resources.Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), SERVICE)));
        try (SdkTracerProvider provider = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(SimpleSpanProcessor.create(collect)).build()) {
            Tracer tracer = provider.get("tracebench-live-test", "1.0");
            long t0 = 1_765_000_000_000_000_000L;
            for (int t = 0; t < traces; t++) {
                long start = t0 + t * 10_000_000_000L;
                Span root = tracer.spanBuilder("agent.run " + t).setSpanKind(SpanKind.SERVER)
                        .setStartTimestamp(start, TimeUnit.NANOSECONDS)
                        .setAttribute("tenant", "t-" + (t % 3)).setAttribute("turn", t)
                        .setAttribute(AttributeKey.stringArrayKey("tags"), List.of("a", "b" + t)).startSpan();
                Context ctx = Context.root().with(root);
                for (int c = 0; c < children; c++) {
                    Span child = tracer.spanBuilder("llm.call").setParent(ctx).setSpanKind(SpanKind.CLIENT)
                            .setStartTimestamp(start + (c + 1) * 1_000_000L, TimeUnit.NANOSECONDS)
                            .setAttribute("gen_ai.system", "openai")
                            .setAttribute("gen_ai.request.model", "gpt-4o-mini")
                            .setAttribute("gen_ai.usage.input_tokens", 100L + c)
                            .setAttribute("temperature", 0.25 * c).setAttribute("stream", c % 2 == 0)
                            .startSpan();
                    if (c == 1) {
                        child.setStatus(StatusCode.ERROR, "rate limited");
                    }
                    child.end(start + (c + 1) * 1_000_000L + 123_456L * (c + 1), TimeUnit.NANOSECONDS);
                }
                root.end(start + 987_654_321L, TimeUnit.NANOSECONDS);
            }
        }
        return out;
    }

    /** Every span the SDK made is in the workspace, with the same ids, parent, name, times and attributes. */
    private void assertStored(List<SpanData> sent) {
        for (SpanData sd : sent) {
            TraceDetail t = ws.traces().trace(TraceId.fromHex(sd.getTraceId()))
                    .orElseThrow(() -> new AssertionError("trace " + sd.getTraceId() + " not stored"));
            SpanDetail s = span(t, sd.getSpanId());
            assertEquals(sd.getName(), s.name());
            assertEquals(sd.getParentSpanContext().isValid() ? dev.tracebench.core.model.Ids.parseSpanId(
                    sd.getParentSpanId()) : null, s.parentSpanId(), sd.getName());
            assertEquals(sd.getStartEpochNanos(), s.startNs());
            assertEquals(sd.getEndEpochNanos() - sd.getStartEpochNanos(), s.durationNs());
            assertEquals(SERVICE, s.serviceName());
            assertEquals(sd.getStatus().getStatusCode() == StatusCode.ERROR, s.isError());
            assertEquals(sd.getKind().name(), s.kind().name());
            sd.getAttributes().forEach((k, v) -> assertTrue(s.attributes().contains(new Attribute(k.getKey(),
                    expected(v))), () -> k.getKey() + "=" + v + " missing from " + s.attributes()));
        }
    }

    private static AttributeValue expected(Object v) {
        if (v instanceof String s) {
            return new AttributeValue.Str(s);
        } else if (v instanceof Long l) {
            return new AttributeValue.Int(l);
        } else if (v instanceof Double d) {
            return new AttributeValue.Dbl(d);
        } else if (v instanceof Boolean b) {
            return new AttributeValue.Bool(b);
        } else if (v instanceof List<?> l) {
            return new AttributeValue.Array(l.stream().map(OtlpLiveReceiverTest::expected).toList());
        }
        throw new AssertionError("unexpected attribute value " + v);
    }

    private long spansInWorkspace() {
        return ws.traces().stats().spans();
    }

    // ------------------------------------------------------------------ the three transports

    @ParameterizedTest
    @ValueSource(strings = {"http-protobuf", "http-protobuf-gzip", "grpc", "grpc-gzip"})
    void sdkExporterSpansArriveWhole(String transport) throws IOException {
        start();
        List<SpanData> spans = sdkSpans(20, 4);
        SpanExporter exporter = exporter(transport);
        // several export calls, as a batch processor makes them
        for (int i = 0; i < spans.size(); i += 25) {
            CompletableResultCode r = exporter.export(spans.subList(i, Math.min(spans.size(), i + 25)))
                    .join(10, TimeUnit.SECONDS);
            assertTrue(r.isSuccess(), transport + " export failed");
        }
        LiveStats stats = receiver.stop();
        assertEquals(spans.size(), stats.spansReceived());
        assertEquals(spans.size(), stats.spansStored());
        assertEquals(0, stats.spansRejected());
        assertEquals(20, stats.tracesStored());
        assertEquals(spans.size(), spansInWorkspace());
        assertStored(spans);
    }

    private SpanExporter exporter(String transport) {
        boolean gzip = transport.endsWith("-gzip");
        SpanExporter e;
        if (transport.startsWith("http")) {
            e = OtlpHttpSpanExporter.builder().setEndpoint("http://127.0.0.1:" + port("OTLP/HTTP") + "/v1/traces")
                    .setCompression(gzip ? "gzip" : "none").setRetryPolicy(QUICK_RETRIES).build();
        } else {
            e = OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + port("OTLP/gRPC"))
                    .setCompression(gzip ? "gzip" : "none").setRetryPolicy(QUICK_RETRIES).build();
        }
        exporters.add(e);
        return e;
    }

    /**
     * OTLP/HTTP JSON: the SDK's exporter has no JSON option (1.68), so the request is the SDK's own OTLP/JSON
     * marshaler's output (what its logging-otlp exporter prints), posted as the OTLP/HTTP JSON encoding says.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sdkJsonSpansArriveWhole(boolean gzip) throws Exception {
        start();
        List<SpanData> spans = sdkSpans(6, 3);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        TraceRequestMarshaler.create(spans).writeJsonTo(json);
        HttpResponse<byte[]> r = post(json.toByteArray(), "application/json", gzip);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("{}", new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(spans.size(), receiver.stop().spansStored());
        assertStored(spans);
    }

    // ------------------------------------------------------------------ partial success and bad requests

    private static ByteString hex(String h) {
        return ByteString.fromHex(h);
    }

    /** Three good spans of one trace and, second, one with an empty trace id. */
    private static ExportTraceServiceRequest withBadSpan() {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        String trace = "0af7651916cd43dd8448eb211c80319c";
        String[] ids = {"b7ad6b7169203331", "00f067aa0ba902b7", "53995c3f42cd8ad8", "1111111111111111"};
        for (int i = 0; i < ids.length; i++) {
            io.opentelemetry.proto.trace.v1.Span.Builder s = io.opentelemetry.proto.trace.v1.Span.newBuilder()
                    .setTraceId(i == 1 ? ByteString.EMPTY : hex(trace)).setSpanId(hex(ids[i]))
                    .setName("step " + i).setStartTimeUnixNano(1_765_000_000_000_000_000L + i)
                    .setEndTimeUnixNano(1_765_000_000_500_000_000L);
            if (i > 0) {
                s.setParentSpanId(hex(ids[0]));
            }
            scope.addSpans(s);
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(SERVICE))))
                .addScopeSpans(scope)).build();
    }

    @Test
    void httpPartialSuccessNamesTheBadSpanAndKeepsTheGoodOnes() throws Exception {
        start();
        HttpResponse<byte[]> r = post(withBadSpan().toByteArray(), "application/x-protobuf", false);
        assertEquals(200, r.statusCode());
        ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(r.body());
        assertEquals(1, response.getPartialSuccess().getRejectedSpans());
        String message = response.getPartialSuccess().getErrorMessage();
        assertTrue(message.contains("spans[1]") && message.contains("no traceId"), message);
        LiveStats stats = receiver.stop();
        assertEquals(4, stats.spansReceived());
        assertEquals(1, stats.spansRejected());
        assertEquals(3, stats.spansStored());
        assertEquals(3, trace("0af7651916cd43dd8448eb211c80319c").spans().size());
        // the rejection is kept with the commit, like a file import's problems
        int importId = ws.traces().imports().get(0).importId();
        assertTrue(ws.traces().importProblems(importId).stream().anyMatch(p -> p.toString().contains("no traceId")),
                () -> ws.traces().importProblems(importId).toString());
    }

    @Test
    void aRequestOfOnlyBadSpansIsCommittedAsProblemsAndAnEmptyOneAsNothing() throws Exception {
        start();
        ExportTraceServiceRequest bad = withBadSpan();
        ExportTraceServiceRequest onlyBad = bad.toBuilder().setResourceSpans(0, bad.getResourceSpans(0).toBuilder()
                .setScopeSpans(0, ScopeSpans.newBuilder().addSpans(bad.getResourceSpans(0).getScopeSpans(0)
                        .getSpans(1)))).build();
        HttpResponse<byte[]> r = post(onlyBad.toByteArray(), "application/x-protobuf", false);
        assertEquals(200, r.statusCode());
        assertEquals(1, ExportTraceServiceResponse.parseFrom(r.body()).getPartialSuccess().getRejectedSpans());
        HttpResponse<byte[]> empty = post(new byte[0], "application/x-protobuf", false);
        assertEquals(200, empty.statusCode());
        assertEquals(0, empty.body().length);
        LiveStats stats = receiver.stop();
        assertEquals(1, stats.commits(), stats.toString());
        assertEquals(0, stats.spansStored());
        assertEquals(1, ws.traces().imports().size());
        assertEquals(1, ws.traces().importProblems(ws.traces().imports().get(0).importId()).size());
    }

    @Test
    void jsonPartialSuccessIsJson() throws Exception {
        start();
        String span = "{\"traceId\": \"%s\", \"spanId\": \"%s\", \"name\": \"step\", "
                + "\"startTimeUnixNano\": \"1765000000000000000\", \"endTimeUnixNano\": \"1765000000500000000\"}";
        String body = "{\"resourceSpans\": [{\"resource\": {\"attributes\": [{\"key\": \"service.name\", "
                + "\"value\": {\"stringValue\": \"" + SERVICE + "\"}}]}, \"scopeSpans\": [{\"spans\": ["
                + String.format(span, "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331") + ", "
                + String.format(span, "", "00f067aa0ba902b7") + ", "
                + String.format(span, "0af7651916cd43dd8448eb211c80319c", "53995c3f42cd8ad8") + ", "
                + String.format(span, "0af7651916cd43dd8448eb211c80319c", "1111111111111111") + "]}]}]}";
        HttpResponse<byte[]> r = post(body.getBytes(StandardCharsets.UTF_8), "application/json", false);
        assertEquals(200, r.statusCode());
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
        assertEquals(1, tree.path("partialSuccess").path("rejectedSpans").asLong());
        assertTrue(tree.path("partialSuccess").path("errorMessage").asText().contains("spans[1]"), tree.toString());
        assertEquals(3, receiver.stop().spansStored());
    }

    @Test
    void grpcPartialSuccess() throws Exception {
        start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port("OTLP/gRPC")).usePlaintext()
                .build();
        try {
            byte[] reply = ClientCalls.blockingUnaryCall(channel, OtlpGrpcReceiver.EXPORT,
                    io.grpc.CallOptions.DEFAULT, withBadSpan().toByteArray());
            ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(reply);
            assertEquals(1, response.getPartialSuccess().getRejectedSpans());
            assertTrue(response.getPartialSuccess().getErrorMessage().contains("no traceId"));

            StatusRuntimeException bad = assertThrows(StatusRuntimeException.class, () ->
                    ClientCalls.blockingUnaryCall(channel, OtlpGrpcReceiver.EXPORT, io.grpc.CallOptions.DEFAULT,
                            new byte[] {0x0A, 0x7F, 0x01}));
            assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
        } finally {
            channel.shutdownNow();
        }
        assertEquals(3, receiver.stop().spansStored());
    }

    @Test
    void badRequestsGetTheirStatusCodes() throws Exception {
        start();
        HttpResponse<byte[]> garbage = post(new byte[] {0x0A, 0x7F, 0x01}, "application/x-protobuf", false);
        assertEquals(400, garbage.statusCode());
        com.google.rpc.Status status = com.google.rpc.Status.parseFrom(garbage.body());
        assertEquals(com.google.rpc.Code.INVALID_ARGUMENT_VALUE, status.getCode());
        assertTrue(status.getMessage().contains("OTLP/HTTP request"), status.getMessage());

        HttpResponse<byte[]> badJson = post("{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8),
                "application/json", false);
        assertEquals(400, badJson.statusCode());
        assertTrue(new String(badJson.body(), StandardCharsets.UTF_8).contains("\"code\":3"));

        assertEquals(415, post(new byte[] {1}, "text/plain", false).statusCode());
        HttpResponse<byte[]> notGzip = send(HttpRequest.newBuilder(uri("/v1/traces"))
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).build());
        assertEquals(400, notGzip.statusCode());
        assertEquals(405, send(HttpRequest.newBuilder(uri("/v1/traces")).GET().build()).statusCode());
        assertEquals(404, send(HttpRequest.newBuilder(uri("/v1/logs")).POST(HttpRequest.BodyPublishers
                .ofByteArray(new byte[0])).build()).statusCode());
        HttpResponse<byte[]> metrics = send(HttpRequest.newBuilder(uri("/metrics")).GET().build());
        assertEquals(404, metrics.statusCode());
        assertTrue(new String(metrics.body(), StandardCharsets.UTF_8).contains("no metrics"));
        // over the limit once inflated: refused after reading the (small) body
        HttpResponse<byte[]> tooBig = post(new byte[OtlpHttpReceiver.MAX_BODY + 1], "application/x-protobuf", true);
        assertEquals(413, tooBig.statusCode());
        assertTrue(com.google.rpc.Status.parseFrom(tooBig.body()).getMessage().contains("after decompression"));
        // announced over the limit: refused before the body is read (a client still sending would see the
        // connection close, so the request is written by hand)
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port("OTLP/HTTP"))) {
            socket.getOutputStream().write(("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: "
                    + "application/x-protobuf\r\nContent-Length: 100000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 413 Request Entity Too Large", statusLine);
        }

        LiveStats stats = receiver.stop();
        assertEquals(0, stats.spansStored());
        assertNotNull(stats.lastProblem());
        assertEquals(0, spansInWorkspace());
    }

    @Test
    void metricsEndpointIsServed() throws Exception {
        receiver = new OtlpLiveReceivers(() -> ws, () -> IngestOptions.DEFAULT, accept ->
                new dev.tracebench.core.metrics.MetricsEndpoint.Exposition("text/plain; version=0.0.4",
                        ("# accept " + accept + "\nup 1\n").getBytes(StandardCharsets.UTF_8)))
                .start(new LiveConfig("127.0.0.1", 0, -1, 1 << 20, Duration.ofMillis(100)), null);
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri("/metrics")).header("Accept", "text/plain")
                .GET().build());
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("# accept text/plain\nup 1\n", new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(1, receiver.endpoints().stream().filter(e -> e.startsWith("OTLP")).count());
    }

    @Test
    void aFailingScrapeIsAnsweredWithItsReason() throws Exception {
        receiver = new OtlpLiveReceivers(() -> ws, () -> IngestOptions.DEFAULT, accept -> {
            throw new IllegalStateException("the workspace is closing");
        }).start(new LiveConfig("127.0.0.1", 0, -1, 1 << 20, Duration.ofMillis(100)), null);
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri("/metrics")).GET().build());
        assertEquals(500, r.statusCode());
        assertEquals("the metrics could not be computed: the workspace is closing\n",
                new String(r.body(), StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ back-pressure, stop, commits

    /**
     * With a queue of one byte and the writer held before its commit, a second request is refused with a retry delay;
     * once the writer goes on, the SDK exporter's own retries deliver everything.
     */
    @ParameterizedTest
    @ValueSource(strings = {"http-protobuf", "grpc"})
    void backPressureRefusesWithRetryDelayAndTheSdkRetriesUntilAllArrive(String transport) throws Exception {
        AtomicBoolean hold = new AtomicBoolean();
        CountDownLatch release = new CountDownLatch(1);
        start(() -> {
            if (hold.get()) {
                awaitQuietly(release);
            }
            return ws;
        }, 1, Duration.ofMillis(50), null);
        hold.set(true);
        List<SpanData> first = sdkSpans(2, 2);
        List<SpanData> second = sdkSpans(3, 2);
        SpanExporter exporter = exporter(transport);
        assertTrue(exporter.export(first).join(10, TimeUnit.SECONDS).isSuccess());
        // the queue holds the first request until the (held) writer commits it: a plain request is refused now
        if (transport.startsWith("http")) {
            HttpResponse<byte[]> refused = post(withBadSpan().toByteArray(), "application/x-protobuf", false);
            assertEquals(429, refused.statusCode());
            assertTrue(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()) >= 1);
        } else {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port("OTLP/gRPC")).usePlaintext()
                    .build();
            try {
                StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () ->
                        ClientCalls.blockingUnaryCall(channel, OtlpGrpcReceiver.EXPORT, io.grpc.CallOptions.DEFAULT,
                                withBadSpan().toByteArray()));
                assertEquals(io.grpc.Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
                RetryInfo retry = StatusProto.fromThrowable(refused).getDetails(0).unpack(RetryInfo.class);
                assertTrue(retry.getRetryDelay().getSeconds() * 1000 + retry.getRetryDelay().getNanos() / 1_000_000
                        >= 50);
            } finally {
                channel.shutdownNow();
            }
        }
        long refusedBefore = receiver.stats().requestsThrottled();
        CompletableResultCode later = exporter.export(second);
        waitFor(() -> receiver.stats().requestsThrottled() > refusedBefore);
        release.countDown();
        assertTrue(later.join(20, TimeUnit.SECONDS).isSuccess(), "the SDK's retries did not get through");
        LiveStats stats = receiver.stop();
        assertTrue(stats.requestsThrottled() >= 2, stats.toString());
        assertEquals(first.size() + second.size(), stats.spansStored());
        assertStored(first);
        assertStored(second);
    }

    @Test
    void stopCommitsWhatWasQueued() throws Exception {
        start(() -> ws, 64 << 20, Duration.ofHours(1), null);
        List<SpanData> spans = sdkSpans(5, 3);
        assertTrue(exporter("grpc").export(spans).join(10, TimeUnit.SECONDS).isSuccess());
        LiveStats before = receiver.stats();
        assertEquals(0, before.spansStored());
        assertEquals(spans.size(), before.queuedSpans());
        assertTrue(before.queuedBytes() > 0);
        assertNull(before.lastCommit());
        LiveStats after = receiver.stop();
        assertEquals(spans.size(), after.spansStored());
        assertEquals(0, after.queuedSpans());
        assertEquals(0, after.queuedBytes());
        assertEquals(1, after.commits());
        assertSame(after, receiver.stop());
        assertStored(spans);
        // a stopped receiver takes nothing more
        assertThrows(IOException.class, () -> post(withBadSpan().toByteArray(), "application/x-protobuf", false));
    }

    private static void assertSame(Object a, Object b) {
        org.junit.jupiter.api.Assertions.assertSame(a, b);
    }

    /** A trace whose spans arrive in two commits is analysed whole: its summary counts all its spans. */
    @Test
    void traceSpanningTwoCommitsIsAnalysedWhole() throws Exception {
        CountDownLatch firstCommit = new CountDownLatch(1);
        start(() -> ws, 64 << 20, Duration.ofMillis(50), s -> firstCommit.countDown());
        List<SpanData> spans = sdkSpans(1, 5);
        SpanData root = spans.stream().filter(s -> !s.getParentSpanContext().isValid()).findFirst().orElseThrow();
        List<SpanData> children = spans.stream().filter(s -> s != root).toList();
        SpanExporter exporter = exporter("http-protobuf");
        assertTrue(exporter.export(children.subList(0, 2)).join(10, TimeUnit.SECONDS).isSuccess());
        assertTrue(firstCommit.await(10, TimeUnit.SECONDS));
        TraceSummary partial = summary(root.getTraceId());
        assertEquals(2, partial.spanCount());
        assertEquals(2, partial.orphanCount(), "the parent has not arrived yet");
        assertTrue(exporter.export(List.of(children.get(2), children.get(3), children.get(4), root))
                .join(10, TimeUnit.SECONDS).isSuccess());
        LiveStats stats = receiver.stop();
        assertTrue(stats.commits() >= 2, stats.toString());
        assertEquals(1, stats.tracesStored());
        TraceSummary whole = summary(root.getTraceId());
        assertEquals(6, whole.spanCount());
        assertEquals(0, whole.orphanCount());
        assertEquals(root.getName(), whole.rootName());
        assertEquals(root.getEndEpochNanos() - root.getStartEpochNanos(), whole.durationNs());
        assertEquals(1, whole.errorCount());
        // each commit is one import, named so that a session's commits sort together
        List<String> names = ws.traces().imports().stream().map(i -> i.file()).toList();
        assertTrue(names.stream().allMatch(n -> n.matches("live OTLP/HTTP\\+gRPC \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d #\\d+")),
                names.toString());
    }

    @Test
    void aTakenPortIsAClearError() throws Exception {
        start();
        int taken = port("OTLP/HTTP");
        IOException e = assertThrows(IOException.class, () -> new OtlpLiveReceivers(() -> ws,
                () -> IngestOptions.DEFAULT, null).start(new LiveConfig("127.0.0.1", taken, -1, 1 << 20,
                Duration.ofSeconds(1)), null));
        assertTrue(e.getMessage().contains("OTLP/HTTP port " + taken), e.getMessage());
        int takenGrpc = port("OTLP/gRPC");
        IOException g = assertThrows(IOException.class, () -> new OtlpLiveReceivers(() -> ws,
                () -> IngestOptions.DEFAULT, null).start(new LiveConfig("127.0.0.1", 0, takenGrpc, 1 << 20,
                Duration.ofSeconds(1)), null));
        assertTrue(g.getMessage().contains("OTLP/gRPC port " + takenGrpc), g.getMessage());
    }

    private TraceSummary summary(String traceHex) {
        return ws.traces().traces(TraceFilter.ALL, TraceSort.NEWEST_FIRST, 0, 1000).stream()
                .filter(t -> t.traceId().hex().equals(traceHex)).findFirst().orElseThrow();
    }

    // ------------------------------------------------------------------ plumbing

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port("OTLP/HTTP") + path);
    }

    private HttpResponse<byte[]> post(byte[] body, String contentType, boolean gzip) throws IOException,
            InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/v1/traces")).header("Content-Type", contentType);
        if (gzip) {
            b.header("Content-Encoding", "gzip");
            body = gzip(body);
        }
        return send(b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private static HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits (20 s at most) for something another thread does. */
    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, "timed out");
            Thread.sleep(10);
        }
    }
}
