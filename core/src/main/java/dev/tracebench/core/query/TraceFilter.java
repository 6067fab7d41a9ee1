package dev.tracebench.core.query;

/**
 * Which traces to list. {@code text} matches the trace id (prefix), the root operation, the service or any span
 * name, case-insensitively; {@code service} is an exact service name; {@code minDurationNs} a lower bound on the
 * trace duration. Empty strings and zero mean "no condition".
 */
public record TraceFilter(String text, String service, long minDurationNs, boolean errorsOnly) {
    public static final TraceFilter ALL = new TraceFilter("", "", 0, false);

    public TraceFilter {
        text = text == null ? "" : text.strip();
        service = service == null ? "" : service.strip();
        minDurationNs = Math.max(0, minDurationNs);
    }

    public TraceFilter withText(String t) {
        return new TraceFilter(t, service, minDurationNs, errorsOnly);
    }

    public TraceFilter withService(String s) {
        return new TraceFilter(text, s, minDurationNs, errorsOnly);
    }

    public TraceFilter withMinDurationNs(long d) {
        return new TraceFilter(text, service, d, errorsOnly);
    }

    public TraceFilter withErrorsOnly(boolean e) {
        return new TraceFilter(text, service, minDurationNs, e);
    }
}
