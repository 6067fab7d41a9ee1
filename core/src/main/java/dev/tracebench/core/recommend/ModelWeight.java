package dev.tracebench.core.recommend;

/**
 * A model (or model version) requests were served by, how it did, and the share of traffic it should get.
 *
 * @param model        the served model ({@code gen_ai.response.model}, else the requested one)
 * @param requests     requests it served in the window
 * @param errorRate    failed share of them
 * @param p95Ns        95th percentile of its model-call duration
 * @param passRate     share of its judged answers that passed their evals (NaN: none judged)
 * @param currentShare its share of the traffic now
 * @param weight       recommended share (weights of one group sum to 1)
 * @param group        models that can replace each other (the router's model name, e.g. "gpt-4o-mini")
 * @param provider     who serves it ({@code gen_ai.provider.name}: openai, anthropic, ...), or null; names the
 *                     model in a router config ({@code openai/gpt-4o-mini-2025-01-20})
 */
public record ModelWeight(String model, long requests, double errorRate, long p95Ns, double passRate,
        double currentShare, double weight, String group, String provider) {

    /** A weight whose provider is not known. */
    public ModelWeight(String model, long requests, double errorRate, long p95Ns, double passRate,
            double currentShare, double weight, String group) {
        this(model, requests, errorRate, p95Ns, passRate, currentShare, weight, group, null);
    }
}
