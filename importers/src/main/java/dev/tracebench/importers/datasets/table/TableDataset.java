package dev.tracebench.importers.datasets.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetFiles.DatasetFormatException;
import dev.tracebench.core.dataset.Split;
import dev.tracebench.core.report.Table;
import dev.tracebench.core.report.TableWriter;
import dev.tracebench.importers.datasets.BadRecord;
import dev.tracebench.importers.datasets.Container;
import dev.tracebench.importers.datasets.DatasetCodec;
import dev.tracebench.importers.datasets.ExampleBuilder;
import dev.tracebench.importers.datasets.Fields;
import dev.tracebench.importers.datasets.Rec;
import dev.tracebench.importers.datasets.Shape;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Plain dataset tables: JSON Lines (or a JSON array) and CSV whose columns are named as people name them (the
 * question, the golden answer, the passages, tags, split, difficulty, notes, {@code metadata.*}), or named by a
 * mapping. Columns without a place become metadata. Tracebench's own export (every field of an example) is one.
 */
public final class TableDataset implements DatasetCodec {
    public static final TableDataset JSONL = new TableDataset("jsonl", "a JSON Lines dataset", false);
    public static final TableDataset CSV = new TableDataset("csv", "a CSV dataset", true);

    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");

    /** The fields a column can hold, and the names they go by (the first is the one written). */
    enum Field {
        ID(List.of("id", "example_id")),
        INPUT(Fields.INPUT),
        MESSAGES(List.of("messages")),
        EXPECTED(Fields.EXPECTED),
        OUTPUT(Fields.OUTPUT),
        CONTEXT(Fields.CONTEXT),
        TAGS(List.of("tags")),
        SPLIT(List.of("split")),
        DIFFICULTY(List.of("difficulty")),
        NOTES(List.of("notes")),
        METADATA(List.of("metadata")),
        TRACE_ID(List.of("trace_id", "traceid")),
        SPAN_ID(List.of("span_id", "spanid"));

        final List<String> names;

        Field(List<String> names) {
            this.names = names;
        }

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** A field as a mapping names it: its own name ({@code expected}, {@code input}, ...) or any of its names. */
        static Field parse(String text) throws DatasetFormatException {
            String n = Fields.norm(text);
            for (Field f : values()) {
                if (f.key().equals(n) || f.names.contains(n)) {
                    return f;
                }
            }
            throw new DatasetFormatException("the mapping names an unknown field '" + text + "' (fields: id, "
                    + "input, messages, expected, output, context, tags, split, difficulty, notes, metadata, "
                    + "trace_id, span_id)");
        }
    }

    private final String id;
    private final String displayName;
    private final boolean csv;

