package dev.tracebench.importers.io;

import java.io.IOException;

/** The source's bytes are damaged (for example corrupt gzip); what was read before the damage is usable. */
public final class CorruptInputException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
