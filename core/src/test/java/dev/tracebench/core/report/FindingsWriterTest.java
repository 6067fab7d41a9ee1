package dev.tracebench.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.model.TraceId;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FindingsWriterTest {
    private static final TraceId T1 = new TraceId(0x0102030405060708L, 0x090a0b0c0d0e0f10L);
    private static final long SPAN = 0x1a2b3c4d5e6f7081L;

    private static final Finding CAUSE = new Finding(Severity.CRITICAL, Finding.ROOT_CAUSE,
            "57% of slow requests had retrieval · app.vector.shard = archive-1 (vs 7% of the others).",
            "Compared a sample of the cohort with the others.",
            new Finding.Evidence(5022, 2885, 5053, 356, 0.5, 0.99995, Map.of(),
                    new Finding.Cost(2_300_000_000L, "retrieval", 0.41)),
            List.of("had retrieval · db.collection.name = kb-archive (61% vs 20%)"),
            List.of(new Finding.Exemplar(T1, SPAN)),
            new Finding.Traces(Cohort.slow(95).and("t.retrieval_ns > 1"), "slow requests that had shard archive-1"));
    private static final Finding CHECK = new Finding(Severity.WARNING, "queueing",
            "Queue time grows with load.", "Requests wait for a worker.",
            new Finding.Evidence(0, 0, 0, 0, 0, 0, Map.of("quiet_p95", "3.76 ms", "busy_p95", "79.6 ms")), List.of());
    /** A finding that (wrongly) carries a credential in every text it has. */
    private static final Finding LEAKY = new Finding(Severity.NOTICE, Finding.ROOT_CAUSE,
            "40% had request · http.request.header.authorization = Bearer sk-live-4f9a8b7c6d5e4f3a2b1c (vs 1%).",
            "The key sk-live-4f9a8b7c6d5e4f3a2b1c0d appears in the cohort.",
            new Finding.Evidence(100, 40, 100, 1, 0.39, 0.999, Map.of("attribute",
                    "http.request.header.authorization", "value", "Bearer sk-live-4f9a8b7c6d5e4f3a2b1c")),
            List.of("had api_key=sk-live-4f9a8b7c6d5e4f3a2b1c (40% vs 1%)"), List.of(), null);

    private static String write(FindingsWriter w, List<Finding> findings) throws IOException {
        StringWriter out = new StringWriter();
        w.write("Why slow requests differ", findings, out);
        return out.toString();
    }

    @Test
    void textNumbersTheFindingsWithCountsLiftAndCostAsEvidence() throws IOException {
        String text = write(FindingsWriter.TEXT, List.of(CAUSE, CHECK));
        assertTrue(text.startsWith("Why slow requests differ\n\n1. [CRITICAL] 57% of slow requests"), text);
        assertTrue(text.contains("evidence: 2,885 of 5,022 in the cohort (57.4%) vs 356 of 5,053 others (7.0%); "
                + "8.2× as common; +2.30 s median, mostly retrieval; 41% of the cohort's excess time\n"), text);
        assertFalse(text.contains("confidence"), "a confidence of 1.0000 tells nothing: " + text);
        assertTrue(text.contains("   also: had retrieval · db.collection.name = kb-archive (61% vs 20%)\n"), text);
        assertTrue(text.contains("example traces: " + T1.hex() + " (span 1a2b3c4d5e6f7081)"), text);
        assertTrue(text.contains("2. [WARNING] Queue time grows with load.\n"), text);
        assertTrue(text.contains("   evidence: busy_p95 = 79.6 ms, quiet_p95 = 3.76 ms\n"), text);
        assertEquals("Why slow requests differ\n\nNo findings.\n", write(FindingsWriter.TEXT, List.of()));
    }

    @Test
    void markdownHasAHeadingPerFindingAndSaysWhatItIsAbout() throws IOException {
        String md = write(FindingsWriter.MARKDOWN, List.of(CAUSE, CHECK));
        assertTrue(md.contains("- Evidence: 2,885 of 5,022 in the cohort"), md);
        assertTrue(md.contains("*critical · about this cohort*"), md);
        assertTrue(md.contains("*warning · check queueing over the whole workspace*"), md);
        assertTrue(md.contains("- Also: had retrieval · db.collection.name = kb-archive (61% vs 20%)"), md);
        assertTrue(md.contains("- Example traces: `" + T1.hex() + "` (span `1a2b3c4d5e6f7081`)"), md);
        assertTrue(md.contains("- busy\\_p95: `79.6 ms`"), md); // Markdown-escaped key
        assertFalse(md.contains("- Evidence: \n") || md.contains("- Evidence: -"), md);
        assertEquals(2, md.lines().filter(l -> l.startsWith("### ")).count(), md);
    }

    @Test
    void jsonKeepsTheRawNumbers() throws IOException {
        String json = write(FindingsWriter.JSON, List.of(CAUSE, CHECK));
        List<String> values = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            String field = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME) {
                    field = p.currentName();
                } else if (t.isScalarValue() && field != null) {
                    values.add(field + "=" + p.getText());
                }
            }
        }
        assertTrue(values.contains("cohort_matching=2885"), values.toString());
        assertTrue(values.contains("rest_traces=5053"), values.toString());
        assertTrue(values.contains("severity=critical"), values.toString());
        assertTrue(values.contains("busy_p95=79.6 ms"), values.toString());
        assertTrue(values.contains("trace_id=" + T1.hex()), values.toString());
        assertTrue(values.contains("span_id=1a2b3c4d5e6f7081"), values.toString());
        assertTrue(values.contains("added_ns=2300000000"), values.toString());
        assertTrue(values.contains("excess_share=0.41"), values.toString());
        assertTrue(values.stream().anyMatch(v -> v.startsWith("lift=8.1")), values.toString());
        assertTrue(values.contains("traces=slow requests that had shard archive-1"), values.toString());
    }

    @ParameterizedTest
    @EnumSource(FindingsWriter.class)
    void noFormatPrintsASecret(FindingsWriter w) throws IOException {
        String out = write(w, List.of(LEAKY));
        assertFalse(out.contains("4f9a8b7c6d5e4f3a2b1c"), out);
        assertTrue(out.contains("[masked]"), out);
    }

    @Test
    void theEvidenceLineSaysWhenOnlyTheCohortHasTheProperty() {
        Finding only = new Finding(Severity.WARNING, Finding.ROOT_CAUSE, "s", "e", new Finding.Evidence(10, 5, 90, 0,
                0.5, 0.999, Map.of()), List.of());
        assertEquals("5 of 10 in the cohort (50.0%) vs 0 of 90 others (0.0%); only in the cohort",
                FindingsWriter.evidence(only));
    }
}
