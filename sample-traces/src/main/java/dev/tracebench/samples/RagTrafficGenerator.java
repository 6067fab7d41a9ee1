package dev.tracebench.samples;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates the traffic of a small retrieval-augmented support assistant ("Acme Flow" documentation) as OTLP/JSON
 * Lines: an HTTP entry span, input validation, prompt rendering, query embedding, vector search (sometimes two
 * retrievers in parallel), reranking, the model call (time to first chunk, token usage, finish reasons), sometimes a
 * tool call and a second model call, an output guardrail and response formatting. Some requests fail the way real
 * ones do (provider 429 with a retry, timeouts). Three services emit the spans, as in a small fleet.
 *
 * <p>Seeded and deterministic: the same options always give the same bytes.
 */
public final class RagTrafficGenerator {

    /** What to generate. {@code spreadSeconds} is the window the request start times fall in. */
    public record Options(long seed, int traces, Instant start, long spreadSeconds, int tracesPerLine) {
        public static Options sample() {
            return new Options(20261120L, 400, Instant.parse("2026-11-20T09:00:00Z"), 2 * 3600, 20);
        }
    }

    /** What was written. */
    public record Summary(int traces, long spans, int lines, int errorTraces) {
    }

    private record Question(String passageId, String text, String answer) {
    }

    private static final List<Question> QUESTIONS = List.of(
            new Question("kb-001", "How do I install Acme Flow?", "Install the package for your platform, then run 'acmeflow init' in an empty folder. You need 450 MB of free disk space."),
            new Question("kb-001", "How much disk space does the installer need?", "The installer needs 450 MB of free disk space."),
            new Question("kb-002", "What are the minimum hardware requirements?", "A 64-bit CPU with at least 2 cores and 4 GB of RAM; 16 GB is recommended above 50 pipelines."),
            new Question("kb-002", "Do I need a GPU?", "No, GPU acceleration is optional. If you use it, it requires CUDA 12."),
            new Question("kb-003", "How do I check a pipeline before deploying it?", "Run 'acmeflow validate' to check the pipeline YAML before you deploy it."),
            new Question("kb-004", "How many triggers can a pipeline have?", "A pipeline can have at most 5 triggers: schedules, webhooks or watched buckets."),
            new Question("kb-005", "How many times is a failed step retried?", "Up to 3 times by default, with exponential backoff starting at 10 seconds. Set retries: 0 to disable it."),
            new Question("kb-006", "How much does the Team plan cost?", "The Team plan costs 49 USD per user per month and has unlimited pipelines."),
            new Question("kb-006", "What plans are there?", "Starter (free, up to 3 pipelines), Team (49 USD per user per month) and Enterprise (custom pricing with SSO and audit logs)."),
            new Question("kb-007", "Is there a discount for paying yearly?", "Yes, annual billing gives a 20 percent discount."),
            new Question("kb-008", "Can I get a refund if I cancel?", "Monthly plans are not refunded for the current month; annual plans are refunded pro rata within the first 60 days."),
            new Question("kb-009", "Does Acme Flow support SAML SSO?", "Yes, SAML 2.0 and OpenID Connect SSO are available on the Enterprise plan, under Settings > Security."),
            new Question("kb-010", "When do API keys expire?", "API keys expire after 90 days unless you choose a shorter lifetime."),
            new Question("kb-011", "What is the API rate limit?", "600 requests per minute per workspace on Team and 3000 on Enterprise; beyond that you get HTTP 429 with Retry-After."),
            new Question("kb-011", "Why am I getting HTTP 429 errors?", "You are over the rate limit (600 requests per minute on Team). Wait for the Retry-After interval before retrying."),
            new Question("kb-012", "How long are run logs kept?", "30 days on Starter, 90 days on Team and 1 year on Enterprise."),
            new Question("kb-013", "How can I export my run history?", "Export it as CSV or JSON from the Runs page, or run 'acmeflow runs export --since 7d'."),
            new Question("kb-014", "How are secrets stored?", "Secrets are encrypted with AES-256, never printed in logs, and read by steps as environment variables."),
            new Question("kb-015", "Can Acme Flow read from Snowflake?", "Yes, Snowflake is one of the built-in connectors, along with PostgreSQL, MySQL, BigQuery, S3, GCS and Kafka."),
            new Question("kb-016", "Why is my run stuck in Pending?", "It is probably waiting for a free worker. Check the pool size under Settings > Compute or re-run with a higher priority."),
            new Question("kb-017", "How many workers do I get?", "Each workspace has a default pool of 4 workers; Team plans can add pools of up to 32 workers."),
            new Question("kb-018", "Can pipelines notify Slack when they fail?", "Yes, pipelines can notify Slack, Teams, email or a webhook on failure, configured under notify:."),
            new Question("kb-019", "How do I roll back a pipeline?", "Open the pipeline's History tab and roll back to any of the last 50 versions."),
            new Question("kb-020", "What are the support hours?", "Team support answers email within one business day; Enterprise support is 24/7 with a 1-hour response for severity 1."),
            new Question("kb-021", "What uptime do you guarantee?", "The cloud targets 99.9 percent monthly uptime; Enterprise contracts include a 99.95 percent SLA with service credits."),
            new Question("kb-022", "Can I restore a deleted workspace?", "Yes, within the 7-day grace period after deletion; after that it is final."),
            new Question("kb-023", "Can audit logs go to our SIEM?", "Yes, Enterprise audit logs can be streamed to a SIEM over syslog or HTTPS."),
            new Question("kb-024", "Can I move my workspace to the EU region?", "No, the region is chosen when the workspace is created and cannot be changed later."));

