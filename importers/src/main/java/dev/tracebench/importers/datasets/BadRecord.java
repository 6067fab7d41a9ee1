package dev.tracebench.importers.datasets;

/** A record that cannot become an example; the message says why (the location is added by the caller). */
public final class BadRecord extends Exception {
    private static final long serialVersionUID = 1L;

    public BadRecord(String reason) {
        super(reason);
    }
}
