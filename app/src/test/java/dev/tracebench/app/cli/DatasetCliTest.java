package dev.tracebench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.Provenance;
import dev.tracebench.core.dataset.Split;
import dev.tracebench.core.json.JsonTree;
import dev.tracebench.core.store.Workspace;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataset list|show|diff|test} end to end on a workspace holding hand-made datasets, and {@code bench datasets}
 * (a smoke test, not timed).
 */
class DatasetCliTest {
    @TempDir
    static Path dir;
    static Path ws;
    static List<DatasetExample> v1;
    static List<DatasetExample> v2;
    static final String KEY = "sk-proj-abcdefghijklmnopqrstuvwx1234";
    String out;
    String err;

    /**
     * Dataset "qa": 40 questions whose actual outputs are their expected answers (token F1 1.0 each); version 2
     * replaces the actual outputs of the first 20 with words none of the expected answers has (F1 0.0), tags one
     * example, removes one and adds one.
     */
    @BeforeAll
    static void workspace() {
        ws = dir.resolve("w.duckdb");
        v1 = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            String answer = "Answer number " + i + " says the pipeline runs on Linux";
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("source_id", "g-" + i);
            meta.put("model", "gpt-4o");
            v1.add(new DatasetExample("q-" + i, i == 3 ? "my key is " + KEY : "Question " + i + "?", List.of(),
                    List.of("Passage " + i + " about Linux."), answer, answer, meta, List.of("numbers", "t" + i % 3),
                    i % 2 == 0 ? Split.TEST : Split.TRAIN, "easy", "", Provenance.ofFile("qa.jsonl line " + i,
                    Instant.parse("2026-11-20T08:00:00Z"))));
        }
        v2 = new ArrayList<>();
        for (DatasetExample e : v1) {
            int i = Integer.parseInt(e.id().substring(2));
            if (i == 40) {
                continue;
            }
            if (i <= 20) {
                e = new DatasetExample(e.id(), e.input(), e.messages(), e.context(), e.expectedOutput(),
                        "Sorry, I cannot help with that request", e.metadata(), e.tags(), e.split(), e.difficulty(),
                        e.notes(), e.provenance());
            }
            if (i == 30) {
                e = e.withTags(List.of("numbers", "t0", "reviewed"));
            }
            v2.add(e);
        }
        v2.add(DatasetExample.of("q-41", "A new question?", "A new answer"));
        try (Workspace w = Workspace.open(ws)) {
            w.datasets().save("qa", "first", v1);
            w.datasets().describe("qa", "hand-made questions");
            w.datasets().save("qa", "worse answers", v2);
            w.datasets().save("no-answers", "", List.of(DatasetExample.of("x-1", "q", "a")));
        }
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

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> section(String json, String name) {
        return (List<Map<String, Object>>) ((Map<String, Object>) JsonTree.parse(json)).get(name);
    }

    @Test
    void listGivesEveryDatasetWithItsLatestVersion() {
        assertEquals(0, run("dataset", "list", "-w", ws.toString(), "--format", "csv"), err);
        String[] lines = out.split("\r\n");
        assertEquals("name,version,examples,created,updated,accepted_run,description", lines[0]);
        assertEquals(3, lines.length, out);
        assertTrue(lines[1].matches("no-answers,1,1,\\d{4}-.*Z,\\d{4}-.*Z,,"), lines[1]);
        assertTrue(lines[2].matches("qa,2,40,\\d{4}-.*Z,\\d{4}-.*Z,,hand-made questions"), lines[2]);

        assertEquals(0, run("dataset", "list", "-w", ws.toString()), err);
        assertTrue(out.startsWith("name"), out);
        assertTrue(err.contains("2 datasets"), err);
    }

