package dev.tracebench.app.cli;

import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.Evaluator;
import dev.tracebench.core.eval.evaluators.Embeddings;
import dev.tracebench.core.eval.evaluators.EvaluatorConfig;
import dev.tracebench.core.eval.evaluators.EvaluatorRunner;
import dev.tracebench.core.eval.evaluators.AnswerRelevanceEvaluator;
import dev.tracebench.core.eval.evaluators.ContextRelevanceEvaluator;
import dev.tracebench.core.eval.evaluators.FormatEvaluator;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracebench bench evals}: the built-in evaluators' speed. */
@Command(name = "evals", mixinStandardHelpOptions = true,
        description = "Speed of the built-in evaluators, in answers per second: each lexical evaluator on one thread "
            + "over --answers distinct answers, all of them together through the runner, and the embedding evaluators "
            + "(all-MiniLM-L6-v2) without a cache, with the embedding cache (questions and passages repeat, as the "
            + "same documents are retrieved for many requests) and re-run (verdicts cached). Rows come from --dataset "
            + "(Ragas JSONL, as eval run --dataset reads) or are generated.")
final class EvalsBench implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--answers", paramLabel = "N", defaultValue = "20000",
            description = "Distinct answers for the lexical evaluators (default: ${DEFAULT-VALUE}).")
    int answers;

    @Option(names = "--embedded", paramLabel = "N", defaultValue = "400",
            description = "Answers for the embedding evaluators (default: ${DEFAULT-VALUE}; 0: leave them out).")
    int embedded;

    @Option(names = "--dataset", paramLabel = "FILE", description = "Judge these rows instead of generated ones "
            + "(repeated, with a row number appended to the answer, up to --answers).")
    Path dataset;

    @Option(names = "--threads", paramLabel = "N", description = "Runner threads (default: the cores, at most 4).")
    Integer threads;

    @Option(names = "--import", paramLabel = "N", defaultValue = "300000",
            description = "Eval results in the generated evals.jsonl the import half reads (default: ${DEFAULT-VALUE}; "
                + "0: leave it out).")
    int importResults;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
            description = "Imports of that file, each into a new workspace (default: ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int nThreads = threads != null ? threads : Math.min(4, Runtime.getRuntime().availableProcessors());
        List<EvalInput> rows = dataset != null ? fromDataset(dataset, answers) : generated(answers, answers / 10);
        out.printf("%,d distinct answers (%s); JVM %s, %d cores, load average %.1f%n", rows.size(), dataset != null
                ? dataset : "generated: 3 passages of 4 sentences, 2-sentence answers",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        if (importResults > 0) {
            importRate(out);
        }

        List<String> lexical = List.of("groundedness", "safety", "pii", "injection", "refusal", "format", "golden");
        EvaluatorConfig config = new EvaluatorConfig(lexical, false, null, null, null,
                new FormatEvaluator.Settings(false, null, "\\w+", List.of(), 4000), null, null);
        List<Evaluator> evaluators = config.build();
        // warm up: the just-in-time compiler at work would be charged to whichever evaluator came first
        List<EvalInput> warmUp = generated(2000, 200);
        evaluators.forEach(e -> warmUp.forEach(e::evaluate));
        out.println("Lexical evaluators, one thread, each answer once (after a warm-up on other answers):");
        for (Evaluator e : evaluators) {
            rate(out, e.id(), rows.size(), () -> rows.forEach(e::evaluate));
        }
        EvaluatorRunner runner = new EvaluatorRunner(evaluators, config.settings(), nThreads);
        rate(out, "all 7 through the runner, " + nThreads + " threads", rows.size(),
                () -> runner.run(null, "", items(rows), ProgressListener.NONE, CancellationToken.none()));
        rate(out, "all 7 re-run (verdicts cached)", rows.size(),
                () -> runner.run(null, "", items(rows), ProgressListener.NONE, CancellationToken.none()));

        if (embedded <= 0) {
            return TracebenchCli.OK;
        }
        long t0 = System.nanoTime();
        Embeddings cached = Embeddings.miniLm();
        if (!cached.neural()) {
            out.println("Embedding evaluators: not measured: " + cached.fallbackReason());
            return TracebenchCli.OK;
        }
        out.printf("Embedding evaluators (all-MiniLM-L6-v2, loaded in %.1f s), %d answers, one thread:%n",
                (System.nanoTime() - t0) / 1e9, embedded);
        // as in traces: many requests share a question and retrieve the same passages
        List<EvalInput> some = dataset != null ? rows.subList(0, Math.min(embedded, rows.size()))
                : generated(embedded, Math.max(1, embedded / 10));
        Embeddings uncached = Embeddings.loadMiniLm(false);
        for (var kind : List.of("relevance", "context-precision")) {
            Evaluator without = kind.equals("relevance") ? AnswerRelevanceEvaluator.withDefaults(uncached)
                    : ContextRelevanceEvaluator.withDefaults(uncached);
            Embeddings fresh = Embeddings.loadMiniLm(true);
            Evaluator with = kind.equals("relevance") ? AnswerRelevanceEvaluator.withDefaults(fresh)
                    : ContextRelevanceEvaluator.withDefaults(fresh);
            rate(out, kind + " without cache", some.size(), () -> some.forEach(without::evaluate));
            rate(out, kind + " with the embedding cache", some.size(), () -> some.forEach(with::evaluate));
            out.printf("      (%,d texts embedded, %,d cache hits)%n", fresh.cacheMisses(), fresh.cacheHits());
            EvaluatorRunner again = new EvaluatorRunner(List.of(with), Map.of(), 1);
            again.run(null, "", items(some), ProgressListener.NONE, CancellationToken.none());
            rate(out, kind + " re-run (verdicts cached)", some.size(),
                    () -> again.run(null, "", items(some), ProgressListener.NONE, CancellationToken.none()));
        }
        return TracebenchCli.OK;
    }

    /**
     * The import half: a generated evals.jsonl (the generator's shape: trace and span ids, evaluator, score, label,
     * pass/fail, threshold, explanation, time) imported through the same service as {@code import}, each run into a
     * new workspace; eval results per second of wall-clock time from opening the file to the commit.
     */
    private void importRate(PrintWriter out) throws java.io.IOException {
        Path dir = Files.createTempDirectory("tracebench-bench-evals");
        try {
            Path file = dir.resolve("evals.jsonl");
            writeEvals(file, importResults);
            out.printf("Import: %s, %,d eval results, %,d bytes; %d runs, each into a new workspace:%n", file,
                    importResults, Files.size(file), runs);
            for (int r = 0; r < runs; r++) {
                Path ws = dir.resolve("bench-" + r + ".duckdb");
                long t0 = System.nanoTime();
                dev.tracebench.core.ingest.ImportReport report;
                try (dev.tracebench.core.store.Workspace w = dev.tracebench.core.store.Workspace.open(ws)) {
                    report = new dev.tracebench.importers.FileImportService(() -> w).importFile(file,
                            ProgressListener.NONE, CancellationToken.none());
                }
                double s = (System.nanoTime() - t0) / 1e9;
                if (report.evalResults() != importResults) {
                    out.println("  import failed: " + report.summaryLine());
                    return;
                }
                out.printf("  run %d%s: %.2f s, %,.0f eval results/s%n", r + 1, r == 0 ? " (cold)" : "", s,
                        report.evalResults() / s);
                out.flush();
                Files.deleteIfExists(ws);
                Files.deleteIfExists(ws.resolveSibling(ws.getFileName() + ".wal"));
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void writeEvals(Path file, int n) throws java.io.IOException {
        Random rnd = new Random(7);
        String[] evaluators = {"groundedness", "relevance", "toxicity"};
        java.time.Instant t = java.time.Instant.parse("2026-11-20T06:00:00Z");
        try (var w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < n; i++) {
                if (i % 3 == 0) {
                    hi = rnd.nextLong();
                    lo = rnd.nextLong();
                }
                double score = Math.round(rnd.nextDouble() * 1000) / 1000.0;
                boolean pass = score >= 0.5;
                w.write(String.format(java.util.Locale.ROOT, "{\"trace_id\":\"%016x%016x\",\"span_id\":\"%016x\","
                        + "\"evaluator\":\"%s\",\"score\":%s,\"label\":\"%s\",\"passed\":%s,\"threshold\":0.5,"
                        + "\"explanation\":\"%s\",\"timestamp\":\"%s\",\"source\":\"bench\"}%n", hi, lo,
                        rnd.nextLong(), evaluators[i % 3], score, pass ? "pass" : "fail", pass,
                        pass ? "Every claim in the answer is supported by the retrieved passages."
                                : "2 of 3 claims are not supported by any retrieved passage.",
                        t.plusMillis(i * 37L)));
            }
        }
    }

    /**
     * Answers per second of wall-clock time and, as the machine may be busy with other work, per second of CPU time
     * of the whole process (all its threads, the collector's and the compiler's too): the rate one idle core gives.
     */
    private static void rate(PrintWriter out, String what, int n, Runnable work) {
        long cpu = processCpuNanos();
        long t = System.nanoTime();
        work.run();
        double s = (System.nanoTime() - t) / 1e9;
        double cpuS = (processCpuNanos() - cpu) / 1e9;
        out.printf("  %-42s %,10.0f answers/s  (%,d in %.2f s; %,10.0f per CPU second)%n", what, n / s, n, s,
                n / Math.max(cpuS, 1e-9));
        out.flush();
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static List<EvaluatorRunner.Item> items(List<EvalInput> rows) {
        return rows.stream().map(r -> new EvaluatorRunner.Item(null, null, null, r)).toList();
    }

    private static List<EvalInput> fromDataset(Path file, int n) throws Exception {
        List<EvalInput> base = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.isBlank()) {
                    base.add(EvalRunCommand.row(line));
                }
            }
        }
        if (base.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no rows");
        }
        List<EvalInput> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            EvalInput r = base.get(i % base.size());
            out.add(new EvalInput(r.question(), r.contexts(), r.answer() + " " + i, r.reference()));
        }
        return out;
    }

    private static final String[] SUBJECTS = {"The tower", "The company", "Its founder", "The river", "The album",
        "The museum", "The team", "The law", "The engine", "The festival"};
    private static final String[] VERBS = {"opened in", "was founded in", "moved to", "won an award in",
        "was renamed in", "doubled its size in", "was rebuilt in", "closed in"};
    private static final String[] PLACES = {"Paris", "Lyon", "Boston", "Madrid", "Osaka", "Lagos", "Quito", "Perth",
        "Oslo", "Delhi", "Austin", "Porto"};

    /** Answers unique by their numbers; {@code topics} distinct questions and passage sets, shared by the answers. */
    static List<EvalInput> generated(int n, int topics) {
        Random r = new Random(42);
        List<EvalInput> out = new ArrayList<>(n);
        List<String> questions = new ArrayList<>();
        List<List<String>> passages = new ArrayList<>();
        for (int t = 0; t < topics; t++) {
            questions.add("When and where did " + SUBJECTS[t % SUBJECTS.length].toLowerCase() + " "
                    + VERBS[r.nextInt(VERBS.length)].replace(" in", "") + " (topic " + t + ")?");
            List<String> ps = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                StringBuilder sb = new StringBuilder();
                for (int s = 0; s < 4; s++) {
                    sb.append(sentence(r)).append(' ');
                }
                ps.add(sb.toString().strip());
            }
            passages.add(ps);
        }
        for (int i = 0; i < n; i++) {
            int t = i % topics;
            String answer = sentence(r) + " " + sentence(r) + " (" + i + ")";
            out.add(new EvalInput(questions.get(t), passages.get(t), answer, sentence(r)));
        }
        return out;
    }

    private static String sentence(Random r) {
        return SUBJECTS[r.nextInt(SUBJECTS.length)] + " " + VERBS[r.nextInt(VERBS.length)] + " "
                + (1850 + r.nextInt(170)) + " in " + PLACES[r.nextInt(PLACES.length)] + ".";
    }
}
