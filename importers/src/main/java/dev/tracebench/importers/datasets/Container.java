package dev.tracebench.importers.datasets;

/** How a dataset file holds its records. */
public enum Container {
    /** One JSON object per line. */
    JSON_LINES,
    /** One JSON document: an array of objects, or an object holding one (promptfoo's {@code tests}, ...). */
    JSON,
    /** A header line and one row per record (comma, tab or semicolon). */
    CSV,
    /** A YAML list of test cases or a promptfoo config with {@code tests} (promptfoo only). */
    YAML
}
