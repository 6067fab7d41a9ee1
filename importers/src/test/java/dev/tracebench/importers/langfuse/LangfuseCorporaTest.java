package dev.tracebench.importers.langfuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.importers.ImporterTestBase;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every Langfuse trace export of the shared corpora: observation counts after removing the duplicated copies, ids,
 * parents, times, resources and scopes from the original OTel span, attribute values and the Langfuse fields.
 */
class LangfuseCorporaTest extends ImporterTestBase {
    private static final String DIR = "langfuse-framework-traces/";

    static AttributeValue attr(SpanDetail s, String key) {
        return s.attributes().stream().filter(a -> a.key().equals(key)).map(Attribute::value).findFirst()
                .orElse(null);
    }

    static String str(SpanDetail s, String key) {
        AttributeValue v = attr(s, key);
        if (v instanceof AttributeValue.Str x) {
            return x.value();
        }
        throw new AssertionError(key + " is not a string attribute of " + s.name() + ": " + v);
    }

    private ImportReport imported(String file, int spans) {
        ImportReport r = importFile(corpus(DIR + file));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("langfuse-json", r.format());
        assertEquals(spans, r.spansRead(), "each observation once, though the file holds it twice");
        assertEquals(spans, r.spansAdded());
        assertEquals(0, r.rejected(), r.problems().toString());
        assertEquals(0, r.warnings(), r.problems().toString());
        assertEquals(1, ws.traces().stats().traces());
        return r;
    }

    @Test
    void llamaIndexViaOpenInference() {
        imported("llamaindex-2025-06-05.trace.json", 2);
        TraceDetail t = trace("12ea412956f99347b0503c1144acd0ec");
        assertEquals(2, t.spans().size());
        SpanDetail root = span(t, "3344aabdd4e66110");
        assertNull(root.parentSpanId());
        assertEquals("llama-index-trace", root.name());
        assertEquals(SpanKind.INTERNAL, root.kind());
        assertEquals(StatusCode.UNSET, root.status());
        assertEquals(1749138352971000000L, root.startNs());
        assertEquals(2_779_000_000L, root.durationNs());
        assertEquals("SPAN", str(root, "langfuse.observation.type"));
        // the trace's own fields land on its root observation
        assertEquals("llama-index-trace", str(root, "langfuse.trace.name"));
        assertEquals("user_123", str(root, "user.id"));
        assertEquals("session_abc", str(root, "session.id"));
        assertEquals(new AttributeValue.Array(List.of(new AttributeValue.Str("llama-index"),
                new AttributeValue.Str("rag"))), attr(root, "langfuse.trace.tags"));
        assertEquals("\"What is Langfuse?\"", str(root, "langfuse.trace.input"));
        assertEquals("user@langfuse.com", str(root, "langfuse.trace.metadata.email"));
        assertEquals("1.0.0", str(root, "langfuse.version"));
        assertEquals("default", str(root, "langfuse.environment"));
        assertNull(attr(root, "langfuse.observation.model.name"));
        assertNull(attr(root, "langfuse.observation.usage_details"), "an empty map says nothing and is left out");
        ScopeData sdk = t.scopes().get(root.scopeId());
        assertEquals("langfuse-sdk", sdk.name());
        assertEquals("3.0.0", sdk.version());
        assertEquals(List.of(Attribute.of("public_key", "pk-lf-5855d85e-3943-497e-bd10-f50ad414bcba")),
                sdk.attributes());
        assertEquals("unknown_service", root.serviceName());
        assertEquals(List.of(Attribute.of("telemetry.sdk.language", "python"), Attribute.of("telemetry.sdk.name",
                "opentelemetry"), Attribute.of("telemetry.sdk.version", "1.33.1"), Attribute.of("service.name",
                "unknown_service")), t.resources().get(root.resourceId()).attributes());

        SpanDetail gen = span(t, "7ca8b22f6628d0c7");
        assertEquals(root.spanId(), gen.parentSpanId());
        assertEquals("OpenAI.complete", gen.name());
        assertEquals(1749138352971000000L, gen.startNs());
        assertEquals(2_776_000_000L, gen.durationNs());
        // the original OTel attributes, as Langfuse kept them (strings)
        // 16 original attributes and 9 Langfuse fields (type, model name and parameters, usage, cost, level, input,
        // output, environment)
        assertEquals(16 + 9, gen.attributes().size(), gen.attributes().toString());
        assertEquals("13", str(gen, "llm.token_count.prompt"));
        assertEquals("LLM", str(gen, "openinference.span.kind"));
        assertEquals("gpt-4o", str(gen, "llm.model_name"));
        assertEquals("[\"What is Langfuse?\"]", str(gen, "llm.prompts"));
        assertEquals("GENERATION", str(gen, "langfuse.observation.type"));
        assertEquals("gpt-4o", str(gen, "langfuse.observation.model.name"));
        assertEquals("{\"context_window\":128000,\"num_output\":-1,\"is_chat_model\":true,\"is_function_calling_model\""
                + ":true,\"model_name\":\"gpt-4o\",\"system_role\":\"system\"}",
                str(gen, "langfuse.observation.model.parameters"));
        assertEquals("{\"input\":13,\"prompt_details.cache_read\":0,\"prompt_details.audio\":0,\"output\":81,"
                + "\"completion_details.reasoning\":0,\"completion_details.audio\":0,\"total\":94}",
                str(gen, "langfuse.observation.usage_details"));
        assertEquals("{\"input\":0.0000325,\"output\":0.00081,\"total\":0.000842499999}",
                str(gen, "langfuse.observation.cost_details"), "numbers as the file writes them");
        assertEquals("DEFAULT", str(gen, "langfuse.observation.level"));
        assertEquals("{\"args\": [\"What is Langfuse?\"]}", str(gen, "langfuse.observation.input"));
        assertTrue(str(gen, "langfuse.observation.output").startsWith("Langfuse is a tool designed to help"));
        assertNull(attr(gen, "langfuse.trace.name"), "trace fields only on roots");
        ScopeData oi = t.scopes().get(gen.scopeId());
        assertEquals("openinference.instrumentation.llama_index", oi.name());
        assertEquals("4.3.0", oi.version());
        assertEquals(root.resourceId(), gen.resourceId(), "identical resources are one");
        // the normaliser reads the string token counts
        assertEquals(13L, gen.llm().inputTokens());
        assertEquals(81L, gen.llm().outputTokens());
        assertEquals("inference", gen.llm().stage());
        assertEquals(2, count("SELECT count(*) FROM scopes"));
        assertEquals(1, count("SELECT count(*) FROM resources"));
    }

