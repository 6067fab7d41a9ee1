package dev.tracebench.core.eval.evaluators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.Evaluator;
import dev.tracebench.core.eval.Verdict;
import dev.tracebench.core.report.Secrets;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LLM-as-judge (optional, off unless configured): asks an OpenAI-compatible chat completions endpoint to score the
 * answer 0–1 against a criterion, with the question and passages, and to say why. The API key is read from the
 * environment variable the settings name, at each call; it is sent only in the Authorization header and never kept in
 * settings, stored, logged or put in an explanation. A failed call gives the label {@code judge-failed} with a NaN
 * score (not 0: nothing was judged).
 */
public final class JudgeEvaluator implements Evaluator {
    public static final String ID = "judge";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param url       the endpoint's base URL ({@code http://localhost:8000/v1}); {@code /chat/completions} is added
     *                  unless it ends with it
     * @param model     the model to ask
     * @param apiKeyEnv the environment variable holding the API key (null or blank: no key sent)
     * @param criterion what to judge ("Is the answer correct and supported by the passages?")
     * @param threshold the score that passes
     */
    public record Settings(String url, String model, String apiKeyEnv, String criterion, double threshold) {
        public static final String DEFAULT_CRITERION = "Is the answer correct, relevant to the question and supported "
                + "by the passages?";
    }

    private final Settings settings;
    private final UnaryOperator<String> environment;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public JudgeEvaluator(Settings settings) {
        this(settings, System::getenv);
    }

    JudgeEvaluator(Settings settings, UnaryOperator<String> environment) {
        if (settings.url() == null || settings.url().isBlank() || settings.model() == null || settings.model().isBlank()) {
            throw new IllegalArgumentException("the judge needs an endpoint URL and a model");
        }
        this.settings = settings;
        this.environment = environment;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return "1-" + settings.model();
    }

    private URI endpoint() {
        String u = settings.url().replaceAll("/+$", "");
        return URI.create(u.endsWith("/chat/completions") ? u : u + "/chat/completions");
    }

    @Override
    public Verdict evaluate(EvalInput input) {
        String key = settings.apiKeyEnv() == null || settings.apiKeyEnv().isBlank() ? null
                : environment.apply(settings.apiKeyEnv());
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint()).timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(input)));
            if (key != null && !key.isBlank()) {
                request.header("Authorization", "Bearer " + key);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                return failed("the endpoint answered HTTP " + response.statusCode(), key);
            }
            JsonNode root = JSON.readTree(response.body());
            String content = root.path("choices").path(0).path("message").path("content").asText("");
            Matcher m = OBJECT.matcher(content);
            JsonNode verdict = m.find() ? JSON.readTree(m.group()) : null;
            if (verdict == null || !verdict.path("score").isNumber()) {
                return failed("the reply has no {\"score\": …} object", key);
            }
            double score = Math.max(0, Math.min(1, verdict.path("score").asDouble()));
            String reason = scrub(verdict.path("reason").asText(""), key);
            boolean ok = score >= settings.threshold();
            String usage = root.path("usage").isObject() ? String.format(Locale.ROOT, "; %d prompt and %d completion "
                    + "tokens", root.path("usage").path("prompt_tokens").asLong(),
                    root.path("usage").path("completion_tokens").asLong()) : "";
            return new Verdict(ID, score, ok ? "pass" : "fail", ok, String.format(Locale.ROOT, "%s scored %.2f "
                    + "(threshold %.2f)%s: %s", settings.model(), score, settings.threshold(), usage, reason), List.of(),
                    null);
        } catch (IOException e) {
            return failed("the call failed (" + e.getClass().getSimpleName() + ")", key);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted", key);
        }
    }

    private static final Pattern OBJECT = Pattern.compile("\\{.*}", Pattern.DOTALL);

    private String body(EvalInput input) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", settings.model());
        body.put("temperature", 0);
        var messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", "You are an evaluator. Judge the answer by this "
                + "criterion: " + settings.criterion() + " Reply with only a JSON object: {\"score\": a number from 0 "
                + "(fails) to 1 (meets it fully), \"reason\": one sentence}.");
        StringBuilder user = new StringBuilder("Question:\n").append(input.question()).append("\n\n");
        for (int i = 0; i < input.contexts().size(); i++) {
            user.append("Passage ").append(i + 1).append(":\n").append(input.contexts().get(i)).append("\n\n");
        }
        if (!input.reference().isEmpty()) {
            user.append("Expected answer:\n").append(input.reference()).append("\n\n");
        }
        user.append("Answer:\n").append(input.answer());
        messages.addObject().put("role", "user").put("content", user.toString());
        return body.toString();
    }

    private Verdict failed(String why, String key) {
        return new Verdict(ID, Double.NaN, "judge-failed", false, scrub("The judge (" + settings.model() + " at "
                + endpoint() + ") gave no verdict: " + why + ".", key), List.of(), null);
    }

    /** Masks secret-shaped text, and the key itself wherever it appears (an endpoint may echo it). */
    private static String scrub(String text, String key) {
        String t = key != null && key.length() >= 4 ? text.replace(key, Secrets.MASK) : text;
        return Secrets.maskText(t);
    }
}
