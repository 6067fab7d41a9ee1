package dev.tracebench.core.model;

import java.util.List;

/** The instrumentation scope (library) that created spans. */
public record ScopeData(String name, String version, List<Attribute> attributes, String schemaUrl,
        int droppedAttributesCount) {
    public ScopeData {
        attributes = List.copyOf(attributes);
        name = name == null ? "" : name;
        version = version == null ? "" : version;
    }
}