    @Test
    void openAiAgentsWithNestedAgentsAndToolCalls() {
        imported("openai-agents-2025-09-30.trace.json", 5);
        TraceDetail t = trace("fee618f96dc31e0ca38b2f7b26eb8b29");
        SpanDetail workflow = span(t, "e5a76f27f51ad40e");
        assertNull(workflow.parentSpanId());
        assertEquals("Agent workflow", workflow.name());
        assertEquals("AGENT", str(workflow, "langfuse.observation.type"));
        assertEquals("AGENT", str(workflow, "openinference.span.kind"));
        assertEquals("Agent workflow", str(workflow, "langfuse.trace.name"));
        assertNull(attr(workflow, "user.id"), "the trace has no user");
        SpanDetail agent = span(t, "d950b668796240b5");
        assertEquals(workflow.spanId(), agent.parentSpanId());
        assertEquals("Hello world", str(agent, "graph.node.id"));
        SpanDetail first = span(t, "98870087af69bf06");
        SpanDetail second = span(t, "90d94774e8e3724d");
        SpanDetail tool = span(t, "5b99c3e3411ed17b");
        for (SpanDetail s : List.of(first, second, tool)) {
            assertEquals(agent.spanId(), s.parentSpanId());
        }
        assertEquals(1759223039963000000L, first.startNs());
        assertEquals(1_036_000_000L, first.durationNs());
        assertEquals("55", str(first, "llm.token_count.prompt"));
        assertEquals("get_weather", str(first, "llm.output_messages.0.message.tool_calls.0.tool_call.function.name"));
        assertEquals("{\"city\":\"Tokyo\"}",
                str(first, "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments"));
        assertEquals("gpt-4.1-2025-04-14", str(second, "langfuse.observation.model.name"));
        assertEquals("85", str(second, "llm.token_count.prompt"));
        assertEquals("tool", str(second, "llm.input_messages.3.message.role"));
        assertEquals(1759223041000000000L, tool.startNs());
        assertEquals(0, tool.durationNs());
        assertEquals("TOOL", str(tool, "langfuse.observation.type"));
        assertEquals("The weather in Tokyo is sunny.", str(tool, "output.value"));
        assertEquals("openinference.instrumentation.openai_agents", t.scopes().get(tool.scopeId()).name());
        assertEquals("1.3.0", t.scopes().get(tool.scopeId()).version());
    }

