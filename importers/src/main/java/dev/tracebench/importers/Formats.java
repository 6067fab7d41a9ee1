package dev.tracebench.importers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import dev.tracebench.importers.evaltable.EvalTableFormat;

/**
 * Reads the head of a source, and explains sources no format recognises: what they look like and what to export or
 * import instead.
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
        String dataset = dataset(head, first == '{' || first == '[');
        if (dataset != null) {
            return dataset;
        }
        String table = table(head);
        if (first != '{' && first != '[') {
            return table != null ? table : "is neither JSON nor OTLP protobuf (it starts with '" + printable(t)
                    + "'); Tracebench reads " + READS;
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
        if (head.has("\"baseSpans\"") || head.has("\"llmSpans\"")) {
            return "looks like DeepEval's native trace JSON, which Tracebench does not read; export the traces with "
                    + "OpenTelemetry (OTLP) instead";
        }
        if (head.has("\"openinference.span.kind\"") || head.has("\"gen_ai.operation.name\"")
                || head.has("\"gen_ai.provider.name\"") || head.has("\"gen_ai.system\"")) {
            return "is a bare map of span attributes, not a trace export (it has no trace or span ids or times); "
                    + "export whole spans, e.g. as OTLP/JSON";
        }
        if (table != null) {
            return table;
        }
        return "is JSON but not a format Tracebench knows (" + READS + "); export traces as OTLP/JSON, for example "
                + "with the OpenTelemetry Collector's file exporter";
    }

    /** What Tracebench reads, for messages. */
    static final String READS = "OTLP (JSON or protobuf, as the OpenTelemetry Collector's file exporter writes it), "
            + "Jaeger JSON, Zipkin v2 JSON, Phoenix span exports, Langfuse trace exports, OpenTelemetry JS span "
            + "dumps, and eval results: promptfoo results, DeepEval test runs, OpenAI evals logs, tables (JSON Lines "
            + "or CSV) of scores";

    /**
     * Files that hold examples to evaluate but no verdicts: datasets, not eval results. Importing them as eval results
     * would need an evaluator and a verdict they do not have; here (an import of traces and eval results) they are
     * refused with what to do instead: import them as a dataset ({@code tracebench import} does so for the dataset
     * files it recognises, see {@link DatasetImport}), or run the eval and import its results.
     */
    private static String dataset(TraceFormat.Head head, boolean json) {
        String none = ": a dataset, not eval results (it holds no verdicts), so it was not imported as eval results. "
                + "Import it as a dataset (tracebench dataset import FILE)";
        String header = json ? "" : head.trimmed().lines().findFirst().orElse("");
        if (!json && !(header.contains("expected_output") && header.contains("input"))) {
            return null; // of text files only a CSV of goldens (the other datasets are JSON)
        }
        if (head.has("\"ideal\"") && (head.has("\"input\"") || head.has("\"messages\""))) {
            return "is an OpenAI evals samples file (an input and its ideal answer per line)" + none + ", or run the "
                    + "eval (oaieval) and import its log (/tmp/evallogs/<run id>_<model>_<eval>.jsonl)";
        }
        if (head.has("\"completion\"") && head.has("\"choice\"") && head.has("\"input\"")) {
            return "is an OpenAI evals labelled dataset for a model-graded meta-eval (input, completion and the choice "
                    + "a grader should make)" + none + ", or run the eval (oaieval) and import its log";
        }
        if (head.has("\"expected_output\"") || head.has("\"expectedOutput\"") || head.has("\"expected_outcome\"")
                || !json) {
            return "is an evaluation dataset (DeepEval goldens: inputs with expected outputs)" + none + ", or run "
                    + "the evaluation (deepeval test run) and import its test run (.deepeval/.latest_run_full.json)";
        }
        if (head.has("\"right_answer\"") && head.has("\"hallucinated_answer\"")) {
            return "is a labelled question-answering dataset (HaluEval: knowledge, question, right and hallucinated "
                    + "answers): a dataset, not eval results (it holds no verdicts); nothing was imported. Evaluate "
                    + "answers with tracebench eval run and import those results";
        }
        return null;
    }

    /** A table (CSV, JSON Lines) whose columns Tracebench does not recognise as eval results, or null. */
    private static String table(TraceFormat.Head head) {
        java.util.List<String> columns = EvalTableFormat.columns(head);
        if (columns == null || columns.isEmpty()) {
            return null;
        }
        return "is a table with the columns " + String.join(", ", columns.subList(0, Math.min(20, columns.size())))
                + (columns.size() > 20 ? ", …" : "") + ", but none holds a score, label or pass/fail that Tracebench "
                + "recognises; if it holds eval results, name its columns with a mapping (--map evaluator=COLUMN,"
                + "score=COLUMN,trace_id=COLUMN; in the app, the column mapping dialog)";
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
