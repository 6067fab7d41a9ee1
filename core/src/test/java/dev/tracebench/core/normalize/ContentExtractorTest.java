package dev.tracebench.core.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.normalize.LlmContent.Document;
import dev.tracebench.core.normalize.LlmContent.Message;
import dev.tracebench.core.normalize.LlmContent.ToolCall;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContentExtractorTest {
    private static LlmContent of(Attribute... attrs) {
        return ContentExtractor.extract(List.of(attrs), List.of());
    }

    private static Attribute a(String k, String v) {
        return Attribute.of(k, v);
    }

    @Test
    void otelGenAiCurrentMessagesWithPartsAndToolCalls() {
        LlmContent c = of(
                a("gen_ai.system_instructions", "[{\"type\":\"text\",\"content\":\"You are terse.\"}]"),
                a("gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi?\"}]},"
                        + "{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"call_1\","
                        + "\"response\":{\"ok\":true}}]}]"),
                a("gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":"
                        + "\"Checking.\"},{\"type\":\"tool_call\",\"id\":\"call_2\",\"name\":\"status\",\"arguments\":"
                        + "{\"tenant\":\"acme\"}}],\"finish_reason\":\"tool_calls\"}]"));
        assertEquals("You are terse.", c.system());
        assertEquals(List.of(new Message("user", "Hi?", List.of(), null, null),
                new Message("tool", "{\"ok\":true}", List.of(), "call_1", null)), c.input());
        assertEquals(List.of(new Message("assistant", "Checking.", List.of(new ToolCall("call_2", "status",
                "{\"tenant\":\"acme\"}")), null, "tool_calls")), c.output());
        assertEquals(NormSource.OTEL_GENAI, c.sources().get("input"));
        assertEquals(NormSource.OTEL_GENAI, c.sources().get("system"));
        assertEquals("Hi?", c.question());
        assertEquals("Checking.", c.answer());
        assertEquals(1, c.toolCalls().size());
    }

    @Test
    void deprecatedPerMessageEvents() {
        List<SpanEventData> events = List.of(
                new SpanEventData(1, "gen_ai.system.message", List.of(a("content", "Be kind."),
                        a("gen_ai.system", "openai")), 0),
                new SpanEventData(2, "gen_ai.user.message", List.of(a("content", "Where is my invoice?")), 0),
                new SpanEventData(3, "gen_ai.choice", List.of(Attribute.of("index", 0L), a("finish_reason", "stop"),
                        a("message", "{\"role\":\"assistant\",\"content\":\"Under Billing.\",\"tool_calls\":"
                                + "[{\"id\":\"c9\",\"type\":\"function\",\"function\":{\"name\":\"lookup\","
                                + "\"arguments\":\"{\\\"q\\\":1}\"}}]}")), 0));
        LlmContent c = ContentExtractor.extract(List.of(), events);
        assertEquals("Be kind.", c.system());
        assertEquals(List.of("system", "user"), c.input().stream().map(Message::role).toList());
        assertEquals("Where is my invoice?", c.question());
        Message out = c.output().get(0);
        assertEquals("Under Billing.", out.text());
        assertEquals("stop", out.finishReason());
        assertEquals(List.of(new ToolCall("c9", "lookup", "{\"q\":1}")), out.toolCalls());
        assertEquals(NormSource.OTEL_GENAI_DEPRECATED, c.sources().get("output"));
    }

    @Test
    void openInferenceFlattenedMessagesToolCallsAndDocumentsInNumericOrder() {
        List<Attribute> attrs = new ArrayList<>(List.of(
                a("openinference.span.kind", "LLM"),
                a("llm.input_messages.0.message.role", "system"),
                a("llm.input_messages.0.message.content", "Answer from context."),
                a("llm.input_messages.1.message.role", "user"),
                a("llm.input_messages.1.message.contents.0.message_content.type", "text"),
                a("llm.input_messages.1.message.contents.0.message_content.text", "part one"),
                a("llm.input_messages.1.message.contents.1.message_content.text", "part two"),
                a("llm.output_messages.0.message.role", "assistant"),
                a("llm.output_messages.0.message.tool_calls.0.tool_call.id", "t1"),
                a("llm.output_messages.0.message.tool_calls.0.tool_call.function.name", "search"),
                a("llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments", "{\"q\":\"x\"}")));
        for (int i = 11; i >= 0; i--) {
            attrs.add(a("retrieval.documents." + i + ".document.id", "doc-" + i));
            attrs.add(Attribute.of("retrieval.documents." + i + ".document.score", 1.0 - i / 100.0));
            attrs.add(a("retrieval.documents." + i + ".document.content", "text " + i));
        }
        LlmContent c = ContentExtractor.extract(attrs, List.of());
        assertEquals("Answer from context.", c.system(), "a system-role input message is the system instruction");
        assertEquals("part one\npart two", c.input().get(1).text());
        assertEquals(List.of(new ToolCall("t1", "search", "{\"q\":\"x\"}")), c.toolCalls());
        assertEquals(12, c.documents().size());
        // documents.10 comes after documents.9, not after documents.1
        assertEquals(List.of("doc-0", "doc-1", "doc-2", "doc-3", "doc-4", "doc-5", "doc-6", "doc-7", "doc-8", "doc-9",
                "doc-10", "doc-11"), c.documents().stream().map(Document::id).toList());
        assertEquals(new Document("doc-10", 0.9, "text 10", null), c.documents().get(10));
        assertEquals(NormSource.OPENINFERENCE, c.sources().get("documents"));
    }

    @Test
    void openLlmetryIndexedPromptsAndCompletions() {
        LlmContent c = of(a("gen_ai.prompt.0.role", "user"), a("gen_ai.prompt.0.content", "Summarise ticket 42"),
                a("gen_ai.completion.0.role", "assistant"), a("gen_ai.completion.0.content", "Printer jam."),
                a("gen_ai.completion.0.finish_reason", "stop"),
                a("gen_ai.completion.0.tool_calls.0.name", "close_ticket"),
                a("gen_ai.completion.0.tool_calls.0.arguments", "{\"id\":42}"));
        assertEquals("Summarise ticket 42", c.question());
        assertEquals(new Message("assistant", "Printer jam.", List.of(new ToolCall(null, "close_ticket",
                "{\"id\":42}")), null, "stop"), c.output().get(0));
        assertEquals(NormSource.OPENLLMETRY, c.sources().get("input"));
    }

    @Test
    void vercelPromptAndResponse() {
        LlmContent c = of(a("ai.prompt", "{\"system\":\"You help.\",\"messages\":[{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"text\",\"text\":\"Weather?\"}]}]}"),
                a("ai.response.text", "Sunny."), a("ai.response.finishReason", "stop"),
                a("ai.response.toolCalls", "[{\"toolCallType\":\"function\",\"toolCallId\":\"v1\",\"toolName\":"
                        + "\"weather\",\"args\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}]"));
        assertEquals("You help.", c.system());
        assertEquals("Weather?", c.question());
        assertEquals("Sunny.", c.answer());
        assertEquals(List.of(new ToolCall("v1", "weather", "{\"city\":\"Oslo\"}")), c.toolCalls());
        assertEquals(NormSource.VERCEL_AI, c.sources().get("output"));
    }

    @Test
    void langfuseInputAndOutput() {
        LlmContent c = of(a("langfuse.observation.input", "[{\"role\":\"user\",\"content\":\"2+2?\"}]"),
                a("langfuse.observation.output", "{\"role\":\"assistant\",\"content\":\"4\"}"));
        assertEquals("2+2?", c.question());
        assertEquals("4", c.answer());
        LlmContent plain = of(a("langfuse.observation.input", "just text"), a("langfuse.observation.output", "ok"));
        assertEquals("just text", plain.question());
        assertEquals("ok", plain.answer());
    }

    @Test
    void retrievalDocumentsAndQueryFromOtel() {
        LlmContent c = of(a("gen_ai.retrieval.query.text", "reset password"),
                a("gen_ai.retrieval.documents", "[{\"id\":\"kb-1\",\"score\":0.91},{\"id\":\"kb-7\",\"score\":0.5,"
                        + "\"content\":\"Use the link.\"}]"));
        assertEquals("reset password", c.query());
        assertEquals(List.of(new Document("kb-1", 0.91, null, null), new Document("kb-7", 0.5, "Use the link.", null)),
                c.documents());
    }

    @Test
    void theFirstConventionInPrecedenceWins() {
        LlmContent c = of(a("gen_ai.prompt.0.role", "user"), a("gen_ai.prompt.0.content", "from openllmetry"),
                a("llm.input_messages.0.message.role", "user"),
                a("llm.input_messages.0.message.content", "from openinference"));
        assertEquals("from openinference", c.question());
        assertEquals(NormSource.OPENINFERENCE, c.sources().get("input"));
    }

    @Test
    void spansWithoutContentAndJunkGiveNothing() {
        assertSame(LlmContent.NONE, of(a("http.route", "/x"), a("db.system", "postgresql")));
        LlmContent junk = of(a("gen_ai.input.messages", "not json ["), a("gen_ai.output.messages", "42"),
                a("retrieval.documents.x.document.id", "bad index"), a("gen_ai.retrieval.documents", "{}"));
        assertTrue(junk.isEmpty());
        assertNull(junk.answer());
    }
}
