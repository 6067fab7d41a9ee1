package dev.tracebench.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends generated traffic to an OTLP/HTTP receiver as it happens: each export request (protobuf) is posted when the
 * wall clock reaches its first span's start, so a generator started "now" with a window of N seconds plays out over N
 * seconds. A 429 or 503 is retried after the receiver's Retry-After (else one second), as the OTLP exporters do; any
 * other refusal stops the sender with the receiver's answer.
 */
public final class LiveSender implements RequestWriter {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final AtomicLong spansSent;
    private final AtomicLong retries;

    LiveSender(URI endpoint, AtomicLong spansSent, AtomicLong retries) {
        this.endpoint = endpoint;
        this.spansSent = spansSent;
        this.retries = retries;
    }

    @Override
    public void write(List<GenSpan> spans) throws IOException {
        long first = Long.MAX_VALUE;
        for (GenSpan s : spans) {
            first = Math.min(first, s.startNs);
        }
        sleepUntil(first);
        byte[] body = OtlpProtoWriter.request(spans).toByteArray();
        HttpRequest req = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        while (true) {
            HttpResponse<String> res;
            try {
                res = client.send(req, HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while sending to " + endpoint, e);
            } catch (IOException e) {
                // a refused connection says nothing of its own (its message is null)
                throw new IOException("could not send to " + endpoint + ": " + (e.getMessage() != null
                        ? e.getMessage() : e instanceof java.net.ConnectException ? "nothing is listening there"
                        : e.getClass().getSimpleName()), e);
            }
            int code = res.statusCode();
            if (code == 200) {
                spansSent.addAndGet(spans.size());
                return;
            }
            if (code != 429 && code != 503) {
                throw new IOException(endpoint + " answered HTTP " + code + ": " + res.body().strip());
            }
            retries.incrementAndGet();
            long waitMs = res.headers().firstValue("Retry-After").map(LiveSender::seconds).orElse(1L) * 1000;
            pause(waitMs);
        }
    }

    private static long seconds(String retryAfter) {
        try {
            return Math.max(0, Long.parseLong(retryAfter.strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static void sleepUntil(long epochNs) throws IOException {
        long waitMs = (epochNs - System.currentTimeMillis() * 1_000_000L) / 1_000_000L;
        if (waitMs > 0) {
            pause(waitMs);
        }
    }

    private static void pause(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** What a send did. */
    public record Sent(TrafficGenerator.Summary generated, long spansDelivered, long retries) {
    }

    /** Plays {@code options} out to {@code endpoint} (a full URL, e.g. http://127.0.0.1:4318/v1/traces). */
    public static Sent send(TrafficGenerator.Options options, URI endpoint) throws IOException {
        AtomicLong sent = new AtomicLong();
        AtomicLong retried = new AtomicLong();
        TrafficGenerator.Summary s;
        try {
            s = new TrafficGenerator(options).write(new LiveSender(endpoint, sent, retried), java.io.Writer.nullWriter(),
                    java.io.Writer.nullWriter());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new Sent(s, sent.get(), retried.get());
    }
}
