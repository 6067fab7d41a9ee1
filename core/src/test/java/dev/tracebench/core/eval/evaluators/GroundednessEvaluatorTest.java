package dev.tracebench.core.eval.evaluators;

import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroundednessEvaluatorTest {
    private final GroundednessEvaluator g = new GroundednessEvaluator();
    private static final List<String> PASSAGES = List.of(
            "The Eiffel Tower is a wrought-iron tower in Paris. It opened in 1889 and is 330 metres tall.",
            "Gustave Eiffel's company designed and built the tower.Its design was not popular with artists.");

    private Verdict judge(String question, String answer) {
        return g.evaluate(new EvalInput(question, PASSAGES, answer, ""));
    }

    @Test
    void supportedClaimsAreGrounded() {
        Verdict v = judge("When did it open?", "The Eiffel Tower opened in 1889. It is 330 metres tall.");
        assertEquals("grounded", v.label());
        assertEquals(1.0, v.score());
        assertEquals("2 of 2 claims supported by the 2 passages.", v.explanation());
        // plurals and possessives: "companies" is "company", "Eiffel's" is "Eiffel"
        assertTrue(judge("Who built it?", "Gustave Eiffel companies built the tower.").passed());
        assertTrue(judge("Was it popular?", "Its design was not popular with artists.").passed());
    }

    @Test
    void aWrongNumberOrANewNameIsHallucinated() {
        Verdict v = judge("When did it open?", "The Eiffel Tower opened in 1889. It is 300 metres tall.");
        assertEquals("hallucinated", v.label());
        assertEquals(List.of("It is 300 metres tall."), v.unsupported());
        // "It" refers back: the sentence is read with the one before it
        assertEquals("The Eiffel Tower is a wrought-iron tower in Paris. It opened in 1889 and is 330 metres tall.",
                v.evidence());
        assertTrue(v.explanation().startsWith("1 of 2 claims supported by the 2 passages; unsupported: \"It is 300 "
                + "metres tall.\" (2 of 3 words found, missing: 300, closest: passage 1)"), v.explanation());
        assertEquals((1.0 + 2.0 / 3) / 2, v.score(), 1e-9);
    }

    @Test
    void wordsFromDifferentSentencesDoNotSupportAClaim() {
        // both "artists" and "1889" are in the passages, never in one sentence
        Verdict v = judge("Who liked it?", "Artists loved it in 1889.");
        assertFalse(v.passed(), v.explanation());
    }

    @Test
    void aDenialThePassageDoesNotMakeContradictsIt() {
        Verdict v = judge("Where is it?", "The Eiffel Tower is not in Paris.");
        assertFalse(v.passed());
        assertTrue(v.explanation().contains("a negation the passage does not make"), v.explanation());
    }

    @Test
    void noPassagesNoSupport() {
        Verdict v = g.evaluate(new EvalInput("q", List.of(), "Paris has a tower.", ""));
        assertEquals("hallucinated", v.label());
        assertEquals("No context passages: none of the 1 claim can be supported.", v.explanation());
        assertEquals(0.0, v.score());
    }

    @Test
    void aBareYesOrNoAndAnEmptyAnswerClaimNothing() {
        assertTrue(judge("Is the tower in Paris?", "Yes.").passed());
        Verdict reasoned = judge("Is the tower in Rome?", "No, it is in Lyon.");
        assertFalse(reasoned.passed(), reasoned.explanation());
        assertTrue(reasoned.explanation().contains("(the yes/no itself is not checked)"), reasoned.explanation());
        assertTrue(judge("Where?", "").passed());
    }

    @Test
    void sentencesSplitAtGluedPassagesButNotAtInitials() {
        assertEquals(List.of("It was built in the 19th century.", "First for Women is a magazine."),
                Text.sentences("It was built in the 19th century.First for Women is a magazine."));
        assertEquals(List.of("He lived in Washington, D.C. for years.", "Then he left."),
                Text.sentences("He lived in Washington, D.C. for years. Then he left."));
        assertEquals(List.of("167446", "nixon", "company", "tower"), Text.contentWords("167,446 Nixon's companies towers"));
    }
}
