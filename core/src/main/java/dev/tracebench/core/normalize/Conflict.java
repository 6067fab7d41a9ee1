package dev.tracebench.core.normalize;

/** Two sources gave different values for one field; {@code chosen} won by precedence over {@code other}. */
public record Conflict(NormField field, Decision chosen, Decision other) {

    @Override
    public String toString() {
        return field.label() + ": " + chosen.value() + " from " + chosen.explain() + " vs " + other.value() + " from "
                + other.explain();
    }
}
