package dev.tracebench.core.eval;

import java.time.Instant;

/**
 * An eval run as an importer or the evaluator runner hands it to the ingest API. A file may hold several runs (a
 * promptfoo file has one per prompt and provider, for example).
 *
 * @param name             a name people recognise: the eval name, the file's run id, "evaluators 2026-12-06 11:02"
 * @param sourceFormat     the id of the format it came from ({@code promptfoo-json}, {@code openai-evals-log},
 *                         {@code tracebench-evaluators}, ...)
 * @param file             the source file's name (empty when computed in the app)
 * @param created          when the run was made (from the file when it says so; else null)
 * @param configJson       the evaluator configuration as JSON (thresholds, models, options); "{}" if none
 * @param evaluatorVersion the version of the tool or evaluators that produced it (null if unknown)
 */
public record EvalRunData(String name, String sourceFormat, String file, Instant created, String configJson,
        String evaluatorVersion) {

    public EvalRunData {
        name = name == null || name.isBlank() ? "unnamed run" : name;
        sourceFormat = sourceFormat == null ? "" : sourceFormat;
        file = file == null ? "" : file;
        configJson = configJson == null || configJson.isBlank() ? "{}" : configJson;
    }
}
