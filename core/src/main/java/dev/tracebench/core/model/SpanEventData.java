package dev.tracebench.core.model;

import java.util.List;

/** A span event as imported or as read back. */
public record SpanEventData(long timeNs, String name, List<Attribute> attributes, int droppedAttributesCount) {
    public SpanEventData {
        attributes = List.copyOf(attributes);
    }
}
