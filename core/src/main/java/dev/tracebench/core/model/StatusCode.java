package dev.tracebench.core.model;

/** OTLP span status codes, with their wire numbers. */
public enum StatusCode {
    UNSET, OK, ERROR;

    private static final StatusCode[] ALL = values();

    public int code() {
        return ordinal();
    }

    public static StatusCode fromCode(int code) {
        StatusCode[] all = ALL;
        return code >= 0 && code < all.length ? all[code] : UNSET;
    }
}
