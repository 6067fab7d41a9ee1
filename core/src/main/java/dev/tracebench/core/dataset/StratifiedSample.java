package dev.tracebench.core.dataset;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A smaller set that keeps a dataset's coverage: examples are grouped into strata by one {@link Coverage} dimension
 * (an example with several tags goes to its rarest tag, so edge cases are not drowned by common ones; one with none to
 * a stratum of its own), every stratum keeps at least one example, and the rest of the target is shared out in
 * proportion to the strata's sizes (largest remainders). Within a stratum the pick is a seeded shuffle, so the same
 * seed gives the same sample. The sample keeps the dataset's order. Pure.
 */
public final class StratifiedSample {

    private StratifiedSample() {
    }

    /**
     * @param target    how many examples to keep (all of them when the dataset is no larger)
     * @param dimension a {@link Coverage#dimensionNames()} name
     */
    public static List<DatasetExample> sample(List<DatasetExample> examples, int target, String dimension, long seed) {
        if (target < 1) {
            throw new IllegalArgumentException("the sample needs a target of at least 1 example, not " + target);
        }
        if (examples.size() <= target) {
            return List.copyOf(examples);
        }
        Map<String, Integer> frequency = new HashMap<>();
        for (DatasetExample e : examples) {
            for (String v : Coverage.values(e, dimension)) {
                frequency.merge(v, 1, Integer::sum);
            }
        }
        Map<String, List<DatasetExample>> strata = new LinkedHashMap<>();
        for (DatasetExample e : examples) {
            String stratum = Coverage.values(e, dimension).stream()
                    .min(Comparator.comparingInt((String v) -> frequency.get(v)).thenComparing(v -> v))
                    .orElse("");
            strata.computeIfAbsent(stratum, k -> new ArrayList<>()).add(e);
        }
        Map<String, Integer> quota = quotas(strata, target, examples.size());
        Set<String> keep = new HashSet<>();
        Random random = new Random(seed);
        strata.keySet().stream().sorted().forEach(name -> {
            List<DatasetExample> members = new ArrayList<>(strata.get(name));
            members.sort(Comparator.comparing(DatasetExample::id));
            java.util.Collections.shuffle(members, random);
            for (int i = 0; i < quota.get(name); i++) {
                keep.add(members.get(i).id());
            }
        });
        return examples.stream().filter(e -> keep.contains(e.id())).toList();
    }

    /** One per stratum (while the target allows), the rest by largest remainder of the proportional share. */
    private static Map<String, Integer> quotas(Map<String, List<DatasetExample>> strata, int target, int total) {
        Map<String, Integer> quota = new LinkedHashMap<>();
        List<String> bySize = new ArrayList<>(strata.keySet());
        bySize.sort(Comparator.comparingInt((String s) -> strata.get(s).size()).thenComparing(s -> s));
        int left = target;
        for (String s : bySize) {
            quota.put(s, left > 0 ? 1 : 0);
            left -= quota.get(s);
        }
        if (left <= 0) {
            return quota;
        }
        int spare = total - strata.size();
        Map<String, Double> remainder = new HashMap<>();
        int given = 0;
        for (String s : bySize) {
            double share = spare == 0 ? 0 : (double) left * (strata.get(s).size() - 1) / spare;
            int whole = (int) Math.floor(share);
            quota.merge(s, whole, Integer::sum);
            remainder.put(s, share - whole);
            given += whole;
        }
        List<String> byRemainder = new ArrayList<>(bySize);
        byRemainder.sort(Comparator.comparingDouble((String s) -> remainder.get(s)).reversed().thenComparing(s -> s));
        for (String s : byRemainder) {
            if (given >= left) {
                break;
            }
            if (quota.get(s) < strata.get(s).size()) {
                quota.merge(s, 1, Integer::sum);
                given++;
            }
        }
        return quota;
    }
}
