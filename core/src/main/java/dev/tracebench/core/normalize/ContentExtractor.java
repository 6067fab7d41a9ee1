package dev.tracebench.core.normalize;

import dev.tracebench.core.json.JsonTree;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.normalize.LlmContent.Document;
import dev.tracebench.core.normalize.LlmContent.Message;
import dev.tracebench.core.normalize.LlmContent.ToolCall;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the content of an LLM span ({@link LlmContent}) from every convention, each part from the first source in
 * {@link NormSource} order that has it:
 *
 * <ul>
 *   <li>OTel GenAI: {@code gen_ai.system_instructions}, {@code gen_ai.input.messages}, {@code gen_ai.output.messages}
 *       (messages of typed parts: text, tool_call, tool_call_response, ...), also inside a
 *       {@code gen_ai.client.inference.operation.details} event; {@code gen_ai.retrieval.documents},
 *       {@code gen_ai.retrieval.query.text}.</li>
 *   <li>OTel GenAI, deprecated: the per-message events {@code gen_ai.system.message}, {@code gen_ai.user.message},
 *       {@code gen_ai.assistant.message}, {@code gen_ai.tool.message}, {@code gen_ai.choice}; the JSON attributes
 *       {@code gen_ai.prompt} and {@code gen_ai.completion}.</li>
 *   <li>OpenInference: {@code llm.input_messages.<i>.message.*}, {@code llm.output_messages.<i>.message.*} (with
 *       {@code .contents.<j>.message_content.text} and {@code .tool_calls.<k>.tool_call.*}),
 *       {@code retrieval.documents.<i>.document.*}, {@code reranker.output_documents.<i>.document.*},
 *       {@code reranker.query}, and {@code input.value} of a RETRIEVER span.</li>
 *   <li>OpenLLMetry: {@code gen_ai.prompt.<i>.*}, {@code gen_ai.completion.<i>.*} (with {@code .tool_calls.<k>.*}).</li>
 *   <li>Vercel AI SDK: {@code ai.prompt.messages}, {@code ai.prompt} ({@code system}, {@code prompt},
 *       {@code messages}), {@code ai.response.text}, {@code ai.response.toolCalls}, {@code ai.response.finishReason}.
 *   </li>
 *   <li>Langfuse: {@code langfuse.observation.input}, {@code langfuse.observation.output}.</li>
 * </ul>
 *
 * Indexed attributes are read in numeric order ({@code documents.10} after {@code documents.9}). Stateless and
 * thread-safe.
 */
public final class ContentExtractor {
    private ContentExtractor() {
    }

