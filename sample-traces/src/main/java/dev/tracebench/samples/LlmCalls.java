package dev.tracebench.samples;

import java.util.List;

/**
 * Model calls as the sample fleet makes them: through the shared llm-gateway (queue, then the provider call), with
 * provider throttling (429), overload (503) and timeouts, and a retry. The app-side span carries the GenAI
 * attributes in the app's convention (current or deprecated OTel names); the gateway's spans show where the time
 * went (queueing versus generation).
 */
final class LlmCalls {
    /** How a call ended. */
    record Result(GenSpan span, boolean ok, long endNs, long outputTokens, String responseId, Model served) {
    }

    /** Which attribute names the calling app uses. */
    enum Convention {
        CURRENT, DEPRECATED
    }

    private LlmCalls() {
    }

    /**
     * Calls {@code model} through the gateway, retrying once after a throttle or overload.
     *
     * @param question the user's text (for the messages attributes); {@code answer} the text generated
     */
    static Result viaGateway(Req r, GenSpan parent, long start, Model model, Convention conv, String system,
            String question, String answer, long inputTokens, long cachedTokens, String finishReason,
            boolean toolCall) {
        Model served = model;
        if (model == Model.GPT_4O_MINI && r.fleet.rollout(r.t0) && r.rnd.chance(Fleet.ROLLOUT_SHARE)) {
            served = Model.GPT_4O_MINI_NEW;
            r.affected |= r.fleet.scenario == Scenario.MODEL_ROLLOUT || r.fleet.scenario == Scenario.DEMO
                    || r.fleet.behaviour(served, r.tenant) == Model.GPT_4O_MINI_NEW_LONG_CONTEXT;
        }
        long t = start;
        Result last = null;
        // docs-search's older client does not retry; the others retry once
        int attempts = conv == Convention.DEPRECATED ? 1 : 2;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            last = attempt(r, parent, t, model, served, conv, system, question, answer, inputTokens, cachedTokens,
                    finishReason, toolCall, attempt);
            if (last.ok()) {
                return last;
            }
            if (last.span().statusMessage != null && last.span().statusMessage.contains("timed out")) {
                return last; // no retry after a 30 s timeout: the request is over
            }
            t = last.endNs() + (long) (r.rnd.uniform(0.4, 1.2) * 1e9);
        }
        return last;
    }

    private static Result attempt(Req r, GenSpan parent, long start, Model model, Model served, Convention conv,
            String system, String question, String answer, long inputTokens, long cachedTokens, String finishReason,
            boolean toolCall, int attempt) {
        Rand rnd = r.rnd;
        Model behaves = r.fleet.behaviour(served, r.tenant); // latency and failures; attributes name the served one
        long outputTokens = toolCall ? 18 + rnd.nextInt(24)
                : Math.max(8, Req.tokens(answer) + (long) (rnd.gaussian() * 12) + 10);
        // queueing in the gateway grows steeply with load
        long queueNs = rnd.latencyNs(6 * Math.pow(r.load, 3), 0.8);
        double ttftMs = behaves.ttftMs * (1 + inputTokens / 6000.0);
        long ttftNs = rnd.latencyNs(ttftMs, 0.35);
        long perTokenNs = (long) (behaves.msPerToken * 1e6 * Math.exp(rnd.gaussian() * 0.18));
        long genNs = outputTokens * perTokenNs;

        double p429 = 0.012 * r.load * r.load;
        double p503 = behaves == Model.GPT_4O_MINI_NEW ? 0.12 : 0.004;
        double pTimeout = 0.006;
        double roll = rnd.uniform();
        String failure = roll < p429 ? "429" : roll < p429 + p503 ? "503" : roll < p429 + p503 + pTimeout ? "timeout"
                : null;

        long providerNs = ttftNs + genNs;
        if ("429".equals(failure)) {
            providerNs = rnd.latencyNs(90, 0.3);
        } else if ("503".equals(failure)) {
            providerNs = rnd.latencyNs(behaves == Model.GPT_4O_MINI_NEW ? 2500 : 400, 0.4);
        } else if ("timeout".equals(failure)) {
            providerNs = 30_000_000_000L - queueNs;
        }
        long gatewayOverhead = rnd.latencyNs(1.5, 0.3);
        long total = queueNs + providerNs + gatewayOverhead + rnd.latencyNs(2, 0.3);

        GenSpan app = r.child(parent, "chat " + model.request, GenSpan.CLIENT,
                conv == Convention.CURRENT ? "opentelemetry.instrumentation.openai_v2" : "opentelemetry.instrumentation.openai",
                conv == Convention.CURRENT ? "2.1b0" : "0.30b1", start, total);
        String responseId = "chatcmpl-" + rnd.alnum(24);
        GenSpan server = r.span(app, "POST /v1/chat/completions", GenSpan.SERVER, Fleet.GATEWAY,
                "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp", "0.57.0", start + 600_000,
                total - 1_200_000);
        server.attr("http.request.method", "POST").attr("http.route", "/v1/chat/completions")
                .attr("url.path", "/v1/chat/completions").attr("server.address", "llm-gateway.ai-prod.svc")
                .attr("app.gateway.upstream", served.provider).attr("app.gateway.model", served.response)
                .attr("app.gateway.attempt", (long) attempt);
        GenSpan queue = r.span(server, "gateway.queue", GenSpan.INTERNAL, Fleet.GATEWAY, "llm-gateway/queue",
                "0.9.3", server.startNs + 200_000, queueNs);
        queue.attr("app.queue.depth", (long) Math.max(0, Math.round(r.load * r.load * 3 + rnd.gaussian())))
                .attr("app.queue.priority", "interactive");
        String providerOp = switch (served.provider) {
            case "anthropic" -> "anthropic.messages.create";
            case "gcp.vertex_ai" -> "vertexai.generate_content";
            default -> "openai.chat.completions.create";
        };
        GenSpan provider = r.span(server, providerOp, GenSpan.CLIENT, Fleet.GATEWAY, "llm-gateway/providers",
                "0.9.3", queue.endNs + gatewayOverhead / 2, providerNs);
        provider.attr("server.address", host(served.provider)).attr("http.request.method", "POST")
                .attr("gen_ai.provider.name", served.provider).attr("gen_ai.request.model", model.request)
                .attr("gen_ai.response.model", failure == null ? served.response : null);

        boolean ok = failure == null;
        if (conv == Convention.CURRENT) {
            app.attr("gen_ai.operation.name", "chat").attr("gen_ai.provider.name", model.provider)
                    .attr("gen_ai.request.model", model.request).attr("gen_ai.request.temperature", 0.2)
                    .attr("gen_ai.request.max_tokens", 800L).attr("gen_ai.conversation.id", r.session)
                    .attr("server.address", "llm-gateway.ai-prod.svc").attr("server.port", 8080L)
                    .attr("gen_ai.system_instructions", "[{\"type\":\"text\",\"content\":" + json(system) + "}]")
                    .attr("gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":"
                            + json(question) + "}]}]");
            if (ok) {
                app.attr("gen_ai.response.model", served.response).attr("gen_ai.response.id", responseId)
                        .attr("gen_ai.response.finish_reasons", List.of(toolCall ? "tool_calls" : finishReason))
                        .attr("gen_ai.usage.input_tokens", inputTokens).attr("gen_ai.usage.output_tokens", outputTokens)
                        .attr("gen_ai.usage.cache_read.input_tokens", cachedTokens)
                        .attr("gen_ai.response.time_to_first_chunk", Req.round3((queueNs + ttftNs) / 1e9))
                        .attr("gen_ai.output.messages", toolCall
                                ? "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"call_"
                                        + rnd.alnum(12) + "\",\"name\":\"get_workspace_status\",\"arguments\":{\"tenant\":"
                                        + json(r.tenant) + "}}],\"finish_reason\":\"tool_calls\"}]"
                                : "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":" + json(answer)
                                        + "}],\"finish_reason\":" + json(finishReason) + "}]");
            }
        } else {
            app.attr("gen_ai.system", model.legacySystem()).attr("gen_ai.operation.name", "chat")
                    .attr("gen_ai.request.model", model.request).attr("gen_ai.request.temperature", 0.0)
                    .attr("gen_ai.request.max_tokens", 512L).attr("server.address", "llm-gateway.ai-prod.svc");
            app.events.add(new GenSpan.Event(start, "gen_ai.system.message", List.of(
                    new GenSpan.Attr("gen_ai.system", model.legacySystem()), new GenSpan.Attr("content", system))));
            app.events.add(new GenSpan.Event(start, "gen_ai.user.message", List.of(
                    new GenSpan.Attr("gen_ai.system", model.legacySystem()), new GenSpan.Attr("content", question))));
            if (ok) {
                app.attr("gen_ai.response.model", served.response).attr("gen_ai.response.id", responseId)
                        .attr("gen_ai.response.finish_reasons", List.of(finishReason))
                        .attr("gen_ai.usage.prompt_tokens", inputTokens)
                        .attr("gen_ai.usage.completion_tokens", outputTokens);
                app.events.add(new GenSpan.Event(start + total, "gen_ai.choice", List.of(
                        new GenSpan.Attr("gen_ai.system", model.legacySystem()), new GenSpan.Attr("index", 0L),
                        new GenSpan.Attr("finish_reason", finishReason),
                        new GenSpan.Attr("message", "{\"role\":\"assistant\",\"content\":" + json(answer) + "}"))));
            }
        }
        if (ok) {
            app.events.add(new GenSpan.Event(start + queueNs + ttftNs, "gen_ai.first_chunk", List.of(
                    new GenSpan.Attr("gen_ai.response.time_to_first_chunk",
                            Req.round3((queueNs + ttftNs) / 1e9)))));
            server.attr("http.response.status_code", 200L);
            provider.attr("http.response.status_code", 200L).attr("gen_ai.usage.input_tokens", inputTokens)
                    .attr("gen_ai.usage.output_tokens", outputTokens);
        } else {
            String type;
            String message;
            long status;
            switch (failure) {
                case "429" -> {
                    type = served.provider.equals("anthropic") ? "anthropic.RateLimitError" : "openai.RateLimitError";
                    message = "Error code: 429 - Rate limit reached for " + served.request + " on tokens per min";
                    status = 429;
                }
                case "503" -> {
                    type = served.provider.equals("anthropic") ? "anthropic.InternalServerError"
                            : "openai.InternalServerError";
                    message = "Error code: 503 - The server is overloaded or not ready yet.";
                    status = 503;
                }
                default -> {
                    type = "httpx.ReadTimeout";
                    message = "upstream request timed out after 30s";
                    status = 504;
                }
            }
            app.attr("error.type", status == 504 ? "timeout" : Long.toString(status));
            app.fail(type, message);
            server.attr("http.response.status_code", status).attr("error.type", Long.toString(status));
            server.status = 2;
            server.statusMessage = message;
            provider.attr("http.response.status_code", status).attr("error.type", Long.toString(status));
            provider.fail(type, message);
        }
        return new Result(app, ok, app.endNs, ok ? outputTokens : 0, responseId, served);
    }

    static String host(String provider) {
        return switch (provider) {
            case "anthropic" -> "api.anthropic.com";
            case "gcp.vertex_ai" -> "europe-west4-aiplatform.googleapis.com";
            default -> "api.openai.com";
        };
    }

    /** A JSON string literal. */
    static String json(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
