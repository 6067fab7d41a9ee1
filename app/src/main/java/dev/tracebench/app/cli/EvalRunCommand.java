package dev.tracebench.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.core.eval.EvalService;
import dev.tracebench.core.eval.Verdict;
import dev.tracebench.core.eval.evaluators.EvaluatorConfig;
import dev.tracebench.core.eval.evaluators.EvaluatorRunner;
import dev.tracebench.core.eval.evaluators.FormatEvaluator;
import dev.tracebench.core.eval.evaluators.GoldenEvaluator;
import dev.tracebench.core.eval.evaluators.GroundednessEvaluator;
import dev.tracebench.core.eval.evaluators.JudgeEvaluator;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracebench eval run}: the built-in evaluators over a dataset file or a cohort of traces. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs built-in evaluators: over a dataset file (--dataset, printing one JSON object per row and "
            + "evaluator) or over the traces of a cohort (--cohort, storing the verdicts as an eval run). Evaluators: "
            + "groundedness, relevance, context-precision, safety, pii, injection, refusal, format, golden, judge.")
final class EvalRunCommand extends WorkspaceCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--evaluators", split = ",", required = true, paramLabel = "IDS",
            description = "Comma-separated evaluator ids, e.g. groundedness,relevance,safety,pii.")
    List<String> evaluators;

    @Option(names = "--dataset", paramLabel = "FILE", description = "A JSONL file of Ragas-style rows: user_input, "
            + "retrieved_contexts (list of strings), response, optional reference (also question, contexts, answer, "
            + "ground_truth).")
    Path dataset;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "jsonl",
            description = "Output of --dataset: jsonl (default), the only one so far.")
    String format;

    @Option(names = "--cohort", paramLabel = "COHORT", description = "Judge the traces of a cohort and store the "
            + "verdicts as an eval run of the workspace. A cohort: " + CliArgs.COHORT_FORMS + ".")
    String cohort;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10000",
            description = "At most N traces of the cohort (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: the cores, at most 4).")
    Integer threads;

    @Option(names = "--no-embeddings", description = "Relevance and similarity by word overlap instead of the "
            + "all-MiniLM-L6-v2 model.")
    boolean noEmbeddings;

    @Option(names = "--min-coverage", paramLabel = "X", defaultValue = "1.0", description = "groundedness: the share "
            + "of a claim's content words one passage sentence must hold (default: ${DEFAULT-VALUE}).")
    double minCoverage;

    @Option(names = "--window", paramLabel = "N", defaultValue = "1", description = "groundedness: consecutive "
            + "passage sentences that may support a claim together (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--relevance-threshold", paramLabel = "X", description = "relevance and context-precision: the "
            + "similarity that counts as relevant (default: 0.3 with the model, 0.1 by word overlap).")
    Double relevanceThreshold;

    @Option(names = "--lexicon", paramLabel = "FILE", description = "safety: a toxicity lexicon file (default: the "
            + "bundled one; see its header for the format).")
    Path lexicon;

    @Option(names = "--json", description = "format: the response must be JSON.")
    boolean json;

    @Option(names = "--schema", paramLabel = "FILE", description = "format: a JSON Schema the response must satisfy.")
    Path schema;

    @Option(names = "--regex", paramLabel = "REGEX", description = "format: a pattern the response must contain.")
    String regex;

    @Option(names = "--contains", paramLabel = "TEXT", description = "format: text the response must contain "
            + "(repeatable).")
    List<String> contains;

    @Option(names = "--max-length", paramLabel = "N", description = "format: the most characters a response may have.")
    Integer maxLength;

    @Option(names = "--golden", paramLabel = "METHOD", defaultValue = "f1", description = "golden: exact, normalised, "
            + "f1, numeric or similarity (default: ${DEFAULT-VALUE}).")
    String golden;

    @Option(names = "--golden-threshold", paramLabel = "X", defaultValue = "0.5",
            description = "golden: the score that passes (default: ${DEFAULT-VALUE}).")
    double goldenThreshold;

    @Option(names = "--tolerance", paramLabel = "X", defaultValue = "0.01",
            description = "golden numeric: relative tolerance (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--judge-url", paramLabel = "URL", description = "judge: an OpenAI-compatible endpoint, e.g. "
            + "http://localhost:8000/v1.")
    String judgeUrl;

    @Option(names = "--judge-model", paramLabel = "MODEL", description = "judge: the model to ask.")
    String judgeModel;

    @Option(names = "--judge-key-env", paramLabel = "NAME", description = "judge: the environment variable holding "
            + "the API key (the key is never stored or printed).")
    String judgeKeyEnv;

    @Option(names = "--judge-criterion", paramLabel = "TEXT", description = "judge: what to judge (default: "
            + "correct, relevant and supported by the passages).")
    String judgeCriterion;

    @Override
    public Integer call() throws IOException {
        if ((dataset == null) == (cohort == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either --dataset FILE or --cohort C");
        }
        if (!format.equals("jsonl")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format: only jsonl is supported");
        }
        EvaluatorConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        EvaluatorRunner runner;
        try {
            runner = new EvaluatorRunner(config.build(), config.settings(), threads == null
                    ? Math.min(4, Runtime.getRuntime().availableProcessors()) : threads);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (dataset != null) {
            return runDataset(runner);
        }
        Cohort c = CliArgs.cohort(spec, cohort);
        try (dev.tracebench.core.store.Workspace ws = opener.openWritable(workspacePath(),
                ProgressListener.NONE)) {
            String notice = opener.takeNotice();
            if (notice != null) {
                err().println(notice);
            }
            runCohort(ws.evals(), c, limit, runner, out(), ProgressListener.NONE, CancellationToken.none());
            return TracebenchCli.OK;
        } catch (dev.tracebench.core.query.QueryRefusedException e) {
            err().println("--cohort: " + e.getMessage());
            return TracebenchCli.UNUSABLE;
        }
    }

    private EvaluatorConfig config() throws IOException {
        FormatEvaluator.Settings fmt = new FormatEvaluator.Settings(json, schema == null ? null
                : readSchema(schema), regex, contains, maxLength);
        GoldenEvaluator.Method method;
        try {
            method = GoldenEvaluator.Method.valueOf(golden.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--golden: exact, normalised, f1, numeric or similarity, not '" + golden
                    + "'");
        }
        JudgeEvaluator.Settings judge = judgeUrl == null && judgeModel == null ? null : new JudgeEvaluator.Settings(
                judgeUrl, judgeModel, judgeKeyEnv, judgeCriterion == null ? JudgeEvaluator.Settings.DEFAULT_CRITERION
                : judgeCriterion, 0.5);
        return new EvaluatorConfig(evaluators.stream().map(String::strip).toList(), !noEmbeddings, lexicon,
                new GroundednessEvaluator.Settings(window, minCoverage), relevanceThreshold, fmt,
                new GoldenEvaluator.Settings(method, goldenThreshold, tolerance), judge);
    }

    private String readSchema(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--schema: cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    /** Reads the dataset (bad rows are reported on stderr by line and skipped), judges it, prints JSONL. */
    private int runDataset(EvaluatorRunner runner) throws IOException {
        List<EvaluatorRunner.Item> items = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        int rejected = 0;
        try (BufferedReader in = Files.newBufferedReader(dataset, StandardCharsets.UTF_8)) {
            int n = 0;
            for (String line; (line = in.readLine()) != null; ) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    items.add(new EvaluatorRunner.Item(null, null, String.valueOf(n), row(line)));
                    lines.add(n);
                } catch (IllegalArgumentException | IOException e) {
                    err().println(dataset + ":" + n + ": " + e.getMessage() + " (row skipped)");
                    rejected++;
                }
            }
        } catch (NoSuchFileException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--dataset: no such file: " + dataset);
        }
        var output = runner.run(null, dataset.getFileName().toString(), items, ProgressListener.NONE,
                CancellationToken.none());
        PrintWriter out = out();
        for (int i = 0; i < items.size(); i++) {
            for (Verdict v : output.verdicts().get(i)) {
                ObjectNode o = JSON.createObjectNode();
                o.put("row", lines.get(i));
                o.put("evaluator", v.evaluator());
                if (Double.isNaN(v.score())) {
                    o.putNull("score");
                } else {
                    o.put("score", Math.round(v.score() * 10000) / 10000.0);
                }
                o.put("label", v.label());
                o.put("passed", v.passed());
                o.put("explanation", v.explanation());
                if (!v.unsupported().isEmpty()) {
                    v.unsupported().forEach(o.putArray("unsupported")::add);
                }
                out.println(o);
            }
        }
        if (rejected > 0) {
            err().println(rejected + " row" + (rejected == 1 ? "" : "s") + " of " + dataset + " skipped.");
        }
        return rejected > 0 ? TracebenchCli.REJECTED_RECORDS : TracebenchCli.OK;
    }

    /** One Ragas-style row; the names of Ragas 0.1 (question, contexts, answer, ground_truth) are read too. */
    static EvalInput row(String line) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode response = first(n, "response", "answer");
        if (response == null || !response.isTextual()) {
            throw new IllegalArgumentException("no 'response' text");
        }
        JsonNode ctx = first(n, "retrieved_contexts", "contexts");
        List<String> contexts = new ArrayList<>();
        if (ctx != null && ctx.isArray()) {
            for (JsonNode c : ctx) {
                if (!c.isTextual()) {
                    throw new IllegalArgumentException("'retrieved_contexts' must be a list of strings");
                }
                contexts.add(c.asText());
            }
        } else if (ctx != null && ctx.isTextual()) {
            contexts.add(ctx.asText());
        } else if (ctx != null && !ctx.isNull()) {
            throw new IllegalArgumentException("'retrieved_contexts' must be a list of strings");
        }
        return new EvalInput(text(first(n, "user_input", "question")), contexts, response.asText(),
                text(first(n, "reference", "ground_truth")));
    }

    private static JsonNode first(JsonNode n, String name, String alias) {
        JsonNode v = n.get(name);
        return v != null ? v : n.get(alias);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "" : n.asText();
    }

    /**
     * Judges what the eval service gives for the cohort's traces and stores it as one eval run; prints a line per
     * evaluator.
     */
    static EvalRun runCohort(EvalService service, Cohort cohort, int limit, EvaluatorRunner runner, PrintWriter out,
            ProgressListener progress, CancellationToken cancel) {
        EvaluatorRunner.CohortRun judged = runner.runCohort(service, cohort, limit, progress, cancel);
        var output = judged.output();
        EvalRun run = judged.run();
        int judgedTraces = output.verdicts().size();
        out.printf(Locale.ROOT, "%d traces judged; stored as eval run %d (%s)%n", judgedTraces, run.id(), run.name());
        for (int e = 0; e < runner.evaluators().size(); e++) {
            int passed = 0;
            double sum = 0;
            int scored = 0;
            for (List<Verdict> vs : output.verdicts()) {
                Verdict v = vs.get(e);
                passed += v.passed() ? 1 : 0;
                if (!Double.isNaN(v.score())) {
                    sum += v.score();
                    scored++;
                }
            }
            out.printf(Locale.ROOT, "  %-18s %d of %d pass, mean score %s%n", runner.evaluators().get(e).id(), passed,
                    judgedTraces, scored == 0 ? "-" : String.format(Locale.ROOT, "%.3f", sum / scored));
        }
        return run;
    }
}
