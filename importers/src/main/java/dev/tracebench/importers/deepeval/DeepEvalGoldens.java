package dev.tracebench.importers.deepeval;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DeepEval goldens ({@code EvaluationDataset.save_as}, {@code add_goldens_from_json_file}/{@code _csv_file}): a JSON
 * list (or CSV, lists joined with {@code |}) of {@code input}, {@code actual_output}, {@code expected_output},
 * {@code retrieval_context} (the example's passages), {@code context} (DeepEval's ideal context, kept in the
 * metadata), {@code name} (the id), {@code comments} (the notes), {@code tools_called}, {@code expected_tools},
 * {@code additional_metadata}. Conversational goldens ({@code scenario}, {@code turns} (a list, or a JSON string of
 * one), {@code expected_outcome}, {@code user_description}) read too: the scenario is the input, the turns the
 * messages (their retrieval contexts the passages), the expected outcome the expected output. Written as a JSON list
 * of goldens.
 */
public final class DeepEvalGoldens implements DatasetCodec {

    @Override
    public String id() {
        return "deepeval";
    }

    @Override
    public String displayName() {
        return "DeepEval goldens";
    }

    @Override
    public int sniff(Shape shape) {
        if (shape.container() == Container.YAML) {
            return 0;
        }
        if (shape.has("scenario") && (shape.has("turns") || shape.has("expected_outcome"))) {
            return 85;
        }
        return shape.has("input") && shape.hasAny("actual_output", "retrieval_context", "source_file",
                "additional_metadata", "expected_tools") ? 85 : 0;
    }

    @Override
    public RecordReader reader(Shape shape, Map<String, String> mapping) throws DatasetFormatException {
        return DeepEvalGoldens::read;
    }

    private static void read(Rec rec, ExampleBuilder b) throws BadRecord {
        boolean csv = rec.csv();
        ObjectNode o = rec.fields();
        boolean conversation = o.has("scenario");
        for (var e : o.properties()) {
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "input", "scenario" -> b.input = Fields.text(v);
                case "actual_output" -> b.actual = Fields.text(v);
                case "expected_output", "expected_outcome" -> b.expected = Fields.text(v);
                case "retrieval_context" -> b.context = Fields.list(v, csv, "|");
                case "context" -> {
                    List<String> ctx = Fields.list(v, csv, "|");
                    if (!ctx.isEmpty()) {
                        b.metadata.put("context", Fields.array(ctx).toString());
                    }
                }
                case "turns" -> turns(v, b);
                case "name" -> b.id = Fields.text(v);
                case "comments" -> b.notes = Fields.text(v);
                case "tools_called", "expected_tools" -> b.meta(e.getKey(), Fields.json(v, csv));
                case "additional_metadata", "custom_column_key_values" -> b.curation(v, csv, "");
                default -> b.meta(e.getKey(), v);
            }
        }
        if (b.input.isBlank() && b.messages.isEmpty()) {
            throw new BadRecord(conversation ? "no scenario" : "no input");
        }
    }

    /** A conversation's turns: a list, or (as DeepEval saves them) a JSON string holding one. */
    private static void turns(JsonNode v, ExampleBuilder b) throws BadRecord {
        JsonNode turns = Fields.json(v, true);
        List<ChatMessage> chat = Fields.messages(turns, true);
        if (chat == null) {
            if (Fields.absent(v)) {
                return;
            }
            throw new BadRecord("its turns are not a list of messages");
        }
        b.messages = chat;
        List<String> passages = new ArrayList<>();
        for (JsonNode t : turns) {
            passages.addAll(Fields.list(t.get("retrieval_context"), false, null));
        }
        b.context = passages;
    }

    @Override
    public void write(List<DatasetExample> examples, Writer out, String fileName) throws IOException {
        ArrayNode all = Fields.NODES.arrayNode();
        for (DatasetExample e : examples) {
            ObjectNode g = all.addObject().put("input", e.input());
            g.put("actual_output", e.actualOutput().isEmpty() ? null : e.actualOutput());
            g.put("expected_output", e.expectedOutput().isEmpty() ? null : e.expectedOutput());
            g.set("retrieval_context", Fields.array(e.context()));
            JsonNode context = Fields.metaValue(e.metadata().getOrDefault("context", "[]"));
            g.set("context", context.isArray() ? context : Fields.array(List.of(context.asText())));
            for (String tools : List.of("tools_called", "expected_tools")) {
                if (e.metadata().containsKey(tools)) {
                    g.set(tools, Fields.metaValue(e.metadata().get(tools)));
                }
            }
            g.put("name", e.id());
            g.put("comments", e.notes().isEmpty() ? null : e.notes());
            ObjectNode meta = ExampleBuilder.curationJson(e, Fields.NODES.objectNode());
            meta.setAll(Fields.metaJson(e.metadata(), "context", "tools_called", "expected_tools", "source_file"));
            g.set("additional_metadata", meta);
            g.putNull("source_file");
        }
        out.write(Fields.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all));
        out.write('\n');
    }
}
