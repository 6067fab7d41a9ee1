package dev.tracebench.importers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the head of a source, and explains sources no format recognises: what they look like and what to export
 * instead.
 */
final class Formats {
    /** How much of the start of a file is looked at. */
    static final int PEEK = 1 << 16;

    private Formats() {
    }

    /** The first {@link #PEEK} bytes of {@code in} (which must support mark/reset), left unread. */
    static TraceFormat.Head head(InputStream in) throws IOException {
        in.mark(PEEK);
        byte[] buf = new byte[PEEK];
        int n = 0;
        try {
            int r;
            while (n < PEEK && (r = in.read(buf, n, PEEK - n)) > 0) {
                n += r;
            }
        } catch (dev.tracebench.importers.io.CorruptInputException e) {
            // recognise the format from what could be read; the damage is reported when reading for real
        }
        in.reset();
        byte[] head = java.util.Arrays.copyOf(buf, n);
        return new TraceFormat.Head(head, new String(head, StandardCharsets.UTF_8));
    }

    /** Why no format reads this source, in words a user can act on. */
    static String explain(TraceFormat.Head head) {
        String text = head.text();
        String t = head.trimmed();
        if (t.isEmpty()) {
            return "the file is empty";
        }
        char first = t.charAt(0);
        if (first != '{' && first != '[') {
            return "is neither JSON nor OTLP protobuf (it starts with '" + printable(t) + "'); Tracebench reads "
                    + "OTLP (JSON or protobuf, as the OpenTelemetry Collector's file exporter writes it), Jaeger JSON, "
                    + "Zipkin v2 JSON, Phoenix span exports and Langfuse trace exports";
        }
        if (head.has("\"resourceLogs\"")) {
            return "is OTLP/JSON logs (resourceLogs), not traces; export the traces pipeline (resourceSpans) instead";
        }
        if (head.has("\"resourceMetrics\"")) {
            return "is OTLP/JSON metrics (resourceMetrics), not traces; export the traces pipeline (resourceSpans) "
                    + "instead";
        }
        if (head.has("\"context\"") && head.has("\"trace_id\"") && text.contains("\"0x")) {
            return "looks like the Python ConsoleSpanExporter's output, which is not OTLP; use the OTLP exporter "
                    + "(or the Collector's file exporter) to write OTLP/JSON";
        }
        if (head.has("\"SpanContext\"") && head.has("\"TraceID\"")) {
            return "looks like the Go stdouttrace exporter's output, which is not OTLP; use the OTLP exporter (or the "
                    + "Collector's file exporter) to write OTLP/JSON";
        }
        if (head.has("\"testCases\"") && head.has("\"metricsData\"")) {
            return "is a DeepEval test-run result (evaluations, not traces); it is not a trace format";
        }
        if (head.has("\"baseSpans\"") || head.has("\"llmSpans\"")) {
            return "looks like DeepEval's native trace JSON, which Tracebench does not read; export the traces with "
                    + "OpenTelemetry (OTLP) instead";
        }
        if (head.has("\"ideal\"") && head.has("\"input\"")) {
            return "looks like OpenAI evals samples (input/ideal), not traces";
        }
        if (head.has("\"expected_output\"") || head.has("\"expectedOutput\"")) {
            return "looks like an evaluation dataset (inputs with expected outputs), not traces";
        }
        if (head.has("\"openinference.span.kind\"") || head.has("\"gen_ai.operation.name\"")
                || head.has("\"gen_ai.provider.name\"") || head.has("\"gen_ai.system\"")) {
            return "is a bare map of span attributes, not a trace export (it has no trace or span ids or times); "
                    + "export whole spans, e.g. as OTLP/JSON";
        }
        return "is JSON but not a trace format Tracebench knows (OTLP/JSON, Jaeger JSON, Zipkin v2 JSON, Phoenix span "
                + "export, Langfuse trace export, OpenTelemetry JS span dump); export OTLP/JSON, for example with the "
                + "OpenTelemetry Collector's file exporter";
    }

    private static String printable(String t) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(12, t.length()); i++) {
            char c = t.charAt(i);
            sb.append(c < 0x20 || c == 0xFFFD ? '·' : c);
        }
        return sb.toString();
    }
}
