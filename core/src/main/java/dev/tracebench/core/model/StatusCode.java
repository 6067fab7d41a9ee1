package dev.tracebench.core.model;

/** OTLP span status codes, with their wire numbers. */
public enum StatusCode {
    UNSET, OK, ERROR;

    public int code() {
        return ordinal();
    }

    public static StatusCode fromCode(int code) {
        StatusCode[] all = values();
        return code >= 0 && code < all.length ? all[code] : UNSET;
    }
}