    private static final String SYSTEM_PROMPT = "You are the support assistant for Acme Flow. Answer only from the "
            + "provided documentation. If the answer is not in the documentation, say you do not know.";

    private static final String[] TENANTS = {"t-acme", "t-globex", "t-initech", "t-umbrella", "t-hooli"};

    private final Options options;
    private final Random rnd;
    private final List<KnowledgeBase.Passage> kb = KnowledgeBase.passages();
    private final Map<String, long[]> lastTurnBySession = new LinkedHashMap<>();

    public RagTrafficGenerator(Options options) {
        this.options = options;
        this.rnd = new Random(options.seed());
    }

    /** Writes the traffic as OTLP/JSON Lines to {@code out} (not closed). */
    public Summary write(OutputStream out) throws IOException {
        OtlpJsonWriter writer = new OtlpJsonWriter(out, resources());
        long startNs = options.start().getEpochSecond() * 1_000_000_000L;
        long spreadNs = options.spreadSeconds() * 1_000_000_000L;
        long[] arrivals = new long[options.traces()];
        for (int i = 0; i < arrivals.length; i++) {
            arrivals[i] = startNs + (long) (rnd.nextDouble() * spreadNs);
        }
        java.util.Arrays.sort(arrivals);
        List<GenSpan> line = new ArrayList<>();
        int inLine = 0;
        int lines = 0;
        long spans = 0;
        int errors = 0;
        for (long t0 : arrivals) {
            List<GenSpan> trace = request(t0);
            spans += trace.size();
            if (trace.stream().anyMatch(s -> s.status == 2)) {
                errors++;
            }
            line.addAll(trace);
            if (++inLine == options.tracesPerLine()) {
                writer.writeRequest(line);
                lines++;
                line.clear();
                inLine = 0;
            }
        }
        if (!line.isEmpty()) {
            writer.writeRequest(line);
            lines++;
        }
        return new Summary(options.traces(), spans, lines, errors);
    }

    private static Map<String, List<GenSpan.Attr>> resources() {
        Map<String, List<GenSpan.Attr>> r = new LinkedHashMap<>();
        r.put("rag-api", resource("rag-api", "2.14.1", "python", "rag-api-7d9f8c6b5-x2klm"));
        r.put("retrieval-svc", resource("retrieval-svc", "1.8.0", "python", "retrieval-svc-5b7c9d4f8-q8wpz"));
        r.put("llm-gateway", resource("llm-gateway", "0.9.3", "go", "llm-gateway-6c8d7f5b9-m4ntr"));
        return r;
    }

