package dev.tracebench.core.eval.evaluators;

import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.Evaluator;
import dev.tracebench.core.eval.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Retrieval relevance / context precision: each retrieved passage is relevant when its similarity to the question
 * ({@link Embeddings#similarity}) reaches {@code threshold}. Score: the average precision of the passages in the
 * order they were retrieved (the mean of precision@k over the ranks k of relevant passages, as Ragas' context
 * precision), so relevant passages ranked first score higher; 0 when none is relevant or nothing was retrieved.
 * Label {@code relevant} when at least one passage is, else {@code irrelevant} ({@code no-context} without passages).
 */
public final class ContextRelevanceEvaluator implements Evaluator {
    public static final String ID = "context-precision";

    private final Embeddings embeddings;
    private final double threshold;

    public ContextRelevanceEvaluator(Embeddings embeddings, double threshold) {
        this.embeddings = embeddings;
        this.threshold = threshold;
    }

    public static ContextRelevanceEvaluator withDefaults(Embeddings embeddings) {
        return new ContextRelevanceEvaluator(embeddings, embeddings.neural() ? 0.3 : 0.1);
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
        List<String> passages = input.contexts();
        if (passages.isEmpty()) {
            return new Verdict(ID, 0, "no-context", false, "No passages were retrieved.", List.of(), null);
        }
        embeddings.prefetch(concat(input.question(), passages));
        int relevant = 0;
        double precisionSum = 0;
        int best = 0;
        double bestSim = -1;
        List<String> irrelevant = new ArrayList<>();
        StringBuilder sims = new StringBuilder();
        for (int k = 0; k < passages.size(); k++) {
            double s = embeddings.similarity(input.question(), passages.get(k));
            if (s > bestSim) {
                bestSim = s;
                best = k;
            }
            if (s >= threshold) {
                relevant++;
                precisionSum += (double) relevant / (k + 1);
            } else {
                irrelevant.add(passages.get(k));
            }
            if (k < 10) {
                sims.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", s));
            }
        }
        double score = relevant == 0 ? 0 : precisionSum / relevant;
        String why = String.format(Locale.ROOT, "%d of %d passages relevant to the question (similarity >= %.2f, %s: %s%s);"
                + " average precision %.2f; closest: passage %d.", relevant, passages.size(), threshold,
                embeddings.method(), sims, passages.size() > 10 ? ", …" : "", score, best + 1);
        return new Verdict(ID, score, relevant > 0 ? "relevant" : "irrelevant", relevant > 0, why, irrelevant,
                passages.get(best));
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
