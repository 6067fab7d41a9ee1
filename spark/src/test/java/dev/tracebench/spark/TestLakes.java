package dev.tracebench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.FileImportService;
import dev.tracebench.samples.Scenario;
import dev.tracebench.samples.TrafficGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
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
     * {@code withWorkspace} read core's own results from it, and writes the workspace's traces as a lake
     * ({@code dir/lake}).
     *
     * <p>TODO(lake): replace the COPY below with core.lake's {@code tracebench export lake} when it is merged; it
     * writes the same layout (Hive partitions date=YYYY-MM-DD/service=NAME, the workspace's columns, a manifest).
     */
    static Path lake(Scenario scenario, int traces, long seed, Path dir, Consumer<Workspace> withWorkspace)
            throws IOException, SQLException {
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
        Files.createDirectories(lake);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + wsFile.toAbsolutePath());
                Statement st = c.createStatement()) {
            st.execute("COPY (SELECT *, strftime(make_timestamp(start_ns // 1000), '%Y-%m-%d') AS date, service_name "
                    + "AS service FROM traces) TO '" + lake.resolve("traces") + "' (FORMAT parquet, PARTITION_BY "
                    + "(date, service))");
        }
        Files.writeString(lake.resolve(LakeAnalysis.LAKE_MANIFEST), "{\"format\": \"tracebench-lake\", "
                + "\"schema_version\": 1, \"tables\": [{\"name\": \"traces\", \"partition_by\": [\"date\", "
                + "\"service\"]}]}\n");
        return lake;
    }
}
