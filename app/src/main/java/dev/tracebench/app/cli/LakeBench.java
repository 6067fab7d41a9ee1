package dev.tracebench.app.cli;

import dev.tracebench.core.lake.LakeManifest;
import dev.tracebench.core.store.DuckDbLakeExport;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracebench bench lake}: export speed and the analysis queries on the lake against the workspace. */
@Command(name = "lake", mixinStandardHelpOptions = true,
        description = "Speed of `export lake` and of the analysis queries on the lake (views over Parquet) next to the "
            + "same queries on the workspace (by default one generated with --traces traces, about 11.7 spans each, "
            + "kept in --dir and reused, as bench analysis does).")
final class LakeBench implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--workspace", paramLabel = "FILE", description = "Measure this workspace instead.")
    Path workspace;

    @Option(names = "--traces", paramLabel = "N", defaultValue = "85000",
            description = "Traces of the generated workspace (default: ${DEFAULT-VALUE}, about 1M spans).")
    int traces;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to keep the generated data.")
    Path dir;

    @Option(names = "--runs", paramLabel = "R", defaultValue = "3",
            description = "Runs of each query; the median is reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path ws = workspace != null ? workspace : BenchCommand.AnalysisBench.generatedWorkspace(dir, traces, out);
        Path lake = ws.resolveSibling(ws.getFileName() + ".bench-lake");
        DuckDbLakeExport.deleteTree(lake);
        long t0 = System.nanoTime();
        LakeManifest m = DuckDbLakeExport.export(ws, lake, false, ExportCommand.createdBy(), ProgressListener.NONE,
                CancellationToken.none());
        double seconds = (System.nanoTime() - t0) / 1e9;
        long spans = m.table("spans").rows();
        out.printf("export lake: %,d spans, %,d traces in %.1f s (%,.0f spans/s); workspace %,d MB, lake %,d MB in %,d "
                + "files%n", spans, m.table("traces").rows(), seconds, spans / seconds, Files.size(ws) >> 20,
                size(lake) >> 20, files(lake));
        out.flush();
        for (Path target : new Path[] {ws, lake}) {
            out.println();
            out.println("== analysis on the " + (target == ws ? "workspace" : "lake"));
            out.flush();
            CommandLine analysis = new CommandLine(new BenchCommand.AnalysisBench());
            analysis.setOut(out);
            analysis.setErr(spec.commandLine().getErr());
            int code = analysis.execute("--workspace", target.toString(), "--runs", String.valueOf(runs));
            if (code != 0) {
                return code;
            }
        }
        return TracebenchCli.OK;
    }

    private static long size(Path root) throws java.io.IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static long files(Path root) throws java.io.IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }
}
