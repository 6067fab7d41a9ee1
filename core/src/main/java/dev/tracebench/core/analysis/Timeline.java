package dev.tracebench.core.analysis;

import java.util.List;
import java.util.Map;

/**
 * Stage contributions over time: the cohort's traces bucketed by start time; per bucket the mean contribution of each
 * stage per request (so the stacked means add up to the mean duration) and the p50/p95 of duration.
 */
public record Timeline(Cohort cohort, long bucketNs, List<Bucket> buckets, List<String> stages) {
    public Timeline {
        buckets = List.copyOf(buckets);
        stages = List.copyOf(stages);
    }

    public record Bucket(long startNs, long traces, long p50Ns, long p95Ns, long meanNs, Map<String, Double> meanByStage) {
        public Bucket {
            meanByStage = Map.copyOf(meanByStage);
        }
    }
}
