package dev.tracebench.core.normalize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an LLM span says, whatever convention wrote it: system instructions, the input and output messages (with tool
 * calls), the documents a retrieval returned (in index order) and the query they answered; {@code sources} says which
 * convention gave each part ({@code system}, {@code input}, {@code output}, {@code documents}, {@code query}).
 * Extracted by {@link ContentExtractor}. Empty lists, never null lists.
 */
public record LlmContent(String system, List<Message> input, List<Message> output, List<Document> documents,
        String query, Map<String, NormSource> sources) {

    public LlmContent {
        input = List.copyOf(input);
        output = List.copyOf(output);
        documents = List.copyOf(documents);
        sources = Map.copyOf(sources);
    }

    public static final LlmContent NONE = new LlmContent(null, List.of(), List.of(), List.of(), null, Map.of());

    /** One message: its role, its text (text parts joined), the tool calls it makes or answers, why it ended. */
    public record Message(String role, String text, List<ToolCall> toolCalls, String toolCallId,
            String finishReason) {
        public Message {
            toolCalls = List.copyOf(toolCalls);
        }
    }

    /** A tool call: its id (may be null), the tool's name and the arguments as JSON text. */
    public record ToolCall(String id, String name, String arguments) {
    }

    /** A retrieved document; any field may be null except none at all. */
    public record Document(String id, Double score, String content, String metadata) {
    }

    public boolean isEmpty() {
        return system == null && input.isEmpty() && output.isEmpty() && documents.isEmpty() && query == null;
    }

    /** The tool calls the output messages make. */
    public List<ToolCall> toolCalls() {
        List<ToolCall> out = new ArrayList<>();
        for (Message m : output) {
            out.addAll(m.toolCalls());
        }
        return out;
    }

    /** The answer: the text of the last output message that has text, or null. */
    public String answer() {
        for (int i = output.size() - 1; i >= 0; i--) {
            String t = output.get(i).text();
            if (t != null && !t.isBlank()) {
                return t;
            }
        }
        return null;
    }

    /** The last user message's text (the question), or null. */
    public String question() {
        for (int i = input.size() - 1; i >= 0; i--) {
            Message m = input.get(i);
            if ("user".equals(m.role()) && m.text() != null && !m.text().isBlank()) {
                return m.text();
            }
        }
        return null;
    }
}
