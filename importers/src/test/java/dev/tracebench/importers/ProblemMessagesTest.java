package dev.tracebench.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 5: problem messages say why in words (an unreadable file: permission denied), never show the
 * parsers' internals (Jackson's feature names, source descriptions, character codes; protobuf's class names), and
 * mask what looks like a secret, in the report and in the workspace's import_problems alike.
 */
class ProblemMessagesTest extends ImporterTestBase {
    /** What a message must not contain: library class and feature names, parser source dumps, code points. */
    private static final Pattern INTERNALS = Pattern.compile("`|Feature|\\[Source|com\\.fasterxml|jackson|JsonToken"
            + "|CTRL-CHAR|\\(code \\d+\\)|com\\.google|protobuf\\.|InvalidProtocolBuffer|Exception|luben");

    private static final String T = "5b8efff798038103d269b633813fc60c";

    private static String otlp(String spanFields) {
        return "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + T + "\",\"spanId\":"
                + "\"0000000000000001\",\"name\":\"a\",\"startTimeUnixNano\":\"1\",\"endTimeUnixNano\":\"2\""
                + spanFields + "}]}]}]}";
    }

    @Test
    void anUnreadableFileSaysPermissionDenied() throws Exception {
        assertEquals("cannot be read: permission denied (the file's permissions do not let this user read it)",
                FileImportService.cannotRead(new AccessDeniedException("/some/file.json")));
        // as root every file is readable: the real file is only tried as another user
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "running as root");
        Path f = dir.resolve("secret.json");
        Files.writeString(f, otlp(""));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        ImportReport r = importFile(f);
        assertEquals(ImportReport.Status.UNUSABLE, r.status());
        assertEquals("cannot be read: permission denied (the file's permissions do not let this user read it)",
                r.message());
    }

    @Test
    void jsonErrorsAreDescribedWithoutTheParsersInternals() throws Exception {
        List<String> seen = new ArrayList<>();
        String[] damaged = {
            otlp(",\"attributes\":[{\"key\":\"x\",\"value\":{\"doubleValue\":NaN}}]"),
            "{\"resourceSpans\": [} ]}",
            "{\"resourceSpans\": [{\"x\":\"a\u0001b\"}]}",
            "{\"resourceSpans\": [{\"x\":\"a\\qb\"}]}",
            "{\"resourceSpans\": tru}",
            "{\"resourceSpans\": [{\"x\": 01}]}",
            "{\"resourceSpans\": [",
        };
        for (int i = 0; i < damaged.length; i++) {
            ImportReport r = importText("damaged" + i + ".json", damaged[i]);
            assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
            for (Problem p : r.problems()) {
                seen.add(p.toString());
            }
        }
        byte[] utf8 = ("{\"resourceSpans\": [{\"x\":\"ab\"}]}").getBytes(StandardCharsets.UTF_8);
        utf8[25] = (byte) 0xC3; // a lead byte followed by ASCII
        utf8[26] = (byte) 0x28;
        importBytes("utf8.json", utf8).problems().forEach(p -> seen.add(p.toString()));
        // the JSON formats that read through JsonRecords
        importText("jaeger.json", "{\"data\":[{\"traceID\":\"1\",\"spans\":[{\"spanID\":\"1\",\"operationName\":NaN}]}]}")
                .problems().forEach(p -> seen.add(p.toString()));
        // a damaged protobuf message (a length prefix, then a truncated span)
        importBytes("damaged.pb", new byte[] {0, 0, 0, 9, 0x0A, 7, 0x12, 5, 0x12, 3, 0x0A, 1, (byte) 0xFF})
                .problems().forEach(p -> seen.add(p.toString()));

        for (String s : seen) {
            assertFalse(INTERNALS.matcher(s).find(), "internals in: " + s);
        }
        // (one-line files are read as JSON Lines: the damage costs its line)
        assertTrue(seen.contains("rejected at line 1, column 226: malformed JSON (NaN is not a JSON number (write it as "
                + "a string))"), seen.toString());
        assertTrue(seen.contains("rejected at line 1, column 20: malformed JSON (unexpected '}' where ']' should close "
                + "what is open)"), seen.toString());
        assertTrue(seen.stream().anyMatch(s -> s.contains("malformed JSON (a control character (U+0001) inside a "
                + "string, where JSON needs it escaped)")), seen.toString());
        assertTrue(seen.stream().anyMatch(s -> s.contains("malformed JSON (the escape \\q is not valid JSON)")),
                seen.toString());
        assertTrue(seen.stream().anyMatch(s -> s.contains("malformed JSON (unexpected text 'tru' where a value should "
                + "be)")), seen.toString());
        assertTrue(seen.stream().anyMatch(s -> s.contains("malformed JSON (a malformed number)")), seen.toString());
        assertTrue(seen.stream().anyMatch(s -> s.contains("the JSON ends early (the file looks truncated)")),
                seen.toString());
        assertTrue(seen.stream().anyMatch(s -> s.contains("the text is not valid UTF-8 (byte 0x28 cannot be a middle "
                + "byte of a UTF-8 character)")), seen.toString());
    }

    @Test
    void secretsInProblemsAreMaskedInTheReportAndTheWorkspace() throws Exception {
        String key = "sk-proj-Abcdefghijklmnopqrstuvwxyz0123456789";
        ImportReport r = importText("secrets.jsonl",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + key + "\",\"spanId\":\"01\"}]}]}]}\n"
                + "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"Bearer eyJhbGciOiJIUzI1NiJ9abcdef\","
                + "\"spanId\":\"01\"}]}]}]}\n");
        List<String> reasons = r.problems().stream().map(Problem::reason).toList();
        assertEquals(List.of("traceId 'sk-[masked]' is not 32 hex digits", "traceId 'Bearer [masked]' is not 32 hex "
                + "digits"), reasons);
        List<List<Object>> stored = rows("SELECT reason FROM import_problems ORDER BY seq");
        assertEquals(reasons, stored.stream().map(row -> (String) row.get(0)).toList());

        ImportReport jaeger = importText("secret-tag.json", "{\"data\":[{\"traceID\":\"1\",\"spans\":[{\"traceID\":\"1\","
                + "\"spanID\":\"1\",\"operationName\":\"a\",\"startTime\":1,\"duration\":1,\"tags\":[{\"key\":"
                + "\"api_key\",\"type\":\"int64\",\"value\":\"hunter2-not-a-number\"}],\"process\":{\"serviceName\":"
                + "\"s\"}}]}]}");
        String all = jaeger.problems().toString();
        assertFalse(all.contains("hunter2"), all);
        assertTrue(all.contains(dev.tracebench.core.report.Secrets.MASK), all);
    }
}