    private static List<GenSpan.Attr> resource(String service, String version, String lang, String pod) {
        return List.of(new GenSpan.Attr("service.name", service), new GenSpan.Attr("service.version", version),
                new GenSpan.Attr("service.namespace", "support-assistant"),
                new GenSpan.Attr("deployment.environment.name", "production"),
                new GenSpan.Attr("telemetry.sdk.name", "opentelemetry"),
                new GenSpan.Attr("telemetry.sdk.language", lang),
                new GenSpan.Attr("k8s.pod.name", pod), new GenSpan.Attr("cloud.region", "eu-central-1"));
    }

    // ------------------------------------------------------------------ one request

    private List<GenSpan> request(long t0) {
        List<GenSpan> out = new ArrayList<>();
        long traceHi = rnd.nextLong();
        long traceLo = rnd.nextLong();
        Question q = QUESTIONS.get(rnd.nextInt(QUESTIONS.size()));
        String tenant = TENANTS[Math.min(TENANTS.length - 1, (int) Math.abs(rnd.nextGaussian() * 1.6))];
        String session = "sess-" + Integer.toHexString(rnd.nextInt(90) + 10) + tenant.substring(2, 4);
        boolean anthropic = rnd.nextDouble() < 0.3;
        String model = anthropic ? "claude-3-5-haiku" : "gpt-4o-mini";
        String responseModel = anthropic ? "claude-3-5-haiku-20241022" : "gpt-4o-mini-2024-07-18";
        String provider = anthropic ? "anthropic" : "openai";

        GenSpan root = span(out, traceHi, traceLo, 0, "POST /v1/chat", 2, "rag-api",
                "opentelemetry.instrumentation.fastapi", "0.48b0");
        root.startNs = t0;
        root.attr("http.request.method", "POST").attr("http.route", "/v1/chat").attr("url.path", "/v1/chat")
                .attr("url.scheme", "https").attr("server.address", "assistant.acmeflow.example")
                .attr("user_agent.original", rnd.nextBoolean() ? "acmeflow-web/5.2" : "acmeflow-cli/3.1.0")
                .attr("app.tenant.id", tenant).attr("session.id", session)
                .attr("app.question.chars", (long) q.text().length());
        long[] previous = lastTurnBySession.get(session);
        if (previous != null && rnd.nextDouble() < 0.7) {
            root.links.add(new GenSpan.Link(previous[0], previous[1], previous[2],
                    List.of(new GenSpan.Attr("app.link.kind", "previous_turn"))));
        }
        lastTurnBySession.put(session, new long[] {traceHi, traceLo, root.spanId});

        long t = t0 + ms(0.4, 0.3);
        GenSpan validate = child(out, root, "validate_input", 1, t, ms(4, 0.4), "rag.pipeline");
        validate.attr("app.input.chars", (long) q.text().length()).attr("app.input.language", "en");
        t = validate.endNs;
        GenSpan render = child(out, root, "render_prompt", 1, t, ms(2.5, 0.5), "rag.pipeline");
        render.attr("gen_ai.prompt.name", "support-answer").attr("app.prompt.template.version", "v7");
        t = render.endNs;

        // retrieval: embed the question, search (sometimes two collections in parallel), rerank
        GenSpan retrieve = child(out, root, "retrieve_context", 1, t, 0, "rag.pipeline");
        boolean cacheHit = rnd.nextDouble() < 0.35;
        GenSpan embed = child(out, retrieve, "embeddings text-embedding-3-small", 3, t + ms(0.3, 0.2),
                cacheHit ? ms(1.5, 0.3) : ms(42, 0.35), "opentelemetry.instrumentation.openai", "0.33.0");
        embed.service = "retrieval-svc";
        long embTokens = Math.max(4, q.text().length() / 4);
        embed.attr("gen_ai.operation.name", "embeddings").attr("gen_ai.provider.name", "openai")
                .attr("gen_ai.request.model", "text-embedding-3-small")
                .attr("gen_ai.embeddings.dimension.count", 1536L).attr("gen_ai.usage.input_tokens", embTokens)
                .attr("app.cache.hit", cacheHit);
        long searchStart = embed.endNs + ms(0.2, 0.2);
        List<String> docs = retrieveDocs(q);
        GenSpan search = child(out, retrieve, "retrieval kb-docs", 3, searchStart, ms(58, 0.45),
                "opentelemetry.instrumentation.qdrant", "0.33.0");
        searchAttrs(search, "kb-docs", q, docs);
        long retrievalEnd = search.endNs;
        if (rnd.nextDouble() < 0.25) {
            GenSpan faq = child(out, retrieve, "retrieval kb-faq", 3, searchStart + ms(0.5, 0.3), ms(35, 0.5),
                    "opentelemetry.instrumentation.qdrant", "0.33.0");
            searchAttrs(faq, "kb-faq", q, docs.subList(0, Math.min(2, docs.size())));
            retrievalEnd = Math.max(retrievalEnd, faq.endNs);
        }
        GenSpan rerank = child(out, retrieve, "rerank bge-reranker-v2", 1, retrievalEnd + ms(0.2, 0.2),
                ms(24, 0.35), "rag.pipeline");
        rerank.service = "retrieval-svc";
        rerank.attr("app.rerank.model", "bge-reranker-v2-m3").attr("app.rerank.input_documents", (long) docs.size())
                .attr("app.rerank.top_n", 3L);
        retrieve.endNs = rerank.endNs + ms(0.3, 0.2);
        t = retrieve.endNs;

        // optional tool call (account status) before the answer
        boolean tool = q.passageId().equals("kb-016") || rnd.nextDouble() < 0.12;
        String question = q.text();
        long inputTokens = 180 + 3 * 95 + question.length() / 4 + (long) (rnd.nextGaussian() * 25);
        boolean failed = false;
        if (tool) {
            GenSpan plan = modelCall(out, root, t, model, responseModel, provider, question, q.answer(), inputTokens,
                    true);
            t = plan.endNs + ms(0.5, 0.2);
            GenSpan exec = child(out, root, "execute_tool get_workspace_status", 1, t, ms(85, 0.6), "rag.tools");
            exec.attr("gen_ai.operation.name", "execute_tool").attr("gen_ai.tool.name", "get_workspace_status")
                    .attr("gen_ai.tool.type", "function").attr("gen_ai.tool.call.id", "call_" + idText(12))
                    .attr("gen_ai.tool.call.arguments", "{\"tenant\":\"" + tenant + "\"}");
            if (rnd.nextDouble() < 0.05) {
                exec.status = 2;
                exec.statusMessage = "workspace API timed out after 2s";
                exec.endNs = exec.startNs + 2_000_000_000L;
                exception(exec, "TimeoutError", "workspace API timed out after 2s");
            }
            t = exec.endNs + ms(0.4, 0.2);
            inputTokens += 140;
        }

        // the answer, with provider throttling and a retry now and then
        double roll = rnd.nextDouble();
        if (roll < 0.04) {
            GenSpan throttled = modelCall(out, root, t, model, responseModel, provider, question, q.answer(),
                    inputTokens, false);
            throttled.endNs = throttled.startNs + ms(120, 0.3);
            throttled.status = 2;
            throttled.statusMessage = "429 Too Many Requests";
            throttled.attrs.removeIf(a -> a.key().startsWith("gen_ai.usage") || a.key().startsWith("gen_ai.response")
                    || a.key().equals("gen_ai.output.messages"));
            throttled.events.clear();
            throttled.attr("error.type", "429").attr("http.response.status_code", 429L);
            exception(throttled, anthropic ? "anthropic.RateLimitError" : "openai.RateLimitError",
                    "Rate limit reached for " + model + " on tokens per min");
            t = throttled.endNs + ms(900, 0.3);
        }
        GenSpan answer;
        if (roll > 0.985) {
            answer = modelCall(out, root, t, model, responseModel, provider, question, q.answer(), inputTokens, false);
            answer.endNs = answer.startNs + 30_000_000_000L;
            answer.status = 2;
            answer.statusMessage = "request timed out after 30s";
            answer.attrs.removeIf(a -> a.key().startsWith("gen_ai.usage") || a.key().startsWith("gen_ai.response")
                    || a.key().equals("gen_ai.output.messages"));
            answer.events.clear();
            answer.attr("error.type", "timeout");
            exception(answer, "httpx.ReadTimeout", "request timed out after 30s");
            failed = true;
        } else {
            answer = modelCall(out, root, t, model, responseModel, provider, question, q.answer(), inputTokens, false);
        }
        t = answer.endNs + ms(0.3, 0.2);

        if (!failed) {
            GenSpan guard = child(out, root, "guardrail output_check", 1, t, ms(16, 0.4), "rag.guardrails");
            boolean blocked = rnd.nextDouble() < 0.01;
            guard.attr("app.guardrail.name", "pii+toxicity").attr("app.guardrail.verdict", blocked ? "block" : "pass")
                    .attr("app.guardrail.score", Math.round(rnd.nextDouble() * (blocked ? 30 : 8) * 10) / 1000.0);
            t = guard.endNs;
            GenSpan format = child(out, root, "format_response", 1, t, ms(1.2, 0.4), "rag.pipeline");
            format.attr("app.output.chars", (long) q.answer().length()).attr("app.output.citations", 2L);
            t = format.endNs;
        }
        root.endNs = t + ms(0.6, 0.3);
        long status = failed ? 504 : 200;
        root.attr("http.response.status_code", status);
        if (failed) {
            root.status = 2;
            root.statusMessage = "upstream model call timed out";
        }
        return out;
    }

