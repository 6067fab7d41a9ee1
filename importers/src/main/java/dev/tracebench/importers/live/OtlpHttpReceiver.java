package dev.tracebench.importers.live;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.rpc.Code;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tracebench.core.metrics.MetricsEndpoint;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * OTLP/HTTP on the JDK's HTTP server (HTTP/1.1, which is all OTLP/HTTP needs): {@code POST /v1/traces} in protobuf
 * or JSON, optionally gzip-compressed, answered as the OTLP specification says (200 with an
 * {@code ExportTraceServiceResponse} in the request's encoding, its {@code partial_success} naming rejected spans;
 * 400 with a {@code google.rpc.Status} for a body that is not an export request; 413, 415, 429 with
 * {@code Retry-After}, 503 while stopping). {@code GET /metrics} serves the metrics endpoint, if there is one.
 */
final class OtlpHttpReceiver {
    static final String TRACES_PATH = "/v1/traces";
    /** The largest body taken, compressed or not (the Collector's default is 20 MiB). */
    static final int MAX_BODY = 64 << 20;
    private static final JsonFactory JSON = new JsonFactory();

    private final HttpServer server;
    private final ExecutorService pool;
    private final LiveIngest ingest;
    private final MetricsEndpoint metrics;

    private OtlpHttpReceiver(HttpServer server, ExecutorService pool, LiveIngest ingest, MetricsEndpoint metrics) {
        this.server = server;
        this.pool = pool;
        this.ingest = ingest;
        this.metrics = metrics;
    }

