package dev.tracebench.core.eval;

import java.time.Instant;
import java.util.List;

/**
 * A stored eval run.
 *
 * @param id         its id in the workspace
 * @param importId   the import (or evaluator run) that stored it
 * @param results    how many results it holds
 * @param linked     how many of them are linked to a trace in the workspace (the rest are shown as unlinked)
 * @param evaluators the evaluators / metrics it holds, by name
 */
public record EvalRun(long id, String name, String sourceFormat, String file, Instant created, String configJson,
        String evaluatorVersion, int importId, long results, long linked, List<String> evaluators) {

    public EvalRun {
        evaluators = List.copyOf(evaluators);
    }
}
