package dev.tracebench.importers.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetFile;
import dev.tracebench.core.dataset.DatasetFiles.DatasetFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad records are skipped with a located reason and the good ones kept; a file with nothing readable is refused naming
 * the file and why; columns nobody would guess are named by a mapping; a failed write leaves nothing half-written.
 */
class DatasetProblemsTest {
    @TempDir
    Path dir;
    private final DatasetFileService files = new DatasetFileService();

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static List<String> ids(DatasetFile f) {
        return f.examples().stream().map(DatasetExample::id).toList();
    }

    @Test
    void badLinesOfJsonLinesAreSkippedWithTheirLineAndReason() throws Exception {
        DatasetFile read = files.read(file("bad.jsonl", """
                {"question": "What is 2+2?", "answer": "4"}
                {"question": "broken", "answer":
                {"question": "", "answer": "nothing asked"}
                [1, 2]

                {"question": "Capital of Italy?", "answer": "Rome", "topic": "geo"}
                """), null, null);
        assertEquals("jsonl", read.format());
        assertEquals(List.of("ex-0001", "ex-0005"), ids(read), "ids count records, so they stay put");
        assertEquals(3, read.problems().size(), read.problems().toString());
        assertTrue(read.problems().get(0).startsWith("bad.jsonl line 2: the JSON ends early"), read.problems()
                .get(0));
        assertEquals("bad.jsonl line 3: no input (the column 'question' is empty); skipped", read.problems().get(1));
        assertEquals("bad.jsonl line 4: not an object (array); skipped", read.problems().get(2));
        assertEquals("geo", read.examples().get(1).metadata().get("topic"), "other columns are metadata");
    }

    @Test
    void csvWithQuotedLineBreaksDoubledQuotesAndTrailingEmptyColumns() throws Exception {
        DatasetFile read = files.read(file("qa.csv", "Question,Expected Answer,contexts,,\r\n"
                + "\"Say \"\"hi\"\"\nin two lines\",\"hi, there\",\"[\"\"p1\"\", \"\"p2\"\"]\",,\r\n"
                + "Plain question,plain answer,one passage,,\r\n"
                + "extra,fields,here,surprise,\r\n"
                + "last,\"never closed\n"), null, null);
        assertEquals("csv", read.format());
        assertEquals(2, read.examples().size());
        DatasetExample first = read.examples().get(0);
        assertEquals("Say \"hi\"\nin two lines", first.input());
        assertEquals("hi, there", first.expectedOutput());
        assertEquals(List.of("p1", "p2"), first.context());
        assertEquals(List.of("one passage"), read.examples().get(1).context());
        assertEquals(List.of("qa.csv line 5: has 5 fields but the header names 3 columns; skipped",
                "qa.csv line 6: a quoted field is not closed (the file ends inside it); skipped"), read.problems());
    }

