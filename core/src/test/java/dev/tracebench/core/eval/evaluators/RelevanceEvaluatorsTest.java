package dev.tracebench.core.eval.evaluators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.Verdict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Relevance on real questions: HaluEval QA's questions with their own right answer and knowledge against those of
 * another question (the next line's). The model runs in process, offline.
 */
class RelevanceEvaluatorsTest {
    private static final List<String[]> ROWS = new ArrayList<>();

    @BeforeAll
    static void read() throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(RelevanceEvaluatorsTest.class
                .getResourceAsStream("halueval-qa/qa-one-turn-even.jsonl"), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                JsonNode n = json.readTree(line);
                ROWS.add(new String[] {n.get("question").asText(), n.get("knowledge").asText(),
                        n.get("right_answer").asText()});
            }
        }
    }

    @Test
    void theModelLoadsOfflineAndEmbeds() {
        Embeddings e = Embeddings.miniLm();
        assertTrue(e.neural(), "fell back: " + e.fallbackReason());
        double same = e.similarity("Where is the Eiffel Tower?", "The Eiffel Tower is in Paris.");
        double other = e.similarity("Where is the Eiffel Tower?", "Bananas are rich in potassium.");
        assertTrue(same > 0.5 && other < 0.2, same + " vs " + other);
    }

    @Test
    void ownKnowledgeAndAnswerScoreAboveAnotherQuestions() {
        for (Embeddings e : List.of(Embeddings.miniLm(), Embeddings.lexical())) {
            var answers = AnswerRelevanceEvaluator.withDefaults(e);
            var contexts = ContextRelevanceEvaluator.withDefaults(e);
            int answerWins = 0, contextWins = 0, ownRelevant = 0, otherRelevant = 0, n = ROWS.size();
            int ownAnswerRelevant = 0, otherAnswerRelevant = 0;
            for (int i = 0; i < n; i++) {
                String[] own = ROWS.get(i);
                String[] other = ROWS.get((i + 1) % n);
                double a = answers.evaluate(new EvalInput(own[0], List.of(), own[2], "")).score();
                double b = answers.evaluate(new EvalInput(own[0], List.of(), other[2], "")).score();
                answerWins += a > b ? 1 : 0;
                ownAnswerRelevant += a >= answers.threshold() ? 1 : 0;
                otherAnswerRelevant += b >= answers.threshold() ? 1 : 0;
                Verdict c = contexts.evaluate(new EvalInput(own[0], List.of(own[1]), "", ""));
                Verdict d = contexts.evaluate(new EvalInput(own[0], List.of(other[1]), "", ""));
                contextWins += c.score() > d.score() || (c.passed() && !d.passed()) ? 1 : 0;
                ownRelevant += c.passed() ? 1 : 0;
                otherRelevant += d.passed() ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "relevance (%s): own answer scores higher in %d/%d, relevant %d/%d, another "
                    + "question's answer relevant %d/%d; own knowledge relevant %d/%d, another question's %d/%d, own "
                    + "wins %d/%d%n", e.method(), answerWins, n, ownAnswerRelevant, n, otherAnswerRelevant, n,
                    ownRelevant, n, otherRelevant, n, contextWins, n);
            if (e.neural()) {
                assertTrue(answerWins >= 0.8 * n, "answers: " + answerWins);
                // HaluEval's right answers are mostly bare names and years: topically far from a whole question
                assertTrue(ownAnswerRelevant >= 0.6 * n && otherAnswerRelevant <= 0.2 * n,
                        ownAnswerRelevant + " / " + otherAnswerRelevant);
                assertTrue(ownRelevant >= 0.9 * n && otherRelevant <= 0.1 * n, ownRelevant + " / " + otherRelevant);
            } else {
                assertTrue(ownRelevant >= 0.7 * n && otherRelevant <= 0.1 * n, ownRelevant + " / " + otherRelevant);
            }
        }
    }

    @Test
    void contextPrecisionRanksRelevantPassagesFirstHigher() {
        var contexts = ContextRelevanceEvaluator.withDefaults(Embeddings.miniLm());
        String q = "When did the Eiffel Tower open?";
        String rel = "The Eiffel Tower opened to the public in March 1889, built for the World's Fair.";
        String irr = "Potassium is a chemical element with the symbol K.";
        Verdict first = contexts.evaluate(new EvalInput(q, List.of(rel, irr), "", ""));
        Verdict second = contexts.evaluate(new EvalInput(q, List.of(irr, rel), "", ""));
        assertEquals(1.0, first.score(), 1e-9);
        assertEquals(0.5, second.score(), 1e-9);
        assertEquals(List.of(irr), second.unsupported());
        assertTrue(second.explanation().startsWith("1 of 2 passages relevant"), second.explanation());
        Verdict none = contexts.evaluate(new EvalInput(q, List.of(), "", ""));
        assertEquals("no-context", none.label());
        assertFalse(none.passed());
    }
}
