package dev.tracebench.importers.spanevals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.FileImportService;
import dev.tracebench.importers.ImporterTestBase;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Eval results inside trace files: OpenTelemetry GenAI {@code gen_ai.evaluation.result} span events and OpenInference
 * evaluation attributes, in every trace format. The fixtures in {@code src/test/resources/spanevals} are built to the
 * specifications' shapes (semantic-conventions-genai {@code docs/gen-ai/gen-ai-events.md}, the event's example values;
 * OpenInference {@code spec/annotations.md}, its examples' attributes); the expected rows below are read off those
 * files by hand.
 */
class SpanEvaluationsImportTest extends ImporterTestBase {
    private static final String T = "5b8efff798038103d269b633813fc60c";
    private static final String CHAT = "eee19b7ec3c1b173";
    private static final String OI_T = "80f198ee56343ba864fe8b2a57d3eff7";
    private static final String OI_LLM = "e457b5a2e4d86bd1";
    /** One stored eval result, as text: what the tests compare. */
    private static final String ROWS = "SELECT evaluator, trace_hex(trace_id), span_hex(span_id), response_id, score, "
            + "label, passed, explanation, linked_by FROM eval_results ORDER BY run_id, seq";

    static Path fixture(String name) {
        try {
            return Path.of(SpanEvaluationsImportTest.class.getResource("/spanevals/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> rows(Workspace w, String sql) {
        List<String> out = new ArrayList<>();
        for (List<Object> row : w.console().run(sql, 10_000).rows()) {
            out.add(row.toString());
        }
        return out;
    }

    private static List<Problem> warnings(ImportReport r) {
        return r.problems().stream().filter(p -> p.severity() == Problem.Severity.WARNING).toList();
    }

    /** The GenAI events of the OTLP/JSON fixture, one row per event read, in the file's order. */
    private static final List<String> GENAI_ROWS = List.of(
            "[Relevance, " + T + ", " + CHAT + ", chatcmpl-123, 4.0, relevant, null, The response is factually "
                    + "accurate but lacks sufficient detail to fully address the question., trace_id]",
            // an int score; the label "pass" is a verdict by itself; the response id is the judged span's own
            "[IntentResolution, " + T + ", " + CHAT + ", chatcmpl-123, 5.0, pass, true, null, trace_id]",
            // score "high": kept without a score (and a warning)
            "[Groundedness, " + T + ", " + CHAT + ", chatcmpl-123, null, grounded, null, null, trace_id]",
            // error.type: the judge failed
            "[Coherence, " + T + ", " + CHAT + ", chatcmpl-123, null, judge failed, null, the evaluation failed: "
                    + "timeout, trace_id]",
            // on an EVALUATOR span in another trace, linked to the chat span: that span is judged
            "[hallucination, " + T + ", " + CHAT + ", null, 1.0, hallucinated, null, The claim is not supported by "
                    + "the retrieved documents., trace_id]",
            // on the judge's own model call, naming the judged call's response id: linked by it
            "[Fluency, " + T + ", " + CHAT + ", chatcmpl-123, 0.25, fail, false, null, response_id]");

    @Test
    void genAiEvaluationEventsBecomeEvalResultsOfTheirSpans() {
        ImportReport r = importFile(fixture("genai-evaluation-events.otlp.json"));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(4, r.spansAdded());
        assertEquals(1, r.evalRuns());
        assertEquals(6, r.evalResults());
        assertEquals(6, r.evalLinked());
        assertTrue(r.summaryLine().contains("1 eval run, 6 eval results from span evaluations (6 linked to traces)"),
                r.summaryLine());
        assertEquals(GENAI_ROWS, rows(ws, ROWS));
        assertEquals(List.of("[genai-evaluation-events.otlp.json span evaluations, otel-genai-events, "
                + "genai-evaluation-events.otlp.json]"), rows(ws, "SELECT name, source_format, file FROM eval_runs"));
        // the events stay span events: six on the chat span (five evaluations and a cache miss), one on each of the
        // evaluation job's spans
        assertEquals(List.of("[" + CHAT + ", 6]", "[b7ad6b7169203331, 1]", "[b7ad6b7169203332, 1]"),
                rows(ws, "SELECT span_hex(span_id), count(*) FROM span_events GROUP BY 1 ORDER BY 2 DESC, 1"));
        // what the spec has no field for is kept: the event's other attributes, error.type
        assertEquals(List.of("[Coherence, timeout, null]", "[Fluency, null, v3]"), rows(ws, "SELECT evaluator, "
                + "json_extract_string(metadata, '$.\"error.type\"'), json_extract_string(metadata, "
                + "'$.\"judge.rubric\"') FROM eval_results WHERE evaluator IN ('Coherence', 'Fluency') ORDER BY 1"));
        // the event time is the judging time
        assertEquals(List.of("[2025-11-24 16:00:01]"), rows(ws, "SELECT strftime(judged_at, '%Y-%m-%d %H:%M:%S') "
                + "FROM eval_results WHERE evaluator = 'Relevance'"));
        // the malformed score and the event without a name: located warnings, the rest imported
        List<Problem> w = warnings(r);
        assertEquals(2, w.size(), w.toString());
        assertTrue(w.get(0).location().contains("spans[1]") && w.get(0).location().contains("events[3]"),
                w.toString());
        assertEquals("gen_ai.evaluation.score.value is 'high', not a number; the eval result is kept without a score",
                w.get(0).reason());
        assertTrue(w.get(1).location().contains("events[5]"), w.toString());
        assertTrue(w.get(1).reason().startsWith("the event has no gen_ai.evaluation.name"), w.get(1).reason());
        assertEquals(2, r.warnings());
    }

    @Test
    void theSameEventsInProtobufGiveTheSameResults() throws IOException {
        importFile(fixture("genai-evaluation-events.otlp.json"));
        Path pb = dir.resolve("genai-evaluation-events.otlp.pb");
        Files.write(pb, protobufOf(fixture("genai-evaluation-events.otlp.json")).toByteArray());
        try (Workspace other = Workspace.open(dir.resolve("proto.duckdb"))) {
            ImportReport r = new FileImportService(() -> other).importFile(pb, ProgressListener.NONE,
                    CancellationToken.none());
            assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
            assertEquals("otlp-proto", r.format());
            assertEquals(6, r.evalResults());
            assertEquals(GENAI_ROWS, rows(other, ROWS));
            List<Problem> w = warnings(r);
            assertEquals(2, w.size(), w.toString());
            assertTrue(w.get(0).location().contains("events[3]") && w.get(0).location().contains("byte"),
                    w.toString());
        }
    }

    @Test
    void openInferenceEvaluationAttributesBecomeEvalResults() {
        ImportReport r = importFile(fixture("openinference-evaluations.otlp.json"));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(3, r.spansAdded());
        assertEquals(1, r.evalRuns());
        assertEquals(6, r.evalResults());
        // the session's result judges no one trace
        assertEquals(5, r.evalLinked());
        assertEquals(List.of(
                "[Relevance, " + OI_T + ", " + OI_LLM + ", null, 0.9, relevant, null, The answer is about rotating "
                        + "keys., trace_id]",
                "[conversational_coherence, null, null, null, null, coherent, null, null, null]",
                "[hallucination, " + OI_T + ", " + OI_LLM + ", null, 1.0, hallucinated, null, The claim is not "
                        + "supported by the retrieved documents., trace_id]",
                "[qa_correctness, " + OI_T + ", " + OI_LLM + ", null, 1.0, correct, null, null, trace_id]",
                // trace scope: the trace, no span
                "[task_completion, " + OI_T + ", null, null, 0.8, null, null, null, trace_id]",
                // on the EVALUATOR span, judging its one link; score "n/a" is not a number
                "[toxicity, " + OI_T + ", " + OI_LLM + ", null, null, non-toxic, null, null, trace_id]"),
                rows(ws, ROWS.replace("ORDER BY run_id, seq", "ORDER BY evaluator")));
        assertEquals(List.of("[openinference-evaluations.otlp.json OpenInference evaluations, openinference]"),
                rows(ws, "SELECT name, source_format FROM eval_runs"));
        assertEquals(List.of("[conversational_coherence, session, session-123, HUMAN, null, null]",
                "[hallucination, null, null, LLM, judge-v2, 2]"), rows(ws, "SELECT evaluator, "
                        + "json_extract_string(metadata, '$.scope'), json_extract_string(metadata, '$.\"session.id\"'), "
                        + "json_extract_string(metadata, '$.annotator_kind'), json_extract_string(metadata, "
                        + "'$.identifier'), json_extract_string(metadata, '$.metadata.rubric_version') "
                        + "FROM eval_results WHERE evaluator IN ('conversational_coherence', 'hallucination') "
                        + "ORDER BY 1"));
        assertEquals(List.of("[arize-eval-attributes]"), rows(ws, "SELECT json_extract_string(metadata, "
                + "'$.convention') FROM eval_results WHERE evaluator = 'Relevance'"));
        // the attributes stay on the span
        assertEquals(List.of("[hallucinated]"), rows(ws, "SELECT attr(attributes, "
                + "'annotations.0.annotation.label') FROM spans WHERE span_hex(span_id) = '" + OI_LLM + "'"));
        List<Problem> w = warnings(r);
        assertEquals(2, w.size(), w.toString());
        assertTrue(w.get(0).location().endsWith("attributes evaluations.1.*"), w.toString());
        assertTrue(w.get(0).reason().startsWith("the evaluation has no name"), w.toString());
        assertTrue(w.get(1).location().contains("spans[2]"), w.toString());
        assertEquals("evaluations.0.evaluation.score is 'n/a', not a number; the eval result is kept without a "
                + "score", w.get(1).reason());
    }

    @Test
    void everyTraceFormatCarriesThem() throws IOException {
        // Phoenix's span export nests the attributes; they are flattened back to the OpenInference names
        ImportReport phoenix = importText("phoenix-spans.json", """
                [{"name": "ChatCompletion", "context": {"trace_id": "%s", "span_id": "%s"}, "span_kind": "LLM",
                  "parent_id": null, "start_time": "2025-11-24T16:00:00Z", "end_time": "2025-11-24T16:00:02Z",
                  "status_code": "OK", "status_message": "",
                  "attributes": {"openinference": {"span": {"kind": "LLM"}},
                                 "evaluations": [{"evaluation": {"name": "hallucination", "score": 1,
                                                                 "label": "hallucinated"}}],
                                 "eval": {"Relevance": {"label": "relevant", "score": 0.9}}},
                  "events": []}]
                """.formatted(OI_T, OI_LLM));
        assertEquals(2, phoenix.evalResults(), phoenix.summaryLine());
        // Zipkin's tags are text: a score written as text is read as the number; NaN is a judge that failed
        ImportReport zipkin = importText("zipkin.json", """
                [{"traceId": "%s", "id": "1111111111111111", "name": "chat", "timestamp": 1764000000000000,
                  "duration": 150000, "localEndpoint": {"serviceName": "bot"},
                  "tags": {"annotations.0.annotation.name": "faithfulness",
                           "annotations.0.annotation.score": "0.75",
                           "annotations.1.annotation.name": "relevance",
                           "annotations.1.annotation.score": "NaN"}}]
                """.formatted("aa" + T.substring(2)));
        assertEquals(2, zipkin.evalResults(), zipkin.summaryLine());
        assertEquals(1, zipkin.warnings(), zipkin.problems().toString());
        assertTrue(zipkin.problems().get(0).reason().startsWith("annotations.1.annotation.score is NaN: the judge "
                + "failed"), zipkin.problems().toString());
        // Jaeger writes span events as logs named by their "event" field
        ImportReport jaeger = importText("jaeger.json", """
                {"data": [{"traceID": "%s", "spans": [{"traceID": "%s", "spanID": "2222222222222222",
                  "operationName": "chat", "references": [], "startTime": 1764000000000000, "duration": 150000,
                  "tags": [], "processID": "p1",
                  "logs": [{"timestamp": 1764000000200000, "fields": [
                    {"key": "event", "type": "string", "value": "gen_ai.evaluation.result"},
                    {"key": "gen_ai.evaluation.name", "type": "string", "value": "Relevance"},
                    {"key": "gen_ai.evaluation.score.value", "type": "float64", "value": 0.5}]}]}],
                  "processes": {"p1": {"serviceName": "bot", "tags": []}}}]}
                """.formatted("bb" + T.substring(2), "bb" + T.substring(2)));
        assertEquals(1, jaeger.evalResults(), jaeger.summaryLine());
        assertEquals(List.of(
                "[Relevance, " + "bb" + T.substring(2) + ", 2222222222222222, 0.5, jaeger.json]",
                "[Relevance, " + OI_T + ", " + OI_LLM + ", 0.9, phoenix-spans.json]",
                "[faithfulness, " + "aa" + T.substring(2) + ", 1111111111111111, 0.75, zipkin.json]",
                "[hallucination, " + OI_T + ", " + OI_LLM + ", 1.0, phoenix-spans.json]",
                "[relevance, " + "aa" + T.substring(2) + ", 1111111111111111, null, zipkin.json]"),
                rows(ws, "SELECT evaluator, trace_hex(trace_id), span_hex(span_id), score, u.file FROM eval_results "
                        + "JOIN eval_runs u USING (run_id) ORDER BY evaluator, u.file"));
        assertEquals(List.of("[judge failed]"), rows(ws, "SELECT label FROM eval_results WHERE evaluator = "
                + "'relevance'"));
    }

    @Test
    void spansWithoutEvaluationsBringNoEvalRun() throws IOException {
        ImportReport r = importText("plain.json", """
                {"resourceSpans": [{"resource": {"attributes": []}, "scopeSpans": [{"spans": [
                  {"traceId": "%s", "spanId": "%s", "name": "chat", "startTimeUnixNano": "1764000000000000000",
                   "endTimeUnixNano": "1764000001000000000",
                   "attributes": [{"key": "evaluation.name", "value": {"stringValue": "not a convention"}},
                                  {"key": "eval.document_relevancies", "value": {"stringValue": "[1, 0]"}}],
                   "events": [{"timeUnixNano": "1764000000500000000", "name": "gen_ai.choice"}]}]}]}]}
                """.formatted(T, CHAT));
        assertEquals(1, r.spansAdded());
        assertEquals(0, r.evalRuns());
        assertEquals(0, r.warnings());
        assertEquals(List.of("[0, 0]"), rows(ws, "SELECT (SELECT count(*) FROM eval_runs), count(*) "
                + "FROM eval_results"));
    }

    /** The OTLP/JSON fixture as the protobuf request it encodes (the same spans, attributes, events and links). */
    static ExportTraceServiceRequest protobufOf(Path json) throws IOException {
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
        for (JsonNode rs : doc.get("resourceSpans")) {
            ResourceSpans.Builder r = ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAllAttributes(kvs(rs.path("resource").path("attributes"))));
            for (JsonNode ss : rs.get("scopeSpans")) {
                ScopeSpans.Builder sc = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder()
                        .setName(ss.path("scope").path("name").asText()).setVersion(ss.path("scope").path("version")
                                .asText()));
                for (JsonNode s : ss.get("spans")) {
                    Span.Builder b = Span.newBuilder().setTraceId(id(s.get("traceId"))).setSpanId(id(s.get("spanId")))
                            .setName(s.get("name").asText()).setKindValue(s.get("kind").asInt())
                            .setStartTimeUnixNano(s.get("startTimeUnixNano").asLong())
                            .setEndTimeUnixNano(s.get("endTimeUnixNano").asLong())
                            .addAllAttributes(kvs(s.path("attributes")));
                    if (s.has("parentSpanId")) {
                        b.setParentSpanId(id(s.get("parentSpanId")));
                    }
                    for (JsonNode e : s.path("events")) {
                        b.addEvents(Span.Event.newBuilder().setTimeUnixNano(e.get("timeUnixNano").asLong())
                                .setName(e.get("name").asText()).addAllAttributes(kvs(e.path("attributes"))));
                    }
                    for (JsonNode l : s.path("links")) {
                        b.addLinks(Span.Link.newBuilder().setTraceId(id(l.get("traceId")))
                                .setSpanId(id(l.get("spanId"))));
                    }
                    sc.addSpans(b);
                }
                r.addScopeSpans(sc);
            }
            req.addResourceSpans(r);
        }
        return req.build();
    }

    private static ByteString id(JsonNode hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex.asText()));
    }

    private static List<KeyValue> kvs(JsonNode attrs) {
        List<KeyValue> out = new ArrayList<>();
        for (JsonNode a : attrs) {
            JsonNode v = a.get("value");
            AnyValue.Builder av = AnyValue.newBuilder();
            if (v.has("stringValue")) {
                av.setStringValue(v.get("stringValue").asText());
            } else if (v.has("intValue")) {
                av.setIntValue(v.get("intValue").asLong());
            } else if (v.has("doubleValue")) {
                av.setDoubleValue(v.get("doubleValue").asDouble());
            } else {
                throw new IllegalArgumentException("value kind not used by the fixtures: " + v);
            }
            out.add(KeyValue.newBuilder().setKey(a.get("key").asText()).setValue(av).build());
        }
        return out;
    }
}
