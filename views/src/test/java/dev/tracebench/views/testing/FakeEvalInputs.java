package dev.tracebench.views.testing;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.eval.EvalExample;
import dev.tracebench.core.eval.EvalResult;
import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.eval.EvalService;
import dev.tracebench.core.eval.MetricSummary;
import dev.tracebench.core.eval.QualityPoint;
import dev.tracebench.core.eval.RunComparison;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.util.List;
import java.util.Optional;

/** An {@link EvalService} that only answers {@link #inputs} (what a review queue reads), with fixed inputs. */
public final class FakeEvalInputs implements EvalService {
    private final List<EvalService.TraceEvalInput> inputs;

    public FakeEvalInputs(List<EvalService.TraceEvalInput> inputs) {
        this.inputs = List.copyOf(inputs);
    }

    @Override
    public List<EvalService.TraceEvalInput> inputs(Cohort cohort, int limit, CancellationToken cancel) {
        return inputs.subList(0, Math.min(limit, inputs.size()));
    }

    @Override
    public List<EvalRun> runs() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<EvalRun> run(String idOrName) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<MetricSummary> metrics(long runId, int bins) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<EvalExample> examples(long runId, String evaluator, boolean failingFirst, int offset, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<QualityPoint> overTime(String evaluator, int buckets) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RunComparison compare(long runA, long runB, CancellationToken cancel) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<EvalResult> resultsForTrace(TraceId traceId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> evaluators() {
        throw new UnsupportedOperationException();
    }

    @Override
    public EvalRun store(EvalRunData run, List<EvalResultData> results, ProgressListener progress,
            CancellationToken cancel) {
        throw new UnsupportedOperationException();
    }
}