    @Test
    void showGivesTheVersionsAndTheExamplesOfOneVersionMasked() {
        assertEquals(0, run("dataset", "show", "qa", "-w", ws.toString(), "--version", "1", "--limit", "3",
                "--format", "json"), err);
        List<Map<String, Object>> versions = section(out, "versions");
        assertEquals(2, versions.size());
        assertEquals("first", versions.get(0).get("message"));
        assertEquals(40L, ((Number) versions.get(0).get("examples")).longValue());
        assertEquals("worse answers", versions.get(1).get("message"));
        assertEquals(40L, ((Number) versions.get(1).get("examples")).longValue());
        List<Map<String, Object>> examples = section(out, "examples");
        assertEquals(3, examples.size());
        Map<String, Object> first = examples.get(0);
        assertEquals("q-1", first.get("id"));
        assertEquals("Question 1?", first.get("input"));
        assertEquals(v1.get(0).expectedOutput(), first.get("expected_output"));
        assertEquals(v1.get(0).actualOutput(), first.get("actual_output"));
        assertEquals("Passage 1 about Linux.", first.get("context"));
        assertEquals("numbers, t1", first.get("tags"));
        assertEquals("train", first.get("split"));
        assertEquals("source_id: g-1; model: gpt-4o", first.get("metadata"));
        assertEquals("qa.jsonl line 1", first.get("source"));
        // a credential in an example is masked, in every format
        assertEquals("my key is sk-[masked]", examples.get(2).get("input"));
        assertFalse(out.contains(KEY), out);
        assertEquals(0, run("dataset", "show", "qa", "-w", ws.toString(), "--version", "1"), err);
        assertFalse(out.contains(KEY), out);
        assertTrue(err.contains("version 1: 40 examples (the first 20 shown; --limit N)"), err);

        assertEquals(2, run("dataset", "show", "qa", "-w", ws.toString(), "--version", "3"));
        assertTrue(err.contains("dataset 'qa' has no version 3 (it has versions 1 to 2)"), err);
        assertEquals(2, run("dataset", "show", "nope", "-w", ws.toString()));
        assertTrue(err.contains("no dataset 'nope' (datasets: no-answers, qa)"), err);
    }

    @Test
    void diffNamesTheAddedRemovedAndChangedExamples() {
        assertEquals(0, run("dataset", "diff", "qa", "1", "2", "-w", ws.toString(), "--format", "json"), err);
        Map<String, Object> summary = section(out, "summary").get(0);
        assertEquals(1L, ((Number) summary.get("added")).longValue());
        assertEquals(1L, ((Number) summary.get("removed")).longValue());
        assertEquals(21L, ((Number) summary.get("changed")).longValue(), "20 answers and one example's tags");
        List<Map<String, Object>> changes = section(out, "changes");
        assertEquals(Map.of("example", "q-41", "change", "added", "field", "input", "after", "A new question?"),
                withoutNulls(changes.get(0)));
        assertEquals(Map.of("example", "q-40", "change", "removed", "field", "input", "before", "Question 40?"),
                withoutNulls(changes.get(1)));
        assertEquals(Map.of("example", "q-1", "change", "changed", "field", "actual output", "before",
                v1.get(0).actualOutput(), "after", "Sorry, I cannot help with that request"),
                withoutNulls(changes.get(2)));
        assertEquals(Map.of("example", "q-30", "change", "changed", "field", "tags", "before", "numbers, t0",
                "after", "numbers, t0, reviewed"), withoutNulls(changes.get(changes.size() - 1)));
        assertEquals(2 + 21, changes.size());

        assertEquals(0, run("dataset", "diff", "qa", "1", "2", "-w", ws.toString(), "--limit", "2"), err);
        assertTrue(err.contains("version 1 -> 2: 1 added, 1 removed, 21 changed (the first 2 examples shown"), err);
        assertEquals(0, run("dataset", "diff", "qa", "2", "2", "-w", ws.toString(), "--format", "csv"), err);
        assertEquals("dataset,from,to,added,removed,changed\r\nqa,2,2,0,0,0\r\n\r\nexample,change,field,before,after"
                + "\r\n", out);
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>(m);
        out.values().removeIf(v -> v == null);
        return out;
    }