    @Test
    void pydanticAiWithLogfireAttributes() {
        imported("pydantic-ai-2025-06-06.trace.json", 3);
        TraceDetail t = trace("25f4bdeebaab60e6e1bee7e8469554bc");
        SpanDetail root = span(t, "538fed87d11686d3");
        assertNull(root.parentSpanId());
        assertEquals("pydantic-ai-qa-trace", root.name());
        assertEquals(new AttributeValue.Array(List.of(new AttributeValue.Str("dev"),
                new AttributeValue.Str("pydantic-ai"))), attr(root, "langfuse.trace.tags"));
        assertEquals("user_123", str(root, "user.id"));
        SpanDetail run = span(t, "0a4fac2553f22f2e");
        assertEquals(root.spanId(), run.parentSpanId());
        assertEquals("qa_agent run", str(run, "logfire.msg"));
        assertEquals("qa_agent", str(run, "agent_name"));
        assertEquals(4_795_000_000L, run.durationNs());
        SpanDetail chat = span(t, "5cb389a3bdd21a6e");
        assertEquals(run.spanId(), chat.parentSpanId());
        assertEquals("chat gpt-4o", chat.name());
        assertEquals(1749220828562000000L, chat.startNs());
        assertEquals(4_794_000_000L, chat.durationNs());
        assertEquals("31", str(chat, "gen_ai.usage.input_tokens"));
        assertEquals("96", str(chat, "gen_ai.usage.output_tokens"));
        assertEquals("chat", str(chat, "gen_ai.operation.name"));
        assertEquals("GENERATION", str(chat, "langfuse.observation.type"));
        assertEquals("gpt-4o", str(chat, "langfuse.observation.model.name"));
        assertNull(attr(chat, "langfuse.observation.model.parameters"), "{} is left out");
        assertEquals("pydantic-ai", t.scopes().get(chat.scopeId()).name());
        assertEquals("0.2.15", t.scopes().get(chat.scopeId()).version());
        assertEquals(31L, chat.llm().inputTokens());
        assertEquals("openai", chat.llm().provider());
    }

    @Test
    void vercelAiSdkWithANodeResource() {
        imported("vercel-aisdk-2025-11-17.trace.json", 3);
        TraceDetail t = trace("df41e597d0a85e0d7a6ae8ebfaa70aa0");
        SpanDetail root = span(t, "1dc6768109615657");
        assertNull(root.parentSpanId());
        assertEquals("ai.generateText", root.name());
        assertEquals("GENERATION", str(root, "langfuse.observation.type"));
        assertEquals("gpt-5", str(root, "langfuse.observation.model.name"));
        assertEquals("gpt-5", str(root, "ai.model.id"));
        assertEquals("2", str(root, "ai.settings.maxRetries"), "Langfuse kept the attribute as a string");
        assertEquals(1763391318786000000L, root.startNs());
        assertEquals(3_045_000_000L, root.durationNs());
        assertEquals("unknown_service:/opt/homebrew/bin/deno", root.serviceName());
        List<Attribute> res = t.resources().get(root.resourceId()).attributes();
        assertEquals(16, res.size());
        // resource attributes keep their JSON types
        assertTrue(res.contains(Attribute.of("process.pid", 22217)), res.toString());
        assertTrue(res.contains(new Attribute("process.command_args", new AttributeValue.Array(List.of(
                new AttributeValue.Str("/opt/homebrew/bin/deno"), new AttributeValue.Str(
                        "/Users/jannik/Documents/GitHub/langfuse-docs/cookbook/$deno$jupyter.mts"))))), res.toString());
        assertEquals("ai", t.scopes().get(root.scopeId()).name());
        assertEquals("", t.scopes().get(root.scopeId()).version());
        SpanDetail gen = span(t, "91a17a2274bfd23f");
        assertEquals(root.spanId(), gen.parentSpanId());
        assertEquals("62", str(gen, "gen_ai.usage.input_tokens"));
        assertEquals("[\"tool-calls\"]", str(gen, "gen_ai.response.finish_reasons"));
        // a metadata key beside the OTel span (SDK-added) is kept under the metadata prefix
        AttributeValue.Array tools = (AttributeValue.Array) attr(gen, "langfuse.observation.metadata.tools");
        assertEquals(1, tools.values().size());
        assertTrue(((AttributeValue.Str) tools.values().get(0)).value().startsWith(
                "{\"type\":\"function\",\"name\":\"getWeather\""), tools.toString());
        SpanDetail tool = span(t, "e9bb8c191e1e4706");
        assertEquals(root.spanId(), tool.parentSpanId());
        assertEquals("getWeather", str(tool, "ai.toolCall.name"));
        assertEquals("{\"location\":\"San Francisco\"}", str(tool, "langfuse.observation.input"));
        assertEquals("{\"location\":\"San Francisco\",\"temperature\":64}", str(tool, "langfuse.observation.output"));
        assertEquals(0, tool.durationNs());
    }