    private GenSpan modelCall(List<GenSpan> out, GenSpan parent, long start, String model, String responseModel,
            String provider, String question, String answerText, long inputTokens, boolean toolPlanning) {
        long outputTokens = toolPlanning ? 24 + rnd.nextInt(20) : Math.max(12, answerText.length() / 4
                + (long) (rnd.nextGaussian() * 30) + 40);
        long queueNs = ms(35, 0.8);
        long ttftNs = queueNs + ms(model.startsWith("claude") ? 520 : 380, 0.45);
        long perToken = (long) ((model.startsWith("claude") ? 13 : 17) * 1e6 * Math.exp(rnd.nextGaussian() * 0.2));
        GenSpan s = child(out, parent, "chat " + model, 3, start, ttftNs + outputTokens * perToken,
                "opentelemetry.instrumentation.openai", "0.33.0");
        s.service = "llm-gateway";
        long cached = rnd.nextDouble() < 0.4 ? 128L * (1 + rnd.nextInt(2)) : 0L;
        s.attr("gen_ai.operation.name", "chat").attr("gen_ai.provider.name", provider)
                .attr("gen_ai.request.model", model).attr("gen_ai.request.temperature", 0.2)
                .attr("gen_ai.request.max_tokens", 512L).attr("gen_ai.response.model", responseModel)
                .attr("gen_ai.response.id", "chatcmpl-" + idText(20))
                .attr("gen_ai.response.finish_reasons", List.of(toolPlanning ? "tool_calls" : "stop"))
                .attr("gen_ai.usage.input_tokens", inputTokens).attr("gen_ai.usage.output_tokens", outputTokens)
                .attr("gen_ai.usage.cache_read.input_tokens", cached)
                .attr("gen_ai.response.time_to_first_chunk", Math.round(ttftNs / 1e6) / 1000.0)
                .attr("gen_ai.input.messages", messages(question))
                .attr("gen_ai.output.messages", toolPlanning
                        ? "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"name\":\"get_workspace_status\"}],\"finish_reason\":\"tool_calls\"}]"
                        : "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":" + quote(answerText)
                                + "}],\"finish_reason\":\"stop\"}]");
        s.events.add(new GenSpan.Event(s.startNs + ttftNs, "gen_ai.first_chunk",
                List.of(new GenSpan.Attr("gen_ai.response.time_to_first_chunk", Math.round(ttftNs / 1e6) / 1000.0))));
        return s;
    }

