package dev.tracebench.core.eval;

import java.util.List;

/**
 * One evaluator's verdict on one {@link EvalInput}, explained.
 *
 * @param evaluator   the evaluator's id ({@code groundedness}, {@code relevance}, {@code safety}, ...)
 * @param score       0–1, higher is better
 * @param label       a word for the verdict ({@code grounded} / {@code hallucinated}, {@code relevant}, {@code pii})
 * @param passed      whether it passes the evaluator's threshold
 * @param explanation one or two sentences saying why, with the numbers
 * @param unsupported the parts of the answer the verdict is about (unsupported claims, PII found, the failing check),
 *                    to highlight; empty if none
 * @param evidence    the closest supporting passage or other evidence (null if none)
 */
public record Verdict(String evaluator, double score, String label, boolean passed, String explanation,
        List<String> unsupported, String evidence) {

    public Verdict {
        unsupported = unsupported == null ? List.of() : List.copyOf(unsupported);
    }
}
