package dev.tracebench.core.eval.evaluators;

import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.Evaluator;
import dev.tracebench.core.eval.Verdict;

import java.util.List;
import java.util.Locale;

/**
 * Answer relevance: how close the answer is to the question it answers ({@link Embeddings#similarity}). Label
 * {@code relevant} at or above {@code threshold}, else {@code irrelevant}; an empty answer or question is
 * {@code irrelevant} with score 0.
 */
public final class AnswerRelevanceEvaluator implements Evaluator {
    public static final String ID = "relevance";

    private final Embeddings embeddings;
    private final double threshold;

    public AnswerRelevanceEvaluator(Embeddings embeddings, double threshold) {
        this.embeddings = embeddings;
        this.threshold = threshold;
    }

    /** The threshold for the model's similarities, or the (lower) one for the lexical fallback. */
    public static AnswerRelevanceEvaluator withDefaults(Embeddings embeddings) {
        return new AnswerRelevanceEvaluator(embeddings, embeddings.neural() ? 0.15 : 0.1);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return embeddings.neural() ? "1-minilm" : "1-lexical";
    }

    public double threshold() {
        return threshold;
    }

    @Override
    public Verdict evaluate(EvalInput input) {
        if (input.answer().isBlank() || input.question().isBlank()) {
            return new Verdict(ID, 0, "irrelevant", false, input.answer().isBlank() ? "The answer is empty."
                    : "There is no question to judge the answer against.", List.of(), null);
        }
        double s = embeddings.similarity(input.question(), input.answer());
        boolean ok = s >= threshold;
        String why = String.format(Locale.ROOT, "Similarity of answer and question %.2f (%s) is %s the threshold %.2f.",
                s, embeddings.method(), ok ? "at or above" : "below", threshold);
        return new Verdict(ID, s, ok ? "relevant" : "irrelevant", ok, why, ok ? List.of() : List.of(input.answer()),
                null);
    }
}
