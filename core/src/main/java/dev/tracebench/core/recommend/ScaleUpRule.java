package dev.tracebench.core.recommend;

import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.analysis.rules.Words;
import dev.tracebench.core.report.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The scale-up signal: in the last quarter of the window, more requests (or queue waits) are over a latency bound
 * than its objective allows. Burn rate = (share over the bound) / (share allowed over it): 1 spends the error budget
 * exactly; a p95 bound allows 5%. Fires above 1; critical from {@value #CRITICAL_BURN} (the SRE Workbook's six-hour page).
 */
public final class ScaleUpRule {
    /** Events the last quarter needs before the rule says anything. */
    static final int MIN_EVENTS = 20;
    static final double CRITICAL_BURN = 6;

    private ScaleUpRule() {
    }

    /**
     * A latency bound and how the last quarter of the window did against it.
     *
     * @param subject      what would scale ("service support-assistant", "queue gateway.queue in llm-gateway")
     * @param measure      "request latency" or "queue time"
     * @param objective    where the bound comes from, in words ("SLO chat-latency: 99% of requests ≤ 4s",
     *                     "built-in: p95 ≤ 10.0 s")
     * @param boundNs      the bound
     * @param allowedShare share of events allowed over it (1 − objective; 0.05 for a p95 bound)
     * @param events       events (requests, queue waits) in the last quarter
     * @param over         of them over the bound
     * @param p95Ns        their 95th percentile
     * @param facts        more evidence (queue depth, ...)
     * @param exemplars    slow requests
     */
    public record Pressure(String subject, String measure, String objective, long boundNs, double allowedShare,
            long events, long over, long p95Ns, List<Recommendation.Fact> facts, List<Finding.Exemplar> exemplars) {
        public Pressure {
            facts = List.copyOf(facts);
            exemplars = List.copyOf(exemplars);
        }

        public double burnRate() {
            return events == 0 ? 0 : over / (double) events / allowedShare;
        }
    }

    public static List<Recommendation> evaluate(List<Pressure> pressures) {
        List<Recommendation> out = new ArrayList<>();
        for (Pressure p : pressures) {
            double burn = p.burnRate();
            if (p.events() < MIN_EVENTS || burn <= 1) {
                continue;
            }
            List<Recommendation.Fact> facts = new ArrayList<>();
            facts.add(new Recommendation.Fact("objective", p.objective()));
            facts.add(new Recommendation.Fact("burn rate", String.format(Locale.ROOT, "%.1f×", burn)));
            facts.add(new Recommendation.Fact("over the bound", Words.count(p.over()) + " of "
                    + Words.count(p.events()) + " (" + Words.rate(p.over() / (double) p.events()) + ", allowed "
                    + Words.rate(p.allowedShare()) + ")"));
            facts.add(new Recommendation.Fact("p95", Durations.format(p.p95Ns()) + String.format(Locale.ROOT,
                    " (%.1f× the bound %s)", p.p95Ns() / (double) p.boundNs(), Durations.format(p.boundNs()))));
            facts.addAll(p.facts());
            String summary = "Scale up " + p.subject() + ": " + Words.rate(p.over() / (double) p.events()) + " of the "
                    + "last quarter's " + (p.measure().equals("queue time") ? "queue waits" : "requests")
                    + " took over "
                    + Durations.format(p.boundNs()) + " (p95 " + Durations.format(p.p95Ns()) + "), burning the budget "
                    + String.format(Locale.ROOT, "%.1f", burn) + "× as fast as allowed.";
            String explanation = "The " + p.measure() + " of " + p.subject() + " breaches its objective ("
                    + p.objective() + ") in the last quarter of the window. Add capacity (replicas, provider quota) or scale on this "
                    + "signal: /metrics exports p95 latency and queue time per service for an autoscaler (KEDA or an "
                    + "HPA through a Prometheus adapter). If latency comes from one dependency, the findings of "
                    + "tracebench explain say which.";
            out.add(new Recommendation(RecommendationKind.SCALE_UP, burn >= CRITICAL_BURN ? Severity.CRITICAL
                    : Severity.WARNING, p.subject(), summary, explanation, facts, p.exemplars()));
        }
        return out;
    }
}
