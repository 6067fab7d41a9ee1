package dev.tracebench.spark;

import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Dimension;
import dev.tracebench.core.analysis.GroupBy;
import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.slo.Slo;
import dev.tracebench.core.slo.SloParser;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import dev.tracebench.importers.FileImportService;
import dev.tracebench.samples.Scenario;
import dev.tracebench.samples.TrafficGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * DuckDB (core, on a workspace) against Spark local (LakeAnalysis, on a lake) on the same traces, for docs/spark.md.
 * Generates {@code baseTraces} traces of the model-rollout scenario, imports them, then copies the traces table
 * {@code copies} times (new trace ids, start times shifted past the previous copy): every analysis here reads only
 * {@code traces}, one row per trace, so the copies stand for {@code copies} times the spans. Run with
 * {@code mvn -q -o -pl spark -am test-compile} and then (see docs/spark.md):
 * {@code java <spark jvm args> -cp spark/target/test-classes:spark/target/classes:<classpath> dev.tracebench.spark.LakeBench DIR BASE_TRACES COPIES}.
 */
public final class LakeBench {
    private LakeBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int base = Integer.parseInt(args[1]);
        int copies = Integer.parseInt(args[2]);
        Files.createDirectories(dir);
        Path gen = dir.resolve("generated");
        Path wsFile = dir.resolve("ws.duckdb");
        if (Files.exists(wsFile)) { // an earlier run's import: a fresh copy of it (the copies change it)
            Files.copy(dir.resolve("imported.duckdb"), wsFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } else {
            importTraces(base, gen, wsFile);
            Files.copy(wsFile, dir.resolve("imported.duckdb"));
        }
        long t;
        Path lake = Files.createDirectories(dir.resolve("lake"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + wsFile.toAbsolutePath());
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*), (SELECT count(*) FROM spans) FROM traces")) {
                rs.next();
                System.out.printf(Locale.ROOT, "workspace: %,d traces, %,d spans; %d copies stand for %,d spans%n",
                        rs.getLong(1), rs.getLong(2), copies, rs.getLong(2) * copies);
            }
            long extent;
            try (ResultSet rs = st.executeQuery("SELECT max(end_ns) - min(start_ns) + 1 FROM traces")) {
                rs.next();
                extent = rs.getLong(1);
            }
            t = System.nanoTime();
            st.execute("INSERT INTO traces SELECT traces.* REPLACE (gen_random_uuid() AS trace_id, start_ns + k * "
                    + extent + " AS start_ns, end_ns + k * " + extent + " AS end_ns) FROM traces, range(1, " + copies
                    + ") r(k)");
            System.out.printf(Locale.ROOT, "copied the traces %d times in %.1f s%n", copies, secs(t));
            t = System.nanoTime();
            // TODO(lake): core.lake's export when merged
            st.execute("COPY (SELECT *, strftime(make_timestamp(start_ns // 1000), '%Y-%m-%d') AS date, "
                    + "service_name AS service FROM traces) TO '" + lake.resolve("traces") + "' (FORMAT parquet, "
                    + "PARTITION_BY (date, service))");
            System.out.printf(Locale.ROOT, "wrote the lake's traces in %.1f s%n", secs(t));
        }
        Files.writeString(lake.resolve(LakeAnalysis.LAKE_MANIFEST), "{\"format\": \"tracebench-lake\"}\n");
        try (Workspace ws = Workspace.open(wsFile)) {
            List<Slo> slos = SloParser.parse("slos:\n  - name: fast\n    sli: latency\n    threshold: 2s\n"
                    + "    objective: 99%\n  - name: up\n    sli: availability\n    objective: 99.5%\n", "b.yaml").slos();
            for (int run = 1; run <= 2; run++) {
                Breakdown b = time("duckdb breakdown by model version, run " + run, () -> ws.analysis().breakdown(
                        Cohort.all(), GroupBy.of(Dimension.MODEL_VERSION)));
                time("duckdb SLI series (latency, availability), run " + run, () -> slos.stream().map(s ->
                        ws.slos().series(s)).toList());
                time("duckdb root cause slow:p95 (sampled, " + CheckSettings.DEFAULTS.sampleTraces()
                        + " a side), run " + run, () -> ws.analysis().explain(Cohort.parse("slow:p95"),
                        CheckSettings.DEFAULTS, CancellationToken.none()));
                System.out.printf(Locale.ROOT, "  (%,d traces)%n", b.overall().traces());
            }
        }
        t = System.nanoTime();
        SparkSession spark = SparkSession.builder().master("local[2]").appName("lake-bench")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        System.out.printf(Locale.ROOT, "spark session started in %.1f s%n", secs(t));
        // the runs: "exact" or an accuracy for percentile_approx, e.g. exact,exact,10000
        for (String mode : (args.length > 3 ? args[3] : "exact,exact,10000").split(",")) {
            List<String> a = new java.util.ArrayList<>(List.of("--lake", lake.toString(), "--out",
                    dir.resolve("out").toString(), "--group-by", "model-version", "--slo", "latency:2000000000",
                    "--slo", "availability"));
            if (!mode.equals("exact")) {
                a.addAll(List.of("--approx", mode));
            }
            LakeAnalysis.Result r = LakeAnalysis.run(spark, LakeAnalysis.Options.parse(a.toArray(String[]::new)));
            System.out.printf(Locale.ROOT, "spark local[2] %s: %,d traces in %.1f s %s%n", mode, r.traces(),
                    r.millis() / 1000.0, r.tookMillis());
        }
        spark.stop();
    }

    private static void importTraces(int base, Path gen, Path wsFile) throws java.io.IOException {
        TrafficGenerator.Summary sum = TrafficGenerator.writeDirectory(TrafficGenerator.Options.of(
                Scenario.MODEL_ROLLOUT, base, 1), TrafficGenerator.Format.OTLP_PROTO, false, gen);
        long t = System.nanoTime();
        try (Workspace ws = Workspace.open(wsFile)) {
            ImportReport r = new FileImportService(() -> ws).importFile(TrafficGenerator.files(gen,
                    TrafficGenerator.Format.OTLP_PROTO, false).traces(), ProgressListener.NONE,
                    CancellationToken.none());
            if (r.status() != ImportReport.Status.IMPORTED) {
                throw new IllegalStateException(r.message());
            }
        }
        System.out.printf(Locale.ROOT, "generated %,d traces, %,d spans (%.1f spans/trace); imported in %.1f s%n",
                sum.traces(), sum.spans(), (double) sum.spans() / sum.traces(), secs(t));
    }

    private static <T> T time(String what, Supplier<T> f) {
        long t = System.nanoTime();
        T v = f.get();
        System.out.printf(Locale.ROOT, "%s: %.2f s%n", what, secs(t));
        return v;
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
