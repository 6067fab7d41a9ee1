package dev.tracebench.app.cli;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.FileImportService;
import dev.tracebench.importers.FolderScan;
import dev.tracebench.importers.evaltable.ColumnMapping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tracebench import FILE|FOLDER...}. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import trace files into a workspace: OTLP (JSON, JSON Lines or protobuf), Jaeger JSON, Zipkin v2 "
            + "JSON, Phoenix span exports, Langfuse trace exports, OpenTelemetry JS span dumps; and eval results: "
            + "promptfoo results, DeepEval test runs, OpenAI evals logs, tables of scores (JSON Lines or CSV, e.g. "
            + "Tracebench's evals.jsonl, Ragas results, Langfuse score exports); gzip or zstd. "
            + "Each file is imported in one transaction: it lands whole or not at all. Importing a file twice adds "
            + "nothing the second time. Dataset files (OpenAI evals samples, DeepEval goldens, promptfoo tests, "
            + "Phoenix and Langfuse dataset exports, Ragas test sets, question/answer tables) are imported as "
            + "datasets: each a new version of the dataset named after the file (see dataset import). A folder "
            + "imports every trace, eval and dataset file in it and its subfolders, recognised by content; other "
            + "files are skipped and listed, hidden files and folders ignored.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every record of every file was imported (files skipped in folders are not errors)",
            "1:some records were rejected (the rest of those files was imported), or a recognised file held no spans "
                + "or eval results",
            "2:a file could not be used at all, a folder held no trace, eval or dataset file, or the workspace could "
                + "not be opened"})
