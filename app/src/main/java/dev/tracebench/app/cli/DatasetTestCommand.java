package dev.tracebench.app.cli;

import dev.tracebench.core.dataset.Dataset;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetService;
import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.core.eval.EvalService;
import dev.tracebench.core.eval.RunComparison;
import dev.tracebench.core.eval.evaluators.EvaluatorConfig;
import dev.tracebench.core.eval.evaluators.EvaluatorRunner;
import dev.tracebench.core.eval.evaluators.GoldenEvaluator;
import dev.tracebench.core.report.Table;
import dev.tracebench.core.report.TableWriter;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tracebench dataset test NAME}: a quality gate. Judges the dataset's examples with built-in evaluators (or
 * takes an eval run), compares the run per metric with the dataset's accepted run and exits 1 when a metric got worse.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Tests a dataset against its accepted eval run: judges the examples' actual outputs with "
                + "built-in evaluators (--evaluators; question = input, passages = context, reference = expected "
                + "output; stored as an eval run whose results name the example ids) or takes an eval run of the "
                + "workspace (--against), then compares it per metric with the accepted run over the examples both "
                + "judged (change of the mean with a bootstrap 95% interval, pass rates).",
                "Exit codes: 0 no metric regressed (or no accepted run yet: nothing to compare with); 1 a metric "
                        + "regressed: its mean fell and the interval of the change lies below 0 (a metric without "
                        + "scores: its pass rate fell); 2 unusable input.",
                "--accept makes the run the accepted baseline (also after a regression; the exit code still "
                        + "says it regressed)."})
final class DatasetTestCommand extends WorkspaceCommand implements Callable<Integer> {
    /** The exit code of a regression. */
    static final int REGRESSION = 1;

    @Parameters(index = "0", paramLabel = "NAME", description = "The dataset's name.")
    String name;

    @Option(names = "--against", paramLabel = "RUN", description = "An eval run of the workspace to test (id, name "
            + "or unique name prefix), e.g. one imported from promptfoo or DeepEval.")
    String against;

    @Option(names = "--evaluators", split = ",", paramLabel = "IDS", description = "Judge the examples with these "
            + "built-in evaluators, e.g. golden,groundedness,relevance,safety (format and judge need settings only "
            + "eval run takes).")
    List<String> evaluators;

    @Option(names = "--version", paramLabel = "V", defaultValue = "0",
            description = "With --evaluators: the version whose examples to judge (default: the latest).")
    int version;

    @Option(names = "--accept", description = "Make this run the dataset's accepted baseline.")
    boolean accept;

    @Option(names = "--no-embeddings", description = "Relevance and similarity by word overlap instead of the "
            + "all-MiniLM-L6-v2 model.")
    boolean noEmbeddings;

    @Option(names = "--golden", paramLabel = "METHOD", defaultValue = "f1", description = "golden: exact, "
            + "normalised, f1, numeric or similarity (default: ${DEFAULT-VALUE}).")
    String golden;