    /** Binds and starts serving; an {@link IOException} names the address and why it could not be bound. */
    static OtlpHttpReceiver start(String bind, int port, LiveIngest ingest, MetricsEndpoint metrics)
            throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 128);
        } catch (BindException e) {
            throw new IOException("OTLP/HTTP port " + port + " on " + bind + " cannot be used: " + e.getMessage()
                    + " (another receiver or collector is probably listening there; choose another port)", e);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                r -> {
                    Thread t = new Thread(r, "tracebench-otlp-http");
                    t.setDaemon(true);
                    return t;
                });
        OtlpHttpReceiver receiver = new OtlpHttpReceiver(server, pool, ingest, metrics);
        server.createContext("/", receiver::handle);
        server.setExecutor(pool);
        server.start();
        return receiver;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Stops listening, letting requests being answered finish (a second at most). */
    void stop() {
        server.stop(1);
        pool.shutdown();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals(TRACES_PATH)) {
                if (!method.equals("POST")) {
                    ex.getResponseHeaders().set("Allow", "POST");
                    text(ex, 405, TRACES_PATH + " takes POST (an OTLP export request), not " + method);
                    return;
                }
                export(ex);
            } else if (path.equals("/metrics")) {
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    ex.getResponseHeaders().set("Allow", "GET");
                    text(ex, 405, "/metrics takes GET, not " + method);
                    return;
                }
                metrics(ex);
            } else {
                text(ex, 404, "not found: this is an OTLP receiver; send traces with POST to " + TRACES_PATH
                        + " (metrics: GET /metrics)");
            }
        } catch (IOException | RuntimeException e) {
            // the sender went away mid-answer, or a bug: the exchange is closed, the server carries on
        }
    }

    private void metrics(HttpExchange ex) throws IOException {
        if (metrics == null) {
            text(ex, 404, "no metrics are served by this receiver");
            return;
        }
        MetricsEndpoint.Exposition e;
        try {
            e = metrics.scrape(ex.getRequestHeaders().getFirst("Accept"));
        } catch (RuntimeException failed) {
            // a scrape that fails (the workspace closing, a query error) is answered, not dropped
            text(ex, 500, "the metrics could not be computed: " + failed.getMessage());
            return;
        }
        ex.getResponseHeaders().set("Content-Type", e.contentType());
        send(ex, 200, e.body());
    }

    private void export(HttpExchange ex) throws IOException {
        String type = mediaType(ex.getRequestHeaders().getFirst("Content-Type"));
        LiveIngest.Encoding encoding;
        if (type.equals("application/x-protobuf") || type.equals("application/protobuf")) {
            encoding = LiveIngest.Encoding.PROTOBUF;
        } else if (type.equals("application/json")) {
            encoding = LiveIngest.Encoding.JSON;
        } else {
            text(ex, 415, "Content-Type " + (type.isEmpty() ? "(none)" : type) + " is not taken: send "
                    + "application/x-protobuf or application/json");
            return;
        }
        String contentEncoding = mediaType(ex.getRequestHeaders().getFirst("Content-Encoding"));
        if (!contentEncoding.isEmpty() && !contentEncoding.equals("gzip") && !contentEncoding.equals("identity")) {
            status(ex, 415, encoding, Code.INVALID_ARGUMENT, "Content-Encoding " + contentEncoding
                    + " is not taken: send gzip or no compression");
            return;
        }
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null && parseLong(length) > MAX_BODY) {
            status(ex, 413, encoding, Code.RESOURCE_EXHAUSTED, tooLarge(length + " bytes"));
            return;
        }
        byte[] sent = readAtMost(ex.getRequestBody());
        if (sent == null) {
            status(ex, 413, encoding, Code.RESOURCE_EXHAUSTED, tooLarge("more than " + MAX_BODY + " bytes"));
            return;
        }
        byte[] body = sent;
        if (contentEncoding.equals("gzip")) {
            try {
                body = readAtMost(new GZIPInputStream(new java.io.ByteArrayInputStream(sent)));
            } catch (ZipException | java.io.EOFException e) {
                status(ex, 400, encoding, Code.INVALID_ARGUMENT, "the body is not valid gzip (" + e.getMessage()
                        + ")");
                return;
            }
            if (body == null) {
                status(ex, 413, encoding, Code.RESOURCE_EXHAUSTED, tooLarge("more than " + MAX_BODY
                        + " bytes after decompression"));
                return;
            }
        }
        String peer = ex.getRemoteAddress().getAddress().getHostAddress();
        LiveIngest.Outcome outcome = ingest.export(body, sent.length, encoding, "OTLP/HTTP", peer);
        if (outcome instanceof LiveIngest.Accepted a) {
            ex.getResponseHeaders().set("Content-Type", contentTypeOf(encoding));
            send(ex, 200, response(encoding, a.rejected(), a.message()));
        } else if (outcome instanceof LiveIngest.Throttled t) {
            ex.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, (t.retryAfterMs() + 999) / 1000)));
            status(ex, 429, encoding, Code.RESOURCE_EXHAUSTED, "too many spans are waiting to be committed; retry "
                    + "later");
        } else if (outcome instanceof LiveIngest.Invalid i) {
            status(ex, 400, encoding, Code.INVALID_ARGUMENT, i.message());
        } else {
            ex.getResponseHeaders().set("Retry-After", "1");
            status(ex, 503, encoding, Code.UNAVAILABLE, "the receiver is stopping");
        }
    }

    private static String tooLarge(String size) {
        return "the request body (" + size + ") is over the " + (MAX_BODY >> 20) + " MiB limit; send smaller "
                + "batches";
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The whole stream, or null if it holds more than {@link #MAX_BODY} bytes. */
    private static byte[] readAtMost(InputStream in) throws IOException {
        byte[] b = in.readNBytes(MAX_BODY + 1);
        return b.length > MAX_BODY ? null : b;
    }

    /** "application/json; charset=utf-8" -> "application/json"; null -> "". */
    private static String mediaType(String header) {
        if (header == null) {
            return "";
        }
        int semi = header.indexOf(';');
        return (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static String contentTypeOf(LiveIngest.Encoding encoding) {
        return encoding == LiveIngest.Encoding.PROTOBUF ? "application/x-protobuf" : "application/json";
    }

    /** An ExportTraceServiceResponse: empty, or with partial_success when spans were rejected. */
    static byte[] response(LiveIngest.Encoding encoding, long rejected, String message) {
        if (encoding == LiveIngest.Encoding.PROTOBUF) {
            ExportTraceServiceResponse.Builder r = ExportTraceServiceResponse.newBuilder();
            if (rejected > 0 || message != null) {
                r.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejected)
                        .setErrorMessage(message == null ? "" : message));
            }
            return r.build().toByteArray();
        }
        return json(g -> {
            if (rejected > 0 || message != null) {
                g.writeObjectFieldStart("partialSuccess");
                // int64 is a string in proto3's JSON mapping
                g.writeStringField("rejectedSpans", Long.toString(rejected));
                g.writeStringField("errorMessage", message == null ? "" : message);
                g.writeEndObject();
            }
        });
    }

    /** A google.rpc.Status body in the request's encoding (plain text when the encoding is unknown). */
    private static void status(HttpExchange ex, int http, LiveIngest.Encoding encoding, Code code, String message)
            throws IOException {
        byte[] body;
        if (encoding == LiveIngest.Encoding.PROTOBUF) {
            body = com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message).build()
                    .toByteArray();
        } else {
            body = json(g -> {
                g.writeNumberField("code", code.getNumber());
                g.writeStringField("message", message);
            });
        }
        ex.getResponseHeaders().set("Content-Type", contentTypeOf(encoding));
        send(ex, http, body);
    }

    private static void text(HttpExchange ex, int http, String message) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        send(ex, http, (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int http, byte[] body) throws IOException {
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(http, -1);
            return;
        }
        ex.sendResponseHeaders(http, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    @FunctionalInterface
    private interface JsonFields {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] json(JsonFields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
