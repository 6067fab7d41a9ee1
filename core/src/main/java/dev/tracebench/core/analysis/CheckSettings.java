package dev.tracebench.core.analysis;

import java.util.List;
import java.util.Locale;

/**
 * Thresholds of root-cause analysis and the automated checks. {@link #SETTINGS} describes each (id, label, unit,
 * meaning, default, range), so the GUI's dialog, the CLI's {@code --set} and its help are all made from one list.
 *
 * @param minSupport         a root-cause candidate must hold for at least this share of the cohort (0.05)
 * @param minDifference      ... and its share must exceed the rest's by at least this much (0.10)
 * @param minConfidence      ... with at least this confidence (1 - p of a two-proportion z test, 0.99)
 * @param sampleTraces       root cause reads attributes of at most this many traces of each side (5,000)
 * @param dominantStageShare a stage dominates if it is this share of critical-path time (0.6)
 * @param queueGrowthRatio   queue time grows with load if its p95 at high load is this many times that at low (2.0)
 * @param errorHotspotShare  a model is an error hotspot if its failure rate is this many times the others' (3.0)
 *                           and at least 2% of its calls fail
 * @param loopCalls          a trace loops if it makes at least this many model or tool calls (8)
 * @param outlierFactor      tokens are outliers above this many times the operation's median (5.0)
 */
public record CheckSettings(double minSupport, double minDifference, double minConfidence, int sampleTraces,
        double dominantStageShare, double queueGrowthRatio, double errorHotspotShare, int loopCalls,
        double outlierFactor) {

    public static final CheckSettings DEFAULTS = new CheckSettings(0.05, 0.10, 0.99, 5_000, 0.6, 2.0, 3.0, 8, 5.0);

    /** How a setting is shown and checked: a share (0..1, shown as %), a count, or a factor. */
    public enum Unit {
        SHARE("%"), TRACES("traces"), CALLS("calls"), FACTOR("×");

        private final String label;

        Unit(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** Whether values are whole numbers. */
        public boolean integer() {
            return this == TRACES || this == CALLS;
        }
    }

    /** One threshold: its id (as on the command line), label, unit, meaning, and the range it may take. */
    public record Setting(String id, String label, Unit unit, String description, double min, double max) {
        /** The default value. */
        public double defaultValue() {
            return DEFAULTS.value(id);
        }
    }

    /** Every setting, in the order of the record's components. */
    public static final List<Setting> SETTINGS = List.of(
            new Setting("minSupport", "Minimum support", Unit.SHARE,
                    "A root cause must hold for at least this share of the cohort.", 0, 1),
            new Setting("minDifference", "Minimum difference", Unit.SHARE,
                    "…and its share in the cohort must exceed the others' by at least this many percentage points.",
                    0, 1),
            new Setting("minConfidence", "Minimum confidence", Unit.SHARE,
                    "…with at least this confidence (1 − p of a two-proportion z test).", 0, 1),
            new Setting("sampleTraces", "Sample size", Unit.TRACES,
                    "Root cause reads the attributes of at most this many traces of each side.", 100, 10_000_000),
            new Setting("dominantStageShare", "Dominant stage", Unit.SHARE,
                    "A stage dominates when it is at least this share of critical-path time.", 0.01, 1),
            new Setting("queueGrowthRatio", "Queueing growth", Unit.FACTOR,
                    "Queue time grows with load when its p95 at high load is this many times that at low load.",
                    1, 1000),
            new Setting("errorHotspotShare", "Error hotspot", Unit.FACTOR,
                    "A model is an error hotspot when it fails this many times as often as the other models (and "
                            + "at least 2% of its calls fail).", 1, 1000),
            new Setting("loopCalls", "Agent loop", Unit.CALLS,
                    "A request loops when it makes at least this many model or tool calls.", 2, 100_000),
            new Setting("outlierFactor", "Outlier factor", Unit.FACTOR,
                    "A request's input tokens are an outlier above this many times its operation's median.", 1,
                    1000));

    /** The setting names {@link #with} accepts. */
    public static final List<String> NAMES = SETTINGS.stream().map(Setting::id).toList();

    /** The setting of that id; throws naming the known ones. */
    public static Setting setting(String id) {
        for (Setting s : SETTINGS) {
            if (s.id().equals(id.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown setting '" + id + "' (" + String.join(", ", NAMES) + ")");
    }

    /** The value of a setting by id. */
    public double value(String id) {
        return switch (setting(id).id()) {
            case "minSupport" -> minSupport;
            case "minDifference" -> minDifference;
            case "minConfidence" -> minConfidence;
            case "sampleTraces" -> sampleTraces;
            case "dominantStageShare" -> dominantStageShare;
            case "queueGrowthRatio" -> queueGrowthRatio;
            case "errorHotspotShare" -> errorHotspotShare;
            case "loopCalls" -> loopCalls;
            default -> outlierFactor;
        };
    }

    /** These settings with one changed, by id (see {@link #NAMES}); throws naming the setting for a bad value. */
    public CheckSettings with(String name, String value) {
        Setting s = setting(name);
        double v;
        try {
            v = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(s.id() + ": '" + value + "' is not a number");
        }
        return with(s.id(), v);
    }

    /** These settings with one changed; throws naming the setting when {@code v} is out of its range. */
    public CheckSettings with(String id, double v) {
        Setting s = setting(id);
        if (Double.isNaN(v) || v < s.min() || v > s.max()) {
            throw new IllegalArgumentException(s.id() + ": " + (s.unit() == Unit.SHARE ? "a share between "
                    + fmt(s.min()) + " and " + fmt(s.max()) : "a number from " + fmt(s.min()) + " to " + fmt(s.max()))
                    + ", not " + fmt(v));
        }
        double[] all = new double[SETTINGS.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = SETTINGS.get(i) == s ? v : value(SETTINGS.get(i).id());
        }
        return new CheckSettings(all[0], all[1], all[2], (int) all[3], all[4], all[5], all[6], (int) all[7], all[8]);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format(Locale.ROOT, "%d", (long) d)
                : String.format(Locale.ROOT, "%s", d);
    }
}
