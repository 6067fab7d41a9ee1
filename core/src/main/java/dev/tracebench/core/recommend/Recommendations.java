package dev.tracebench.core.recommend;

import java.time.Instant;
import java.util.List;

/**
 * Everything {@code recommend} computes over a window of a workspace.
 *
 * @param from     start of the window (first request considered)
 * @param to       end of the window
 * @param items    the recommendations, most severe first
 * @param weights  traffic weights per model, by group
 * @param overhead what tracing costs
 */
public record Recommendations(Instant from, Instant to, List<Recommendation> items, List<ModelWeight> weights,
        TracingOverhead overhead) {

    public Recommendations {
        items = List.copyOf(items);
        weights = List.copyOf(weights);
    }
}
