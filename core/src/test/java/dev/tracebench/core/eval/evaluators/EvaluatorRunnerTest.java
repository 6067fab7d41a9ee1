package dev.tracebench.core.eval.evaluators;

import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.Evaluator;
import dev.tracebench.core.eval.Verdict;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.CancelledException;
import dev.tracebench.core.task.ProgressListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluatorRunnerTest {
    /** Counts its calls, to see the cache at work. */
    private static final class Counting implements Evaluator {
        final AtomicInteger calls = new AtomicInteger();
        final Evaluator inner;

        Counting(Evaluator inner) {
            this.inner = inner;
        }

        public String id() { return inner.id(); }
        public String version() { return inner.version(); }
        public Verdict evaluate(EvalInput input) {
            calls.incrementAndGet();
            return inner.evaluate(input);
        }
    }

    private static List<EvaluatorRunner.Item> items(int n) {
        List<EvaluatorRunner.Item> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // 10 distinct answers, repeated
            String answer = i % 10 == 0 ? "Mail me at jane.doe@example.com" : "It opened in " + (1880 + i % 10) + ".";
            items.add(new EvaluatorRunner.Item("trace" + i, null, null,
                    new EvalInput("When did it open?", List.of("It opened in 1889."), answer, "")));
        }
        return items;
    }

    @Test
    void judgesEveryItemWithEveryEvaluatorOnceForEachUniqueInput() {
        Counting grounded = new Counting(new GroundednessEvaluator());
        Counting pii = new Counting(new PiiEvaluator());
        EvaluatorRunner runner = new EvaluatorRunner(List.of(grounded, pii), Map.of("threads", 3), 3);
        AtomicLong last = new AtomicLong();
        var out = runner.run(null, "data.jsonl", items(1000), (done, total, m) -> last.set(done), CancellationToken.none());
        assertEquals(2000, out.results().size());
        assertEquals(1000, last.get());
        assertEquals(10, grounded.calls.get());
        assertEquals(10, pii.calls.get());
        assertEquals(2000 - 20, out.cacheHits());
        EvalResultData first = out.results().get(0);
        assertEquals("trace0", first.traceId());
        assertEquals("groundedness", first.evaluator());
        EvalResultData mail = out.results().get(1);
        assertEquals("pii", mail.evaluator());
        assertFalse(mail.passed());
        assertFalse(mail.metadataJson().contains("jane.doe"), mail.metadataJson());
        assertTrue(out.results().get(18).passed(), "It opened in 1889. is grounded");
        assertFalse(out.results().get(16).passed(), "It opened in 1888. is not");
        assertEquals("tracebench-evaluators", out.run().sourceFormat());
        assertEquals("groundedness 1, pii 1", out.run().evaluatorVersion());
        assertEquals("{\"evaluators\":{\"groundedness\":\"1\",\"pii\":\"1\"},\"settings\":{\"threads\":3}}",
                out.run().configJson());
        // a second run over the same inputs evaluates nothing
        runner.run(null, "", items(1000), ProgressListener.NONE, CancellationToken.none());
        assertEquals(10, grounded.calls.get());
    }

    @Test
    void cancellingStops() {
        CancellationToken cancel = new CancellationToken();
        EvaluatorRunner runner = new EvaluatorRunner(List.of(new GroundednessEvaluator()), Map.of(), 2);
        assertThrows(CancelledException.class, () -> runner.run(null, "", items(5000), (done, total, m) -> {
            if (done >= 128) {
                cancel.cancel();
            }
        }, cancel));
    }
}
