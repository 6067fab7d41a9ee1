package dev.tracebench.core.query;

import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.TraceId;
import java.util.List;
import java.util.Map;

/** One trace with all its spans (ordered by start time), and the resources and scopes they refer to. */
public record TraceDetail(TraceId traceId, List<SpanDetail> spans, Map<Long, ResourceData> resources,
        Map<Long, ScopeData> scopes) {
    public TraceDetail {
        spans = List.copyOf(spans);
        resources = Map.copyOf(resources);
        scopes = Map.copyOf(scopes);
    }
}
