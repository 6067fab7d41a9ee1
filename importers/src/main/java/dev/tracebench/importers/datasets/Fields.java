package dev.tracebench.importers.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracebench.core.dataset.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reading and writing the values of dataset records: texts, lists (JSON arrays, or lists written inside a CSV cell),
 * chat messages, and the names people give the usual fields.
 */
public final class Fields {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Names of the question, in order of preference. */
    public static final List<String> INPUT = List.of("question", "user_input", "input", "query", "prompt");
    /** Names of the golden answer. */
    public static final List<String> EXPECTED = List.of("answer", "expected_answer", "expected_output", "ideal",
            "reference", "ground_truth");
    /** Names of retrieved or reference passages. */
    public static final List<String> CONTEXT = List.of("contexts", "retrieved_contexts", "context",
            "retrieval_context", "documents");
    /**
     * Names of the golden answer inside an {@code output} / {@code expectedOutput} object (Phoenix, Langfuse), where
     * "output" and "response" name the expected answer too.
     */
    public static final List<String> EXPECTED_IN_OUTPUT = List.of("answer", "expected_answer", "expected_output",
            "output", "response", "ideal", "reference", "ground_truth");
    /** Names of the model's answer. */
    public static final List<String> OUTPUT = List.of("output", "response", "actual_output", "completion");

    private Fields() {
    }

    /** A key as people vary it: lower case, spaces and hyphens as underscores ("Expected Output" is expected_output). */
    public static String norm(String key) {
        return key.strip().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
    }

    /** The first key of {@code obj} whose normalised name is one of {@code names} (in the names' order), or null. */
    public static String find(ObjectNode obj, List<String> names) {
        for (String name : names) {
            for (var it = obj.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (norm(k).equals(name)) {
                    return k;
                }
            }
        }
        return null;
    }

    /** True for a value that says nothing: absent, null, or an empty text (an empty CSV cell). */
    public static boolean absent(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() || v.isTextual() && v.asText().isEmpty();
    }

    /** A value as text: strings as they are, numbers and booleans as written, objects and arrays as JSON, else "". */
    public static String text(JsonNode v) {
        if (absent(v)) {
            return "";
        }
        if (v.isValueNode()) {
            return v.asText();
        }
        return v.toString();
    }

    /** A CSV cell holding JSON (an object or array) as a tree; anything else as it is. */
    public static JsonNode json(JsonNode v, boolean csv) {
        if (csv && v != null && v.isTextual()) {
            String t = v.asText().strip();
            if (t.startsWith("{") || t.startsWith("[")) {
                try {
                    return JSON.readTree(t);
                } catch (JsonProcessingException e) {
                    return v;
                }
            }
        }
        return v;
    }

    /**
     * A list of texts: a JSON array; in a CSV cell a JSON array or a Python list literal (pandas writes lists so),
     * else the cell split at {@code separator} (null: the whole cell is one item); a single value is a list of one.
     */
    public static List<String> list(JsonNode v, boolean csv, String separator) {
        List<String> out = new ArrayList<>();
        if (absent(v)) {
            return out;
        }
        JsonNode n = json(v, csv);
        if (n.isArray()) {
            n.forEach(e -> {
                if (!absent(e)) {
                    out.add(text(e));
                }
            });
            return out;
        }
        String t = n.asText();
        if (csv) {
            List<String> py = pythonList(t.strip());
            if (py != null) {
                return py;
            }
            if (separator != null) {
                for (String part : t.split(Pattern.quote(separator), -1)) {
                    if (!part.isBlank()) {
                        out.add(part.strip());
                    }
                }
                return out;
            }
        }
        out.add(text(n));
        return out;
    }

    /** A Python list of strings as {@code repr} writes it ("['a', \"b's\"]"), or null if the text is not one. */
    static List<String> pythonList(String t) {
        if (!t.startsWith("[") || !t.endsWith("]")) {
            return null;
        }
        List<String> out = new ArrayList<>();
        int i = 1;
        int end = t.length() - 1;
        while (true) {
            while (i < end && Character.isWhitespace(t.charAt(i))) {
                i++;
            }
            if (i >= end) {
                return out;
            }
            char q = t.charAt(i);
            if (q != '\'' && q != '"') {
                return null;
            }
            StringBuilder sb = new StringBuilder();
            i++;
            while (i < end && t.charAt(i) != q) {
                char c = t.charAt(i);
                if (c == '\\' && i + 1 < end) {
                    char e = t.charAt(++i);
                    sb.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        default -> e;
                    });
                } else {
                    sb.append(c);
                }
                i++;
            }
            if (i >= end) {
                return null; // unterminated string
            }
            out.add(sb.toString());
            i++;
            while (i < end && Character.isWhitespace(t.charAt(i))) {
                i++;
            }
            if (i < end && t.charAt(i) != ',') {
                return null;
            }
            i++;
        }
    }

    /**
     * Chat messages ({@code [{"role":…,"content":…,"name":…}]}; content as a string or OpenAI content parts), or
     * null when the value is not a list of messages.
     */
    public static List<ChatMessage> messages(JsonNode v, boolean csv) {
        JsonNode n = json(v, csv);
        if (n == null || !n.isArray() || n.isEmpty()) {
            return null;
        }
        List<ChatMessage> out = new ArrayList<>();
        for (JsonNode m : n) {
            if (!m.isObject() || !m.has("role") && !m.has("content")) {
                return null;
            }
            JsonNode content = m.get("content");
            String text;
            if (content != null && content.isArray()) {
                StringBuilder sb = new StringBuilder();
                for (JsonNode part : content) {
                    String p = part.isObject() ? text(part.get("text")) : text(part);
                    if (!p.isEmpty()) {
                        sb.append(sb.length() > 0 ? "\n" : "").append(p);
                    }
                }
                text = sb.toString();
            } else {
                text = text(content);
            }
            out.add(new ChatMessage(text(m.get("role")), text, text(m.get("name"))));
        }
        return out;
    }

    /** The question of a chat: the last user message's text (the last message's when no user spoke). */
    public static String lastUserText(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals("user")) {
                return messages.get(i).content();
            }
        }
        return messages.isEmpty() ? "" : messages.get(messages.size() - 1).content();
    }

    /** Messages as JSON ({@code name} only where there is one). */
    public static ArrayNode messagesJson(List<ChatMessage> messages) {
        ArrayNode a = NODES.arrayNode();
        for (ChatMessage m : messages) {
            ObjectNode o = a.addObject().put("role", m.role()).put("content", m.content());
            if (!m.name().isEmpty()) {
                o.put("name", m.name());
            }
        }
        return a;
    }

    /** Texts as a JSON array. */
    public static ArrayNode array(List<String> values) {
        ArrayNode a = NODES.arrayNode();
        values.forEach(a::add);
        return a;
    }

    /**
     * A metadata value (stored as text) as JSON again: text that is a JSON object or array becomes that object or
     * array (it was one in the file it came from), anything else stays a string.
     */
    public static JsonNode metaValue(String value) {
        String t = value.strip();
        if (t.startsWith("{") || t.startsWith("[")) {
            try {
                return JSON.readTree(t);
            } catch (JsonProcessingException e) {
                // a text that happens to start with a bracket
            }
        }
        return NODES.textNode(value);
    }

    /** Metadata entries as a JSON object (see {@link #metaValue}), leaving out {@code except}. */
    public static ObjectNode metaJson(Map<String, String> metadata, String... except) {
        ObjectNode o = NODES.objectNode();
        metadata.forEach((k, v) -> {
            if (!List.of(except).contains(k)) {
                o.set(k, metaValue(v));
            }
        });
        return o;
    }
}
