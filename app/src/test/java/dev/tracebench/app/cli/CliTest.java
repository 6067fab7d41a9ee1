package dev.tracebench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI through picocli, with its exit codes and output formats. */
class CliTest {
    @TempDir
    Path dir;
    WorkspaceOpener opener;
    String out;
    String err;

    @BeforeEach
    void home() {
        opener = new WorkspaceOpener(new AppHome(dir.resolve("home")));
    }

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = TracebenchCli.run(opener, new PrintWriter(o), new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    Path write(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    static String otlp(String traceHex, String spanHex, String name, long startMs, long durMs, int status) {
        return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
                + "{\"stringValue\":\"cli-svc\"}}]},\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + traceHex
                + "\",\"spanId\":\"" + spanHex + "\",\"name\":\"" + name + "\",\"startTimeUnixNano\":\""
                + startMs * 1_000_000 + "\",\"endTimeUnixNano\":\"" + (startMs + durMs) * 1_000_000
                + "\",\"status\":{\"code\":" + status + "}}]}]}]}\n";
    }

    @Test
    void importIntoANamedWorkspaceThenListAndQuery() throws Exception {
        Path ws = dir.resolve("w.duckdb");
        Path f = write("a.jsonl", otlp("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "POST /chat", 1000,
                2500, 0) + otlp("1af7651916cd43dd8448eb211c80319c", "c7ad6b7169203331", "GET /health", 2000, 3, 2));
        assertEquals(0, run("import", "--workspace", ws.toString(), f.toString()), err);
        assertTrue(out.contains("2 spans read, 2 added"), out);
        assertTrue(Files.exists(ws));

        assertEquals(0, run("traces", "-w", ws.toString(), "--format", "csv"), err);
        String[] lines = out.split("\r\n");
        assertEquals("trace_id,start,root_operation,service,duration_ms,spans,errors,tokens", lines[0]);
        assertEquals(3, lines.length);
        assertTrue(lines[1].startsWith("1af7651916cd43dd8448eb211c80319c,1970-01-01T00:00:02.000Z,GET /health,cli-svc,"
                + "3.0,1,1,0"), lines[1]);

        assertEquals(0, run("traces", "-w", ws.toString(), "--min-duration", "1s", "--format", "json"), err);
        assertTrue(out.contains("\"root_operation\" : \"POST /chat\""), out);
        assertFalse(out.contains("GET /health"), out);
        assertTrue(out.contains("\"duration_ms\" : 2500.0"), out);

        assertEquals(0, run("traces", "-w", ws.toString(), "--errors"), err);
        assertTrue(out.contains("GET /health") && !out.contains("POST /chat"), out);
        assertTrue(err.contains("1 of 1 matching traces"), err);

        assertEquals(0, run("query", "-w", ws.toString(), "--format", "csv",
                "SELECT name, status_code FROM spans ORDER BY name"), err);
        assertEquals("name,status_code\r\nGET /health,2\r\nPOST /chat,0\r\n", out);
    }

    @Test
    void exitCodesSayWhetherEverythingLanded() throws Exception {
        Path ws = dir.resolve("w.duckdb");
        Path good = write("good.json", otlp("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "ok", 1, 1, 0));
        Path partial = write("partial.jsonl", otlp("2af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "ok", 1,
                1, 0) + otlp("not-a-trace-id", "b7ad6b7169203331", "bad", 1, 1, 0));
        Path unusable = write("notes.txt", "these are not traces");
        assertEquals(0, run("import", "-w", ws.toString(), good.toString()));
        assertEquals(1, run("import", "-w", ws.toString(), partial.toString()));
        assertTrue(err.contains("traceId 'not-a-trace-id' is not 32 hex digits"), err);
        assertTrue(err.contains("line 2, resourceSpans[0].scopeSpans[0].spans[0]"), err);
        assertEquals(2, run("import", "-w", ws.toString(), unusable.toString()));
        assertTrue(err.contains("notes.txt: unusable — is neither JSON nor OTLP protobuf"), err);
        assertEquals(2, run("import", "-w", ws.toString(), good.toString(), unusable.toString()));
        assertTrue(out.contains("0 added, 1 already in workspace"), out);
        assertEquals(2, run("import", "-w", ws.toString(), dir.resolve("missing.json").toString()));
    }

    @Test
    void aFolderImportsEveryTraceFileInItAndListsWhatItSkipped() throws Exception {
        Path ws = dir.resolve("folder.duckdb");
        Path folder = Files.createDirectories(dir.resolve("exports/nested"));
        Files.writeString(folder.resolve("a.json"), otlp("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "a",
                1000, 10, 1));
        Files.writeString(dir.resolve("exports/b.jsonl"), otlp("1af7651916cd43dd8448eb211c80319c", "c7ad6b7169203331",
                "b", 2000, 10, 1));
        Files.writeString(dir.resolve("exports/README.md"), "# exported traces");
        Files.createDirectories(dir.resolve("exports/.git"));
        Files.writeString(dir.resolve("exports/.git/HEAD"), "ref: refs/heads/main");
        assertEquals(0, run("import", "-w", ws.toString(), dir.resolve("exports").toString()), err);
        assertTrue(out.contains("skipped " + dir.resolve("exports/README.md") + ": not a trace or eval file: it is neither "
                + "JSON nor OTLP protobuf (it starts with '# exported t')"), out);
        assertFalse(out.contains(".git"), out);
        assertTrue(out.contains("2 file(s): 2 spans added, 0 records rejected, 1 file(s) skipped (not trace, eval or "
                + "dataset files)"), out);

        // a recognised file that holds no spans makes it 1; a folder without any trace file 2
        Files.writeString(dir.resolve("exports/empty.json"), "{\"resourceSpans\":[]}");
        assertEquals(1, run("import", "-w", ws.toString(), dir.resolve("exports").toString()), err);
        assertTrue(err.contains("rejected at file: no spans were read: the file was recognised as OTLP/JSON but holds "
                + "no spans"), err);
        Path nothing = Files.createDirectories(dir.resolve("nothing"));
        Files.writeString(nothing.resolve("notes.txt"), "hello");
        assertEquals(2, run("import", "-w", ws.toString(), nothing.toString()));
        assertTrue(err.contains("no trace, eval or dataset file in this folder (1 file(s) looked at, none "
                + "recognised)"), err);
    }

    @Test
    void aColumnMappingNamesATablesColumnsAndAMissingColumnIsAClearError() throws Exception {
        Path ws = dir.resolve("w.duckdb");
        Path table = write("odd.csv", "tid,check,points\nabc,tone,4\n");
        assertEquals(2, run("import", "-w", ws.toString(), "--map", "trace_id=tid,score=nope", table.toString()));
        assertTrue(err.contains("odd.csv: unusable — the column mapping names column 'nope' for score, but the file "
                + "has no such column (its columns: tid, check, points)"), err);
        assertEquals(2, run("import", "-w", ws.toString(), "--map", "colour=red", table.toString()));
        assertTrue(err.startsWith("error: unknown field 'colour' in the column mapping (fields: trace_id, span_id"),
                err);
        // without a mapping the table is explained, with what to do
        assertEquals(2, run("import", "-w", ws.toString(), table.toString()));
        assertTrue(err.contains("is a table with the columns tid, check, points, but none holds a score, label or "
                + "pass/fail that Tracebench recognises; if it holds eval results, name its columns with a mapping "
                + "(--map"), err);
    }

    @Test
    void aDatasetFileIsImportedAsADatasetAndRefusedAsEvalResults() throws Exception {
        Path ws = dir.resolve("w.duckdb");
        Path samples = write("samples.jsonl", "{\"input\": [{\"role\": \"user\", \"content\": \"2+2?\"}], "
                + "\"ideal\": \"4\"}\n");
        assertEquals(0, run("import", "-w", ws.toString(), samples.toString()), err);
        assertEquals(samples + ": dataset samples version 1, 1 example (openai-evals)\n", out.substring(out.indexOf(
                '\n') + 1).replace("\r\n", "\n"));
        // read as eval results (a forced eval format), it is refused with what to do instead
        assertEquals(2, run("import", "-w", ws.toString(), "--format", "eval-jsonl", samples.toString()));
        assertTrue(err.contains("samples.jsonl: unusable"), err);
    }

    @Test
    void withoutWorkspaceTheDefaultWorkspaceIsCreatedWithTheSampleTraces() {
        assertEquals(0, run("traces", "--limit", "3"), err);
        assertTrue(Files.exists(opener.home().defaultWorkspace()));
        assertTrue(err.contains("3 of 3,000 matching traces"), err);
        assertEquals(0, run("query", "SELECT count(*) AS spans FROM spans"), err);
        assertTrue(out.contains("35194"), out);
    }

    @Test
    void queriesThatWouldWriteAreRefused() throws Exception {
        Path ws = dir.resolve("w.duckdb");
        run("import", "-w", ws.toString(), write("a.json", otlp("0af7651916cd43dd8448eb211c80319c",
                "b7ad6b7169203331", "x", 1, 1, 0)).toString());
        assertEquals(2, run("query", "-w", ws.toString(), "DELETE FROM spans"));
        assertTrue(err.contains("Refused"), err);
        assertEquals(2, run("query", "-w", ws.toString(), "SELECT 1; DROP TABLE spans"));
        assertEquals(2, run("query", "-w", ws.toString(), "SELECT * FROM no_such_table"));
        assertTrue(err.contains("no_such_table"), err);
        assertEquals(0, run("query", "-w", ws.toString(), "--format", "json", "SELECT count(*) AS n FROM spans"));
        assertTrue(out.replaceAll("\\s", "").equals("[{\"n\":1}]"), out);
    }

    @Test
    void queryOutputMasksSecretsUnlessAskedToRevealThem() throws Exception {
        Path ws = dir.resolve("w.duckdb");
        String span = otlp("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "POST /chat", 1, 1, 0)
                .replace("\"status\"", "\"attributes\":[{\"key\":\"http.request.header.authorization\",\"value\":"
                        + "{\"stringValue\":\"Bearer sk-live-4f9a8b7c6d5e4f3a2b1c0d9e\"}}],\"status\"");
        assertEquals(0, run("import", "-q", "-w", ws.toString(), write("s.jsonl", span).toString()), err);
        String sql = "SELECT attr(attributes, 'http.request.header.authorization') AS authorization, "
                + "attributes::VARCHAR AS json FROM spans";
        assertEquals(0, run("query", "-w", ws.toString(), "--format", "csv", sql), err);
        assertFalse(out.contains("sk-live-4f9a"), out);
        assertTrue(out.startsWith("authorization,json\r\nBearer [masked],"), out);
        assertEquals(0, run("query", "-w", ws.toString(), "--format", "csv", "--reveal-secrets", sql), err);
        assertTrue(out.contains("Bearer sk-live-4f9a8b7c6d5e4f3a2b1c0d9e"), out);
    }

    @Test
    void breakdownAndExplainOnTheSample() {
        // the default workspace holds the sample traces
        assertEquals(0, run("breakdown", "--format", "csv"), err);
        String[] lines = out.split("\r\n");
        assertEquals("stage,operation,traces,p50,p90,p95,p99,mean,share", lines[0]);
        assertTrue(out.contains("\ninference,,3000,") || out.contains("\ninference,,"), out);
        assertEquals(0, run("breakdown", "--by", "model", "--cohort", "slow:p95", "--operations"), err);
        assertTrue(out.contains("gpt-4o-mini") && out.contains("retrieval"), out);
        assertTrue(err.contains("slow requests (≥ p95 of their operation):"), err);
        // each group with its own operations under its stages
        assertEquals(0, run("breakdown", "--by", "model", "--operations", "--format", "csv"), err);
        assertTrue(java.util.Arrays.stream(out.split("\r\n")).anyMatch(l -> l.startsWith("gpt-4o-mini,inference,")
                && !l.startsWith("gpt-4o-mini,inference,,")), out);
        assertTrue(java.util.Arrays.stream(out.split("\r\n")).anyMatch(l -> l.startsWith("claude-3-5-sonnet,tool,")
                && !l.startsWith("claude-3-5-sonnet,tool,,")), out);

        assertEquals(0, run("explain", "--cohort", "slow:p95", "--format", "markdown"), err);
        assertTrue(out.startsWith("## Why slow requests (≥ p95 of their operation) differ"), out);
        // the demo plants a slow kb-archive shard and a model rollout
        assertTrue(out.contains("archive-1") || out.contains("kb-archive"), out);
        assertTrue(out.contains("- Example traces: `"), out);

        assertEquals(0, run("explain", "--cohort", "errors", "--format", "json", "--min-severity", "warning"), err);
        assertTrue(out.contains("\"findings\""), out);
        assertTrue(out.startsWith("{\n  \"title\" : \"Why traces with an error differ"), out);
        assertFalse(out.contains("\"severity\" : \"info\""), out);
        assertEquals(0, run("explain", "--cohort", "failed", "--format", "json"), err);
        assertTrue(out.startsWith("{\n  \"title\" : \"Why failed requests differ"), out);
        assertTrue(out.contains("\"span_id\" : \""), "examples name their span: " + out);

        assertEquals(0, run("explain", "--checks-only"), err);
        assertTrue(out.contains("Inference takes") && out.contains("of all request time on the critical path"), out);
        assertEquals(0, run("explain", "--checks-only", "--set", "dominantStageShare=0.99"), err);
        assertFalse(out.contains("of all request time on the critical path"),
                "a threshold above every stage's share silences the check: " + out);
        assertEquals(2, run("explain", "--set", "minSupport=3"));
        assertTrue(err.contains("minSupport: a share between 0 and 1"), err);
        assertEquals(2, run("explain", "--cohort", "x; DROP TABLE spans"));
        assertTrue(err.contains("--cohort") && err.contains("';'"), err);
        assertEquals(2, run("breakdown", "--by", "colour"));
        assertTrue(err.contains("unknown dimension 'colour'"), err);
    }

    @Test
    void explainNeverPrintsASecret() throws Exception {
        // the slow requests all carry one bearer key (and a note quoting it); the fast ones another
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            boolean slow = i < 20;
            String key = slow ? "sk-live-4f9a8b7c6d5e4f3a2b1c0d9e" : "sk-live-00000000000000000000";
            file.append(otlp(String.format("%032x", i + 1), String.format("%016x", i + 1), "POST /chat", i * 1000L,
                    slow ? 3000 : 100, 0).replace("\"status\"", "\"attributes\":[{\"key\":"
                    + "\"http.request.header.authorization\",\"value\":{\"stringValue\":\"Bearer " + key + "\"}},"
                    + "{\"key\":\"app.note\",\"value\":{\"stringValue\":\"api_key=" + key + "\"}}],\"status\""));
        }
        Path ws = dir.resolve("w.duckdb");
        assertEquals(0, run("import", "-q", "-w", ws.toString(), write("s.jsonl", file.toString()).toString()), err);
        for (String format : new String[] {"text", "markdown", "json"}) {
            assertEquals(0, run("explain", "-w", ws.toString(), "--cohort", "slow:2s", "--format", format), err);
            assertTrue(out.contains("requests ≥ 2.00 s"), out);
            assertFalse(out.contains("sk-live"), format + ": " + out);
            assertFalse(out.contains("authorization"), "a credential is no dimension: " + out);
        }
    }

    @Test
    void explainsHelpNamesEveryThresholdWithItsDefault() {
        assertEquals(0, run("explain", "--help"));
        String help = out.replaceAll("\\s+", " ");
        for (dev.tracebench.core.analysis.CheckSettings.Setting s : dev.tracebench.core.analysis.CheckSettings
                .SETTINGS) {
            assertTrue(help.contains(s.id()), s.id() + " in " + help);
        }
        StringBuilder defaults = new StringBuilder();
        for (dev.tracebench.core.analysis.CheckSettings.Setting s : dev.tracebench.core.analysis.CheckSettings
                .SETTINGS) {
            double d = s.defaultValue();
            defaults.append(defaults.length() == 0 ? "" : ", ").append(d == Math.rint(d) ? Long.toString((long) d)
                    : Double.toString(d));
        }
        assertTrue(help.contains("Defaults: " + defaults + "."), defaults + " in " + help);
        assertTrue(help.contains("errors (traces with an error: any span failed), failed (failed requests: the root "
                + "span failed)"), help);
    }

    @Test
    void badOptionsExplainThemselves() {
        assertEquals(2, run("traces", "--min-duration", "soon"));
        assertTrue(err.contains("--min-duration") && err.contains("soon"), err);
        assertEquals(2, run("traces", "--format", "xml"));
        assertTrue(err.contains("unknown format 'xml'"), err);
        assertEquals(2, run("traces", "--sort", "color"));
        assertEquals(2, run("import"));
        assertTrue(err.contains("Missing required parameter"), err);
    }

    @Test
    void anIncompatibleWorkspaceIsRefusedWithExitCode2() throws Exception {
        Path notWs = write("x.duckdb", "plain text");
        assertEquals(2, run("traces", "-w", notWs.toString()));
        assertTrue(err.contains("not a Tracebench workspace"), err);
        assertEquals("plain text", Files.readString(notWs));
    }

    @Test
    void anUnusableDefaultWorkspaceIsMovedAsideAndReadCommandsSaySo() throws Exception {
        Path def = opener.home().defaultWorkspace();
        Files.createDirectories(def.getParent());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + def);
                java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers(id INTEGER)"); // another application's database
        }
        assertEquals(0, run("traces", "--limit", "1"), err);
        assertTrue(err.contains("The default workspace could not be used") && err.contains("another application")
                && err.contains("It was kept as"), err);
        assertTrue(err.contains("1 of 3,000 matching traces"), err);
        try (java.util.stream.Stream<Path> files = Files.list(def.getParent())) {
            assertEquals(1, files.filter(p -> p.getFileName().toString().startsWith("default.incompatible-")).count());
        }
        assertEquals(0, run("traces", "--limit", "1"), err);
        assertFalse(err.contains("could not be used"), "said once: " + err);
    }

    @Test
    void generateWritesAScenarioThatImportsBack() throws Exception {
        Path genDir = dir.resolve("gen");
        assertEquals(0, run("generate", "--scenario", "slow-shard", "--traces", "300", "--seed", "4", "--out",
                genDir.toString(), "--gzip"), err);
        assertTrue(this.out.contains("slow-shard: 300 traces (one per request)"), this.out);
        // the file exporter's batches of 25 traces: 300 / 25 export requests, not "requests" of the applications
        assertTrue(this.out.contains("written as 12 OTLP export batches"), this.out);
        String summary = this.out;
        long spans = Long.parseLong(summary.replaceAll("(?s).*300 traces \\(one per request\\), ([0-9,]+) spans.*", "$1")
                .replace(",", ""));
        assertTrue(Files.readString(genDir.resolve("truth.json")).contains("\"value\" : \"kb-archive\""));
        assertTrue(Files.exists(genDir.resolve("evals.jsonl")));
        Path ws = dir.resolve("gen.duckdb");
        assertEquals(0, run("import", "-w", ws.toString(), genDir.resolve("traces.otlp.jsonl.gz").toString()), err);
        assertEquals(0, run("query", "-w", ws.toString(), "--format", "csv", "SELECT count(*) AS n FROM spans"));
        assertEquals("n\r\n" + spans + "\r\n", this.out);
        assertEquals(2, run("generate", "--scenario", "meltdown", "--traces", "5", "--out", genDir.toString()));
        assertTrue(err.contains("unknown scenario 'meltdown'"), err);
    }

    /**
     * Quality cohorts in every command that takes a cohort, on the hallucination scenario (its traces and
     * evals.jsonl imported).
     */
    @Test
    void qualityCohortsOnTheCommandLine() throws Exception {
        Path genDir = dir.resolve("spike");
        assertEquals(0, run("generate", "--scenario", "hallucination-spike", "--traces", "2000", "--seed", "3",
                "--out", genDir.toString()), err);
        Path ws = dir.resolve("spike.duckdb");
        assertEquals(0, run("import", "-w", ws.toString(), genDir.resolve("traces.otlp.jsonl").toString()), err);
        long hallucinated = Files.readAllLines(genDir.resolve("evals.jsonl")).stream()
                .filter(l -> l.contains("\"evaluator\":\"groundedness\"") && l.contains("\"label\":\"hallucinated\""))
                .count();
        assertTrue(hallucinated > 5, "planted: " + hallucinated);
        assertEquals(0, run("import", "-w", ws.toString(), genDir.resolve("evals.jsonl").toString()), err);

        assertEquals(0, run("traces", "-w", ws.toString(), "--cohort", "eval:groundedness=hallucinated", "--limit",
                "1000", "--format", "csv"), err);
        assertEquals(hallucinated + 1, out.split("\r\n").length, out);
        assertEquals(0, run("traces", "-w", ws.toString(), "--cohort", "eval:groundedness=hallucinated"), err);
        assertTrue(err.contains(hallucinated + " matching traces (hallucinated answers (groundedness = "
                + "hallucinated))"), err);

        assertEquals(0, run("explain", "-w", ws.toString(), "--cohort", "eval:groundedness=hallucinated"), err);
        assertTrue(out.startsWith("Why are these answers bad? Hallucinated answers (groundedness = hallucinated)"),
                out);
        assertTrue(out.contains("of hallucinated answers came from tenant t-initech")
                || out.contains("of hallucinated answers retrieved no documents"), out);
        assertFalse(out.contains("spent more than"), out);

        assertEquals(0, run("breakdown", "-w", ws.toString(), "--cohort", "eval:any-fail", "--by", "tenant"), err);
        assertTrue(out.contains("t-initech"), out);
        assertTrue(err.contains("answers that failed an eval:"), err);

        // a misspelt evaluator or label, or a malformed cohort, is a usage error saying what there is
        assertEquals(2, run("explain", "-w", ws.toString(), "--cohort", "eval:grounded=hallucinated"));
        assertTrue(err.contains("--cohort: unknown evaluator 'grounded'; the workspace holds groundedness, relevance, "
                + "toxicity."), err);
        assertEquals(2, run("traces", "-w", ws.toString(), "--cohort", "eval:groundedness=halucinated"));
        assertTrue(err.contains("No groundedness result is labelled 'halucinated'; its labels are grounded, "
                + "hallucinated."), err);
        assertEquals(2, run("breakdown", "-w", ws.toString(), "--cohort", "eval:relevance<low"));
        assertTrue(err.contains("--cohort: 'eval:relevance<low': < compares scores"), err);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "import", "traces", "breakdown", "explain", "query", "gui", "generate", "bench"})
    void everyCommandHasHelp(String command) {
        int code = command.isEmpty() ? run("--help") : run(command, "--help");
        assertEquals(0, code);
        assertTrue(out.startsWith("Usage: tracebench"), out);
    }
}
