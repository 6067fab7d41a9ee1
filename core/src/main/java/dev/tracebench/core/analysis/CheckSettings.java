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
 *                             and at least 2% of its calls fail
 * @param loopCalls            a trace loops if it makes at least this many model or tool calls (8)
 * @param outlierFactor        tokens or cost are outliers above this many times the operation's median (5.0)
 */
public record CheckSettings(double minSupport, double minDifference, double minConfidence, int sampleTraces,
        double dominantStageShare, double queueGrowthRatio, double errorHotspotShare, int loopCalls,
        double outlierFactor) {

    public static final CheckSettings DEFAULTS = new CheckSettings(0.05, 0.10, 0.99, 5_000, 0.6, 2.0, 3.0, 8, 5.0);

    /** The setting names {@link #with} accepts, as the record components are named. */
    public static final java.util.List<String> NAMES = java.util.List.of("minSupport", "minDifference", "minConfidence",
            "sampleTraces", "dominantStageShare", "queueGrowthRatio", "errorHotspotShare", "loopCalls", "outlierFactor");

    /** These settings with one changed, by name (see {@link #NAMES}); throws naming the setting for a bad value. */
    public CheckSettings with(String name, String value) {
        double v;
        try {
            v = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + value + "' is not a number");
        }
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + ": must be a number of 0 or more");
        }
        return switch (name.strip()) {
            case "minSupport" -> new CheckSettings(share(name, v), minDifference, minConfidence, sampleTraces,
                    dominantStageShare, queueGrowthRatio, errorHotspotShare, loopCalls, outlierFactor);
            case "minDifference" -> new CheckSettings(minSupport, share(name, v), minConfidence, sampleTraces,
                    dominantStageShare, queueGrowthRatio, errorHotspotShare, loopCalls, outlierFactor);
            case "minConfidence" -> new CheckSettings(minSupport, minDifference, share(name, v), sampleTraces,
                    dominantStageShare, queueGrowthRatio, errorHotspotShare, loopCalls, outlierFactor);
            case "sampleTraces" -> new CheckSettings(minSupport, minDifference, minConfidence, Math.max(100, (int) v),
                    dominantStageShare, queueGrowthRatio, errorHotspotShare, loopCalls, outlierFactor);
            case "dominantStageShare" -> new CheckSettings(minSupport, minDifference, minConfidence, sampleTraces,
                    share(name, v), queueGrowthRatio, errorHotspotShare, loopCalls, outlierFactor);
            case "queueGrowthRatio" -> new CheckSettings(minSupport, minDifference, minConfidence, sampleTraces,
                    dominantStageShare, v, errorHotspotShare, loopCalls, outlierFactor);
            case "errorHotspotShare" -> new CheckSettings(minSupport, minDifference, minConfidence, sampleTraces,
                    dominantStageShare, queueGrowthRatio, v, loopCalls, outlierFactor);
            case "loopCalls" -> new CheckSettings(minSupport, minDifference, minConfidence, sampleTraces,
                    dominantStageShare, queueGrowthRatio, errorHotspotShare, Math.max(1, (int) v), outlierFactor);
            case "outlierFactor" -> new CheckSettings(minSupport, minDifference, minConfidence, sampleTraces,
                    dominantStageShare, queueGrowthRatio, errorHotspotShare, loopCalls, v);
            default -> throw new IllegalArgumentException("unknown setting '" + name + "' (" + String.join(", ", NAMES)
                    + ")");
        };
    }

    private static double share(String name, double v) {
        if (v > 1) {
            throw new IllegalArgumentException(name + ": a share between 0 and 1, not " + v);
        }
        return v;
    }
}
