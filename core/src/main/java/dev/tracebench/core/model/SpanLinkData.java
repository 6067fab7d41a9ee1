package dev.tracebench.core.model;

import java.util.List;

/** A link from a span to another span (possibly in another trace), as imported or read back. */
public record SpanLinkData(TraceId traceId, long spanId, String traceState, int flags, List<Attribute> attributes,
        int droppedAttributesCount) {
    public SpanLinkData {
        attributes = List.copyOf(attributes);
    }
}
