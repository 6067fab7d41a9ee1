package dev.tracebench.core.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Posts a message; the real one is {@link #http}, a dry run records instead. */
interface Transport {

    /** What came back: the status, the {@code Retry-After} header (null when absent) and the body. */
    record Response(int status, String retryAfter, String body) {
    }

    Response post(Message m) throws IOException, InterruptedException;

    /**
     * Posts JSON over java.net.http. Redirects are not followed (a redirect would carry the secret URL's body to
     * another host); HTTP/1.1 because every receiver speaks it.
     */
    static Transport http(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
        return m -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create(m.endpoint())).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header("User-Agent", "Tracebench")
                    .POST(HttpRequest.BodyPublishers.ofString(m.body().toString(), StandardCharsets.UTF_8))
                    .build();
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.headers().firstValue("Retry-After").orElse(null), r.body());
        };
    }
}