    /** The content of a span given its attributes and events. */
    public static LlmContent extract(List<Attribute> attributes, List<SpanEventData> events) {
        Map<String, AttributeValue> a = new HashMap<>(attributes.size() * 2);
        for (Attribute x : attributes) {
            a.putIfAbsent(x.key(), x.value());
        }
        Map<String, NormSource> sources = new LinkedHashMap<>();

        // input and output messages, by source precedence
        EnumMap<NormSource, List<Message>> inputs = new EnumMap<>(NormSource.class);
        EnumMap<NormSource, List<Message>> outputs = new EnumMap<>(NormSource.class);
        Map<String, AttributeValue> details = detailsEvent(events);
        put(inputs, NormSource.OTEL_GENAI, messages(value(a, details, "gen_ai.input.messages")));
        put(outputs, NormSource.OTEL_GENAI, messages(value(a, details, "gen_ai.output.messages")));
        put(inputs, NormSource.OTEL_GENAI_DEPRECATED, eventMessages(events, false));
        put(outputs, NormSource.OTEL_GENAI_DEPRECATED, eventMessages(events, true));
        put(inputs, NormSource.OTEL_GENAI_DEPRECATED, messages(a.get("gen_ai.prompt")));
        put(outputs, NormSource.OTEL_GENAI_DEPRECATED, messages(a.get("gen_ai.completion")));
        put(inputs, NormSource.OPENINFERENCE, indexedMessages(a, "llm.input_messages.", true));
        put(outputs, NormSource.OPENINFERENCE, indexedMessages(a, "llm.output_messages.", true));
        put(inputs, NormSource.OPENLLMETRY, indexedMessages(a, "gen_ai.prompt.", false));
        put(outputs, NormSource.OPENLLMETRY, indexedMessages(a, "gen_ai.completion.", false));
        Object aiPrompt = plain(a.get("ai.prompt"));
        put(inputs, NormSource.VERCEL_AI, messages(a.get("ai.prompt.messages")));
        if (aiPrompt instanceof Map<?, ?> p) {
            List<Message> fromPrompt = messages(p.get("messages"));
            if (fromPrompt.isEmpty() && p.get("prompt") instanceof String text) {
                fromPrompt = List.of(new Message("user", text, List.of(), null, null));
            }
            put(inputs, NormSource.VERCEL_AI, fromPrompt);
        }
        put(outputs, NormSource.VERCEL_AI, vercelOutput(a));
        put(inputs, NormSource.LANGFUSE, langfuseMessages(a.get("langfuse.observation.input"), "user"));
        put(outputs, NormSource.LANGFUSE, langfuseMessages(a.get("langfuse.observation.output"), "assistant"));
        List<Message> input = first(inputs, "input", sources);
        List<Message> output = first(outputs, "output", sources);

        // system instructions: an explicit attribute, else the input's system messages
        String system = null;
        String explicit = partsText(plain(value(a, details, "gen_ai.system_instructions")));
        if (explicit != null) {
            system = explicit;
            sources.put("system", NormSource.OTEL_GENAI);
        } else if (aiPrompt instanceof Map<?, ?> p && p.get("system") instanceof String s && !s.isBlank()) {
            system = s;
            sources.put("system", NormSource.VERCEL_AI);
        } else if (text(a.get("ai.prompt.system")) != null) {
            system = text(a.get("ai.prompt.system"));
            sources.put("system", NormSource.VERCEL_AI);
        } else {
            StringBuilder sb = new StringBuilder();
            for (Message m : input) {
                if (("system".equals(m.role()) || "developer".equals(m.role())) && m.text() != null) {
                    sb.append(sb.length() == 0 ? "" : "\n\n").append(m.text());
                }
            }
            if (sb.length() > 0) {
                system = sb.toString();
                sources.put("system", sources.get("input"));
            }
        }

        // retrieved documents and the query
        EnumMap<NormSource, List<Document>> docs = new EnumMap<>(NormSource.class);
        put(docs, NormSource.OTEL_GENAI, jsonDocuments(a.get("gen_ai.retrieval.documents")));
        put(docs, NormSource.OPENINFERENCE, indexedDocuments(a, "retrieval.documents."));
        put(docs, NormSource.OPENINFERENCE, indexedDocuments(a, "reranker.output_documents."));
        List<Document> documents = first(docs, "documents", sources);
        String query = text(a.get("gen_ai.retrieval.query.text"));
        NormSource querySource = NormSource.OTEL_GENAI;
        if (query == null) {
            query = text(a.get("reranker.query"));
            querySource = NormSource.OPENINFERENCE;
        }
        if (query == null && "RETRIEVER".equalsIgnoreCase(String.valueOf(text(a.get("openinference.span.kind"))))) {
            query = text(a.get("input.value"));
        }
        if (query != null) {
            sources.put("query", querySource);
        }
        if (system == null && input.isEmpty() && output.isEmpty() && documents.isEmpty() && query == null) {
            return LlmContent.NONE;
        }
        return new LlmContent(system, input, output, documents, query, sources);
    }

    // ------------------------------------------------------------------ helpers

    private static <T> void put(EnumMap<NormSource, List<T>> m, NormSource s, List<T> values) {
        if (!values.isEmpty()) {
            m.putIfAbsent(s, values);
        }
    }

    private static <T> List<T> first(EnumMap<NormSource, List<T>> m, String part, Map<String, NormSource> sources) {
        for (Map.Entry<NormSource, List<T>> e : m.entrySet()) {
            sources.put(part, e.getKey());
            return e.getValue();
        }
        return List.of();
    }

    /** The attributes of a gen_ai.client.inference.operation.details event (where content may be instead). */
    private static Map<String, AttributeValue> detailsEvent(List<SpanEventData> events) {
        for (SpanEventData e : events) {
            if ("gen_ai.client.inference.operation.details".equals(e.name())) {
                Map<String, AttributeValue> m = new HashMap<>();
                for (Attribute x : e.attributes()) {
                    m.putIfAbsent(x.key(), x.value());
                }
                return m;
            }
        }
        return Map.of();
    }

    private static AttributeValue value(Map<String, AttributeValue> a, Map<String, AttributeValue> details, String k) {
        AttributeValue v = a.get(k);
        return v != null ? v : details.get(k);
    }

    private static Object plain(AttributeValue v) {
        return v == null ? null : JsonTree.of(v);
    }

