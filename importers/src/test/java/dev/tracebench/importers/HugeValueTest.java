package dev.tracebench.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.importers.common.Limits;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 10: an attribute value of 50 MB is refused (over {@link Limits#MAX_VALUE}, 16 MB) with its span, key
 * and size named; protobuf keeps the span without the value, JSON rejects the record (the parser cannot step over a
 * string it refused). The files are written to disk streamed, never held in memory.
 */
class HugeValueTest extends ImporterTestBase {
    private static final int HUGE = 50 << 20;
    private static final String T = "5b8efff798038103d269b633813fc60c";

    private static void writeX(OutputStream out, long n) throws IOException {
        byte[] chunk = "x".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
        for (long left = n; left > 0; left -= chunk.length) {
            out.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
    }

    private static String line(String spanId, String attrs) {
        return "{\"resourceSpans\":[{\"resource\":{},\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + T
                + "\",\"spanId\":\"" + spanId + "\",\"name\":\"s" + spanId + "\","
                + "\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":\"1700000001000000000\","
                + "\"attributes\":[" + attrs + "]}]}]}]}\n";
    }

    @Test
    void aFiftyMegabyteJsonStringRejectsItsRecordNamingTheAttribute() throws IOException {
        Path f = dir.resolve("huge.jsonl");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f))) {
            out.write(line("0000000000000001", "").getBytes(StandardCharsets.UTF_8));
            String head = line("0000000000000002", "{\"key\":\"small\",\"value\":{\"stringValue\":\"ok\"}},"
                    + "{\"key\":\"prompt\",\"value\":{\"stringValue\":\"#\"}}");
            int cut = head.indexOf('#');
            out.write(head.substring(0, cut).getBytes(StandardCharsets.UTF_8));
            writeX(out, HUGE);
            out.write(head.substring(cut + 1).getBytes(StandardCharsets.UTF_8));
            out.write(line("0000000000000003", "").getBytes(StandardCharsets.UTF_8));
        }
        ImportReport r = importFile(f);
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(2, r.spansAdded());
        assertEquals(1, r.rejected(), r.problems().toString());
        assertEquals("line 2", r.problems().get(0).location());
        assertEquals("the value of attribute 'prompt' at line 2, resourceSpans[0].scopeSpans[0].spans[0].attributes[1] "
                + "is longer than 16,777,216 characters (16 MB, the most one value may hold); its record was rejected",
                r.problems().get(0).reason());
        assertEquals(2, ws.traces().trace(dev.tracebench.core.model.TraceId.fromHex(T)).orElseThrow().spans().size());
    }

    @Test
    void aFiftyMegabyteProtobufStringIsLeftOutAndItsSpanKept() throws IOException {
        // TracesData > ResourceSpans (1) > ScopeSpans (2) > Span (2) > KeyValue (9) > AnyValue (2) > string (1),
        // written field by field so the 50 MB are streamed
        byte[] key = field(1, "prompt".getBytes(StandardCharsets.UTF_8));
        byte[] head = concat(field(1, hex(T)), field(2, hex("0000000000000001")), field(5, "big".getBytes(
                StandardCharsets.UTF_8)), fixed64(7, 1_700_000_000_000_000_000L), fixed64(8,
                1_700_000_001_000_000_000L), field(9, concat(field(1, "small".getBytes(StandardCharsets.UTF_8)),
                field(2, field(1, "ok".getBytes(StandardCharsets.UTF_8))))));
        long anyValue = lengthOf(1, HUGE);
        long keyValue = key.length + lengthOf(2, anyValue);
        long span = head.length + lengthOf(9, keyValue);
        long scope = lengthOf(2, span);
        long resource = lengthOf(2, scope);
        Path f = dir.resolve("huge.pb");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f))) {
            header(out, 1, resource);
            header(out, 2, scope);
            header(out, 2, span);
            out.write(head);
            header(out, 9, keyValue);
            out.write(key);
            header(out, 2, anyValue);
            header(out, 1, HUGE);
            writeX(out, HUGE);
        }
        ImportReport r = importFile(f);
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(1, r.spansAdded());
        assertEquals(0, r.rejected());
        assertEquals(1, r.warnings(), r.problems().toString());
        assertTrue(r.problems().get(0).location().startsWith("message 1, resourceSpans[0].scopeSpans[0].spans[0]"),
                r.problems().toString());
        assertEquals("attributes 'prompt': a value of 52,428,800 bytes is over the 16 MB limit; the span was kept "
                + "without this attribute", r.problems().get(0).reason());
        SpanDetail s = span(trace(T), "0000000000000001");
        assertEquals("big", s.name());
        assertEquals(List.of(Attribute.of("small", "ok")), s.attributes());
    }

    // ------------------------------------------------------------------ protobuf by hand

    private static byte[] hex(String h) {
        return java.util.HexFormat.of().parseHex(h);
    }

    private static byte[] varint(long v) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (; ; v >>>= 7) {
            if (v < 0x80) {
                out.write((int) v);
                return out.toByteArray();
            }
            out.write((int) (v & 0x7F) | 0x80);
        }
    }

    private static byte[] field(int number, byte[] payload) {
        return concat(varint(number << 3 | 2), varint(payload.length), payload);
    }

    private static byte[] fixed64(int number, long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return concat(varint(number << 3 | 1), b);
    }

    private static long lengthOf(int number, long payload) {
        return varint(number << 3 | 2).length + varint(payload).length + payload;
    }

    private static void header(OutputStream out, int number, long payload) throws IOException {
        out.write(varint(number << 3 | 2));
        out.write(varint(payload));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
