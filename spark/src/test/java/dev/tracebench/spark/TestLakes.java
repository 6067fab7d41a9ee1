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
import java.io.IOException;
import java.nio.file.Path;
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

    /**
     * Generates {@code traces} traces of {@code scenario} into {@code dir}, imports them into a workspace there, lets
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
            ImportReport r = new FileImportService(() -> ws).importFile(TrafficGenerator.files(gen,
                    TrafficGenerator.Format.OTLP_JSON, false).traces(), ProgressListener.NONE, CancellationToken.none());
            assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
            withWorkspace.accept(ws);
        }
        Path lake = dir.resolve("lake");
        DuckDbLakeExport.export(wsFile, lake, false, "tracebench-spark tests", ProgressListener.NONE,
                CancellationToken.none());
        return lake;
    }
}
