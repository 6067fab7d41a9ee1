package dev.tracebench.views.live;

import dev.tracebench.core.live.LiveConfig;
import dev.tracebench.core.live.LiveReceiver;
import dev.tracebench.core.live.LiveReceivers;
import dev.tracebench.core.live.LiveStats;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.WorkspaceChanges;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One live receiver as the shell shows it: starts it (off the FX thread), polls its counts ({@link #tick}, a few
 * times a second on the FX thread: {@link LiveReceiver#stats} is cheap), keeps the last minute of spans/s for the
 * chart, and after commits fires the workspace's changes, at most once per {@link #REFRESH_EVERY}, so the trace table
 * and the other views follow without reloading on every commit. Stop commits what was accepted (in the background)
 * and fires one last change.
 */
public final class LiveViewModel {
    /** How often the panel polls the counts. */
    public static final Duration POLL = Duration.ofMillis(250);
    /** Polls the spans/s chart keeps: one minute. */
    static final int HISTORY = 240;
    /** Views reload at most this often while commits arrive (a reload queries the workspace). */
    static final Duration REFRESH_EVERY = Duration.ofSeconds(1);

    private final WorkspaceChanges changes;
    private final Background background;
    /** Set by the receiver's writer thread after a commit; cleared when the views are told. */
    private final AtomicBoolean committed = new AtomicBoolean();
    private final ObjectProperty<LiveStats> stats = new SimpleObjectProperty<>();
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final BooleanProperty stopping = new SimpleBooleanProperty();
    private final LongProperty polls = new SimpleLongProperty();
    private final StringProperty problem = new SimpleStringProperty("");
    private final double[] history = new double[HISTORY];
    private int historySize;
    private int historyEnd;
    private LiveReceiver receiver;
    private List<String> endpoints = List.of();
    private Instant lastRefresh;
    /** The stop running in the background (null: none was started). */
    private java.util.concurrent.Future<?> stopped;

    /**
     * @param changes    the changes of the workspace the receiver writes into
     * @param background runs the start and the stop (both may wait on sockets or a commit)
     */
    public LiveViewModel(WorkspaceChanges changes, Background background) {
        this.changes = changes;
        this.background = background;
    }

    /**
     * Starts a receiver; then {@code onStarted} on the FX thread, or {@code onFailed} with the reason (e.g. a port in
     * use, named by the receiver).
     */
    public void start(LiveReceivers receivers, LiveConfig config, Runnable onStarted, Consumer<String> onFailed) {
        background.run(() -> receivers.start(config, s -> committed.set(true)), r -> {
            attach(r);
            onStarted.run();
        }, t -> onFailed.accept(Background.message(t)));
    }

    /** Shows a receiver started elsewhere. */
    void attach(LiveReceiver r) {
        receiver = r;
        endpoints = List.copyOf(r.endpoints());
        running.set(true);
        stats.set(r.stats());
    }

    /** The receiver's counts as last polled (null before it started). */
    public ObjectProperty<LiveStats> statsProperty() {
        return stats;
    }

    /** True from the start until Stop (or {@link #release}). */
    public BooleanProperty runningProperty() {
        return running;
    }

    /** True while Stop commits what is left. */
    public BooleanProperty stoppingProperty() {
        return stopping;
    }

    /** Counts the polls: the chart redraws after each. */
    public LongProperty pollsProperty() {
        return polls;
    }

    /** Why stopping failed (what was accepted may not all be stored), or empty. */
    public StringProperty problemProperty() {
        return problem;
    }

    public List<String> endpoints() {
        return endpoints;
    }

    /** Spans/s of the polls of the last minute, oldest first. */
    public double[] history() {
        double[] out = new double[historySize];
        for (int i = 0; i < historySize; i++) {
            out[i] = history[(historyEnd - historySize + i + HISTORY) % HISTORY];
        }
        return out;
    }

    /**
     * One poll, at {@code now}: reads the counts, adds the spans/s to the chart, and tells the views if something was
     * committed since they were last told and {@link #REFRESH_EVERY} has passed.
     */
    public void tick(Instant now) {
        if (!running.get()) {
            return;
        }
        LiveStats s = receiver.stats();
        stats.set(s);
        history[historyEnd] = s.spansPerSecond();
        historyEnd = (historyEnd + 1) % HISTORY;
        historySize = Math.min(HISTORY, historySize + 1);
        if (committed.get() && (lastRefresh == null || !now.isBefore(lastRefresh.plus(REFRESH_EVERY)))) {
            committed.set(false);
            lastRefresh = now;
            changes.fire();
        }
        polls.set(polls.get() + 1);
    }

    /**
     * Stops the receiver in the background (it commits what it accepted), then shows its final counts and tells the
     * views once more.
     */
    public void stop() {
        LiveReceiver r = release();
        if (r == null) {
            return;
        }
        stopping.set(true);
        stopped = background.run(r::stop, s -> {
            stopping.set(false);
            stats.set(s);
            changes.fire();
        }, t -> {
            stopping.set(false);
            problem.set("Stopping failed: " + Background.message(t));
            changes.fire();
        });
    }

    /**
     * Waits until a Stop running in the background has committed (on quit, before the workspace closes); returns at
     * once if none runs.
     */
    public void awaitStopped() {
        java.util.concurrent.Future<?> f = stopped;
        if (f == null) {
            return;
        }
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
            // the failure is shown by the stop's own callback
        }
    }

    /**
     * Stops polling and hands the receiver over, for the caller to stop (on a workspace switch or quit, before the
     * workspace closes); null if none runs.
     */
    public LiveReceiver release() {
        LiveReceiver r = receiver;
        receiver = null;
        running.set(false);
        return r;
    }
}
