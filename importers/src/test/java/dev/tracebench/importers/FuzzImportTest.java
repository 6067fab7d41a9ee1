package dev.tracebench.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.ingest.UnusableInputException;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.query.WorkspaceStats;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.samples.Scenario;
import dev.tracebench.samples.TrafficGenerator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Mutated real files, thousands of them: every one must give a clean import (with located problems) or a clean
 * refusal, never a failure, an escaped exception or a half-written workspace.
 *
 * <p>Every case goes through the readers with a session that checks what they hand over (fast: no database); one case
 * in {@value #STORE_EVERY} also goes through a real import into a workspace, whose counts must add up afterwards.
 */
class FuzzImportTest extends ImporterTestBase {
    private static final int MUTATIONS_PER_FILE = 50;
    private static final int STORE_EVERY = 10;
    private static final long SEED = 20261129L;

    /** The corpora's trace files and generated OTLP files in both encodings, as seeds. */
    private List<Seed> seeds() throws IOException {
        List<Seed> out = new ArrayList<>();
        Path root = corpus("PROVENANCE.md").getParent();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String n = f.getFileName().toString();
                if (!n.endsWith(".md") && Files.size(f) < 2_000_000) {
                    out.add(new Seed(root.relativize(f).toString(), Files.readAllBytes(f)));
                }
            }
        }
        for (TrafficGenerator.Format fmt : TrafficGenerator.Format.values()) {
            Path d = dir.resolve("gen-" + fmt.id());
            TrafficGenerator.writeDirectory(new TrafficGenerator.Options(Scenario.HALLUCINATION_SPIKE, 12, 5,
                    java.time.Instant.parse("2026-11-20T00:00:00Z"), 3600, 4), fmt, false, d);
            out.add(new Seed("generated " + fmt.id(), Files.readAllBytes(TrafficGenerator.files(d, fmt, false)
                    .traces())));
        }
        return out;
    }

    private record Seed(String name, byte[] bytes) {
    }

    @Test
    void mutatedFilesImportCleanlyOrAreRefusedCleanly() throws IOException {
        List<Seed> seeds = seeds();
        assertTrue(seeds.size() >= 40, "seeds: " + seeds.size());
        SplittableRandom rnd = new SplittableRandom(SEED);
        int cases = 0;
        int stored = 0;
        long spansStored = 0;
        long spansRead = 0;
        long readNs = 0;
        long storeNs = 0;
        int refused = 0;
        int withProblems = 0;
        for (Seed seed : seeds) {
            for (int m = 0; m < MUTATIONS_PER_FILE; m++) {
                long caseSeed = rnd.nextLong();
                byte[] input = mutate(seed.bytes(), new SplittableRandom(caseSeed));
                String label = seed.name() + " mutation " + m + " (seed " + caseSeed + ")";
                CheckingSession check = new CheckingSession(label);
                long t0 = System.nanoTime();
                try {
                    FileImportService.read(label, input.length, () -> new ByteArrayInputStream(input), null, null,
                            check, null, n -> { });
                } catch (FileImportService.UntrustedData e) {
                    // damaged compressed data after some of it was read: an import reads the file again without it
                    refused++;
                } catch (UnusableInputException e) {
                    assertFalse(e.getMessage() == null || e.getMessage().isBlank(), label + ": refusal without reason");
                    refused++;
                } catch (IOException | RuntimeException | StackOverflowError e) {
                    throw new AssertionError(label + ": the reader threw " + e, e);
                }
                readNs += System.nanoTime() - t0;
                if (check.problems > 0) {
                    withProblems++;
                }
                // a case read as eval results only is not stored: the workspace checks below are about spans (storing
                // eval results is the store's, tested there); spans with evaluations in them are
                if (cases++ % STORE_EVERY == 0 && (check.evalRuns == 0 || check.spans > 0)) {
                    long s0 = System.nanoTime();
                    // every other stored case with its size unknown: it then takes the Arrow path, whose traces are
                    // analysed as the spans stream in (small files take the row Appender and are analysed at the end)
                    long size = (cases / STORE_EVERY) % 2 == 0 ? input.length : -1;
                    ImportReport r = imports.importSource(label, size, () -> new ByteArrayInputStream(input),
                            ProgressListener.NONE, CancellationToken.none());
                    assertNotEquals(ImportReport.Status.FAILED, r.status(), label + ": " + r.message());
                    assertNotEquals(ImportReport.Status.CANCELLED, r.status(), label);
                    if (r.status() == ImportReport.Status.IMPORTED) {
                        stored++;
                        spansStored += r.spansAdded();
                        spansRead += r.spansRead();
                        assertTrue(r.spansAdded() + r.duplicates() + r.alreadyPresent() <= r.spansRead(), label);
                        for (Problem p : r.problems()) {
                            assertFalse(p.location().isBlank() || p.reason().isBlank(), label + ": " + p);
                        }
                    } else {
                        assertFalse(r.message().isBlank(), label);
                    }
                    storeNs += System.nanoTime() - s0;
                }
            }
        }
        // the workspace holds exactly what the imports said they added, and nothing of the refused ones
        WorkspaceStats st = ws.traces().stats();
        assertEquals(spansStored, st.spans());
        assertEquals(stored, st.imports());
        assertEquals(st.spans(), count("SELECT sum(span_count) FROM traces"));
        assertEquals(0, count("SELECT count(*) FROM (SELECT trace_id FROM traces GROUP BY ALL HAVING count(*) > 1)"));
        assertEquals(count("SELECT count(DISTINCT trace_id) FROM spans"), count("SELECT count(*) FROM traces"));
        assertEquals(0, count("SELECT count(*) FROM traces WHERE prompt_ns + retrieval_ns + rerank_ns + inference_ns "
                + "+ tool_ns + agent_ns + chain_ns + guardrail_ns + postprocess_ns + other_ns + unattributed_ns "
                + "<> duration_ns"));
        assertEquals(0, count("SELECT count(*) FROM (SELECT trace_id, span_id FROM spans GROUP BY ALL "
                + "HAVING count(*) > 1)"));
        System.out.printf("fuzz: %d cases read in %d ms, %d imported in %d ms, %d refused, %d with problems%n", cases,
                readNs / 1_000_000, cases / STORE_EVERY, storeNs / 1_000_000, refused, withProblems);
        assertTrue(cases >= 2_000, "cases: " + cases);
        // the mutations must actually hurt: many cases produce problems or refusals, many still import
        assertTrue(withProblems > cases / 5, "cases with problems: " + withProblems + " of " + cases);
        assertTrue(refused < cases, "refused: " + refused);
        assertTrue(spansRead > 1_000, "spans read by stored imports: " + spansRead);
    }

    // ------------------------------------------------------------------ mutations

    private static final byte[][] JUNK = {
        "\"".getBytes(StandardCharsets.UTF_8), "{".getBytes(StandardCharsets.UTF_8),
        "}".getBytes(StandardCharsets.UTF_8), "[".getBytes(StandardCharsets.UTF_8),
        ",".getBytes(StandardCharsets.UTF_8), ":".getBytes(StandardCharsets.UTF_8),
        "\n".getBytes(StandardCharsets.UTF_8), "null".getBytes(StandardCharsets.UTF_8),
        "-1".getBytes(StandardCharsets.UTF_8), "1e999".getBytes(StandardCharsets.UTF_8),
        "99999999999999999999999999".getBytes(StandardCharsets.UTF_8),
        "\\ud800".getBytes(StandardCharsets.UTF_8), "\\u0000".getBytes(StandardCharsets.UTF_8),
        {(byte) 0xFF, (byte) 0xFE}, {(byte) 0xC3}, {0}, {(byte) 0x80, (byte) 0x80},
        "\"traceId\":\"zz\"".getBytes(StandardCharsets.UTF_8), "\"spanId\":\"\"".getBytes(StandardCharsets.UTF_8),
        "\"startTimeUnixNano\":\"-5\"".getBytes(StandardCharsets.UTF_8),
        "{\"key\":\"k\",\"value\":{\"kvlistValue\":{\"values\":[]}}}".getBytes(StandardCharsets.UTF_8),
    };

    /** Contents for a JSON string (between its quotes). */
    private static final byte[][] STRING_JUNK = {
        "".getBytes(StandardCharsets.UTF_8), "\\ud800".getBytes(StandardCharsets.UTF_8),
        "\\u0000\\n\\t\\\"".getBytes(StandardCharsets.UTF_8), "日本語 ✓ \uD83D\uDE00".getBytes(StandardCharsets.UTF_8),
        "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ".getBytes(StandardCharsets.UTF_8), "0".getBytes(StandardCharsets.UTF_8),
        "-1".getBytes(StandardCharsets.UTF_8), "18446744073709551616".getBytes(StandardCharsets.UTF_8),
        "0x1F".getBytes(StandardCharsets.UTF_8), "SPAN_KIND_NOPE".getBytes(StandardCharsets.UTF_8),
        "2026-13-45T99:99:99Z".getBytes(StandardCharsets.UTF_8), {(byte) 0xC3, (byte) 0x28},
    };

    /** Whole JSON values to put where another value was. */
    private static final byte[][] VALUE_JUNK = {
        "null".getBytes(StandardCharsets.UTF_8), "true".getBytes(StandardCharsets.UTF_8),
        "-9223372036854775809".getBytes(StandardCharsets.UTF_8), "1e309".getBytes(StandardCharsets.UTF_8),
        "-0.0".getBytes(StandardCharsets.UTF_8), "[]".getBytes(StandardCharsets.UTF_8),
        "{}".getBytes(StandardCharsets.UTF_8), "[null, {}, []]".getBytes(StandardCharsets.UTF_8),
        "{\"stringValue\": 5}".getBytes(StandardCharsets.UTF_8), "\"\"".getBytes(StandardCharsets.UTF_8),
        "{\"arrayValue\":{\"values\":[{\"kvlistValue\":{}}]}}".getBytes(StandardCharsets.UTF_8),
    };

    static byte[] mutate(byte[] in, SplittableRandom r) {
        byte[] b = in;
        int rounds = 1 + r.nextInt(3);
        for (int i = 0; i < rounds && b.length > 0; i++) {
            b = switch (r.nextInt(14)) {
                case 0 -> flipBits(b, r);
                case 1 -> delete(b, r);
                case 2 -> insert(b, r.nextInt(b.length + 1), JUNK[r.nextInt(JUNK.length)]);
                case 3 -> java.util.Arrays.copyOf(b, r.nextInt(b.length));
                case 4 -> duplicate(b, r);
                case 5 -> insert(b, r.nextInt(b.length + 1), nesting(r.nextInt(50, 3_000)));
                case 6 -> replaceString(b, r, longString(r));
                case 7 -> replaceByte(b, r, (byte) '{', (byte) '[');
                case 8 -> replaceByte(b, r, (byte) '"', (byte) '\'');
                case 9 -> replaceString(b, r, STRING_JUNK[r.nextInt(STRING_JUNK.length)]);
                case 10 -> replaceValue(b, r, VALUE_JUNK[r.nextInt(VALUE_JUNK.length)]);
                case 11 -> replaceValue(b, r, nesting(r.nextInt(50, 3_000)));
                case 12 -> replaceValue(b, r, kvlistNesting(r.nextInt(20, 600)));
                default -> swapLines(b, r);
            };
        }
        return b;
    }

    /** Replaces the contents of a string that is a member's value ({@code :"..."}) with {@code content}. */
    private static byte[] replaceString(byte[] b, SplittableRandom r, byte[] content) {
        int start = find(b, r, (byte) ':', (byte) '"');
        if (start < 0) {
            return insert(b, r.nextInt(b.length + 1), content);
        }
        int from = start + 2;
        int to = from;
        while (to < b.length && b[to] != '"') {
            to += b[to] == '\\' ? 2 : 1;
        }
        to = Math.min(to, b.length);
        return splice(b, from, to, content);
    }

    /** Replaces a member's whole value (a string, number, literal, or the first token of an object or array). */
    private static byte[] replaceValue(byte[] b, SplittableRandom r, byte[] value) {
        int colon = find(b, r, (byte) ':', (byte) 0);
        if (colon < 0) {
            return insert(b, r.nextInt(b.length + 1), value);
        }
        int from = colon + 1;
        while (from < b.length && b[from] == ' ') {
            from++;
        }
        int to = from;
        if (to < b.length && b[to] == '"') {
            to++;
            while (to < b.length && b[to] != '"') {
                to += b[to] == '\\' ? 2 : 1;
            }
            to = Math.min(to + 1, b.length);
        } else if (to < b.length && (b[to] == '{' || b[to] == '[')) {
            // a container: replace it up to its matching bracket
            int depth = 0;
            boolean inString = false;
            for (; to < b.length; to++) {
                byte c = b[to];
                if (inString) {
                    if (c == '\\') {
                        to++;
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if ((c == '}' || c == ']') && --depth == 0) {
                    to++;
                    break;
                }
            }
        } else {
            while (to < b.length && ",}]\n".indexOf(b[to]) < 0) {
                to++;
            }
        }
        return splice(b, from, Math.min(to, b.length), value);
    }

    /** A random position of {@code a} followed by {@code next} (any byte if 0), or -1. */
    private static int find(byte[] b, SplittableRandom r, byte a, byte next) {
        int start = r.nextInt(b.length);
        for (int i = 0; i < b.length - 1; i++) {
            int at = (start + i) % (b.length - 1);
            if (b[at] == a && (next == 0 || b[at + 1] == next)) {
                return at;
            }
        }
        return -1;
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] with) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + with.length);
        out.write(b, 0, from);
        out.write(with, 0, with.length);
        out.write(b, to, b.length - to);
        return out.toByteArray();
    }

    /** An OTLP AnyValue holding key/value lists nested {@code depth} deep. */
    private static byte[] kvlistNesting(int depth) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            sb.append("{\"kvlistValue\":{\"values\":[{\"key\":\"k").append(i).append("\",\"value\":");
        }
        sb.append("{\"intValue\":\"1\"}");
        for (int i = 0; i < depth; i++) {
            sb.append("}]}}");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] flipBits(byte[] b, SplittableRandom r) {
        byte[] out = b.clone();
        int n = 1 + r.nextInt(8);
        for (int i = 0; i < n; i++) {
            out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return out;
    }

    private static byte[] delete(byte[] b, SplittableRandom r) {
        int at = r.nextInt(b.length);
        int len = Math.min(b.length - at, 1 + r.nextInt(64));
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        out.write(b, 0, at);
        out.write(b, at + len, b.length - at - len);
        return out.toByteArray();
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + what.length);
        out.write(b, 0, at);
        out.write(what, 0, what.length);
        out.write(b, at, b.length - at);
        return out.toByteArray();
    }

    private static byte[] duplicate(byte[] b, SplittableRandom r) {
        int at = r.nextInt(b.length);
        int len = Math.min(b.length - at, 1 + r.nextInt(4_096));
        return insert(b, r.nextInt(b.length + 1), java.util.Arrays.copyOfRange(b, at, at + len));
    }

    private static byte[] nesting(int depth) {
        StringBuilder sb = new StringBuilder(depth * 2);
        sb.append("[".repeat(depth)).append("]".repeat(depth));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] longString(SplittableRandom r) {
        int n = r.nextInt(1_000, 200_000);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + (i % 26)));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] replaceByte(byte[] b, SplittableRandom r, byte from, byte to) {
        byte[] out = b.clone();
        int start = r.nextInt(out.length);
        for (int i = 0; i < out.length; i++) {
            int at = (start + i) % out.length;
            if (out[at] == from) {
                out[at] = to;
                break;
            }
        }
        return out;
    }

    private static byte[] swapLines(byte[] b, SplittableRandom r) {
        String s = new String(b, StandardCharsets.ISO_8859_1);
        String[] lines = s.split("\n", -1);
        if (lines.length < 2) {
            return flipBits(b, r);
        }
        int i = r.nextInt(lines.length);
        int j = r.nextInt(lines.length);
        String t = lines[i];
        lines[i] = lines[j];
        lines[j] = t;
        return String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
    }

    // ------------------------------------------------------------------ a session that checks what readers hand over

    /** Checks every call a reader makes: registered ids, sane spans, problems with a location and a reason. */
    private static final class CheckingSession implements IngestSession {
        private final String label;
        private long next = 1;
        private final java.util.Set<Long> resources = new java.util.HashSet<>();
        private final java.util.Set<Long> scopes = new java.util.HashSet<>();
        int problems;
        int evalRuns;
        int spans;

        @Override
        public int evalRun(dev.tracebench.core.eval.EvalRunData run) {
            assertTrue(run != null && !run.name().isBlank() && !run.sourceFormat().isBlank(), label);
            return evalRuns++;
        }

        @Override
        public void evalResult(int run, dev.tracebench.core.eval.EvalResultData r) {
            assertTrue(run >= 0 && run < evalRuns, label + ": result of an unknown run");
            assertTrue(r.location() != null && !r.location().isBlank(), label + ": result without a location");
            assertTrue(r.score() == null || !r.score().isNaN(), label + ": a NaN score handed on");
        }

        CheckingSession(String label) {
            this.label = label;
        }

        @Override
        public long resource(ResourceData resource) {
            assertTrue(resource != null && resource.attributes() != null, label);
            long id = next++;
            resources.add(id);
            return id;
        }

        @Override
        public long scope(ScopeData scope) {
            assertTrue(scope != null && scope.name() != null && scope.version() != null, label);
            long id = next++;
            scopes.add(id);
            return id;
        }

        @Override
        public void span(long resourceId, long scopeId, SpanData s) {
            spans++;
            assertTrue(resources.contains(resourceId), label + ": span with an unregistered resource");
            assertTrue(scopes.contains(scopeId), label + ": span with an unregistered scope");
            assertTrue(s.traceId().hi() != 0 || s.traceId().lo() != 0, label + ": zero trace id");
            assertNotEquals(0L, s.spanId(), label + ": zero span id");
            assertTrue(s.attributes() != null && s.events() != null && s.links() != null, label);
            assertTrue(s.source() != null && !s.source().isBlank(), label + ": span without a location");
            try {
                // what the workspace stores must be encodable
                dev.tracebench.core.json.AttributeJson.encode(s.attributes());
            } catch (RuntimeException e) {
                throw new AssertionError(label + ": attributes do not encode: " + e, e);
            }
        }

        @Override
        public void reject(String location, String reason) {
            problem(location, reason);
        }

        @Override
        public void warn(String location, String reason) {
            problem(location, reason);
        }

        private void problem(String location, String reason) {
            assertFalse(location == null || location.isBlank(), label + ": problem without a location: " + reason);
            assertFalse(reason == null || reason.isBlank(), label + ": problem without a reason at " + location);
            problems++;
        }

        @Override
        public void bytesRead(long bytes) {
        }

        @Override
        public void checkCancelled() {
        }
    }
}
