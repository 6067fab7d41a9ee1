package dev.tracebench.core.store;

import java.nio.file.Path;

/**
 * The file is a Tracebench workspace of another schema version (or not a Tracebench workspace at all). It was
 * opened read-only for the check and was not modified.
 */
public final class IncompatibleWorkspaceException extends WorkspaceException {
    private static final long serialVersionUID = 1L;
    private final transient Path path;

    public IncompatibleWorkspaceException(Path path, String message) {
        super(message);
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
