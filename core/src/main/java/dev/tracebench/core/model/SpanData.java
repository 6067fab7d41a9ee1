package dev.tracebench.core.model;

import java.util.List;

/**
 * One span as an importer hands it to the workspace. Ids are already canonical (128-bit trace id, 64-bit span
 * ids); {@code parentSpanId} is null for a root span. {@code source} is where the span was read (for example
 * {@code "line 12, resourceSpans[0].scopeSpans[1].spans[3]"}) and is used in import reports.
 */
public record SpanData(
        TraceId traceId,
        long spanId,
        Long parentSpanId,
        String name,
        SpanKind kind,
        long startNs,
        long endNs,
        StatusCode status,
        String statusMessage,
        String traceState,
        int flags,
        List<Attribute> attributes,
        int droppedAttributesCount,
        List<SpanEventData> events,
        int droppedEventsCount,
        List<SpanLinkData> links,
        int droppedLinksCount,
        String source) {

    public SpanData {
        name = name == null ? "" : name;
        kind = kind == null ? SpanKind.UNSPECIFIED : kind;
        status = status == null ? StatusCode.UNSET : status;
        attributes = List.copyOf(attributes);
        events = List.copyOf(events);
        links = List.copyOf(links);
    }
}
