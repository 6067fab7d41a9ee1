package dev.tracebench.samples;

import java.util.List;

/**
 * support-assistant: a RAG chat endpoint instrumented with the current OpenTelemetry GenAI conventions
 * ({@code gen_ai.provider.name}, {@code gen_ai.usage.input_tokens}, {@code gen_ai.input.messages}). Response cache,
 * input validation, prompt rendering, query embedding (embedding cache), vector search (a second collection in
 * parallel for some queries), document fetch, reranking, the model call through the gateway, sometimes a tool call
 * and a second model call, an output guardrail and formatting.
 */
final class SupportAssistant {
    static final String SYSTEM = "You are the support assistant for Acme Flow. Answer only from the documentation "
            + "passages provided. Cite passage ids. If the passages do not answer the question, say that the "
            + "documentation does not cover it.";
    private static final String FEW_SHOT = " Examples of good answers follow. ".repeat(45);

    private SupportAssistant() {
    }

    static void generate(Req r) {
        Fleet f = r.fleet;
        Rand rnd = r.rnd;
        QuestionBank.Question q = r.question;
        if (f.cacheRegressed(r.t0)) {
            r.affected = true;
        }
        GenSpan root = r.span(null, "POST /v1/chat", GenSpan.SERVER, Fleet.SUPPORT,
                "opentelemetry.instrumentation.fastapi", "0.48b0", r.t0, 0);
        root.attr("http.request.method", "POST").attr("http.route", "/v1/chat").attr("url.path", "/v1/chat")
                .attr("url.scheme", "https").attr("server.address", "assistant.acme.example")
                .attr("network.protocol.version", "1.1")
                .attr("user_agent.original", rnd.chance(0.7) ? "acmeflow-web/5.2.0" : "acmeflow-cli/3.1.4")
                .attr("client.address", "10.42." + rnd.nextInt(8) + "." + (2 + rnd.nextInt(250)))
                .attr("app.tenant.id", r.tenant).attr("session.id", r.session)
                .attr("enduser.id", "user-" + Integer.toHexString((r.session + r.tenant).hashCode() & 0xffff));
        long t = r.t0 + rnd.latencyNs(0.4, 0.3);

        GenSpan cache = r.child(root, "semantic_cache lookup", GenSpan.INTERNAL, "acme.rag.cache", "2.1.0", t,
                rnd.latencyNs(3.5, 0.35));
        boolean hit = q.answerable() && rnd.chance(f.responseCacheHitRate(r.t0));
        cache.attr("app.cache.name", "response-cache").attr("app.cache.hit", hit)
                .attr("app.cache.similarity", Req.round3(hit ? rnd.uniform(0.95, 0.99) : rnd.uniform(0.4, 0.9)));
        t = cache.endNs;
        if (hit) {
            GenSpan fmt = r.child(root, "format_response", GenSpan.INTERNAL, "acme.rag.pipeline", "2.1.0", t,
                    rnd.latencyNs(1.2, 0.4));
            fmt.attr("app.output.chars", (long) q.answer().length()).attr("app.response.source", "cache");
            finish(root, fmt.endNs + rnd.latencyNs(0.5, 0.3), 200);
            return;
        }

        GenSpan validate = r.child(root, "validate_input", GenSpan.INTERNAL, "acme.rag.pipeline", "2.1.0", t,
                rnd.latencyNs(3, 0.4));
        validate.attr("app.input.chars", (long) q.question().length()).attr("app.input.language", "en")
                .attr("app.input.pii_detected", false);
        t = validate.endNs;

        boolean bloat = f.promptBloat(r.t0) && rnd.chance(0.4);
        if (bloat) {
            r.affected = true;
        }
        String template = bloat ? "v8" : "v7";
        long systemTokens = Req.tokens(SYSTEM) + (bloat ? Req.tokens(FEW_SHOT) * 1 : 0);
        GenSpan render = r.child(root, "render_prompt support-answer", GenSpan.INTERNAL, "acme.rag.pipeline",
                "2.1.0", t, rnd.latencyNs(bloat ? 4.5 : 2.2, 0.4));
        render.attr("gen_ai.prompt.name", "support-answer").attr("app.prompt.template.version", template)
                .attr("app.prompt.system_tokens", systemTokens).attr("app.tokenizer", "o200k_base");
        t = render.endNs;

        // retrieval
        GenSpan retrieve = r.child(root, "retrieve_context", GenSpan.INTERNAL, "acme.rag.pipeline", "2.1.0", t, 0);
        boolean embHit = rnd.chance(f.embeddingCacheHitRate(r.t0));
        GenSpan embed = r.child(retrieve, "embeddings text-embedding-3-small", GenSpan.CLIENT,
                "opentelemetry.instrumentation.openai_v2", "2.1b0", t + rnd.latencyNs(0.2, 0.2),
                embHit ? rnd.latencyNs(1.4, 0.3) : rnd.latencyNs(38 * (0.8 + 0.2 * r.load), 0.35));
        embed.attr("gen_ai.operation.name", "embeddings").attr("gen_ai.provider.name", "openai")
                .attr("gen_ai.request.model", "text-embedding-3-small")
                .attr("gen_ai.embeddings.dimension.count", 1536L)
                .attr("gen_ai.usage.input_tokens", Req.tokens(q.question())).attr("app.cache.hit", embHit)
                .attr("app.cache.name", "embedding-cache");
        Retrieval.Outcome docs = Retrieval.search(r, retrieve, embed.endNs + rnd.latencyNs(0.2, 0.2),
                Retrieval.Convention.CURRENT);
        long k = docs.docs().size();
        long afterSearch = docs.endNs();
        if (k > 0) {
            GenSpan fetch = r.child(retrieve, "SELECT documents", GenSpan.CLIENT,
                    "opentelemetry.instrumentation.asyncpg", "0.48b0", afterSearch + rnd.latencyNs(0.2, 0.2),
                    rnd.latencyNs(6 + k, 0.35));
            fetch.attr("db.system.name", "postgresql").attr("db.operation.name", "SELECT")
                    .attr("db.collection.name", "documents").attr("db.namespace", "kb")
                    .attr("db.query.summary", "SELECT documents").attr("db.response.returned_rows", k)
                    .attr("server.address", "kb-db.ai-prod.svc");
            GenSpan rerank = r.child(retrieve, "rerank bge-reranker-v2", GenSpan.INTERNAL, "acme.rag.rerank",
                    "2.1.0", fetch.endNs + rnd.latencyNs(0.2, 0.2), rnd.latencyNs(14 + 2.5 * k, 0.3));
            rerank.attr("app.rerank.model", "bge-reranker-v2-m3").attr("app.rerank.input_documents", k)
                    .attr("app.rerank.top_n", 3L);
            afterSearch = rerank.endNs;
        }
        retrieve.end(afterSearch + rnd.latencyNs(0.3, 0.2));
        retrieve.attr("app.retrieval.documents", k);
        t = retrieve.endNs;

        // the answer
        String answer = r.answer(k);
        long input = systemTokens + Math.min(3, k) * 95 + Req.tokens(q.question()) + 20;
        long cached = rnd.chance(0.4) ? input / 2 / 64 * 64 : 0;
        Model model = rnd.chance(0.72) ? Model.GPT_4O_MINI : Model.CLAUDE_HAIKU;
        boolean tool = q.passageIds().contains("kb-016") || rnd.chance(0.1);
        if (tool) {
            LlmCalls.Result plan = LlmCalls.viaGateway(r, root, t, model, LlmCalls.Convention.CURRENT, SYSTEM,
                    q.question(), "", input, cached, "tool_calls", true);
            if (!plan.ok()) {
                finish(root, plan.endNs() + rnd.latencyNs(1, 0.3), plan.span().statusMessage.contains("timed out")
                        ? 504 : 502);
                return;
            }
            t = plan.endNs() + rnd.latencyNs(0.4, 0.2);
            GenSpan exec = r.child(root, "execute_tool get_workspace_status", GenSpan.INTERNAL, "acme.rag.tools",
                    "2.1.0", t, rnd.latencyNs(70, 0.6));
            exec.attr("gen_ai.operation.name", "execute_tool").attr("gen_ai.tool.name", "get_workspace_status")
                    .attr("gen_ai.tool.type", "function").attr("gen_ai.tool.call.id", "call_" + rnd.alnum(12))
                    .attr("gen_ai.tool.call.arguments", "{\"tenant\":\"" + r.tenant + "\"}")
                    .attr("gen_ai.tool.call.result", "{\"workers_busy\":" + (2 + rnd.nextInt(3))
                            + ",\"pending_runs\":" + rnd.nextInt(9) + "}");
            t = exec.endNs + rnd.latencyNs(0.4, 0.2);
            input += 140;
        }
        LlmCalls.Result result = LlmCalls.viaGateway(r, root, t, model, LlmCalls.Convention.CURRENT, SYSTEM,
                q.question(), answer, input, cached, "stop", false);
        if (!result.ok()) {
            finish(root, result.endNs() + rnd.latencyNs(1, 0.3), result.span().statusMessage.contains("timed out")
                    ? 504 : 502);
            return;
        }
        t = result.endNs() + rnd.latencyNs(0.3, 0.2);

        GenSpan guard = r.child(root, "guardrail output_check", GenSpan.INTERNAL, "acme.rag.guardrails", "2.1.0", t,
                rnd.latencyNs(14, 0.4));
        boolean blocked = rnd.chance(0.008);
        guard.attr("app.guardrail.name", "pii+toxicity").attr("app.guardrail.verdict", blocked ? "block" : "pass")
                .attr("app.guardrail.score", Req.round3(blocked ? rnd.uniform(0.7, 0.95) : rnd.uniform(0, 0.08)));
        if (blocked) {
            guard.fail("GuardrailViolation", "output blocked: possible PII in the answer");
            finish(root, guard.endNs + rnd.latencyNs(1, 0.3), 422);
            return;
        }
        GenSpan fmt = r.child(root, "format_response", GenSpan.INTERNAL, "acme.rag.pipeline", "2.1.0",
                guard.endNs, rnd.latencyNs(1.4, 0.4));
        fmt.attr("app.output.chars", (long) answer.length()).attr("app.output.citations", Math.min(3, k))
                .attr("app.response.source", "model");
        finish(root, fmt.endNs + rnd.latencyNs(0.6, 0.3), 200);
        if (rnd.chance(0.3)) {
            r.evaluate(result.span(), result.responseId());
        }
    }

    static void finish(GenSpan root, long end, long status) {
        root.end(end);
        root.attr("http.response.status_code", status);
        if (status >= 500 || status == 422) {
            root.status = 2;
            root.statusMessage = status == 422 ? "response blocked by the output guardrail"
                    : status == 504 ? "upstream model call timed out" : "upstream model call failed";
            root.attr("error.type", Long.toString(status));
        }
    }

}
