package dev.tracebench.core.model;

import java.util.List;

/** The resource (process / service) that emitted spans. */
public record ResourceData(List<Attribute> attributes, String schemaUrl, int droppedAttributesCount) {
    public ResourceData {
        attributes = List.copyOf(attributes);
    }

    /** The {@code service.name} attribute, or {@code unknown_service} as the OTel SDKs default it. */
    public String serviceName() {
        for (Attribute a : attributes) {
            if (a.key().equals("service.name") && a.value() instanceof AttributeValue.Str s && !s.value().isBlank()) {
                return s.value();
            }
        }
        return "unknown_service";
    }
}
