package dev.tracebench.core.notify;

/** What a message says about an incident; the names are PagerDuty's {@code event_action} values. */
public enum Action {
    TRIGGER("trigger"), ACKNOWLEDGE("acknowledge"), RESOLVE("resolve");

    private final String label;

    Action(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
