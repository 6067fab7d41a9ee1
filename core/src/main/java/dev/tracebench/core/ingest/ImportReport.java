package dev.tracebench.core.ingest;

import java.util.List;

/**
 * The outcome of importing one source. {@code problems} holds the first problems found (the counts are complete);
 * {@code evalResults} counts the eval results stored (eval files), {@code evalRuns} their runs and {@code evalLinked}
 * those of them linked to a trace of the workspace, {@code spanEvalResults} those read from evaluations inside spans
 * (events and attributes in a trace file); {@code message} explains an unusable, failed or cancelled import;
 * {@code timingsMs} says where the time went (each thread's waiting and CPU time, appending, removing repeats, the
 * analysis, the commit), for benchmarks.
 */
public record ImportReport(
        String source,
        Status status,
        String format,
        int importId,
        String sha256,
        long bytes,
        long spansRead,
        long spansAdded,
        long duplicates,
        long alreadyPresent,
        long rejected,
        long warnings,
        List<Problem> problems,
        long durationMs,
        String message,
        java.util.Map<String, Long> timingsMs,
        long evalResults,
        long evalRuns,
        long evalLinked,
        long spanEvalResults) {

    public enum Status {
        /** Committed; there may still be rejected records (see {@link #rejected}). */
        IMPORTED,
        /** Nothing could be used; nothing was stored. */
        UNUSABLE,
        /** Stopped by the user; nothing from this source was stored. */
        CANCELLED,
        /** An error (I/O, storage) stopped the import; nothing from this source was stored. */
        FAILED
    }

    public ImportReport {
        problems = List.copyOf(problems);
        timingsMs = timingsMs == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(timingsMs));
    }

    /** A report as the store makes it: which eval results came from spans only the reader knows. */
    public ImportReport(String source, Status status, String format, int importId, String sha256, long bytes,
            long spansRead, long spansAdded, long duplicates, long alreadyPresent, long rejected, long warnings,
            List<Problem> problems, long durationMs, String message, java.util.Map<String, Long> timingsMs,
            long evalResults, long evalRuns, long evalLinked) {
        this(source, status, format, importId, sha256, bytes, spansRead, spansAdded, duplicates, alreadyPresent,
                rejected, warnings, problems, durationMs, message, timingsMs, evalResults, evalRuns, evalLinked, 0);
    }

    public ImportReport(String source, Status status, String format, int importId, String sha256, long bytes,
            long spansRead, long spansAdded, long duplicates, long alreadyPresent, long rejected, long warnings,
            List<Problem> problems, long durationMs, String message) {
        this(source, status, format, importId, sha256, bytes, spansRead, spansAdded, duplicates, alreadyPresent,
                rejected, warnings, problems, durationMs, message, java.util.Map.of(), 0, 0, 0);
    }

    /** A report without eval runs' and links' counts (as before they were added). */
    public ImportReport(String source, Status status, String format, int importId, String sha256, long bytes,
            long spansRead, long spansAdded, long duplicates, long alreadyPresent, long rejected, long warnings,
            List<Problem> problems, long durationMs, String message, java.util.Map<String, Long> timingsMs,
            long evalResults) {
        this(source, status, format, importId, sha256, bytes, spansRead, spansAdded, duplicates, alreadyPresent,
                rejected, warnings, problems, durationMs, message, timingsMs, evalResults, 0, 0);
    }

    public static ImportReport notImported(String source, Status status, String message, long durationMs) {
        return new ImportReport(source, status, "", 0, "", 0, 0, 0, 0, 0, 0, 0, List.of(), durationMs, message);
    }

    /** This report saying that {@code n} of its eval results were read from evaluations inside spans. */
    public ImportReport withSpanEvalResults(long n) {
        return new ImportReport(source, status, format, importId, sha256, bytes, spansRead, spansAdded, duplicates,
                alreadyPresent, rejected, warnings, problems, durationMs, message, timingsMs, evalResults, evalRuns,
                evalLinked, n);
    }

    public boolean committed() {
        return status == Status.IMPORTED;
    }

    /** One line for logs and the CLI. */
    public String summaryLine() {
        if (status != Status.IMPORTED) {
            return source + ": " + status.name().toLowerCase(java.util.Locale.ROOT) + " — " + message;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(source).append(": ").append(format);
        if (spansRead > 0 || evalRuns == 0) {
            sb.append(", ").append(String.format("%,d", spansRead)).append(" spans read, ")
                    .append(String.format("%,d", spansAdded)).append(" added");
        }
        if (evalRuns > 0) {
            sb.append(", ").append(String.format("%,d", evalRuns)).append(evalRuns == 1 ? " eval run, " : " eval runs, ")
                    .append(String.format("%,d", evalResults)).append(" eval results");
            if (spanEvalResults > 0) {
                sb.append(spanEvalResults == evalResults ? " from span evaluations"
                        : String.format(", %,d from span evaluations", spanEvalResults));
            }
            sb.append(" (").append(String.format("%,d", evalLinked)).append(" linked to traces)");
        }
        if (alreadyPresent > 0) {
            sb.append(", ").append(String.format("%,d", alreadyPresent)).append(" already in workspace");
        }
        if (duplicates > 0) {
            sb.append(", ").append(String.format("%,d", duplicates)).append(" duplicate span ids skipped");
        }
        if (rejected > 0) {
            sb.append(", ").append(String.format("%,d", rejected)).append(" rejected");
        }
        if (warnings > 0) {
            sb.append(", ").append(String.format("%,d", warnings)).append(" warnings");
        }
        sb.append(" (").append(String.format("%,d", durationMs)).append(" ms)");
        return sb.toString();
    }
}
