package dev.tracebench.core.ingest;

import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanData;

/**
 * The ingest API importers write into. One session is one source file and one transaction: either everything the
 * importer hands over lands (with the problems it reported), or, if the importer throws or is cancelled, nothing
 * does. Calls come from the importer's single thread; the session stages and writes on its own writer thread.
 */
public interface IngestSession {

    /** Registers a resource (deduplicated by content) and returns the id spans refer to it by. */
    long resource(ResourceData resource);

    /** Registers an instrumentation scope (deduplicated by content) and returns its id. */
    long scope(ScopeData scope);

    /** Adds one span emitted by {@code resourceId} / {@code scopeId}. */
    void span(long resourceId, long scopeId, SpanData span);

    /** Records a skipped record: where it is and why it was skipped. */
    void reject(String location, String reason);

    /** Records a kept record with a caveat. */
    void warn(String location, String reason);

    /** Reports how many bytes of the source have been read so far (for progress). */
    void bytesRead(long bytes);

    /** Throws {@link dev.tracebench.core.task.CancelledException} if the import was cancelled. */
    void checkCancelled();

    /**
     * Starts an eval run (quality results, not spans) in this source; the results that follow name it by the returned
     * key. A source may hold spans, eval runs, or both.
     */
    default int evalRun(dev.tracebench.core.eval.EvalRunData run) {
        throw new UnsupportedOperationException("this session does not take eval results");
    }

    /** Adds one eval result to the run {@code run} (a key {@link #evalRun} returned). */
    default void evalResult(int run, dev.tracebench.core.eval.EvalResultData result) {
        throw new UnsupportedOperationException("this session does not take eval results");
    }
}
