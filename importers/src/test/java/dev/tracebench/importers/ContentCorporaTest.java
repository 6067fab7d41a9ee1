package dev.tracebench.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.normalize.ContentExtractor;
import dev.tracebench.core.normalize.LlmContent;
import dev.tracebench.core.normalize.NormSource;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.samples.SampleFiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Messages, tool calls and documents read from files real tools wrote, and from every app of the sample fleet. */
class ContentCorporaTest extends ImporterTestBase {

    private LlmContent content(String file, String spanHex) {
        ImportReport r = importFile(corpus(file));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        String trace = rows("SELECT trace_hex(trace_id) FROM spans WHERE span_id = " + Ids.parseSpanId(spanHex))
                .get(0).get(0).toString();
        SpanDetail s = span(trace(trace), spanHex);
        return ContentExtractor.extract(s.attributes(), s.events());
    }

    @Test
    void otelGenAiMessagesInAJaegerTrace() {
        LlmContent c = content("jaeger-ui-fixtures/genaiTestTrace.json", "0000000000000036");
        assertEquals(Map.of("system", NormSource.OTEL_GENAI, "input", NormSource.OTEL_GENAI, "output",
                NormSource.OTEL_GENAI), c.sources());
        assertTrue(c.question().startsWith("Summarise the findings from the dashboards"), c.question());
        assertTrue(c.answer().startsWith("A pod rollout at 14:05 slowed checkout"), c.answer());
        assertTrue(c.system().startsWith("You are a triage assistant."), c.system());
    }

    @Test
    void openInferenceToolCallsInAnOpenAiAgentsTraceFromLangfuse() {
        LlmContent c = content("langfuse-framework-traces/openai-agents-2025-09-30.trace.json", "98870087af69bf06");
        assertEquals(NormSource.OPENINFERENCE, c.sources().get("input"));
        assertEquals("What's the weather in Tokyo?", c.question());
        assertEquals("You are a helpful agent.", c.system());
        assertEquals(List.of("get_weather"), c.toolCalls().stream().map(LlmContent.ToolCall::name).toList());
        assertTrue(c.toolCalls().get(0).arguments().contains("Tokyo"), c.toolCalls().get(0).arguments());
    }

    @Test
    void langfuseInputAndOutputInTheirSeveralShapes() {
        // a choice object as the output
        LlmContent pyd = content("langfuse-framework-traces/pydantic-ai-2025-06-06.trace.json", "5cb389a3bdd21a6e");
        assertEquals("What is Langfuse?", pyd.question());
        assertTrue(pyd.answer().startsWith("Langfuse is a tool designed for observability"), pyd.answer());
        assertEquals("You are a helpful assistant that answers questions clearly and concisely.", pyd.system());
        // a bare list of tool calls as the output
        LlmContent vercel = content("langfuse-framework-traces/vercel-aisdk-2025-11-17.trace.json",
                "91a17a2274bfd23f");
        assertEquals("What is the weather like today in San Francisco?", vercel.question());
        assertEquals(List.of(new LlmContent.ToolCall("call_DgKARp7a7IhJPDczfifMp6Ra", "getWeather",
                "{\"location\":\"San Francisco\"}")), vercel.toolCalls());
    }

    @Test
    void vercelAiSdkPromptMessagesAndResponse() {
        LlmContent c = content("openinference-fixtures/vercel-v6-ai-generateText-doGenerate.json",
                "6c0201026326855d");
        assertEquals(NormSource.VERCEL_AI, c.sources().get("input"));
        assertEquals("You are a helpful assistant.", c.system());
        assertEquals("And what is 3 + 3?", c.question());
        assertEquals("3 + 3 equals 6.", c.answer());
        assertEquals(4, c.input().size());
    }

    @Test
    void everyAppOfTheSampleFleetHasQuestionsAnswersAndDocuments() {
        imports.importSource(SampleFiles.DEMO_TRACES, -1, () -> SampleFiles.open(SampleFiles.DEMO_TRACES),
                ProgressListener.NONE, CancellationToken.none());
        for (String service : List.of("support-assistant", "docs-search", "ops-agent", "ticket-summarizer")) {
            String trace = rows("SELECT trace_hex(trace_id) FROM traces WHERE service_name = '" + service
                    + "' AND error_count = 0 ORDER BY start_ns LIMIT 1").get(0).get(0).toString();
            TraceDetail t = trace(trace);
            boolean answered = false;
            int documents = 0;
            for (SpanDetail s : t.spans()) {
                LlmContent c = ContentExtractor.extract(s.attributes(), s.events());
                if ("inference".equals(s.llm().stage()) && s.serviceName().equals(service) && c.question() != null
                        && c.answer() != null) {
                    answered = true;
                }
                documents += c.documents().size();
            }
            assertTrue(answered, service + ": a model call with its question and answer");
            // the two apps whose conventions carry retrieved documents (OTel's gen_ai.retrieval.documents and
            // OpenInference's retrieval.documents.N)
            if (service.equals("support-assistant") || service.equals("ops-agent")) {
                assertTrue(documents > 0, service + ": retrieved documents");
            }
        }
    }
}
