package dev.tracebench.app.gui;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.core.eval.EvalService;
import dev.tracebench.core.eval.evaluators.EvaluatorConfig;
import dev.tracebench.core.eval.evaluators.EvaluatorRunner;
import dev.tracebench.core.eval.evaluators.FormatEvaluator;
import dev.tracebench.core.eval.evaluators.GoldenEvaluator;
import dev.tracebench.core.eval.evaluators.JudgeEvaluator;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.views.quality.EvaluatorRunPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * "Run evaluators…" in the app: the built-in evaluators with their default settings over a cohort of the workspace,
 * stored through its eval service (the same path as {@code eval run --cohort}).
 */
final class AppEvaluatorRunPort implements EvaluatorRunPort {
    /** Evaluators that need settings the dialog does not ask for (a schema, a reference, an endpoint). */
    private static final List<String> NEED_SETTINGS = List.of(FormatEvaluator.ID, GoldenEvaluator.ID,
            JudgeEvaluator.ID);

    private final EvalService evals;

    AppEvaluatorRunPort(EvalService evals) {
        this.evals = evals;
    }

    @Override
    public List<String> available() {
        return EvaluatorConfig.IDS.stream().filter(id -> !NEED_SETTINGS.contains(id)).toList();
    }

    @Override
    public EvalRun run(Cohort cohort, List<String> evaluators, int limit, ProgressListener progress,
            CancellationToken cancel) {
        EvaluatorConfig config = EvaluatorConfig.of(evaluators);
        EvaluatorRunner runner;
        try {
            runner = new EvaluatorRunner(config.build(), config.settings(),
                    Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
        } catch (IOException e) {
            throw new UncheckedIOException("The evaluators could not be loaded: " + e.getMessage(), e);
        }
        return runner.runCohort(evals, cohort, limit, progress, cancel).run();
    }
}
