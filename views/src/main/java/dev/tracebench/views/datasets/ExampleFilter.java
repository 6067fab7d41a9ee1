package dev.tracebench.views.datasets;

import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.Split;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which examples the table lists: those containing {@code text} (any case) in their id, input, expected output,
 * notes or tags; carrying at least one of {@code tags} (none chosen: any); in {@code split} (null: any).
 */
record ExampleFilter(String text, Set<String> tags, Split split) implements Predicate<DatasetExample> {
    static final ExampleFilter NONE = new ExampleFilter("", Set.of(), null);

    ExampleFilter {
        text = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        tags = Set.copyOf(tags);
    }

    boolean isEmpty() {
        return text.isEmpty() && tags.isEmpty() && split == null;
    }

    @Override
    public boolean test(DatasetExample e) {
        if (split != null && e.split() != split) {
            return false;
        }
        if (!tags.isEmpty() && e.tags().stream().noneMatch(tags::contains)) {
            return false;
        }
        return text.isEmpty() || contains(e.id()) || contains(e.input()) || contains(e.expectedOutput())
                || contains(e.notes()) || e.tags().stream().anyMatch(this::contains);
    }

    /** Case-insensitive containment without lower-casing the whole text (10,000 examples stay under a frame). */
    private boolean contains(String haystack) {
        int n = text.length();
        for (int i = 0, last = haystack.length() - n; i <= last; i++) {
            if (haystack.regionMatches(true, i, text, 0, n)) {
                return true;
            }
        }
        return false;
    }

    /** The tags of {@code examples}, in first-use order. */
    static List<String> tagsOf(List<DatasetExample> examples) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (DatasetExample e : examples) {
            out.addAll(e.tags());
        }
        return List.copyOf(out);
    }
}
