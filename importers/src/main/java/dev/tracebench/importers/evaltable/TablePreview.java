package dev.tracebench.importers.evaltable;

import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.importers.TraceFormat;
import dev.tracebench.importers.TraceFormats;
import dev.tracebench.importers.common.RecordingSession;
import dev.tracebench.importers.evaltable.ColumnMapping.Target;
import dev.tracebench.importers.io.SourceStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A table of eval results as the column mapping dialog shows it: its columns, the mapping Tracebench recognises by
 * itself, and its first rows as they would import under a mapping. Reads the start of the file once (64 KB,
 * decompressed); previews are computed from those rows in memory, so they can follow every change of the form.
 */
public final class TablePreview {
    private static final int PEEK = 1 << 16;
    private final String fileName;
    private final EvalTableFormat format;
    private final TableRows.Sample sample;

    private TablePreview(String fileName, EvalTableFormat format, TableRows.Sample sample) {
        this.fileName = fileName;
        this.format = format;
        this.sample = sample;
    }

    /**
     * The table {@code file} holds, or null if it is no table (CSV with a header, JSON Lines or an array of JSON
     * objects) or another format recognises it (a trace file, promptfoo results, ...).
     */
    public static TablePreview of(Path file) throws IOException {
        byte[] buf;
        int n = 0;
        try (InputStream raw = Files.newInputStream(file); SourceStream src = SourceStream.open(raw)) {
            InputStream in = src.content();
            buf = new byte[PEEK];
            int r;
            while (n < PEEK && (r = in.read(buf, n, PEEK - n)) > 0) {
                n += r;
            }
        }
        byte[] b = java.util.Arrays.copyOf(buf, n);
        TraceFormat.Head head = new TraceFormat.Head(b, new String(b, StandardCharsets.UTF_8));
        TraceFormat detected = TraceFormats.detect(head);
        if (detected != null && !(detected instanceof EvalTableFormat)) {
            return null;
        }
        EvalTableFormat f = EvalTableFormat.forTable(head);
        if (f == null || EvalTableFormat.columns(head) == null) {
            return null;
        }
        return new TablePreview(file.getFileName().toString(), f, f.sample(head));
    }

    public List<String> columns() {
        return sample.columns();
    }

    /** Whether Tracebench reads the table without a mapping. */
    public boolean recognised() {
        return TableSchema.resolve(sample, null).recognised();
    }

    /** The columns Tracebench recognises by their names, as a mapping (each field to its column). */
    public ColumnMapping suggested() {
        TableSchema s = TableSchema.resolve(sample, null);
        Map<Target, List<String>> m = new EnumMap<>(Target.class);
        s.roles().forEach((t, c) -> m.put(t, List.of(c)));
        if (!s.metrics().isEmpty()) {
            m.put(Target.SCORE, s.metrics());
        }
        return new ColumnMapping(m);
    }

    /**
     * The first results of the table under {@code mapping} (null: the names Tracebench recognises), with the
     * problems of those rows; {@code error} says why nothing can be read (a missing column, no verdict column).
     */
    public Preview preview(ColumnMapping mapping, int maxResults) {
        TableSchema schema;
        try {
            schema = TableSchema.resolve(sample, mapping == null || mapping.isEmpty() ? null : mapping);
        } catch (IllegalArgumentException e) {
            return new Preview(List.of(), List.of(), e.getMessage());
        }
        if (!schema.recognised()) {
            return new Preview(List.of(), List.of(), "This mapping reads no results: " + schema.unrecognised()
                    + ". Choose the column holding the score, label or pass/fail.");
        }
        RecordingSession s = new RecordingSession();
        EvalTableFormat.Converter c = new EvalTableFormat.Converter(schema, s, format.id(), fileName, mapping);
        for (TableRows.Row row : sample.rows()) {
            if (s.evalResults().size() >= maxResults) {
                break;
            }
            c.accept(row);
        }
        List<EvalResultData> results = new ArrayList<>();
        s.evalResults().forEach(r -> results.add(r.data()));
        List<String> problems = s.problems().stream().map(RecordingSession.Problem::toString).toList();
        return new Preview(results.subList(0, Math.min(maxResults, results.size())), problems, null);
    }

    /** Results as they would import, the problems of the rows read for them, or why nothing can be read. */
    public record Preview(List<EvalResultData> results, List<String> problems, String error) {
    }
}
