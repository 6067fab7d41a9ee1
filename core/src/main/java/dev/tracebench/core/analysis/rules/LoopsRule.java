package dev.tracebench.core.analysis.rules;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code loops}: requests that make at least {@code loopCalls} model or tool calls (a warning when 1% of requests
 * do, else a notice), and requests that retry a call, when at least 5% do.
 */
public final class LoopsRule implements CheckRule<LoopsRule.CallStats> {
    static final double RETRY_SHARE = 0.05;

    /**
     * All requests; how many made each number of model plus tool calls; the requests with the most calls (with
     * their count), most first; how many retried a call, and examples of retries (looked up only for a finding).
     */
    public record CallStats(long requests, NavigableMap<Integer, Long> requestsByCalls, List<Counted> mostCalls,
            long retried, Supplier<List<Finding.Exemplar>> retries) {
        public CallStats {
            requestsByCalls = new TreeMap<>(requestsByCalls);
            mostCalls = List.copyOf(mostCalls);
        }
    }

    /** A request and how many model and tool calls it made. */
    public record Counted(Finding.Exemplar exemplar, int calls) {
    }

    @Override
    public String id() {
        return "loops";
    }

    @Override
    public String title() {
        return "Loops and retries";
    }

    @Override
    public List<Finding> evaluate(CallStats d, CheckSettings settings) {
        List<Finding> out = new ArrayList<>();
        if (d.requests() == 0) {
            return out;
        }
        int min = settings.loopCalls();
        long loops = d.requestsByCalls().tailMap(min, true).values().stream().mapToLong(Long::longValue).sum();
        if (loops > 0) {
            out.add(new Finding(loops * 100 >= d.requests() ? Severity.WARNING : Severity.NOTICE, id(),
                    Words.count(loops) + (loops == 1 ? " request made " : " requests made ") + min
                            + " or more model and tool calls.",
                    "Agent or tool loops multiply latency and cost; check whether a stop condition is missing.",
                    new Finding.Evidence(d.requests(), loops, 0, 0, (double) loops / d.requests(), 0,
                            Map.of("threshold", Integer.toString(min))),
                    d.mostCalls().stream().filter(c -> c.calls() >= min).map(Counted::exemplar).limit(3).toList()));
        }
        if (d.retried() >= RETRY_SHARE * d.requests()) {
            out.add(new Finding(Severity.NOTICE, id(), Words.pct((double) d.retried() / d.requests())
                    + " of requests retried a call.", "Retries hide failures from users but add their latency; see "
                    + "which calls failed first.", new Finding.Evidence(d.requests(), d.retried(), 0, 0,
                    (double) d.retried() / d.requests(), 0, Map.of()), d.retries().get()));
        }
        return out;
    }
}
