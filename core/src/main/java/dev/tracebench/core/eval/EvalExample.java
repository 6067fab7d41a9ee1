package dev.tracebench.core.eval;

import dev.tracebench.core.model.TraceId;

import java.util.List;

/**
 * One judged example of a run, for the per-example table: what was asked, what was retrieved, what was answered, and
 * every verdict on it. Texts come from the eval file when it carries them, else from the linked trace's spans.
 *
 * @param key         what identifies the example across runs (trace id, example id, or the input text)
 * @param traceId     the linked trace, or null
 * @param spanId      the judged span (0: the trace as a whole)
 * @param unsupported claims of the answer the verdicts call unsupported (to highlight)
 */
public record EvalExample(String key, TraceId traceId, long spanId, String question, List<String> contexts,
        String answer, String expected, List<EvalResult> verdicts, List<String> unsupported) {

    public EvalExample {
        contexts = List.copyOf(contexts);
        verdicts = List.copyOf(verdicts);
        unsupported = List.copyOf(unsupported);
    }
}
