package dev.tracebench.importers.oteljs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.importers.ImporterTestBase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Vercel AI SDK v6 span captures of the OpenInference fixtures: OTel JS ReadableSpans written as JSON. */
class OtelJsCorporaTest extends ImporterTestBase {
    private static final String DIR = "openinference-fixtures/";

    static AttributeValue attr(SpanDetail s, String key) {
        return s.attributes().stream().filter(a -> a.key().equals(key)).map(Attribute::value).findFirst()
                .orElse(null);
    }

    private ImportReport imported(String file, int spans) {
        ImportReport r = importFile(corpus(DIR + file));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("oteljs-json", r.format());
        assertEquals(spans, r.spansRead());
        assertEquals(spans, r.spansAdded());
        assertEquals(0, r.rejected(), r.problems().toString());
        assertEquals(0, r.warnings(), r.problems().toString());
        // no parents were captured: every span is the root of its own trace
        assertEquals(spans, ws.traces().stats().traces());
        return r;
    }

    private SpanDetail only(String traceHex) {
        TraceDetail t = trace(traceHex);
        assertEquals(1, t.spans().size());
        return t.spans().get(0);
    }

    @Test
    void generateTextDoGenerate() {
        imported("vercel-v6-ai-generateText-doGenerate.json", 2);
        SpanDetail s = only("b3e700af9eab81e19f72f964d62a35af");
        assertEquals("39d6e9b3ddec9996", dev.tracebench.core.model.Ids.spanHex(s.spanId()));
        assertEquals("ai.generateText.doGenerate", s.name());
        assertNull(s.parentSpanId());
        assertEquals(SpanKind.UNSPECIFIED, s.kind(), "the dump has no kind");
        assertEquals(StatusCode.UNSET, s.status());
        assertEquals(1770131992242000000L, s.startNs());
        assertEquals(1770131994021415667L, s.endNs());
        assertEquals(26, s.attributes().size());
        assertEquals(new AttributeValue.Int(14), attr(s, "ai.usage.promptTokens"));
        assertEquals(new AttributeValue.Int(20), attr(s, "ai.usage.completionTokens"));
        assertEquals(new AttributeValue.Int(2), attr(s, "ai.settings.maxRetries"));
        assertEquals(new AttributeValue.Str("gpt-4o-mini"), attr(s, "ai.model.id"));
        assertEquals(new AttributeValue.Str("custom-value"), attr(s, "ai.telemetry.metadata.customField"));
        assertEquals(new AttributeValue.Array(List.of(new AttributeValue.Str("stop"))),
                attr(s, "gen_ai.response.finish_reasons"));
        assertEquals(new AttributeValue.Int(14), attr(s, "gen_ai.usage.input_tokens"));
        assertTrue(((AttributeValue.Str) attr(s, "ai.prompt.messages")).value().startsWith("[{\"role\":\"user\""));
        assertEquals("unknown_service", s.serviceName());
        assertEquals(14L, s.llm().inputTokens());
        assertEquals(20L, s.llm().outputTokens());
        assertEquals("gpt-4o-mini", s.llm().requestModel());
        SpanDetail second = only("edff2fc5854be6170e8cccccec0c82cf");
        assertEquals(1770131994023000000L, second.startNs());
        assertEquals(3_034_285_833L, second.durationNs());
        assertEquals(new AttributeValue.Int(50), attr(second, "ai.usage.promptTokens"));
        assertEquals(new AttributeValue.Str("3 + 3 equals 6."), attr(second, "ai.response.text"));
        assertEquals(1, count("SELECT count(*) FROM resources"));
        assertEquals(1, count("SELECT count(*) FROM scopes"));
    }

    @Test
    void streamTextDoStreamWithEventsAndDecimals() {
        imported("vercel-v6-ai-streamText-doStream.json", 1);
        SpanDetail s = only("478d4dcc697ecfabc5e7a3d6e4216291");
        assertEquals("ai.streamText.doStream", s.name());
        assertEquals(1770132000598000000L, s.startNs());
        assertEquals(1770132005984307375L, s.endNs());
        assertEquals(30, s.attributes().size());
        assertEquals(new AttributeValue.Dbl(426.8535000000011), attr(s, "ai.response.msToFirstChunk"));
        assertEquals(new AttributeValue.Dbl(20.798499425406632), attr(s, "ai.response.avgOutputTokensPerSecond"));
        assertEquals(new AttributeValue.Int(112), attr(s, "ai.usage.outputTokens"));
        assertEquals(new AttributeValue.Int(0), attr(s, "ai.usage.reasoningTokens"));
        assertEquals(List.of(
                new SpanEventData(1770132001025056459L, "ai.stream.firstChunk",
                        List.of(Attribute.of("ai.response.msToFirstChunk", 426.8535000000011)), 0),
                new SpanEventData(1770132005983212750L, "ai.stream.finish", List.of(), 0)), s.events());
    }

