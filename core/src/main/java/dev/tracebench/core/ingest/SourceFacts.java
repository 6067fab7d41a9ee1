package dev.tracebench.core.ingest;

/** What an importer learned about the file it read: its format, SHA-256 of the raw bytes, and their count. */
public record SourceFacts(String format, String sha256, long bytes) {
}