    private TableDataset(String id, String displayName, boolean csv) {
        this.id = id;
        this.displayName = displayName;
        this.csv = csv;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String displayName() {
        return displayName;
    }

    @Override
    public int sniff(Shape shape) {
        boolean mine = csv ? shape.container() == Container.CSV
                : shape.container() == Container.JSON || shape.container() == Container.JSON_LINES;
        if (!mine) {
            return 0;
        }
        Set<String> keys = new LinkedHashSet<>();
        shape.keys().forEach(k -> keys.add(Fields.norm(k)));
        boolean input = keys.stream().anyMatch(k -> Field.INPUT.names.contains(k) || k.equals("messages"));
        boolean expected = keys.stream().anyMatch(Field.EXPECTED.names::contains);
        return input && expected ? 50 : input ? 30 : 10;
    }

    @Override
    public RecordReader reader(Shape shape, Map<String, String> mapping) throws DatasetFormatException {
        Map<Field, String> columns = new EnumMap<>(Field.class);
        for (Map.Entry<String, String> e : mapping.entrySet()) {
            if (!shape.has(e.getValue())) {
                throw new DatasetFormatException("the mapping names the column '" + e.getValue() + "', which the "
                        + "file does not have (its columns: " + String.join(", ", shape.keys()) + ")");
            }
            columns.put(Field.parse(e.getKey()), e.getValue());
        }
        ObjectNode keys = Fields.NODES.objectNode();
        shape.keys().forEach(k -> keys.putNull(k));
        for (Field f : Field.values()) {
            if (!columns.containsKey(f)) {
                String col = Fields.find(keys, f.names);
                if (col != null && !columns.containsValue(col)) {
                    columns.put(f, col);
                }
            }
        }
        if (!columns.containsKey(Field.INPUT) && !columns.containsKey(Field.MESSAGES)) {
            throw new DatasetFormatException("no column holds the input (looked for " + String.join(", ",
                    Fields.INPUT) + ", messages); its columns are " + String.join(", ", shape.keys()) + ". Name "
                    + "it with a mapping, e.g. --map input=COLUMN,expected=COLUMN");
        }
        return (rec, b) -> read(rec, b, columns);
    }

    private static void read(Rec rec, ExampleBuilder b, Map<Field, String> columns) throws BadRecord {
        boolean csv = rec.csv();
        ObjectNode o = rec.fields();
        for (var e : o.properties()) {
            Field f = null;
            for (Map.Entry<Field, String> c : columns.entrySet()) {
                if (c.getValue().equals(e.getKey())) {
                    f = c.getKey();
                }
            }
            JsonNode v = e.getValue();
            if (f == null) {
                String k = e.getKey();
                if (k.startsWith("metadata.")) {
                    if (!b.curationField(k.substring(9), v, csv)) {
                        b.meta(k.substring(9), v);
                    }
                } else {
                    b.meta(k, v);
                }
                continue;
            }
            switch (f) {
                case ID -> b.id = Fields.text(v);
                case INPUT -> {
                    List<dev.tracebench.core.dataset.ChatMessage> chat = Fields.messages(v, csv);
                    if (chat != null) {
                        b.messages = chat;
                    } else {
                        b.input = Fields.text(v);
                    }
                }
                case MESSAGES -> {
                    List<dev.tracebench.core.dataset.ChatMessage> chat = Fields.messages(v, csv);
                    if (chat != null) {
                        b.messages = chat;
                    } else {
                        b.meta(e.getKey(), v);
                    }
                }
                case EXPECTED -> {
                    List<String> answers = Fields.list(v, false, null);
                    b.expected = answers.isEmpty() ? "" : answers.get(0);
                    if (answers.size() > 1) {
                        b.meta(e.getKey(), v); // every acceptable answer, for the formats that take a list
                    }
                }
                case OUTPUT -> b.actual = Fields.text(v);
                case CONTEXT -> b.context = Fields.list(v, csv, null);
                case TAGS -> b.tags.addAll(Fields.list(v, csv, ","));
                case SPLIT, DIFFICULTY, NOTES -> {
                    if (!b.curationField(f.key(), v, csv)) {
                        b.meta(e.getKey(), v);
                    }
                }
                case METADATA -> b.curation(v, csv, "");
                case TRACE_ID -> {
                    String t = Fields.text(v).toLowerCase(Locale.ROOT);
                    if (TRACE_ID.matcher(t).matches()) {
                        b.traceId = t;
                    } else {
                        b.meta(e.getKey(), v);
                    }
                }
                case SPAN_ID -> {
                    String t = Fields.text(v).toLowerCase(Locale.ROOT);
                    if (SPAN_ID.matcher(t).matches()) {
                        b.spanId = Long.parseUnsignedLong(t, 16);
                    } else {
                        b.meta(e.getKey(), v);
                    }
                }
                default -> throw new IllegalStateException(f.toString());
            }
        }
        if (b.input.isBlank() && b.messages.isEmpty()) {
            throw new BadRecord("no input (the " + (columns.containsKey(Field.INPUT) ? "column '"
                    + columns.get(Field.INPUT) + "'" : "messages") + " is empty)");
        }
    }

    @Override
    public void write(List<DatasetExample> examples, Writer out, String fileName) throws IOException {
        if (csv) {
            writeCsv(examples, out);
            return;
        }
        for (DatasetExample e : examples) {
            ObjectNode o = Fields.NODES.objectNode().put("id", e.id()).put("input", e.input());
            if (!e.messages().isEmpty()) {
                o.set("messages", Fields.messagesJson(e.messages()));
            }
            if (!e.context().isEmpty()) {
                o.set("contexts", Fields.array(e.context()));
            }
            o.put("expected_output", e.expectedOutput());
            if (!e.actualOutput().isEmpty()) {
                o.put("output", e.actualOutput());
            }
            ExampleBuilder.curationJson(e, o);
            if (!e.metadata().isEmpty()) {
                o.set("metadata", Fields.metaJson(e.metadata()));
            }
            if (!e.provenance().traceId().isEmpty()) {
                o.put("trace_id", e.provenance().traceId());
            }
            if (e.provenance().spanId() != 0) {
                o.put("span_id", String.format("%016x", e.provenance().spanId()));
            }
            out.write(Fields.JSON.writeValueAsString(o));
            out.write('\n');
        }
    }

    /** One column per field any example has (id, input and expected output always); lists as JSON arrays. */
    private static void writeCsv(List<DatasetExample> examples, Writer out) throws IOException {
        List<String> columns = new ArrayList<>(List.of("id", "input", "expected_output"));
        optional(columns, examples, "output", e -> !e.actualOutput().isEmpty());
        optional(columns, examples, "contexts", e -> !e.context().isEmpty());
        optional(columns, examples, "messages", e -> !e.messages().isEmpty());
        optional(columns, examples, "tags", e -> !e.tags().isEmpty());
        optional(columns, examples, "split", e -> e.split() != Split.NONE);
        optional(columns, examples, "difficulty", e -> !e.difficulty().isEmpty());
        optional(columns, examples, "notes", e -> !e.notes().isEmpty());
        optional(columns, examples, "trace_id", e -> !e.provenance().traceId().isEmpty());
        optional(columns, examples, "span_id", e -> e.provenance().spanId() != 0);
        Set<String> meta = new LinkedHashSet<>();
        examples.forEach(e -> meta.addAll(e.metadata().keySet()));
        meta.forEach(k -> columns.add("metadata." + k));
        List<List<Object>> rows = new ArrayList<>();
        for (DatasetExample e : examples) {
            List<Object> row = new ArrayList<>();
            for (String c : columns) {
                row.add(switch (c) {
                    case "id" -> e.id();
                    case "input" -> e.input();
                    case "expected_output" -> e.expectedOutput();
                    case "output" -> e.actualOutput();
                    case "contexts" -> e.context().isEmpty() ? "" : Fields.array(e.context()).toString();
                    case "messages" -> e.messages().isEmpty() ? "" : Fields.messagesJson(e.messages()).toString();
                    case "tags" -> e.tags().isEmpty() ? "" : Fields.array(e.tags()).toString();
                    case "split" -> e.split().label();
                    case "difficulty" -> e.difficulty();
                    case "notes" -> e.notes();
                    case "trace_id" -> e.provenance().traceId();
                    case "span_id" -> e.provenance().spanId() == 0 ? "" : String.format("%016x",
                            e.provenance().spanId());
                    default -> e.metadata().getOrDefault(c.substring("metadata.".length()), "");
                });
            }
            rows.add(row);
        }
        TableWriter.CSV.write(new Table(columns, rows), out);
    }

    private static void optional(List<String> columns, List<DatasetExample> examples, String column,
            java.util.function.Predicate<DatasetExample> has) {
        if (examples.stream().anyMatch(has)) {
            columns.add(column);
        }
    }
}
