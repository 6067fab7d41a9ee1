package dev.tracebench.importers.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonRecordsTest {
    private static boolean lines(String text) throws IOException {
        BufferedInputStream in = new BufferedInputStream(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        boolean result = JsonRecords.looksLikeJsonLines(in);
        // the sniff must not consume anything
        assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).equals(text));
        return result;
    }

    @Test
    void compactRecordsOnePerLineAreJsonLines() throws IOException {
        assertTrue(lines("{\"a\":1}\n{\"a\":2}\n"));
        assertTrue(lines("[1,2]\n[3]\n"));
        assertTrue(lines("{\"a\":1}"));
    }

    @Test
    void aPrettyPrintedDocumentIsNot() throws IOException {
        assertFalse(lines("{\n  \"data\": [\n    {\"a\": 1}\n  ]\n}\n"));
        assertFalse(lines("[\n  {\"a\": 1},\n  {\"a\": 2}\n]\n"));
    }

    @Test
    void aHandFormattedDocumentWhoseLinesStartWithTheSameKeyIsNot() throws IOException {
        // the first line opens the spans array; the next lines are its elements, which start with the same key
        String doc = "{\"traceID\":\"ab\",\"spans\":[\n{\"traceID\":\"ab\",\"spanID\":\"01\"},\n"
                + "{\"traceID\":\"ab\",\"spanID\":\"02\"}]}\n";
        assertFalse(lines(doc));
    }

    @Test
    void aDamagedFirstRecordFollowedByARecordOfTheSameShapeIsJsonLines() throws IOException {
        assertTrue(lines("{\"resourceSpans\":[{\"resource\":{\"attr\n{\"resourceSpans\":[]}\n"));
    }
}
