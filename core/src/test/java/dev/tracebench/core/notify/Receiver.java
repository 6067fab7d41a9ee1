package dev.tracebench.core.notify;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A local HTTP receiver on an ephemeral loopback port: it records every request and answers from a script (then
 * with the default answer). Nothing leaves the machine.
 */
final class Receiver implements AutoCloseable {

    /** One request as it arrived. */
    record Request(String method, String path, Map<String, List<String>> headers, String body, Instant at) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> String.join(",", e.getValue())).findFirst().orElse(null);
        }
    }

    /** One answer; {@code body} may use the request (an echo). */
    record Answer(int status, Map<String, String> headers, Function<Request, String> body) {
        static Answer of(int status, String body) {
            return new Answer(status, Map.of(), r -> body);
        }
    }

    private final HttpServer server;
    private final Deque<Answer> script = new ArrayDeque<>();
    private final Answer fallback;
    final List<Request> requests = new CopyOnWriteArrayList<>();

    Receiver(Answer fallback, Clock clock) throws IOException {
        this.fallback = fallback;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request r = new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                    Map.copyOf(ex.getRequestHeaders()), body, clock.instant());
            requests.add(r);
            Answer a;
            synchronized (script) {
                a = script.isEmpty() ? this.fallback : script.poll();
            }
            a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            byte[] out = a.body().apply(r).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
    }

    /** Answers the next requests with these, in order. */
    Receiver then(Answer... answers) {
        synchronized (script) {
            script.addAll(List.of(answers));
        }
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