    @Test
    void aFileWithNothingReadableIsRefusedNamingTheFileAndWhy() throws Exception {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> files.read(file("empty-q.jsonl",
                "{\"question\": \"\", \"answer\": \"a\"}\n{\"question\": \"\", \"answer\": \"b\"}\n"), null, null));
        assertEquals("empty-q.jsonl: read as a JSON Lines dataset, no record could be used: empty-q.jsonl line 1: no "
                + "input (the column 'question' is empty); skipped", e.getMessage());
        assertEquals("blank.csv: the file is empty", assertThrows(DatasetFormatException.class,
                () -> files.read(file("blank.csv", "\n  \n"), null, null)).getMessage());
        String cut = assertThrows(DatasetFormatException.class, () -> files.read(file("notes.json", "{\"x\": 1"),
                null, null)).getMessage();
        assertTrue(cut.startsWith("notes.json: no records could be read (line 1, column 8: the JSON ends early"), cut);
    }

    @Test
    void columnsNobodyWouldGuessAskForAMappingThatThenReadsThem() throws Exception {
        Path f = file("odd.csv", "prompt_text,gold,bucket\nHow tall is K2?,8611 m,geo\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> files.read(f, null, null));
        assertEquals("odd.csv: no column holds the input (looked for question, user_input, input, query, prompt, "
                + "messages); its columns are prompt_text, gold, bucket. Name it with a mapping, e.g. --map "
                + "input=COLUMN,expected=COLUMN", e.getMessage());
        DatasetFile read = files.read(f, null, Map.of("input", "prompt_text", "expected", "gold", "tags",
                "bucket"));
        DatasetExample ex = read.examples().get(0);
        assertEquals(List.of("How tall is K2?", "8611 m", List.of("geo")), List.of(ex.input(), ex.expectedOutput(),
                ex.tags()));
        assertEquals("odd.csv: the mapping names the column 'answer', which the file does not have (its columns: "
                + "prompt_text, gold, bucket)", assertThrows(DatasetFormatException.class,
                        () -> files.read(f, null, Map.of("input", "answer"))).getMessage());
        assertTrue(assertThrows(DatasetFormatException.class, () -> files.read(f, null, Map.of("colour",
                "gold"))).getMessage().startsWith("odd.csv: the mapping names an unknown field 'colour'"));
    }

    @Test
    void aRepeatedIdIsKeptUnderANewIdWithAProblem() throws Exception {
        DatasetFile read = files.read(file("dup.jsonl", """
                {"id": "a", "question": "one", "answer": "1"}
                {"id": "a", "question": "two", "answer": "2"}
                """), null, null);
        assertEquals(List.of("a", "a-2"), ids(read));
        assertEquals(List.of("dup.jsonl line 2: the id 'a' was used before (line 1); kept as 'a-2'"),
                read.problems());
    }

    @Test
    void aForcedFormatIsUsedAndAnUnknownOneNamesTheKnownOnes() throws Exception {
        Path samples = DatasetCorporaTest.resource("corpora/openai-evals-registry/test_match.samples.jsonl");
        DatasetFile asTable = files.read(samples, "jsonl", null);
        assertEquals("jsonl", asTable.format());
        assertEquals("Once upon a ", asTable.examples().get(0).input());
        assertEquals("time", asTable.examples().get(0).expectedOutput());
        assertEquals("unknown dataset format 'yaml' (jsonl, csv, openai-evals, promptfoo, phoenix, langfuse, "
                + "deepeval, ragas)",
                assertThrows(DatasetFormatException.class, () -> files.read(samples, "yaml", null)).getMessage());
    }

    @Test
    void ragasCsvListsWrittenByPandasAreRead() throws Exception {
        DatasetFile read = files.read(file("testset.csv", "user_input,retrieved_contexts,reference,synthesizer_name\n"
                + "Q?,\"['a, b', \"\"c's\"\"]\",R,single_hop\n"), null, null);
        assertEquals("ragas", read.format());
        assertEquals(List.of("a, b", "c's"), read.examples().get(0).context());
        assertEquals("single_hop", read.examples().get(0).metadata().get("synthesizer_name"));
    }

    @Test
    void phoenixCsvWithDottedColumnsReads() throws Exception {
        DatasetFile read = files.read(file("phoenix.csv", "id,node_id,input.question,output.answer,metadata.category,"
                + "splits\nex1,RGF0YXNldEV4YW1wbGU6MQ==,What is DL?,Deep learning,ml,\"[\"\"train\"\", "
                + "\"\"hard-cases\"\"]\"\n"), null, null);
        assertEquals("phoenix", read.format());
        DatasetExample e = read.examples().get(0);
        assertEquals(List.of("ex1", "What is DL?", "Deep learning", "ml", "TRAIN", List.of("hard-cases")),
                List.of(e.id(), e.input(), e.expectedOutput(), e.metadata().get("category"), e.split().name(),
                        e.tags()));
    }

    @Test
    void langfuseItemsWithStringAndObjectValuesRead() throws Exception {
        DatasetFile read = files.read(file("items.json", """
                [{"id":"i1","datasetId":"d1","datasetName":"test-dataset","input":{"question":"What is DL?"},
                  "expectedOutput":{"answer":"Deep Learning"},"metadata":{"category":"advanced"},
                  "sourceTraceId":"0AF7651916CD43DD8448EB211C80319C","sourceObservationId":null,"status":"ACTIVE",
                  "createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"},
                 {"id":"i2","input":"plain text question","expectedOutput":"plain answer","status":"ARCHIVED"}]
                """), null, null);
        assertEquals("langfuse", read.format());
        DatasetExample first = read.examples().get(0);
        assertEquals(List.of("What is DL?", "Deep Learning", Map.of("category", "advanced"),
                "0af7651916cd43dd8448eb211c80319c"), List.of(first.input(), first.expectedOutput(), first.metadata(),
                first.provenance().traceId()));
        assertEquals(Map.of("status", "ARCHIVED"), read.examples().get(1).metadata());
    }

    @Test
    void onlyClearDatasetsAreRecognisedForImport() throws Exception {
        assertEquals("deepeval", DatasetFileService.recognise(Files.readString(DatasetCorporaTest.resource(
                "corpora/deepeval-fixtures/goldens.json")).substring(0, 700), "goldens.json").id(),
                "from the start of a file, cut anywhere");
        assertEquals("csv", DatasetFileService.recognise("question,answer\nq,a\n", "qa.csv").id());
        assertNull(DatasetFileService.recognise("question,notes\nq,a\n", "q.csv"), "a question alone is not enough");
        assertNull(DatasetFileService.recognise("{\"knowledge\":\"k\",\"question\":\"q\",\"right_answer\":\"r\","
                + "\"hallucinated_answer\":\"h\"}\n", "halueval.jsonl"));
        assertNull(DatasetFileService.recognise("service,latency\napi,12\n", "x.csv"));
        byte[] noise = new byte[4096];
        new java.util.Random(7).nextBytes(noise);
        String binary = new String(noise, java.nio.charset.StandardCharsets.UTF_8);
        assertNull(DatasetFileService.recognise(binary, "noise.bin"));
        assertNull(DatasetFileService.recognise("[{\"a\": 1e999999999}]", "big.json"));
        Path f = Files.write(dir.resolve("noise.bin"), noise);
        assertTrue(assertThrows(DatasetFormatException.class, () -> files.read(f, null, null)).getMessage()
                .startsWith("noise.bin: "));
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        Path out = file("set.jsonl", "old contents\n");
        List<DatasetExample> broken = new ArrayList<>(DatasetRoundTripTest.examples());
        broken.add(null);
        assertThrows(NullPointerException.class, () -> files.write(broken, "jsonl", out));
        assertEquals("old contents\n", Files.readString(out));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(out), left.toList());
        }
        files.write(DatasetRoundTripTest.examples(), "jsonl", out);
        assertEquals(3, files.read(out, null, null).examples().size());
        assertThrows(IllegalArgumentException.class, () -> files.write(List.of(), "excel", out));
        assertEquals(dir + " is a folder; give the file to write", assertThrows(java.io.IOException.class,
                () -> files.write(List.of(), "jsonl", dir)).getMessage());
        assertTrue(Files.isDirectory(dir));
        assertEquals("the folder " + dir.resolve("nope") + " does not exist", assertThrows(java.io.IOException.class,
                () -> files.write(List.of(), "jsonl", dir.resolve("nope/x.jsonl"))).getMessage());
    }
}