    @Test
    void embedWithALongVectorAsText() {
        imported("vercel-v6-ai-embed.json", 1);
        SpanDetail s = only("91621bbaaf1920e94ae594e91b3a99fd");
        assertEquals("06a62ec64ae5b0a2", dev.tracebench.core.model.Ids.spanHex(s.spanId()));
        assertEquals("ai.embed", s.name());
        assertEquals(1770132006015000000L, s.startNs());
        assertEquals(254_932_417L, s.durationNs());
        assertEquals(12, s.attributes().size());
        assertEquals(new AttributeValue.Int(10), attr(s, "ai.usage.tokens"));
        assertEquals(new AttributeValue.Str("text-embedding-3-small"), attr(s, "ai.model.id"));
        String vector = ((AttributeValue.Str) attr(s, "ai.embedding")).value();
        assertEquals(19221, vector.length());
        assertTrue(vector.startsWith("[-0.018449828,-0.0072010164,0.003660781"));
    }

    @Test
    void allSpansArray() {
        imported("vercel-v6-all-spans.json", 10);
        String[][] expected = {
            {"b3e700af9eab81e19f72f964d62a35af", "ai.generateText.doGenerate", "1770131992242000000", "1779415667"},
            {"700d5f98fe2420adcf6ab0822f7a323c", "ai.generateText", "1770131992241000000", "1781541000"},
            {"edff2fc5854be6170e8cccccec0c82cf", "ai.generateText.doGenerate", "1770131994023000000", "3034285833"},
            {"673a889f59126f8b4c90dce5a1f99368", "ai.generateText", "1770131994023000000", "3034733667"},
            {"8f60802815d6e97da2dbc4708a8e5c7b", "ai.generateObject.doGenerate", "1770131997066000000",
                "3519812667"},
            {"f99cc53c9bb8fe40462f7a48999e7088", "ai.generateObject", "1770131997065000000", "3523601792"},
            {"478d4dcc697ecfabc5e7a3d6e4216291", "ai.streamText.doStream", "1770132000598000000", "5386307375"},
            {"8185b815e471184c6525a601a042be42", "ai.streamText", "1770132000594000000", "5392741708"},
            {"045d21a7f69972edf509fe0ff911f3f5", "ai.embed.doEmbed", "1770132006016000000", "253719584"},
            {"91621bbaaf1920e94ae594e91b3a99fd", "ai.embed", "1770132006015000000", "254932417"}};
        for (String[] e : expected) {
            SpanDetail s = only(e[0]);
            assertEquals(e[1], s.name(), e[0]);
            assertEquals(Long.parseLong(e[2]), s.startNs(), e[0]);
            assertEquals(Long.parseLong(e[3]), s.durationNs(), e[0]);
        }
        SpanDetail object = only("f99cc53c9bb8fe40462f7a48999e7088");
        assertEquals(new AttributeValue.Str("object"), attr(object, "ai.settings.output"));
        assertEquals(new AttributeValue.Int(156), attr(object, "ai.usage.completionTokens"));
        assertTrue(((AttributeValue.Str) attr(object, "ai.schema")).value().startsWith("{\"type\":\"object\""));
        SpanDetail doEmbed = only("045d21a7f69972edf509fe0ff911f3f5");
        AttributeValue values = attr(doEmbed, "ai.values");
        assertEquals(new AttributeValue.Array(List.of(new AttributeValue.Str(
                "\"The quick brown fox jumps over the lazy dog.\""))), values, "a JSON array stays an array");
        assertEquals(12, doEmbed.attributes().size());
    }

    @Test
    void spansByOperationIsAnObjectOfArrays() {
        imported("vercel-v6-spans-by-operation.json", 10);
        // the same ten spans as the array file, grouped under their operation names
        SpanDetail first = only("b3e700af9eab81e19f72f964d62a35af");
        assertEquals("ai.generateText.doGenerate", first.name());
        assertEquals(1770131992242000000L, first.startNs());
        SpanDetail stream = only("8185b815e471184c6525a601a042be42");
        assertEquals("ai.streamText", stream.name());
        assertEquals(new AttributeValue.Int(127), attr(stream, "ai.usage.totalTokens"));
        SpanDetail embed = only("91621bbaaf1920e94ae594e91b3a99fd");
        assertEquals(new AttributeValue.Int(10), attr(embed, "ai.usage.tokens"));
        assertEquals(8, count("SELECT count(DISTINCT name) FROM spans"), "the eight keys of the object");
    }

    @Test
    void reimportingAddsNothing() {
        imported("vercel-v6-all-spans.json", 10);
        ImportReport again = importFile(corpus(DIR + "vercel-v6-spans-by-operation.json"));
        assertEquals(ImportReport.Status.IMPORTED, again.status(), again.message());
        assertEquals(0, again.spansAdded(), "the keyed file holds the same spans");
        assertEquals(10, again.alreadyPresent());
        ImportReport third = importFile(corpus(DIR + "vercel-v6-all-spans.json"));
        assertEquals(0, third.spansAdded());
        assertEquals(10, third.alreadyPresent());
        assertEquals(10, count("SELECT count(*) FROM spans"));
    }
}