    @Test
    void langGraphViaTheCallbackHandlerHasNoOtelAttributes() {
        imported("langgraph-python-2025-08-22.trace.json", 9);
        TraceDetail t = trace("e1fde3efec57ce8a69bafd3fb928a7eb");
        SpanDetail root = span(t, "b024c7ee7680b708");
        assertNull(root.parentSpanId());
        assertEquals("LangGraph", root.name());
        assertEquals(1755855536228000000L, root.startNs());
        assertEquals(2_610_000_000L, root.durationNs());
        assertEquals("LangGraph", str(root, "langfuse.trace.name"));
        // SDK-native metadata, typed by its JSON type
        assertEquals("demo-thread-1", str(root, "langfuse.observation.metadata.thread_id"));
        assertEquals(new AttributeValue.Array(List.of(new AttributeValue.Str("langgraph"), new AttributeValue.Str(
                "demo"), new AttributeValue.Str("langfuse"))), attr(root, "langfuse.observation.metadata.tags"));
        SpanDetail agent1 = span(t, "98d3e02591797c04");
        SpanDetail tools = span(t, "c8a18a38a3a115cb");
        SpanDetail agent2 = span(t, "3b239b11cbb2ac0b");
        for (SpanDetail s : List.of(agent1, tools, agent2)) {
            assertEquals(root.spanId(), s.parentSpanId(), s.name());
        }
        assertEquals(tools.spanId(), span(t, "21441266a9f21251").parentSpanId());
        assertEquals(agent1.spanId(), span(t, "4f6535aaebcda355").parentSpanId());
        assertEquals(agent1.spanId(), span(t, "c7fbfdc6ab70ca4d").parentSpanId());
        assertEquals(agent2.spanId(), span(t, "5ba09605e0929d78").parentSpanId());
        assertEquals(agent2.spanId(), span(t, "e638064431445dce").parentSpanId());
        SpanDetail gen = span(t, "4f6535aaebcda355");
        assertEquals("ChatOpenAI", gen.name());
        assertEquals(1755855536232000000L, gen.startNs());
        assertEquals(848_000_000L, gen.durationNs());
        assertEquals("GENERATION", str(gen, "langfuse.observation.type"));
        assertEquals("gpt-4o-2024-08-06", str(gen, "langfuse.observation.model.name"));
        assertEquals("{\"temperature\":0}", str(gen, "langfuse.observation.model.parameters"));
        assertEquals("{\"input\":60,\"output\":15,\"total\":75,\"input_audio\":0,\"input_cache_read\":0,"
                + "\"output_audio\":0,\"output_reasoning\":0}", str(gen, "langfuse.observation.usage_details"));
        assertEquals("{\"input\":0.00006,\"output\":0.000015,\"total\":0.000075}",
                str(gen, "langfuse.observation.cost_details"));
        assertEquals("openai", str(gen, "langfuse.observation.metadata.ls_provider"));
        assertEquals(new AttributeValue.Int(1), attr(gen, "langfuse.observation.metadata.langgraph_step"));
        assertEquals(new AttributeValue.Int(0), attr(gen, "langfuse.observation.metadata.ls_temperature"));
        assertEquals("continue", str(span(t, "c7fbfdc6ab70ca4d"), "langfuse.observation.output"));
        assertEquals(0, span(t, "e638064431445dce").durationNs());
        assertEquals("langfuse-sdk", t.scopes().get(gen.scopeId()).name());
        assertEquals("3.3.0", t.scopes().get(gen.scopeId()).version());
    }

