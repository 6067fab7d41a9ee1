package dev.tracebench.core.slo;

/**
 * One mistake in an SLO file: "slo.yaml line 7, slos[1].objective: '99,9%' is not a percentage".
 *
 * @param line  1-based, or 0 when the file as a whole is wrong
 * @param field the path of the field ("slos[1].objective"), or "" for the file
 */
public record SloProblem(String file, int line, String field, String message) {
    @Override
    public String toString() {
        return file + (line > 0 ? " line " + line : "") + (field.isEmpty() ? "" : ", " + field) + ": " + message;
    }
}
