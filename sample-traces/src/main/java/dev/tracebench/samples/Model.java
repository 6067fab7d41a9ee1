package dev.tracebench.samples;

/**
 * The models the sample fleet calls, with list prices (USD per million tokens: input, output, cached input) and
 * latency shape (time to first token for a short prompt, milliseconds per output token).
 */
enum Model {
    GPT_4O_MINI("gpt-4o-mini", "gpt-4o-mini-2024-07-18", "openai", 0.15, 0.60, 0.075, 380, 17),
    /** The version the model-rollout scenario ships: slower and less reliable. */
    GPT_4O_MINI_NEW("gpt-4o-mini", "gpt-4o-mini-2025-01-20", "openai", 0.15, 0.60, 0.075, 820, 27),
    /** How the new version behaves for one tenant's long prompts in the tenant-model scenario (never served). */
    GPT_4O_MINI_NEW_LONG_CONTEXT("gpt-4o-mini", "gpt-4o-mini-2025-01-20", "openai", 0.15, 0.60, 0.075, 1640, 54),
    GPT_4O("gpt-4o", "gpt-4o-2024-08-06", "openai", 2.50, 10.00, 1.25, 450, 22),
    CLAUDE_HAIKU("claude-3-5-haiku", "claude-3-5-haiku-20241022", "anthropic", 0.80, 4.00, 0.08, 520, 13),
    CLAUDE_SONNET("claude-3-5-sonnet", "claude-3-5-sonnet-20241022", "anthropic", 3.00, 15.00, 0.30, 700, 20),
    GEMINI_FLASH("gemini-1.5-flash", "gemini-1.5-flash-002", "gcp.vertex_ai", 0.075, 0.30, 0.01875, 300, 8),
    EMBEDDING_SMALL("text-embedding-3-small", "text-embedding-3-small", "openai", 0.02, 0, 0, 30, 0);

    final String request;
    final String response;
    final String provider;
    final double inputPrice;
    final double outputPrice;
    final double cachedPrice;
    final double ttftMs;
    final double msPerToken;

    Model(String request, String response, String provider, double inputPrice, double outputPrice,
            double cachedPrice, double ttftMs, double msPerToken) {
        this.request = request;
        this.response = response;
        this.provider = provider;
        this.inputPrice = inputPrice;
        this.outputPrice = outputPrice;
        this.cachedPrice = cachedPrice;
        this.ttftMs = ttftMs;
        this.msPerToken = msPerToken;
    }

    /** USD for one call at list price. */
    double cost(long input, long cached, long output) {
        return ((input - cached) * inputPrice + cached * cachedPrice + output * outputPrice) / 1e6;
    }

    /** The deprecated {@code gen_ai.system} value for the provider. */
    String legacySystem() {
        return provider.equals("gcp.vertex_ai") ? "vertex_ai" : provider;
    }
}
