package dev.tracebench.core.query;

/** Sort order of the trace list: one column and a direction. Ties break by start time, then trace id. */
public record TraceSort(Column column, boolean ascending) {
    public static final TraceSort NEWEST_FIRST = new TraceSort(Column.START, false);

    public enum Column {
        START, ROOT_OPERATION, SERVICE, DURATION, SPANS, ERRORS, TOKENS
    }
}
