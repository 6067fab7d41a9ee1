package dev.tracebench.core.store;

/** A workspace could not be opened, read or written; the message is meant for the user. */
public class WorkspaceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WorkspaceException(String message) {
        super(message);
    }

    public WorkspaceException(String message, Throwable cause) {
        super(message, cause);
    }
}
