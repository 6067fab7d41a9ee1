package dev.tracebench.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GeneratedSampleTest {

    @Test
    void theCheckedInSampleIsExactlyWhatTheGeneratorWrites() throws IOException {
        ByteArrayOutputStream regenerated = new ByteArrayOutputStream();
        RagTrafficGenerator.Summary s = GenerateSamples.writeRagAssistant(regenerated);
        byte[] checkedIn;
        try (InputStream in = SampleFiles.open(SampleFiles.RAG_ASSISTANT)) {
            checkedIn = in.readAllBytes();
        }
        assertArrayEquals(checkedIn, regenerated.toByteArray(),
                "regenerate with GenerateSamples after changing the generator");
        assertEquals(400, s.traces());
        assertEquals(20, s.lines());
        assertTrue(s.spans() > 3600 && s.spans() < 5200, "about ten spans per request: " + s.spans());
        assertTrue(s.errorTraces() > 8 && s.errorTraces() < 40, "a few percent of requests fail: " + s.errorTraces());
    }

    @Test
    void theSameSeedGivesTheSameTrafficAndAnotherSeedDiffers() throws IOException {
        RagTrafficGenerator.Options o = new RagTrafficGenerator.Options(7, 30,
                java.time.Instant.parse("2026-01-01T00:00:00Z"), 600, 10);
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        new RagTrafficGenerator(o).write(a);
        new RagTrafficGenerator(o).write(b);
        new RagTrafficGenerator(new RagTrafficGenerator.Options(8, 30, o.start(), 600, 10)).write(c);
        assertArrayEquals(a.toByteArray(), b.toByteArray());
        assertTrue(!java.util.Arrays.equals(a.toByteArray(), c.toByteArray()));
        String text = a.toString(StandardCharsets.UTF_8);
        assertEquals(3, text.lines().count(), "30 traces at 10 per line");
        assertTrue(text.lines().allMatch(l -> l.startsWith("{\"resourceSpans\":[")));
    }

    @Test
    void theSampleIsGzippedCollectorJsonLines() throws IOException {
        try (InputStream in = new GZIPInputStream(SampleFiles.open(SampleFiles.RAG_ASSISTANT))) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(20, text.lines().count());
            assertTrue(text.contains("\"gen_ai.usage.input_tokens\""));
            assertTrue(text.contains("\"gen_ai.retrieval.documents\""));
            assertTrue(text.contains("\"name\":\"exception\""));
        }
    }

    @Test
    void theKnowledgeBaseLoads() {
        assertEquals(24, KnowledgeBase.passages().size());
        assertEquals("kb-001", KnowledgeBase.passages().get(0).id());
    }
}