    @Test
    void crewAiWithMixedScopes() {
        imported("crewai-2025-07-11.trace.json", 6);
        TraceDetail t = trace("a287bb31e317433610d8827617471140");
        SpanDetail root = span(t, "839dad620fa92594");
        assertNull(root.parentSpanId());
        assertEquals("crewai-index-trace", root.name());
        assertEquals("langfuse-sdk", t.scopes().get(root.scopeId()).name());
        SpanDetail kickoff = span(t, "0dd92fffb354f15b");
        assertEquals(root.spanId(), kickoff.parentSpanId());
        assertEquals("CHAIN", str(kickoff, "openinference.span.kind"));
        assertEquals("openinference.instrumentation.crewai", t.scopes().get(kickoff.scopeId()).name());
        assertEquals("0.1.10", t.scopes().get(kickoff.scopeId()).version());
        SpanDetail task = span(t, "a8bf77474d6f9a1d");
        assertEquals(kickoff.spanId(), task.parentSpanId());
        assertEquals("AGENT", str(task, "openinference.span.kind"));
        SpanDetail created = span(t, "69490dfd171f730b");
        assertEquals(kickoff.spanId(), created.parentSpanId());
        assertEquals("crewai.telemetry", t.scopes().get(created.scopeId()).name());
        assertEquals("0.141.0", str(created, "crewai_version"));
        assertEquals(17_000_000L, created.durationNs());
        assertEquals(task.spanId(), span(t, "120aa490d3449d5a").parentSpanId());
        SpanDetail completion = span(t, "231c43964b7e7e63");
        assertEquals(task.spanId(), completion.parentSpanId());
        assertEquals(1752219913644000000L, completion.startNs());
        assertEquals(3_694_000_000L, completion.durationNs());
        assertEquals("190", str(completion, "llm.token_count.prompt"));
        assertEquals("354", str(completion, "llm.token_count.total"));
        assertEquals("gpt-4o-mini", str(completion, "langfuse.observation.model.name"));
        assertEquals("openinference.instrumentation.litellm", t.scopes().get(completion.scopeId()).name());
        assertEquals(4, count("SELECT count(*) FROM scopes"));
    }

    @Test
    void googleAdkKeepsItsOwnUserAndSessionAttributes() {
        imported("google-adk-2025-08-28.trace.json", 5);
        TraceDetail t = trace("b82a0bdc1994fc5d1c8576ca032543f7");
        SpanDetail root = span(t, "86cd4912944ddc41");
        assertNull(root.parentSpanId());
        assertEquals("invocation [hello_app]", root.name());
        assertEquals("CHAIN", str(root, "langfuse.observation.type"));
        assertEquals(1756366350303000000L, root.startNs());
        assertEquals(1_848_000_000L, root.durationNs());
        // the span's user.id and the trace's userId agree; the attribute is there once
        assertEquals(1, root.attributes().stream().filter(a -> a.key().equals("user.id")).count());
        assertEquals("demo-user", str(root, "user.id"));
        assertEquals("demo-session", str(root, "session.id"));
        SpanDetail agent = span(t, "6d8beb2e6a36b133");
        assertEquals(root.spanId(), agent.parentSpanId());
        assertEquals("AGENT", str(agent, "openinference.span.kind"));
        SpanDetail call1 = span(t, "f6e4c65297e40c96");
        SpanDetail call2 = span(t, "bded677884f031ce");
        assertEquals(agent.spanId(), call1.parentSpanId());
        assertEquals(agent.spanId(), call2.parentSpanId());
        assertEquals(call1.spanId(), span(t, "04290e4d82aba1bc").parentSpanId(), "the tool runs inside the LLM call");
        assertEquals("39", str(call2, "gen_ai.usage.input_tokens"));
        assertEquals("39", str(call2, "llm.token_count.prompt"));
        assertEquals("Hello Langfuse 👋!\n",
                str(call2, "llm.output_messages.0.message.contents.0.message_content.text"));
        assertEquals("gemini-2.0-flash", str(call2, "langfuse.observation.model.name"));
        assertEquals(924_000_000L, call2.durationNs());
        assertEquals(1_000_000L, span(t, "04290e4d82aba1bc").durationNs());
        assertEquals("say_hello", str(span(t, "04290e4d82aba1bc"), "gen_ai.tool.name"));
    }

