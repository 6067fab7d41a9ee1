package dev.tracebench.importers.evaltable;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.importers.common.JsonRecords;
import dev.tracebench.importers.common.RecordingSession;
import dev.tracebench.importers.common.Where;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The rows of a table of eval results, as JSON (JSON Lines, or one array of objects) or CSV. A row is its columns'
 * values in file order: strings, numbers (Double, or Long for integers), booleans, lists of strings, and nested JSON as
 * its text. Pandas and Python write {@code NaN} for a failed judge's score, which JSON does not allow: it is read.
 */
final class TableRows {
    static final JsonFactory JSON = JsonRecords.JSON_NAN;

    /** One row: where it is and its values by column. */
    record Row(Where where, Map<String, Object> values) {
    }

    @FunctionalInterface
    interface RowSink {
        void accept(Row row) throws IOException;
    }

    /** The columns and first rows of a table, from the start of a source. */
    record Sample(List<String> columns, List<Row> rows) {
    }

    private TableRows() {
    }

    /** Reads every row of a JSON table; damaged lines (or the damaged rest of a document) are reported and skipped. */
    static void readJson(InputStream content, IngestSession session, LongSupplier rawBytes, RowSink sink)
            throws IOException {
        JsonRecords.read(content, session, rawBytes, JSON, (p, where) -> jsonValue(p, where, session, sink));
    }

    private static void jsonValue(JsonParser p, Where where, IngestSession session, RowSink sink) throws IOException {
        if (p.currentToken() == JsonToken.START_OBJECT) {
            sink.accept(new Row(where, object(p)));
        } else if (p.currentToken() == JsonToken.START_ARRAY) {
            JsonRecords.forEachObject(p, where, session, "rows", (q, w) -> sink.accept(new Row(w, object(q))));
        } else {
            session.reject(where.toString(), "expected an object (one row of eval results), found "
                    + JsonRecords.describe(p.currentToken()));
            p.skipChildren();
        }
    }

    /** The fields of the object the parser is on (START_OBJECT), up to its end. */
    static Map<String, Object> object(JsonParser p) throws IOException {
        Map<String, Object> row = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            row.put(key, value(p, t));
        }
        return row;
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getDoubleValue()
                    : p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            case START_ARRAY -> array(p);
            default -> jsonText(p);
        };
    }

    /** An array of strings as a list; any other array as its JSON text. */
    private static Object array(JsonParser p) throws IOException {
        List<String> strings = new ArrayList<>();
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartArray();
            boolean allStrings = true;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == JsonToken.VALUE_STRING) {
                    strings.add(p.getText());
                } else {
                    allStrings = false;
                }
                g.copyCurrentStructure(p);
            }
            g.writeEndArray();
            g.flush();
            return allStrings ? strings : text.toString();
        }
    }

    private static String jsonText(JsonParser p) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.copyCurrentStructure(p);
        }
        return text.toString();
    }

    /** Reads every record of a CSV table: the first is the header; a damaged record ends reading (reported). */
    static void readCsv(InputStream content, IngestSession session, LongSupplier rawBytes, RowSink sink)
            throws IOException {
        Reader reader = new BufferedReader(new InputStreamReader(content, StandardCharsets.UTF_8), 1 << 16);
        reader.mark(1 << 16);
        char[] first = new char[1 << 15];
        int n = reader.read(first);
        reader.reset();
        char delimiter = n <= 0 ? ',' : CsvParser.delimiter(firstLine(new String(first, 0, n)));
        CsvParser csv = new CsvParser(reader, delimiter == 0 ? ',' : delimiter);
        readCsv(csv, session, rawBytes, sink, Long.MAX_VALUE);
    }

    private static void readCsv(CsvParser csv, IngestSession session, LongSupplier rawBytes, RowSink sink,
            long maxRows) throws IOException {
        List<String> header;
        try {
            header = csv.next();
        } catch (CsvParser.Malformed e) {
            session.reject("line " + e.line, e.getMessage() + "; the header could not be read");
            return;
        }
        if (header == null) {
            return;
        }
        long rows = 0;
        while (rows < maxRows) {
            List<String> fields;
            try {
                fields = csv.next();
            } catch (CsvParser.Malformed e) {
                session.reject("line " + e.line, e.getMessage() + "; reading stopped there");
                return;
            }
            if (fields == null) {
                return;
            }
            if (fields.size() == 1 && fields.get(0).isBlank()) {
                continue;
            }
            session.checkCancelled();
            Where where = new Where(csv.recordLine(), "");
            if (fields.size() > header.size()) {
                session.warn(where.toString(), fields.size() + " fields where the header names " + header.size()
                        + "; the extra fields were ignored");
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                String v = i < fields.size() ? fields.get(i) : null;
                row.put(header.get(i), v == null || v.isEmpty() ? null : v);
            }
            sink.accept(new Row(where, row));
            rows++;
            if ((rows & 1023) == 0) {
                session.bytesRead(rawBytes.getAsLong());
            }
        }
    }

    /**
     * The columns and first rows of a table whose source starts with {@code head} (the first 64 KB): a row cut off
     * by the end of the head is left out. Null if the head is not such a table.
     */
    static Sample sample(String head, boolean json, boolean truncated) {
        try {
            List<Row> rows = new ArrayList<>();
            RecordingSession problems = new RecordingSession(); // problems of a row cut off at the end: not real
            if (json) {
                String t = head.startsWith("\uFEFF") ? head.substring(1) : head;
                InputStream in = new java.io.ByteArrayInputStream(t.getBytes(StandardCharsets.UTF_8));
                JsonRecords.read(in, problems, () -> 0, JSON, (p, where) -> jsonValue(p, where, problems,
                        rows::add));
            } else {
                char delimiter = CsvParser.delimiter(firstLine(head));
                if (delimiter == 0) {
                    return null;
                }
                CsvParser csv = new CsvParser(new StringReader(head), delimiter);
                List<String> header = new CsvParser(new StringReader(head), delimiter).next();
                if (header == null || header.size() < 2) {
                    return null;
                }
                readCsv(csv, problems, () -> 0, rows::add, Long.MAX_VALUE);
                if (truncated && !rows.isEmpty()) {
                    rows.remove(rows.size() - 1);
                }
                Set<String> cols = new LinkedHashSet<>(header);
                return new Sample(List.copyOf(cols), rows);
            }
            if (rows.isEmpty()) {
                return null;
            }
            Set<String> cols = new LinkedHashSet<>();
            for (Row r : rows) {
                cols.addAll(r.values().keySet());
            }
            return new Sample(List.copyOf(cols), rows);
        } catch (IOException | CsvParser.Malformed | RuntimeException e) {
            return null;
        }
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String l = nl < 0 ? s : s.substring(0, nl);
        return l.startsWith("\uFEFF") ? l.substring(1) : l;
    }
}
