package dev.tracebench.core.recommend;

import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Proportions;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.analysis.rules.Words;
import dev.tracebench.core.report.Durations;
import java.util.ArrayList;
import java.util.List;

/**
 * Cache findings: a cache whose hit rate in the second half of the window is below half that of the first (and the
 * drop is significant, one-sided p &lt; {@value #P}), with what its misses cost (median duration of a lookup, and of
 * the request, with a miss against with a hit) and the values (a service version, a prompt version, a tenant) whose
 * lookups hit at most half as often as those with the other values of the same attribute.
 */
public final class CacheTrendRule {
    static final int MIN_LOOKUPS = 50;
    static final double MIN_EARLY_RATE = 0.05;
    static final double P = 0.001;
    /** A value needs this many lookups (and so do the other values) to be named. */
    static final int MIN_VALUE_LOOKUPS = 20;

    private CacheTrendRule() {
    }

    /**
     * One cache's lookups.
     *
     * @param service        the service that looks it up
     * @param cache          its name ({@code app.cache.name}, else the span name)
     * @param earlyLookups   lookups in the first half of the window
     * @param earlyHits      of them hits
     * @param lateLookups    lookups in the second half
     * @param lateHits       of them hits
     * @param hitNs          median duration of a lookup span that hit (a cached embedding: the embedding call)
     * @param missNs         median duration of one that missed
     * @param hitRequestNs   median duration of requests whose lookups of this cache hit
     * @param missRequestNs  median duration of requests with a miss
     * @param missers        the lookups per value of the attributes that may explain misses, all values
     * @param exemplars      requests that missed
     */
    public record CacheStats(String service, String cache, long earlyLookups, long earlyHits, long lateLookups,
            long lateHits, long hitNs, long missNs, long hitRequestNs, long missRequestNs, List<Missers> missers,
            List<Finding.Exemplar> exemplars) {
        public CacheStats {
            missers = List.copyOf(missers);
            exemplars = List.copyOf(exemplars);
        }

        double earlyRate() {
            return earlyLookups == 0 ? 0 : earlyHits / (double) earlyLookups;
        }

        double lateRate() {
            return lateLookups == 0 ? 0 : lateHits / (double) lateLookups;
        }
    }

    /**
     * The lookups with one value of an attribute ({@code service.version} = 2.15.0) and their hits, and those of the
     * same cache with another value of it.
     */
    public record Missers(String attribute, String value, long lookups, long hits, long otherLookups,
            long otherHits) {
        double hitRate() {
            return lookups == 0 ? 0 : hits / (double) lookups;
        }

        double otherRate() {
            return otherLookups == 0 ? 0 : otherHits / (double) otherLookups;
        }

        String what() {
            return attribute + " = " + value;
        }
    }

    /** The values whose lookups hit at most half as often as the other values', worst first, at most three. */
    static List<Missers> culprits(List<Missers> all) {
        return all.stream().filter(m -> m.lookups() >= MIN_VALUE_LOOKUPS && m.otherLookups() >= MIN_VALUE_LOOKUPS
                && m.otherRate() > 0 && m.hitRate() <= m.otherRate() / 2)
                .sorted(java.util.Comparator.comparingDouble(Missers::hitRate)).limit(3).toList();
    }

    public static List<Recommendation> evaluate(List<CacheStats> caches) {
        List<Recommendation> out = new ArrayList<>();
        for (CacheStats c : caches) {
            double early = c.earlyRate();
            double late = c.lateRate();
            boolean dropped = c.earlyLookups() >= MIN_LOOKUPS && c.lateLookups() >= MIN_LOOKUPS
                    && early >= MIN_EARLY_RATE && late < early / 2
                    && 1 - Proportions.phi(Proportions.z(c.earlyHits(), c.earlyLookups(), c.lateHits(),
                            c.lateLookups())) < P;
            if (!dropped) {
                continue;
            }
            List<Recommendation.Fact> facts = new ArrayList<>();
            facts.add(new Recommendation.Fact("hit rate, first half", Words.rate(early) + " of "
                    + Words.count(c.earlyLookups()) + " lookups"));
            facts.add(new Recommendation.Fact("hit rate, second half", Words.rate(late) + " of "
                    + Words.count(c.lateLookups()) + " lookups"));
            facts.add(new Recommendation.Fact("lookup, median", Durations.format(c.missNs()) + " on a miss vs "
                    + Durations.format(c.hitNs()) + " on a hit"));
            facts.add(new Recommendation.Fact("request, median", Durations.format(c.missRequestNs())
                    + " with a miss vs "
                    + Durations.format(c.hitRequestNs()) + " with a hit"));
            List<Missers> culprits = culprits(c.missers());
            for (Missers m : culprits) {
                facts.add(new Recommendation.Fact("misses most: " + m.what(), "hit rate " + Words.rate(m.hitRate())
                        + " of " + Words.count(m.lookups()) + " lookups vs " + Words.rate(m.otherRate())
                        + " with other values"));
            }
            long cost = c.missRequestNs() - c.hitRequestNs();
            String where = culprits.isEmpty() ? "" : "; lookups with " + culprits.get(0).what() + " hit "
                    + Words.rate(culprits.get(0).hitRate()) + " against " + Words.rate(culprits.get(0).otherRate())
                    + " for the other values";
            String summary = "The " + c.cache() + " hit rate of " + c.service() + " fell from " + Words.rate(early)
                    + " to " + Words.rate(late) + " (first vs second half of the window)" + where + "; a miss costs "
                    + Durations.format(Math.max(0, cost)) + " per request (median "
                    + Durations.format(c.missRequestNs())
                    + " vs " + Durations.format(c.hitRequestNs()) + ").";
            String explanation = "A cache that stops hitting turns cheap requests into full ones. Look at what changed "
                    + "when the rate fell (a deploy, a key or normalisation change, an eviction or TTL setting, a "
                    + "smaller cache); the values listed are those whose lookups hit at most half as often as the "
                    + "other values'. Watch "
                    + "the hit rate (/metrics exports it) after the fix.";
            out.add(new Recommendation(RecommendationKind.CACHE, Severity.WARNING, "cache " + c.cache() + " of "
                    + c.service(), summary, explanation, facts, c.exemplars()));
        }
        return out;
    }
}
