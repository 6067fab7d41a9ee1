package dev.tracebench.importers.openaievals;

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
import dev.tracebench.importers.datasets.Shape;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/**
 * OpenAI evals samples ({@code evals/registry/data/<eval>/samples.jsonl}): {@code input} as chat messages or a string
 * and {@code ideal} as a string or a list of acceptable answers. Other keys (a model-graded eval's {@code completion}
 * and {@code choice}, a multi-input eval's {@code input1}, {@code input2}) are kept in the metadata and written back
 * as they were, as are the curation fields ({@code tags}, {@code split}, {@code difficulty}, {@code notes}) and the
 * passages ({@code contexts}) an example has. Phoenix's {@code openai_evals} export ({@code messages} instead of {@code input}) reads too.
 */
public final class OpenAiEvalsSamples implements DatasetCodec {

    @Override
    public String id() {
        return "openai-evals";
    }

    @Override
    public String displayName() {
        return "OpenAI evals samples";
    }

    @Override
    public int sniff(Shape shape) {
        if (shape.container() != Container.JSON_LINES && shape.container() != Container.JSON) {
            return 0;
        }
        if (shape.has("ideal") && shape.hasAny("input", "messages")) {
            return 90;
        }
        if (shape.has("input") && shape.has("completion") && shape.has("choice")) {
            return 80; // a model-graded meta-eval's labelled samples
        }
        return shape.has("input1") && shape.has("input2") ? 70 : 0;
    }

    @Override
    public RecordReader reader(Shape shape, Map<String, String> mapping) throws DatasetFormatException {
        return OpenAiEvalsSamples::read;
    }

    private static void read(dev.tracebench.importers.datasets.Rec rec, ExampleBuilder b) throws BadRecord {
        ObjectNode o = rec.fields();
        boolean anyInput = false;
        for (var e : o.properties()) {
            String k = e.getKey();
            JsonNode v = e.getValue();
            switch (k) {
                case "input", "messages" -> {
                    anyInput = true;
                    List<ChatMessage> chat = Fields.messages(v, false);
                    if (chat != null) {
                        // one plain user message is just the question; a conversation is kept whole
                        boolean lone = chat.size() == 1 && chat.get(0).role().equals("user")
                                && chat.get(0).name().isEmpty();
                        b.input = Fields.lastUserText(chat);
                        b.messages = lone ? new java.util.ArrayList<>() : chat;
                    } else if (v.isTextual()) {
                        b.input = v.asText();
                    } else {
                        throw new BadRecord("'" + k + "' is neither chat messages nor a string");
                    }
                }
                case "ideal" -> {
                    List<String> answers = Fields.list(v, false, null);
                    b.expected = answers.isEmpty() ? "" : answers.get(0);
                    if (v.isArray()) {
                        b.meta("ideal", v); // the list of acceptable answers, written back as a list
                    }
                }
                case "contexts" -> b.context = Fields.list(v, false, null);
                default -> {
                    anyInput |= k.startsWith("input");
                    if (!b.curationField(k, v, false)) {
                        b.meta(k, v);
                    }
                }
            }
        }
        if (!anyInput) {
            throw new BadRecord("no input (neither 'input' nor 'messages')");
        }
    }

    @Override
    public void write(List<DatasetExample> examples, Writer out, String fileName) throws IOException {
        for (DatasetExample e : examples) {
            ObjectNode o = Fields.NODES.objectNode();
            if (!e.messages().isEmpty()) {
                o.set("input", Fields.messagesJson(e.messages()));
            } else if (!e.input().isEmpty()) {
                o.set("input", Fields.messagesJson(List.of(new ChatMessage("user", e.input()))));
            }
            JsonNode ideal = ideal(e);
            if (ideal != null) {
                o.set("ideal", ideal);
            }
            if (!e.context().isEmpty()) {
                o.set("contexts", Fields.array(e.context()));
            }
            ExampleBuilder.curationJson(e, o); // extra keys: the evals ignore them, a re-import reads them back
            o.setAll(Fields.metaJson(e.metadata(), "ideal", "input", "contexts"));
            out.write(Fields.JSON.writeValueAsString(o));
            out.write('\n');
        }
    }

    /** The answer, as the list it was read from when it still starts with it, else as a string; null if none. */
    private static JsonNode ideal(DatasetExample e) {
        String list = e.metadata().get("ideal");
        if (list != null && Fields.metaValue(list) instanceof ArrayNode a && !a.isEmpty()
                && a.get(0).asText().equals(e.expectedOutput())) {
            return a;
        }
        return e.expectedOutput().isEmpty() ? null : Fields.NODES.textNode(e.expectedOutput());
    }
}