final class ImportCommand extends WorkspaceCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files or folders to import.")
    List<Path> files;

    @Option(names = "--max-problems", defaultValue = "20", paramLabel = "N",
            description = "Problems to print per file (default: ${DEFAULT-VALUE}); all are counted.")
    int maxProblems;

    @Option(names = {"-q", "--quiet"}, description = "Print only problems and the final summary.")
    boolean quiet;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Read every file as this format instead of recognising it: otlp-json, otlp-proto, "
                    + "jaeger-json, zipkin-json, phoenix-json, langfuse-json, oteljs-json, promptfoo-json, "
                    + "deepeval-json, openai-evals-log, eval-jsonl, eval-csv. In a folder, files that no format "
                    + "recognises are still skipped.")
    String format;

    @Option(names = "--map", paramLabel = "FIELD=COLUMN,...",
            description = "Which column of a table of eval results (CSV, JSON Lines) holds which field, for columns "
                    + "Tracebench does not recognise by name, e.g. --map trace_id=TraceCol,evaluator=Check,score=S,"
                    + "label=L. Fields: trace_id, span_id, response_id, example_id, evaluator, score (several "
                    + "metric columns joined by +), label, passed, threshold, explanation, input, output, expected, "
                    + "context, timestamp, judge_model, run. A column the file does not have is an error.")
    String map;

    @Option(names = "--dataset-name", paramLabel = "N",
            description = "The dataset a dataset file is imported into (default: the file name without its "
                    + "extensions); each dataset file imported is a new version of it.")
    String datasetName;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "Normalisation rules (YAML) that win over every convention (default: "
                    + "$TRACEBENCH_HOME/rules.yaml if it exists).")
    Path rules;

    @Option(names = "--lake", paramLabel = "DIR",
            description = "Write the files to the trace lake DIR (created, or appended to) instead of a workspace, "
                    + "for files too big for one: they are imported into a scratch workspace beside DIR (on disk; "
                    + "memory as for any import), which is exported to the lake and deleted. Traces are analysed "
                    + "whole across all FILEs of one command; dataset files are skipped. See docs/lake.md.")
    Path lake;

    @Override
    public Integer call() {
        if (lake == null) {
            return importFiles(workspacePath());
        }
        if (workspace != null) {
            err().println("error: --lake and --workspace exclude each other: the files go to one or the other");
            return TracebenchCli.UNUSABLE;
        }
        Path dir = lake.toAbsolutePath().normalize();
        Path scratch = dir.resolveSibling("." + dir.getFileName() + ".import-" + java.util.UUID.randomUUID()
                + ".duckdb");
        try {
            int exit = importFiles(scratch);
            if (!Files.exists(scratch)) {
                return exit; // the options were refused before anything was opened
            }
            int exported = ExportCommand.exportLake(scratch, dir, dev.tracebench.core.lake.LakeManifest.isLake(dir),
                    out(), err());
            return Math.max(exit, exported);
        } finally {
            for (Path p : List.of(scratch, scratch.resolveSibling(scratch.getFileName() + ".wal"))) {
                try {
                    Files.deleteIfExists(p);
                } catch (java.io.IOException e) {
                    err().println("warning: could not delete the scratch workspace " + p + ": " + e.getMessage());
                }
            }
        }
    }

    private int importFiles(Path wsPath) {
        CancellationToken cancel = new CancellationToken();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // Ctrl-C: stop the running import, which rolls its file back, before the JVM exits
            cancel.cancel();
            try {
                done.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tracebench-import-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        dev.tracebench.core.ingest.IngestOptions options;
        ColumnMapping mapping;
        try {
            options = opener.home().ingestOptions(rules);
            if (format != null) {
                dev.tracebench.importers.TraceFormats.byId(format);
            }
            mapping = map == null ? null : ColumnMapping.parse(map);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            err().println("error: " + e.getMessage());
            done.countDown();
            Runtime.getRuntime().removeShutdownHook(hook);
            return TracebenchCli.UNUSABLE;
        }
        try (Workspace ws = opener.openWritable(wsPath, ProgressListener.NONE)) {
            String notice = opener.takeNotice();
            if (notice != null) {
                err().println(notice);
            }
            if (!quiet) {
                out().println((lake == null ? "workspace " + ws.path() : "lake " + lake) + (options.rules().isEmpty() ? ""
                        : " (rules: " + options.rules().file() + ")"));
            }
            FileImportService service = new FileImportService(() -> ws, options);
            int exit = TracebenchCli.OK;
            long added = 0;
            long evalResults = 0;
            long rejected = 0;
            int imported = 0;
            int skipped = 0;
            int datasets = 0;
            java.io.PrintWriter datasetOut = quiet ? new java.io.PrintWriter(java.io.Writer.nullWriter()) : out();
            for (Path given : files) {
                List<FolderScan.Entry> toImport;
                if (Files.isDirectory(given)) {
                    List<FolderScan.Entry> entries;
                    try {
                        entries = FolderScan.scan(given);
                    } catch (java.io.IOException e) {
                        err().println(given + ": the folder cannot be read: " + e.getMessage());
                        exit = TracebenchCli.UNUSABLE;
                        continue;
                    }
                    toImport = entries.stream().filter(e -> !e.skipped()).toList();
                    for (FolderScan.Entry e : entries) {
                        if (e.skipped() && !quiet) {
                            out().println("skipped " + e.file() + ": " + e.reason());
                        }
                    }
                    skipped += entries.size() - toImport.size();
                    if (toImport.isEmpty()) {
                        err().println(given + ": no trace, eval or dataset file in this folder (" + entries.size()
                                + " file(s) looked at, none recognised)");
                        exit = TracebenchCli.UNUSABLE;
                    }
                } else if (format == null && mapping == null) {
                    toImport = List.of(FolderScan.recognise(given)); // a dataset file is imported as one
                } else {
                    toImport = List.of(new FolderScan.Entry(given, FolderScan.Kind.TRACES, null, null));
                }
                for (FolderScan.Entry entry : toImport) {
                    Path f = entry.file();
                    if (cancel.isCancelled()) {
                        break;
                    }
                    if (entry.kind() == FolderScan.Kind.DATASETS && lake != null) {
                        err().println("skipped " + f + ": a dataset file; a lake holds traces and eval results");
                        continue;
                    }
                    if (entry.kind() == FolderScan.Kind.DATASETS) {
                        int code = DatasetImportCommand.importDataset(f, datasetName, entry.dataset(), Map.of(),
                                ws.datasets(), datasetOut, err(), maxProblems);
                        datasets += code == TracebenchCli.UNUSABLE ? 0 : 1;
                        exit = Math.max(exit, code); // the codes rank: OK < REJECTED_RECORDS < UNUSABLE
                        continue;
                    }
                    ImportReport r = service.importFile(f, format, mapping, progressLine(f), cancel);
                    clearProgress();
                    printReport(r);
                    imported++;
                    added += r.spansAdded();
                    evalResults += r.evalResults();
                    rejected += r.rejected();
                    if (r.status() != ImportReport.Status.IMPORTED) {
                        exit = TracebenchCli.UNUSABLE;
                    } else if ((r.rejected() > 0 || r.spansRead() == 0 && r.evalResults() == 0)
                            && exit == TracebenchCli.OK) {
                        exit = TracebenchCli.REJECTED_RECORDS;
                    }
                }
            }
            if (imported + datasets > 1 || skipped > 0 || quiet) {
                out().printf("%d file(s): %,d spans added, %s%s%,d records rejected%s%n", imported + datasets, added,
                        evalResults > 0 ? String.format("%,d eval results, ", evalResults) : "",
                        datasets > 0 ? String.format("%d dataset file(s) imported, ", datasets) : "", rejected,
                        skipped > 0 ? String.format(", %,d file(s) skipped (not trace, eval or dataset files)",
                                skipped) : "");
            }
            return exit;
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
        }
    }

    private void printReport(ImportReport r) {
        if (r.status() == ImportReport.Status.IMPORTED) {
            if (!quiet || r.rejected() > 0) {
                out().println(r.summaryLine());
            }
        } else {
            err().println(r.summaryLine());
        }
        int printed = 0;
        for (Problem p : r.problems()) {
            if (printed >= maxProblems) {
                break;
            }
            if (quiet && p.severity() == Problem.Severity.WARNING) {
                continue;
            }
            err().println("  " + p);
            printed++;
        }
        long remaining = r.rejected() + (quiet ? 0 : r.warnings()) - printed;
        if (remaining > 0) {
            err().printf("  … %,d more problem(s); the first %,d are kept in the workspace's import_problems "
                    + "table%n", remaining, 1000);
        }
    }

    private boolean interactive() {
        return System.console() != null && err() != null;
    }

    private ProgressListener progressLine(Path f) {
        if (!interactive()) {
            return ProgressListener.NONE;
        }
        String name = f.getFileName().toString();
        return (done, total, message) -> {
            String pct = total > 0 ? String.format(" %3d%%", Math.min(100, done * 100 / total)) : "";
            System.err.print("\r" + name + pct + "  " + message + "   ");
            System.err.flush();
        };
    }

    private void clearProgress() {
        if (interactive()) {
            System.err.print("\r" + " ".repeat(160) + "\r");
            System.err.flush();
        }
    }
}
