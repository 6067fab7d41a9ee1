package dev.tracebench.core.analysis;

import dev.tracebench.core.query.TraceSummary;
import java.util.List;

/**
 * Two traces side by side: their critical-path contributions per stage and per operation (stage, span name) and the
 * difference (b minus a), largest absolute difference first.
 */
public record Comparison(TraceSummary a, TraceSummary b, List<Delta> stages, List<Delta> operations) {
    public Comparison {
        stages = List.copyOf(stages);
        operations = List.copyOf(operations);
    }

    /** One stage (operation null) or operation: contribution in a and in b, and the span counts. */
    public record Delta(String stage, String operation, long aNs, long bNs, int aSpans, int bSpans) {
        public long deltaNs() {
            return bNs - aNs;
        }
    }
}
