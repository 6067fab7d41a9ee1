package dev.tracebench.importers.jaeger;

import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.importers.TraceFormat;
import java.io.IOException;
import java.io.InputStream;

/**
 * Jaeger JSON, the trace model of Jaeger's query service and web UI (v1 API): a trace is
 * {@code {traceID, spans: [...], processes: {p1: {serviceName, tags}}, warnings}}, spans refer to their process by
 * {@code processID}, times are microseconds and tags are {@code {key, type, value}} triples.
 *
 * <p>Users bring it in every shape the Jaeger tools write, and all of them are read: the UI's "Download Results"
 * file ({@code {"data": [trace, ...]}}), a saved query API response (the same with {@code total}, {@code limit},
 * {@code offset} and {@code errors}; reported errors become warnings), a single trace object (extra fields such as a
 * {@code _comment} are ignored), a JSON array of traces, JSON Lines of traces, and the UI's redux fetch state
 * {@code {"id", "state", "data": {trace}}}. The API v3 response ({@code {"result": {"resourceSpans": ...}}}) is OTLP
 * and left to the OTLP/JSON format.
 *
 * <p>How the Jaeger model becomes the OpenTelemetry one, and why:
 * <ul>
 * <li><b>Resources</b>: a process becomes a resource with {@code service.name} = its {@code serviceName} plus its
 * tags, typed. Some exports embed a {@code process} in each span instead of (or besides) the trace's map; the
 * embedded one is used when present. Spans may come before {@code processes} in a trace object, so a trace's spans
 * wait until its processes are known (never more than one trace is held).</li>
 * <li><b>Parent and links</b>: the parent is the first {@code CHILD_OF} reference to a span of the same trace; if
 * there is none, the first {@code FOLLOWS_FROM} reference to the same trace, which is what Jaeger itself
 * ({@code model.Span.ParentSpanID}) and the Jaeger UI do, so a trace shows the same tree as in Jaeger. Every other
 * reference becomes a link with the attribute {@code jaeger.ref_type} ({@code CHILD_OF} or {@code FOLLOWS_FROM}); a
 * {@code FOLLOWS_FROM} parent is also kept as such a link so that the kind of relation is not lost. A reference
 * without {@code refType} is {@code CHILD_OF}, the protobuf default.</li>
 * <li><b>Tags that are fields in OpenTelemetry</b> are moved to the field and not kept twice, as the OpenTelemetry
 * Collector's Jaeger receiver does (so OTLP exported to Jaeger and imported here looks like the original):
 * {@code span.kind} (client, server, producer, consumer, internal) the kind; {@code otel.status_code} (OK, ERROR),
 * {@code otel.status_description} and {@code error = true} the status (ERROR wins); {@code otel.scope.name} /
 * {@code otel.scope.version} (or the older {@code otel.library.name} / {@code otel.library.version}) the
 * instrumentation scope (name "" otherwise); {@code w3c.tracestate} the trace state. Every other tag is kept with
 * its type ({@code string, bool, int64, float64, binary}); values written as strings ("true", "42") are converted
 * to the declared type, and a value that does not fit its type is kept as a string with a warning.</li>
 * <li><b>Logs</b> become span events named by their {@code event} field (or "log" when there is none); the other
 * fields are the event's attributes.</li>
 * <li><b>Flags</b>: only the sampled bit (1) means the same in Jaeger and W3C trace flags, so only it is stored as
 * the span's flags; Jaeger's debug bit (2) becomes the attribute {@code jaeger.debug = true}.</li>
 * <li><b>Ids</b>: Jaeger drops leading zeros and uses 64-bit trace ids; both are padded. Ids that are not hex at all
 * (test fixtures use {@code "trace-123"}, {@code "span-1"}) are mapped deterministically so parents still match,
 * the original is kept as an attribute and each distinct trace id is warned about once per trace.</li>
 * </ul>
 * Trace- and span-level {@code warnings} arrays (the query service's own notes) and UI-computed fields
 * ({@code depth}, {@code relativeStartTime}, ...) are ignored. A missing {@code startTime} keeps the span at time 0
 * and a missing {@code duration} with zero duration, both with a warning; a value of the wrong type rejects the span.
 */
public final class JaegerJsonFormat implements TraceFormat {
    public static final String FORMAT = "jaeger-json";

    @Override
    public String id() {
        return FORMAT;
    }

    @Override
    public String displayName() {
        return "Jaeger JSON";
    }

    @Override
    public String expected() {
        return "Jaeger traces {\"traceID\", \"spans\": [...], \"processes\": {...}}, {\"data\": [traces]}, or "
                + "Jaeger spans {\"traceID\", \"spanID\", \"operationName\", \"startTime\", \"process\": {...}}";
    }

    /**
     * Jaeger spells the id {@code traceID} (upper-case D), which neither OTLP nor Zipkin ({@code traceId}) nor the Go
     * stdout exporter ({@code TraceID}) do; with {@code spanID} and {@code operationName} it is unmistakable, with
     * {@code spans} or {@code processes} (a huge first tag pushing the rest out of the head) still very likely.
     */
    @Override
    public int sniff(Head head) {
        if (!head.has("\"traceID\"") || head.has("\"resourceSpans\"")) {
            return 0;
        }
        if (head.has("\"spanID\"") && head.has("\"operationName\"")) {
            return 90;
        }
        return head.has("\"spans\"") || head.has("\"processes\"") ? 70 : 0;
    }

    @Override
    public void read(InputStream content, IngestSession session, ReadContext context) throws IOException {
        new JaegerReader(session).read(content, context.rawBytesRead());
    }
}
