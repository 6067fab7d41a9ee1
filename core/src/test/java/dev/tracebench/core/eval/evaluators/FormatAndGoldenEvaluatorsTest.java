package dev.tracebench.core.eval.evaluators;

import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FormatAndGoldenEvaluatorsTest {
    private static EvalInput answer(String a, String reference) {
        return new EvalInput("q", List.of(), a, reference);
    }

    private static final String SCHEMA = """
            {"type": "object", "required": ["city", "population"],
             "properties": {"city": {"type": "string"}, "population": {"type": "integer", "minimum": 0}}}""";

    @Test
    void jsonSchemaRegexContainsAndLength() {
        FormatEvaluator f = new FormatEvaluator(new FormatEvaluator.Settings(false, SCHEMA, "\"city\"",
                List.of("Paris"), 60));
        Verdict ok = f.evaluate(answer("{\"city\": \"Paris\", \"population\": 2102650}", ""));
        assertTrue(ok.passed(), ok.explanation());
        assertEquals("All 5 format checks pass: JSON, schema, regex /\"city\"/, contains \"Paris\", 40 characters "
                + "(max 60).", ok.explanation());

        Verdict bad = f.evaluate(answer("{\"city\": \"Lyon\", \"population\": -3}", ""));
        assertFalse(bad.passed());
        assertEquals(3.0 / 5, bad.score(), 1e-9);
        assertTrue(bad.explanation().startsWith("2 of 5 format checks fail: schema: 1 error ("), bad.explanation());
        assertTrue(bad.explanation().contains("population"), bad.explanation());
        assertTrue(bad.explanation().contains("contains \"Paris\""), bad.explanation());

        Verdict notJson = f.evaluate(answer("{\"city\": \"Paris\",", ""));
        assertTrue(notJson.explanation().contains("not JSON ("), notJson.explanation());
        assertTrue(notJson.explanation().contains("schema: not checked"), notJson.explanation());
        assertEquals("invalid", notJson.label());
    }

    @Test
    void aFormatEvaluatorNeedsACheckAndValidSettings() {
        assertThrows(IllegalArgumentException.class,
                () -> new FormatEvaluator(new FormatEvaluator.Settings(false, null, null, List.of(), null)));
        assertThrows(IllegalArgumentException.class,
                () -> new FormatEvaluator(new FormatEvaluator.Settings(false, "{not json", null, List.of(), null)));
        assertThrows(java.util.regex.PatternSyntaxException.class,
                () -> new FormatEvaluator(new FormatEvaluator.Settings(false, null, "(", List.of(), null)));
    }

    @Test
    void goldenMethods() {
        Embeddings lexical = Embeddings.lexical();
        GoldenEvaluator f1 = new GoldenEvaluator(GoldenEvaluator.Settings.DEFAULT, lexical);
        // SQuAD token F1: "eiffel tower in paris" (article dropped) vs "eiffel tower": common 2, precision 2/4, recall 1
        Verdict v = f1.evaluate(answer("The Eiffel Tower, in Paris", "Eiffel Tower"));
        assertEquals(2.0 / 3, v.score(), 1e-9);
        assertTrue(v.explanation().contains("token F1 0.67 (precision 0.50, recall 1.00)"), v.explanation());
        assertEquals("match", v.label());
        assertEquals(0.0, f1.evaluate(answer("London", "Eiffel Tower")).score());

        GoldenEvaluator norm = new GoldenEvaluator(new GoldenEvaluator.Settings(GoldenEvaluator.Method.NORMALISED,
                1, 0.01), lexical);
        assertTrue(norm.evaluate(answer("  the Café!", "cafe")).passed());
        GoldenEvaluator exact = new GoldenEvaluator(new GoldenEvaluator.Settings(GoldenEvaluator.Method.EXACT, 1,
                0.01), lexical);
        assertFalse(exact.evaluate(answer("Cafe", "cafe")).passed());

        GoldenEvaluator numeric = new GoldenEvaluator(new GoldenEvaluator.Settings(GoldenEvaluator.Method.NUMERIC, 1,
                0.01), lexical);
        assertTrue(numeric.evaluate(answer("About 167,900 people.", "167,446")).passed());
        Verdict off = numeric.evaluate(answer("About 170,000 people.", "167,446"));
        assertFalse(off.passed());
        assertTrue(off.explanation().contains("numbers do not match within 1.0%"), off.explanation());

        assertEquals("no-reference", f1.evaluate(answer("x", "")).label());
    }

    @Test
    void goldenSimilarityWithTheModel() {
        GoldenEvaluator sim = new GoldenEvaluator(new GoldenEvaluator.Settings(GoldenEvaluator.Method.SIMILARITY, 0.6,
                0.01), Embeddings.miniLm());
        Verdict close = sim.evaluate(answer("The tower is located in Paris, France.", "It stands in Paris."));
        Verdict far = sim.evaluate(answer("Bananas are yellow.", "It stands in Paris."));
        assertTrue(close.score() > far.score() + 0.3, close.score() + " vs " + far.score());
        assertTrue(close.passed() && !far.passed(), close.explanation() + " / " + far.explanation());
    }
}
