package dev.tracebench.importers.datasets.ragas;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Map;

/**
 * Ragas test sets and evaluation datasets ({@code EvaluationDataset.to_jsonl}/{@code to_csv}, a generated test set's
 * {@code to_pandas()}): {@code user_input} (a string, or messages for multi-turn samples), {@code retrieved_contexts}
 * (the passages), {@code response}, {@code reference}; {@code reference_contexts}, {@code synthesizer_name} and the
 * rest are kept in the metadata. In CSV, lists are JSON or Python list literals (as pandas writes them). Written as
 * JSON Lines of single-turn samples with only the fields Ragas' {@code SingleTurnSample} has.
 */
public final class RagasTestSet implements DatasetCodec {

    @Override
    public String id() {
        return "ragas";
    }

    @Override
    public String displayName() {
        return "a Ragas test set";
    }

    @Override
    public int sniff(Shape shape) {
        return shape.container() != Container.YAML && shape.has("user_input") ? 85 : 0;
    }

    @Override
    public RecordReader reader(Shape shape, Map<String, String> mapping) throws DatasetFormatException {
        return RagasTestSet::read;
    }

    private static void read(Rec rec, ExampleBuilder b) throws BadRecord {
        boolean csv = rec.csv();
        for (var e : rec.fields().properties()) {
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "user_input" -> {
                    List<ChatMessage> chat = Fields.messages(v, csv);
                    if (chat != null) {
                        b.messages = chat;
                    } else {
                        b.input = Fields.text(v);
                    }
                }
                case "retrieved_contexts" -> b.context = Fields.list(v, csv, null);
                case "response" -> b.actual = Fields.text(v);
                case "reference" -> b.expected = Fields.text(v);
                case "id" -> b.id = Fields.text(v);
                default -> {
                    if (!b.curationField(e.getKey(), v, csv)) {
                        b.meta(e.getKey(), Fields.json(v, csv));
                    }
                }
            }
        }
        if (b.input.isBlank() && b.messages.isEmpty()) {
            throw new BadRecord("no user_input");
        }
    }

    @Override
    public void write(List<DatasetExample> examples, Writer out, String fileName) throws IOException {
        for (DatasetExample e : examples) {
            ObjectNode o = Fields.NODES.objectNode().put("user_input", e.input());
            o.set("retrieved_contexts", Fields.array(e.context()));
            if (e.metadata().containsKey("reference_contexts")) {
                o.set("reference_contexts", Fields.metaValue(e.metadata().get("reference_contexts")));
            }
            if (!e.actualOutput().isEmpty()) {
                o.put("response", e.actualOutput());
            }
            o.put("reference", e.expectedOutput());
            out.write(Fields.JSON.writeValueAsString(o));
            out.write('\n');
        }
    }
}
