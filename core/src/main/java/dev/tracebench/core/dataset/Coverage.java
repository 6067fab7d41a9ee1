package dev.tracebench.core.dataset;

import dev.tracebench.core.analysis.Severity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a dataset covers: how many examples carry each value of each dimension (tag, split, difficulty, and the
 * {@code intent}, {@code model}, {@code stage} and {@code failure} metadata that curated examples carry), and the
 * imbalances a curator should know about ({@link #warnings()}). Pure.
 *
 * @param examples   how many examples were counted
 * @param dimensions every dimension at least one example has a value of, in the order above
 */
public record Coverage(int examples, List<Dimension> dimensions, int withoutExpectedOutput) {

    /** The size teams aim a golden set at ("100–200 examples covering common cases and edge cases"). */
    public static final int AIM_LOW = 100;
    public static final int AIM_HIGH = 200;
    /** A value held by fewer examples than this is an edge case too thin to measure. */
    static final int THIN = 3;
    /** A value held by more than this share of a dimension's examples crowds out the others. */
    static final double DOMINANT = 0.6;
    /** A dimension that more than this share of examples lack, while others have it, is half-labelled. */
    static final double MISSING = 0.2;

    public Coverage {
        dimensions = List.copyOf(dimensions);
    }

    /**
     * One dimension's counts, largest first (ties by value).
     *
     * @param missing examples with no value in this dimension
     */
    public record Dimension(String name, List<Count> counts, int missing) {
        public Dimension {
            counts = List.copyOf(counts);
        }

        /** The count of {@code value} (0 when no example has it). */
        public int count(String value) {
            return counts.stream().filter(c -> c.value().equals(value)).mapToInt(Count::count).findFirst().orElse(0);
        }
    }

    public record Count(String value, int count) {
    }

    /**
     * Something about the balance of the set, like a finding: how much it matters, one sentence with the numbers,
     * what to do, and the counts behind it.
     */
    public record Warning(Severity severity, String summary, String explanation, Map<String, Integer> evidence) {
        public Warning {
            evidence = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
        }
    }

    private static final Map<String, Function<DatasetExample, List<String>>> DIMENSIONS = dimensionsByName();

    private static Map<String, Function<DatasetExample, List<String>>> dimensionsByName() {
        Map<String, Function<DatasetExample, List<String>>> d = new LinkedHashMap<>();
        d.put("tag", DatasetExample::tags);
        d.put("split", e -> single(e.split().label()));
        d.put("difficulty", e -> single(e.difficulty()));
        for (String key : List.of("intent", "model", "stage", "failure")) {
            d.put(key, e -> single(e.metadata().getOrDefault(key, "")));
        }
        return java.util.Collections.unmodifiableMap(d);
    }

    private static List<String> single(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value.strip());
    }

    /** The names of the dimensions {@link #of} counts, for pickers ("tag", "split", ...). */
    public static List<String> dimensionNames() {
        return List.copyOf(DIMENSIONS.keySet());
    }

    /** The values an example has in {@code dimension} (several for tags; none when it has no value). */
    public static List<String> values(DatasetExample example, String dimension) {
        Function<DatasetExample, List<String>> f = DIMENSIONS.get(dimension);
        if (f == null) {
            throw new IllegalArgumentException("no dimension '" + dimension + "' (" + String.join(", ",
                    DIMENSIONS.keySet()) + ")");
        }
        return f.apply(example);
    }

    public static Coverage of(List<DatasetExample> examples) {
        List<Dimension> dims = new ArrayList<>();
        for (String name : DIMENSIONS.keySet()) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            int missing = 0;
            for (DatasetExample e : examples) {
                List<String> v = values(e, name);
                if (v.isEmpty()) {
                    missing++;
                }
                for (String s : v) {
                    counts.merge(s, 1, Integer::sum);
                }
            }
            if (!counts.isEmpty()) {
                List<Count> list = new ArrayList<>();
                counts.forEach((k, c) -> list.add(new Count(k, c)));
                list.sort(Comparator.comparingInt(Count::count).reversed().thenComparing(Count::value));
                dims.add(new Dimension(name, list, missing));
            }
        }
        int noExpected = (int) examples.stream().filter(e -> e.expectedOutput().isBlank()).count();
        return new Coverage(examples.size(), dims, noExpected);
    }

    /** The dimension named so, if any example has a value of it. */
    public java.util.Optional<Dimension> dimension(String name) {
        return dimensions.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** Imbalances, the most important first. Empty for an empty dataset. */
    public List<Warning> warnings() {
        List<Warning> out = new ArrayList<>();
        if (examples == 0) {
            return out;
        }
        if (withoutExpectedOutput > 0) {
            out.add(new Warning(Severity.WARNING, withoutExpectedOutput + " of " + examples
                    + " examples have no expected output",
                    "A golden comparison cannot judge an example without an expected answer: write one, or remove "
                            + "the example before testing against it.",
                    Map.of("without expected output", withoutExpectedOutput, "examples", examples)));
        }
        dimension("split").ifPresent(split -> {
            if (split.count("test") == 0) {
                out.add(new Warning(Severity.NOTICE, "No example is in the test split (" + describe(split) + ")",
                        "Results measured on examples a prompt was tuned on flatter it: keep a held-out test split.",
                        counts(split)));
            }
        });
        for (Dimension d : dimensions) {
            int labelled = examples - d.missing();
            if (d.counts().size() >= 2) {
                Count top = d.counts().get(0);
                double share = (double) top.count() / labelled;
                if (share > DOMINANT && !d.name().equals("tag")) {
                    out.add(new Warning(Severity.NOTICE, percent(share) + " of the examples with a " + d.name()
                            + " are " + top.value() + " (" + top.count() + " of " + labelled + ")",
                            "One " + d.name() + " dominates the set, so its pass rate mostly measures that one; "
                                    + "add examples of the others or sample the set by " + d.name() + ".",
                            counts(d)));
                }
                List<String> thin = d.counts().stream().filter(c -> c.count() < THIN).map(Count::value).toList();
                if (!thin.isEmpty() && thin.size() < d.counts().size()) {
                    out.add(new Warning(Severity.INFO, thin.size() + " " + plural(d.name(), thin.size())
                            + (thin.size() == 1 ? " has" : " have") + " fewer than " + THIN + " examples: " + list(thin),
                            "A pass rate over one or two examples swings by 50 points on one answer; add examples of "
                                    + "these edge cases or merge them into a broader " + d.name() + ".",
                            counts(d)));
                }
            }
            double missingShare = (double) d.missing() / examples;
            if (missingShare > MISSING && d.missing() < examples && !d.name().equals("tag")) {
                out.add(new Warning(Severity.INFO, d.missing() + " of " + examples + " examples have no " + d.name(),
                        "Coverage by " + d.name() + " only counts the labelled " + (examples - d.missing())
                                + "; label the rest to see what the set covers.",
                        Map.of("missing", d.missing(), "examples", examples)));
            }
        }
        if (examples < AIM_LOW || examples > AIM_HIGH) {
            out.add(new Warning(Severity.INFO, "The set has " + examples + " examples; teams aim for " + AIM_LOW + "–"
                    + AIM_HIGH,
                    examples < AIM_LOW ? "Fewer examples leave common cases or edge cases out: add more from traces."
                            : "A larger set is slower and dearer to run on every change: a stratified sample keeps "
                                    + "its coverage at " + AIM_LOW + "–" + AIM_HIGH + " examples.",
                    Map.of("examples", examples)));
        }
        out.sort(Comparator.comparing(Warning::severity).reversed());
        return out;
    }

    private static Map<String, Integer> counts(Dimension d) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Count c : d.counts()) {
            m.put(c.value(), c.count());
        }
        return m;
    }

    private static String describe(Dimension d) {
        List<String> parts = new ArrayList<>();
        for (Count c : d.counts()) {
            parts.add(c.count() + " " + c.value());
        }
        return String.join(", ", parts);
    }

    private static String list(List<String> values) {
        return values.size() <= 5 ? String.join(", ", values)
                : String.join(", ", values.subList(0, 5)) + " and " + (values.size() - 5) + " more";
    }

    private static String plural(String word, int n) {
        return n == 1 ? word : word.endsWith("y") ? word.substring(0, word.length() - 1) + "ies" : word + "s";
    }

    private static String percent(double share) {
        return Math.round(share * 100) + "%";
    }
}
