package dev.tracebench.core.model;

/** OTLP span kinds, with their wire numbers. */
public enum SpanKind {
    UNSPECIFIED, INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER;

    private static final SpanKind[] ALL = values();

    public int code() {
        return ordinal();
    }

    /** The kind for an OTLP enum number; unknown numbers map to UNSPECIFIED. */
    public static SpanKind fromCode(int code) {
        SpanKind[] all = ALL;
        return code >= 0 && code < all.length ? all[code] : UNSPECIFIED;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
