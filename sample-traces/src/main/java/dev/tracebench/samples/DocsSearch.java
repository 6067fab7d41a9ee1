package dev.tracebench.samples;

/**
 * docs-search: an answer-generating search endpoint still on the deprecated OpenTelemetry names: HTTP
 * ({@code http.method}, {@code http.status_code}), database ({@code db.system}) and GenAI ({@code gen_ai.system},
 * {@code gen_ai.usage.prompt_tokens}, the per-message events {@code gen_ai.user.message} and {@code gen_ai.choice}).
 */
final class DocsSearch {
    static final String SYSTEM = "Answer the search query in two sentences using only the documentation excerpts. "
            + "Say so if they do not contain the answer.";

    private DocsSearch() {
    }

    static void generate(Req r) {
        Rand rnd = r.rnd;
        QuestionBank.Question q = r.question;
        GenSpan root = r.span(null, "GET /api/search", GenSpan.SERVER, Fleet.DOCS,
                "opentelemetry.instrumentation.flask", "0.45b0", r.t0, 0);
        root.attr("http.method", "GET").attr("http.route", "/api/search").attr("http.scheme", "https")
                .attr("http.target", "/api/search?q=" + q.question().replace(' ', '+'))
                .attr("net.host.name", "docs.acme.example").attr("http.user_agent", "Mozilla/5.0")
                .attr("app.tenant.id", r.tenant).attr("session.id", r.session);
        long t = r.t0 + rnd.latencyNs(0.5, 0.3);
        GenSpan embed = r.child(root, "embeddings text-embedding-3-small", GenSpan.CLIENT,
                "opentelemetry.instrumentation.openai", "0.30b1", t, rnd.latencyNs(40 * (0.8 + 0.2 * r.load), 0.35));
        embed.attr("gen_ai.system", "openai").attr("gen_ai.operation.name", "embeddings")
                .attr("gen_ai.request.model", "text-embedding-3-small")
                .attr("gen_ai.usage.prompt_tokens", Req.tokens(q.question()));
        Retrieval.Outcome docs = Retrieval.search(r, root, embed.endNs + rnd.latencyNs(0.3, 0.2),
                Retrieval.Convention.DEPRECATED);
        t = docs.endNs();
        long k = docs.docs().size();
        if (k > 0) {
            GenSpan rerank = r.child(root, "cohere.rerank", GenSpan.CLIENT, "opentelemetry.instrumentation.cohere",
                    "0.30b1", t + rnd.latencyNs(0.3, 0.2), rnd.latencyNs(120, 0.35));
            rerank.attr("gen_ai.system", "cohere").attr("gen_ai.request.model", "rerank-english-v3.0")
                    .attr("app.rerank.input_documents", k).attr("app.rerank.top_n", 3L);
            t = rerank.endNs;
        }
        String answer = r.answer(k);
        Model model = rnd.chance(0.7) ? Model.GPT_4O_MINI : Model.GEMINI_FLASH;
        long input = Req.tokens(SYSTEM) + Math.min(3, k) * 95 + Req.tokens(q.question()) + 12;
        LlmCalls.Result result = LlmCalls.viaGateway(r, root, t + rnd.latencyNs(0.3, 0.2), model,
                LlmCalls.Convention.DEPRECATED, SYSTEM, q.question(), answer, input, 0, "stop", false);
        long end = result.endNs() + rnd.latencyNs(1.2, 0.4);
        root.end(end);
        if (result.ok()) {
            root.attr("http.status_code", 200L);
            if (rnd.chance(0.3)) {
                r.evaluate(result.span(), result.responseId());
            }
        } else {
            long status = result.span().statusMessage.contains("timed out") ? 504 : 502;
            root.attr("http.status_code", status);
            root.status = 2;
            root.statusMessage = "answer generation failed";
        }
    }
}
