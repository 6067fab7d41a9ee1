package dev.tracebench.core.dataset;

/**
 * One chat message of an example's input (OpenAI evals {@code input}, Phoenix {@code input.messages}). {@code name} may
 * be empty (OpenAI evals few-shot messages carry {@code example_user} / {@code example_assistant}).
 */
public record ChatMessage(String role, String content, String name) {

    public ChatMessage {
        role = role == null ? "user" : role;
        content = content == null ? "" : content;
        name = name == null ? "" : name;
    }

    public ChatMessage(String role, String content) {
        this(role, content, "");
    }
}
