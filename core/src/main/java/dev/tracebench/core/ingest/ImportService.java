package dev.tracebench.core.ingest;

import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.nio.file.Path;

/**
 * Imports files into the current workspace. A port: core defines it, the importers module implements it, and the
 * app hands the implementation to the views (which must not depend on importers).
 */
public interface ImportService {

    /**
     * Imports one file (format detected from its content, gzip transparent). Never throws for bad input: the report
     * says what happened.
     */
    ImportReport importFile(Path file, ProgressListener progress, CancellationToken cancel);
}
