package dev.tracebench.core.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.normalize.LlmFields;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelCallTimingTest {

    private static final long MS = 1_000_000L;

    private static LlmFields llm(String stage, String op, String model, Long ttft) {
        return new LlmFields(stage, op, "openai", model, null, 10L, 5L, null, null, null, null, null, null, ttft, null,
                0);
    }

    private static SpanDetail span(long id, Long parent, String name, long startMs, long endMs, LlmFields llm) {
        return new SpanDetail(id, parent, name, SpanKind.INTERNAL, startMs * MS, endMs * MS, StatusCode.UNSET, null,
                null, 0, "svc", 0, 0, List.of(), 0, List.of(), 0, List.of(), 0, llm);
    }

    @Test
    void splitsAGatewayCallIntoQueueGenerationAndOverhead() {
        // client call 0..1000 → gateway 10..995 → queue 20..220 (+ an overlapping second queue 200..300), provider 310..990
        SpanDetail client = span(1, null, "chat gpt-4o", 0, 1000, llm("inference", "chat", "gpt-4o", null));
        SpanDetail gateway = span(2, 1L, "POST /v1/chat/completions", 10, 995, null);
        SpanDetail queue = span(3, 2L, "gateway.queue", 20, 220, null);
        SpanDetail queue2 = span(4, 2L, "Queue wait", 200, 300, null);
        SpanDetail provider = span(5, 2L, "openai.chat.completions.create", 310, 990,
                llm("inference", "chat", "gpt-4o", 150 * MS));
        SpanDetail other = span(6, null, "retrieval kb", 0, 50, llm("retrieval", "retrieval", null, null));
        TraceDetail trace = new TraceDetail(new TraceId(1, 2), List.of(client, gateway, queue, queue2, provider, other),
                Map.of(), Map.of());

        ModelCallTiming t = ModelCallTiming.of(trace, client).orElseThrow();
        assertEquals(1000 * MS, t.durationNs());
        assertEquals(280 * MS, t.queueNs(), "union of the two overlapping queue spans");
        assertEquals(680 * MS, t.generationNs(), "the provider span");
        assertEquals(40 * MS, t.overheadNs());
        assertEquals(t.durationNs(), t.queueNs() + t.generationNs() + t.overheadNs());
        assertEquals(150 * MS, t.ttftNs(), "taken from the provider span");
        assertEquals(5, t.providerSpanId());

        ModelCallTiming inner = ModelCallTiming.of(trace, provider).orElseThrow();
        assertEquals(0, inner.queueNs());
        assertEquals(680 * MS, inner.generationNs());
        assertEquals(0, inner.overheadNs());

        assertTrue(ModelCallTiming.of(trace, other).isEmpty(), "retrieval is not a model call");
        assertTrue(ModelCallTiming.of(trace, gateway).isEmpty(), "no LLM fields");
    }

    @Test
    void aCallWithoutChildrenIsAllGenerationAndTtftMayBeMissing() {
        SpanDetail call = span(1, null, "generate", 0, 400, llm(null, "generate_content", "gemini-2.0", null));
        ModelCallTiming t = ModelCallTiming.of(new TraceDetail(new TraceId(1, 2), List.of(call), Map.of(), Map.of()),
                call).orElseThrow();
        assertEquals(0, t.queueNs());
        assertEquals(400 * MS, t.generationNs());
        assertNull(t.ttftNs());
    }
}
