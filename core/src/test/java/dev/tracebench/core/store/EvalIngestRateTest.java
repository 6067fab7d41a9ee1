package dev.tracebench.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest rate of eval results through the session (a measurement, not a check: run it with
 * {@code -Dtracebench.bench=true}). Results are built before the clock starts, so the rate is the store's.
 */
@EnabledIfSystemProperty(named = "tracebench.bench", matches = "true")
class EvalIngestRateTest {
    @TempDir
    Path dir;

    /** CPU time of this process, all threads (the machine may be busy with other work: wall time says less). */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    @Test
    void measure() {
        int n = Integer.getInteger("tracebench.bench.results", 500_000);
        String[] evaluators = {"groundedness", "relevance", "toxicity", "pii", "format"};
        EvalResultData[] rows = new EvalResultData[n];
        for (int i = 0; i < n; i++) {
            TraceId t = new TraceId(0x1234L + i / 5, 0x5678L * (i / 5) + 1);
            rows[i] = EvalResultData.builder(evaluators[i % 5]).location("line " + (i + 1)).traceId(t.hex())
                    .spanId(String.format("%016x", i / 5 + 1)).score((i % 1000) / 1000.0)
                    .label(i % 3 == 0 ? "hallucinated" : "grounded").explanation("Claim " + (i % 97)
                            + " is supported by passage 2.").timestamp(Instant.ofEpochSecond(1_790_000_000L + i))
                    .build();
        }
        try (Workspace ws = Workspace.open(dir.resolve("bench.duckdb"))) {
            for (int i = 0; i < 3; i++) {
                int round = i;
                long t0 = System.nanoTime();
                long cpu0 = cpu();
                ImportReport r = ws.ingest("bench-" + round, -1, s -> {
                    int run = s.evalRun(new EvalRunData("bench " + round, "jsonl", "", null, null, null));
                    for (EvalResultData d : rows) {
                        s.evalResult(run, d);
                    }
                    return new SourceFacts("jsonl", "", 0);
                }, ProgressListener.NONE, CancellationToken.none());
                double s = (System.nanoTime() - t0) / 1e9;
                double cpu = (cpu() - cpu0) / 1e9;
                assertEquals(n, r.evalResults(), r.message());
                System.out.printf("round %d: %,d eval results in %.2f s: %,.0f results/s; CPU of the process "
                        + "(all threads, DuckDB's too) %.2f s: %,.0f results per CPU second (store: %s ms)%n", round,
                        n, s, n / s, cpu, n / cpu, r.timingsMs().get("eval results"));
            }
        }
    }
}