    private void searchAttrs(GenSpan s, String collection, Question q, List<String> docs) {
        s.service = "retrieval-svc";
        StringBuilder json = new StringBuilder("[");
        double score = 0.92 - rnd.nextDouble() * 0.1;
        for (int i = 0; i < docs.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"id\":\"").append(docs.get(i)).append("\",\"score\":")
                    .append(Math.round(score * 1000) / 1000.0).append('}');
            score -= 0.04 + rnd.nextDouble() * 0.05;
        }
        json.append(']');
        s.attr("gen_ai.operation.name", "retrieval").attr("gen_ai.data_source.id", collection)
                .attr("db.system.name", "qdrant").attr("db.collection.name", collection)
                .attr("db.vector.query.top_k", 8L).attr("db.vector.query.result_count", (long) docs.size())
                .attr("gen_ai.retrieval.query.text", q.text()).attr("gen_ai.retrieval.documents", json.toString());
    }

    private List<String> retrieveDocs(Question q) {
        List<String> docs = new ArrayList<>();
        docs.add(q.passageId());
        while (docs.size() < 5) {
            String id = kb.get(rnd.nextInt(kb.size())).id();
            if (!docs.contains(id)) {
                docs.add(id);
            }
        }
        return docs;
    }

    private static String messages(String question) {
        return "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":" + quote(SYSTEM_PROMPT) + "}]},"
                + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":" + quote(question) + "}]}]";
    }

    private void exception(GenSpan s, String type, String message) {
        s.events.add(new GenSpan.Event(s.endNs, "exception", List.of(new GenSpan.Attr("exception.type", type),
                new GenSpan.Attr("exception.message", message),
                new GenSpan.Attr("exception.stacktrace", "Traceback (most recent call last):\n  File \"app/llm.py\", "
                        + "line 88, in complete\n    resp = await client.chat(**req)\n" + type + ": " + message))));
    }

    // ------------------------------------------------------------------ helpers

    private GenSpan span(List<GenSpan> out, long hi, long lo, long parent, String name, int kind, String service,
            String scope, String version) {
        GenSpan s = new GenSpan();
        s.traceHi = hi;
        s.traceLo = lo;
        s.spanId = nonZero();
        s.parentId = parent;
        s.name = name;
        s.kind = kind;
        s.service = service;
        s.scope = scope;
        s.scopeVersion = version;
        out.add(s);
        return s;
    }

    private GenSpan child(List<GenSpan> out, GenSpan parent, String name, int kind, long start, long durationNs,
            String scope) {
        return child(out, parent, name, kind, start, durationNs, scope, "1.0.0");
    }

    private GenSpan child(List<GenSpan> out, GenSpan parent, String name, int kind, long start, long durationNs,
            String scope, String version) {
        GenSpan s = span(out, parent.traceHi, parent.traceLo, parent.spanId, name, kind, parent.service, scope,
                version);
        s.startNs = start;
        s.endNs = start + durationNs;
        if (parent.startNs == 0) {
            parent.startNs = start;
        }
        return s;
    }

    /** A lognormal duration in nanoseconds with the given median (ms) and spread. */
    private long ms(double medianMs, double sigma) {
        return (long) (medianMs * 1e6 * Math.exp(sigma * rnd.nextGaussian()));
    }

    private long nonZero() {
        long v;
        do {
            v = rnd.nextLong();
        } while (v == 0);
        return v;
    }

    private String idText(int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
