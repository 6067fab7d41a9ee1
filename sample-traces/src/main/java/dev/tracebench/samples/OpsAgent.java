package dev.tracebench.samples;

import java.util.List;

/**
 * ops-agent: a tool-using agent (LangChain-style) instrumented with OpenInference: {@code openinference.span.kind}
 * AGENT / LLM / TOOL / RETRIEVER / EMBEDDING / RERANKER / GUARDRAIL / CHAIN, flattened messages
 * ({@code llm.input_messages.N.message.*}), {@code llm.token_count.*}, {@code llm.cost.*} and indexed retrieved
 * documents ({@code retrieval.documents.N.document.*}, sometimes more than ten). The agent loops: plan, call tools
 * (a health check that sometimes times out and is retried), answer.
 */
final class OpsAgent {
    static final String SYSTEM = "You are Acme Flow's operations agent. Use the tools to look up documentation and "
            + "service health before answering. Be concise.";
    private static final String SCOPE = "openinference.instrumentation.langchain";
    private static final String SCOPE_VERSION = "0.1.29";

    private OpsAgent() {
    }

    static void generate(Req r) {
        Rand rnd = r.rnd;
        QuestionBank.Question q = r.question;
        GenSpan root = r.span(null, "POST /v1/agent/run", GenSpan.SERVER, Fleet.AGENT,
                "opentelemetry.instrumentation.fastapi", "0.48b0", r.t0, 0);
        root.attr("http.request.method", "POST").attr("http.route", "/v1/agent/run").attr("url.path", "/v1/agent/run")
                .attr("url.scheme", "https").attr("server.address", "agent.acme.example")
                .attr("app.tenant.id", r.tenant).attr("session.id", r.session);
        long t = r.t0 + rnd.latencyNs(0.6, 0.3);
        GenSpan agent = r.child(root, "AgentExecutor", GenSpan.INTERNAL, SCOPE, SCOPE_VERSION, t, 0);
        agent.attr("openinference.span.kind", "AGENT").attr("agent.name", "ops-agent")
                .attr("input.value", q.question()).attr("input.mime_type", "text/plain")
                .attr("session.id", r.session).attr("user.id", "user-" + (r.session.hashCode() & 0xfff))
                .attr("metadata", "{\"tenant\":\"" + r.tenant + "\",\"agent_version\":\"0.12.0\"}")
                .attr("tag.tags", List.of("ops", "agent-v2"));
        t += rnd.latencyNs(0.5, 0.3);

        long input = Req.tokens(SYSTEM) + Req.tokens(q.question()) + 210; // tool schemas
        // 1. plan: search the docs
        GenSpan plan = llm(r, agent, t, input, 30, "search_docs", "{\"query\":" + LlmCalls.json(q.question()) + "}",
                null);
        t = plan.endNs + rnd.latencyNs(0.4, 0.3);
        GenSpan tool = r.child(agent, "search_docs", GenSpan.INTERNAL, SCOPE, SCOPE_VERSION, t, 0);
        tool.attr("openinference.span.kind", "TOOL").attr("tool.name", "search_docs")
                .attr("tool.description", "Search the Acme Flow documentation")
                .attr("tool.parameters", "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\"}}}")
                .attr("input.value", "{\"query\":" + LlmCalls.json(q.question()) + "}")
                .attr("input.mime_type", "application/json");
        GenSpan retriever = r.child(tool, "VectorStoreRetriever", GenSpan.INTERNAL, SCOPE, SCOPE_VERSION,
                t + rnd.latencyNs(0.3, 0.2), 0);
        retriever.attr("openinference.span.kind", "RETRIEVER").attr("input.value", q.question());
        GenSpan emb = r.child(retriever, "OpenAIEmbeddings", GenSpan.INTERNAL, SCOPE, SCOPE_VERSION,
                retriever.startNs + rnd.latencyNs(0.2, 0.2), rnd.latencyNs(45, 0.35));
        emb.attr("openinference.span.kind", "EMBEDDING").attr("embedding.model_name", "text-embedding-3-small")
                .attr("embedding.embeddings.0.embedding.text", q.question())
                .attr("llm.token_count.prompt", Req.tokens(q.question()));
        int k = rnd.chance(0.35) ? 12 : 6;
        boolean empty = r.fleet.emptyRetrieval(r.t0, r.tenant); // the hallucination scenario's broken tenant filter
        r.affected |= empty;
        List<Req.Doc> docs = empty ? List.of() : r.retrieve(k);
        GenSpan search = r.child(retriever, "qdrant.search kb-docs", GenSpan.CLIENT,
                "opentelemetry.instrumentation.qdrant", "0.33.0", emb.endNs + rnd.latencyNs(0.2, 0.2),
                rnd.latencyNs(48, 0.4));
        search.attr("db.system.name", "qdrant").attr("db.collection.name", "kb-docs")
                .attr("app.vector.shard", "docs-" + rnd.nextInt(4)).attr("db.vector.query.top_k", (long) k)
                .attr("db.vector.query.result_count", (long) docs.size());
        for (int i = 0; i < docs.size(); i++) {
            Req.Doc d = docs.get(i);
            String p = "retrieval.documents." + i + ".document.";
            retriever.attr(p + "id", d.id()).attr(p + "score", d.score())
                    .attr(p + "content", KnowledgeBase.get(d.id()).text())
                    .attr(p + "metadata", "{\"title\":" + LlmCalls.json(KnowledgeBase.get(d.id()).title()) + "}");
        }
        retriever.end(search.endNs + rnd.latencyNs(0.5, 0.3));
        GenSpan rerank = r.child(tool, "LLMRerank", GenSpan.INTERNAL, SCOPE, SCOPE_VERSION,
                retriever.endNs + rnd.latencyNs(0.2, 0.2), rnd.latencyNs(95, 0.35));
        rerank.attr("openinference.span.kind", "RERANKER").attr("reranker.model_name", "rerank-english-v3.0")
                .attr("reranker.query", q.question()).attr("reranker.top_k", 4L);
        for (int i = 0; i < Math.min(4, docs.size()); i++) {
            rerank.attr("reranker.output_documents." + i + ".document.id", docs.get(i).id())
                    .attr("reranker.output_documents." + i + ".document.score", docs.get(i).score());
        }
        tool.end(rerank.endNs + rnd.latencyNs(0.3, 0.2));
        tool.attr("output.value", "[" + String.join(",", docs.subList(0, Math.min(4, docs.size())).stream()
                .map(d -> "\"" + d.id() + "\"").toList()) + "]");
        t = tool.endNs + rnd.latencyNs(0.4, 0.2);
        input += 4 * 95 + 40;

        // 2. sometimes check service health, with a retry after a timeout
        if (rnd.chance(0.45)) {
            GenSpan plan2 = llm(r, agent, t, input, 22, "get_service_health", "{\"service\":\"scheduler\"}", null);
            t = plan2.endNs + rnd.latencyNs(0.4, 0.2);
            for (int attempt = 1; attempt <= 2; attempt++) {
                boolean timeout = attempt == 1 && rnd.chance(0.12);
                GenSpan health = r.child(agent, "get_service_health", GenSpan.INTERNAL, SCOPE, SCOPE_VERSION, t,
                        timeout ? 5_000_000_000L : rnd.latencyNs(60, 0.5));
                health.attr("openinference.span.kind", "TOOL").attr("tool.name", "get_service_health")
                        .attr("input.value", "{\"service\":\"scheduler\"}").attr("app.tool.attempt", (long) attempt);
                GenSpan http = r.child(health, "GET", GenSpan.CLIENT, "opentelemetry.instrumentation.httpx",
                        "0.48b0", t + 300_000, health.durationNs() - 600_000);
                http.attr("http.request.method", "GET").attr("url.full", "https://status.acme.internal/api/health/scheduler")
                        .attr("server.address", "status.acme.internal");
                t = health.endNs + rnd.latencyNs(0.5, 0.2);
                if (timeout) {
                    http.attr("error.type", "timeout").fail("httpx.ReadTimeout", "timed out after 5s");
                    health.fail("ToolTimeout", "get_service_health timed out after 5s; retrying");
                    continue;
                }
                http.attr("http.response.status_code", 200L);
                health.attr("output.value", "{\"status\":\"degraded\",\"queue_depth\":" + rnd.nextInt(40) + "}");
                break;
            }
            input += 60;
        }

        // 3. answer
        String text = r.answer(docs.size()); // without passages the agent answers from memory
        GenSpan answer = llm(r, agent, t, input, Req.tokens(text) + 12, null, null, text);
        t = answer.endNs + rnd.latencyNs(0.3, 0.2);
        GenSpan guard = r.child(agent, "GuardrailsAI", GenSpan.INTERNAL, SCOPE, SCOPE_VERSION, t,
                rnd.latencyNs(22, 0.4));
        guard.attr("openinference.span.kind", "GUARDRAIL").attr("input.value", text)
                .attr("output.value", "{\"validation_passed\":true}");
        GenSpan format = r.child(agent, "format_answer", GenSpan.INTERNAL, SCOPE, SCOPE_VERSION, guard.endNs,
                rnd.latencyNs(1.5, 0.4));
        format.attr("openinference.span.kind", "CHAIN").attr("input.value", text)
                .attr("output.value", text);
        agent.end(format.endNs + rnd.latencyNs(0.3, 0.2));
        agent.attr("output.value", text).attr("output.mime_type", "text/plain");
        root.end(agent.endNs + rnd.latencyNs(0.8, 0.3));
        root.attr("http.response.status_code", 200L);
        if (rnd.chance(0.3)) {
            r.evaluate(answer, "run-" + rnd.alnum(16));
        }
    }

