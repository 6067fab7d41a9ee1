package dev.tracebench.views.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.EvalCondition;
import org.junit.jupiter.api.Test;

/** The cohort texts the Quality area builds parse back, as the CLI reads them, to the cohort meant. */
class QualityCohortsTest {

    @Test
    void aLabelParsesBackEvenWithSpacesAndWordsThatMeanSomethingElse() {
        assertEquals("eval:groundedness=hallucinated", QualityCohorts.labelled("groundedness", "hallucinated"));
        for (String[] c : new String[][] {{"groundedness", "hallucinated"}, {"Answer Relevancy", "not relevant"},
            {"verdict", "fail"}, {"score", "0.5"}}) {
            Cohort parsed = Cohort.parse(QualityCohorts.labelled(c[0], c[1]));
            assertEquals(Cohort.quality(EvalCondition.label(c[0], c[1])), parsed, String.join(" / ", c));
        }
        assertEquals(Cohort.quality(EvalCondition.anyFailed()), Cohort.parse(QualityCohorts.ANY_FAIL));
    }

    @Test
    void onlyEvalTextIsAQualityCohort() {
        assertTrue(QualityCohorts.isQuality(" EVAL:any-fail"));
        assertFalse(QualityCohorts.isQuality("tenant = 'eval:x'"));
        assertFalse(QualityCohorts.isQuality(null));
    }
}
