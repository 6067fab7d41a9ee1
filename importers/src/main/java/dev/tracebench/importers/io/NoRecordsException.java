package dev.tracebench.importers.io;

/**
 * Reading stopped because a long stretch of the source held no valid record: {@link StreamGuard} throws it, so that
 * endless or huge garbage (a device, a file that is not what {@code --format} says) cannot keep an import running.
 */
public final class NoRecordsException extends CorruptInputException {
    private static final long serialVersionUID = 1L;

    public NoRecordsException(String message) {
        super(message, null);
    }
}
