package dev.tracebench.importers.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a format looks at to recognise a file: its container and its first records (the keys or column names they
 * use and the shape of their values).
 */
public record Shape(Container container, List<Rec> sample, Set<String> keys) {

    /** The shape of a file whose records are {@code records} (the first 20 are looked at). */
    public static Shape of(Container container, List<Rec> records) {
        List<Rec> sample = records.subList(0, Math.min(20, records.size()));
        Set<String> keys = new LinkedHashSet<>();
        for (Rec r : sample) {
            r.fields().fieldNames().forEachRemaining(keys::add);
        }
        return new Shape(container, List.copyOf(sample), keys);
    }

    public boolean has(String key) {
        return keys.contains(key);
    }

    public boolean hasAny(String... candidates) {
        for (String k : candidates) {
            if (keys.contains(k)) {
                return true;
            }
        }
        return false;
    }

    /** True if a column or key starts with {@code prefix}. */
    public boolean hasPrefix(String prefix) {
        return keys.stream().anyMatch(k -> k.startsWith(prefix));
    }

    /** True if the first record holding {@code key} has an object there. */
    public boolean isObject(String key) {
        for (Rec r : sample) {
            JsonNode v = r.fields().get(key);
            if (v != null && !v.isNull()) {
                return v.isObject();
            }
        }
        return false;
    }
}
