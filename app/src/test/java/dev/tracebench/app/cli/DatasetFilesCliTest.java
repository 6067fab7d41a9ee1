package dev.tracebench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetFile;
import dev.tracebench.importers.datasets.DatasetFileService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dataset import}, {@code dataset export} and {@code import} of dataset files, end to end on a workspace. */
class DatasetFilesCliTest {
    @TempDir
    Path dir;
    WorkspaceOpener opener;
    Path ws;
    String out;
    String err;

    /** A question/answer table with what CSV must quote: commas, doubled quotes, a line break, empty cells. */
    private static final String QA = "question,answer,contexts,tags\n"
            + "\"What is the refund window, exactly?\",30 days,\"[\"\"Refunds within 30 days.\"\"]\",refunds\n"
            + "Who do I write to?,Write to jane.doe@example.com,,contact\n"
            + "\"Multi\nline?\",\"Yes, \"\"quoted\"\"\",,\n";

    @BeforeEach
    void home() {
        opener = new WorkspaceOpener(new AppHome(dir.resolve("home")));
        ws = dir.resolve("w.duckdb");
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
        Files.createDirectories(f.getParent());
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void anImportedDatasetExportsInEveryFormatAndReadsBack() throws Exception {
        Path qa = write("qa.csv", QA);
        assertEquals(0, run("dataset", "import", "-w", ws.toString(), qa.toString(), "--name", "golden"), err);
        assertEquals(qa + ": dataset golden version 1, 3 examples (csv)", out.strip());
        DatasetFileService files = new DatasetFileService();
        List<String> inputs = List.of("What is the refund window, exactly?", "Who do I write to?", "Multi\nline?");
        for (String format : files.exportFormats()) {
            Path target = dir.resolve("export/golden." + format + (format.equals("promptfoo") ? ".yaml" : ""));
            Files.createDirectories(target.getParent());
            assertEquals(0, run("dataset", "export", "-w", ws.toString(), "golden", "--as", format, "--out",
                    target.toString()), err);
            assertEquals(target + ": 3 examples of golden as " + format, out.strip());
            DatasetFile back = files.read(target, null, null);
            assertEquals(format, back.format(), "recognised as written");
            assertEquals(inputs, back.examples().stream().map(DatasetExample::input).toList(), format);
            assertEquals("Yes, \"quoted\"", back.examples().get(2).expectedOutput(), format);
        }
    }

    @Test
    void aSecondImportIsTheNextVersionAndExportTakesAVersion() throws Exception {
        assertEquals(0, run("dataset", "import", "-w", ws.toString(), write("qa.csv", QA).toString()), err);
        Path more = write("more.jsonl", "{\"question\": \"Capital of Peru?\", \"answer\": \"Lima\"}\n");
        assertEquals(0, run("dataset", "import", "-w", ws.toString(), more.toString(), "--name", "qa"), err);
        assertEquals(more + ": dataset qa version 2, 1 example (jsonl)", out.strip());
        Path v1 = dir.resolve("v1.jsonl");
        assertEquals(0, run("dataset", "export", "-w", ws.toString(), "qa", "--version", "1", "--as", "jsonl",
                "--out", v1.toString()), err);
        assertEquals(v1 + ": 3 examples of qa version 1 as jsonl", out.strip());
        Path latest = dir.resolve("latest.jsonl");
        assertEquals(0, run("dataset", "export", "-w", ws.toString(), "qa", "--as", "jsonl", "--out",
                latest.toString()), err);
        assertEquals(List.of("Capital of Peru?"), new DatasetFileService().read(latest, null, null).examples()
                .stream().map(DatasetExample::input).toList());
    }

    @Test
    void redactPiiMasksPersonalDataInTheExportedFile() throws Exception {
        assertEquals(0, run("dataset", "import", "-w", ws.toString(), write("qa.csv", QA).toString()), err);
        Path plain = dir.resolve("plain.jsonl");
        Path masked = dir.resolve("masked.jsonl");
        assertEquals(0, run("dataset", "export", "-w", ws.toString(), "qa", "--as", "jsonl", "--out",
                plain.toString()), err);
        assertTrue(Files.readString(plain).contains("jane.doe@example.com"));
        assertEquals(0, run("dataset", "export", "-w", ws.toString(), "qa", "--as", "jsonl", "--out",
                masked.toString(), "--redact-pii"), err);
        assertEquals(masked + ": 3 examples of qa as jsonl (1 text masked)", out.strip());
        String text = Files.readString(masked);
        assertFalse(text.contains("jane.doe@example.com"), text);
        assertTrue(text.contains("What is the refund window, exactly?"), "the rest is as it was");
    }

    @Test
    void skippedRecordsExitOneAndAreListedByLine() throws Exception {
        Path f = write("qa.jsonl", "{\"question\": \"q1\", \"answer\": \"a\"}\n{broken\n{\"question\": \"q3\"}\n");
        assertEquals(1, run("dataset", "import", "-w", ws.toString(), f.toString()));
        assertEquals(f + ": dataset qa version 1, 2 examples (jsonl), 1 problem", out.strip());
        assertTrue(err.contains("qa.jsonl line 2: malformed JSON"), err);
    }

    @Test
    void whatCannotBeImportedOrExportedExitsTwoSayingWhy() throws Exception {
        Path odd = write("odd.csv", "prompt_text,gold\nHow tall is K2?,8611 m\n");
        assertEquals(2, run("dataset", "import", "-w", ws.toString(), odd.toString()));
        assertTrue(err.contains("odd.csv: not imported — odd.csv: no column holds the input") && err.contains(
                "--map input=COLUMN"), err);
        assertEquals(0, run("dataset", "import", "-w", ws.toString(), odd.toString(), "--map",
                "input=prompt_text,expected=gold"), err);
        assertEquals(2, run("dataset", "import", "-w", ws.toString(), odd.toString(), "--map", "input"));
        assertTrue(err.contains("--map: 'input' is not FIELD=COLUMN"), err);
        assertEquals(2, run("dataset", "import", "-w", ws.toString(), odd.toString(), "--format", "excel"));
        assertTrue(err.contains("unknown dataset format 'excel'"), err);
        assertEquals(2, run("dataset", "export", "-w", ws.toString(), "nope", "--as", "jsonl", "--out",
                dir.resolve("x.jsonl").toString()));
        assertTrue(err.startsWith("error: "), err);
        assertFalse(Files.exists(dir.resolve("x.jsonl")));
        assertEquals(2, run("dataset", "export", "-w", ws.toString(), "odd", "--as", "excel", "--out",
                dir.resolve("x.xlsx").toString()));
        assertTrue(err.contains("--as: unknown dataset format 'excel'"), err);
    }

    @Test
    void importingAFolderImportsItsDatasetFilesAsDatasetsBesideTheTraces() throws Exception {
        write("run/traces.json", CliTest.otlp("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "POST /chat",
                1000, 20, 0));
        Path goldens = write("run/goldens.json", """
                [{"input": "Capital of France?", "actual_output": "Paris", "expected_output": "Paris",
                  "retrieval_context": ["World capitals list"], "context": ["Geography"], "name": "g1",
                  "comments": null, "source_file": null},
                 {"input": "5 * 7?", "actual_output": "35", "expected_output": "35", "retrieval_context": [],
                  "context": [], "name": "g2", "comments": "easy", "source_file": null}]
                """);
        write("run/notes.txt", "remember to export the traces\n");
        assertEquals(0, run("import", "-w", ws.toString(), dir.resolve("run").toString()), err);
        assertTrue(out.contains(goldens + ": dataset goldens version 1, 2 examples (deepeval)\n"), out);
        assertTrue(out.contains("traces.json: otlp-json, 1 spans read, 1 added"), out);
        assertTrue(out.contains("skipped " + dir.resolve("run/notes.txt")), out);
        assertTrue(out.contains("2 file(s): 1 spans added, 1 dataset file(s) imported, 0 records rejected, 1 file(s) "
                + "skipped"), out);
        Path again = dir.resolve("again.json");
        assertEquals(0, run("import", "-w", ws.toString(), "--dataset-name", "capitals", goldens.toString()), err);
        assertEquals(goldens + ": dataset capitals version 1, 2 examples (deepeval)", out.strip().lines()
                .reduce((a, b) -> b).orElse(""));
        assertEquals(0, run("dataset", "export", "-w", ws.toString(), "goldens", "--as", "deepeval", "--out",
                again.toString()), err);
        assertEquals(List.of("g1", "g2"), new DatasetFileService().read(again, null, null).examples().stream()
                .map(DatasetExample::id).toList());
    }
}
