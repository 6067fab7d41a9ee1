package dev.tracebench.importers.otlpjson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.importers.ImporterTestBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input: each case gives a located, explained problem, keeps the good records and never half-writes. */
class MalformedOtlpJsonTest extends ImporterTestBase {

    /** One collector line holding one trace with {@code n} spans (span ids 1..n), service {@code svc}. */
    static String line(int trace, int n) {
        StringBuilder sb = new StringBuilder("{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":"
                + "\"service.name\",\"value\":{\"stringValue\":\"svc\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":"
                + "\"lib\"},\"spans\":[");
        for (int i = 1; i <= n; i++) {
            if (i > 1) {
                sb.append(',');
            }
            sb.append(span(String.format("%032x", trace), String.format("%016x", i), i == 1 ? "" : "0000000000000001",
                    ""));
        }
        return sb.append("]}]}]}").toString();
    }

    static String span(String trace, String id, String parent, String extra) {
        return "{\"traceId\":\"" + trace + "\",\"spanId\":\"" + id + "\",\"parentSpanId\":\"" + parent
                + "\",\"name\":\"op " + id + "\",\"startTimeUnixNano\":\"1000\",\"endTimeUnixNano\":\"2000\"" + extra
                + "}";
    }

    static String wrap(String... spans) {
        return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[]},\"scopeSpans\":[{\"scope\":{},\"spans\":["
                + String.join(",", spans) + "]}]}]}";
    }

    @Test
    void aDamagedLineInTheMiddleOfJsonLinesIsSkippedAndTheRestKept() throws Exception {
        String good1 = line(1, 3);
        String bad = line(2, 3).replaceFirst("\"name\":", "\"name\";");
        String good3 = line(3, 3);
        ImportReport r = importText("mid.jsonl", good1 + "\n" + bad + "\n" + good3 + "\n");
        assertEquals(ImportReport.Status.IMPORTED, r.status());
        assertEquals(6, r.spansAdded());
        assertEquals(1, r.rejected());
        Problem p = r.problems().get(0);
        assertTrue(p.location().startsWith("line 2, column "), p.location());
        assertTrue(p.reason().startsWith("malformed JSON"), p.reason());
        assertEquals(2, ws.traces().stats().traces());
    }

    @Test
    void aLineCutShortKeepsTheCompleteSpansBeforeTheCut() throws Exception {
        String full = line(1, 3);
        int cut = full.indexOf("0000000000000003") - 20; // inside the third span
        ImportReport r = importText("cut.jsonl", full.substring(0, cut) + "\n" + line(2, 2) + "\n");
        assertEquals(4, r.spansAdded(), r.problems().toString());
        Problem p = r.problems().get(0);
        assertEquals(Problem.Severity.REJECTED, p.severity());
        assertTrue(p.location().startsWith("line 1"), p.location());
        assertTrue(p.reason().contains("ends early") && p.reason().contains("2 spans before it in this line were kept"),
                p.reason());
    }

    @Test
    void aTruncatedDocumentKeepsWhatCameBeforeTheEnd() throws Exception {
        String pretty = line(1, 5).replace("{\"traceId\"", "\n{\"traceId\"");
        int cut = pretty.indexOf("0000000000000004\",\"parentSpanId");
        ImportReport r = importText("truncated.json", pretty.substring(0, cut));
        assertEquals(ImportReport.Status.IMPORTED, r.status());
        assertEquals(3, r.spansAdded());
        assertEquals(1, r.rejected());
        Problem p = r.problems().get(0);
        assertTrue(p.location().startsWith("line 5, column"), p.location());
        assertTrue(p.reason().contains("the file looks truncated") && p.reason().contains("3 spans before it"),
                p.reason());
    }

    @Test
    void invalidIdsRejectTheSpanWithItsPath() throws Exception {
        String t = "0af7651916cd43dd8448eb211c80319c";
        ImportReport r = importText("ids.json", wrap(
                span(t, "0000000000000001", "", ""),
                span("not-hex-at-all", "0000000000000002", "", ""),
                span(t, "00000000000000zz", "", ""),
                span("00000000000000000000000000000000", "0000000000000004", "", ""),
                span(t, "0000000000000000", "", ""),
                span(t.substring(0, 16), "0000000000000006", "", ""),
                span(t, "0000000000000007", "not-a-parent", "")));
        assertEquals(2, r.spansAdded());
        assertEquals(5, r.rejected());
        assertEquals(1, r.warnings());
        List<String> reasons = r.problems().stream().map(Problem::reason).toList();
        assertEquals("traceId 'not-hex-at-all' is not 32 hex digits", reasons.get(0));
        assertEquals("line 1, resourceSpans[0].scopeSpans[0].spans[1]", r.problems().get(0).location());
        assertEquals("spanId '00000000000000zz' is not 16 hex digits", reasons.get(1));
        assertEquals("traceId is all zeros, which OTLP defines as invalid", reasons.get(2));
        assertEquals("spanId is all zeros, which OTLP defines as invalid", reasons.get(3));
        assertEquals("traceId '0af7651916cd43dd' is not 32 hex digits", reasons.get(4));
        assertEquals("parentSpanId 'not-a-parent' is not 16 hex digits; the span is kept as a root", reasons.get(5));
        SpanDetail kept = span(trace(t), "0000000000000007");
        assertNull(kept.parentSpanId());
    }

    @Test
    void wrongTypesAreLocatedAndOnlyCostTheirRecordOrField() throws Exception {
        String t = "0af7651916cd43dd8448eb211c80319c";
        ImportReport r = importText("types.json", wrap(
                span(t, "0000000000000001", "", ",\"kind\":{\"oops\":1}"),
                span(t, "0000000000000002", "", ",\"startTimeUnixNano\":\"yesterday\""),
                span(t, "0000000000000003", "", ",\"attributes\":\"not a list\""),
                span(t, "0000000000000004", "", ",\"attributes\":[{\"key\":\"n\",\"value\":{\"intValue\":\"12abc\"}}]"),
                span(t, "0000000000000005", "", ",\"name\":42"),
                span(t, "0000000000000006", "", ",\"kind\":9"),
                span(t, "0000000000000007", "", ",\"status\":{\"code\":7}"),
                span(t, "0000000000000008", "", ",\"endTimeUnixNano\":\"500\"")));
        // rejected: bad start time, name not a string; an unknown kind or status code is kept (issue 10)
        assertEquals(2, r.rejected(), r.problems().toString());
        assertEquals(6, r.spansAdded());
        assertEquals(6, r.warnings(), r.problems().toString());
        List<String> reasons = r.problems().stream().map(p -> p.severity().label() + ": " + p.reason()).toList();
        assertTrue(reasons.contains("warning: kind (an object) is not a known SpanKind; kept as unspecified"),
                reasons.toString());
        assertTrue(reasons.contains("rejected: startTimeUnixNano: 'yesterday' is not a 64-bit integer"),
                reasons.toString());
        assertTrue(reasons.contains("rejected: name: expected a string, found an integer"), reasons.toString());
        assertTrue(reasons.contains("warning: status.code 7 is not a known StatusCode; kept as unset"),
                reasons.toString());
        assertTrue(reasons.contains("warning: expected an array of {key, value}, found a string; ignored"),
                reasons.toString());
        assertTrue(reasons.contains("warning: intValue: '12abc' is not a 64-bit integer; stored as empty"),
                reasons.toString());
        assertTrue(reasons.contains("warning: kind 9 is not a known SpanKind; kept as unspecified"),
                reasons.toString());
        assertTrue(reasons.stream().anyMatch(s -> s.startsWith("warning: the span ends 500 ns before it starts")),
                reasons.toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.location()
                .equals("line 1, resourceSpans[0].scopeSpans[0].spans[3].attributes[0].value")), r.problems()
                .toString());
    }

    @Test
    void invalidUtf8SkipsOnlyItsLine() throws Exception {
        byte[] good = (line(1, 2) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] bad = (line(2, 2) + "\n").getBytes(StandardCharsets.UTF_8);
        int at = new String(bad, StandardCharsets.UTF_8).indexOf("op 00");
        bad[at] = (byte) 0xC3; // a lead byte followed by ASCII: invalid
        bad[at + 1] = (byte) 0x28;
        byte[] good2 = (line(3, 2) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = concat(good, bad, good2);
        ImportReport r = importBytes("utf8.jsonl", all);
        assertEquals(4, r.spansAdded());
        assertEquals(1, r.rejected());
        assertTrue(r.problems().get(0).reason().contains("not valid UTF-8"), r.problems().get(0).toString());
        assertTrue(r.problems().get(0).location().startsWith("line 2"), r.problems().get(0).location());
    }

    @Test
    void corruptGzipKeepsNothingOfTheDamagedMemberButATruncatedOneIsKept() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 200; i++) {
            sb.append(line(i, 3)).append('\n');
        }
        byte[] gz = gzip(sb.toString().getBytes(StandardCharsets.UTF_8));
        byte[] damaged = gz.clone();
        for (int i = damaged.length * 2 / 3; i < damaged.length * 2 / 3 + 64; i++) {
            damaged[i] = (byte) (damaged[i] ^ 0x5A);
        }
        // one gzip member: its data is checked (CRC-32) only at its end, so none of it can be trusted (issue 10)
        ImportReport r = importBytes("damaged.jsonl.gz", damaged);
        assertEquals(ImportReport.Status.UNUSABLE, r.status(), r.message());
        assertTrue(r.message().startsWith("the gzip data is damaged: member 1 (from compressed byte 0)"),
                r.message());
        assertTrue(r.message().endsWith("nothing from this file was stored"), r.message());
        assertEquals(0, ws.traces().stats().spans());

        ImportReport cut = importBytes("cut.jsonl.gz", Arrays.copyOf(gz, gz.length / 2));
        assertEquals(ImportReport.Status.IMPORTED, cut.status(), cut.message());
        assertTrue(cut.problems().stream().anyMatch(p -> p.reason().contains("gzip data ends early")),
                cut.problems().toString());

        ImportReport header = importBytes("header.gz", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertEquals(ImportReport.Status.UNUSABLE, header.status());
        assertTrue(header.message().contains("gzip header is damaged"), header.message());
    }

    @Test
    void inputThatIsNotUsableAtAllIsExplainedAndStoresNothing() throws Exception {
        assertEquals("the file is empty", importText("empty.json", "  \n").message());
        assertTrue(importText("text.txt", "hello world").message().contains("is neither JSON nor OTLP protobuf"));
        assertTrue(importText("other.json", "{\"name\":\"x\",\"spans\":3}").message()
                .contains("is JSON but not a format Tracebench knows"));
        assertTrue(importText("console.json", "{\"name\":\"op\",\"context\":{\"trace_id\":\"0x5b8e\","
                + "\"span_id\":\"0x1\"},\"kind\":\"SpanKind.INTERNAL\"}").message().contains("ConsoleSpanExporter"));
        ImportReport missing = importFile(dir.resolve("does-not-exist.json"));
        assertEquals(ImportReport.Status.UNUSABLE, missing.status());
        assertEquals("no such file", missing.message());
        Files.createDirectories(dir.resolve("folder"));
        assertTrue(importFile(dir.resolve("folder")).message().contains("is a folder"));
        assertEquals(0, ws.traces().stats().imports());
    }

    @Test
    void deeplyNestedAndHugeValuesAreHandled() throws Exception {
        String deep = "{\"stringValue\":\"bottom\"}";
        for (int i = 0; i < 200; i++) {
            deep = "{\"kvlistValue\":{\"values\":[{\"key\":\"k" + i + "\",\"value\":" + deep + "}]}}";
        }
        String big = "x".repeat(10 * 1024 * 1024);
        String t = "0af7651916cd43dd8448eb211c80319c";
        ImportReport r = importText("big.json", wrap(
                span(t, "0000000000000001", "", ",\"attributes\":[{\"key\":\"deep\",\"value\":" + deep + "}]"),
                span(t, "0000000000000002", "", ",\"attributes\":[{\"key\":\"big\",\"value\":{\"stringValue\":\""
                        + big + "\"}}]")));
        assertEquals(2, r.spansAdded(), r.problems().toString());
        assertEquals(10 * 1024 * 1024, count("SELECT length(attr(attributes, 'big')) FROM spans "
                + "WHERE span_id = 2"));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
