package dev.tracebench.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.model.TraceId;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FindingsWriterTest {
    private static final TraceId T1 = new TraceId(0x0102030405060708L, 0x090a0b0c0d0e0f10L);

    private static final Finding CAUSE = new Finding(Severity.CRITICAL, "root-cause",
            "57% of slow requests had retrieval · app.vector.shard = archive-1 (vs 7% of the others).",
            "Compared a sample of the cohort with the others.",
            new Finding.Evidence(5022, 2885, 5053, 356, 0.5, 0.99995, Map.of()), List.of(T1));
    private static final Finding CHECK = new Finding(Severity.WARNING, "queueing",
            "Queue time grows with load.", "Requests wait for a worker.",
            new Finding.Evidence(0, 0, 0, 0, 0, 0, Map.of("quiet_p95", "3.76 ms", "busy_p95", "79.6 ms")), List.of());

    private static String write(FindingsWriter w, List<Finding> findings) throws IOException {
        StringWriter out = new StringWriter();
        w.write("Why slow requests differ", findings, out);
        return out.toString();
    }

    @Test
    void textNumbersTheFindingsWithCountsOrFactsAsEvidence() throws IOException {
        String text = write(FindingsWriter.TEXT, List.of(CAUSE, CHECK));
        assertTrue(text.startsWith("Why slow requests differ\n\n1. [CRITICAL] 57% of slow requests"), text);
        assertTrue(text.contains("2,885 of 5,022 in the cohort (57.4%) vs 356 of 5,053 others (7.0%)"), text);
        assertTrue(text.contains("example traces: " + T1.hex()), text);
        assertTrue(text.contains("2. [WARNING] Queue time grows with load.\n"), text);
        assertTrue(text.contains("   evidence: busy_p95 = 79.6 ms, quiet_p95 = 3.76 ms\n"), text);
        assertEquals("Why slow requests differ\n\nNo findings.\n", write(FindingsWriter.TEXT, List.of()));
    }

    @Test
    void markdownHasAHeadingPerFindingAndNoEmptyEvidence() throws IOException {
        String md = write(FindingsWriter.MARKDOWN, List.of(CAUSE, CHECK));
        assertTrue(md.contains("- Evidence: 2,885 of 5,022 in the cohort"), md);
        assertTrue(md.contains("- Example traces: `" + T1.hex() + "`"), md);
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
        assertTrue(values.contains("exemplars=" + T1.hex()), values.toString());
    }
}
