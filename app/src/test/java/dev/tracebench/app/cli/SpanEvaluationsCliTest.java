package dev.tracebench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace file with {@code gen_ai.evaluation.result} events through the command line: {@code import} says how many
 * eval results came from the spans, {@code evals} lists their run, {@code eval show} gives the verdicts with the
 * question and answer of the judged model call.
 */
class SpanEvaluationsCliTest {
    @TempDir
    Path dir;
    String out;
    String err;

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = TracebenchCli.run(new WorkspaceOpener(new AppHome(dir.resolve("home"))), new PrintWriter(o),
                new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private static String kv(String key, String value) {
        return "{\"key\": \"" + key + "\", \"value\": {\"stringValue\": " + value + "}}";
    }

    @Test
    void eventsInATraceFileShowAsAnEvalRun() throws Exception {
        String input = "[{\\\"role\\\":\\\"user\\\",\\\"parts\\\":[{\\\"type\\\":\\\"text\\\",\\\"content\\\":"
                + "\\\"Weather in Paris?\\\"}]}]";
        String output = "[{\\\"role\\\":\\\"assistant\\\",\\\"parts\\\":[{\\\"type\\\":\\\"text\\\",\\\"content\\\":"
                + "\\\"Rainy, 57F.\\\"}],\\\"finish_reason\\\":\\\"stop\\\"}]";
        Path file = dir.resolve("chat.otlp.json");
        Files.writeString(file, """
                {"resourceSpans": [{"resource": {"attributes": [%s]}, "scopeSpans": [{"spans": [
                  {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b173", "name": "chat gpt-4o",
                   "kind": 3, "startTimeUnixNano": "1764000000000000000", "endTimeUnixNano": "1764000001000000000",
                   "attributes": [%s, %s, %s, %s],
                   "events": [
                     {"timeUnixNano": "1764000002000000000", "name": "gen_ai.evaluation.result", "attributes": [
                       %s, {"key": "gen_ai.evaluation.score.value", "value": {"doubleValue": 0.9}}, %s]},
                     {"timeUnixNano": "1764000002000000000", "name": "gen_ai.evaluation.result", "attributes": [
                       %s, {"key": "gen_ai.evaluation.score.value", "value": {"doubleValue": 0.0}}, %s, %s]}]}]}]}]}
                """.formatted(kv("service.name", "\"bot\""), kv("gen_ai.operation.name", "\"chat\""),
                kv("gen_ai.request.model", "\"gpt-4o\""), kv("gen_ai.input.messages", "\"" + input + "\""),
                kv("gen_ai.output.messages", "\"" + output + "\""), kv("gen_ai.evaluation.name", "\"relevance\""),
                kv("gen_ai.evaluation.score.label", "\"relevant\""), kv("gen_ai.evaluation.name", "\"correctness\""),
                kv("gen_ai.evaluation.score.label", "\"fail\""),
                kv("gen_ai.evaluation.explanation", "\"57F is not what the forecast said.\"")));
        String ws = dir.resolve("w.duckdb").toString();
        assertEquals(0, run("import", "-w", ws, file.toString()), err + out);
        assertTrue(out.contains("chat.otlp.json: otlp-json, 1 spans read, 1 added, 1 eval run, 2 eval results from "
                + "span evaluations (2 linked to traces)"), out);

        assertEquals(0, run("evals", "-w", ws, "--format", "csv"), err);
        assertTrue(out.contains(",chat.otlp.json span evaluations,otel-genai-events,chat.otlp.json,,2,2,"
                + "\"correctness,relevance\""), out);

        assertEquals(0, run("eval", "show", "chat.otlp.json span", "-w", ws, "--format", "csv"), err);
        String[] sections = out.split("\r\n\r\n");
        assertEquals(3, sections.length, out);
        // correctness: one result, failed (its label is the verdict); relevance: a score, no verdict
        assertTrue(sections[1].contains("\r\ncorrectness,1,0,1,0.0,0.0,0.0,0.0,fail 1"), sections[1]);
        assertTrue(sections[1].contains("\r\nrelevance,1,0,0,,0.9,0.9,0.9,relevant 1"), sections[1]);
        // the example: the judged call's question and answer, read from the trace
        String[] examples = sections[2].split("\r\n");
        assertEquals(2, examples.length, sections[2]);
        assertTrue(examples[1].startsWith("5b8efff798038103d269b633813fc60c,5b8efff798038103d269b633813fc60c,"
                + "Weather in Paris?,\"Rainy, 57F.\","), examples[1]);
        assertTrue(examples[1].contains("correctness: 57F is not what the forecast said."), examples[1]);
    }
}
