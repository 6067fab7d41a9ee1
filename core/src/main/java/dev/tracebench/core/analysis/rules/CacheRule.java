package dev.tracebench.core.analysis.rules;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.report.Durations;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code cache}: requests that miss a cache are slower, or the hit rate of the last quarter of the time range is
 * below half that of the first (a cache that stopped working: a warning, with the service version it coincides with
 * when one version hits far less than the service's others).
 */
public final class CacheRule implements CheckRule<CacheRule.CacheStats> {
    /** Below this many requests with a cache lookup the check says nothing. */
    static final int MIN_REQUESTS = 50;
    /** Each quarter needs this many requests with a lookup for a trend. */
    static final int MIN_PER_QUARTER = 20;

    /**
     * Requests that report cache lookups: how many hit, their median durations with and without a hit, the hit rate
     * (and request count) of the first and the last quarter of the time range, the version whose requests hit least
     * (null if none; asked only when the rate fell: it reads every lookup's resource), and examples of misses (looked
     * up only for a finding).
     */
    public record CacheStats(long hits, long requests, double medianHitNs, double medianMissNs, double earlyRate,
            double lateRate, long earlyRequests, long lateRequests, Supplier<VersionRate> leastHits,
            Supplier<List<Finding.Exemplar>> misses) {
    }

    /** A service version's cache hit rate, and that of the same service's other versions. */
    public record VersionRate(String service, String version, double rate, double othersRate) {
    }

    @Override
    public String id() {
        return "cache";
    }

    @Override
    public String title() {
        return "Cache misses";
    }

    @Override
    public List<Finding> evaluate(CacheStats d, CheckSettings settings) {
        if (d.requests() < MIN_REQUESTS) {
            return List.of();
        }
        boolean regressed = d.earlyRequests() >= MIN_PER_QUARTER && d.lateRequests() >= MIN_PER_QUARTER
                && d.earlyRate() > 0.05 && d.lateRate() < d.earlyRate() / 2;
        boolean slower = d.medianHitNs() > 0 && d.medianMissNs() >= 1.5 * d.medianHitNs();
        if (!regressed && !slower) {
            return List.of();
        }
        String miss = Durations.format((long) d.medianMissNs());
        String hit = Durations.format((long) d.medianHitNs());
        String summary = regressed
                ? "The cache hit rate fell from " + Words.pct(d.earlyRate()) + " in the first quarter of the time range "
                        + "to " + Words.pct(d.lateRate()) + " in the last, and requests that miss take " + miss
                        + " (median) against " + hit + " for hits."
                : "Requests that miss the cache take " + miss + " (median) against " + hit + " for hits; "
                        + Words.pct((double) d.hits() / d.requests()) + " of requests with a cache lookup hit.";
        VersionRate v = regressed ? d.leastHits().get() : null;
        if (v != null && v.othersRate() > 0 && v.rate() <= v.othersRate() / 2) {
            summary += " It coincides with " + v.service() + " " + v.version() + " (cache hit rate "
                    + Words.pct(v.rate()) + " against " + Words.pct(v.othersRate()) + " for its other versions).";
        }
        return List.of(new Finding(regressed ? Severity.WARNING : Severity.INFO, id(), summary,
                regressed ? "A cache that stopped hitting turns cheap requests into full ones: look for a deploy, a "
                        + "key change or an eviction around when the rate dropped (the timeline shows when)."
                        : "Cache misses go with latency, as expected; the hit rate is stable.",
                new Finding.Evidence(0, 0, 0, 0, d.earlyRate() - d.lateRate(), 0, Map.of("hit_rate_first_quarter",
                        Words.pct(d.earlyRate()), "hit_rate_last_quarter", Words.pct(d.lateRate()), "median_hit", hit,
                        "median_miss", miss)), d.misses().get()));
    }
}
