package dev.tracebench.core.store;

import static dev.tracebench.core.testing.Spans.resource;
import static dev.tracebench.core.testing.Spans.scope;
import static dev.tracebench.core.testing.Spans.span;
import static dev.tracebench.core.testing.Spans.trace;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM with a small heap by {@link LargeValuesMemoryTest}: imports {@code args[1]} spans with an
 * attribute of {@code args[2]} MB each (one String instance, so that only what the import makes of it counts) and
 * prints the report.
 */
public final class LargeValuesImportMain {
    private LargeValuesImportMain() {
    }

    public static void main(String[] args) {
        int spans = Integer.parseInt(args[1]);
        String value = "a long completion, ".repeat((Integer.parseInt(args[2]) << 20) / 19);
        try (Workspace ws = Workspace.open(Path.of(args[0]))) {
            ImportReport r = ws.ingest("large values", -1, s -> {
                long res = s.resource(resource("big"));
                long sc = s.scope(scope("x"));
                for (int i = 0; i < spans; i++) {
                    s.span(res, sc, span(trace(i), 1, null, "chat", 0, 10, StatusCode.OK,
                            List.of(Attribute.of("gen_ai.completion", value))));
                }
                return new SourceFacts("test", "sha", 1);
            }, ProgressListener.NONE, CancellationToken.none());
            System.out.println(r.summaryLine());
        }
    }
}
