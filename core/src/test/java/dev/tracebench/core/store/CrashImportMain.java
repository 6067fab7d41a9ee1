package dev.tracebench.core.store;

import static dev.tracebench.core.testing.Spans.resource;
import static dev.tracebench.core.testing.Spans.scope;
import static dev.tracebench.core.testing.Spans.span;
import static dev.tracebench.core.testing.Spans.trace;

import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link CrashRecoveryTest}: starts an import that never ends, says so once enough spans have
 * been appended into the workspace tables, inside the import's transaction, for DuckDB to have written row groups, and waits to be killed.
 */
public final class CrashImportMain {
    private CrashImportMain() {
    }

    public static void main(String[] args) {
        Workspace ws = Workspace.open(Path.of(args[0]));
        ws.ingest("endless", -1, s -> {
            long r = s.resource(resource("crash"));
            long sc = s.scope(scope("x"));
            for (int i = 0; ; i++) {
                s.span(r, sc, span(trace(5_000_000 + i), 1, null, "root", 0, 1));
                if (i == 300_000) {
                    System.out.println("MOVING");
                    System.out.flush();
                }
            }
        }, ProgressListener.NONE, CancellationToken.none());
    }
}
