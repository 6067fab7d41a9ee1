package dev.tracebench.importers.langfuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracebench.core.dataset.ChatMessage;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetFiles.DatasetFormatException;
import dev.tracebench.importers.datasets.BadRecord;
import dev.tracebench.importers.datasets.Container;
import dev.tracebench.importers.datasets.DatasetCodec;
import dev.tracebench.importers.datasets.ExampleBuilder;
import dev.tracebench.importers.datasets.Fields;
import dev.tracebench.importers.datasets.Rec;
import dev.tracebench.importers.datasets.Shape;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Langfuse dataset items (the {@code dataset_items} batch export as JSON, JSON Lines or CSV): {@code id},
 * {@code input} and {@code expectedOutput} (a string or an object), {@code metadata}, {@code sourceTraceId},
 * {@code sourceObservationId}, {@code status}. The question and answer are read from objects by the keys people use
 * (or the object's only key, or chat messages); the source trace and observation become the example's provenance. An
 * ARCHIVED item is kept with {@code status} in its metadata. Written as JSON Lines ({@code .json}: a JSON array) of
 * items with {@code input.question} (and {@code contexts}, {@code messages}), {@code expectedOutput.answer},
 * {@code metadata}, the source trace and observation and {@code status}.
 */
public final class LangfuseDatasetItems implements DatasetCodec {
    /** Langfuse's own bookkeeping of an item, not part of the example. */
    private static final Set<String> BOOKKEEPING = Set.of("datasetId", "datasetName", "projectId", "htmlSourcePath",
            "createdAt", "updatedAt", "validFrom", "validTo", "isDeleted");
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");

    @Override
    public String id() {
        return "langfuse";
    }

    @Override
    public String displayName() {
        return "Langfuse dataset items";
    }

    @Override
    public int sniff(Shape shape) {
        if (shape.container() == Container.YAML) {
            return 0;
        }
        return shape.has("expectedOutput") || shape.has("datasetId") || shape.has("sourceTraceId") ? 90 : 0;
    }

    @Override
    public RecordReader reader(Shape shape, Map<String, String> mapping) throws DatasetFormatException {
        return LangfuseDatasetItems::read;
    }

    private static void read(Rec rec, ExampleBuilder b) throws BadRecord {
        boolean csv = rec.csv();
        for (var e : rec.fields().properties()) {
            String k = e.getKey();
            JsonNode v = Fields.json(e.getValue(), csv);
            switch (k) {
                case "id" -> b.id = Fields.text(v);
                case "input" -> input(v, b);
                case "expectedOutput" -> expected(v, b);
                case "metadata" -> b.curation(v, false, "");
                case "sourceTraceId" -> {
                    String t = Fields.text(v).toLowerCase(Locale.ROOT);
                    if (TRACE_ID.matcher(t).matches()) {
                        b.traceId = t;
                    } else {
                        b.meta(k, v);
                    }
                }
                case "sourceObservationId" -> {
                    String t = Fields.text(v).toLowerCase(Locale.ROOT);
                    if (SPAN_ID.matcher(t).matches()) {
                        b.spanId = Long.parseUnsignedLong(t, 16);
                    } else {
                        b.meta(k, v);
                    }
                }
                case "status" -> {
                    if (!Fields.text(v).equalsIgnoreCase("ACTIVE")) {
                        b.meta(k, v);
                    }
                }
                default -> {
                    if (!BOOKKEEPING.contains(k)) {
                        b.meta(k, v);
                    }
                }
            }
        }
        if (b.input.isBlank() && b.messages.isEmpty()) {
            throw new BadRecord("no input");
        }
    }

    private static void input(JsonNode v, ExampleBuilder b) {
        List<ChatMessage> chat = Fields.messages(v, false);
        if (chat != null) {
            b.messages = chat;
            return;
        }
        if (!(v instanceof ObjectNode o)) {
            b.input = Fields.text(v);
            return;
        }
        b.inputObject(o, false);
    }

    private static void expected(JsonNode v, ExampleBuilder b) {
        if (!(v instanceof ObjectNode o)) {
            b.expected = Fields.text(v);
            return;
        }
        String answer = o.size() == 1 ? o.fieldNames().next() : Fields.find(o,
                Fields.EXPECTED_IN_OUTPUT);
        for (var e : o.properties()) {
            if (e.getKey().equals(answer)) {
                b.expected = Fields.text(e.getValue());
            } else {
                b.meta("expectedOutput." + e.getKey(), e.getValue());
            }
        }
    }

    @Override
    public void write(List<DatasetExample> examples, Writer out, String fileName) throws IOException {
        boolean array = fileName.toLowerCase(Locale.ROOT).endsWith(".json");
        ArrayNode all = Fields.NODES.arrayNode();
        for (DatasetExample e : examples) {
            ObjectNode o = Fields.NODES.objectNode().put("id", e.id());
            ObjectNode in = o.putObject("input").put("question", e.input());
            if (!e.context().isEmpty()) {
                in.set("contexts", Fields.array(e.context()));
            }
            if (!e.messages().isEmpty()) {
                in.set("messages", Fields.messagesJson(e.messages()));
            }
            ObjectNode expected = o.putObject("expectedOutput").put("answer", e.expectedOutput());
            ObjectNode meta = ExampleBuilder.curationJson(e, Fields.NODES.objectNode());
            String status = "ACTIVE";
            for (Map.Entry<String, String> m : e.metadata().entrySet()) {
                String k = m.getKey();
                if (k.startsWith("input.")) {
                    in.set(k.substring(6), Fields.metaValue(m.getValue()));
                } else if (k.startsWith("expectedOutput.")) {
                    expected.set(k.substring(15), Fields.metaValue(m.getValue()));
                } else if (k.equals("status")) {
                    status = m.getValue();
                } else {
                    meta.set(k, Fields.metaValue(m.getValue()));
                }
            }
            o.set("metadata", meta);
            String trace = e.provenance().traceId();
            o.put("sourceTraceId", trace.isEmpty() ? null : trace);
            o.put("sourceObservationId", e.provenance().spanId() == 0 ? null
                    : String.format("%016x", e.provenance().spanId()));
            o.put("status", status);
            if (array) {
                all.add(o);
            } else {
                out.write(Fields.JSON.writeValueAsString(o));
                out.write('\n');
            }
        }
        if (array) {
            out.write(Fields.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all));
            out.write('\n');
        }
    }
}
