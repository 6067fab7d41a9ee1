package dev.tracebench.importers.evaltable;

import dev.tracebench.importers.evaltable.ColumnMapping.Target;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each column of a table of eval results holds: recognised from the names people give columns, or given by the
 * user's {@link ColumnMapping} (which wins). Two layouts:
 * <ul>
 * <li><b>long</b>: one result per row, with an evaluator (or metric) column and a score, label or pass/fail; without
 * an evaluator column, the score's (else the label's) column name is the evaluator;</li>
 * <li><b>wide</b> (Ragas): one column per metric holding numbers, one result per row and metric column.</li>
 * </ul>
 *
 * @param columns      every column, in file order
 * @param roles        the column holding each field
 * @param metrics      wide layout: the metric columns (empty: long layout)
 * @param evaluator    long layout without an evaluator column: the evaluator name of every row (else null)
 * @param extra        columns kept as the result's metadata
 * @param unrecognised why the table is not one of eval results (null if it is)
 */
record TableSchema(List<String> columns, Map<Target, String> roles, List<String> metrics, String evaluator,
        List<String> extra, String unrecognised) {

    /** Columns never taken for metrics: row numbers and ids pandas and exporters add. */
    private static final Set<String> NOT_METRICS = Set.of("", "id", "index", "unnamed0", "row", "rowid", "line");

    boolean recognised() {
        return unrecognised == null;
    }

    boolean wide() {
        return !metrics.isEmpty();
    }

    /**
     * The schema of a table with these columns and first rows; {@code mapping} (may be null) wins over recognised
     * names. Throws {@link IllegalArgumentException} if the mapping names a column the table does not have.
     */
    static TableSchema resolve(TableRows.Sample sample, ColumnMapping mapping) {
        List<String> columns = sample.columns();
        Map<Target, String> roles = new EnumMap<>(Target.class);
        Set<String> taken = new LinkedHashSet<>();
        List<String> metrics = new ArrayList<>();
        if (mapping != null) {
            for (Map.Entry<Target, List<String>> e : mapping.columns().entrySet()) {
                List<String> cols = new ArrayList<>();
                for (String c : e.getValue()) {
                    cols.add(column(columns, c, e.getKey()));
                }
                taken.addAll(cols);
                if (cols.size() > 1) {
                    metrics.addAll(cols);
                } else {
                    roles.put(e.getKey(), cols.get(0));
                }
            }
        }
        for (Target t : Target.values()) {
            if (roles.containsKey(t) || (t == Target.SCORE && !metrics.isEmpty())) {
                continue;
            }
            String best = null;
            int bestRank = Integer.MAX_VALUE;
            for (String c : columns) {
                int rank = t.aliasRank(c);
                if (rank >= 0 && rank < bestRank && !taken.contains(c)) {
                    best = c;
                    bestRank = rank;
                }
            }
            if (best != null) {
                roles.put(t, best);
                taken.add(best);
            }
        }
        String evaluator = null;
        String unrecognised = null;
        boolean verdict = roles.containsKey(Target.SCORE) || roles.containsKey(Target.LABEL)
                || roles.containsKey(Target.PASSED);
        if (!metrics.isEmpty()) {
            // wide, as mapped
        } else if (roles.containsKey(Target.EVALUATOR) && verdict) {
            // long
        } else if (verdict) {
            // long without an evaluator column: the verdict's column names it ("faithfulness", "score")
            Target named = roles.containsKey(Target.SCORE) ? Target.SCORE : roles.containsKey(Target.LABEL)
                    ? Target.LABEL : Target.PASSED;
            evaluator = roles.get(named);
        } else {
            for (String c : columns) {
                // without a mapping only what looks like a metric: scores from 0 to 1 under a plain name (attribute
                // keys such as gen_ai.request.temperature, durations and token counts are no metrics)
                if (!taken.contains(c) && !NOT_METRICS.contains(ColumnMapping.normalise(c))
                        && (mapping != null || c.indexOf('.') < 0) && numeric(sample.rows(), c, mapping == null)) {
                    metrics.add(c);
                }
            }
            boolean about = roles.containsKey(Target.INPUT) || roles.containsKey(Target.OUTPUT)
                    || roles.containsKey(Target.TRACE_ID) || roles.containsKey(Target.SPAN_ID)
                    || roles.containsKey(Target.RESPONSE_ID) || roles.containsKey(Target.EXAMPLE_ID);
            if (metrics.isEmpty() || (mapping == null && !about)) {
                metrics.clear();
                unrecognised = "no column holds a score, label or pass/fail"
                        + (roles.containsKey(Target.EVALUATOR) ? " (column '" + roles.get(Target.EVALUATOR)
                        + "' could name the evaluator)" : "")
                        + ", and no column holds one metric's scores beside the question or answer (as Ragas "
                        + "writes them)";
            }
        }
        taken.addAll(metrics);
        List<String> extra = new ArrayList<>();
        for (String c : columns) {
            if (!taken.contains(c)) {
                extra.add(c);
            }
        }
        if (roles.containsKey(Target.EVALUATOR) && !metrics.isEmpty() && unrecognised == null) {
            // a wide table's metric columns name the evaluators; an evaluator-like column is kept as metadata
            extra.add(roles.remove(Target.EVALUATOR));
        }
        return new TableSchema(List.copyOf(columns), Collections.unmodifiableMap(roles), List.copyOf(metrics),
                evaluator, List.copyOf(extra), unrecognised);
    }

    /** The column of the table named {@code name} (exactly, else ignoring case), or an error naming the columns. */
    private static String column(List<String> columns, String name, Target target) {
        if (columns.contains(name)) {
            return name;
        }
        for (String c : columns) {
            if (c.equalsIgnoreCase(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("the column mapping names column '" + name + "' for " + target.key()
                + ", but the file has no such column (its columns: " + String.join(", ", columns) + ")");
    }

    /**
     * Whether every value of the column in the sample is a number (or NaN or empty), and at least one is there;
     * {@code unit}: from 0 to 1 too.
     */
    private static boolean numeric(List<TableRows.Row> rows, String column, boolean unit) {
        boolean any = false;
        for (TableRows.Row r : rows) {
            Object v = r.values().get(column);
            if (v == null) {
                continue;
            }
            Double d = v instanceof Number n ? Double.valueOf(n.doubleValue()) : v instanceof String s
                    ? Values.number(s) : null;
            if (d == null || unit && !d.isNaN() && (d < 0 || d > 1)) {
                return false;
            }
            any = true;
        }
        return any;
    }
}
