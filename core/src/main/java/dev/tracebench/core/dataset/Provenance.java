package dev.tracebench.core.dataset;

import java.time.Instant;

/**
 * Where an example came from. For an example curated from a trace: the workspace file, trace and span, and the
 * cohort or finding it was reviewed from ({@code source}, e.g. "cohort eval:groundedness=hallucinated"); for an
 * imported one: the file and line ("file goldens.json record 3"). Fields that do not apply are empty (spanId 0).
 *
 * @param workspace workspace file name the trace was in ("" when imported from a file)
 * @param traceId   32 lower-case hex, or ""
 * @param spanId    the span whose answer the example was taken from, 0 when none
 * @param addedAt   when the example was added to the dataset (null: unknown)
 * @param source    the cohort, finding or file it came from, in words
 */
public record Provenance(String workspace, String traceId, long spanId, Instant addedAt, String source) {

    public static final Provenance NONE = new Provenance("", "", 0, null, "");

    public Provenance {
        workspace = workspace == null ? "" : workspace;
        traceId = traceId == null ? "" : traceId;
        source = source == null ? "" : source;
    }

    /** An example read from a file: {@code source} names the file and the record. */
    public static Provenance ofFile(String source, Instant addedAt) {
        return new Provenance("", "", 0, addedAt, source);
    }
}
