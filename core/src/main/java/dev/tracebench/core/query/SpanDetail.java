package dev.tracebench.core.query;

import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.SpanLinkData;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.normalize.LlmFields;
import java.util.List;

/** Everything stored about one span, as the trace view shows it. */
public record SpanDetail(
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
        String serviceName,
        long resourceId,
        long scopeId,
        List<Attribute> attributes,
        int droppedAttributesCount,
        List<SpanEventData> events,
        int droppedEventsCount,
        List<SpanLinkData> links,
        int droppedLinksCount,
        LlmFields llm) {

    public SpanDetail {
        attributes = List.copyOf(attributes);
        events = List.copyOf(events);
        links = List.copyOf(links);
    }

    public long durationNs() {
        return endNs - startNs;
    }

    public boolean isError() {
        return status == StatusCode.ERROR;
    }
}
