package dev.tracebench.importers.common;

import java.io.IOException;

/** A field had a value of the wrong type or form; the message names the field and the value. No stack trace: it is
 * control flow (the reader reports it and goes on), thrown for every damaged field of a file. */
public final class BadValue extends IOException {
    private static final long serialVersionUID = 1L;

    public BadValue(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
