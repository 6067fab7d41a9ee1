package dev.tracebench.importers.zipkin;

import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.importers.TraceFormat;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * Zipkin v2 JSON ({@code zipkin2-api.yaml}): a list of spans as {@code POST /api/v2/spans} takes it and
 * {@code GET /api/v2/trace/{id}} (and the Zipkin UI's "Download JSON") returns it, the list of such lists
 * {@code GET /api/v2/traces} returns, a single span object, or JSON Lines of spans (or of lists). A span is flat:
 * {@code traceId} (16 or 32 hex), {@code id}, {@code parentId}, {@code name}, {@code kind}, {@code timestamp} and
 * {@code duration} in microseconds, {@code localEndpoint} / {@code remoteEndpoint}, {@code annotations} and a
 * string-to-string {@code tags} map.
 *
 * <p>How Zipkin's model becomes the OpenTelemetry one, and why:
 * <ul>
 * <li><b>Resources</b>: one per {@code localEndpoint.serviceName} (no endpoint or no name gives
 * {@code unknown_service}). The endpoint's address and port are not part of the resource but span attributes
 * ({@code network.local.address}, {@code network.local.port}): tracers put the port only on server spans, so making
 * it part of the resource would split one process into two services' worth of resources.</li>
 * <li><b>Remote endpoint</b>: {@code peer.service}, {@code network.peer.address} and {@code network.peer.port} span
 * attributes (current semantic conventions; the Collector's receiver writes the older {@code net.peer.ip}). An
 * endpoint with both IPv4 and IPv6 uses IPv4 for the address and keeps IPv6 as
 * {@code zipkin.local_endpoint.ipv6} / {@code zipkin.remote_endpoint.ipv6}. A tag of the same name wins.</li>
 * <li><b>Kind</b>: {@code CLIENT, SERVER, PRODUCER, CONSUMER} as they are; an absent kind is INTERNAL, because
 * Zipkin defines an absent kind as a local (in-process) span and OpenTelemetry's Zipkin exporter writes INTERNAL
 * spans without a kind (the Collector's receiver says UNSPECIFIED instead, which only hides that meaning). A
 * {@code span.kind} tag is used when the field is absent.</li>
 * <li><b>Tags</b> are string attributes, except those that are fields in OpenTelemetry, which are moved there as
 * the Collector's receiver does: the {@code error} tag sets status ERROR with its value as the message (Zipkin
 * tracers put the error message there; {@code "true"} and {@code ""} give no message, {@code "false"} is not an
 * error); {@code otel.status_code} / {@code otel.status_description}; {@code otel.scope.name} /
 * {@code otel.scope.version} (or {@code otel.library.*}) the scope; {@code w3c.tracestate}. {@code debug} and
 * {@code shared} become the booleans {@code zipkin.debug} and {@code zipkin.shared}.</li>
 * <li><b>Annotations</b> become events named by their value.</li>
 * <li><b>Shared spans</b>: in Zipkin, an RPC server that joins its client's span reports a span with the client's
 * span id and {@code "shared": true}. The workspace keys spans by (trace id, span id), so both cannot keep the id.
 * When the client span is in the file, the shared server span gets a derived id (derived deterministically from
 * the id, the server's service name and start time, so re-importing gives the same one; the original is kept as
 * {@code tracebench.original_span_id}) and the client span as its parent; spans whose {@code parentId} is that id
 * and that run in the server's service hang under the server span, the others under the client span. This is the
 * rule of Zipkin's own tree builder ({@code SpanNode}) and of Jaeger's span id deduper. When several servers of one
 * service share the id (a message received by several consumers), each keeps its own span and a child goes to the
 * one on its own host that started last before it. A shared span whose client is not in the file (typically the
 * root of a trace entered from an uninstrumented caller) keeps its id and its
 * parent. Deciding this needs both spans, so spans are resolved in windows of up to 10,000
 * spans (a whole trace in practice) rather than one by one; a client and server split across two windows keep the
 * same id and the workspace reports the second as a duplicate. No warning is given: it is normal Zipkin data.</li>
 * <li><b>Ids</b>: 64-bit trace ids are the low half of a 128-bit id (zero-padded), as Zipkin and OpenTelemetry pad
 * them; ids that are not hex are mapped deterministically with a warning (see {@code IdResolver}).</li>
 * </ul>
 * A span without {@code name} is kept with an empty name without warning (Zipkin allows it). A missing
 * {@code timestamp} keeps the span at time 0 and a missing {@code duration} with zero duration, both with a warning
 * (Zipkin stores incomplete spans that way); a value of the wrong type rejects the span. Times with decimals
 * (sub-microsecond precision, which OpenTelemetry's Zipkin mapping allows) are kept to the nanosecond. Zipkin v1
 * fields ({@code binaryAnnotations}, endpoints inside annotations) are not read; the file is reported once.
 */
public final class ZipkinJsonFormat implements TraceFormat {
    public static final String FORMAT = "zipkin-json";
    private static final Pattern HEX_TRACE_ID = Pattern.compile("\"traceId\"\\s*:\\s*\"[0-9a-fA-F]{16,32}\"");

    @Override
    public String id() {
        return FORMAT;
    }

    @Override
    public String displayName() {
        return "Zipkin v2 JSON";
    }

    @Override
    public String expected() {
        return "Zipkin v2 spans [{\"traceId\", \"id\", \"name\", \"timestamp\", \"duration\", "
                + "\"localEndpoint\": {...}}]";
    }

    /**
     * {@code traceId} with {@code localEndpoint} or {@code remoteEndpoint} is Zipkin; {@code traceId}, {@code id} and
     * {@code timestamp} with a hex trace id is probably Zipkin without endpoints. Formats that share the camel-case
     * {@code traceId} are excluded by what they have and Zipkin has not: OTLP ({@code resourceSpans}, also logs),
     * OpenTelemetry JS dumps ({@code spanContext}), Langfuse ({@code observations}, {@code observationId}), Jaeger
     * ({@code traceID}).
     */
    @Override
    public int sniff(Head head) {
        if (!head.has("\"traceId\"") || head.has("\"resourceSpans\"") || head.has("\"resourceLogs\"")
                || head.has("\"spanContext\"") || head.has("\"observations\"") || head.has("\"observationId\"")
                || head.has("\"traceID\"")) {
            return 0;
        }
        if (head.has("\"localEndpoint\"") || head.has("\"remoteEndpoint\"")) {
            return 90;
        }
        if (head.has("\"id\"") && head.has("\"timestamp\"") && !head.has("\"startTime\"")
                && HEX_TRACE_ID.matcher(head.text()).find()) {
            return 60;
        }
        return 0;
    }

    @Override
    public void read(InputStream content, IngestSession session, ReadContext context) throws IOException {
        new ZipkinReader(session).read(content, context.rawBytesRead());
    }
}
