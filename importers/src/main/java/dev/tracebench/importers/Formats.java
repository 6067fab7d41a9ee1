package dev.tracebench.importers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Recognises a source's format from its first bytes. Only OTLP/JSON traces are imported today; other content gets
 * an explanation of what it looks like and what to export instead.
 */
final class Formats {
    /** How much of the start of a file is looked at. */
    static final int PEEK = 1 << 16;

    record Detected(String format, String explanation) {
    }

    private Formats() {
    }

    /** Looks at the start of {@code in} (which must support mark/reset) and leaves it unread. */
    static Detected detect(InputStream in) throws IOException {
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
        String text = new String(head, StandardCharsets.UTF_8);
        String t = text.stripLeading();
        if (t.startsWith("\uFEFF")) {
            t = t.substring(1).stripLeading();
        }
        if (t.isEmpty()) {
            return new Detected(null, "the file is empty");
        }
        if (head.length >= 4 && head[0] == 0x28 && (head[1] & 0xFF) == 0xB5 && head[2] == 0x2F
                && (head[3] & 0xFF) == 0xFD) {
            return new Detected(null, "looks like zstd-compressed data, which this version cannot read yet; "
                    + "decompress it (zstd -d) or export uncompressed OTLP/JSON");
        }
        char first = t.charAt(0);
        if (first != '{' && first != '[') {
            return new Detected(null, "is not JSON (it starts with '" + printable(t) + "'); Tracebench reads "
                    + "OTLP/JSON trace exports, such as the OpenTelemetry Collector file exporter's output");
        }
        if (text.contains("\"resourceSpans\"")) {
            return new Detected(OtlpJsonImporter(), null);
        }
        if (text.contains("\"resourceLogs\"")) {
            return new Detected(null, "is OTLP/JSON logs (resourceLogs), not traces; export the traces pipeline "
                    + "(resourceSpans) instead");
        }
        if (text.contains("\"resourceMetrics\"")) {
            return new Detected(null, "is OTLP/JSON metrics (resourceMetrics), not traces; export the traces "
                    + "pipeline (resourceSpans) instead");
        }
        if (text.contains("\"context\"") && text.contains("\"trace_id\"") && text.contains("\"0x")) {
            return new Detected(null, "looks like the Python ConsoleSpanExporter's output, which is not OTLP; "
                    + "use the OTLP exporter (or the Collector's file exporter) to write OTLP/JSON");
        }
        if (text.contains("\"SpanContext\"") && text.contains("\"TraceID\"")) {
            return new Detected(null, "looks like the Go stdouttrace exporter's output, which is not OTLP; use the "
                    + "OTLP exporter (or the Collector's file exporter) to write OTLP/JSON");
        }
        if (text.contains("\"traceID\"") && text.contains("\"spans\"")) {
            return new Detected(null, "looks like a Jaeger JSON export, which this version cannot read yet; export "
                    + "OTLP/JSON instead (Jaeger v2 can: /api/v3/traces)");
        }
        if (text.contains("\"traceId\"") && text.contains("\"localEndpoint\"")) {
            return new Detected(null, "looks like Zipkin v2 JSON, which this version cannot read yet; export "
                    + "OTLP/JSON instead");
        }
        if (t.length() < 64 || !text.contains("\"resourceSpans\"")) {
            // {} or {"resourceSpans": ...} beyond the peek window; an object without spans is still OTLP
            if (t.startsWith("{") && (t.replaceAll("\\s", "").equals("{}")
                    || t.replaceAll("\\s", "").startsWith("{}"))) {
                return new Detected(OtlpJsonImporter(), null);
            }
        }
        return new Detected(null, "is JSON but not OTLP traces (no \"resourceSpans\" near the start); Tracebench "
                + "reads OTLP/JSON trace exports, such as the OpenTelemetry Collector file exporter's output");
    }

    private static String OtlpJsonImporter() {
        return dev.tracebench.importers.otlpjson.OtlpJsonImporter.FORMAT;
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
