package dev.tracebench.samples;

import java.util.Locale;

/**
 * The incidents the generator can plant in otherwise normal traffic. Each says what it changes, in which part of the
 * time window, and how a good analysis should explain it ({@link #headline}).
 */
public enum Scenario {
    /** Normal traffic only. */
    BASELINE("baseline", "", "", "", "",
            "no incident: latency, errors, tokens and quality are all within normal variation"),
    /** One shard of one vector collection becomes slow. */
    SLOW_SHARD("slow-shard", "db.collection.name", "kb-archive", "retrieval", "slow:p95",
            "slow requests are explained by retrieval on collection kb-archive (shard archive-1)"),
    /** A new model version rolls out to part of the traffic; it is slower and fails more. */
    MODEL_ROLLOUT("model-rollout", "gen_ai.response.model", "gpt-4o-mini-2025-01-20", "inference", "slow:p95",
            "slow and failing requests are explained by the new model version gpt-4o-mini-2025-01-20"),
    /** A deploy breaks the embedding and response caches: hit rates collapse and latency rises. */
    CACHE_REGRESSION("cache-regression", "service.version", "2.15.0", "retrieval", "slow:p50",
            "after support-assistant 2.15.0 the cache hit rate fell from about 35% to 3% and typical latency rose"),
    /** A prompt-template version doubles input tokens and cost. */
    PROMPT_BLOAT("prompt-bloat", "app.prompt.template.version", "v8", "prompt", "tokens:p90",
            "prompt template v8 doubles input tokens and cost"),
    /** Retrieval returns nothing for one tenant, and the answers stop being grounded. */
    HALLUCINATION_SPIKE("hallucination-spike", "app.tenant.id", "t-initech", "retrieval",
            "eval:groundedness=hallucinated",
            "ungrounded answers come from tenant t-initech, whose retrievals return no documents"),
    /**
     * An interaction: a new model version is slow only for one tenant. Neither the version nor the tenant alone
     * explains the slow requests; the combination does.
     */
    TENANT_MODEL("tenant-model", "app.tenant.id", "t-globex", "inference", "slow:p95",
            "slow requests are tenant t-globex on model version gpt-4o-mini-2025-01-20 (the combination, not either "
                    + "alone)"),
    /** The bundled demo: normal traffic with a slow shard early on and a model rollout later. */
    DEMO("demo", "", "", "", "",
            "a slow kb-archive shard in the first half, then a slower, failing model version in the second");

    private final String id;
    private final String dimension;
    private final String value;
    private final String stage;
    private final String cohort;
    private final String headline;

    Scenario(String id, String dimension, String value, String stage, String cohort, String headline) {
        this.id = id;
        this.dimension = dimension;
        this.value = value;
        this.stage = stage;
        this.cohort = cohort;
        this.headline = headline;
    }

    /** The name used on the command line and in truth.json. */
    public String id() {
        return id;
    }

    /** The attribute whose value explains the incident (empty for baseline/demo). */
    public String dimension() {
        return dimension;
    }

    public String value() {
        return value;
    }

    /** The stage the incident is in. */
    public String stage() {
        return stage;
    }

    /** The cohort an analysis should compare with the rest to find the cause (slow:p95, errors, ...). */
    public String cohort() {
        return cohort;
    }

    /** What a good analysis should conclude, in words. */
    public String headline() {
        return headline;
    }

    public static Scenario of(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Scenario s : values()) {
            if (s.id.equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + name + "' (" + names() + ")");
    }

    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (Scenario s : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(s.id);
        }
        return sb.toString();
    }
}
