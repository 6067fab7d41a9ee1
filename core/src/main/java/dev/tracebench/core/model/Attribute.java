package dev.tracebench.core.model;

import java.util.Objects;

/** One key and its typed value. */
public record Attribute(String key, AttributeValue value) {
    public Attribute {
        Objects.requireNonNull(key);
        Objects.requireNonNull(value);
    }

    public static Attribute of(String key, String value) {
        return new Attribute(key, new AttributeValue.Str(value));
    }

    public static Attribute of(String key, long value) {
        return new Attribute(key, new AttributeValue.Int(value));
    }

    public static Attribute of(String key, double value) {
        return new Attribute(key, new AttributeValue.Dbl(value));
    }

    public static Attribute of(String key, boolean value) {
        return new Attribute(key, new AttributeValue.Bool(value));
    }
}
