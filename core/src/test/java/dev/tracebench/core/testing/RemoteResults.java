package dev.tracebench.core.testing;

import dev.tracebench.core.analysis.TraceAnalyzer;
import dev.tracebench.core.remote.RemoteResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A tiny Spark result folder written by hand in the job's format (docs/spark.md), for core's and the app's tests. */
public final class RemoteResults {
    private static final long S = 1_000_000_000L;

    private RemoteResults() {
    }

    /**
     * Writes into {@code dir}, with the manifest's {@code version} and {@code breakdownExtra} appended to
     * breakdown.csv. Four traces of 1 s, 2 s (model a) and 3 s, 10 s (model b). Inference took 1 s, 2 s and 3 s in
     * three of them (6 s), retrieval 4 s in the 10 s one. Percentiles as quantile_cont: p50 of 1,2,3,10 s = 2.5 s;
     * p95 at rank 0.95 * 3 = 2.85: 3 + 0.85 * 7 = 8.95 s; p99: 3 + 0.97 * 7 = 9.79 s.
     */
    public static void write(Path dir, int version, String breakdownExtra) throws IOException {
        StringBuilder header = new StringBuilder("overall,group_value,traces,duration_p50_ns,duration_p95_ns,"
                + "duration_p99_ns,duration_total_ns");
        for (String st : TraceAnalyzer.STAGES) {
            header.append(',').append(st).append("_traces,").append(st).append("_p50_ns,").append(st).append("_p90_ns,")
                    .append(st).append("_p95_ns,").append(st).append("_p99_ns,").append(st).append("_total_ns");
        }
        String csv = header + "\n"
                + row("true", "", 4, 2.5 * S, 8.95 * S, 9.79 * S, 16 * S, new long[] {3, 2 * S, 6 * S}, new long[] {1,
                        4 * S, 4 * S})
                + row("false", "a", 2, 1.5 * S, 1.95 * S, 1.99 * S, 3 * S, new long[] {2, 1_500_000_000L, 3 * S},
                        new long[] {0, 0, 0})
                + row("false", "b", 2, 6.5 * S, 9.65 * S, 9.93 * S, 13 * S, new long[] {1, 3 * S, 3 * S}, new long[] {1,
                        4 * S, 4 * S})
                + breakdownExtra;
        Files.writeString(dir.resolve("breakdown.csv"), csv);
        Files.writeString(dir.resolve("slow_thresholds.csv"), "root_name,threshold_ns,traces\n"
                + "\"POST /v1/chat, streaming\",3650000000.4,1500\nGET /health,1200000000,500\n");
        Files.writeString(dir.resolve("rootcause_counts.csv"), """
                dimension,value,cohort_matching,cohort_traces,rest_matching,rest_traces
                model_version,v2,80,100,95,1900
                model_version,v1,20,100,1805,1900
                tenant,t1,50,100,950,1900
                tenant,t2,50,100,950,1900
                """);
        // availability over three minutes, the middle one without requests
        Files.writeString(dir.resolve("sli_series.csv"), """
                sli,threshold_ns,step_ns,step_index,total,good
                availability,0,60000000000,29000000,100,99
                availability,0,60000000000,29000002,50,45
                """);
        Files.writeString(dir.resolve(RemoteResult.MANIFEST), """
                {
                  "format": "tracebench-spark-result",
                  "version": %d,
                  "created_at": "2026-12-06T19:00:00Z",
                  "spark_version": "4.1.1",
                  "lake": "/data/lake-one",
                  "traces": 4,
                  "group_by": "model",
                  "cohort": "slow:p95",
                  "percentiles": "exact (linear interpolation, as DuckDB quantile_cont)",
                  "millis": 2500,
                  "tables": [
                    {"name": "breakdown", "file": "breakdown.csv", "rows": %d, "millis": 1},
                    {"name": "slow_thresholds", "file": "slow_thresholds.csv", "rows": 2, "millis": 1},
                    {"name": "rootcause_counts", "file": "rootcause_counts.csv", "rows": 4, "millis": 1},
                    {"name": "sli_series", "file": "sli_series.csv", "rows": 2, "millis": 1}
                  ]
                }
                """.formatted(version, 3 + breakdownExtra.lines().count()));
    }

    /** A breakdown row: inference and retrieval given as {traces, p50 (= p90 = p95 = p99), total}, others empty. */
    private static String row(String overall, String group, long traces, double p50, double p95, double p99,
            double total, long[] inference, long[] retrieval) {
        StringBuilder b = new StringBuilder(overall + "," + group + "," + traces + "," + (long) p50 + "," + (long) p95
                + "," + (long) p99 + "," + (long) total);
        for (String st : TraceAnalyzer.STAGES) {
            long[] v = st.equals("inference") ? inference : st.equals("retrieval") ? retrieval : new long[] {0, 0, 0};
            String q = v[0] == 0 ? "" : Long.toString(v[1]);
            b.append(',').append(v[0]).append(',').append(q).append(',').append(q).append(',').append(q).append(',')
                    .append(q).append(',').append(v[2]);
        }
        return b.append('\n').toString();
    }

}
