package dev.tracebench.core.ingest;

/**
 * Something wrong in an input file: a record that was skipped ({@link Severity#REJECTED}) or kept with a caveat
 * ({@link Severity#WARNING}). {@code location} says where (line, JSON path, record), {@code reason} why.
 */
public record Problem(Severity severity, String location, String reason) {
    public enum Severity {
        REJECTED, WARNING;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public String toString() {
        return severity.label() + " at " + location + ": " + reason;
    }
}