    /** One LLM span: a tool call ({@code toolName} set) or the final answer. */
    private static GenSpan llm(Req r, GenSpan parent, long start, long input, long output, String toolName,
            String toolArgs, String answer) {
        Rand rnd = r.rnd;
        Model m = Model.GPT_4O;
        long dur = rnd.latencyNs(m.ttftMs * (1 + input / 6000.0), 0.35) + (long) (output * m.msPerToken * 1e6
                * Math.exp(rnd.gaussian() * 0.18));
        GenSpan s = r.child(parent, "ChatOpenAI", GenSpan.INTERNAL, SCOPE, SCOPE_VERSION, start, dur);
        long cached = rnd.chance(0.5) ? input / 2 / 128 * 128 : 0;
        double promptCost = ((input - cached) * m.inputPrice + cached * m.cachedPrice) / 1e6;
        double completionCost = output * m.outputPrice / 1e6;
        s.attr("openinference.span.kind", "LLM").attr("llm.model_name", m.response).attr("llm.provider", "openai")
                .attr("llm.system", "openai").attr("llm.invocation_parameters", "{\"model\":\"gpt-4o\",\"temperature\":0}")
                .attr("llm.input_messages.0.message.role", "system").attr("llm.input_messages.0.message.content", SYSTEM)
                .attr("llm.input_messages.1.message.role", "user")
                .attr("llm.input_messages.1.message.content", r.question.question())
                .attr("llm.output_messages.0.message.role", "assistant")
                .attr("llm.token_count.prompt", input).attr("llm.token_count.completion", output)
                .attr("llm.token_count.total", input + output)
                .attr("llm.token_count.prompt_details.cache_read", cached)
                .attr("llm.cost.prompt", promptCost).attr("llm.cost.completion", completionCost)
                .attr("llm.cost.total", promptCost + completionCost);
        if (toolName != null) {
            s.attr("llm.output_messages.0.message.tool_calls.0.tool_call.id", "call_" + rnd.alnum(12))
                    .attr("llm.output_messages.0.message.tool_calls.0.tool_call.function.name", toolName)
                    .attr("llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments", toolArgs)
                    .attr("llm.finish_reason", "tool_calls");
        } else {
            s.attr("llm.output_messages.0.message.content", answer).attr("llm.finish_reason", "stop")
                    .attr("output.value", answer);
        }
        return s;
    }
}
