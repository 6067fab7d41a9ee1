package dev.tracebench.core.ingest;

/**
 * The input as a whole cannot be imported (not a trace file, a different signal, unreadable compression). Nothing
 * from it is stored. The message names the file and says what it looks like and what to do instead.
 */
public final class UnusableInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnusableInputException(String message) {
        super(message);
    }

    public UnusableInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
