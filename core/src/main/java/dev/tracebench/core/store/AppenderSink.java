package dev.tracebench.core.store;

import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanLinkData;
import dev.tracebench.core.normalize.LlmFields;
import dev.tracebench.core.store.IngestRows.BatchSource;
import dev.tracebench.core.store.IngestRows.ResourceRow;
import dev.tracebench.core.store.IngestRows.ScopeRow;
import dev.tracebench.core.store.IngestRows.StagedSpan;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Rows into DuckDB through its row {@link DuckDBAppender}: the fallback for JVMs where Arrow cannot run (a platform
 * without its JNI library, or a JVM started without {@code --add-opens=java.base/java.nio=ALL-UNNAMED}), and small
 * files. About half as fast as {@link ArrowSink}: the Appender crosses JNI once per string value. The attribute JSON
 * goes in as the encoder's UTF-8 bytes (no String made of it, and none converted back).
 */
final class AppenderSink implements IngestRows.RowSink {
    private static final String RESOURCE_SQL = "INSERT INTO resources VALUES (?, ?, ?, ?, ?) ON CONFLICT (resource_id) "
            + "DO UPDATE SET schema_url = coalesce(resources.schema_url, excluded.schema_url)";
    private static final String SCOPE_SQL = "INSERT INTO scopes VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope_id) "
            + "DO UPDATE SET schema_url = coalesce(scopes.schema_url, excluded.schema_url)";

    @Override
    public long write(DuckDBConnection c, int importId, BatchSource source) throws SQLException {
        long spans = 0;
        try (DuckDBAppender spanRows = c.createAppender("main", "spans");
                DuckDBAppender events = c.createAppender("main", "span_events");
                DuckDBAppender links = c.createAppender("main", "span_links")) {
            for (List<?> batch = source.next(); batch != null; batch = source.next()) {
                for (Object o : batch) {
                    if (o instanceof StagedSpan s) {
                        appendSpan(spanRows, events, links, importId, s);
                        spans++;
                    } else if (o instanceof ResourceRow r) {
                        try (PreparedStatement ps = c.prepareStatement(RESOURCE_SQL)) {
                            ps.setLong(1, r.id());
                            ps.setString(2, r.service());
                            ps.setString(3, r.json());
                            ps.setString(4, r.schemaUrl());
                            ps.setInt(5, r.dropped());
                            ps.execute();
                        }
                    } else if (o instanceof ScopeRow r) {
                        try (PreparedStatement ps = c.prepareStatement(SCOPE_SQL)) {
                            ps.setLong(1, r.id());
                            ps.setString(2, r.name());
                            ps.setString(3, r.version());
                            ps.setString(4, r.json());
                            ps.setString(5, r.schemaUrl());
                            ps.setInt(6, r.dropped());
                            ps.execute();
                        }
                    }
                }
            }
        }
        return spans;
    }

    private static void appendSpan(DuckDBAppender spans, DuckDBAppender events, DuckDBAppender links, int importId,
            StagedSpan st) throws SQLException {
        SpanData s = st.span();
        LlmFields llm = st.llm();
        spans.beginRow()
                .appendUUID(s.traceId().hi(), s.traceId().lo())
                .append(s.spanId())
                .append(s.parentSpanId())
                .append(s.name())
                .append((byte) s.kind().code())
                .append(s.startNs())
                .append(s.endNs())
                .append((byte) s.status().code())
                .append(s.statusMessage())
                .append(s.traceState())
                .append(s.flags())
                .append(st.service())
                .append(st.resourceId())
                .append(st.scopeId())
                .append(st.attrs())
                .append(s.droppedAttributesCount())
                .append(s.droppedEventsCount())
                .append(s.droppedLinksCount())
                .append(s.events().size())
                .append(s.links().size())
                .append(llm.stage())
                .append(llm.operation())
                .append(llm.provider())
                .append(llm.requestModel())
                .append(llm.responseModel())
                .append(llm.inputTokens())
                .append(llm.outputTokens())
                .append(llm.cachedTokens())
                .append(llm.reasoningTokens())
                .append(llm.cost())
                .append(llm.costSource())
                .append(llm.finishReason())
                .append(llm.cacheHit())
                .append(llm.ttftNs())
                .append(llm.sources())
                .append(llm.conflicts())
                .append(st.dims().route())
                .append(st.dims().tenant())
                .append(st.dims().promptVersion())
                .append(st.dims().attempt())
                .append(st.dims().docCount())
                .append(importId)
                .append(st.seq())
                .endRow();
        List<SpanEventData> evs = s.events();
        for (int i = 0; i < evs.size(); i++) {
            SpanEventData e = evs.get(i);
            events.beginRow().appendUUID(s.traceId().hi(), s.traceId().lo()).append(s.spanId()).append(i)
                    .append(e.timeNs()).append(e.name()).append(st.eventAttrs()[i])
                    .append(e.droppedAttributesCount()).append(importId).append(st.seq()).endRow();
        }
        List<SpanLinkData> ls = s.links();
        for (int i = 0; i < ls.size(); i++) {
            SpanLinkData l = ls.get(i);
            links.beginRow().appendUUID(s.traceId().hi(), s.traceId().lo()).append(s.spanId()).append(i)
                    .appendUUID(l.traceId().hi(), l.traceId().lo()).append(l.spanId()).append(l.traceState())
                    .append(l.flags()).append(st.linkAttrs()[i]).append(l.droppedAttributesCount())
                    .append(importId).append(st.seq()).endRow();
        }
    }
}
