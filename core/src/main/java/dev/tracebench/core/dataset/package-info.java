/**
 * Golden datasets: curated examples (input, context, expected output, tags, split, provenance), stored as immutable
 * versions in the workspace ({@link dev.tracebench.core.dataset.DatasetService}), read from and written to other
 * tools' files ({@link dev.tracebench.core.dataset.DatasetFiles}), and the pure analyses a curator uses (diff,
 * near-duplicates, coverage, stratified sampling, PII redaction). No JavaFX, no JDBC.
 */
package dev.tracebench.core.dataset;
