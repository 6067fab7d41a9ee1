package dev.tracebench.core.recommend;

import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import java.util.List;

/**
 * One recommendation with its evidence, rendered alike by the Recommendations view, {@code tracebench recommend}
 * and its JSON/YAML output.
 *
 * @param kind        what kind of action
 * @param severity    how urgent
 * @param subject     what it is about ("model gpt-4o-mini-2025-01-20", "service llm-gateway", "collection kb-archive")
 * @param summary     one sentence with the numbers
 * @param explanation a few sentences: how it was found, what to do, what to watch
 * @param evidence    the numbers behind it, in reading order
 * @param exemplars   traces that show it (may be empty)
 */
public record Recommendation(RecommendationKind kind, Severity severity, String subject, String summary,
        String explanation, List<Fact> evidence, List<Finding.Exemplar> exemplars) {

    public Recommendation {
        evidence = List.copyOf(evidence);
        exemplars = List.copyOf(exemplars);
    }

    /** A named value of the evidence ("error rate", "4.1% (vs 0.6% on gpt-4o-mini-2024-07-18)"). */
    public record Fact(String name, String value) {
    }
}
