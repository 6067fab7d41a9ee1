package dev.tracebench.core.analysis.rootcause;

import dev.tracebench.core.model.Attribute;
import java.util.List;

/**
 * One span as root cause reads it: its place in the trace, its own stage (null: inherited from its parent), its
 * attributes and its resource's, and the normalised fields that name the span a finding is about (model, cache hit,
 * attempt, failure, duration).
 *
 * @param resourceId         identifies the resource, so a trace's resource attributes count once per resource
 * @param resourceAttributes the resource's attributes ({@code service.name} is left out: it is a trace fact)
 */
public record SpanRow(long spanId, Long parentSpanId, String name, String stage, long resourceId,
        List<Attribute> attributes, List<Attribute> resourceAttributes, String requestModel, String responseModel,
        Boolean cacheHit, Integer attempt, boolean failed, long durationNs) {

    /** A span with only what the attribute pass reads. */
    public static SpanRow of(long spanId, Long parentSpanId, String name, String stage, long resourceId,
            List<Attribute> attributes, List<Attribute> resourceAttributes) {
        return new SpanRow(spanId, parentSpanId, name, stage, resourceId, attributes, resourceAttributes, null, null,
                null, null, false, 0);
    }

    public boolean isRoot() {
        return parentSpanId == null;
    }
}
