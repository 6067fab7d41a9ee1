package dev.tracebench.core.analysis;

/** How much a finding matters, in increasing order. */
public enum Severity {
    INFO("info"), NOTICE("notice"), WARNING("warning"), CRITICAL("critical");

    private final String label;

    Severity(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Severity parse(String s) {
        for (Severity v : values()) {
            if (v.label.equalsIgnoreCase(s.strip()) || v.name().equalsIgnoreCase(s.strip())) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown severity '" + s + "' (info, notice, warning, critical)");
    }
}
