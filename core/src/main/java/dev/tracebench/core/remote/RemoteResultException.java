package dev.tracebench.core.remote;

import java.nio.file.Path;

/**
 * A folder that is not a usable Spark result: the file (and line, when one is at fault) and the reason, e.g.
 * "breakdown.csv line 4: 12 fields, the header has 61".
 */
public final class RemoteResultException extends IllegalArgumentException {
    private final transient Path file;
    private final int line;

    public RemoteResultException(Path file, int line, String reason) {
        super(file + (line > 0 ? " line " + line : "") + ": " + reason);
        this.file = file;
        this.line = line;
    }

    /** The file at fault (the folder itself when it is not a result at all). */
    public Path file() {
        return file;
    }

    /** The 1-based line at fault, 0 for the file as a whole. */
    public int line() {
        return line;
    }
}
