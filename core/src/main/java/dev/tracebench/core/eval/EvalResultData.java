package dev.tracebench.core.eval;

import java.time.Instant;
import java.util.List;

/**
 * One eval result as an importer or the evaluator runner hands it to the ingest API: one evaluator's (or metric's)
 * verdict on one example. Every field but {@code evaluator} may be null. A result that links to nothing (no trace,
 * span, response or example id; or ids the workspace does not hold) is stored all the same and shown as unlinked.
 *
 * @param location       where it is in the source, for messages ("line 12", "results[3].gradingResult")
 * @param traceId        trace id as written in the source (hex, any case; the store normalises it)
 * @param spanId         span id as written (hex)
 * @param responseId     {@code gen_ai.response.id} of the model call it judged (the store links it to the span)
 * @param exampleId      dataset example / test case id (sample id, test case name)
 * @param evaluator      evaluator or metric name ({@code groundedness}, {@code Faithfulness}, an assertion type)
 * @param score          numeric score (for built-in evaluators 0–1, higher is better)
 * @param label          a label ({@code grounded}, {@code hallucinated}, {@code pass})
 * @param passed         pass/fail if the source says
 * @param threshold      the threshold the verdict used
 * @param explanation    why (the judge's reason, the assertion's message)
 * @param judgeModel     the model that judged, if a model did
 * @param judgeCost      what judging cost (USD)
 * @param judgeInputTokens  judge prompt tokens
 * @param judgeOutputTokens judge completion tokens
 * @param input          the question / prompt the answer was for, when the source carries it
 * @param output         the answer judged, when the source carries it
 * @param expected       the expected (golden) output, when the source carries it
 * @param contexts       the retrieved context passages, when the source carries them (empty if none)
 * @param timestamp      when it was judged
 * @param metadataJson   anything else worth keeping, as a JSON object (null if nothing)
 */
public record EvalResultData(String location, String traceId, String spanId, String responseId, String exampleId,
        String evaluator, Double score, String label, Boolean passed, Double threshold, String explanation,
        String judgeModel, Double judgeCost, Long judgeInputTokens, Long judgeOutputTokens, String input,
        String output, String expected, List<String> contexts, Instant timestamp, String metadataJson) {

    public EvalResultData {
        if (evaluator == null || evaluator.isBlank()) {
            throw new IllegalArgumentException("an eval result needs an evaluator or metric name");
        }
        contexts = contexts == null ? List.of() : List.copyOf(contexts);
    }

    public static Builder builder(String evaluator) {
        return new Builder(evaluator);
    }

    /** Whether it names anything to link to. */
    public boolean hasLink() {
        return traceId != null || spanId != null || responseId != null || exampleId != null;
    }

    /** Builds an {@link EvalResultData} field by field (importers set only what their format has). */
    public static final class Builder {
        private String location;
        private String traceId;
        private String spanId;
        private String responseId;
        private String exampleId;
        private final String evaluator;
        private Double score;
        private String label;
        private Boolean passed;
        private Double threshold;
        private String explanation;
        private String judgeModel;
        private Double judgeCost;
        private Long judgeInputTokens;
        private Long judgeOutputTokens;
        private String input;
        private String output;
        private String expected;
        private List<String> contexts;
        private Instant timestamp;
        private String metadataJson;

        private Builder(String evaluator) {
            this.evaluator = evaluator;
        }

        public Builder location(String v) { location = v; return this; }
        public Builder traceId(String v) { traceId = v; return this; }
        public Builder spanId(String v) { spanId = v; return this; }
        public Builder responseId(String v) { responseId = v; return this; }
        public Builder exampleId(String v) { exampleId = v; return this; }
        public Builder score(Double v) { score = v; return this; }
        public Builder label(String v) { label = v; return this; }
        public Builder passed(Boolean v) { passed = v; return this; }
        public Builder threshold(Double v) { threshold = v; return this; }
        public Builder explanation(String v) { explanation = v; return this; }
        public Builder judgeModel(String v) { judgeModel = v; return this; }
        public Builder judgeCost(Double v) { judgeCost = v; return this; }
        public Builder judgeInputTokens(Long v) { judgeInputTokens = v; return this; }
        public Builder judgeOutputTokens(Long v) { judgeOutputTokens = v; return this; }
        public Builder input(String v) { input = v; return this; }
        public Builder output(String v) { output = v; return this; }
        public Builder expected(String v) { expected = v; return this; }
        public Builder contexts(List<String> v) { contexts = v; return this; }
        public Builder timestamp(Instant v) { timestamp = v; return this; }
        public Builder metadataJson(String v) { metadataJson = v; return this; }

        public EvalResultData build() {
            return new EvalResultData(location, traceId, spanId, responseId, exampleId, evaluator, score, label,
                    passed, threshold, explanation, judgeModel, judgeCost, judgeInputTokens, judgeOutputTokens, input,
                    output, expected, contexts, timestamp, metadataJson);
        }
    }
}
