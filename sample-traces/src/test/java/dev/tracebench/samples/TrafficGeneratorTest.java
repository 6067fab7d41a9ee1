package dev.tracebench.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The generator's output against the OTLP specification, determinism and the fleet's conventions. */
class TrafficGeneratorTest {
    static final TrafficGenerator.Options SMALL = new TrafficGenerator.Options(Scenario.BASELINE, 600, 11,
            Instant.parse("2026-11-20T08:00:00Z"), 6 * 3600, 25);

    @Test
    void jsonLinesAndProtobufCarryTheSameRequestsAndMatchTheProtoSchema() throws Exception {
        Generated g = new Generated(SMALL);
        List<String> lines = new String(g.jsonBytes, StandardCharsets.UTF_8).lines().toList();
        assertEquals(g.requests.size(), lines.size());
        assertEquals(24, lines.size(), "600 traces at 25 per request");
        // OTLP/JSON differs from the proto3 JSON mapping only in its hex ids: turn them into base64, then the strict
        // parser (unknown fields are errors) must rebuild exactly the protobuf message written for the same request
        Pattern id = Pattern.compile("\"(traceId|spanId|parentSpanId)\":\"([0-9a-f]+)\"");
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = id.matcher(lines.get(i));
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String b64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(m.group(2)));
                m.appendReplacement(sb, "\"" + m.group(1) + "\":\"" + b64 + "\"");
            }
            m.appendTail(sb);
            ExportTraceServiceRequest.Builder fromJson = ExportTraceServiceRequest.newBuilder();
            JsonFormat.parser().merge(sb.toString(), fromJson);
            assertEquals(g.requests.get(i), fromJson.build(), "request " + i);
        }
        String first = lines.get(0);
        assertTrue(first.contains("\"startTimeUnixNano\":\""), "64-bit integers as strings");
        assertTrue(first.contains("\"kind\":2"), "enums as integers");
        assertFalse(first.contains("SPAN_KIND"), "no enum names");
        assertTrue(first.matches(".*\"traceId\":\"[0-9a-f]{32}\".*"), "lowercase hex trace ids");
        // the proto stream is a 4-byte big-endian length before each message
        int len = ((g.protoBytes[0] & 0xff) << 24) | ((g.protoBytes[1] & 0xff) << 16)
                | ((g.protoBytes[2] & 0xff) << 8) | (g.protoBytes[3] & 0xff);
        assertEquals(g.requests.get(0).getSerializedSize(), len);
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws Exception {
        Generated a = new Generated(SMALL);
        Generated b = new Generated(SMALL);
        Generated c = new Generated(new TrafficGenerator.Options(Scenario.BASELINE, 600, 12, SMALL.start(),
                SMALL.spanSeconds(), 25));
        assertArrayEquals(a.jsonBytes, b.jsonBytes);
        assertArrayEquals(a.protoBytes, b.protoBytes);
        assertEquals(a.evals, b.evals);
        assertFalse(java.util.Arrays.equals(a.jsonBytes, c.jsonBytes));
    }

    @Test
    void everyTraceIsAWellFormedTree() throws Exception {
        Generated g = new Generated(SMALL);
        assertEquals(600, g.roots().size());
        assertEquals(g.summary.spans(), g.spans.size());
        java.util.Map<String, java.util.Set<String>> idsByTrace = new java.util.HashMap<>();
        for (Generated.S s : g.spans) {
            assertTrue(idsByTrace.computeIfAbsent(s.trace(), k -> new java.util.HashSet<>()).add(s.id()),
                    "unique span ids");
            assertTrue(s.end() >= s.start(), s.name());
        }
        for (Generated.S s : g.spans) {
            if (!s.parent().isEmpty()) {
                assertTrue(idsByTrace.get(s.trace()).contains(s.parent()), "parent of " + s.name() + " exists");
            }
        }
        double perTrace = g.spans.size() / 600.0;
        assertTrue(perTrace > 8 && perTrace < 20, "spans per trace " + perTrace);
        long failed = g.roots().stream().filter(s -> s.status() == 2).count();
        assertTrue(failed >= 4 && failed < 60, "a few percent of requests fail: " + failed);
        assertTrue(g.spans.stream().anyMatch(s -> s.proto().getEventsList().stream()
                .anyMatch(e -> e.getName().equals("exception"))), "failures carry exception events");
        assertTrue(g.spans.stream().anyMatch(s -> !s.proto().getLinksList().isEmpty()), "follow-up turns link back");
    }

    @Test
    void theFourConventionsOfARealFleetArePresent() throws Exception {
        Generated g = new Generated(SMALL);
        java.util.Map<String, List<Generated.S>> byService = new java.util.HashMap<>();
        for (Generated.S s : g.spans) {
            byService.computeIfAbsent(s.service(), k -> new java.util.ArrayList<>()).add(s);
        }
        assertEquals(java.util.Set.of("support-assistant", "docs-search", "ops-agent", "ticket-summarizer",
                "llm-gateway"), byService.keySet());
        // current OTel GenAI
        assertTrue(has(byService.get("support-assistant"), "gen_ai.provider.name"));
        assertTrue(has(byService.get("support-assistant"), "gen_ai.usage.input_tokens"));
        assertTrue(has(byService.get("support-assistant"), "gen_ai.input.messages"));
        assertTrue(has(byService.get("support-assistant"), "gen_ai.usage.cache_read.input_tokens"));
        // deprecated
        assertTrue(has(byService.get("docs-search"), "gen_ai.system"));
        assertTrue(has(byService.get("docs-search"), "gen_ai.usage.prompt_tokens"));
        assertFalse(has(byService.get("docs-search"), "gen_ai.provider.name"));
        assertTrue(byService.get("docs-search").stream().anyMatch(s -> s.proto().getEventsList().stream()
                .anyMatch(e -> e.getName().equals("gen_ai.choice"))));
        // OpenInference
        assertTrue(has(byService.get("ops-agent"), "openinference.span.kind"));
        assertTrue(has(byService.get("ops-agent"), "llm.token_count.prompt"));
        assertTrue(has(byService.get("ops-agent"), "retrieval.documents.0.document.id"));
        assertTrue(has(byService.get("ops-agent"), "retrieval.documents.10.document.id"),
                "some retrievals have more than ten documents (index 10 must sort after 9)");
        // OpenLLMetry
        assertTrue(has(byService.get("ticket-summarizer"), "traceloop.span.kind"));
        assertTrue(has(byService.get("ticket-summarizer"), "gen_ai.prompt.0.content"));
        assertTrue(has(byService.get("ticket-summarizer"), "gen_ai.completion.0.content"));
        assertTrue(has(byService.get("ticket-summarizer"), "gen_ai.usage.cache_read_input_tokens"));
        // the gateway shows queueing and generation separately
        assertTrue(byService.get("llm-gateway").stream().anyMatch(s -> s.name().equals("gateway.queue")));
        // evaluations travel both as span events and as rows
        assertTrue(g.spans.stream().anyMatch(s -> s.proto().getEventsList().stream()
                .anyMatch(e -> e.getName().equals("gen_ai.evaluation.result"))));
        assertEquals(g.summary.evaluations(), g.evals.lines().count());
        assertTrue(g.evals.lines().allMatch(l -> l.startsWith("{\"trace_id\":\"") && l.contains("\"evaluator\":")));
    }

    static boolean has(List<Generated.S> spans, String key) {
        return spans.stream().anyMatch(s -> s.attrs().containsKey(key));
    }
}
