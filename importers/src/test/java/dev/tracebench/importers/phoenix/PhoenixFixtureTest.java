package dev.tracebench.importers.phoenix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.importers.ImporterTestBase;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Phoenix span export of an agent (written for these tests from Phoenix's span object and the OpenInference
 * names): an AGENT root with LLM, TOOL and RETRIEVER children, nested attributes, a failed LLM call with its
 * exception event. The same six spans as a JSON array, JSON Lines and an API page must import identically.
 */
class PhoenixFixtureTest extends ImporterTestBase {
    static final String TRACE = "6a8c9f2e4b1d4e7f9a3c5b2d1e0f4a6b";
    static final String ROOT = "1a2b3c4d5e6f7081";

    static Path fixture(String name) {
        try {
            return Path.of(PhoenixFixtureTest.class.getResource("/phoenix/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static AttributeValue attr(SpanDetail s, String key) {
        return s.attributes().stream().filter(a -> a.key().equals(key)).map(Attribute::value).findFirst()
                .orElse(null);
    }

    @Test
    void theArrayExport() {
        ImportReport r = importFile(fixture("agent-spans.json"));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("phoenix-json", r.format());
        assertTheAgentTrace(r);
    }

    @Test
    void theSameSpansAsJsonLines() {
        ImportReport r = importFile(fixture("agent-spans.jsonl"));
        assertEquals("phoenix-json", r.format());
        assertTheAgentTrace(r);
    }

    @Test
    void theSameSpansAsAnApiPage() {
        ImportReport r = importFile(fixture("agent-spans-page.json"));
        assertEquals("phoenix-json", r.format());
        assertTheAgentTrace(r);
    }

    @Test
    void reimportingAnyShapeAddsNothing() {
        assertEquals(6, importFile(fixture("agent-spans.json")).spansAdded());
        for (String f : List.of("agent-spans.json", "agent-spans.jsonl", "agent-spans-page.json")) {
            ImportReport again = importFile(fixture(f));
            assertEquals(ImportReport.Status.IMPORTED, again.status(), again.message());
            assertEquals(0, again.spansAdded(), f);
            assertEquals(6, again.alreadyPresent(), f);
        }
        assertEquals(6, count("SELECT count(*) FROM spans"));
    }

    private void assertTheAgentTrace(ImportReport r) {
        assertEquals(6, r.spansRead());
        assertEquals(6, r.spansAdded());
        assertEquals(0, r.rejected(), r.problems().toString());
        assertEquals(0, r.warnings(), r.problems().toString());
        assertEquals(1, ws.traces().stats().traces());
        TraceDetail t = trace(TRACE);
        assertEquals(6, t.spans().size());

        SpanDetail root = span(t, ROOT);
        assertNull(root.parentSpanId());
        assertEquals("travel_agent", root.name());
        assertEquals(SpanKind.UNSPECIFIED, root.kind(), "Phoenix does not export the OTel kind");
        assertEquals(StatusCode.OK, root.status());
        assertNull(root.statusMessage(), "an empty status_message is no message");
        assertEquals(1741944413589793000L, root.startNs());
        assertEquals(1741944421204511000L, root.endNs());
        assertEquals(List.of(
                Attribute.of("openinference.span.kind", "AGENT"),
                Attribute.of("agent.name", "travel_agent"),
                Attribute.of("input.value", "Plan a rainy-day afternoon in Lisbon for two adults."),
                Attribute.of("input.mime_type", "text/plain"),
                Attribute.of("output.value", "Start at the Oceanario, then lunch at Time Out Market ..."),
                Attribute.of("output.mime_type", "text/plain"),
                Attribute.of("session.id", "sess-2025-03-14-042"),
                Attribute.of("user.id", "user-7"),
                new Attribute("tag.tags", new AttributeValue.Array(List.of(new AttributeValue.Str("travel"),
                        new AttributeValue.Str("rainy-day")))),
                Attribute.of("metadata", "{\"deployment\": \"staging\", \"agent_version\": \"0.4.2\"}")),
                root.attributes(), "nested attributes flattened to OpenInference's names, in order");
        assertEquals("unknown_service", root.serviceName());
        assertEquals(new ScopeData("", "", List.of(), null, 0), t.scopes().get(root.scopeId()));
        assertEquals("agent", root.llm().stage());

        SpanDetail plan = span(t, "2b3c4d5e6f708192");
        assertEquals(root.spanId(), plan.parentSpanId());
        assertEquals("ChatOpenAI", plan.name());
        assertEquals(1_419_215_000L, plan.durationNs());
        assertEquals(new AttributeValue.Str("gpt-4o-mini-2024-07-18"), attr(plan, "llm.model_name"));
        assertEquals(new AttributeValue.Int(412), attr(plan, "llm.token_count.prompt"));
        assertEquals(new AttributeValue.Int(38), attr(plan, "llm.token_count.completion"));
        assertEquals(new AttributeValue.Int(128), attr(plan, "llm.token_count.prompt_details.cache_read"));
        assertEquals(new AttributeValue.Dbl(8.46e-05), attr(plan, "llm.cost.total"));
        assertEquals(new AttributeValue.Str("system"), attr(plan, "llm.input_messages.0.message.role"));
        assertEquals(new AttributeValue.Str("Plan a rainy-day afternoon in Lisbon for two adults."),
                attr(plan, "llm.input_messages.1.message.content"));
        assertEquals(new AttributeValue.Str("get_weather"),
                attr(plan, "llm.output_messages.0.message.tool_calls.0.tool_call.function.name"));
        assertEquals(new AttributeValue.Str("{\"city\": \"Lisbon\"}"),
                attr(plan, "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments"));
        assertEquals(new AttributeValue.Str("{\"temperature\": 0.2, \"max_tokens\": 512}"),
                attr(plan, "llm.invocation_parameters"));
        assertEquals(412L, plan.llm().inputTokens());
        assertEquals(38L, plan.llm().outputTokens());
        assertEquals(128L, plan.llm().cachedTokens());
        assertEquals(8.46e-05, plan.llm().cost());
        assertEquals("openai", plan.llm().provider());

        SpanDetail tool = span(t, "4d5e6f708192a3b4");
        assertEquals(root.spanId(), tool.parentSpanId());
        assertEquals(1741944415031000000L, tool.startNs(), "an offset (+00:00) instead of Z");
        assertEquals(267_750_000L, tool.durationNs());
        assertEquals(new AttributeValue.Str("get_weather"), attr(tool, "tool.name"));
        // the attributes lack the kind; span_kind supplies it, last
        Attribute last = tool.attributes().get(tool.attributes().size() - 1);
        assertEquals(Attribute.of("openinference.span.kind", "TOOL"), last);
        assertEquals("tool", tool.llm().stage());

        SpanDetail retriever = span(t, "3c4d5e6f708192a3");
        assertEquals(root.spanId(), retriever.parentSpanId());
        assertEquals(StatusCode.UNSET, retriever.status());
        assertEquals(3 + 12 * 4, retriever.attributes().size());
        assertEquals(new AttributeValue.Str("lisbon-guide-00"), attr(retriever, "retrieval.documents.0.document.id"));
        assertEquals(new AttributeValue.Str("lisbon-guide-10"), attr(retriever, "retrieval.documents.10.document.id"));
        assertEquals(new AttributeValue.Str("lisbon-guide-11"), attr(retriever, "retrieval.documents.11.document.id"));
        assertEquals(new AttributeValue.Dbl(0.52), attr(retriever, "retrieval.documents.10.document.score"));
        assertEquals(new AttributeValue.Dbl(0.479), attr(retriever, "retrieval.documents.11.document.score"));
        assertEquals(new AttributeValue.Str("Livraria Bertrand: an indoor option for rainy days in Lisbon."),
                attr(retriever, "retrieval.documents.10.document.content"));
        assertEquals(new AttributeValue.Str("{\"source\": \"guides/lisbon.md\", \"chunk\": 11}"),
                attr(retriever, "retrieval.documents.11.document.metadata"));
        assertNull(attr(retriever, "retrieval.documents.12.document.id"));
        assertEquals(new AttributeValue.Str("text-embedding-3-small"), attr(retriever, "embedding.model_name"));
        assertEquals("retrieval", retriever.llm().stage());

        SpanDetail failed = span(t, "5e6f708192a3b4c5");
        assertEquals(root.spanId(), failed.parentSpanId());
        assertEquals(StatusCode.ERROR, failed.status());
        assertEquals("RateLimitError: Rate limit reached for gpt-4o-mini in organization org-x on tokens per min "
                + "(TPM)", failed.statusMessage());
        assertEquals(392_352_000L, failed.durationNs());
        assertEquals(new AttributeValue.Str("call_W7b9"), attr(failed, "llm.input_messages.2.message.tool_call_id"));
        assertEquals(1, failed.events().size());
        SpanEventData ex = failed.events().get(0);
        assertEquals("exception", ex.name());
        assertEquals(1741944416110871000L, ex.timeNs());
        assertEquals(4, ex.attributes().size());
        assertEquals(Attribute.of("exception.type", "openai.RateLimitError"), ex.attributes().get(0));
        assertEquals(Attribute.of("exception.escaped", "False"), ex.attributes().get(3));
        assertTrue(((AttributeValue.Str) ex.attributes().get(2).value()).value().startsWith("Traceback"));

        SpanDetail answer = span(t, "6f708192a3b4c5d6");
        assertEquals(root.spanId(), answer.parentSpanId());
        assertEquals(4_067_828_000L, answer.durationNs());
        assertEquals(new AttributeValue.Int(1558), attr(answer, "llm.token_count.total"));
        assertEquals(List.of(new SpanEventData(1741944417611093000L, "first_token", List.of(), 0)), answer.events());
        assertEquals(1, count("SELECT count(*) FROM resources"));
        assertEquals(1, count("SELECT count(*) FROM scopes"));
    }
}
