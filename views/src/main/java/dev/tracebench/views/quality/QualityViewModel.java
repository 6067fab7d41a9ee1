package dev.tracebench.views.quality;

import dev.tracebench.core.eval.EvalExample;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.core.eval.EvalService;
import dev.tracebench.core.eval.MetricSummary;
import dev.tracebench.core.eval.QualityPoint;
import dev.tracebench.core.eval.RunComparison;
import dev.tracebench.core.task.CancelledException;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.LatestLoads;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Quality area's state: the workspace's eval runs, the selected run's metric summaries and judged examples (of
 * one metric, or all; failing first), quality over time of one metric, and a comparison of two runs. Every query runs
 * in the background, the newest request winning; {@link #cancel} stops what is loading. Used on the FX thread.
 */
public final class QualityViewModel {
    /** Histogram bins of a metric card. */
    public static final int BINS = 10;
    /**
     * Examples loaded at a time (the next page on {@link #loadMore}): each example reads its trace's texts, a few
     * milliseconds apiece on a real workspace.
     */
    public static final int PAGE = 100;
    /** Buckets of the quality-over-time chart. */
    public static final int TIME_BUCKETS = 24;

    private final EvalService service;
    private final Background background;
    private final LatestLoads runLoads;
    private final LatestLoads metricLoads;
    private final LatestLoads exampleLoads;
    private final LatestLoads timeLoads;
    private final LatestLoads compareLoads;

    private final ObservableList<EvalRun> runs = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper runsLoaded = new ReadOnlyBooleanWrapper(this, "runsLoaded");
    private final ObjectProperty<EvalRun> selected = new SimpleObjectProperty<>(this, "selected");
    private final ObservableList<MetricSummary> metrics = FXCollections.observableArrayList();
    private final ObjectProperty<String> metric = new SimpleObjectProperty<>(this, "metric");
    private final BooleanProperty failingFirst = new SimpleBooleanProperty(this, "failingFirst", true);
    private final ObservableList<EvalExample> examples = FXCollections.observableArrayList();
    private final ObservableList<String> evaluators = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper more = new ReadOnlyBooleanWrapper(this, "more");
    private final ObjectProperty<String> timeMetric = new SimpleObjectProperty<>(this, "timeMetric");
    private final ObservableList<QualityPoint> timePoints = FXCollections.observableArrayList();
    private final ObjectProperty<EvalRun> compareA = new SimpleObjectProperty<>(this, "compareA");
    private final ObjectProperty<EvalRun> compareB = new SimpleObjectProperty<>(this, "compareB");
    private final ReadOnlyObjectWrapper<RunComparison> comparison = new ReadOnlyObjectWrapper<>(this, "comparison");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyBooleanWrapper comparing = new ReadOnlyBooleanWrapper(this, "comparing");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ReadOnlyStringWrapper compareStatus = new ReadOnlyStringWrapper(this, "compareStatus", "");
    private boolean switching;
    /** A run to select once it is listed (one just stored), or -1. */
    private long wanted = -1;
    private LatestLoads.Ticket runTicket;
    private LatestLoads.Ticket metricTicket;
    private LatestLoads.Ticket exampleTicket;
    private LatestLoads.Ticket timeTicket;

    public QualityViewModel(EvalService service, Background background) {
        this.service = service;
        this.background = background;
        this.runLoads = new LatestLoads(background);
        this.metricLoads = new LatestLoads(background);
        this.exampleLoads = new LatestLoads(background);
        this.timeLoads = new LatestLoads(background);
        this.compareLoads = new LatestLoads(background);
        selected.addListener((o, a, b) -> {
            if (b == null || a == null || a.id() != b.id()) {
                switching = true; // another run: every example again, loaded once by loadRun
                metric.set(null);
                switching = false;
            }
            loadRun();
        });
        metric.addListener((o, a, b) -> {
            if (!switching) {
                loadExamples();
            }
        });
        failingFirst.addListener((o, a, b) -> loadExamples());
        timeMetric.addListener((o, a, b) -> loadOverTime());
        // another choice: the comparison (and what was said about it) no longer describes it
        compareA.addListener((o, a, b) -> forgetComparison());
        compareB.addListener((o, a, b) -> forgetComparison());
    }

    /** Where the view's exports run. */
    public Background background() {
        return background;
    }

    /** Every eval run of the workspace, newest first. */
    public ObservableList<EvalRun> runs() {
        return runs;
    }

    /** True once the runs have been listed (an empty list then means: no eval runs yet). */
    public ReadOnlyBooleanProperty runsLoadedProperty() {
        return runsLoaded.getReadOnlyProperty();
    }

    /** The run whose cards and examples are shown. */
    public ObjectProperty<EvalRun> selectedProperty() {
        return selected;
    }

    /** The selected run's metrics, one per evaluator. */
    public ObservableList<MetricSummary> metrics() {
        return metrics;
    }

    /** The metric whose examples the table lists (null: every example of the run). */
    public ObjectProperty<String> metricProperty() {
        return metric;
    }

    public BooleanProperty failingFirstProperty() {
        return failingFirst;
    }

    /** The selected run's examples loaded so far, a {@link #PAGE} at a time. */
    public ObservableList<EvalExample> examples() {
        return examples;
    }

    /** Whether the run may have examples beyond those loaded (the last page was full). */
    public ReadOnlyBooleanProperty moreProperty() {
        return more.getReadOnlyProperty();
    }

    /** Every evaluator the workspace holds results of (for the over-time picker). */
    public ObservableList<String> evaluators() {
        return evaluators;
    }

    /** The metric of the over-time chart (null: every result with a verdict). */
    public ObjectProperty<String> timeMetricProperty() {
        return timeMetric;
    }

    public ObservableList<QualityPoint> timePoints() {
        return timePoints;
    }

    /** The baseline of a comparison. */
    public ObjectProperty<EvalRun> compareAProperty() {
        return compareA;
    }

    /** The run compared with the baseline. */
    public ObjectProperty<EvalRun> compareBProperty() {
        return compareB;
    }

    /** The last finished comparison of the two chosen runs (null: none yet, or the choice changed). */
    public ReadOnlyObjectProperty<RunComparison> comparisonProperty() {
        return comparison.getReadOnlyProperty();
    }

    /** Something is loading (runs, a run's cards and examples, the chart); {@link #cancel} stops it. */
    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty comparingProperty() {
        return comparing.getReadOnlyProperty();
    }

    /** What was loaded ("40 examples, failing first"), or "Cancelled.". */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** A failed load in the user's words; empty otherwise. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty compareStatusProperty() {
        return compareStatus.getReadOnlyProperty();
    }

    /**
     * Lists the runs (and then loads the selected one, the newest when none was chosen, and the over-time chart).
     * Called when the area is first shown and after every workspace change; the selections are kept by run id.
     */
    public void load() {
        LatestLoads.Ticket t = runTicket = runLoads.next();
        problem.set("");
        t.run(() -> new Listing(service.runs(), service.evaluators()), l -> {
            runs.setAll(l.runs());
            evaluators.setAll(l.evaluators());
            boolean listedBefore = runsLoaded.get();
            runsLoaded.set(true);
            boolean compared = comparison.get() != null;
            EvalRun keep = wanted >= 0 ? l.runs().stream().filter(r -> r.id() == wanted).findFirst().orElse(null)
                    : null;
            if (keep != null) {
                wanted = -1;
            } else {
                keep = same(selected.get(), l.runs());
            }
            compareA.set(same(compareA.get(), l.runs()));
            compareB.set(same(compareB.get(), l.runs()));
            if (compareA.get() == null && compareB.get() == null && l.runs().size() >= 2) {
                compareA.set(l.runs().get(1));
                compareB.set(l.runs().get(0));
            }
            EvalRun pick = keep != null ? keep : l.runs().isEmpty() ? null : l.runs().get(0);
            if (pick != null && pick.equals(selected.get())) {
                loadRun(); // the same run, unchanged: no change event, but its results may have changed
            } else {
                selected.set(pick);
            }
            if (pick == null) {
                metrics.clear();
                examples.clear();
            }
            String first = l.evaluators().isEmpty() ? null : l.evaluators().get(0);
            if (!listedBefore && first != null && timeMetric.get() == null) {
                // one metric to begin with: a mean over every metric mixes scores where higher is worse (toxicity)
                timeMetric.set(first); // loads the chart
            } else {
                loadOverTime();
            }
            if (compared) {
                compare();
            }
            updateLoading();
        }, this::failed);
        updateLoading();
    }

    private record Listing(List<EvalRun> runs, List<String> evaluators) {
    }

    /** The run of {@code runs} with the id of {@code r} (its fresh copy), or null. */
    private static EvalRun same(EvalRun r, List<EvalRun> runs) {
        return r == null ? null : runs.stream().filter(x -> x.id() == r.id()).findFirst().orElse(null);
    }

    private void loadRun() {
        EvalRun run = selected.get();
        if (run == null) {
            metricLoads.cancel();
            exampleLoads.cancel();
            metrics.clear();
            examples.clear();
            updateLoading();
            return;
        }
        LatestLoads.Ticket t = metricTicket = metricLoads.next();
        t.run(() -> service.metrics(run.id(), BINS), m -> {
            metrics.setAll(m);
            updateLoading();
        }, this::failed);
        loadExamples();
    }

    private void loadExamples() {
        loadExamples(0);
    }

    /** Loads the next page of the run's examples (after those loaded), unless examples are loading. */
    public void loadMore() {
        if (more.get() && !busy(exampleTicket)) {
            loadExamples(examples.size());
        }
    }

    private void loadExamples(int offset) {
        EvalRun run = selected.get();
        if (run == null) {
            return;
        }
        LatestLoads.Ticket t = exampleTicket = exampleLoads.next();
        String m = metric.get();
        boolean failing = failingFirst.get();
        t.run(() -> service.examples(run.id(), m, failing, offset, PAGE), list -> {
            if (offset == 0) {
                examples.setAll(list);
            } else {
                examples.addAll(list);
            }
            more.set(list.size() == PAGE);
            int n = examples.size();
            status.set((more.get() ? "The first " : "") + Format.count(n) + " example" + (n == 1 ? "" : "s")
                    + (m == null ? "" : " judged by " + m) + (failing ? ", failing first" : ""));
            updateLoading();
        }, this::failed);
        updateLoading();
    }

    private void loadOverTime() {
        LatestLoads.Ticket t = timeTicket = timeLoads.next();
        String m = timeMetric.get();
        t.run(() -> service.overTime(m, TIME_BUCKETS), p -> {
            timePoints.setAll(p);
            updateLoading();
        }, this::failed);
        updateLoading();
    }

    /** Selects the run with this id when the runs are next listed (a run just stored: the workspace will change). */
    public void selectWhenListed(long runId) {
        wanted = runId;
    }

    /** Compares run B with run A (both chosen) in the background; a running comparison is superseded. */
    public void compare() {
        EvalRun a = compareA.get();
        EvalRun b = compareB.get();
        if (a == null || b == null) {
            compareStatus.set("Choose two runs to compare.");
            return;
        }
        if (a.id() == b.id()) {
            compareStatus.set("Choose two different runs.");
            return;
        }
        LatestLoads.Ticket t = compareLoads.next();
        comparing.set(true);
        compareStatus.set("Comparing " + b.name() + " with " + a.name() + "…");
        t.run(() -> service.compare(a.id(), b.id(), t.cancellation()), c -> {
            comparing.set(false);
            comparison.set(c);
            compareStatus.set(c.metrics().isEmpty() ? "The two runs judged no example in common."
                    : c.regressed().size() + " regressed, " + c.fixed().size() + " fixed");
        }, e -> {
            comparing.set(false);
            compareStatus.set(e instanceof CancelledException ? "Cancelled." : "The comparison failed: "
                    + dev.tracebench.views.common.Background.message(e));
        });
    }

    private void forgetComparison() {
        comparison.set(null);
        if (!comparing.get()) {
            compareStatus.set("");
        }
    }

    /** Compares the chosen runs unless they are compared already (or being compared, or not both chosen). */
    public void compareIfNeeded() {
        EvalRun a = compareA.get();
        EvalRun b = compareB.get();
        if (comparison.get() == null && !comparing.get() && a != null && b != null && a.id() != b.id()) {
            compare();
        }
    }

    /** Stops every running load and comparison (results that still arrive are dropped). */
    public void cancel() {
        boolean any = loading.get() || comparing.get();
        for (LatestLoads l : List.of(runLoads, metricLoads, exampleLoads, timeLoads)) {
            l.cancel();
        }
        updateLoading();
        if (comparing.get()) {
            compareLoads.cancel();
            comparing.set(false);
            compareStatus.set("Cancelled.");
        }
        if (any) {
            status.set("Cancelled.");
        }
    }

    private void updateLoading() {
        loading.set(busy(runTicket) || busy(metricTicket) || busy(exampleTicket) || busy(timeTicket));
    }

    private static boolean busy(LatestLoads.Ticket t) {
        return t != null && t.isCurrent() && t.pending() > 0;
    }

    private void failed(Throwable e) {
        updateLoading();
        if (!(e instanceof CancelledException)) {
            problem.set("Quality could not be loaded: " + dev.tracebench.views.common.Background.message(e));
        }
    }
}