    @Test
    void microsoftAgentFrameworkWithGenAiSemconv() {
        imported("microsoft-agent-2025-12-17.trace.json", 4);
        TraceDetail t = trace("8e419d3288419b5d944270505640e183");
        SpanDetail root = span(t, "4cd6caa32861956a");
        assertNull(root.parentSpanId());
        assertEquals("invoke_agent 171105b7-59dd-49c0-9677-0b95395aa46a", root.name());
        assertEquals("AGENT", str(root, "langfuse.observation.type"));
        assertEquals("invoke_agent", str(root, "gen_ai.operation.name"));
        assertEquals(1765964257258000000L, root.startNs());
        assertEquals(4_364_000_000L, root.durationNs());
        assertEquals("agent", root.llm().stage());
        SpanDetail chat = span(t, "2406e8343fd49c0e");
        assertEquals(root.spanId(), chat.parentSpanId());
        assertEquals("77", str(chat, "gen_ai.usage.input_tokens"));
        assertEquals("gpt-5-mini-2025-08-07", str(chat, "langfuse.observation.model.name"));
        assertEquals("{\"choice.count\":1}", str(chat, "langfuse.observation.model.parameters"));
        assertEquals("{\"input\":0.00001925,\"output\":0.000172,\"total\":0.00019125}",
                str(chat, "langfuse.observation.cost_details"));
        assertEquals(3_289_000_000L, chat.durationNs());
        assertEquals(77L, chat.llm().inputTokens());
        SpanDetail chat2 = span(t, "b0913e7cd82d72b8");
        assertEquals("216", str(chat2, "gen_ai.usage.input_tokens"));
        SpanDetail tool = span(t, "a2de97aac476c036");
        assertEquals(root.spanId(), tool.parentSpanId());
        assertEquals("get_weather", str(tool, "gen_ai.tool.name"));
        assertEquals("{\"location\":\"Tokyo, Japan\"}", str(tool, "langfuse.observation.input"));
        assertEquals("agent_framework", t.scopes().get(tool.scopeId()).name());
        assertEquals("1.0.0b251216", t.scopes().get(tool.scopeId()).version());
    }

    @Test
    void claudeAgentSdkViaLangSmith() {
        imported("claude-agent-2025-12-22.trace.json", 7);
        TraceDetail t = trace("097f1d8982fa909b8cffb14a166ec272");
        SpanDetail root = span(t, "805dc5dff9e33e32");
        assertNull(root.parentSpanId());
        assertEquals("claude.conversation", root.name());
        assertEquals(1766400375529000000L, root.startNs());
        assertEquals(7_359_000_000L, root.durationNs());
        assertEquals("chain", str(root, "langsmith.span.kind"));
        assertEquals("3", str(root, "langsmith.metadata.num_turns"));
        assertEquals("claude.conversation", str(root, "langfuse.trace.name"));
        List<String> children = List.of("e9aac170e5d48125", "2cc13e77781787fd", "f8e8f040dc94e67e",
                "371496f71d82baed", "f411dab686a064b1", "edbd987c5f361fdf");
        for (String c : children) {
            assertEquals(root.spanId(), span(t, c).parentSpanId(), c);
        }
        SpanDetail first = span(t, "e9aac170e5d48125");
        assertEquals(1766400375528000000L, first.startNs(), "starts 1 ms before its parent, kept as is");
        assertEquals(3_197_000_000L, first.durationNs());
        assertEquals("GENERATION", str(first, "langfuse.observation.type"));
        assertEquals("claude-sonnet-4-5-20250929", str(first, "langfuse.observation.model.name"));
        assertEquals("claude-sonnet-4-5-20250929", str(first, "gen_ai.request.model"));
        assertEquals("anthropic", str(first, "gen_ai.system"));
        assertEquals("{\"input\":19,\"output\":29,\"total\":48}", str(first, "langfuse.observation.usage_details"));
        assertEquals("{\"input\":0.000057,\"output\":0.000435,\"total\":0.000492}",
                str(first, "langfuse.observation.cost_details"));
        assertEquals("{\"content\":\"What's the weather like in Berlin and New York?\",\"role\":\"user\"}",
                str(first, "langfuse.observation.input"));
        SpanDetail tool = span(t, "f411dab686a064b1");
        assertEquals("mcp__weather__get_weather", tool.name());
        assertEquals(41_000_000L, tool.durationNs());
        assertEquals("TOOL", str(tool, "langfuse.observation.type"));
        assertEquals("langsmith", t.scopes().get(tool.scopeId()).name());
        assertEquals(Ids.parseSpanId("805dc5dff9e33e32"), tool.parentSpanId());
    }

    @Test
    void reimportingAnExportAddsNothing() {
        ImportReport first = importFile(corpus(DIR + "openai-agents-2025-09-30.trace.json"));
        assertEquals(5, first.spansAdded());
        ImportReport again = importFile(corpus(DIR + "openai-agents-2025-09-30.trace.json"));
        assertEquals(ImportReport.Status.IMPORTED, again.status(), again.message());
        assertEquals(0, again.spansAdded());
        assertEquals(5, again.alreadyPresent());
        assertEquals(5, count("SELECT count(*) FROM spans"));
    }
}
