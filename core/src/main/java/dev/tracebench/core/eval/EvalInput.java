package dev.tracebench.core.eval;

import java.util.List;

/**
 * What an evaluator judges: the question, the context passages the same request retrieved, the answer and (for golden
 * comparisons) the expected answer. Any text may be empty, never null.
 */
public record EvalInput(String question, List<String> contexts, String answer, String reference) {

    public EvalInput {
        question = question == null ? "" : question;
        contexts = contexts == null ? List.of() : List.copyOf(contexts);
        answer = answer == null ? "" : answer;
        reference = reference == null ? "" : reference;
    }
}
