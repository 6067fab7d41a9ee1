package dev.tracebench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.json.JsonTree;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.samples.SampleFiles;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evals}, {@code eval show} and {@code eval compare} on the bundled demo traces with their eval results
 * (read from the bundled {@code evals.jsonl} here, independently of the importers), and on a small hand-made run.
 */
class EvalCliTest {
    @TempDir
    static Path dir;
    static Path ws;
    static List<Map<String, Object>> demo;
    static ImportReport demoReport;
    String out;
    String err;

    @BeforeAll
    static void workspace() throws Exception {
        ws = dir.resolve("w.duckdb");
        Path traces = dir.resolve("traces.otlp.jsonl.gz");
        try (InputStream in = SampleFiles.open(SampleFiles.DEMO_TRACES)) {
            Files.copy(in, traces);
        }
        assertEquals(0, new EvalCliTest().run("import", "-w", ws.toString(), traces.toString()));
        demo = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(SampleFiles.open(SampleFiles.DEMO_EVALS),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> row = (Map<String, Object>) JsonTree.parse(line);
                demo.add(row);
            }
        }
        try (Workspace w = Workspace.open(ws)) {
            demoReport = store(w, "online", demo, UnaryOperator.identity());
            // a second run: groundedness of every other trace 0.1 lower
            List<String> traceOrder = new ArrayList<>(new TreeSet<>(demo.stream()
                    .map(m -> (String) m.get("trace_id")).toList()));
            store(w, "offline", demo, UnaryOperator.identity());
            store(w, "offline-lower", demo.stream().map(m -> {
                if (!m.get("evaluator").equals("groundedness") || traceOrder.indexOf(m.get("trace_id")) % 2 != 0) {
                    return m;
                }
                Map<String, Object> copy = new java.util.LinkedHashMap<>(m);
                copy.put("score", ((Number) m.get("score")).doubleValue() - 0.1);
                return copy;
            }).toList(), UnaryOperator.identity());
            // a small run with pass/fail and a secret in an explanation
            w.ingest("graded.jsonl", -1, s -> {
                int run = s.evalRun(new EvalRunData("graded", "jsonl", "graded.jsonl", Instant.parse(
                        "2026-11-21T00:00:00Z"), "{\"api_key\":\"sk-proj-abcdefghijklmnopqrstuvwx1234\"}", null));
                s.evalResult(run, EvalResultData.builder("format").exampleId("ex-1").input("q1").output("a1")
                        .passed(true).score(1.0).build());
                s.evalResult(run, EvalResultData.builder("format").exampleId("ex-2").input("q2").output("a2")
                        .passed(false).score(0.0).explanation("leaked sk-proj-abcdefghijklmnopqrstuvwx1234 in reply")
                        .build());
                s.evalResult(run, EvalResultData.builder("format").exampleId("ex-3").input("q3").output("a3")
                        .score(0.8).threshold(0.5).build());
                s.evalResult(run, EvalResultData.builder("format").exampleId("ex-4").input("q4").output("a4")
                        .score(0.2).threshold(0.5).build());
                return new SourceFacts("jsonl", "sha", 1);
            }, ProgressListener.NONE, CancellationToken.none());
        }
    }

    static ImportReport store(Workspace w, String name, List<Map<String, Object>> rows,
            UnaryOperator<Double> score) {
        return w.ingest(name + ".jsonl", -1, s -> {
            int run = s.evalRun(new EvalRunData(name, "tracebench-evals-jsonl", name + ".jsonl", null, null, null));
            int line = 0;
            for (Map<String, Object> m : rows) {
                line++;
                s.evalResult(run, EvalResultData.builder((String) m.get("evaluator")).location("line " + line)
                        .traceId((String) m.get("trace_id")).spanId((String) m.get("span_id"))
                        .score(score.apply(((Number) m.get("score")).doubleValue())).label((String) m.get("label"))
                        .explanation((String) m.get("explanation"))
                        .timestamp(Instant.parse((String) m.get("timestamp"))).build());
            }
            return new SourceFacts("tracebench-evals-jsonl", "sha", 1);
        }, ProgressListener.NONE, CancellationToken.none());
    }

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = TracebenchCli.run(new WorkspaceOpener(new AppHome(dir.resolve("home"))), new PrintWriter(o),
                new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    @Test
    void theDemoEvalsLandLinkedToTheDemoTraces() {
        assertEquals(ImportReport.Status.IMPORTED, demoReport.status(), demoReport.message());
        assertTrue(demo.size() > 1_000, "rows: " + demo.size());
        assertEquals(demo.size(), demoReport.evalResults());
        assertEquals(demo.size(), demoReport.evalLinked());
        assertTrue(demoReport.summaryLine().endsWith(String.format("1 eval run, %,d eval results (%,d linked to "
                + "traces) (%d ms)", demo.size(), demo.size(), demoReport.durationMs())), demoReport.summaryLine());
    }

    @Test
    void evalsListsTheRunsNewestFirst() {
        assertEquals(0, run("evals", "-w", ws.toString(), "--format", "csv"), err);
        String[] lines = out.split("\r\n");
        assertEquals("run_id,name,format,file,created,results,linked,evaluators", lines[0]);
        assertEquals(6, lines.length, out);
        // newest first: the demo runs by when they were imported (they do not say when they were made; the traces'
        // span evaluations first), the graded run by when it says it was made (2026-11-21, before this test ran)
        String evaluators = String.join(",", new TreeSet<>(demo.stream().map(m -> (String) m.get("evaluator"))
                .toList()));
        String counts = demo.size() + "," + demo.size() + ",\"" + evaluators + "\"";
        assertTrue(lines[1].matches("\\d+,offline-lower,tracebench-evals-jsonl,offline-lower.jsonl,," + counts),
                lines[1]);
        assertTrue(lines[2].contains(",offline,") && lines[3].contains(",online,"), out);
        // the online toxicity check's gen_ai.evaluation.result events in the traces, each linked to its trace
        long events = spanEvaluationEvents();
        assertTrue(lines[4].matches("\\d+,traces.otlp.jsonl.gz span evaluations,otel-genai-events,"
                + "traces.otlp.jsonl.gz,," + events + "," + events + ",toxicity"), lines[4]);
        assertTrue(lines[5].contains(",graded,"), out);
        assertTrue(out.contains(",online,tracebench-evals-jsonl,online.jsonl,," + counts), out);
        assertTrue(out.contains(",graded,jsonl,graded.jsonl,2026-11-21T00:00:00Z,4,0,format"), out);

        assertEquals(0, run("evals", "-w", ws.toString()), err);
        assertTrue(out.startsWith("run_id  name"), out);
        assertTrue(err.contains("5 eval runs"), err);
    }

    /** The gen_ai.evaluation.result events in the bundled traces, counted in the text. */
    static long spanEvaluationEvents() {
        try (InputStream in = new java.util.zip.GZIPInputStream(SampleFiles.open(SampleFiles.DEMO_TRACES))) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            long n = 0;
            for (int i = text.indexOf("\"gen_ai.evaluation.result\""); i >= 0;
                    i = text.indexOf("\"gen_ai.evaluation.result\"", i + 1)) {
                n++;
            }
            return n;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void showGivesTheMetricsComputedFromTheFile() {
        assertEquals(0, run("eval", "show", "online", "-w", ws.toString(), "--format", "json", "--limit", "3"), err);
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) JsonTree.parse(out);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> metrics = (List<Map<String, Object>>) doc.get("metrics");
        Map<String, double[]> expected = new TreeMap<>(); // evaluator -> count, sum, min, max
        Map<String, Map<String, Long>> labels = new TreeMap<>();
        for (Map<String, Object> m : demo) {
            double s = ((Number) m.get("score")).doubleValue();
            double[] a = expected.computeIfAbsent((String) m.get("evaluator"), k -> new double[] {0, 0, 9, -9});
            a[0]++;
            a[1] += s;
            a[2] = Math.min(a[2], s);
            a[3] = Math.max(a[3], s);
            labels.computeIfAbsent((String) m.get("evaluator"), k -> new TreeMap<>()).merge((String) m.get("label"),
                    1L, Long::sum);
        }
        assertEquals(expected.size(), metrics.size());
        int i = 0;
        for (Map.Entry<String, double[]> e : expected.entrySet()) {
            Map<String, Object> m = metrics.get(i++);
            assertEquals(e.getKey(), m.get("evaluator"));
            assertEquals((long) e.getValue()[0], ((Number) m.get("results")).longValue());
            assertEquals(Math.round(e.getValue()[1] / e.getValue()[0] * 1000) / 1000.0,
                    ((Number) m.get("mean")).doubleValue(), 1e-9);
            assertEquals(e.getValue()[2], ((Number) m.get("min")).doubleValue(), 1e-9);
            assertEquals(e.getValue()[3], ((Number) m.get("max")).doubleValue(), 1e-9);
            assertEquals(0L, ((Number) m.get("passed")).longValue()); // the demo rows carry no pass/fail
            String mostFrequent = labels.get(e.getKey()).entrySet().stream()
                    .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            assertTrue(((String) m.get("labels")).startsWith(mostFrequent + " "), m.toString());
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> examples = (List<Map<String, Object>>) doc.get("examples");
        assertEquals(3, examples.size());
        // the first example of the file, with the texts read from its trace's spans
        Map<String, Object> first = examples.get(0);
        assertEquals(demo.get(0).get("trace_id"), first.get("trace_id"));
        assertTrue(((String) first.get("verdicts")).startsWith("groundedness 0.814 grounded"), first.toString());
        assertFalse(((String) first.get("question")).isBlank(), first.toString());
        assertFalse(((String) first.get("answer")).isBlank(), first.toString());
    }

    @Test
    void showFailingListsOnlyFailingExamplesAndMasksSecrets() {
        assertEquals(0, run("eval", "show", "graded", "-w", ws.toString(), "--failing", "--format", "csv"), err);
        String[] sections = out.split("\r\n\r\n");
        assertEquals(3, sections.length, out);
        // 4 results: 2 passed (one said so, one scored 0.8 over its threshold 0.5), 2 failed; mean (1+0+0.8+0.2)/4
        assertTrue(sections[1].endsWith("\r\nformat,4,2,2,0.5,0.5,0.0,1.0,"), sections[1]);
        String[] examples = sections[2].split("\r\n");
        assertEquals(3, examples.length, sections[2]);
        assertTrue(examples[1].startsWith("ex-2,,q2,a2,format 0.0 fail,format: leaked sk-[masked] in reply"),
                examples[1]);
        assertTrue(examples[2].startsWith("ex-4,,q4,a4,format 0.2 fail"), examples[2]);
        assertFalse(out.contains("sk-proj"), out);

        assertEquals(0, run("eval", "show", "graded", "-w", ws.toString(), "--format", "json"), err);
        assertFalse(out.contains("sk-proj"), out);
        assertEquals(4, ((List<?>) ((Map<?, ?>) JsonTree.parse(out)).get("examples")).size());
    }

    @Test
    void compareFindsTheLoweredScoresAndTheirInterval() {
        assertEquals(0, run("eval", "compare", "online", "offline-lower", "-w", ws.toString(), "--format", "json",
                "--limit", "1000"), err);
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) JsonTree.parse(out);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> metrics = (List<Map<String, Object>>) doc.get("metrics");
        Map<String, Object> g = metrics.get(0);
        assertEquals("groundedness", g.get("evaluator"));
        long traces = demo.stream().filter(m -> m.get("evaluator").equals("groundedness")).count();
        assertEquals(traces, ((Number) g.get("paired")).longValue());
        double lowered = (traces + 1) / 2; // every other trace, in sorted order, starting with the first
        double delta = -0.1 * lowered / traces;
        assertEquals(Math.round(delta * 1000) / 1000.0, ((Number) g.get("delta")).doubleValue(), 1e-9);
        assertTrue(((Number) g.get("ci95_low")).doubleValue() <= delta
                && delta <= ((Number) g.get("ci95_high")).doubleValue(), g.toString());
        assertEquals(Boolean.TRUE, g.get("significant"));
        Map<String, Object> r = metrics.get(1);
        assertEquals("relevance", r.get("evaluator"));
        assertEquals(0.0, ((Number) r.get("delta")).doubleValue(), 1e-12);
        assertEquals(Boolean.FALSE, r.get("significant"));
        // a fall of 0.1 is more than 5% of the score range: every lowered example regressed, none was fixed
        assertEquals((long) lowered, ((List<?>) doc.get("regressed")).size());
        assertEquals(0, ((List<?>) doc.get("fixed")).size());

        assertEquals(0, run("eval", "compare", "online", "offline", "-w", ws.toString()), err);
        assertTrue(err.contains("0 regressed, 0 fixed"), err);
        assertTrue(out.contains("metrics\nevaluator"), out);
    }

    @Test
    void anUnknownRunIsAUsageErrorNamingTheRuns() {
        int code = run("eval", "show", "nope", "-w", ws.toString());
        assertNotEquals(0, code);
        assertTrue(err.contains("no eval run 'nope'") && err.contains("(online)"), err);
    }

    /** The benchmark runs end to end (a smoke test, not a timed one): every generated result is imported. */
    @Test
    void benchEvalsImportsEveryGeneratedResult() {
        assertEquals(0, run("bench", "evals", "--import", "600", "--runs", "2", "--answers", "300", "--embedded", "0"),
                err);
        assertTrue(out.contains("600 eval results, "), out);
        assertTrue(out.contains("run 1 (cold): ") && out.contains("run 2: "), out);
        assertFalse(out.contains("import failed"), out);
        assertTrue(out.contains("all 7 through the runner"), out);
    }
}
