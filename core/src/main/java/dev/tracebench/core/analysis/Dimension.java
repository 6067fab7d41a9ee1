package dev.tracebench.core.analysis;

/**
 * What to group a breakdown by. The named dimensions are columns computed at import (fast); {@link #ATTRIBUTE}
 * groups by any attribute key of any span of the trace (read from the stored attributes: slower on big workspaces).
 */
public enum Dimension {
    NONE("(no grouping)", null),
    SERVICE("service", "service_name"),
    ROOT_OPERATION("root operation", "root_name"),
    ROUTE("route", "route"),
    MODEL("model", "model"),
    MODEL_VERSION("model version", "model_version"),
    PROMPT_VERSION("prompt version", "prompt_version"),
    TENANT("tenant", "tenant"),
    ATTRIBUTE("attribute…", null);

    private final String label;
    private final String column;

    Dimension(String label, String column) {
        this.label = label;
        this.column = column;
    }

    public String label() {
        return label;
    }

    /** The column of the traces table holding this dimension (null for NONE and ATTRIBUTE). */
    public String column() {
        return column;
    }
}
