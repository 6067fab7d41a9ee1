package dev.tracebench.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracebench.core.notify.Delivery;
import dev.tracebench.core.notify.Notifications;
import dev.tracebench.core.recommend.RecommendOptions;
import dev.tracebench.core.recommend.Recommendations;
import dev.tracebench.core.recommend.RecommendationsWriter;
import dev.tracebench.core.slo.Slo;
import dev.tracebench.core.slo.SloConfigException;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.task.CancellationToken;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracebench recommend}: traffic weights, scale-up, cache, retraining and sampling recommendations. */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "What to change around the application, from its traces and evals: traffic weights per model "
            + "version (shift away from a failing one), a scale-up signal when p95 latency or queue time breaches its "
            + "objective, cache hit-rate drops, a retraining / prompt-update trigger when quality degrades, and the "
            + "tracing overhead with sampling candidates. Each recommendation carries its evidence (docs/"
            + "recommendations.md).")
final class RecommendCommand extends WorkspaceCommand implements Callable<Integer> {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or yaml (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--router-config", paramLabel = "FILE",
            description = "Also write the traffic weights as a LiteLLM router config (YAML model_list with weights).")
    Path routerConfig;

    @Option(names = "--trigger-file", paramLabel = "FILE",
            description = "Also write the retraining trigger (JSON; \"triggered\": false when quality holds).")
    Path triggerFile;

    @Option(names = "--trigger-webhook-env", paramLabel = "VAR",
            description = "When the retraining trigger fires, post it (JSON) to the URL held by this environment "
                + "variable (never printed).")
    String triggerWebhookEnv;

    @Option(names = "--slo", paramLabel = "FILE", description = "The SLO file whose latency SLOs the scale-up signal "
            + "checks. Default: <TRACEBENCH_HOME>/slo.yaml when it exists (the SLOs area's file), else built-in "
            + "bounds (p95 ≤ 10s per service, queue p95 ≤ 250ms).")
    Path slo;

    /** Where the webhook URL is read from (tests replace it, as for slo check --notify). */
    static Function<String, String> environment = System::getenv;

    @Override
    public Integer call() throws IOException {
        RecommendationsWriter.Format f;
        try {
            f = RecommendationsWriter.Format.of(format);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format: " + e.getMessage());
        }
        Function<String, String> env = environment;
        if (triggerWebhookEnv != null && (env.apply(triggerWebhookEnv) == null
                || env.apply(triggerWebhookEnv).isBlank())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--trigger-webhook-env: environment "
                    + "variable " + triggerWebhookEnv + " is not set (it should hold the webhook URL)");
        }
        try (Workspace ws = openForReading()) {
            List<Slo> slos;
            try {
                slos = slos(ws);
            } catch (SloConfigException e) {
                e.problems().forEach(p -> err().println("error: " + p));
                err().flush();
                return TracebenchCli.UNUSABLE;
            }
            Recommendations r = ws.recommendations().recommend(new RecommendOptions(slos), CancellationToken.none());
            RecommendationsWriter.write(r, f, "Recommendations for " + ws.path().getFileName(), out());
            if (routerConfig != null) {
                writeAtomically(routerConfig, RecommendationsWriter.routerConfig(r.weights()));
                err().println("Wrote the router config (" + r.weights().size() + " deployments) to " + routerConfig);
            }
            Map<String, Object> trigger = RecommendationsWriter.trigger(r, ws.path().getFileName().toString(),
                    Instant.now());
            if (triggerFile != null) {
                writeAtomically(triggerFile, RecommendationsWriter.json(trigger));
                err().println("Wrote the retraining trigger (triggered: " + trigger.get("triggered") + ") to "
                        + triggerFile);
            }
            if (triggerWebhookEnv != null && Boolean.TRUE.equals(trigger.get("triggered"))) {
                ObjectNode body = new ObjectMapper().valueToTree(trigger);
                Delivery d = Notifications.post(triggerWebhookEnv, "tracebench-retrain", body, env);
                if (!d.delivered()) {
                    err().println("error: could not post the retraining trigger: " + d.error());
                    err().flush();
                    return TracebenchCli.UNUSABLE;
                }
                err().println("Posted the retraining trigger to $" + triggerWebhookEnv + " (HTTP " + d.status() + ")");
            }
            err().flush();
        }
        return TracebenchCli.OK;
    }

    /** The latency SLOs to check: --slo, else the home's slo.yaml when there is one; checked as slo check does. */
    private List<Slo> slos(Workspace ws) {
        Path file = slo;
        if (file == null) {
            Path home = opener.home().home().resolve("slo.yaml");
            if (!Files.isRegularFile(home)) {
                return List.of();
            }
            file = home;
        }
        return SloRun.checked(file, ws).slos();
    }

    /** Writes through a temporary file in the same folder, so a reader never sees half a file. */
    private static void writeAtomically(Path target, String text) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write(text);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
