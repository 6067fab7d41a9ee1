package dev.tracebench.core.analysis.rootcause;

import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.TraceAnalyzer;
import dev.tracebench.core.report.Durations;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a property costs in time, BubbleUp-style ({@link Finding.Cost}). Sampled traces stand for their side's
 * population ({@link TraceSample#weight}), so medians and means are weighted: the cohort is sampled at a different
 * rate than the others.
 */
final class Costs {
    /** Within an operation, each side needs this many sampled traces for a median worth comparing. */
    static final int MIN_PER_SIDE = 2;

    private Costs() {
    }

    /**
     * The cost of the property held by {@code has}: its added median time and stage, and (when {@code timeCohort})
     * the share of the cohort's excess time. Null when no operation has requests both with and without it.
     */
    static Finding.Cost of(TraceSample s, BitSet has, boolean timeCohort) {
        Map<String, List<Integer>> byOperation = new LinkedHashMap<>();
        for (int i = 0; i < s.size; i++) {
            byOperation.computeIfAbsent(String.valueOf(s.dimension("root_name", i)), k -> new ArrayList<>()).add(i);
        }
        int stages = TraceAnalyzer.STAGES.size();
        double[] byStage = new double[stages];
        List<List<Integer>> groups = new ArrayList<>(byOperation.values());
        boolean within = false;
        for (List<Integer> op : groups) {
            within |= compare(s, has, op, null, null) > 0;
        }
        if (!within) {
            // the property is an operation, or splits along operations: compare over all requests instead
            List<Integer> every = new ArrayList<>();
            for (int i = 0; i < s.size; i++) {
                every.add(i);
            }
            groups = List.of(every);
        }
        double[] acc = new double[2];
        for (List<Integer> op : groups) {
            compare(s, has, op, acc, byStage);
        }
        double weight = acc[1];
        if (weight == 0) {
            return null;
        }
        double added = acc[0] / weight;
        String stage = null;
        int top = 0;
        for (int k = 1; k < stages; k++) {
            if (byStage[k] > byStage[top]) {
                top = k;
            }
        }
        if (added > 0 && byStage[top] / weight >= 0.5 * added) {
            stage = TraceAnalyzer.STAGES.get(top);
        }
        return new Finding.Cost(Math.round(added), stage, timeCohort ? excessShare(s, has, byOperation)
                : Double.NaN);
    }

    /**
     * Compares requests with and without the property among {@code op}; adds weight × (median with − median without)
     * and the weight to {@code acc}, weight × (mean stage time with − without) to {@code byStage}. Returns the weight
     * (0: too few on a side).
     */
    private static double compare(TraceSample s, BitSet has, List<Integer> op, double[] acc, double[] byStage) {
        List<Integer> with = new ArrayList<>();
        List<Integer> without = new ArrayList<>();
        for (int i : op) {
            (has.get(i) ? with : without).add(i);
        }
        if (with.size() < MIN_PER_SIDE || without.size() < MIN_PER_SIDE) {
            return 0;
        }
        double w = 0;
        for (int i : with) {
            w += s.weight(i);
        }
        if (acc != null) {
            acc[0] += w * (median(s, with, s.duration) - median(s, without, s.duration));
            acc[1] += w;
            for (int k = 0; k < byStage.length; k++) {
                byStage[k] += w * (meanStage(s, with, k) - meanStage(s, without, k));
            }
        }
        return w;
    }

    /**
     * The share of the cohort's excess time its requests with the property hold: a request's excess is its duration
     * above the typical (weighted median) duration of its operation among the others.
     */
    private static double excessShare(TraceSample s, BitSet has, Map<String, List<Integer>> byOperation) {
        List<Integer> allRest = new ArrayList<>();
        for (int i = s.cohortSize; i < s.size; i++) {
            allRest.add(i);
        }
        double typicalOverall = median(s, allRest, s.duration);
        double total = 0;
        double held = 0;
        for (List<Integer> op : byOperation.values()) {
            List<Integer> rest = op.stream().filter(i -> !s.inCohort(i)).toList();
            double typical = rest.isEmpty() ? typicalOverall : median(s, rest, s.duration);
            for (int i : op) {
                if (s.inCohort(i)) {
                    double excess = Math.max(0, s.duration[i] - typical);
                    total += excess;
                    if (has.get(i)) {
                        held += excess;
                    }
                }
            }
        }
        return total == 0 ? Double.NaN : held / total;
    }

    /** The weighted median of {@code values} over {@code idx} (the lower one at an exact half). */
    static double median(TraceSample s, List<Integer> idx, long[] values) {
        if (idx.isEmpty()) {
            return 0;
        }
        List<Integer> sorted = new ArrayList<>(idx);
        sorted.sort((a, b) -> Long.compare(values[a], values[b]));
        double total = 0;
        for (int i : sorted) {
            total += s.weight(i);
        }
        double acc = 0;
        for (int i : sorted) {
            acc += s.weight(i);
            if (acc >= total / 2) {
                return values[i];
            }
        }
        return values[sorted.get(sorted.size() - 1)];
    }

    private static double meanStage(TraceSample s, List<Integer> idx, int stage) {
        double sum = 0;
        double w = 0;
        for (int i : idx) {
            sum += s.weight(i) * s.stageNs[i][stage];
            w += s.weight(i);
        }
        return w == 0 ? 0 : sum / w;
    }

    /** "Requests with it take 2.3 s longer (median, within their operation), mostly in retrieval; ..." */
    static String sentence(Finding.Cost c) {
        StringBuilder sb = new StringBuilder("Requests with it take ");
        long a = c.addedNs();
        sb.append(a >= 0 ? Durations.format(a) + " longer" : Durations.format(-a) + " less")
                .append(" (median, compared within their operation)");
        if (c.stage() != null) {
            sb.append(", mostly in ").append(c.stage());
        }
        if (!Double.isNaN(c.excessShare())) {
            sb.append("; the cohort's requests with it hold ").append(String.format(Locale.ROOT, "%.0f%%",
                    c.excessShare() * 100)).append(" of its excess time (time above their operation's typical "
                    + "duration)");
        }
        return sb.append(".").toString();
    }
}
