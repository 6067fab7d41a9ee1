package dev.tracebench.core.lake;

/** A lake that cannot be written or read as asked; the message says which folder or file and why. */
public class LakeException extends RuntimeException {
    public LakeException(String message) {
        super(message);
    }

    public LakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