    private static String text(AttributeValue v) {
        if (v == null) {
            return null;
        }
        String s = v instanceof AttributeValue.Str str ? str.value() : String.valueOf(JsonTree.of(v));
        return s == null || s.isBlank() ? null : s;
    }

    private static String str(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof String s) {
            return s.isEmpty() ? null : s;
        }
        return JsonTree.write(o);
    }

    private static List<Message> messages(AttributeValue v) {
        return messages(plain(v));
    }

    /** A list of message objects in any of the common shapes. */
    @SuppressWarnings("unchecked")
    static List<Message> messages(Object o) {
        if (o instanceof Map<?, ?> m && m.get("messages") instanceof List<?> l) {
            o = l;
        }
        if (!(o instanceof List<?> list)) {
            return List.of();
        }
        List<Message> out = new ArrayList<>();
        List<ToolCall> looseCalls = new ArrayList<>();
        for (Object x : list) {
            if (!(x instanceof Map<?, ?> mm)) {
                continue;
            }
            Map<String, Object> m = (Map<String, Object>) mm;
            if (m.containsKey("role") || m.containsKey("content") || m.containsKey("parts")) {
                out.add(message(m, null));
            } else if (m.get("message") instanceof Map<?, ?> inner) {
                // a choice: {index, message: {...}, finish_reason}
                Map<String, Object> msg = new LinkedHashMap<>((Map<String, Object>) inner);
                msg.putIfAbsent("finish_reason", m.get("finish_reason"));
                out.add(message(msg, "assistant"));
            } else if (m.containsKey("toolName") || m.containsKey("function")
                    || (m.containsKey("name") && (m.containsKey("arguments") || m.containsKey("args")))) {
                Object f = m.get("function");
                Map<?, ?> fn = f instanceof Map<?, ?> fm ? fm : m;
                looseCalls.add(new ToolCall(str(firstOf(m, "id", "toolCallId")), str(firstOf((Map<String, Object>) fn,
                        "name", "toolName")), str(firstOf((Map<String, Object>) fn, "arguments", "args", "input"))));
            }
        }
        if (!looseCalls.isEmpty()) {
            // a bare list of tool calls (Vercel's response as Langfuse records it)
            out.add(new Message("assistant", null, looseCalls, null, null));
        }
        return out;
    }

    /**
     * One message: OTel's {@code {role, parts:[…], finish_reason}}, OpenAI's {@code {role, content, tool_calls}},
     * Vercel's and Anthropic's {@code {role, content:[{type:'text'|'tool-call'|…}]}}.
     */
    @SuppressWarnings("unchecked")
    private static Message message(Map<String, Object> m, String defaultRole) {
        String role = str(m.get("role"));
        if (role == null) {
            role = defaultRole;
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        String toolCallId = str(m.get("tool_call_id"));
        Object parts = m.containsKey("parts") ? m.get("parts") : m.get("content");
        if (parts instanceof String s) {
            text.append(s);
        } else if (parts instanceof List<?> list) {
            for (Object p : list) {
                if (p instanceof String s) {
                    append(text, s);
                } else if (p instanceof Map<?, ?> pm) {
                    Map<String, Object> part = (Map<String, Object>) pm;
                    String type = String.valueOf(part.get("type")).toLowerCase(Locale.ROOT).replace('-', '_');
                    switch (type) {
                        case "text", "output_text", "input_text" -> append(text, str(part.containsKey("content")
                                ? part.get("content") : part.get("text")));
                        case "tool_call", "function_call", "tool_use" -> calls.add(new ToolCall(
                                str(firstOf(part, "id", "toolCallId", "call_id")),
                                str(firstOf(part, "name", "toolName")),
                                str(firstOf(part, "arguments", "args", "input"))));
                        case "tool_call_response", "tool_result", "function_call_output" -> {
                            append(text, str(firstOf(part, "response", "result", "output", "content")));
                            if (toolCallId == null) {
                                toolCallId = str(firstOf(part, "id", "toolCallId", "call_id", "tool_use_id"));
                            }
                        }
                        case "reasoning", "thinking" -> append(text, "[reasoning] " + str(firstOf(part, "content",
                                "text", "thinking")));
                        default -> {
                            Object t = firstOf(part, "content", "text");
                            if (t instanceof String s) {
                                append(text, s);
                            }
                        }
                    }
                }
            }
        }
        if (m.get("tool_calls") instanceof List<?> tcs) {
            for (Object tc : tcs) {
                if (tc instanceof Map<?, ?> t) {
                    Object f = t.get("function");
                    Map<?, ?> fn = f instanceof Map<?, ?> fm ? fm : t;
                    calls.add(new ToolCall(str(t.get("id")), str(fn.get("name")), str(fn.get("arguments"))));
                }
            }
        }
        return new Message(role, text.length() == 0 ? null : text.toString(), calls, toolCallId,
                str(m.get("finish_reason")));
    }

    private static Object firstOf(Map<String, Object> m, String... keys) {
        for (String k : keys) {
            Object v = m.get(k);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static void append(StringBuilder sb, String s) {
        if (s != null && !s.isEmpty()) {
            sb.append(sb.length() == 0 ? "" : "\n").append(s);
        }
    }

    /** Text of OTel parts ([{type:text, content}]), a plain string, or null. */
    @SuppressWarnings("unchecked")
    private static String partsText(Object o) {
        if (o instanceof String s) {
            return s.isBlank() ? null : s;
        }
        if (o instanceof List<?> l) {
            StringBuilder sb = new StringBuilder();
            for (Object p : l) {
                if (p instanceof Map<?, ?> m) {
                    append(sb, str(((Map<String, Object>) m).getOrDefault("content", m.get("text"))));
                } else if (p instanceof String s) {
                    append(sb, s);
                }
            }
            return sb.length() == 0 ? null : sb.toString();
        }
        return null;
    }

    /** Messages from the deprecated per-message events, in event order; {@code output} picks gen_ai.choice. */
    @SuppressWarnings("unchecked")
    private static List<Message> eventMessages(List<SpanEventData> events, boolean output) {
        List<Message> out = new ArrayList<>();
        for (SpanEventData e : events) {
            String role = switch (e.name()) {
                case "gen_ai.system.message" -> "system";
                case "gen_ai.user.message" -> "user";
                case "gen_ai.assistant.message" -> "assistant";
                case "gen_ai.tool.message" -> "tool";
                case "gen_ai.choice" -> "assistant";
                default -> null;
            };
            if (role == null || output != e.name().equals("gen_ai.choice")) {
                continue;
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Attribute x : e.attributes()) {
                fields.putIfAbsent(x.key(), JsonTree.of(x.value()));
            }
            Map<String, Object> m = fields.get("message") instanceof Map<?, ?> mm
                    ? new LinkedHashMap<>((Map<String, Object>) mm) : fields;
            if (fields.get("finish_reason") != null) {
                m.putIfAbsent("finish_reason", fields.get("finish_reason"));
            }
            if (fields.get("id") != null && "tool".equals(role)) {
                m.putIfAbsent("tool_call_id", fields.get("id"));
            }
            out.add(message(m, m.get("role") == null ? role : null));
        }
        return out;
    }

    /**
     * Indexed attributes under {@code prefix}: index → (rest of the key → value), in numeric index order.
     */
    private static TreeMap<Integer, Map<String, AttributeValue>> indexed(Map<String, AttributeValue> a,
            String prefix) {
        TreeMap<Integer, Map<String, AttributeValue>> out = new TreeMap<>();
        for (Map.Entry<String, AttributeValue> e : a.entrySet()) {
            String k = e.getKey();
            if (!k.startsWith(prefix)) {
                continue;
            }
            int dot = k.indexOf('.', prefix.length());
            String idx = dot < 0 ? k.substring(prefix.length()) : k.substring(prefix.length(), dot);
            int i;
            try {
                i = Integer.parseInt(idx);
            } catch (NumberFormatException ex) {
                continue;
            }
            if (i < 0) {
                continue;
            }
            out.computeIfAbsent(i, x -> new HashMap<>()).put(dot < 0 ? "" : k.substring(dot + 1), e.getValue());
        }
        return out;
    }

    /**
     * OpenInference ({@code <i>.message.role}, {@code .message.content}, {@code .message.contents.<j>
     * .message_content.text}, {@code .message.tool_calls.<k>.tool_call.function.name}) when {@code openInference},
     * else OpenLLMetry ({@code <i>.role}, {@code .content}, {@code .tool_calls.<k>.name}).
     */
    private static List<Message> indexedMessages(Map<String, AttributeValue> a, String prefix,
            boolean openInference) {
        List<Message> out = new ArrayList<>();
        String p = openInference ? "message." : "";
        for (Map<String, AttributeValue> m : indexed(a, prefix).values()) {
            String role = text(m.get(p + "role"));
            StringBuilder text = new StringBuilder();
            String content = text(m.get(p + "content"));
            if (content != null) {
                text.append(content);
            }
            for (Map<String, AttributeValue> c : indexed(m, p + "contents.").values()) {
                append(text, text(c.get("message_content.text")));
            }
            List<ToolCall> calls = new ArrayList<>();
            for (Map<String, AttributeValue> t : indexed(m, p + "tool_calls.").values()) {
                if (openInference) {
                    calls.add(new ToolCall(text(t.get("tool_call.id")), text(t.get("tool_call.function.name")),
                            text(t.get("tool_call.function.arguments"))));
                } else {
                    calls.add(new ToolCall(text(t.get("id")), text(t.get("name")), text(t.get("arguments"))));
                }
            }
            if (role == null && text.length() == 0 && calls.isEmpty()) {
                continue;
            }
            out.add(new Message(role, text.length() == 0 ? null : text.toString(), calls,
                    text(m.get(p + "tool_call_id")), text(m.get(openInference ? "message.finish_reason"
                            : "finish_reason"))));
        }
        return out;
    }

    /** Vercel's response: ai.response.text and ai.response.toolCalls as one assistant message. */
    @SuppressWarnings("unchecked")
    private static List<Message> vercelOutput(Map<String, AttributeValue> a) {
        String text = text(a.get("ai.response.text"));
        List<ToolCall> calls = new ArrayList<>();
        if (plain(a.get("ai.response.toolCalls")) instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m) {
                    Map<String, Object> t = (Map<String, Object>) m;
                    calls.add(new ToolCall(str(t.get("toolCallId")), str(t.get("toolName")),
                            str(firstOf(t, "args", "input"))));
                }
            }
        }
        if (text == null && calls.isEmpty()) {
            return List.of();
        }
        return List.of(new Message("assistant", text, calls, null, text(a.get("ai.response.finishReason"))));
    }

    /** Langfuse input/output: a message list, {messages: …}, one message, or plain text. */
    @SuppressWarnings("unchecked")
    private static List<Message> langfuseMessages(AttributeValue v, String role) {
        Object o = plain(v);
        if (o == null) {
            return List.of();
        }
        List<Message> ms = messages(o);
        if (!ms.isEmpty()) {
            return ms;
        }
        if (o instanceof Map<?, ?> m && (m.containsKey("role") || m.containsKey("content"))) {
            return List.of(message((Map<String, Object>) m, role));
        }
        if (o instanceof Map<?, ?> m && (m.get("message") instanceof Map<?, ?> || m.get("choices") instanceof List<?>)) {
            // a completion object: {message} or {choices: [{message}]}
            List<Message> fromChoices = messages(m.get("choices") instanceof List<?> l ? l : List.of(m));
            if (!fromChoices.isEmpty()) {
                return fromChoices;
            }
        }
        if (o instanceof Map<?, ?> m && m.get("prompt") instanceof String prompt && !prompt.isBlank()) {
            return List.of(new Message(role, prompt, List.of(), null, null));
        }
        String s = o instanceof String str ? str : JsonTree.write(o);
        return s.isBlank() ? List.of() : List.of(new Message(role, s, List.of(), null, null));
    }

    /** OTel's gen_ai.retrieval.documents: a JSON array of {id, score, content?, ...}. */
    @SuppressWarnings("unchecked")
    private static List<Document> jsonDocuments(AttributeValue v) {
        if (!(plain(v) instanceof List<?> l)) {
            return List.of();
        }
        List<Document> out = new ArrayList<>();
        for (Object o : l) {
            if (o instanceof Map<?, ?> mm) {
                Map<String, Object> m = (Map<String, Object>) mm;
                Object metadata = m.get("metadata");
                out.add(new Document(str(m.get("id")), number(m.get("score")), str(firstOf(m, "content", "text")),
                        metadata == null ? null : str(metadata)));
            }
        }
        return out;
    }

    private static List<Document> indexedDocuments(Map<String, AttributeValue> a, String prefix) {
        List<Document> out = new ArrayList<>();
        for (Map<String, AttributeValue> d : indexed(a, prefix).values()) {
            Document doc = new Document(text(d.get("document.id")), number(plain(d.get("document.score"))),
                    text(d.get("document.content")), text(d.get("document.metadata")));
            if (doc.id() != null || doc.content() != null || doc.score() != null) {
                out.add(doc);
            }
        }
        return out;
    }

    private static Double number(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
