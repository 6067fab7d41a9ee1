package dev.tracebench.samples;

/**
 * ticket-summarizer: a Node.js service instrumented with OpenLLMetry (Traceloop): workflow and task spans
 * ({@code traceloop.span.kind}), indexed prompts and completions ({@code gen_ai.prompt.N.content},
 * {@code gen_ai.completion.N.content}), {@code gen_ai.usage.prompt_tokens}, the underscore cache-token name
 * {@code gen_ai.usage.cache_read_input_tokens} and {@code llm.usage.total_tokens}. It classifies a support ticket
 * with one model, summarises it with another (retrying when the provider is overloaded) and posts the summary to
 * the CRM.
 */
final class TicketSummarizer {
    private static final String SDK = "@traceloop/node-server-sdk";
    private static final String SDK_VERSION = "0.11.6";

    private TicketSummarizer() {
    }

    static void generate(Req r) {
        Rand rnd = r.rnd;
        QuestionBank.Question q = r.question;
        long ticket = 40_000 + rnd.nextInt(60_000);
        String ticketText = "Customer " + r.tenant + " writes: \"" + q.question() + "\" They are on the "
                + (rnd.chance(0.6) ? "Team" : "Enterprise") + " plan and have asked twice before.";
        GenSpan root = r.span(null, "POST /v1/tickets/summarize", GenSpan.SERVER, Fleet.TICKETS,
                "@opentelemetry/instrumentation-http", "0.57.1", r.t0, 0);
        root.attr("http.request.method", "POST").attr("http.route", "/v1/tickets/summarize")
                .attr("url.path", "/v1/tickets/summarize").attr("server.address", "tickets.acme.internal")
                .attr("app.tenant.id", r.tenant).attr("app.ticket.id", ticket);
        long t = r.t0 + rnd.latencyNs(0.7, 0.3);
        GenSpan wf = r.child(root, "summarize_ticket.workflow", GenSpan.INTERNAL, SDK, SDK_VERSION, t, 0);
        wf.attr("traceloop.span.kind", "workflow").attr("traceloop.workflow.name", "summarize_ticket")
                .attr("traceloop.entity.name", "summarize_ticket")
                .attr("traceloop.entity.input", "{\"ticket_id\":" + ticket + "}")
                .attr("traceloop.association.properties.tenant_id", r.tenant);
        t += rnd.latencyNs(0.3, 0.2);

        GenSpan fetch = task(r, wf, "fetch_ticket", t, 0);
        GenSpan sql = r.child(fetch, "pg.query:SELECT support", GenSpan.CLIENT, "@opentelemetry/instrumentation-pg",
                "0.50.0", t + rnd.latencyNs(0.2, 0.2), rnd.latencyNs(4, 0.4));
        sql.attr("db.system", "postgresql").attr("db.name", "support")
                .attr("db.statement", "SELECT id, body, customer FROM tickets WHERE id = $1")
                .attr("net.peer.name", "support-db.ai-prod.svc");
        fetch.end(sql.endNs + rnd.latencyNs(0.3, 0.2));
        t = fetch.endNs;

        GenSpan classify = task(r, wf, "classify_ticket", t, 0);
        GenSpan c1 = chat(r, classify, t + rnd.latencyNs(0.3, 0.2), Model.GPT_4O_MINI,
                "Classify the support ticket into one of: billing, security, pipelines, account, other.",
                ticketText, "{\"category\":\"" + category(q) + "\"}", 1);
        classify.end(c1.endNs + rnd.latencyNs(0.3, 0.2));
        t = classify.endNs;

        GenSpan summarize = task(r, wf, "summarize", t, 0);
        String summary = "The customer asks: " + q.question() + " Suggested reply: " + q.answer();
        GenSpan c2 = null;
        long at = t + rnd.latencyNs(0.3, 0.2);
        for (int attempt = 1; attempt <= 3; attempt++) {
            c2 = chat(r, summarize, at, Model.CLAUDE_SONNET,
                    "Summarise the ticket for a support engineer in two sentences and draft a reply.", ticketText,
                    summary, attempt);
            if (c2.status != 2) {
                break;
            }
            at = c2.endNs + (long) (rnd.uniform(0.5, 2.0) * 1e9 * attempt);
        }
        summarize.end(c2.endNs + rnd.latencyNs(0.3, 0.2));
        t = summarize.endNs;
        if (c2.status == 2) {
            summarize.fail("APIError", "summary failed after 3 attempts: overloaded");
            wf.end(t + rnd.latencyNs(0.3, 0.2));
            wf.status = 2;
            root.end(wf.endNs + rnd.latencyNs(0.5, 0.2));
            root.attr("http.response.status_code", 502L);
            root.status = 2;
            root.statusMessage = "summary failed";
            return;
        }

        GenSpan post = r.child(wf, "post_to_crm.tool", GenSpan.INTERNAL, SDK, SDK_VERSION, t, 0);
        post.attr("traceloop.span.kind", "tool").attr("traceloop.entity.name", "post_to_crm");
        GenSpan http = r.child(post, "POST", GenSpan.CLIENT, "@opentelemetry/instrumentation-undici", "0.10.0",
                t + rnd.latencyNs(0.2, 0.2), rnd.latencyNs(35, 0.5));
        http.attr("http.request.method", "POST").attr("url.full", "https://crm.acme.internal/api/tickets/" + ticket
                + "/notes").attr("server.address", "crm.acme.internal").attr("http.response.status_code", 201L);
        post.end(http.endNs + rnd.latencyNs(0.3, 0.2));
        wf.end(post.endNs + rnd.latencyNs(0.3, 0.2));
        wf.attr("traceloop.entity.output", "{\"summary\":" + LlmCalls.json(summary) + "}");
        root.end(wf.endNs + rnd.latencyNs(0.6, 0.3));
        root.attr("http.response.status_code", 200L);
        r.grounded = true;
        if (rnd.chance(0.3)) {
            rnd.alnum(20); // once an invented response id: still drawn, so the rest of the traffic stays the same
            r.evaluate(c2, (String) c2.valueOf("gen_ai.response.id"));
        }
    }

