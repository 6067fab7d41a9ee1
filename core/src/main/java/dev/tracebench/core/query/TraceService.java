package dev.tracebench.core.query;

import dev.tracebench.core.model.TraceId;
import java.util.List;
import java.util.Optional;

/**
 * Trace queries over a workspace. Every method blocks on the database: call it off the FX thread. Implementations
 * are thread-safe (each calling thread uses its own connection).
 */
public interface TraceService {

    WorkspaceStats stats();

    /** Number of traces matching the filter. */
    long countTraces(TraceFilter filter);

    /** One page of matching traces in the given order. */
    List<TraceSummary> traces(TraceFilter filter, TraceSort sort, long offset, int limit);

    /** Service names of the workspace, sorted. */
    List<String> services();

    /**
     * The attribute keys of the workspace's spans and resources, sorted, for completing a search. Reads every span:
     * call it once per change of the workspace and keep the answer.
     */
    List<String> attributeKeys();

    /** One trace with all its spans, or empty if the workspace has no span of it. */
    Optional<TraceDetail> trace(TraceId traceId);

    /** Committed imports, newest first. */
    List<ImportRecord> imports();

    /** The problems stored for one import (the first ones found), in file order. */
    List<dev.tracebench.core.ingest.Problem> importProblems(int importId);
}
