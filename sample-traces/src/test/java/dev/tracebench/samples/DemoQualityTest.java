package dev.tracebench.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled demo as the Quality area shows it, read from the checked-in files: retrievals that carry their passages'
 * texts, a few answers that are bad for a planted reason, and an online check recorded as span events only.
 */
class DemoQualityTest {
    private static final JsonFactory JSON = new JsonFactory();
    /** evals.jsonl: one map per row (text fields and the verdict). */
    static List<Map<String, String>> evals = new ArrayList<>();
    /** Every document of every gen_ai.retrieval.documents attribute: id and content. */
    static List<String[]> documents = new ArrayList<>();
    static int evaluationEvents;
    static int evaluationEventsPassing;

    @BeforeAll
    static void read() throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(SampleFiles.open(SampleFiles.DEMO_EVALS),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                Map<String, String> row = new HashMap<>();
                try (JsonParser p = JSON.createParser(line)) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String k = p.currentName();
                        p.nextToken();
                        row.put(k, p.getValueAsString());
                    }
                }
                evals.add(row);
            }
        }
        try (InputStream in = new GZIPInputStream(SampleFiles.open(SampleFiles.DEMO_TRACES));
                JsonParser p = JSON.createParser(in)) {
            // attributes and event attributes are {"key": K, "value": {"stringValue" | "doubleValue": V}}
            String key = null;
            boolean inEvaluation = false;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) {
                    continue;
                }
                String f = p.currentName();
                p.nextToken();
                if (f.equals("name") && p.currentToken() == JsonToken.VALUE_STRING) {
                    inEvaluation = p.getText().equals("gen_ai.evaluation.result");
                    evaluationEvents += inEvaluation ? 1 : 0;
                } else if (f.equals("key")) {
                    key = p.getText();
                } else if (f.equals("stringValue") && "gen_ai.retrieval.documents".equals(key)) {
                    documents.addAll(documents(p.getText()));
                } else if (f.equals("stringValue") && inEvaluation && "gen_ai.evaluation.score.label".equals(key)) {
                    evaluationEventsPassing += p.getText().equals("pass") ? 1 : 0;
                }
            }
        }
    }

    private static List<String[]> documents(String json) throws IOException {
        List<String[]> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(json)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String[] doc = new String[2];
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    if (f.equals("id")) {
                        doc[0] = p.getText();
                    } else if (f.equals("content")) {
                        doc[1] = p.getText();
                    }
                }
                out.add(doc);
            }
        }
        return out;
    }

    /** The low 64 bits of a trace id, the number the demo's flaws are chosen by (Fleet.flaw). */
    private static long percentile(String traceHex) {
        return Long.remainderUnsigned(Long.parseUnsignedLong(traceHex.substring(16), 16), 100);
    }

    @Test
    void retrievalsCarryThePassagesTheyFound() {
        assertTrue(documents.size() > 5_000, "documents: " + documents.size());
        for (String[] d : documents) {
            assertEquals(KnowledgeBase.get(d[0]).text(), d[1], d[0]);
        }
    }

    @Test
    void aFewAnswersAreHallucinatedOrOffTopicAndOnlyThePlantedOnes() {
        long grounded = 0;
        long hallucinated = 0;
        long relevant = 0;
        long irrelevant = 0;
        for (Map<String, String> row : evals) {
            String label = row.get("label");
            long m = percentile(row.get("trace_id"));
            switch (row.get("evaluator")) {
                case "groundedness" -> {
                    if (label.equals("hallucinated")) {
                        hallucinated++;
                        // ignoring the passages (m < 4) or answering another question (4 <= m < 6)
                        assertTrue(m < 6, row.toString());
                        assertEquals("false", row.get("passed"), row.toString());
                        assertTrue(Double.parseDouble(row.get("score")) < 0.5, row.toString());
                    } else {
                        grounded++;
                        assertEquals("grounded", label);
                    }
                }
                case "relevance" -> {
                    if (label.equals("irrelevant")) {
                        irrelevant++;
                        assertTrue(m >= 4 && m < 6, row.toString());
                        assertEquals("false", row.get("passed"), row.toString());
                    } else {
                        relevant++;
                        assertEquals("relevant", label);
                    }
                }
                default -> throw new AssertionError("evals.jsonl holds only the judge's verdicts: " + row);
            }
        }
        assertEquals(grounded + hallucinated, relevant + irrelevant, "both verdicts for every judged answer");
        // a small share: about 6% of the documented questions' answers, which are most of them
        double share = hallucinated / (double) (grounded + hallucinated);
        assertTrue(share > 0.02 && share < 0.06, "hallucinated share " + share);
        assertTrue(irrelevant > 0 && irrelevant < hallucinated, irrelevant + " irrelevant");
    }

    @Test
    void theOnlineToxicityCheckIsInTheSpansNotInEvalsJsonl() throws IOException {
        String truth;
        try (InputStream in = SampleFiles.open(SampleFiles.DEMO_TRUTH)) {
            truth = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(truth.contains("\"span_evaluations\" : " + evaluationEvents), truth);
        assertTrue(truth.contains("\"evaluations\" : " + evals.size()), truth);
        assertTrue(evaluationEvents > 300, "events: " + evaluationEvents);
        assertEquals(evaluationEvents, evaluationEventsPassing, "the demo's answers are not toxic");
        assertFalse(evals.stream().anyMatch(r -> r.get("evaluator").equals("toxicity")));
    }
}
