package dev.tracebench.views.trace;

import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;

/** One line of an attribute table: key, type name, display value and the full value for the viewer. */
public record AttributeRow(String key, String type, String value, String fullValue) {

    public static AttributeRow of(Attribute a) {
        AttributeValue v = a.value();
        String full = v.display();
        return new AttributeRow(a.key(), v.typeName(), oneLine(full), full);
    }

    public static AttributeRow of(String key, String type, String value) {
        return new AttributeRow(key, type, oneLine(value), value);
    }

    private static String oneLine(String s) {
        String t = s.replace('\n', ' ').replace('\r', ' ');
        return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }

    /** True if key or value contains {@code needle} (lowercase), or the needle is empty. */
    public boolean matches(String needle) {
        return needle.isEmpty() || key.toLowerCase(java.util.Locale.ROOT).contains(needle)
                || fullValue.toLowerCase(java.util.Locale.ROOT).contains(needle);
    }
}
