package dev.tracebench.core.eval;

import dev.tracebench.core.model.TraceId;

import java.time.Instant;

/**
 * A stored eval result. {@code traceId} is null and {@code spanId} 0 when it is not linked to a trace in the
 * workspace; {@code linkedBy} says how it was linked ({@code trace_id}, {@code span_id}, {@code response_id},
 * {@code example}) or is null.
 */
public record EvalResult(long id, long runId, String runName, TraceId traceId, long spanId, String linkedBy,
        String responseId, String exampleId, String evaluator, Double score, String label, Boolean passed,
        Double threshold, String explanation, String judgeModel, Double judgeCost, Long judgeInputTokens,
        Long judgeOutputTokens, Instant timestamp) {

    /** Pass/fail as stored, or derived from score and threshold when the source said only those (null: unknown). */
    public Boolean verdict() {
        if (passed != null) {
            return passed;
        }
        return score != null && threshold != null ? score >= threshold : null;
    }

    public boolean linked() {
        return traceId != null;
    }
}
