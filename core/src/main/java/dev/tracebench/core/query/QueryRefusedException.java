package dev.tracebench.core.query;

/** A user query was refused before it ran, because it would change the workspace (or is not a single statement). */
public final class QueryRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QueryRefusedException(String message) {
        super(message);
    }
}
