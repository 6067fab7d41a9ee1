package dev.tracebench.core.eval.evaluators;

import com.sun.net.httpserver.HttpServer;
import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The LLM judge against a local stub of an OpenAI-compatible endpoint (no network). */
class JudgeEvaluatorTest {
    private static final String KEY = "sk-test-0123456789abcdefghij";
    private HttpServer server;
    private final AtomicReference<String> auth = new AtomicReference<>();
    private final AtomicReference<String> request = new AtomicReference<>();
    private volatile int status = 200;
    private volatile String reply;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", ex -> {
            auth.set(ex.getRequestHeaders().getFirst("Authorization"));
            request.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = reply.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private JudgeEvaluator judge() {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        return new JudgeEvaluator(new JudgeEvaluator.Settings(url, "judge-model", "JUDGE_KEY",
                JudgeEvaluator.Settings.DEFAULT_CRITERION, 0.5), Map.of("JUDGE_KEY", KEY)::get);
    }

    @Test
    void scoresFromTheRepliesJsonAndSendsTheKeyOnlyInTheHeader() {
        reply = "{\"choices\":[{\"message\":{\"content\":\"```json\\n{\\\"score\\\": 0.25, \\\"reason\\\": \\\"The "
                + "passage says 1889, not 1890; your key " + KEY + " was fine\\\"}\\n```\"}}],"
                + "\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":30}}";
        Verdict v = judge().evaluate(new EvalInput("When did it open?", List.of("It opened in 1889."), "In 1890.", ""));
        assertEquals(0.25, v.score(), 1e-9);
        assertEquals("fail", v.label());
        assertFalse(v.passed());
        assertTrue(v.explanation().startsWith("judge-model scored 0.25 (threshold 0.50); 120 prompt and 30 completion "
                + "tokens: The passage says 1889, not 1890"), v.explanation());
        assertFalse(v.explanation().contains(KEY), v.explanation());
        assertEquals("Bearer " + KEY, auth.get());
        assertFalse(request.get().contains(KEY));
        assertTrue(request.get().contains("\"model\":\"judge-model\""), request.get());
        assertTrue(request.get().contains("Passage 1:\\nIt opened in 1889."), request.get());
    }

    @Test
    void aFailedCallIsJudgeFailedNotZero() {
        status = 401;
        reply = "{\"error\":\"bad key " + KEY + "\"}";
        Verdict v = judge().evaluate(new EvalInput("q", List.of(), "a", ""));
        assertEquals("judge-failed", v.label());
        assertTrue(Double.isNaN(v.score()));
        assertTrue(v.explanation().contains("HTTP 401"), v.explanation());
        assertFalse(v.explanation().contains(KEY));

        status = 200;
        reply = "{\"choices\":[{\"message\":{\"content\":\"I think it is fine.\"}}]}";
        assertEquals("judge-failed", judge().evaluate(new EvalInput("q", List.of(), "a", "")).label());
    }
}
