package dev.tracebench.core.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The text of quality cohorts: each form, its words, and what is refused with which message. */
class EvalConditionTest {
    @Test
    void eachFormParses() {
        assertEquals(EvalCondition.label("groundedness", "hallucinated"), EvalCondition.parse("groundedness=hallucinated"));
        assertEquals(EvalCondition.score("relevance", EvalCondition.Op.LT, 0.5), EvalCondition.parse("relevance<0.5"));
        assertEquals(EvalCondition.score("relevance", EvalCondition.Op.LE, 0.5), EvalCondition.parse(" relevance <= .5 "));
        assertEquals(EvalCondition.score("relevance", EvalCondition.Op.GT, 0.5), EvalCondition.parse("relevance>0.5"));
        assertEquals(EvalCondition.score("relevance", EvalCondition.Op.GE, 1), EvalCondition.parse("relevance>=1"));
        assertEquals(EvalCondition.score("relevance", EvalCondition.Op.EQ, -2e-3), EvalCondition.parse("relevance=-2e-3"));
        assertEquals(EvalCondition.failed("faithfulness"), EvalCondition.parse("faithfulness=fail"));
        assertEquals(EvalCondition.failed("faithfulness"), EvalCondition.parse("faithfulness=FAILED"));
        assertEquals(EvalCondition.passed("faithfulness"), EvalCondition.parse("faithfulness=pass"));
        assertEquals(EvalCondition.anyFailed(), EvalCondition.parse("any-fail"));
        // metric names with spaces (DeepEval's "Answer Relevancy"), labels that are words of the syntax, in quotes
        assertEquals(EvalCondition.score("Answer Relevancy", EvalCondition.Op.LT, 0.7),
                EvalCondition.parse("Answer Relevancy<0.7"));
        assertEquals(EvalCondition.score("Answer Relevancy", EvalCondition.Op.LT, 0.7),
                EvalCondition.parse("\"Answer Relevancy\" < 0.7"));
        assertEquals(EvalCondition.label("verdict", "fail"), EvalCondition.parse("verdict=\"fail\""));
        assertEquals(EvalCondition.label("verdict", "not sure"), EvalCondition.parse("verdict=\"not sure\""));
        assertEquals(EvalCondition.label("grade", "0.5"), EvalCondition.parse("grade=\"0.5\""));
    }

    @Test
    void theTextParsesBack() {
        for (EvalCondition c : List.of(EvalCondition.label("groundedness", "hallucinated"),
                EvalCondition.label("verdict", "fail"), EvalCondition.label("Answer Relevancy", "not sure"),
                EvalCondition.score("relevance", EvalCondition.Op.LE, 0.25), EvalCondition.passed("x"),
                EvalCondition.failed("x"), EvalCondition.anyFailed(), EvalCondition.label("grade", "7"))) {
            assertEquals(c, EvalCondition.parse(c.text()), c.text());
        }
    }

    @Test
    void cohortsInWords() {
        Cohort c = Cohort.parse("eval:groundedness=hallucinated");
        assertEquals(Cohort.Kind.QUALITY, c.kind());
        assertEquals("hallucinated answers (groundedness = hallucinated)", c.label());
        assertEquals("hallucinated answers", c.noun());
        assertEquals("answers with relevance < 0.5", Cohort.parse("EVAL:relevance<0.5").label());
        assertEquals("answers with relevance ≤ 0.5", Cohort.parse("eval:relevance<=0.5").label());
        assertEquals("answers that failed faithfulness (faithfulness = fail)",
                Cohort.parse("eval:faithfulness=fail").label());
        assertEquals("answers that failed an eval", Cohort.parse("eval:any-fail").label());
        // combined like any cohort
        Cohort narrowed = c.within(GroupBy.of(Dimension.TENANT), List.of("t-initech")).and("docs = 0");
        assertEquals(c.eval(), narrowed.eval());
        assertEquals("hallucinated answers (groundedness = hallucinated) where docs = 0 with tenant t-initech",
                narrowed.label());
        assertEquals("hallucinated answers where docs = 0 with tenant t-initech", narrowed.noun());
        assertEquals(c.within(GroupBy.of(Dimension.TENANT), List.of("t-initech")), narrowed.unfiltered());
        assertTrue(c.isQuality() && !c.isEverything());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "groundedness", "=x", "groundedness=", "groundedness!=x", "relevance<low"})
    void malformedFormsSayWhatTheFormsAre(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cohort.parse("eval:" + text));
        assertTrue(e.getMessage().contains("eval:groundedness=hallucinated") || e.getMessage().contains("compares "
                + "scores"), e.getMessage());
    }

    @Test
    void aQualityCohortNeedsItsCondition() {
        assertThrows(IllegalArgumentException.class, () -> new Cohort(Cohort.Kind.QUALITY, 0, 0, 0, 0, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new Cohort(Cohort.Kind.ALL, 0, 0, 0, 0, 0, null,
                Cohort.Metric.DURATION, List.of(), EvalCondition.anyFailed()));
        assertThrows(IllegalArgumentException.class, () -> EvalCondition.score("x", EvalCondition.Op.LT, Double.NaN));
    }
}