    /** The gate: no baseline, accept, the same answers pass, worse answers fail with the metric and its interval. */
    @Test
    void testGatesOnTheAcceptedRun() {
        Path w = dir.resolve("gate.duckdb");
        try (Workspace x = Workspace.open(w)) {
            x.datasets().save("qa", "first", v1);
            x.datasets().save("qa", "worse answers", v2);
        }
        String[] golden = {"dataset", "test", "qa", "-w", w.toString(), "--evaluators", "golden"};

        assertEquals(0, run(concat(golden, "--version", "1")), err);
        assertTrue(out.startsWith("dataset qa version 1: 40 examples judged by golden; stored as eval run 1 "
                + "(dataset qa v1)"), out);
        assertTrue(out.contains("dataset qa has no accepted run yet: nothing to compare eval run 1 with. Make it the "
                + "baseline with: tracebench dataset test qa --against 1 --accept"), out);

        assertEquals(0, run("dataset", "test", "qa", "-w", w.toString(), "--against", "1", "--accept"), err);
        assertTrue(out.contains("dataset qa had no accepted run: eval run 1 (dataset qa v1) is now its baseline."),
                out);
        assertEquals(0, run("dataset", "list", "-w", w.toString(), "--format", "csv"), err);
        assertTrue(out.split("\r\n")[1].matches("qa,2,40,.*Z,1,"), out);

        // the same answers again: no regression
        assertEquals(0, run(concat(golden, "--version", "1")), err);
        assertTrue(out.contains("no regression: eval run 2 against the accepted run 1 of dataset qa, no metric got "
                + "worse"), out);

        // version 2: half the answers are wrong. 39 examples pair with the baseline; 20 of them fell from 1 to 0
        assertEquals(DatasetTestCommand.REGRESSION, run(golden), err);
        assertTrue(out.startsWith("dataset qa version 2: 39 examples judged by golden; stored as eval run 3 (dataset qa "
                + "v2); 1 without an actual output left out"), out);
        Matcher m = Pattern.compile("REGRESSION: eval run 3 against the accepted run 1 of dataset qa:\n  golden: mean "
                + "score fell from 1\\.000 to 0\\.487 \\(-0\\.513; 95% interval (-0\\.\\d{3}) to (-0\\.\\d{3})\\) over 39 "
                + "paired examples; pass rate 1\\.000 -> 0\\.487").matcher(out);
        assertTrue(m.find(), out);
        double low = Double.parseDouble(m.group(1));
        double high = Double.parseDouble(m.group(2));
        assertTrue(low < -0.513 && high > -0.513 && high < 0, m.group());

        // as JSON: the regressions section names the metric
        assertEquals(DatasetTestCommand.REGRESSION, run(concat(golden, "--format", "json")), err);
        List<Map<String, Object>> regressions = section(out, "regressions");
        assertEquals(1, regressions.size());
        assertEquals("golden", regressions.get(0).get("evaluator"));
        assertEquals(-0.513, ((Number) regressions.get(0).get("delta")).doubleValue(), 1e-9);
        assertTrue(err.contains("REGRESSION: eval run 4 against the accepted run 1"), err);

        // an existing run, by id: the same verdict; the accepted run against itself: nothing to compare
        assertEquals(DatasetTestCommand.REGRESSION, run("dataset", "test", "qa", "-w", w.toString(), "--against",
                "3"), err);
        assertEquals(0, run("dataset", "test", "qa", "-w", w.toString(), "--against", "1"), err);
        assertTrue(out.contains("eval run 1 is the accepted run of dataset qa: nothing to compare."), out);

        // accepting the worse run makes it the baseline (the exit code still reports the regression)
        assertEquals(DatasetTestCommand.REGRESSION, run("dataset", "test", "qa", "-w", w.toString(), "--against",
                "3", "--accept"), err);
        assertTrue(out.contains("eval run 3 is now the accepted run of dataset qa."), out);
        assertEquals(0, run("dataset", "test", "qa", "-w", w.toString(), "--against", "4"), err);
        assertTrue(out.contains("no regression: eval run 4 against the accepted run 3"), out);
    }

    @Test
    void testRefusesWhatItCannotJudge() {
        assertEquals(2, run("dataset", "test", "no-answers", "-w", ws.toString(), "--evaluators", "golden"));
        assertTrue(err.contains("none of the 1 examples of dataset 'no-answers' version 1 has an actual output"), err);
        assertEquals(2, run("dataset", "test", "qa", "-w", ws.toString()));
        assertTrue(err.contains("give either --against RUN or --evaluators IDS"), err);
        assertEquals(2, run("dataset", "test", "qa", "-w", ws.toString(), "--evaluators", "golden", "--against", "1"));
        assertEquals(2, run("dataset", "test", "qa", "-w", ws.toString(), "--evaluators", "goldn"));
        assertTrue(err.contains("unknown evaluator 'goldn'"), err);
        assertEquals(2, run("dataset", "test", "qa", "-w", ws.toString(), "--against", "99"));
        assertTrue(err.contains("no eval run '99'"), err);
    }

    @Test
    void benchDatasetsRunsEndToEnd() {
        assertEquals(0, run("bench", "datasets", "--examples", "400", "--runs", "1", "--dir", dir.toString()), err);
        assertTrue(out.contains("400 examples, then 400 (20 changed, 4 removed, 4 added)"), out);
        assertTrue(out.contains("diff of versions 1 and 2 (4 added, 4 removed, 20 changed)"), out);
        assertTrue(out.contains("open (all 400 examples of version 2)"), out);
        assertTrue(out.matches("(?s).*filter \"retention\" in memory \\([1-9]\\d* match\\).*"), out);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
