package dev.tracebench.core.analysis;

/**
 * Thresholds of root-cause analysis and the automated checks; {@link #DEFAULTS} documents each. All durations in ns.
 *
 * @param minSupport           a root-cause candidate must hold for at least this share of the cohort (0.05)
 * @param minDifference        ... and its share must differ from the rest's by at least this much (0.10)
 * @param minConfidence        ... with at least this confidence (1 - p of a two-proportion z test, 0.99)
 * @param sampleTraces         root cause reads attributes of at most this many traces of each side (5,000)
 * @param dominantStageShare   a stage dominates if it is this share of critical-path time (0.6)
 * @param queueGrowthRatio     queue time grows with load if its p95 at high load is this many times that at low (2.0)
 * @param errorHotspotShare    a model is an error hotspot if its failure rate is this many times the others' (3.0)
 *                             and at least 5% of its calls fail
 * @param loopCalls            a trace loops if it makes at least this many model or tool calls (8)
 * @param outlierFactor        tokens or cost are outliers above this many times the operation's median (5.0)
 */
public record CheckSettings(double minSupport, double minDifference, double minConfidence, int sampleTraces,
        double dominantStageShare, double queueGrowthRatio, double errorHotspotShare, int loopCalls,
        double outlierFactor) {

    public static final CheckSettings DEFAULTS = new CheckSettings(0.05, 0.10, 0.99, 5_000, 0.6, 2.0, 3.0, 8, 5.0);
}
