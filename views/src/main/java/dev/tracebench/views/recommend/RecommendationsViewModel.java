package dev.tracebench.views.recommend;

import dev.tracebench.core.recommend.RecommendOptions;
import dev.tracebench.core.recommend.RecommendationService;
import dev.tracebench.core.recommend.Recommendations;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.BackgroundTasks;
import dev.tracebench.views.common.Format;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;

/**
 * The Recommendations area's state: what {@link RecommendationService#recommend} computes over the workspace, run as a
 * listed background task (progress and Cancel); a load started later wins over one still running.
 */
public final class RecommendationsViewModel {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());

    private final RecommendationService service;
    private final BackgroundTasks tasks;
    private final Supplier<RecommendOptions> options;
    private final ObjectProperty<Recommendations> result = new SimpleObjectProperty<>();
    private final BooleanProperty loading = new SimpleBooleanProperty();
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private final ObjectProperty<Function<Recommendations, String>> routerConfig = new SimpleObjectProperty<>();
    private long generation;
    private Task<Recommendations> running;
    private CancellationToken token;
    /** A reload was asked for while one ran. */
    private boolean again;

    /**
     * @param options what to consider, read in the background at each load (e.g. the SLOs of the SLO file as it is
     *                then)
     */
    public RecommendationsViewModel(RecommendationService service, BackgroundTasks tasks,
            Supplier<RecommendOptions> options) {
        this.service = service;
        this.tasks = tasks;
        this.options = options;
    }

    /** The last computed recommendations (null before the first load finishes). */
    public ObjectProperty<Recommendations> resultProperty() {
        return result;
    }

    public BooleanProperty loadingProperty() {
        return loading;
    }

    /** The window and counts in words, or why nothing is shown. */
    public StringProperty messageProperty() {
        return message;
    }

    /** Why the last load failed, or empty. */
    public StringProperty problemProperty() {
        return problem;
    }

    /**
     * How recommendations are written as a router config (LiteLLM-style YAML), or null if this build has no writer:
     * the area then offers no "Copy router config".
     */
    public void setRouterConfig(Function<Recommendations, String> routerConfig) {
        this.routerConfig.set(routerConfig);
    }

    public ObjectProperty<Function<Recommendations, String>> routerConfigProperty() {
        return routerConfig;
    }

    /**
     * Computes the recommendations again (the workspace changed, or Refresh). While a computation runs, one more is
     * queued instead: live traces change the workspace every second, and restarting each time would never finish.
     */
    public void reload() {
        if (running != null) {
            again = true;
            return;
        }
        again = false;
        long gen = ++generation;
        CancellationToken t = new CancellationToken();
        token = t;
        loading.set(true);
        problem.set("");
        Task<Recommendations> task = tasks.run("Computing recommendations", p -> service.recommend(options.get(), t),
                r -> {
                    if (gen == generation) {
                        finished();
                        result.set(r);
                        message.set(describe(r));
                    }
                });
        running = task;
        task.stateProperty().addListener((obs, a, s) -> {
            if (gen == generation && s == Worker.State.FAILED) {
                finished();
                problem.set("Recommendations failed: " + Background.message(task.getException()));
            }
        });
    }

    private void finished() {
        running = null;
        loading.set(false);
        if (again) {
            reload();
        }
    }

    /** Stops the running computation (and any queued one); what was shown before stays. */
    public void cancel() {
        if (running != null) {
            again = false;
            cancelRunning();
            generation++;
            loading.set(false);
            message.set("Cancelled." + (result.get() == null ? "" : " Showing the previous result: "
                    + describe(result.get())));
        }
    }

    private void cancelRunning() {
        if (running != null) {
            // the service stops at its next check of the token: never interrupt a thread inside the database driver
            token.cancel();
            running.cancel(false);
            running = null;
        }
    }

    /** "12 recommendations (2 critical) over 2026-11-20 00:00 – 2026-11-23 00:00". */
    static String describe(Recommendations r) {
        long critical = r.items().stream().filter(i -> i.severity() == dev.tracebench.core.analysis.Severity
                .CRITICAL).count();
        String window = r.from() == null || r.to() == null ? "" : " over " + WHEN.format(r.from()) + " – "
                + WHEN.format(r.to());
        return Format.count(r.items().size()) + " recommendation" + (r.items().size() == 1 ? "" : "s")
                + (critical == 0 ? "" : " (" + critical + " critical)") + window;
    }

    /** True when there is nothing at all to show: no recommendation, no model traffic, no spans. */
    static boolean empty(Recommendations r) {
        return r.items().isEmpty() && r.weights().isEmpty() && (r.overhead() == null || r.overhead().spans() == 0);
    }
}
