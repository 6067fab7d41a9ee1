package dev.tracebench.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveSenderTest {
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private URI serve(com.sun.net.httpserver.HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", handler);
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
    }

    @Test
    void everySpanArrivesOnceEvenAfterBackPressureAndTheTimesAreNow() throws IOException {
        Set<String> spanIds = new HashSet<>();
        AtomicInteger calls = new AtomicInteger();
        long[] firstStart = {Long.MAX_VALUE};
        URI url = serve(ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (calls.incrementAndGet() % 3 == 1) { // every third request is refused first
                ex.getResponseHeaders().add("Retry-After", "0");
                ex.sendResponseHeaders(429, -1);
                ex.close();
                return;
            }
            assertEquals("application/x-protobuf", ex.getRequestHeaders().getFirst("Content-Type"));
            ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(body);
            synchronized (spanIds) {
                req.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList()
                        .forEach(s -> {
                            spanIds.add(s.getTraceId().toStringUtf8() + s.getSpanId().toStringUtf8());
                            firstStart[0] = Math.min(firstStart[0], s.getStartTimeUnixNano());
                        })));
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        Instant before = Instant.now();
        TrafficGenerator.Options o = new TrafficGenerator.Options(Scenario.BASELINE, 30, 7, before, 1, 5);
        LiveSender.Sent sent = LiveSender.send(o, url);

        assertEquals(30, sent.generated().traces());
        assertEquals(sent.generated().spans(), sent.spansDelivered());
        assertEquals(sent.generated().spans(), spanIds.size(), "each span delivered exactly once");
        assertEquals(calls.get(), sent.generated().exportBatches() + sent.retries());
        assertEquals((calls.get() + 2) / 3, sent.retries(), "every third call was refused and retried");
        long beforeNs = before.getEpochSecond() * 1_000_000_000L + before.getNano();
        assertTrue(firstStart[0] >= beforeNs, "spans start now, not in the generator's default past");
    }

    @Test
    void aRefusalOtherThanBackPressureStopsWithTheReceiversAnswer() throws IOException {
        URI url = serve(ex -> {
            ex.getRequestBody().readAllBytes();
            byte[] msg = "unsupported content type".getBytes();
            ex.sendResponseHeaders(415, msg.length);
            ex.getResponseBody().write(msg);
            ex.close();
        });
        TrafficGenerator.Options o = new TrafficGenerator.Options(Scenario.BASELINE, 3, 7, Instant.now(), 1, 5);
        IOException e = assertThrows(IOException.class, () -> LiveSender.send(o, url));
        assertTrue(e.getMessage().contains("HTTP 415: unsupported content type"), e.getMessage());
    }

    @Test
    void nothingListeningIsSaidInWords() throws IOException {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + port + "/v1/traces");
        TrafficGenerator.Options o = new TrafficGenerator.Options(Scenario.BASELINE, 1, 7, Instant.now(), 1, 5);
        IOException e = assertThrows(IOException.class, () -> LiveSender.send(o, url));
        assertEquals("could not send to " + url + ": nothing is listening there", e.getMessage());
    }
}
