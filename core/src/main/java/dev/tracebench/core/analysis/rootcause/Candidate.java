package dev.tracebench.core.analysis.rootcause;

import dev.tracebench.core.analysis.Proportions;
import dev.tracebench.core.analysis.Severity;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * One property a trace can have, the sampled traces that have it, and how it compares between the cohort and the
 * rest. Immutable but for the statistics {@link #measure} fills in.
 */
final class Candidate {
    /** What kind of property: it decides the tier, the SQL and the span an exemplar opens on. */
    enum Kind { STAGE, DIMENSION, FACT, ATTRIBUTE, RESOURCE, COMBINATION }

    /** Finds the span a property names in a trace (0: the trace as a whole). */
    interface SpanMatcher {
        long find(List<SpanRow> spans);
    }

    final Kind kind;
    /** Identity for combinations: two properties of the same key are alternatives, not a combination. */
    final String key;
    /** How the property reads after "N% of slow requests ...": "had retrieval · app.vector.shard = archive-1". */
    final String phrase;
    final Map<String, String> facts;
    final BitSet traces;
    /** 0: what a request is or where it went; 1: what happened to it (counts, outcomes); 2: where its time went. */
    final int tier;
    /** The property as a condition over {@code traces t}. */
    final String sql;
    final SpanMatcher span;
    /** The two properties of a combination (empty otherwise). */
    final List<Candidate> parts;

    int cC;
    int cR;
    double pC;
    double pR;
    double confidence;

    Candidate(Kind kind, String key, String phrase, Map<String, String> facts, BitSet traces, int tier, String sql,
            SpanMatcher span, List<Candidate> parts) {
        this.kind = kind;
        this.key = key;
        this.phrase = phrase;
        this.facts = facts;
        this.traces = traces;
        this.tier = tier;
        this.sql = sql;
        this.span = span;
        this.parts = parts;
    }

    Candidate(Kind kind, String key, String phrase, Map<String, String> facts, BitSet traces, int tier, String sql,
            SpanMatcher span) {
        this(kind, key, phrase, facts, traces, tier, sql, span, List.of());
    }

    /** Counts the property on both sides of the sample (confidence only when asked: it costs more). */
    Candidate measure(TraceSample s, boolean withConfidence) {
        cC = traces.get(0, s.cohortSize).cardinality();
        cR = traces.cardinality() - cC;
        pC = (double) cC / s.cohortSize;
        pR = s.restSize() == 0 ? 0 : (double) cR / s.restSize();
        if (withConfidence) {
            confidence = Proportions.confidence(cC, s.cohortSize, cR, s.restSize());
        }
        return this;
    }

    double diff() {
        return pC - pR;
    }

    double lift() {
        return pR <= 0 ? Double.POSITIVE_INFINITY : pC / pR;
    }

    double z(TraceSample s) {
        return Proportions.z(cC, s.cohortSize, cR, s.restSize());
    }

    /**
     * critical: pC − pR ≥ 0.5 and pC/pR ≥ 5; warning: pC − pR ≥ 0.35 and pC/pR ≥ 3; notice otherwise; what happened
     * to a request (tiers 1 and 2) one level lower (at least notice): it says what, not why.
     */
    Severity severity() {
        return severity(diff(), lift(), tier);
    }

    static Severity severity(double diff, double lift, int tier) {
        int level = diff >= 0.5 && lift >= 5 ? 3 : diff >= 0.35 && lift >= 3 ? 2 : 1;
        if (tier > 0) {
            level = Math.max(1, level - 1);
        }
        return Severity.values()[level];
    }

    /** How it reads as supporting evidence: "had ... (36% vs 17%)". */
    String withShares() {
        return phrase + " (" + RootCauseScorer.pct(pC) + " vs " + RootCauseScorer.pct(pR) + ")";
    }
}
