package dev.tracebench.samples;

import java.util.List;

/**
 * The fleet's environment over time: diurnal load, and when and how the scenario's incident changes behaviour.
 * Times are epoch nanoseconds; the incident windows are fractions of the generated time range.
 */
final class Fleet {
    static final String SUPPORT = "support-assistant";
    static final String DOCS = "docs-search";
    static final String AGENT = "ops-agent";
    static final String TICKETS = "ticket-summarizer";
    static final String GATEWAY = "llm-gateway";

    /** Share of requests per application: support, docs search, ops agent, ticket summarizer. */
    static final double[] APP_MIX = {0.45, 0.25, 0.15, 0.15};
    static final List<String> TENANTS = List.of("t-acme", "t-globex", "t-initech", "t-umbrella", "t-hooli",
            "t-stark", "t-wayne");
    static final double[] TENANT_WEIGHTS = {0.26, 0.20, 0.12, 0.14, 0.11, 0.10, 0.07};

    final Scenario scenario;
    final long startNs;
    final long windowNs;

    Fleet(Scenario scenario, long startNs, long windowNs) {
        this.scenario = scenario;
        this.startNs = startNs;
        this.windowNs = Math.max(1, windowNs);
    }

    /** Position in the generated time range, 0 at the start, about 1 at the end. */
    double fraction(long t) {
        return (t - startNs) / (double) windowNs;
    }

    /** Relative request rate at time t (mean 1): busy in the afternoon (UTC), quiet at night. */
    static double diurnal(long t) {
        double hour = ((t / 1_000_000_000L) % 86_400) / 3600.0;
        return 1 + 0.55 * Math.sin(2 * Math.PI * (hour - 10) / 24);
    }

    // ------------------------------------------------------------------ incidents

    boolean slowShard(long t) {
        double f = fraction(t);
        return scenario == Scenario.SLOW_SHARD && f >= 0.35 && f <= 0.85
                || scenario == Scenario.DEMO && f >= 0.15 && f <= 0.45;
    }

    boolean rollout(long t) {
        double f = fraction(t);
        return (scenario == Scenario.MODEL_ROLLOUT || scenario == Scenario.TENANT_MODEL) && f >= 0.4
                || scenario == Scenario.DEMO && f >= 0.6;
    }

    /** The tenant whose requests the new model version is slow for, in the tenant-model scenario. */
    static final String SLOW_TENANT = "t-globex";

    /**
     * How the model serving a call behaves for a tenant. In the tenant-model scenario the new version is as fast and
     * reliable as the old one, except for {@link #SLOW_TENANT}, whose long system prompts meet a long-context
     * regression (modelled as the rollout scenario's slow version, twice over); elsewhere the served model itself.
     */
    Model behaviour(Model served, String tenant) {
        if (scenario != Scenario.TENANT_MODEL || served != Model.GPT_4O_MINI_NEW) {
            return served;
        }
        return tenant.equals(SLOW_TENANT) ? Model.GPT_4O_MINI_NEW_LONG_CONTEXT : Model.GPT_4O_MINI;
    }

    boolean cacheRegressed(long t) {
        return scenario == Scenario.CACHE_REGRESSION && fraction(t) >= 0.5;
    }

    boolean promptBloat(long t) {
        return scenario == Scenario.PROMPT_BLOAT && fraction(t) >= 0.3;
    }

    boolean emptyRetrieval(long t, String tenant) {
        double f = fraction(t);
        return scenario == Scenario.HALLUCINATION_SPIKE && f >= 0.45 && f <= 0.95 && tenant.equals("t-initech");
    }

    /**
     * The demo's quality problems, in answers whose passages were retrieved: 4% of answers to documented questions
     * ignore them and make things up, 2% answer another question. Chosen by the trace id, not a random draw, so the
     * rest of the traffic is what it would be without them.
     */
    Req.Flaw flaw(Req r) {
        String kind = r.question.kind();
        if (scenario != Scenario.DEMO || !(kind.equals("single") || kind.equals("multi") || kind.equals("number"))) {
            return Req.Flaw.NONE;
        }
        long m = Long.remainderUnsigned(r.traceLo, 100);
        return m < 4 ? Req.Flaw.IGNORES_PASSAGES : m < 6 ? Req.Flaw.OFF_TOPIC : Req.Flaw.NONE;
    }

    /** support-assistant's deployed version: the cache-regression scenario deploys 2.15.0 halfway. */
    String supportVersion(long t) {
        return cacheRegressed(t) ? "2.15.0" : "2.14.1";
    }

    double embeddingCacheHitRate(long t) {
        return cacheRegressed(t) ? 0.03 : 0.35;
    }

    double responseCacheHitRate(long t) {
        return cacheRegressed(t) ? 0.02 : 0.20;
    }

    /** Share of gateway traffic the new model version serves once the rollout has started. */
    static final double ROLLOUT_SHARE = 0.35;

    /** Resource attributes of a service (version and pod differ per deploy). */
    static List<GenSpan.Attr> resource(String service, String version) {
        String lang = switch (service) {
            case GATEWAY -> "go";
            case TICKETS -> "nodejs";
            default -> "python";
        };
        String pod = service + "-" + Integer.toHexString((service + version).hashCode() & 0xfffff) + "-"
                + (version.endsWith("0") ? "q8wpz" : "x2klm");
        return List.of(new GenSpan.Attr("service.name", service), new GenSpan.Attr("service.version", version),
                new GenSpan.Attr("service.namespace", "acme-ai"),
                new GenSpan.Attr("deployment.environment.name", "production"),
                new GenSpan.Attr("telemetry.sdk.name", "opentelemetry"),
                new GenSpan.Attr("telemetry.sdk.language", lang),
                new GenSpan.Attr("telemetry.sdk.version", lang.equals("go") ? "1.32.0" : "1.29.0"),
                new GenSpan.Attr("host.arch", "amd64"),
                new GenSpan.Attr("k8s.namespace.name", "ai-prod"),
                new GenSpan.Attr("k8s.pod.name", pod),
                new GenSpan.Attr("cloud.provider", "aws"), new GenSpan.Attr("cloud.region", "eu-central-1"));
    }

    static String version(String service) {
        return switch (service) {
            case DOCS -> "1.8.3";
            case AGENT -> "0.12.0";
            case TICKETS -> "3.4.1";
            case GATEWAY -> "0.9.3";
            default -> "2.14.1";
        };
    }
}
