package dev.tracebench.core.normalize;

import java.util.List;

/** A span's normalisation explained: each field's decision and source, the disagreements, and the stored fields. */
public record Normalization(List<Decision> decisions, List<Conflict> conflicts, LlmFields fields) {
    public Normalization {
        decisions = List.copyOf(decisions);
        conflicts = List.copyOf(conflicts);
    }
}
