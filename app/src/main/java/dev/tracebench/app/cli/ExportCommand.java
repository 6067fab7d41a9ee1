package dev.tracebench.app.cli;

import dev.tracebench.core.lake.LakeManifest;
import dev.tracebench.core.store.DuckDbLakeExport;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.CancelledException;
import dev.tracebench.core.task.ProgressListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracebench export lake}: a workspace's tables as a Parquet trace lake (docs/lake.md). */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export a workspace.",
        subcommands = {ExportCommand.Lake.class})
final class ExportCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What the manifest records as the writer of a lake. */
    static String createdBy() {
        return "tracebench " + Objects.requireNonNullElse(TracebenchCli.class.getPackage().getImplementationVersion(),
                "0.1.0-SNAPSHOT");
    }

    /**
     * Exports {@code workspace} into the lake {@code out} with progress lines on {@code err}; Ctrl-C cancels (and
     * leaves nothing). Prints the rows written per table on {@code out}.
     */
    static int exportLake(Path workspace, Path out, boolean append, PrintWriter stdout, PrintWriter err) {
        CancellationToken cancel = new CancellationToken();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancel.cancel();
            try {
                done.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tracebench-export-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        long start = System.nanoTime();
        try {
            ProgressListener progress = (d, total, message) -> {
                err.printf("export lake: %d/%d %s (%.1f s)%n", d, total, message, (System.nanoTime() - start) / 1e9);
                err.flush();
            };
            LakeManifest m = DuckDbLakeExport.export(workspace, out, append, createdBy(), progress, cancel);
            LakeManifest.Export last = m.exports().get(m.exports().size() - 1);
            stdout.printf("lake %s (schema %d)%s: %s in %.1f s%n", out.toAbsolutePath().normalize(),
                    m.schemaVersion(), append && m.exports().size() > 1 ? ", appended" : "",
                    String.join(", ", last.rows().entrySet().stream()
                            .map(e -> String.format("%,d %s", e.getValue(), e.getKey())).toList()),
                    (System.nanoTime() - start) / 1e9);
            return TracebenchCli.OK;
        } catch (CancelledException e) {
            err.println("export lake: cancelled; nothing was written to " + out);
            return TracebenchCli.UNUSABLE;
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
        }
    }

    @Command(name = "lake", mixinStandardHelpOptions = true,
            description = "Write the workspace's spans (with their events and links), traces, per-trace stage times, "
                + "resources, scopes, imports and eval runs and results as Hive-partitioned Parquet files "
                + "(spans/date=2026-12-06/service=rag-api/part-*.parquet) with a manifest, "
                + LakeManifest.FILE_NAME + ". The lake is written into a hidden folder and renamed into place: a "
                + "failed or cancelled export leaves nothing. Read it back with --workspace DIR (read-only), DuckDB, "
                + "Spark or any Parquet reader; see docs/lake.md.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the lake was written", "2:the workspace or folder cannot be used, or the export "
                + "failed or was cancelled (nothing was written)"})
    static final class Lake extends WorkspaceCommand implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "The lake folder: new or empty, or an existing lake with --append.")
        Path out;

        @Option(names = "--append", description = "Add this workspace's rows to the lake at --out as new files "
                + "(nothing is rewritten; ids of imports and eval runs are shifted to stay unique; spans already "
                + "in the lake are not looked for, so appending a workspace twice stores its rows twice).")
        boolean append;

        @Override
        public Integer call() {
            Path ws = workspacePath();
            openForReading().close(); // the default workspace is seeded on first use, like for every command
            return exportLake(ws, out, append, out(), err());
        }
    }
}