    private static GenSpan task(Req r, GenSpan parent, String name, long start, long dur) {
        GenSpan s = r.child(parent, name + ".task", GenSpan.INTERNAL, SDK, SDK_VERSION, start, dur);
        s.attr("traceloop.span.kind", "task").attr("traceloop.entity.name", name)
                .attr("traceloop.workflow.name", "summarize_ticket");
        return s;
    }

    private static GenSpan chat(Req r, GenSpan parent, long start, Model m, String system, String user, String output,
            int attempt) {
        Rand rnd = r.rnd;
        long input = Req.tokens(system) + Req.tokens(user) + 8;
        long out = Req.tokens(output) + 4;
        boolean overloaded = m.provider.equals("anthropic") && rnd.chance(0.05 * r.load);
        long dur = overloaded ? rnd.latencyNs(300, 0.4) : rnd.latencyNs(m.ttftMs * (1 + input / 6000.0), 0.35)
                + (long) (out * m.msPerToken * 1e6 * Math.exp(rnd.gaussian() * 0.18));
        String name = m.provider.equals("anthropic") ? "anthropic.chat" : "openai.chat";
        GenSpan s = r.child(parent, name, GenSpan.CLIENT, m.provider.equals("anthropic")
                ? "@traceloop/instrumentation-anthropic" : "@traceloop/instrumentation-openai", "0.11.4", start, dur);
        s.attr("llm.request.type", "chat").attr("gen_ai.system", m.legacySystem())
                .attr("gen_ai.request.model", m.request).attr("gen_ai.request.temperature", 0.0)
                .attr("gen_ai.request.max_tokens", 400L).attr("llm.is_streaming", false)
                .attr("gen_ai.prompt.0.role", "system").attr("gen_ai.prompt.0.content", system)
                .attr("gen_ai.prompt.1.role", "user").attr("gen_ai.prompt.1.content", user)
                .attr("app.attempt", (long) attempt);
        if (overloaded) {
            s.attr("error.type", "529").fail("OverloadedError", "529 {\"type\":\"overloaded_error\",\"message\":"
                    + "\"Overloaded\"}");
            return s;
        }
        long cached = rnd.chance(0.3) ? 64 : 0;
        s.attr("gen_ai.response.model", m.response).attr("gen_ai.response.id", "msg_" + rnd.alnum(20))
                .attr("gen_ai.completion.0.role", "assistant").attr("gen_ai.completion.0.content", output)
                .attr("gen_ai.completion.0.finish_reason", "stop")
                .attr("gen_ai.usage.prompt_tokens", input).attr("gen_ai.usage.completion_tokens", out)
                .attr("gen_ai.usage.cache_read_input_tokens", cached).attr("llm.usage.total_tokens", input + out);
        return s;
    }

    private static String category(QuestionBank.Question q) {
        String text = q.question().toLowerCase(java.util.Locale.ROOT);
        if (text.contains("price") || text.contains("cost") || text.contains("bill") || text.contains("refund")
                || text.contains("plan")) {
            return "billing";
        }
        if (text.contains("sso") || text.contains("key") || text.contains("secret") || text.contains("audit")) {
            return "security";
        }
        if (text.contains("pipeline") || text.contains("run") || text.contains("step") || text.contains("trigger")) {
            return "pipelines";
        }
        return q.answerable() ? "account" : "other";
    }
}
