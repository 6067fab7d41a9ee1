package dev.tracebench.core.analysis.rootcause;

import dev.tracebench.core.analysis.TraceAnalyzer;
import dev.tracebench.core.model.TraceId;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The traces root cause compares: a sample of the cohort (indices {@code 0 .. cohortSize-1}) and a sample of the
 * others (the rest), each trace with its duration, its critical-path time per stage ({@link TraceAnalyzer#STAGES}),
 * its trace facts ({@link #DIMENSIONS}, {@link #FACTS}) and the features of its spans ({@link SpanFeatures}).
 * Filled by whoever reads the traces (the store's SQL, a test's hand-made traces), then scored by
 * {@link RootCauseScorer}. Not thread-safe.
 */
public final class TraceSample {
    /** Trace facts compared by value (columns of {@code traces}). */
    public static final List<String> DIMENSIONS = List.of("model", "model_version", "route", "tenant",
            "prompt_version", "service_name", "root_name");
    /** Trace facts compared by threshold (columns of {@code traces}; NaN: the trace has no value). */
    public static final List<String> FACTS = List.of("input_tokens", "output_tokens", "llm_calls", "tool_calls",
            "retries", "docs", "cache_hits", "cache_misses", "error_count", "queue_ns", "ttft_ns");

    final int cohortSize;
    final int size;
    final long cohortTotal;
    final long restTotal;
    final TraceId[] ids;
    final long[] duration;
    final long[][] stageNs;
    final String[][] dims;   // [dimension][trace]
    final double[][] facts;  // [fact][trace]
    /** Categorical feature key → the traces that have it. */
    final Map<String, BitSet> categorical = new HashMap<>();
    /** Numeric feature key → per trace the largest value of it (NaN: none). */
    final Map<String, double[]> numeric = new HashMap<>();
    String thresholdText;

    /**
     * @param cohortSize  sampled cohort traces (they take indices 0 .. cohortSize-1)
     * @param restSize    sampled other traces
     * @param cohortTotal all cohort traces (the sample's population)
     * @param restTotal   all other traces
     */
    public TraceSample(int cohortSize, int restSize, long cohortTotal, long restTotal) {
        this.cohortSize = cohortSize;
        this.size = cohortSize + restSize;
        this.cohortTotal = cohortTotal;
        this.restTotal = restTotal;
        ids = new TraceId[size];
        duration = new long[size];
        stageNs = new long[size][];
        dims = new String[DIMENSIONS.size()][size];
        facts = new double[FACTS.size()][size];
        for (double[] f : facts) {
            Arrays.fill(f, Double.NaN);
        }
    }

    /**
     * Sets trace {@code i}: its id, duration, stage times (in {@link TraceAnalyzer#STAGES} order), dimension values
     * (in {@link #DIMENSIONS} order, null: none) and facts (in {@link #FACTS} order, NaN: none).
     */
    public void trace(int i, TraceId id, long durationNs, long[] stages, String[] dimensions, double[] factValues) {
        ids[i] = id;
        duration[i] = durationNs;
        stageNs[i] = stages.clone();
        for (int d = 0; d < dims.length; d++) {
            dims[d][i] = dimensions[d];
        }
        for (int f = 0; f < facts.length; f++) {
            facts[f][i] = factValues[f];
        }
    }

    /** Adds the features of trace {@code i}'s spans. */
    public void spans(int i, List<SpanRow> spans) {
        SpanFeatures.read(spans, new SpanFeatures.Sink() {
            @Override
            public void category(String scope, String key, String value, long spanId) {
                categorical.computeIfAbsent(categoryKey(scope, key, value), k -> new BitSet(size)).set(i);
            }

            @Override
            public void number(String scope, String key, double value, long spanId) {
                double[] v = numeric.computeIfAbsent(numberKey(scope, key), k -> {
                    double[] x = new double[size];
                    Arrays.fill(x, Double.NaN);
                    return x;
                });
                v[i] = Double.isNaN(v[i]) ? value : Math.max(v[i], value);
            }
        });
    }

    /** A sentence saying how a percentile cohort's thresholds came out ("POST /v1/chat 3.65 s, ..."), or null. */
    public void thresholdText(String text) {
        thresholdText = text;
    }

    public int cohortSize() {
        return cohortSize;
    }

    public int restSize() {
        return size - cohortSize;
    }

    public long cohortTotal() {
        return cohortTotal;
    }

    public long restTotal() {
        return restTotal;
    }

    public TraceId id(int i) {
        return ids[i];
    }

    boolean inCohort(int i) {
        return i < cohortSize;
    }

    /** Whether counts come from a sample rather than every trace. */
    boolean sampled() {
        return cohortTotal > cohortSize || restTotal > size - cohortSize;
    }

    /** How many traces each sampled trace of its side stands for. */
    double weight(int i) {
        return inCohort(i) ? (double) cohortTotal / Math.max(1, cohortSize)
                : (double) restTotal / Math.max(1, size - cohortSize);
    }

    String dimension(String name, int i) {
        return dims[DIMENSIONS.indexOf(name)][i];
    }

    static String categoryKey(String scope, String key, String value) {
        return scope + '\u0000' + key + '\u0000' + value;
    }

    static String numberKey(String scope, String key) {
        return scope + '\u0000' + key;
    }
}
