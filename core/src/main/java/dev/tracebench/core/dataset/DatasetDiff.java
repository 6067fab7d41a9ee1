package dev.tracebench.core.dataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What changed between two versions of a dataset, matched by example id: examples added (in the new version's
 * order), removed (in the old version's order) and changed (field by field). Pure: computed from the two example
 * lists, in time linear in their size.
 */
public record DatasetDiff(List<DatasetExample> added, List<DatasetExample> removed, List<Change> changed) {

    public DatasetDiff {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
    }

    /** An example present in both versions with at least one field different. */
    public record Change(DatasetExample before, DatasetExample after, List<FieldChange> fields) {
        public Change {
            fields = List.copyOf(fields);
        }

        public String id() {
            return after.id();
        }
    }

    /** One field's old and new value, as text (lists one item per line, maps one {@code key: value} per line). */
    public record FieldChange(String field, String before, String after) {
    }

    /** The fields compared, in display order, and how each reads as text. */
    private static final Map<String, Function<DatasetExample, String>> FIELDS = fields();

    private static Map<String, Function<DatasetExample, String>> fields() {
        Map<String, Function<DatasetExample, String>> f = new LinkedHashMap<>();
        f.put("input", DatasetExample::input);
        f.put("messages", e -> join(e.messages().stream()
                .map(m -> m.role() + (m.name().isEmpty() ? "" : " (" + m.name() + ")") + ": " + m.content()).toList()));
        f.put("context", e -> join(e.context()));
        f.put("expected output", DatasetExample::expectedOutput);
        f.put("actual output", DatasetExample::actualOutput);
        f.put("metadata", e -> join(e.metadata().entrySet().stream().map(x -> x.getKey() + ": " + x.getValue())
                .toList()));
        f.put("tags", e -> String.join(", ", e.tags()));
        f.put("split", e -> e.split().label());
        f.put("difficulty", DatasetExample::difficulty);
        f.put("notes", DatasetExample::notes);
        return java.util.Collections.unmodifiableMap(f);
    }

    private static String join(List<String> lines) {
        return String.join("\n", lines);
    }

    /** The diff from {@code before} to {@code after}. Provenance is not compared (it is where, not what). */
    public static DatasetDiff of(List<DatasetExample> before, List<DatasetExample> after) {
        Map<String, DatasetExample> old = new LinkedHashMap<>();
        for (DatasetExample e : before) {
            old.put(e.id(), e);
        }
        Map<String, DatasetExample> now = new LinkedHashMap<>();
        for (DatasetExample e : after) {
            now.put(e.id(), e);
        }
        List<DatasetExample> added = new ArrayList<>();
        List<Change> changed = new ArrayList<>();
        for (DatasetExample e : after) {
            DatasetExample was = old.get(e.id());
            if (was == null) {
                added.add(e);
                continue;
            }
            List<FieldChange> fields = new ArrayList<>();
            FIELDS.forEach((name, text) -> {
                String a = text.apply(was);
                String b = text.apply(e);
                if (!Objects.equals(a, b)) {
                    fields.add(new FieldChange(name, a, b));
                }
            });
            if (!fields.isEmpty()) {
                changed.add(new Change(was, e, fields));
            }
        }
        List<DatasetExample> removed = before.stream().filter(e -> !now.containsKey(e.id())).toList();
        return new DatasetDiff(added, removed, changed);
    }

    /** Whether the two versions hold the same examples with the same fields. */
    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }

    /** "3 added, 1 removed, 12 changed". */
    public String summary() {
        return added.size() + " added, " + removed.size() + " removed, " + changed.size() + " changed";
    }
}
