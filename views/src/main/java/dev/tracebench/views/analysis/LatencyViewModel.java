package dev.tracebench.views.analysis;

import dev.tracebench.core.analysis.AnalysisService;
import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Dimension;
import dev.tracebench.core.analysis.GroupBy;
import dev.tracebench.core.analysis.Heatmap;
import dev.tracebench.core.analysis.Histogram;
import dev.tracebench.core.analysis.Timeline;
import dev.tracebench.core.report.Durations;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.LatestLoads;
import java.util.List;
import java.util.Objects;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * State of the Latency area: which requests to look at (the cohort), how to group them, and what the analysis
 * service says about them (count, breakdown, timeline, heatmap, histogram of the selected stage). Every query runs
 * in the background; changing the cohort or the grouping supersedes the loads in flight (their results are dropped
 * and queued ones never run).
 *
 * <p>Discrete choices (cohort kind, percentile, dimension, group, stage) reload by themselves once {@link #start()}
 * was called; typed inputs (threshold, filter, attribute key) take effect on {@link #apply()}.
 */
public final class LatencyViewModel {
    public static final List<Double> PERCENTILES = List.of(90.0, 95.0, 99.0);
    /** At most this many time buckets in the timeline (fewer for small cohorts: see {@link #timelineBuckets}). */
    public static final int TIMELINE_BUCKETS = 72;
    public static final int HEATMAP_TIME_BUCKETS = 96;
    public static final int HEATMAP_DURATION_BUCKETS = 40;
    public static final int HISTOGRAM_BINS = 36;
    public static final int ATTRIBUTE_KEYS = 200;

    private final AnalysisService service;
    private final LatestLoads cohortLoads;
    private final LatestLoads breakdownLoads;
    private final LatestLoads heatmapLoads;
    private final LatestLoads histogramLoads;
    private final LatestLoads operationsLoads;
    /** Groups of the current breakdown whose operations were loaded (or failed to load). */
    private final java.util.Set<String> operationsAsked = new java.util.HashSet<>();
    /** The group whose operations {@link #operationsTicket} loads. */
    private String operationsLoading;
    private final Background background;

    // inputs
    private final ObjectProperty<Cohort.Kind> kind = new SimpleObjectProperty<>(this, "kind", Cohort.Kind.ALL);
    private final DoubleProperty percentile = new SimpleDoubleProperty(this, "percentile", 95);
    private final StringProperty threshold = new SimpleStringProperty(this, "threshold", "2s");
    private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
    private final ObjectProperty<Dimension> dimension = new SimpleObjectProperty<>(this, "dimension",
            Dimension.NONE);
    private final StringProperty attributeKey = new SimpleStringProperty(this, "attributeKey", "");
    private final ObjectProperty<String> stage = new SimpleObjectProperty<>(this, "stage");
    private final ObjectProperty<Breakdown.Group> group = new SimpleObjectProperty<>(this, "group");

    // results
    private final ReadOnlyObjectWrapper<Cohort> cohort = new ReadOnlyObjectWrapper<>(this, "cohort", Cohort.all());
    private final ReadOnlyObjectWrapper<Cohort> region = new ReadOnlyObjectWrapper<>(this, "region");
    private final ReadOnlyObjectWrapper<GroupBy> groupBy = new ReadOnlyObjectWrapper<>(this, "groupBy",
            GroupBy.NONE);
    private final ReadOnlyLongWrapper count = new ReadOnlyLongWrapper(this, "count", -1);
    private final ReadOnlyLongWrapper total = new ReadOnlyLongWrapper(this, "total", -1);
    private final ReadOnlyObjectWrapper<Breakdown> breakdown = new ReadOnlyObjectWrapper<>(this, "breakdown");
    private final ReadOnlyObjectWrapper<Timeline> timeline = new ReadOnlyObjectWrapper<>(this, "timeline");
    private final ReadOnlyObjectWrapper<Heatmap> heatmap = new ReadOnlyObjectWrapper<>(this, "heatmap");
    private final ReadOnlyObjectWrapper<Histogram> histogram = new ReadOnlyObjectWrapper<>(this, "histogram");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyBooleanWrapper timelineLoading = new ReadOnlyBooleanWrapper(this, "timelineLoading");
    private final ReadOnlyBooleanWrapper breakdownLoading = new ReadOnlyBooleanWrapper(this, "breakdownLoading");
    private final ReadOnlyBooleanWrapper heatmapLoading = new ReadOnlyBooleanWrapper(this, "heatmapLoading");
    private final ReadOnlyBooleanWrapper histogramLoading = new ReadOnlyBooleanWrapper(this, "histogramLoading");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ReadOnlyStringWrapper inputProblem = new ReadOnlyStringWrapper(this, "inputProblem", "");
    private final ObservableList<String> filterColumns = FXCollections.observableArrayList();
    private final ObservableList<String> attributeKeys = FXCollections.observableArrayList();

    private final java.util.Map<String, String> failures = new java.util.LinkedHashMap<>();
    private LatestLoads.Ticket cohortTicket;
    private LatestLoads.Ticket breakdownTicket;
    private LatestLoads.Ticket heatmapTicket;
    private LatestLoads.Ticket histogramTicket;
    private LatestLoads.Ticket operationsTicket;
    private boolean started;

    public LatencyViewModel(AnalysisService service, Background background) {
        this.service = service;
        this.background = background;
        this.cohortLoads = new LatestLoads(background);
        this.breakdownLoads = new LatestLoads(background);
        this.heatmapLoads = new LatestLoads(background);
        this.histogramLoads = new LatestLoads(background);
        this.operationsLoads = new LatestLoads(background);
        group.addListener((o, a, b) -> loadOperations(b));
        kind.addListener((o, a, b) -> apply());
        percentile.addListener((o, a, b) -> {
            if (kind.get() == Cohort.Kind.SLOW_PERCENTILE) {
                apply();
            }
        });
        dimension.addListener((o, a, b) -> applyGrouping());
        stage.addListener((o, a, b) -> {
            if (started && !Objects.equals(a, b)) {
                loadHistogram();
            }
        });
    }

    // ------------------------------------------------------------------ properties

    public ObjectProperty<Cohort.Kind> kindProperty() {
        return kind;
    }

    /** Percentile of the "slow" cohort (90, 95, 99). */
    public DoubleProperty percentileProperty() {
        return percentile;
    }

    /** Minimum duration of the "slower than" cohort as typed ("2s", "1500ms"). */
    public StringProperty thresholdProperty() {
        return threshold;
    }

    /** The SQL expression of the filter cohort. */
    public StringProperty filterProperty() {
        return filter;
    }

    public ObjectProperty<Dimension> dimensionProperty() {
        return dimension;
    }

    public StringProperty attributeKeyProperty() {
        return attributeKey;
    }

    /** The stage whose contribution the histogram shows (null: the whole request). */
    public ObjectProperty<String> stageProperty() {
        return stage;
    }

    /** The group the stage table shows (the first, the whole cohort, unless the user picks another). */
    public ObjectProperty<Breakdown.Group> groupProperty() {
        return group;
    }

    /** The cohort the results are for (the last one applied). */
    public ReadOnlyObjectProperty<Cohort> cohortProperty() {
        return cohort.getReadOnlyProperty();
    }

    /** The brushed heatmap rectangle (a REGION cohort), or null. */
    public ReadOnlyObjectProperty<Cohort> regionProperty() {
        return region.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<GroupBy> groupByProperty() {
        return groupBy.getReadOnlyProperty();
    }

    /** Traces in the cohort; -1 while unknown. */
    public ReadOnlyLongProperty countProperty() {
        return count.getReadOnlyProperty();
    }

    /** Traces in the workspace; -1 while unknown. */
    public ReadOnlyLongProperty totalProperty() {
        return total.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Breakdown> breakdownProperty() {
        return breakdown.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Timeline> timelineProperty() {
        return timeline.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Heatmap> heatmapProperty() {
        return heatmap.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Histogram> histogramProperty() {
        return histogram.getReadOnlyProperty();
    }

    /** True while anything is loading. */
    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** True while the count or the timeline load. */
    public ReadOnlyBooleanProperty timelineLoadingProperty() {
        return timelineLoading.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty breakdownLoadingProperty() {
        return breakdownLoading.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty heatmapLoadingProperty() {
        return heatmapLoading.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty histogramLoadingProperty() {
        return histogramLoading.getReadOnlyProperty();
    }

    /** A failed query, in the user's words; empty when all is well. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** Something the user typed that cannot be used (a bad duration, an empty filter); empty when fine. */
    public ReadOnlyStringProperty inputProblemProperty() {
        return inputProblem.getReadOnlyProperty();
    }

    /** The columns a filter may use ("name TYPE"). */
    public ObservableList<String> filterColumns() {
        return filterColumns;
    }

    /** Attribute keys for "group by attribute…". */
    public ObservableList<String> attributeKeys() {
        return attributeKeys;
    }

    // ------------------------------------------------------------------ actions

    /** Loads the pickers' contents and the first results (call once, when the area is first shown). */
    public void start() {
        if (started) {
            return;
        }
        started = true;
        background.run(service::filterColumns, filterColumns::setAll, t -> { });
        background.run(() -> service.attributeKeys(ATTRIBUTE_KEYS), attributeKeys::setAll, t -> { });
        background.run(() -> service.count(Cohort.all()), total::set, t -> { });
        apply();
    }

    public boolean isStarted() {
        return started;
    }

    /**
     * Builds the cohort from the inputs and, if it is usable, reloads everything for it. Returns false (and says
     * why in {@link #inputProblemProperty()}) if the inputs do not make a cohort.
     */
    public boolean apply() {
        Cohort c;
        try {
            c = cohortFromInputs();
        } catch (IllegalArgumentException e) {
            inputProblem.set(e.getMessage());
            return false;
        }
        inputProblem.set("");
        GroupBy g = groupingOrSayWhy();
        if (g == null) {
            return false;
        }
        cohort.set(c);
        groupBy.set(g);
        if (started) {
            reload();
        }
        return true;
    }

    /** The grouping the inputs make, or null after saying why they make none. */
    private GroupBy groupingOrSayWhy() {
        try {
            return groupByFromInputs();
        } catch (IllegalArgumentException e) {
            inputProblem.set(e.getMessage());
            return null;
        }
    }

    /** Applies a new grouping only (the cohort stays, and so do the charts). */
    public boolean applyGrouping() {
        GroupBy g = groupingOrSayWhy();
        if (g == null) {
            return false;
        }
        inputProblem.set("");
        groupBy.set(g);
        if (started) {
            loadBreakdown();
        }
        return true;
    }

    /** The cohort the inputs describe; throws IllegalArgumentException with a message for the user. */
    public Cohort cohortFromInputs() {
        return switch (kind.get()) {
            case ALL -> Cohort.all();
            case SLOW_PERCENTILE -> Cohort.slow(percentile.get());
            case SLOW_THRESHOLD -> {
                String t = threshold.get() == null ? "" : threshold.get().strip();
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("Type a duration for \"Slower than\", e.g. 2s or 1500ms");
                }
                yield Cohort.slowerThan(Durations.parseNanos(t));
            }
            case ERRORS -> Cohort.errors();
            case FAILED -> Cohort.failed();
            case FILTER -> {
                String f = filter.get() == null ? "" : filter.get().strip();
                if (f.isEmpty()) {
                    throw new IllegalArgumentException("Type a filter expression, e.g. service_name = 'docs-search'");
                }
                yield Cohort.filter(f);
            }
            case REGION -> {
                if (region.get() == null) {
                    throw new IllegalArgumentException("Drag a rectangle on the heatmap to select requests");
                }
                yield region.get();
            }
        };
    }

    private GroupBy groupByFromInputs() {
        Dimension d = dimension.get() == null ? Dimension.NONE : dimension.get();
        if (d == Dimension.ATTRIBUTE) {
            String key = attributeKey.get() == null ? "" : attributeKey.get().strip();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("Pick or type the attribute key to group by");
            }
            return GroupBy.attribute(key);
        }
        return GroupBy.of(d);
    }

    /**
     * Makes the requests in a heatmap rectangle the cohort: start time in [fromNs, toNs), duration in
     * [minDurationNs, maxDurationNs).
     */
    public void brush(long fromNs, long toNs, long minDurationNs, long maxDurationNs) {
        if (toNs <= fromNs || maxDurationNs <= minDurationNs) {
            return;
        }
        region.set(Cohort.region(fromNs, toNs, minDurationNs, maxDurationNs));
        if (kind.get() == Cohort.Kind.REGION) {
            apply();
        } else {
            kind.set(Cohort.Kind.REGION); // applies
        }
    }

    /** Forgets the heatmap selection and goes back to all requests if it was the cohort. */
    public void clearRegion() {
        region.set(null);
        if (kind.get() == Cohort.Kind.REGION) {
            kind.set(Cohort.Kind.ALL);
        }
    }

    /** The cohort the heatmap shows: the cohort itself, or every request when the cohort is a heatmap selection. */
    public Cohort heatmapCohort() {
        Cohort c = cohort.get();
        return c.kind() == Cohort.Kind.REGION ? Cohort.all() : c;
    }

    /** Time buckets for a cohort of {@code n} requests: about 8 requests per bucket, between 12 and 72. */
    public static int timelineBuckets(long n) {
        return (int) Math.max(12, Math.min(TIMELINE_BUCKETS, n / 8));
    }

    /** Reloads everything for the current cohort (after an import, or F5). */
    public void reload() {
        Cohort c = cohort.get();
        count.set(-1);
        cohortTicket = cohortLoads.next();
        LatestLoads.Ticket t = cohortTicket;
        t.onIdle(this::updateLoading);
        t.run(() -> service.count(c), n -> {
            succeeded(COUNT);
            count.set(n);
            // about 8 requests per bucket, so a small cohort does not draw noise
            int buckets = timelineBuckets(n);
            t.run(() -> service.timeline(c, buckets), tl -> {
                succeeded(TIMELINE);
                timeline.set(tl);
            }, e -> {
                timeline.set(null);
                failed(TIMELINE, e);
            });
        }, e -> {
            failed(COUNT, e);
            timeline.set(null);
        });
        loadBreakdown();
        Heatmap h = heatmap.get();
        if (h == null || !h.cohort().equals(heatmapCohort()) || heatmapLoading.get()) {
            loadHeatmap();
        }
        loadHistogram();
        updateLoading();
    }

    private void loadBreakdown() {
        Cohort c = cohort.get();
        GroupBy g = groupBy.get();
        breakdownTicket = breakdownLoads.next();
        LatestLoads.Ticket t = breakdownTicket;
        t.onIdle(this::updateLoading);
        t.run(() -> service.breakdown(c, g), b -> {
            succeeded(BREAKDOWN);
            operationsAsked.clear();
            breakdown.set(b);
            Breakdown.Group keep = group.get();
            Breakdown.Group pick = b.groups().isEmpty() ? null : b.groups().get(0);
            if (keep != null && keep.value() != null) {
                pick = b.groups().stream().filter(x -> keep.value().equals(x.value())).findFirst().orElse(pick);
            }
            group.set(pick);
        }, e -> {
            breakdown.set(null);
            group.set(null);
            failed(BREAKDOWN, e);
        });
        updateLoading();
    }

    /**
     * The operations of a group are loaded when the group is shown (the breakdown brings only the whole cohort's:
     * every group's at once would cost more than the rest of the breakdown).
     */
    private void loadOperations(Breakdown.Group g) {
        Breakdown b = breakdown.get();
        if (g == null || b == null || g.value() == null || g.value().equals(Breakdown.OTHER) || g.traces() == 0
                || !g.operations().isEmpty() || operationsAsked.contains(g.value())
                || (g.value().equals(operationsLoading) && busy(operationsTicket))) {
            return;
        }
        String value = g.value();
        operationsLoading = value;
        operationsTicket = operationsLoads.next();
        LatestLoads.Ticket t = operationsTicket;
        t.onIdle(this::updateLoading);
        t.run(() -> service.operations(b.cohort(), b.groupBy(), value), ops -> {
            Breakdown current = breakdown.get();
            if (current == null || !current.cohort().equals(b.cohort()) || !current.groupBy().equals(b.groupBy())) {
                return; // the cohort or the grouping changed meanwhile
            }
            succeeded(OPERATIONS);
            operationsAsked.add(value);
            Breakdown withOps = current.withOperations(value, ops);
            boolean shown = group.get() != null && value.equals(group.get().value());
            breakdown.set(withOps);
            if (shown) {
                group.set(withOps.group(value).orElse(null));
            }
        }, e -> {
            operationsAsked.add(value); // not again until the next breakdown (Refresh)
            failed(OPERATIONS, e);
        });
        updateLoading();
    }

    private void loadHeatmap() {
        Cohort c = heatmapCohort();
        heatmapTicket = heatmapLoads.next();
        LatestLoads.Ticket t = heatmapTicket;
        t.onIdle(this::updateLoading);
        t.run(() -> service.heatmap(c, HEATMAP_TIME_BUCKETS, HEATMAP_DURATION_BUCKETS), h -> {
            succeeded(HEATMAP);
            heatmap.set(h);
        }, e -> {
            heatmap.set(null);
            failed(HEATMAP, e);
        });
        updateLoading();
    }

    private void loadHistogram() {
        Cohort c = cohort.get();
        String s = stage.get();
        histogramTicket = histogramLoads.next();
        LatestLoads.Ticket t = histogramTicket;
        t.onIdle(this::updateLoading);
        t.run(() -> service.histogram(c, s, HISTOGRAM_BINS), h -> {
            succeeded(HISTOGRAM);
            histogram.set(h);
        }, e -> {
            histogram.set(null);
            failed(HISTOGRAM, e);
        });
        updateLoading();
    }

    private static boolean busy(LatestLoads.Ticket t) {
        return t != null && t.isCurrent() && t.pending() > 0;
    }

    private void updateLoading() {
        timelineLoading.set(busy(cohortTicket));
        breakdownLoading.set(busy(breakdownTicket) || busy(operationsTicket));
        heatmapLoading.set(busy(heatmapTicket));
        histogramLoading.set(busy(histogramTicket));
        loading.set(busy(cohortTicket) || busy(breakdownTicket) || busy(operationsTicket) || busy(heatmapTicket)
                || busy(histogramTicket));
    }

    private static final String COUNT = "Count";
    private static final String TIMELINE = "Timeline";
    private static final String BREAKDOWN = "Breakdown";
    private static final String HEATMAP = "Heatmap";
    private static final String HISTOGRAM = "Histogram";
    private static final String OPERATIONS = "Operations of the group";

    private void succeeded(String what) {
        if (failures.remove(what) != null) {
            showFailures();
        }
    }

    private void failed(String what, Throwable t) {
        failures.put(what, Background.message(t));
        showFailures();
    }

    /** One line per distinct cause: a bad filter, or a broken service, fails every query the same way. */
    private void showFailures() {
        java.util.Set<String> distinct = new java.util.LinkedHashSet<>(failures.values());
        if (distinct.isEmpty()) {
            problem.set("");
        } else if (distinct.size() == 1 && failures.size() > 1) {
            problem.set((cohort.get().kind() == Cohort.Kind.FILTER ? "The filter cannot be used: "
                    : "The analysis failed: ") + distinct.iterator().next());
        } else {
            List<String> lines = new java.util.ArrayList<>();
            failures.forEach((k, v) -> lines.add(k + " failed: " + v));
            problem.set(String.join("\n", lines));
        }
    }
}
