package dev.tracebench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.store.DuckDbLakeExport;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.FileImportService;
import dev.tracebench.samples.Scenario;
import dev.tracebench.samples.TrafficGenerator;
import dev.tracebench.core.slo.SloFile;
import dev.tracebench.core.slo.SloParser;
import dev.tracebench.core.slo.SloService;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * What the module's tests share: one local[2] SparkSession for all of them (it takes seconds to start), and lakes
 * built from generated traces.
 */
final class TestLakes {
    private static SparkSession spark;

    private TestLakes() {
    }

    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[2]").appName("tracebench-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
        }
        return spark;
    }

    /** An SLO file and the job's {@code --slo} options that count its series. */
    record Slos(SloFile file, List<String> options) {
    }

    /**
     * Latency (2 s), availability, cost and tokens SLOs over {@code ws}: cost and tokens at the workspace's p99 (two
     * significant digits, so some requests are bad and the threshold is a number as a person writes it).
     */
    static Slos slos(Workspace ws) {
        SloService.Inventory inv = ws.slos().inventory();
        String cost = new BigDecimal(inv.costP99()).round(new MathContext(2)).stripTrailingZeros().toPlainString();
        String tokens = Long.toString(inv.tokensP99());
        SloFile file = SloParser.parse(String.join("\n", "slos:",
                "  - {name: fast-answers, sli: latency, threshold: 2s, objective: 99%}",
                "  - {name: availability, sli: availability, objective: 99.5%}",
                "  - {name: cheap, sli: cost, threshold: $" + cost + ", objective: 99%}",
                "  - {name: short, sli: tokens, threshold: " + tokens + ", objective: 99%}", ""), "slo.yaml");
        List<String> options = new ArrayList<>();
        for (String o : List.of("latency:2000000000", "availability", "cost:" + cost, "tokens:" + tokens)) {
            options.add("--slo");
            options.add(o);
        }
        return new Slos(file, options);
    }

    /**
     * Generates {@code traces} traces of {@code scenario} into {@code dir}, imports them and their eval results into a
     * workspace there, lets
     * {@code withWorkspace} read core's own results from it, and exports the workspace as a lake ({@code dir/lake})
     * with core's exporter, as {@code tracebench export lake} does.
     */
    static Path lake(Scenario scenario, int traces, long seed, Path dir, Consumer<Workspace> withWorkspace)
            throws IOException {
        Path gen = dir.resolve("generated");
        TrafficGenerator.writeDirectory(TrafficGenerator.Options.of(scenario, traces, seed),
                TrafficGenerator.Format.OTLP_JSON, false, gen);
        Path wsFile = dir.resolve("ws.duckdb");
        try (Workspace ws = Workspace.open(wsFile)) {
            TrafficGenerator.Files files = TrafficGenerator.files(gen, TrafficGenerator.Format.OTLP_JSON, false);
            for (Path f : java.util.List.of(files.traces(), files.evals())) {
                ImportReport r = new FileImportService(() -> ws).importFile(f, ProgressListener.NONE,
                        CancellationToken.none());
                assertEquals(ImportReport.Status.IMPORTED, r.status(), f + ": " + r.message());
            }
            withWorkspace.accept(ws);
        }
        Path lake = dir.resolve("lake");
        DuckDbLakeExport.export(wsFile, lake, false, "tracebench-spark tests", ProgressListener.NONE,
                CancellationToken.none());
        return lake;
    }
}