    @Option(names = "--golden-threshold", paramLabel = "X", defaultValue = "0.5",
            description = "golden: the score that passes (default: ${DEFAULT-VALUE}).")
    double goldenThreshold;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: the cores, at most 4).")
    Integer threads;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    private TableWriter writer;

    @Override
    public Integer call() throws IOException {
        writer = CliArgs.format(spec, format);
        if ((against == null) == (evaluators == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either --against RUN or --evaluators "
                    + "IDS");
        }
        EvaluatorRunner runner = evaluators == null ? null : runner();
        try (Workspace ws = opener.openWritable(workspacePath(), ProgressListener.NONE)) {
            String notice = opener.takeNotice();
            if (notice != null) {
                err().println(notice);
            }
            DatasetService datasets = ws.datasets();
            EvalService evals = ws.evals();
            Dataset d = DatasetDiffCommand.find(spec, datasets, name);
            EvalRun run = against != null ? EvalShowCommand.find(spec, evals, against) : judge(datasets, evals, d,
                    runner);
            if (run == null) {
                return TracebenchCli.UNUSABLE;
            }
            return compare(datasets, evals, d, run);
        }
    }

    private EvaluatorRunner runner() throws IOException {
        GoldenEvaluator.Method method;
        try {
            method = GoldenEvaluator.Method.valueOf(golden.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--golden: exact, normalised, f1, numeric or "
                    + "similarity, not '" + golden + "'");
        }
        try {
            EvaluatorConfig config = new EvaluatorConfig(evaluators.stream().map(String::strip).toList(),
                    !noEmbeddings, null, null, null, null, new GoldenEvaluator.Settings(method, goldenThreshold,
                    GoldenEvaluator.Settings.DEFAULT.tolerance()), null);
            return new EvaluatorRunner(config.build(), config.settings(), threads == null
                    ? Math.min(4, Runtime.getRuntime().availableProcessors()) : threads);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--evaluators: " + e.getMessage());
        }
    }

    /**
     * Judges the actual outputs of the version's examples and stores the verdicts as an eval run (null, said on
     * stderr, when no example has an actual output).
     */
    private EvalRun judge(DatasetService datasets, EvalService evals, Dataset d, EvaluatorRunner runner) {
        int v = version == 0 ? d.latestVersion() : version;
        List<DatasetExample> examples = DatasetDiffCommand.examples(spec, datasets, name, v);
        List<EvaluatorRunner.Item> items = new ArrayList<>();
        for (DatasetExample e : examples) {
            if (!e.actualOutput().isBlank()) {
                items.add(new EvaluatorRunner.Item(null, null, e.id(), new EvalInput(e.input(), e.context(),
                        e.actualOutput(), e.expectedOutput())));
            }
        }
        if (items.isEmpty()) {
            err().printf("error: none of the %,d examples of dataset '%s' version %d has an actual output (the "
                    + "answer to judge). Save a version with your model's answers (e.g. tracebench dataset import "
                    + "FILE --name %s), or test an eval run of them with --against RUN.%n", examples.size(), name, v,
                    name);
            return null;
        }
        var output = runner.run("dataset " + name + " v" + v, "", items, ProgressListener.NONE,
                CancellationToken.none());
        EvalRun run = evals.store(output.run(), output.results(), ProgressListener.NONE, CancellationToken.none());
        int skipped = examples.size() - items.size();
        info(String.format(Locale.ROOT, "dataset %s version %d: %,d examples judged by %s; stored as eval run %d "
                + "(%s)%s", name, v, items.size(), String.join(", ", runner.evaluators().stream()
                .map(dev.tracebench.core.eval.Evaluator::id).toList()), run.id(), run.name(), skipped == 0 ? ""
                : String.format(Locale.ROOT, "; %,d without an actual output left out", skipped)));
        return run;
    }

    private int compare(DatasetService datasets, EvalService evals, Dataset d, EvalRun run) throws IOException {
        EvalRun baseline = d.acceptedRun() == 0 ? null : evals.run(String.valueOf(d.acceptedRun())).orElse(null);
        if (baseline == null) {
            if (accept) {
                datasets.accept(name, run.id());
                info("dataset " + name + " had no accepted run: eval run " + run.id() + " (" + run.name()
                        + ") is now its baseline.");
            } else {
                info("dataset " + name + " has no accepted run yet: nothing to compare eval run " + run.id()
                        + " with. Make it the baseline with: tracebench dataset test " + name + " --against "
                        + run.id() + " --accept");
            }
            return TracebenchCli.OK;
        }
        if (baseline.id() == run.id()) {
            info("eval run " + run.id() + " is the accepted run of dataset " + name + ": nothing to compare.");
            return TracebenchCli.OK;
        }
        RunComparison c = evals.compare(baseline.id(), run.id(), CancellationToken.none());
        List<List<Object>> rows = new ArrayList<>();
        List<String> regressed = new ArrayList<>();
        for (RunComparison.MetricDelta m : c.metrics()) {
            String why = regression(m);
            if (why != null) {
                regressed.add(why);
                rows.add(EvalTables.row(m.evaluator(), m.paired(), EvalTables.round(m.meanA()),
                        EvalTables.round(m.meanB()), m.meanA() == null ? null : EvalTables.round(m.delta()),
                        m.meanA() == null ? null : EvalTables.round(m.ciLow()),
                        m.meanA() == null ? null : EvalTables.round(m.ciHigh()), EvalTables.round(m.passRateA()),
                        EvalTables.round(m.passRateB()), why));
            }
        }
        Map<String, Table> sections = new LinkedHashMap<>();
        sections.put("runs", EvalTables.runs(List.of(baseline, run)));
        sections.put("metrics", EvalTables.deltas(c));
        // as text, the regressions follow as sentences
        if (writer != TableWriter.TABLE) {
            sections.put("regressions", EvalTables.masked(new Table(List.of("evaluator", "paired", "mean_a", "mean_b",
                    "delta", "ci95_low", "ci95_high", "pass_rate_a", "pass_rate_b", "why"), rows)));
        }
        EvalTables.writeSections(writer, sections, out());
        out().flush();
        Set<String> missing = new TreeSet<>(baseline.evaluators());
        missing.removeAll(run.evaluators());
        if (!missing.isEmpty()) {
            err().println("not compared (judged in the accepted run " + baseline.id() + " but not in run " + run.id()
                    + "): " + String.join(", ", missing));
        }
        if (accept) {
            datasets.accept(name, run.id());
        }
        String what = "eval run " + run.id() + " against the accepted run " + baseline.id() + " of dataset " + name;
        info(regressed.isEmpty() ? "no regression: " + what + ", no metric got worse"
                : "REGRESSION: " + what + ":\n  " + String.join("\n  ", regressed));
        if (accept) {
            info("eval run " + run.id() + " is now the accepted run of dataset " + name + ".");
        }
        return regressed.isEmpty() ? TracebenchCli.OK : REGRESSION;
    }

    /**
     * Why the metric regressed, in words, or null: a mean that fell with its whole 95% interval below 0; for a
     * metric without scores, a pass rate that fell.
     */
    static String regression(RunComparison.MetricDelta m) {
        if (m.paired() == 0) {
            return null;
        }
        if (m.meanA() != null && m.meanB() != null) {
            if (m.ciHigh() >= 0) {
                return null;
            }
            return String.format(Locale.ROOT, "%s: mean score fell from %.3f to %.3f (%+.3f; 95%% interval %+.3f to "
                    + "%+.3f) over %,d paired examples%s", m.evaluator(), m.meanA(), m.meanB(), m.delta(), m.ciLow(),
                    m.ciHigh(), m.paired(), m.passRateA() == null || m.passRateB() == null ? ""
                            : String.format(Locale.ROOT, "; pass rate %.3f -> %.3f", m.passRateA(), m.passRateB()));
        }
        if (m.passRateA() != null && m.passRateB() != null && m.passRateB() < m.passRateA()) {
            return String.format(Locale.ROOT, "%s: pass rate fell from %.3f to %.3f over %,d paired examples (no "
                    + "scores: no interval)", m.evaluator(), m.passRateA(), m.passRateB(), m.paired());
        }
        return null;
    }

    /** A sentence for the reader: with the tables on stdout as text, else on stderr (stdout holds CSV or JSON). */
    private void info(String line) {
        (writer == TableWriter.TABLE ? out() : err()).println(line);
    }
}
