package dev.tracebench.core.analysis;

/** A dimension, and for {@link Dimension#ATTRIBUTE} the attribute key. */
public record GroupBy(Dimension dimension, String attributeKey) {
    public static final GroupBy NONE = new GroupBy(Dimension.NONE, null);

    public GroupBy {
        if (dimension == null) {
            dimension = Dimension.NONE;
        }
        if (dimension == Dimension.ATTRIBUTE && (attributeKey == null || attributeKey.isBlank())) {
            throw new IllegalArgumentException("grouping by an attribute needs its key");
        }
    }

    public static GroupBy of(Dimension d) {
        return new GroupBy(d, null);
    }

    public static GroupBy attribute(String key) {
        return new GroupBy(Dimension.ATTRIBUTE, key);
    }

    public String label() {
        return dimension == Dimension.ATTRIBUTE ? attributeKey : dimension.label();
    }
}
