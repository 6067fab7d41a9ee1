package dev.tracebench.importers.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracebench.core.dataset.ChatMessage;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.Provenance;
import dev.tracebench.core.dataset.Split;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An example being read from a record; the format's reader fills what the record has. */
public final class ExampleBuilder {
    public String id;
    public String input = "";
    public List<ChatMessage> messages = new ArrayList<>();
    public List<String> context = new ArrayList<>();
    public String expected = "";
    public String actual = "";
    public final Map<String, String> metadata = new LinkedHashMap<>();
    public final List<String> tags = new ArrayList<>();
    public Split split = Split.NONE;
    public String difficulty = "";
    public String notes = "";
    public String traceId = "";
    public long spanId;

    public ExampleBuilder(String id) {
        this.id = id;
    }

    /** Keeps a value of the record in the metadata (as text; objects and arrays as JSON), unless it says nothing. */
    public void meta(String key, JsonNode value) {
        if (!Fields.absent(value)) {
            metadata.put(key, Fields.text(value));
        }
    }

    /**
     * Reads an input object (Phoenix {@code input}, Langfuse {@code input}): the question key (the only key, else one
     * named as people name a question), the context key, {@code messages} as the chat input, the rest as metadata
     * {@code input.KEY}.
     */
    public void inputObject(ObjectNode in, boolean csv) {
        String question = in.size() == 1 && !in.has("messages") ? in.fieldNames().next() : Fields.find(in,
                Fields.INPUT);
        String contextKey = Fields.find(in, Fields.CONTEXT);
        for (var e : in.properties()) {
            List<ChatMessage> chat = e.getKey().equals("messages") ? Fields.messages(e.getValue(), csv) : null;
            if (e.getKey().equals(question)) {
                input = Fields.text(e.getValue());
            } else if (e.getKey().equals(contextKey)) {
                context = Fields.list(e.getValue(), csv, null);
            } else if (chat != null) {
                messages = chat;
            } else {
                meta("input." + e.getKey(), e.getValue());
            }
        }
    }

    /**
     * Reads a metadata object: the curation fields Tracebench writes there for tools without a place for them
     * ({@code tags}, {@code split}, {@code difficulty}, {@code notes}) go back to their fields, the rest is metadata
     * ({@code prefix} before each key).
     */
    public void curation(JsonNode metadataObject, boolean csv, String prefix) {
        JsonNode m = Fields.json(metadataObject, csv);
        if (m == null || !m.isObject()) {
            meta(prefix.isEmpty() ? "metadata" : prefix.substring(0, prefix.length() - 1), m);
            return;
        }
        m.properties().forEach(e -> {
            if (!curationField(e.getKey(), e.getValue(), csv)) {
                meta(prefix + e.getKey(), e.getValue());
            }
        });
    }

    /** Takes {@code value} as a curation field if {@code key} names one (true), else leaves it (false). */
    public boolean curationField(String key, JsonNode value, boolean csv) {
        switch (Fields.norm(key)) {
            case "tags" -> tags.addAll(Fields.list(value, csv, ","));
            case "split" -> {
                try {
                    split = Split.parse(Fields.text(value));
                } catch (IllegalArgumentException e) {
                    return false; // a split of the other tool's own (e.g. "holdout"): kept as metadata
                }
            }
            case "difficulty" -> difficulty = Fields.text(value);
            case "notes" -> notes = Fields.text(value);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Adds the curation fields of {@code e} to a metadata object written for a tool without a place for them. */
    public static ObjectNode curationJson(DatasetExample e, ObjectNode into) {
        if (!e.tags().isEmpty()) {
            into.set("tags", Fields.array(e.tags()));
        }
        if (e.split() != Split.NONE) {
            into.put("split", e.split().label());
        }
        if (!e.difficulty().isEmpty()) {
            into.put("difficulty", e.difficulty());
        }
        if (!e.notes().isEmpty()) {
            into.put("notes", e.notes());
        }
        return into;
    }

    /** The example; {@code source} and {@code provenance} say where it was read. */
    public DatasetExample build(Provenance provenance) {
        if (messages.size() > 0 && input.isEmpty()) {
            input = Fields.lastUserText(messages);
        }
        Provenance p = traceId.isEmpty() && spanId == 0 ? provenance
                : new Provenance(provenance.workspace(), traceId, spanId, provenance.addedAt(), provenance.source());
        return new DatasetExample(id, input, messages, context, expected, actual, metadata, tags, split, difficulty,
                notes, p);
    }
}
