package dev.tracebench.core.store;

import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanLinkData;
import dev.tracebench.core.normalize.LlmFields;
import dev.tracebench.core.normalize.SpanDims;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBConnection;

/** What the ingest threads hand each other, and the interface of the two ways rows get into DuckDB. */
final class IngestRows {
    private IngestRows() {
    }

    /**
     * A span as the importer read it, with what the encoder needs to know about its resource and scope; {@code text}
     * is the length of its attribute text ({@link dev.tracebench.core.json.AttributeJson#textLength}).
     */
    record RawSpan(long seq, long resourceId, long scopeId, String service, String scope, SpanData span, long text) {
    }

    /**
     * A span ready to store: normalised, its attributes and those of its events and links encoded as UTF-8 JSON.
     * {@code seq} is its position in the file. The attributes of {@code span} itself are not read any more (a span with
     * large values no longer holds them, see {@link #withoutAttributes}).
     */
    record StagedSpan(long seq, long resourceId, long scopeId, String service, SpanData span, byte[] attrs,
            LlmFields llm, SpanDims dims, byte[][] eventAttrs, byte[][] linkAttrs) {
    }

    record ResourceRow(long id, String service, String json, String schemaUrl, int dropped) {
    }

    /** {@code span} without the attribute values of itself, its events and links (the stored JSON holds them). */
    static SpanData withoutAttributes(SpanData span) {
        List<SpanEventData> events = new ArrayList<>(span.events().size());
        for (SpanEventData e : span.events()) {
            events.add(new SpanEventData(e.timeNs(), e.name(), List.of(), e.droppedAttributesCount()));
        }
        List<SpanLinkData> links = new ArrayList<>(span.links().size());
        for (SpanLinkData l : span.links()) {
            links.add(new SpanLinkData(l.traceId(), l.spanId(), l.traceState(), l.flags(), List.of(),
                    l.droppedAttributesCount()));
        }
        return new SpanData(span.traceId(), span.spanId(), span.parentSpanId(), span.name(), span.kind(),
                span.startNs(), span.endNs(), span.status(), span.statusMessage(), span.traceState(), span.flags(),
                List.of(), span.droppedAttributesCount(), events, span.droppedEventsCount(), links,
                span.droppedLinksCount(), span.source());
    }

    record ScopeRow(long id, String name, String version, String json, String schemaUrl, int dropped) {
    }

    /**
     * An eval result as the importer handed it, with the ids it names parsed ({@code trace} and {@code span} null when
     * absent or malformed); {@code run} is the key {@code evalRun} returned, {@code seq} its position in the run.
     */
    record EvalRow(int run, int seq, dev.tracebench.core.model.TraceId trace, Long span,
            dev.tracebench.core.eval.EvalResultData data) {
    }

    /** Batches of rows (spans, resources, scopes, in file order) for a sink; {@code null} once the file is done. */
    interface BatchSource {
        List<?> next();
    }

    /** Stores rows into the workspace tables inside the connection's open transaction. */
    interface RowSink {
        /**
         * Stores every row {@code source} yields until it returns {@code null}; returns the number of spans stored.
         * Repeated span ids are stored too: the caller removes them afterwards.
         */
        long write(DuckDBConnection c, int importId, BatchSource source) throws SQLException, IOException;
    }
}
