package dev.tracebench.core.recommend;

import dev.tracebench.core.task.CancellationToken;

/** Computes recommendations over a workspace (the store gathers the numbers; pure rules decide). */
public interface RecommendationService {

    Recommendations recommend(RecommendOptions options, CancellationToken cancel);
}
