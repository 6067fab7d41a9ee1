package dev.tracebench.core.recommend;

import dev.tracebench.core.slo.Slo;
import java.util.List;

/**
 * What {@code recommend} considers.
 *
 * @param slos the objectives the scale-up signal checks (p95 latency, queue time); empty: built-in thresholds
 */
public record RecommendOptions(List<Slo> slos) {

    public RecommendOptions {
        slos = List.copyOf(slos);
    }

    public static RecommendOptions defaults() {
        return new RecommendOptions(List.of());
    }
}
