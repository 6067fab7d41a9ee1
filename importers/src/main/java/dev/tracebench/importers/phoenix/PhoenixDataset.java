package dev.tracebench.importers.phoenix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracebench.core.dataset.ChatMessage;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetFiles.DatasetFormatException;
import dev.tracebench.core.dataset.Split;
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
import java.util.Map;

/**
 * Arize Phoenix dataset exports ({@code GET /v1/datasets/{id}/jsonl} and {@code /csv}): per example {@code id},
 * {@code input} and {@code output} objects, {@code metadata} and {@code splits}; the CSV flattens them into dotted
 * columns ({@code input.question}, {@code output.answer}, {@code metadata.category}; lists as JSON). The question is
 * the input key named as people name it (or the input's only key, or its {@code messages}); the answer likewise from
 * the output (or the last output message). Other keys are kept in the metadata as {@code input.<key>} and
 * {@code output.<key>}. Written as the JSONL export: {@code input.question} (with {@code input.contexts} and
 * {@code input.messages} when there are some), {@code output.answer}, {@code metadata} and {@code splits}.
 */
public final class PhoenixDataset implements DatasetCodec {

    @Override
    public String id() {
        return "phoenix";
    }

    @Override
    public String displayName() {
        return "a Phoenix dataset export";
    }

    @Override
    public int sniff(Shape shape) {
        if (shape.container() == Container.CSV) {
            return shape.hasPrefix("input.") && (shape.hasPrefix("output.") || shape.has("splits")) ? 85 : 0;
        }
        if (shape.container() == Container.YAML) {
            return 0;
        }
        return shape.isObject("input") && (shape.isObject("output") || shape.hasAny("splits", "node_id")) ? 85 : 0;
    }

    @Override
    public RecordReader reader(Shape shape, Map<String, String> mapping) throws DatasetFormatException {
        return PhoenixDataset::read;
    }

    private static void read(Rec rec, ExampleBuilder b) throws BadRecord {
        ObjectNode o = rec.csv() ? unflatten(rec.fields()) : rec.fields();
        JsonNode input = o.get("input");
        if (input == null || !input.isObject()) {
            throw new BadRecord("no input object");
        }
        for (var e : o.properties()) {
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "id" -> b.id = Fields.text(v);
                case "node_id", "input" -> {
                    // the node id is Phoenix's own key of the example, not the example's id
                }
                case "output" -> output(v, b);
                case "metadata" -> b.curation(v, rec.csv(), "");
                case "splits" -> {
                    for (String s : Fields.list(v, rec.csv(), null)) {
                        try {
                            Split split = Split.parse(s);
                            if (b.split == Split.NONE) {
                                b.split = split;
                                continue;
                            }
                        } catch (IllegalArgumentException notOurs) {
                            // a split of Phoenix's own naming: a tag
                        }
                        b.tags.add(s);
                    }
                }
                default -> b.meta(e.getKey(), v);
            }
        }
        b.inputObject((ObjectNode) input, rec.csv());
        if (b.id.equals("") && o.has("node_id")) {
            b.id = Fields.text(o.get("node_id"));
        }
        if (b.input.isBlank() && b.messages.isEmpty()) {
            throw new BadRecord("the input has no question (keys: " + String.join(", ", (Iterable<String>) input::fieldNames)
                    + ")");
        }
    }

    private static void output(JsonNode out, ExampleBuilder b) {
        if (!(out instanceof ObjectNode o)) {
            b.expected = Fields.text(out);
            return;
        }
        String answer = o.size() == 1 ? o.fieldNames().next() : Fields.find(o,
                Fields.EXPECTED_IN_OUTPUT);
        for (var e : o.properties()) {
            List<ChatMessage> chat = e.getKey().equals("messages") ? Fields.messages(e.getValue(), true) : null;
            if (chat != null && (answer == null || answer.equals("messages"))) {
                b.expected = chat.get(chat.size() - 1).content(); // as Phoenix's own OpenAI evals export takes it
                answer = "messages";
            } else if (e.getKey().equals(answer)) {
                b.expected = Fields.text(e.getValue());
            } else {
                b.meta("output." + e.getKey(), e.getValue());
            }
        }
    }

    /** A CSV row's dotted columns as the nested objects they were flattened from (one level: input, output, metadata). */
    private static ObjectNode unflatten(ObjectNode row) {
        ObjectNode o = Fields.NODES.objectNode();
        for (var e : row.properties()) {
            String k = e.getKey();
            int dot = k.indexOf('.');
            String head = dot < 0 ? "" : k.substring(0, dot);
            if (head.equals("input") || head.equals("output") || head.equals("metadata")) {
                if (!Fields.absent(e.getValue())) {
                    JsonNode v = Fields.json(e.getValue(), true);
                    o.withObjectProperty(head).set(k.substring(dot + 1), v);
                } else {
                    o.withObjectProperty(head);
                }
            } else {
                o.set(k, e.getValue());
            }
        }
        return o;
    }

    @Override
    public void write(List<DatasetExample> examples, Writer out, String fileName) throws IOException {
        for (DatasetExample e : examples) {
            ObjectNode o = Fields.NODES.objectNode().put("id", e.id());
            ObjectNode in = o.putObject("input").put("question", e.input());
            if (!e.context().isEmpty()) {
                in.set("contexts", Fields.array(e.context()));
            }
            if (!e.messages().isEmpty()) {
                in.set("messages", Fields.messagesJson(e.messages()));
            }
            ObjectNode output = o.putObject("output").put("answer", e.expectedOutput());
            ObjectNode meta = ExampleBuilder.curationJson(e, Fields.NODES.objectNode());
            meta.remove("split"); // Phoenix has splits of its own
            e.metadata().forEach((k, v) -> {
                if (k.startsWith("input.")) {
                    in.set(k.substring(6), Fields.metaValue(v));
                } else if (k.startsWith("output.")) {
                    output.set(k.substring(7), Fields.metaValue(v));
                } else {
                    meta.set(k, Fields.metaValue(v));
                }
            });
            o.set("metadata", meta);
            ArrayNode splits = o.putArray("splits");
            if (e.split() != Split.NONE) {
                splits.add(e.split().label());
            }
            out.write(Fields.JSON.writeValueAsString(o));
            out.write('\n');
        }
    }
}
