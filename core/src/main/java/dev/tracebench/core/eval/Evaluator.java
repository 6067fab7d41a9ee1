package dev.tracebench.core.eval;

/**
 * A built-in evaluator: offline and deterministic (the optional LLM judge excepted), thread-safe, one verdict per
 * input. Evaluators are small, pure and tested, like the analysis rules.
 */
public interface Evaluator {

    /** The id used on the command line and stored as the result's evaluator name, e.g. {@code groundedness}. */
    String id();

    /** A version stored with each run, changed whenever verdicts may change. */
    String version();

    /** Judges one input. */
    Verdict evaluate(EvalInput input);
}
